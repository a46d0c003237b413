//! A sweep in progress: runs one simulation after another, a slice of wall-clock time at a
//! time, so that whoever drives it (the worker, or the page as a fallback) can answer
//! messages and draw between slices.

use lbcore::Engine;
use lbcore::sweep::{Row, Sweep};

/// A sweep and how far it has got.
#[derive(Debug)]
pub struct Job {
    sweep: Sweep,
    next: usize,
}

impl Job {
    /// A job that has run nothing yet.
    pub fn new(sweep: Sweep) -> Job {
        Job { sweep, next: 0 }
    }

    /// Runs whole simulations until `budget_ms` of `clock` (milliseconds) has passed, at least
    /// one, and returns each run's index and row. Empty when the sweep is done.
    pub fn slice(&mut self, budget_ms: f64, clock: &dyn Fn() -> f64) -> Vec<(usize, Row)> {
        let start = clock();
        let mut rows = Vec::new();
        while let Some((scenario, point)) = self.sweep.run(self.next) {
            let index = self.next;
            self.next += 1;
            // The sweep was validated when it was made; a run that still fails leaves a gap.
            if let Ok(mut engine) = Engine::new(scenario) {
                rows.push((index, Row::new(point, &engine.run())));
            }
            if clock() - start >= budget_ms {
                break;
            }
        }
        rows
    }

    /// Whether every run has been made.
    pub fn done(&self) -> bool {
        self.next >= self.sweep.len()
    }
}

#[cfg(test)]
mod tests {
    use lbcore::sweep::csv_with;
    use lbcore::{Algorithm, Scenario};

    use super::*;
    use crate::experiments::plan;

    #[test]
    fn slices_cover_every_run_once_in_order_and_match_a_plain_run() {
        let scenario = Scenario { servers: 4, seed: 3, ..Scenario::default() };
        let second = Some(("retries".to_string(), "0,2".to_string()));
        let sweep = plan::sweep(&scenario, &[Algorithm::RoundRobin, Algorithm::PowerOfTwo], 300, &second).unwrap();
        let mut job = Job::new(sweep.clone());
        let mut rows = Vec::new();
        // A clock that moves 1 ms at each reading: every slice makes one run.
        let tick = std::cell::Cell::new(0.0);
        let clock = || {
            tick.set(tick.get() + 1.0);
            tick.get()
        };
        let mut slices = 0;
        while !job.done() {
            let slice = job.slice(1.0, &clock);
            assert!(!slice.is_empty());
            rows.extend(slice);
            slices += 1;
        }
        assert_eq!(slices, 72, "2 algorithms x 2 retries x 18 loads");
        assert!(job.slice(1.0, &clock).is_empty());
        assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), (0..72).collect::<Vec<_>>());
        let direct: Vec<Row> = (0..sweep.len())
            .map(|i| sweep.run(i).unwrap())
            .map(|(s, p)| Row::new(p, &Engine::new(s).unwrap().run()))
            .collect();
        let sliced: Vec<Row> = rows.into_iter().map(|r| r.1).collect();
        assert_eq!(csv_with(&sweep.swept(), &sliced), csv_with(&sweep.swept(), &direct));
        assert!(csv_with(&sweep.swept(), &sliced).starts_with("algo,retries,rate,"));
    }
}
