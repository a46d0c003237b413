//! Several simulations at once on every core (`compare`, `sweep`), with the results in the
//! order of the scenarios whatever the scheduling.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};

use lbcore::{Engine, Problems, Scenario, Summary};

use crate::progress::Progress;

/// Runs each scenario to its end, as many at once as there are cores, and returns the
/// summaries in the order of `scenarios`.
pub fn run_all(scenarios: &[Scenario], progress: &Progress) -> Result<Vec<Summary>, Problems> {
    let threads = std::thread::available_parallelism().map_or(1, NonZeroUsize::get).clamp(1, scenarios.len().max(1));
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, Result<Summary, Problems>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(scenario) = scenarios.get(i) else { break };
                        let mut job = progress.job();
                        let result = Engine::new(scenario.clone())
                            .map(|mut engine| engine.run_with_progress(&mut |fraction| job.update(fraction)));
                        mine.push((i, result));
                    }
                    mine
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    });
    done.sort_by_key(|&(i, _)| i);
    done.into_iter().map(|(_, result)| result).collect()
}
