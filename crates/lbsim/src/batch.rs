//! Several simulations at once on every core (`compare`, `sweep`), with the results in the
//! order of the scenarios whatever the scheduling.

use std::num::NonZeroUsize;

use lbcore::{Engine, Problems, Scenario, Summary, race};

use crate::progress::Progress;

/// The threads to run simulations on: one per core.
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

/// Runs each scenario to its end, `threads` at once, and returns what
/// `keep` takes of each summary, in the order of `scenarios`; the problems of the first that
/// is not valid. A summary holds a row per server (100,000 servers: megabytes), so `keep`
/// runs as each run ends, and only what it keeps stays.
pub fn run_all<T: Send>(
    scenarios: &[Scenario],
    threads: usize,
    progress: &Progress,
    keep: impl Fn(usize, Summary) -> T + Sync,
) -> Result<Vec<T>, Problems> {
    race::on_threads(scenarios.iter(), threads, |i, scenario| {
        let mut job = progress.job();
        Engine::new(scenario.clone()).map(|mut engine| keep(i, engine.run_with_progress(&mut |f| job.update(f))))
    })
    .into_iter()
    .collect()
}
