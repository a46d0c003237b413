//! `lbsim run`: one simulation, its summary printed as a table, JSON or CSV.

use std::io::Write;

use lbcore::Engine;

use crate::cli::RunArgs;
use crate::error::Failure;
use crate::progress::Progress;
use crate::report;

/// Runs the scenario to its end and prints the summary.
pub fn run(args: &RunArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let scenario = args.scenario.build(|_, _| {})?;
    let mut engine = Engine::new(scenario.clone()).map_err(|p| Failure::Usage(p.to_string()))?;
    let progress = Progress::new(1, "simulating");
    let mut job = progress.job();
    let summary = engine.run_with_progress(&mut |fraction| job.update(fraction));
    progress.finish();
    report::summary(out, &summary, &scenario, args.format)?;
    Ok(())
}
