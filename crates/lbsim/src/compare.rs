//! `lbsim compare`: the same scenario and seed under several algorithms, so each sees
//! identical arrivals, costs and keys; one row per algorithm.

use std::io::Write;

use crate::batch;
use crate::cli::CompareArgs;
use crate::error::Failure;
use crate::flags;
use crate::progress::Progress;
use crate::report::{self, Row};

/// Runs one simulation per algorithm and prints a row for each.
pub fn compare(args: &CompareArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let base = args.scenario.build(|_, _| {})?;
    let algorithms = flags::algorithms(&args.algos)?;
    let mut scenarios = Vec::new();
    for algo in algorithms {
        let mut s = base.clone();
        s.algo = algo;
        args.scenario.check(&s)?;
        scenarios.push(s);
    }
    let progress = Progress::new(scenarios.len(), "comparing");
    let summaries = batch::run_all(&scenarios, &progress).map_err(|p| Failure::Usage(p.to_string()));
    progress.finish();
    let rows: Vec<Row> = summaries?.into_iter().map(|summary| Row { point: None, summary }).collect();
    report::rows(out, &rows, args.format)?;
    Ok(())
}
