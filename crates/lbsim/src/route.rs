//! `lbsim route`: a routing trace. Requests are fired one after another with nothing
//! completing, and each line says where one went (or, with `--explain`, why). The trace
//! streams: decisions are written as they are made and none is kept.

use std::io::Write;

use lbcore::Engine;
use lbcore::scenario::{Arrivals, Completions};

use crate::cli::RouteArgs;
use crate::error::Failure;

/// Requests fired per call to the engine.
const BATCH: u64 = 4_096;

/// The queue limit route uses unless told otherwise: the most the scenario allows, so that
/// the trace shows the algorithm rather than full queues.
const ROUTE_QUEUE: u32 = 1_000_000;

/// Prints the server each of `--requests` requests goes to.
pub fn route(args: &RouteArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let scenario = args.scenario.build(|s, set_by_user| {
        s.arrivals = Arrivals::Off;
        s.completions = Completions::Manual;
        if !set_by_user("queue") {
            s.queue = ROUTE_QUEUE;
        }
    })?;
    let Some(total) = scenario.requests else {
        return Err(Failure::Usage(
            "--requests: route needs to know how many requests to route, such as --requests 10".into(),
        ));
    };
    let mut engine = Engine::new(scenario).map_err(|p| Failure::Usage(p.to_string()))?;
    let mut left = total;
    while left > 0 {
        let batch = left.min(BATCH);
        for decision in engine.fire(batch as u32) {
            if args.explain {
                writeln!(out, "{decision}")?;
            } else {
                writeln!(out, "{}", decision.chosen_name().unwrap_or("-"))?;
            }
        }
        left -= batch;
    }
    Ok(())
}
