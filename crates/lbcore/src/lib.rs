//! lbcore: the engine behind lbviz and lbsim.
//!
//! Pure Rust with no web dependency: load-balancing algorithms ([`balancer`]), a
//! deterministic discrete-event simulator ([`engine`]) over servers ([`server`]) fed by a
//! workload ([`workload`]), optional caches ([`cache`]), and the metrics it keeps
//! ([`metrics`], [`summary`]). A [`Race`] runs one engine per algorithm on one traffic. The
//! whole configuration is one [`Scenario`], declared by one settings table and read from JSON
//! or from `key=value` pairs. The same scenario and seed give the same run, bit for bit,
//! natively and on wasm32. The engine reports data (decisions, outcomes, counters); the
//! words the front ends show for them are in [`words`].

pub mod balancer;
pub mod cache;
pub mod controls;
pub mod decimal;
pub mod engine;
pub mod json_text;
pub mod keyspace;
pub mod lesson;
pub mod metrics;
pub mod race;
pub mod rng;
pub mod scenario;
pub mod server;
pub mod summary;
pub mod sweep;
mod tally;
pub mod time;
pub mod words;
pub mod workload;

pub use balancer::{Algorithm, Balancer, Decision, Outcome, Score};
pub use engine::{Completion, Engine, LoggedDecision, Notice, Noticed};
pub use race::{Op, Race};
pub use scenario::{Problem, Problems, Scenario};
pub use server::{Health, Server, ServerId};
pub use summary::Summary;
