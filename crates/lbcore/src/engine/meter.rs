//! The meter: what the engine counts while it runs. Counters since the start and over the
//! measurement window (from the end of warm-up), response times, the live time series and
//! the log of explained decisions; and the run's [`Summary`] read from them.

use std::collections::VecDeque;

use serde::Serialize;

use super::Engine;
use crate::balancer::Decision;
use crate::metrics::{Counters, Imbalance, ResponseTimes, Series};
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
    /// Response times in the window.
    pub responses: ResponseTimes,
    /// The live time series, if enabled.
    pub series: Option<Series>,
    /// The last explained decisions, oldest first.
    pub log: VecDeque<LoggedDecision>,
    /// How many decisions the log keeps (0: none).
    pub log_capacity: usize,
}

impl Meter {
    /// Applies `f` to the run's counters and the window's.
    pub fn count(&mut self, f: impl Fn(&mut Counters)) {
        f(&mut self.totals);
        f(&mut self.window);
    }

    /// Records a response time (a completion or a cache hit).
    pub fn record_response(&mut self, response: Nanos) {
        self.responses.record(response);
        if let Some(series) = &mut self.series {
            series.note_response(response);
        }
    }

    /// Starts a new measurement window at `now`.
    pub fn start_window(&mut self, now: Nanos) {
        self.window = Counters::default();
        self.window_start = now;
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

    /// Keeps at most `capacity` decisions.
    pub fn keep_decisions(&mut self, capacity: usize) {
        self.log_capacity = capacity;
        while self.log.len() > capacity {
            self.log.pop_front();
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
        self.meter.start_window(now);
    }

    /// Takes a time-series sample now and schedules the next.
    pub(super) fn sample(&mut self) {
        let connections = self.servers.iter().map(|s| (s.id, s.connections())).collect();
        if let Some(series) = &mut self.meter.series {
            series.push(self.now, connections);
            let next = self.now + series.period;
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
                utilization: s.utilization(now, elapsed),
                mean_connections: s.mean_connections(now, elapsed),
                max_connections: s.stats.max_connections,
                connections: s.connections(),
            })
            .collect();
        let loads: Vec<f64> = servers.iter().map(|s| s.mean_connections).collect();
        let secs = to_secs(elapsed);
        Summary {
            algo: self.scenario.algo,
            duration_s: secs,
            arrived: c.arrived,
            completed: c.completed,
            rejected: c.rejected,
            failed: c.failed,
            cache_hits: c.cache_hits,
            retried: c.retried,
            in_system: self.in_system,
            mean_response_s: r.mean_s(),
            p50_response_s: r.quantile_s(0.50),
            p95_response_s: r.quantile_s(0.95),
            p99_response_s: r.quantile_s(0.99),
            max_response_s: r.max_s(),
            throughput_rps: if secs > 0.0 { (c.completed + c.cache_hits) as f64 / secs } else { 0.0 },
            cache_hit_ratio: self.cache_hit_ratio(),
            imbalance: Imbalance::of(&loads),
            servers,
        }
    }
}
