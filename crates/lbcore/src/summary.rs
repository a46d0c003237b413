//! A run's results in one serialisable value: what `lbsim run --format json` prints and
//! what the web app's metrics panel shows. A plain value: the engine fills it in
//! ([`crate::Engine::summary`]) and this module knows nothing of the engine.

use serde::Serialize;

use crate::balancer::Algorithm;
use crate::decimal::shortest;
use crate::metrics::Imbalance;
use crate::server::Health;

/// One server's results.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServerSummary {
    /// Its name.
    pub name: String,
    /// Its health at the end.
    pub health: Health,
    /// Its weight.
    pub weight: u32,
    /// Its speed.
    pub speed: f64,
    /// Requests it completed, of those that arrived in the window.
    pub completed: u64,
    /// Attempts it answered with an error (an `errors` fault), of those that arrived in the
    /// window: an erring server completes nothing, and this says what it did instead.
    pub errors: u64,
    /// Fraction of worker time busy.
    pub utilization: f64,
    /// Time-averaged connections.
    pub mean_connections: f64,
    /// Most connections at once.
    pub max_connections: u32,
    /// Connections at the end.
    pub connections: u32,
}

/// The results of a run, over the measurement window (after warm-up). Requests count by
/// their arrival: `arrived = cache_hits + completed + rejected + failed + timed_out +
/// breaker_refused + in_system` ([`Summary::accounted`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// The algorithm at the end.
    pub algo: Algorithm,
    /// Simulated seconds measured (after warm-up).
    pub duration_s: f64,
    /// Requests that arrived.
    pub arrived: u64,
    /// Completed by servers.
    pub completed: u64,
    /// Rejected (no eligible server or a full queue).
    pub rejected: u64,
    /// Failed on a failed server (after their retries).
    pub failed: u64,
    /// Served by a cache.
    pub cache_hits: u64,
    /// Whose client stopped waiting for their last attempt (after their retries).
    pub timed_out: u64,
    /// Refused at once by a circuit breaker (`max-pending`, `max-requests`), never retried.
    pub breaker_refused: u64,
    /// Retries: attempts after a request's first.
    pub retried: u64,
    /// Retries a retry budget refused (the request ended with its last attempt's error).
    pub budget_refused: u64,
    /// Hedges: second copies of a request still unanswered, sent to another server.
    pub hedged: u64,
    /// Attempts taken off their server when their client stopped waiting (timed out, or a
    /// hedge's losing copy).
    pub cancelled: u64,
    /// Attempts given to servers.
    pub attempts: u64,
    /// Attempts per request that arrived (0 when none arrived).
    pub amplification: f64,
    /// In flight at the end (held by a server or waiting to retry), of the requests that
    /// arrived in the window.
    pub in_system: u64,
    /// Mean response time of completed requests and cache hits, seconds.
    pub mean_response_s: f64,
    /// Median response time, seconds.
    pub p50_response_s: f64,
    /// 95th percentile, seconds.
    pub p95_response_s: f64,
    /// 99th percentile, seconds.
    pub p99_response_s: f64,
    /// Longest response, seconds.
    pub max_response_s: f64,
    /// Answers per simulated second: every answer a server sent (whether its client still
    /// waited or not) and every cache hit.
    pub throughput_rps: f64,
    /// Requests answered while their client waited (completed and cache hits) per simulated
    /// second: the throughput less the answers nobody waited for.
    pub goodput_rps: f64,
    /// Worker seconds spent on attempts nobody waited for: served after their client stopped
    /// waiting, cancelled, or lost when their server failed.
    pub wasted_s: f64,
    /// Cache hits over cache lookups, in the window.
    pub cache_hit_ratio: f64,
    /// Imbalance of time-averaged connections across servers.
    pub imbalance: Imbalance,
    /// Per server, in server order.
    pub servers: Vec<ServerSummary>,
}

// === CSV ===

/// How a CSV column reads its cell from a summary.
pub type CsvCell = fn(&Summary) -> String;

/// The columns of a run's CSV (`lbsim run --format csv`, the web app's metrics download),
/// in order: each name and how to read it from a summary. Seconds and plain numbers, each
/// the shortest text that reads back to the same double.
pub const CSV_COLUMNS: [(&str, CsvCell); 28] = [
    ("algo", |s| s.algo.to_string()),
    ("duration_s", |s| shortest(s.duration_s)),
    ("arrived", |s| s.arrived.to_string()),
    ("completed", |s| s.completed.to_string()),
    ("rejected", |s| s.rejected.to_string()),
    ("failed", |s| s.failed.to_string()),
    ("cache_hits", |s| s.cache_hits.to_string()),
    ("timed_out", |s| s.timed_out.to_string()),
    ("breaker_refused", |s| s.breaker_refused.to_string()),
    ("retried", |s| s.retried.to_string()),
    ("budget_refused", |s| s.budget_refused.to_string()),
    ("hedged", |s| s.hedged.to_string()),
    ("cancelled", |s| s.cancelled.to_string()),
    ("attempts", |s| s.attempts.to_string()),
    ("amplification", |s| shortest(s.amplification)),
    ("in_system", |s| s.in_system.to_string()),
    ("mean_response_s", |s| shortest(s.mean_response_s)),
    ("p50_response_s", |s| shortest(s.p50_response_s)),
    ("p95_response_s", |s| shortest(s.p95_response_s)),
    ("p99_response_s", |s| shortest(s.p99_response_s)),
    ("max_response_s", |s| shortest(s.max_response_s)),
    ("throughput_rps", |s| shortest(s.throughput_rps)),
    ("goodput_rps", |s| shortest(s.goodput_rps)),
    ("wasted_s", |s| shortest(s.wasted_s)),
    ("cache_hit_ratio", |s| shortest(s.cache_hit_ratio)),
    ("max_over_mean", |s| shortest(s.imbalance.max_over_mean)),
    ("cv", |s| shortest(s.imbalance.cv)),
    ("jain", |s| shortest(s.imbalance.jain)),
];

impl Summary {
    /// The requests accounted for by their fates: settled (cache hits, completed, rejected,
    /// failed, timed out, refused by a breaker) or in flight. Always `arrived`.
    pub fn accounted(&self) -> u64 {
        self.cache_hits
            + self.completed
            + self.rejected
            + self.failed
            + self.timed_out
            + self.breaker_refused
            + self.in_system
    }

    /// The CSV header line, without its line end: the names of [`CSV_COLUMNS`].
    pub fn csv_header() -> String {
        CSV_COLUMNS.iter().map(|(name, _)| *name).collect::<Vec<_>>().join(",")
    }

    /// This summary as a CSV line under [`Summary::csv_header`], without its line end.
    pub fn csv_row(&self) -> String {
        CSV_COLUMNS.iter().map(|(_, cell)| cell(self)).collect::<Vec<_>>().join(",")
    }
}
