//! `lbsim sweep`: each algorithm at each arrival rate (or offered load), one row per point,
//! CSV by default for plotting.

use std::io::Write;

use lbcore::Scenario;

use crate::batch;
use crate::cli::SweepArgs;
use crate::error::Failure;
use crate::flags;
use crate::progress::Progress;
use crate::range;
use crate::report::{self, Row, tidy};

/// Runs every (algorithm, rate) point and prints a row for each.
pub fn sweep(args: &SweepArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let base = args.scenario.build(|_, _| {})?;
    let algorithms = match &args.algos {
        Some(text) => flags::algorithms(text)?,
        None => vec![base.algo],
    };
    let (flag, text, by_load) = match (&args.rates, &args.loads) {
        (Some(r), None) => ("rates", r, false),
        (None, Some(l)) => ("loads", l, true),
        (Some(_), Some(_)) => {
            return Err(Failure::Usage("--rates and --loads: give one of them, not both".into()));
        }
        (None, None) => {
            return Err(Failure::Usage(
                "--rates or --loads: sweep needs one, such as --rates 10:90:10 or --loads 0.1:0.9:0.1".into(),
            ));
        }
    };
    let values = range::parse(text).map_err(|why| Failure::Usage(format!("--{flag} {text:?}: {why}")))?;
    let capacity = base.capacity();
    let mut points: Vec<(f64, f64)> = Vec::new();
    for v in values {
        let (rate, load) = if by_load { (tidy(v * capacity), v) } else { (v, tidy(v / capacity)) };
        let mut probe = base.clone();
        probe.rate = rate;
        if let Err(problems) = probe.validate() {
            let why: Vec<String> = problems.0.iter().filter(|p| p.field == "rate").map(|p| p.message.clone()).collect();
            if !why.is_empty() {
                return Err(Failure::Usage(format!("--{flag} {text:?}: {v} gives rate {rate}: {}", why.join("; "))));
            }
        }
        points.push((rate, load));
    }
    let mut scenarios: Vec<Scenario> = Vec::new();
    for &algo in &algorithms {
        for &(rate, _) in &points {
            let mut s = base.clone();
            s.algo = algo;
            s.rate = rate;
            args.scenario.check(&s)?;
            scenarios.push(s);
        }
    }
    let progress = Progress::new(scenarios.len(), "sweeping");
    let summaries = batch::run_all(&scenarios, &progress).map_err(|p| Failure::Usage(p.to_string()));
    progress.finish();
    let rows: Vec<Row> = summaries?
        .into_iter()
        .zip(points.iter().copied().cycle())
        .map(|(summary, point)| Row { point: Some(point), summary })
        .collect();
    report::rows(out, &rows, args.format)?;
    Ok(())
}
