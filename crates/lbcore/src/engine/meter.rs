//! The meter: what the engine counts while it runs. Counters since the start and over the
//! measurement window (from the end of warm-up), response times, the live time series and
//! the log of explained decisions; and the run's [`Summary`] read from them.

use std::collections::VecDeque;
use std::sync::Arc;

use serde::Serialize;

use super::Engine;
use crate::balancer::Decision;
use crate::metrics::{Counters, Imbalance, ResponseTimes, RunningP95, Series};
use crate::summary::{ServerSummary, Summary};
use crate::time::{Nanos, to_secs};

/// A decision in the log, with when it was made and for which request.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LoggedDecision {
    /// Simulated time of the decision.
    pub at: Nanos,
    /// The request's sequence number.
    pub request: u64,
    /// What was decided and why.
    pub decision: Decision,
}

/// Counters, response times, the series and the decision log.
#[derive(Debug, Default)]
pub(super) struct Meter {
    /// Since the start of the run.
    pub totals: Counters,
    /// Since `window_start`.
    pub window: Counters,
    /// When the measurement window began (the end of warm-up, or 0).
    pub window_start: Nanos,
    /// The sequence number of the first request that arrived in the window.
    pub window_first: u64,
    /// Response times in the window.
    pub responses: ResponseTimes,
    /// The live time series, if enabled.
    pub series: Option<Series>,
    /// The running p95 hedges wait for, kept from the first hedge with `hedge-after=p95`.
    pub running_p95: Option<RunningP95>,
    /// The last explained decisions, oldest first.
    pub log: VecDeque<LoggedDecision>,
    /// How many decisions the log keeps (0: none); as many notices are kept.
    pub log_capacity: usize,
    /// The last notices, oldest first: health checks seeing a server change, clients giving
    /// up on attempts, retries waiting out their backoff.
    pub notices: VecDeque<Notice>,
}

/// What the log notes besides routing decisions: a health check seeing a server change, and
/// the transitions of a request's life a learner should see (a client giving up on an
/// attempt, a retry waiting out its backoff). In words by its `Display`
/// ([`crate::words`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    /// Simulated time.
    pub at: Nanos,
    /// The server it concerns (the one checked, or the one the attempt was on).
    pub server: Arc<str>,
    /// What happened.
    pub what: Noticed,
}

/// What a [`Notice`] notes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Noticed {
    /// A health check saw the server down (`true`) or up again.
    Health {
        /// Seen down, or up again.
        down: bool,
    },
    /// A request's client stopped waiting for its attempt on the server.
    TimedOut {
        /// The request's sequence number.
        request: u64,
        /// Whether the attempt was taken off the server (else the server finishes it, wasted).
        cancelled: bool,
    },
    /// A request whose attempt on the server failed or timed out waits this long before its
    /// retry.
    Backoff {
        /// The request's sequence number.
        request: u64,
        /// The wait, in seconds.
        wait_s: f64,
    },
    /// A request still unanswered on the server got a hedge: a copy sent to another server.
    Hedged {
        /// The request's sequence number.
        request: u64,
    },
    /// A scheduled fault on the server starts (`starts`) or ends.
    Fault {
        /// What the fault does.
        kind: crate::scenario::FaultKind,
        /// Whether it starts now (else it ends).
        starts: bool,
    },
}

impl Meter {
    /// Whether request number `request` arrived in the window (by sequence number, so that
    /// a request arriving at the very nanosecond the window opens is never ambiguous).
    pub fn in_window(&self, request: u64) -> bool {
        request >= self.window_first
    }

    /// Applies `f` to the run's counters, and to the window's if request number `request`
    /// (the one being counted) arrived in the window.
    pub fn count(&mut self, request: u64, f: impl Fn(&mut Counters)) {
        f(&mut self.totals);
        if self.in_window(request) {
            f(&mut self.window);
        }
    }

    /// Records the response time (a completion or a cache hit) of request number `request`:
    /// in the window's response times if it arrived in the window, and in the live series
    /// whatever its arrival.
    #[inline]
    pub fn record_response(&mut self, request: u64, response: Nanos) {
        if self.in_window(request) {
            self.responses.record(response);
        }
        if let Some(series) = &mut self.series {
            series.note_response(response);
        }
        if let Some(p95) = &mut self.running_p95 {
            p95.record(response);
        }
    }

    /// Starts a new measurement window at `now`, with request number `first` the first in it.
    pub fn start_window(&mut self, now: Nanos, first: u64) {
        self.window = Counters::default();
        self.window_start = now;
        self.window_first = first;
        self.responses.reset();
    }

    /// Logs `decision` (if any, and if the log is on) and hands it back.
    pub fn note(&mut self, at: Nanos, request: u64, decision: Option<Decision>) -> Option<Decision> {
        let d = decision?;
        if self.log_capacity > 0 {
            if self.log.len() == self.log_capacity {
                self.log.pop_front();
            }
            self.log.push_back(LoggedDecision { at, request, decision: d.clone() });
        }
        Some(d)
    }

    /// Keeps at most `capacity` decisions (and notices).
    pub fn keep_decisions(&mut self, capacity: usize) {
        self.log_capacity = capacity;
        while self.log.len() > capacity {
            self.log.pop_front();
        }
        while self.notices.len() > capacity {
            self.notices.pop_front();
        }
    }

    /// Logs `what` of `server` at `at`, if the log is on.
    pub fn notice(&mut self, at: Nanos, server: Arc<str>, what: Noticed) {
        if self.log_capacity > 0 {
            if self.notices.len() == self.log_capacity {
                self.notices.pop_front();
            }
            self.notices.push_back(Notice { at, server, what });
        }
    }
}

impl Engine {
    /// Starts the measurement window now: counters, response times and the servers' stats.
    pub(super) fn reset_window(&mut self) {
        let now = self.now;
        for s in &mut self.servers {
            s.account(now);
            s.stats = Default::default();
            s.stats.max_connections = s.connections();
        }
        self.meter.start_window(now, self.next_request);
    }

    /// Takes a time-series sample now and schedules the next.
    pub(super) fn sample(&mut self) {
        let connections = self.servers.iter().map(|s| (s.id, s.connections())).collect();
        let c = &self.meter.totals;
        let (served, answered) = (c.served + c.cache_hits, c.completed + c.cache_hits);
        if let Some(series) = &mut self.meter.series {
            series.push(self.now, connections, served, answered);
            let next = crate::time::after(self.now, series.period);
            self.events.schedule(next, super::events::EventKind::Sample);
        }
    }

    /// The run's results over the measurement window.
    pub(super) fn summarise(&self) -> Summary {
        let now = self.now;
        let elapsed = now.saturating_sub(self.meter.window_start);
        let c = &self.meter.window;
        let r = &self.meter.responses;
        let servers: Vec<ServerSummary> = self
            .servers
            .iter()
            .map(|s| ServerSummary {
                name: s.name.to_string(),
                health: s.health,
                weight: s.weight,
                speed: s.speed,
                completed: s.stats.completed,
                errors: s.stats.errors,
                utilization: s.utilization(now, elapsed),
                mean_connections: s.mean_connections(now, elapsed),
                max_connections: s.stats.max_connections,
                connections: s.connections(),
            })
            .collect();
        let loads: Vec<f64> = servers.iter().map(|s| s.mean_connections).collect();
        let secs = to_secs(elapsed);
        let per_second = |n: u64| if secs > 0.0 { n as f64 / secs } else { 0.0 };
        Summary {
            algo: self.scenario.algo,
            duration_s: secs,
            arrived: c.arrived,
            completed: c.completed,
            rejected: c.rejected,
            failed: c.failed,
            cache_hits: c.cache_hits,
            timed_out: c.timed_out,
            breaker_refused: c.refused,
            retried: c.retried,
            budget_refused: c.budget_refused,
            hedged: c.hedged,
            cancelled: c.cancelled,
            attempts: c.attempts,
            amplification: if c.arrived > 0 { c.attempts as f64 / c.arrived as f64 } else { 0.0 },
            in_system: c.in_flight(),
            mean_response_s: r.mean_s(),
            p50_response_s: r.quantile_s(0.50),
            p95_response_s: r.quantile_s(0.95),
            p99_response_s: r.quantile_s(0.99),
            max_response_s: r.max_s(),
            throughput_rps: per_second(c.served + c.cache_hits),
            goodput_rps: per_second(c.completed + c.cache_hits),
            wasted_s: c.wasted_ns as f64 / 1e9,
            cache_hit_ratio: c.cache_hit_ratio(),
            imbalance: Imbalance::of(&loads),
            servers,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::{CacheMode, CostDist};
    use crate::{Algorithm, Engine, Scenario};

    /// Three servers behind a shared cache of 5,000 of 50,000 Zipf keys, a 30 s warm-up.
    fn cached_run() -> Engine {
        let scenario = Scenario {
            algo: Algorithm::RoundRobin,
            servers: 3,
            queue: 1_000_000,
            rate: 1000.0,
            cost: 1e-6,
            dist: CostDist::Const,
            keys: 50_000,
            zipf: 0.7,
            cache: CacheMode::Shared,
            cache_size: 5_000,
            requests: Some(60_000),
            warmup: 30.0,
            seed: 21,
            ..Scenario::default()
        };
        let mut e = Engine::new(scenario).expect("valid");
        e.run();
        e
    }

    #[test]
    fn the_hit_ratio_is_the_windows_hits_over_its_lookups() {
        let e = cached_run();
        let s = e.summary();
        // a shared cache looks up every arrival once: the ratio is hits / arrived in the
        // window (0.340 here); counted from time 0, with a cold cache, it was 0.328
        assert!(s.arrived > 25_000, "{} arrived after the warm-up", s.arrived);
        assert_eq!(s.cache_hit_ratio, s.cache_hits as f64 / s.arrived as f64);
        assert!((s.cache_hit_ratio - 0.340).abs() < 0.0005, "{}", s.cache_hit_ratio);
    }

    #[test]
    fn the_window_counts_a_request_by_its_arrival() {
        // slow servers so that requests from the warm-up are still held when the window opens
        let scenario =
            Scenario { servers: 2, rate: 30.0, cost: 0.1, warmup: 5.0, duration: Some(20.0), ..Scenario::default() };
        let mut e = Engine::new(scenario).expect("valid");
        e.run_until(crate::time::from_secs(5.0));
        assert!(e.in_system() > 0, "requests of the warm-up are held as the window opens");
        e.run();
        let s = e.summary();
        assert_eq!(s.arrived, s.cache_hits + s.completed + s.rejected + s.failed + s.in_system, "{s:?}");
        assert!(s.completed <= s.arrived);
        assert_eq!(s.servers.iter().map(|x| x.completed).sum::<u64>(), s.completed);
        e.check_invariant().expect("balanced over the run and the window");
    }
}
