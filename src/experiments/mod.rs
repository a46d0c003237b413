//! The Experiments view's engine room: a load sweep ([`lbcore::sweep`]) of the scenario on
//! the page, run off the main thread so that the live chart keeps its frame rate.
//!
//! [`plan`] turns the page's scenario into the sweep and the `lbsim sweep` command that gives
//! the same numbers; [`job`] runs it a slice at a time; [`worker`] is the Web Worker
//! (gloo-worker) that runs the job in the view's own wasm; [`runner`] starts the
//! worker from the page, or runs the job on the page itself where no worker may start;
//! [`theory`] is the M/M/1/K curve the plots draw beside the points.

pub mod job;
pub mod plan;
pub mod runner;
pub mod theory;
pub mod worker;
