//! Runs of a sweep in progress: a queue of run indices made one simulation after another, a
//! slice of wall-clock time at a time, so that whoever drives it (a worker of the pool, or the
//! page as a fallback) can answer messages and draw between slices. The page's fallback queues
//! every run at once; a worker is handed runs a few at a time ([`super::pool`]).

use std::collections::VecDeque;

use lbcore::Engine;
use lbcore::sweep::{Row, Sweep};

/// One run made: its index in the sweep, its row or why it could not run, and the wall-clock
/// milliseconds it took.
#[derive(Clone, Debug, PartialEq)]
pub struct Made {
    /// The run's index in the sweep.
    pub index: usize,
    /// Its row, or why the engine refused its scenario.
    pub row: Result<Row, String>,
    /// How long it took, in milliseconds of the clock the slice was given.
    pub ms: f64,
}

/// A sweep and the runs queued of it.
#[derive(Debug)]
pub struct Job {
    sweep: Sweep,
    queue: VecDeque<usize>,
}

impl Job {
    /// A job with every run of `sweep` queued, in the plan's order.
    pub fn new(sweep: Sweep) -> Job {
        let queue = (0..sweep.len()).collect();
        Job { sweep, queue }
    }

    /// A job with no run queued yet: runs come with [`Job::give`].
    pub fn handed(sweep: Sweep) -> Job {
        Job { sweep, queue: VecDeque::new() }
    }

    /// Queues the runs `runs` (indices past the sweep's end are dropped).
    pub fn give(&mut self, runs: &[usize]) {
        let len = self.sweep.len();
        self.queue.extend(runs.iter().copied().filter(|&i| i < len));
    }

    /// Makes queued runs, telling `made` of each as it ends, until `budget_ms` of `clock`
    /// (milliseconds) has passed, at least one if any is queued; returns how many it made.
    pub fn slice(&mut self, budget_ms: f64, clock: &dyn Fn() -> f64, made: &mut dyn FnMut(Made)) -> usize {
        let start = clock();
        let mut count = 0;
        while let Some(index) = self.queue.pop_front() {
            let Some((scenario, point)) = self.sweep.run(index) else { continue };
            let began = clock();
            // The sweep was validated when it was made; a run that still fails is reported.
            let row = Engine::new(scenario).map(|mut engine| Row::new(point, &engine.run())).map_err(|p| p.to_string());
            made(Made { index, row, ms: clock() - began });
            count += 1;
            if clock() - start >= budget_ms {
                break;
            }
        }
        count
    }

    /// Whether no run is queued.
    pub fn done(&self) -> bool {
        self.queue.is_empty()
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
        // A clock that moves 1 ms at each reading: every slice makes one run, which took 1 ms.
        let tick = std::cell::Cell::new(0.0);
        let clock = || {
            tick.set(tick.get() + 1.0);
            tick.get()
        };
        let mut slices = 0;
        while !job.done() {
            assert_eq!(job.slice(1.0, &clock, &mut |m| rows.push(m)), 1);
            slices += 1;
        }
        assert_eq!(slices, 72, "2 algorithms x 2 retries x 18 loads");
        assert_eq!(job.slice(1.0, &clock, &mut |m| rows.push(m)), 0);
        assert_eq!(rows.iter().map(|m| m.index).collect::<Vec<_>>(), (0..72).collect::<Vec<_>>());
        assert!(rows.iter().all(|m| m.ms == 1.0));
        let direct: Vec<Row> = (0..sweep.len())
            .map(|i| sweep.run(i).unwrap())
            .map(|(s, p)| Row::new(p, &Engine::new(s).unwrap().run()))
            .collect();
        let sliced: Vec<Row> = rows.into_iter().map(|m| m.row.unwrap()).collect();
        assert_eq!(csv_with(&sweep.swept(), &sliced), csv_with(&sweep.swept(), &direct));
        assert!(csv_with(&sweep.swept(), &sliced).starts_with("algo,retries,rate,"));
    }

    #[test]
    fn a_handed_job_makes_only_the_runs_given_in_the_order_given() {
        let sweep = plan::sweep(&Scenario::default(), &[Algorithm::RoundRobin], 200, &None).unwrap();
        let mut job = Job::handed(sweep);
        assert!(job.done());
        job.give(&[5, 2, 18, 17]);
        let mut made = Vec::new();
        job.slice(f64::INFINITY, &|| 0.0, &mut |m| made.push(m.index));
        assert_eq!(made, [5, 2, 17], "18 is past the 18 loads' last index and is dropped");
        assert!(job.done());
    }
}
