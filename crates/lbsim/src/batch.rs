//! Several simulations at once on every core (`compare`, `sweep`), with the results in the
//! order of the scenarios whatever the scheduling.

use std::num::NonZeroUsize;

use lbcore::{Engine, Problems, Scenario, Summary, race};

use crate::progress::Progress;

/// The threads to run simulations on: one per core.
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

/// Runs each scenario to its end, as many at once as there are cores, and returns the
/// summaries in the order of `scenarios`; the problems of the first that is not valid.
pub fn run_all(scenarios: &[Scenario], progress: &Progress) -> Result<Vec<Summary>, Problems> {
    race::on_threads(scenarios.iter(), threads(), |_, scenario| {
        let mut job = progress.job();
        Engine::new(scenario.clone()).map(|mut engine| engine.run_with_progress(&mut |f| job.update(f)))
    })
    .into_iter()
    .collect()
}
