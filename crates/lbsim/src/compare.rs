//! `lbsim compare`: a [`Race`] of the same scenario and seed under several algorithms, so
//! each sees identical arrivals, costs and keys; one row per algorithm.

use std::io::Write;

use lbcore::Race;

use crate::batch;
use crate::cli::CompareArgs;
use crate::error::Failure;
use crate::flags;
use crate::progress::Progress;
use crate::report;
use lbcore::sweep::{Point, Row};

/// Races the algorithms to the scenario's end and prints a row for each.
pub fn compare(args: &CompareArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let base = args.scenario.build(|_, _| {})?;
    let algorithms = flags::algorithms(&args.algos)?;
    for &algo in &algorithms {
        args.scenario.check(&lbcore::Scenario { algo, ..base.clone() })?;
    }
    let mut race = Race::new(&base, &algorithms).map_err(|p| Failure::Usage(p.to_string()))?;
    let progress = Progress::new(algorithms.len(), "comparing");
    let summaries = race.finish(batch::threads(), |_| {
        let mut job = progress.job();
        move |fraction| job.update(fraction)
    });
    progress.finish();
    let rows: Vec<Row> = summaries.iter().map(|summary| Row::new(Point { rate: 0.0, load: 0.0 }, summary)).collect();
    report::rows(out, &rows, false, args.format)?;
    Ok(())
}
