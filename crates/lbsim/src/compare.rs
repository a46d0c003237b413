//! `lbsim compare`: the same scenario and seed under several algorithms, so each sees
//! identical arrivals, costs and keys (its own seeded streams, as in a [`lbcore::Race`]);
//! one row per algorithm.
//!
//! The engines run as a sweep's do, one a core at a time, each dropped when its row is
//! taken: memory is the cores' engines, not every algorithm's (10 algorithms at 100,000
//! servers held 733 MB at once; each engine is 40 to 80 MB there).

use std::io::Write;

use lbcore::Scenario;
use lbcore::sweep::{Point, Row};

use crate::batch;
use crate::cli::CompareArgs;
use crate::error::Failure;
use crate::flags;
use crate::progress::Progress;
use crate::report;

/// Runs each algorithm to the scenario's end and prints a row for each.
pub fn compare(args: &CompareArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let base = args.scenario.build(|_, _| {})?;
    let algorithms = flags::algorithms(&args.algos)?;
    let scenarios: Vec<Scenario> = algorithms.iter().map(|&algo| Scenario { algo, ..base.clone() }).collect();
    for s in &scenarios {
        args.scenario.check(s)?;
    }
    let progress = Progress::new(scenarios.len(), "comparing");
    let rows =
        batch::run_all(&scenarios, batch::threads(), &progress, |_, summary| Row::new(Point::default(), &summary))
            .map_err(|p| Failure::Usage(p.to_string()));
    progress.finish();
    report::rows(out, &rows?, None, args.format)?;
    Ok(())
}
