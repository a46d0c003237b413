//! A sweep's runs shared out among a pool of Web Workers. [`Handout`] is the queue: runs go
//! out in the plan's order, each worker holding at most [`DEPTH`] at a time and handed the
//! next as each comes back, so that every worker stays busy however much each run costs (the
//! high loads cost the most), as `lbsim sweep --jobs K` shares runs among its threads
//! (`lbcore::race::on_threads`). Rows come back by run index and the CSV is written in the
//! plan's order, so it is the same bytes whatever the number of workers. [`Pace`] is how fast
//! the pool went, measured.

/// The most workers a sweep runs on.
pub const MAX_WORKERS: usize = 8;

/// Runs a worker holds at once: the one it is making and the next, so that it never waits
/// for the page's answer between runs; no more, so that at the end no worker sits on runs
/// another, idle, could make.
pub const DEPTH: usize = 2;

/// The workers a sweep runs on unless the reader says otherwise: one per core but the one the
/// page's own chart needs (`navigator.hardwareConcurrency - 1`), 1 to [`MAX_WORKERS`].
pub fn default_workers(hardware_concurrency: f64) -> usize {
    // (NaN, when the browser does not say, is no core: one worker)
    let cores = if hardware_concurrency >= 1.0 { hardware_concurrency.min(1e6) as usize } else { 1 };
    cores.saturating_sub(1).clamp(1, MAX_WORKERS)
}

/// Which runs are still to hand out, and how many each worker holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Handout {
    runs: usize,
    next: usize,
    held: Vec<usize>,
    returned: usize,
}

impl Handout {
    /// The handout of `runs` runs among `workers` workers (at least one).
    pub fn new(runs: usize, workers: usize) -> Handout {
        Handout { runs, next: 0, held: vec![0; workers.max(1)], returned: 0 }
    }

    /// The runs to send `worker` now: the next in the plan's order, up to [`DEPTH`] held.
    pub fn fill(&mut self, worker: usize) -> Vec<usize> {
        let Some(held) = self.held.get_mut(worker) else { return Vec::new() };
        let take = DEPTH.saturating_sub(*held).min(self.runs - self.next);
        let runs: Vec<usize> = (self.next..self.next + take).collect();
        self.next += take;
        *held += take;
        runs
    }

    /// `worker` has sent back one of its runs.
    pub fn returned(&mut self, worker: usize) {
        if let Some(held) = self.held.get_mut(worker).filter(|h| **h > 0) {
            *held -= 1;
            self.returned += 1;
        }
    }

    /// How many runs `worker` holds.
    pub fn held(&self, worker: usize) -> usize {
        self.held.get(worker).copied().unwrap_or(0)
    }

    /// Whether every run has been handed out and come back.
    pub fn finished(&self) -> bool {
        self.returned >= self.runs
    }
}

/// How fast a sweep goes: runs made and the time they took, each in its own worker, against
/// the wall-clock time since it started.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Pace {
    /// Runs made.
    pub runs: usize,
    /// The runs' own times added up, in milliseconds.
    pub busy_ms: f64,
    /// Wall-clock milliseconds since the sweep started.
    pub wall_ms: f64,
}

impl Pace {
    /// Runs made a second of wall-clock time.
    pub fn runs_per_s(self) -> f64 {
        if self.wall_ms > 0.0 { self.runs as f64 * 1e3 / self.wall_ms } else { 0.0 }
    }

    /// How many runs were being made at once, on average: the runs' own times added up over
    /// the wall time. With a core for each worker it is the speed-up over one worker; on a
    /// machine whose cores are busy with other work the runs themselves take longer, and it is
    /// only how many workers kept at it.
    pub fn at_once(self) -> f64 {
        if self.wall_ms > 0.0 { self.busy_ms / self.wall_ms } else { 0.0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_worker_per_core_but_the_pages_own_at_most_eight() {
        let pairs = [(f64::NAN, 1), (0.0, 1), (1.0, 1), (2.0, 1), (3.0, 2), (4.0, 3), (9.0, 8), (64.0, 8)];
        for (cores, workers) in pairs {
            assert_eq!(default_workers(cores), workers, "{cores} cores");
        }
    }

    #[test]
    fn every_run_goes_out_once_in_order_and_no_worker_holds_more_than_two() {
        // Two workers, 5 runs: each starts with 2, and the one that answers first gets the next.
        let mut h = Handout::new(5, 2);
        assert_eq!(h.fill(0), [0, 1]);
        assert_eq!(h.fill(1), [2, 3]);
        assert_eq!(h.fill(0), Vec::<usize>::new(), "worker 0 holds 2 already");
        h.returned(1);
        assert_eq!(h.fill(1), [4]);
        assert_eq!(h.fill(0), Vec::<usize>::new(), "nothing left");
        for w in [0, 0, 1, 1] {
            assert!(!h.finished());
            h.returned(w);
        }
        assert!(h.finished());
        assert_eq!((h.held(0), h.held(1)), (0, 0));
        // A worker that returns more than it held, or one that does not exist, changes nothing.
        h.returned(0);
        h.returned(7);
        assert_eq!(h.fill(7), Vec::<usize>::new());
        assert!(h.finished());
    }

    #[test]
    fn a_slow_worker_gets_fewer_runs() {
        // Worker 1 takes three times as long a run as worker 0: with the queue each takes the
        // next as it finishes, so worker 0 makes about three runs in four.
        let mut h = Handout::new(40, 2);
        let mut clock = [0u32; 2];
        let mut made = [0usize; 2];
        let mut queues: [Vec<usize>; 2] = [h.fill(0), h.fill(1)];
        while !h.finished() {
            // (the worker whose run ends first: worker 0's at clock + 1, worker 1's at clock + 3)
            let next_end = [clock[0] + 1, clock[1] + 3];
            let w = if queues[1].is_empty() || (!queues[0].is_empty() && next_end[0] <= next_end[1]) { 0 } else { 1 };
            clock[w] += [1, 3][w];
            queues[w].remove(0);
            made[w] += 1;
            h.returned(w);
            queues[w].extend(h.fill(w));
        }
        assert_eq!(made[0] + made[1], 40);
        assert!((29..=31).contains(&made[0]), "the fast worker made {} of 40", made[0]);
    }

    #[test]
    fn the_pace_is_runs_over_wall_time_and_busy_over_wall_time() {
        let pace = Pace { runs: 54, busy_ms: 6_000.0, wall_ms: 3_000.0 };
        assert_eq!(pace.runs_per_s(), 18.0);
        assert_eq!(pace.at_once(), 2.0);
        assert_eq!(Pace::default().at_once(), 0.0);
    }
}
