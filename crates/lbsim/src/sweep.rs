//! `lbsim sweep`: each algorithm at each arrival rate (or offered load), one row per point,
//! CSV by default for plotting; with `--over SETTING=SPEC`, over a grid of numeric settings
//! too. The sweep itself and its CSV are `lbcore::sweep`'s, the ones the web app's
//! Experiments view uses, so both give the same file for the same seed. `--jobs K` runs it
//! on K threads; `--shard I/N` runs one slice of it ([`crate::shard`]).

use std::io::Write;

use lbcore::scenario::quoted;
use lbcore::sweep::over::Dim;
use lbcore::sweep::{self, Axis, Point, Sweep, range};

use crate::batch;
use crate::cli::{Format, SweepArgs};
use crate::error::Failure;
use crate::flags;
use crate::progress::Progress;
use crate::report;
use crate::shard::{self, Header, Slice};

/// Runs every (algorithm, rate) point, or every run of the `--over` grid, and prints a row for each.
pub fn sweep(args: &SweepArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let base = args.scenario.build(|_, _| {})?;
    Sweep::check_base(&base).map_err(Failure::Usage)?;
    let algorithms = match &args.algos {
        Some(text) => flags::algorithms(text)?,
        None => vec![base.algo],
    };
    let points = match (&args.rates, &args.loads) {
        (Some(r), None) => Some(("rates", r, Axis::Rate)),
        (None, Some(l)) => Some(("loads", l, Axis::Load)),
        (Some(_), Some(_)) => {
            return Err(Failure::Usage("--rates and --loads: give one of them, not both".into()));
        }
        (None, None) if args.over.is_empty() => {
            return Err(Failure::Usage(
                "--rates or --loads: sweep needs one, such as --rates 10:90:10 or --loads 0.1:0.9:0.1 (or --over)"
                    .into(),
            ));
        }
        (None, None) => None,
    };
    // Each dimension and its values alone, the error naming its flag; then the grid of them.
    let mut dims = Vec::new();
    for text in &args.over {
        let bad = |why: String| Failure::Usage(format!("--over \"{}\": {why}", quoted(text)));
        let dim = Dim::parse(text).map_err(bad)?;
        Sweep::grid(&base, &algorithms, std::slice::from_ref(&dim)).map_err(bad)?;
        dims.push(dim);
    }
    if let Some((flag, text, axis)) = points {
        let bad = |why: String| Failure::Usage(format!("--{flag} \"{}\": {why}", quoted(text)));
        let values = range::parse(text).map_err(bad)?;
        Sweep::new(&base, &algorithms, axis, &values).map_err(bad)?;
        // innermost, as the points are when --over is not given
        dims.push(Dim { name: if axis == Axis::Load { "load" } else { "rate" }, values });
    }
    let plan = Sweep::grid(&base, &algorithms, &dims).map_err(|why| Failure::Usage(format!("--over: {why}")))?;
    let (scenarios, points): (Vec<_>, Vec<Point>) = (0..plan.len()).filter_map(|i| plan.run(i)).unzip();
    for s in &scenarios {
        args.scenario.check(s)?;
    }
    let threads = match &args.jobs {
        Some(text) => jobs(text)?,
        None => batch::threads(),
    };
    let swept = plan.swept();
    // The runs to make: all of them, or the shard's slice.
    let slice = match &args.shard {
        Some(_) if args.format != Format::Csv => {
            return Err(Failure::Usage(
                "--shard: only with --format csv (the default), the rows lbsim merge puts together".into(),
            ));
        }
        Some(text) => Some(Slice::parse(text, scenarios.len())?),
        None => None,
    };
    let mine: Vec<usize> = match slice {
        Some(slice) => slice.runs(scenarios.len()).collect(),
        None => (0..scenarios.len()).collect(),
    };
    if args.dry_run {
        writeln!(out, "{} runs", mine.len())?;
        return Ok(());
    }
    let to_run: Vec<_> = mine.iter().map(|&i| scenarios[i].clone()).collect();
    let progress = Progress::new(to_run.len(), "sweeping");
    let rows = batch::run_all(&to_run, threads, &progress, |k, summary| sweep::Row::new(points[mine[k]], &summary))
        .map_err(|p| Failure::Usage(p.to_string()));
    progress.finish();
    let rows = rows?;
    if let Some(slice) = slice {
        let plan_id = shard::plan_id(&sweep::csv_header_with(&swept), &scenarios)?;
        writeln!(out, "{}", Header::new(slice, plan_id, scenarios.len()))?;
    }
    if args.format == Format::Csv {
        out.write_all(sweep::csv_with(&swept, &rows).as_bytes())?;
        return Ok(());
    }
    report::rows(out, &rows, Some(&swept), args.format)?;
    Ok(())
}

/// The most threads `--jobs` takes: each holds an engine, so memory grows with them.
pub const MAX_JOBS: usize = 1024;

/// Reads `--jobs K`: 1 to [`MAX_JOBS`].
fn jobs(text: &str) -> Result<usize, Failure> {
    match text.trim().parse::<usize>() {
        Ok(k) if (1..=MAX_JOBS).contains(&k) => Ok(k),
        _ => Err(Failure::Usage(format!(
            "--jobs \"{}\": allowed: a whole number of threads from 1 to {MAX_JOBS} (default: one per core, {} here)",
            quoted(text),
            batch::threads()
        ))),
    }
}
