//! The Experiments view's engine room: a load sweep ([`lbcore::sweep`]) of the scenario on
//! the page, run off the main thread so that the live chart keeps its frame rate.
//!
//! [`plan`] turns the page's scenario into the sweep and the `lbsim sweep` command that gives
//! the same numbers; [`job`] makes its runs a slice at a time; [`worker`] is a Web Worker
//! (gloo-worker) that makes the runs it is handed in the view's own wasm; [`pool`] shares the
//! runs among several workers and measures their pace; [`runner`] starts the workers from the
//! page, or runs the job on the page itself where no worker may start; [`theory`] is the M/M/1/K curve the plots draw beside the points.

pub mod job;
pub mod plan;
pub mod pool;
pub mod runner;
pub mod theory;
pub mod worker;
