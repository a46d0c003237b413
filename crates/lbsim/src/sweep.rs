//! `lbsim sweep`: each algorithm at each arrival rate (or offered load), one row per point,
//! CSV by default for plotting. The sweep itself and its CSV are `lbcore::sweep`'s, the ones
//! the web app's Experiments view uses, so both give the same file for the same seed.

use std::io::Write;

use lbcore::scenario::quoted;
use lbcore::sweep::{self, Axis, Sweep, range};

use crate::batch;
use crate::cli::{Format, SweepArgs};
use crate::error::Failure;
use crate::flags;
use crate::progress::Progress;
use crate::report;

/// Runs every (algorithm, rate) point and prints a row for each.
pub fn sweep(args: &SweepArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let base = args.scenario.build(|_, _| {})?;
    Sweep::check_base(&base).map_err(Failure::Usage)?;
    let algorithms = match &args.algos {
        Some(text) => flags::algorithms(text)?,
        None => vec![base.algo],
    };
    let (flag, text, axis) = match (&args.rates, &args.loads) {
        (Some(r), None) => ("rates", r, Axis::Rate),
        (None, Some(l)) => ("loads", l, Axis::Load),
        (Some(_), Some(_)) => {
            return Err(Failure::Usage("--rates and --loads: give one of them, not both".into()));
        }
        (None, None) => {
            return Err(Failure::Usage(
                "--rates or --loads: sweep needs one, such as --rates 10:90:10 or --loads 0.1:0.9:0.1".into(),
            ));
        }
    };
    let values = range::parse(text).map_err(|why| Failure::Usage(format!("--{flag} \"{}\": {why}", quoted(text))))?;
    let plan = Sweep::new(&base, &algorithms, axis, &values)
        .map_err(|why| Failure::Usage(format!("--{flag} \"{}\": {why}", quoted(text))))?;
    let scenarios = plan.scenarios();
    for s in &scenarios {
        args.scenario.check(s)?;
    }
    let progress = Progress::new(scenarios.len(), "sweeping");
    let points = &plan.points;
    let rows = batch::run_all(&scenarios, &progress, |i, summary| sweep::Row::new(points[i % points.len()], &summary))
        .map_err(|p| Failure::Usage(p.to_string()));
    progress.finish();
    let rows = rows?;
    if args.format == Format::Csv {
        out.write_all(sweep::csv(&rows).as_bytes())?;
        return Ok(());
    }
    report::rows(out, &rows, true, args.format)?;
    Ok(())
}
