//! What the engine counts and measures: request counters, response times (a histogram for
//! percentiles and an exact sum for the mean), imbalance across servers, and a bounded
//! time series of connections per server and the p95 of the latest responses for the live
//! charts.

use std::collections::VecDeque;

use serde::Serialize;

use crate::server::ServerId;
use crate::tally::{TOP, Tally};
use crate::time::{Nanos, to_secs};

/// Where requests went, by their fates (see [`crate::engine::life`]), and what their
/// attempts cost: `arrived = cache_hits + completed + rejected + failed + timed_out + refused
/// + in flight`, the sum written once, in [`Counters::in_flight`].
///
/// The window's counters count a request by its arrival: one that arrived before the window
/// opened is not counted when it completes, fails or is retried in the window, so the
/// balance holds over the window too (with the requests of the window still in flight).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counters {
    /// Requests that arrived at the balancer (retries are not new arrivals).
    pub arrived: u64,
    /// Served by a cache without a server.
    pub cache_hits: u64,
    /// Answered by a server while their client waited.
    pub completed: u64,
    /// Turned away: no eligible server, or the chosen server's queue was full.
    pub rejected: u64,
    /// Lost to a failed server (after their retries, if any).
    pub failed: u64,
    /// Whose client stopped waiting for their last attempt (after their retries, if any).
    pub timed_out: u64,
    /// Refused at once by a circuit breaker (`max-pending`, `max-requests`): the summary's
    /// `breaker_refused`.
    pub refused: u64,
    /// Retries: attempts after the first, sent after a failure or a timeout.
    pub retried: u64,
    /// Retries a retry budget refused (Envoy's or Finagle's): each ended its request with its
    /// last attempt's fate.
    pub budget_refused: u64,
    /// Hedges: second copies of a request still unanswered, sent to another server.
    pub hedged: u64,
    /// Attempts given to a server (failing there, answered by its cache, queued, started or
    /// turned away by its full queue).
    pub attempts: u64,
    /// Attempts a server finished, whether or not their client still waited.
    pub served: u64,
    /// Attempts taken off their server when their client stopped waiting (timed out, or a
    /// hedge's losing copy).
    pub cancelled: u64,
    /// Worker time, in nanoseconds, spent on attempts nobody waited for: served to the end
    /// after their client stopped waiting, or until they were cancelled or their server
    /// failed.
    pub wasted_ns: u128,
    /// Cache lookups (a request may be looked up twice: on a server, then on its retry).
    pub cache_lookups: u64,
}

impl Counters {
    /// Cache hits over cache lookups, 0 with no lookup.
    pub fn cache_hit_ratio(&self) -> f64 {
        if self.cache_lookups == 0 { 0.0 } else { self.cache_hits as f64 / self.cache_lookups as f64 }
    }

    /// Requests settled: every fate but in flight.
    pub fn settled(&self) -> u64 {
        self.cache_hits + self.completed + self.rejected + self.failed + self.timed_out + self.refused
    }

    /// Requests in flight: those that arrived and have no other fate yet. The one place the
    /// accounting's sum is written; `None` if more were settled than arrived (a broken count).
    pub fn checked_in_flight(&self) -> Option<u64> {
        self.arrived.checked_sub(self.settled())
    }

    /// Requests in flight (see [`Counters::checked_in_flight`]).
    pub fn in_flight(&self) -> u64 {
        self.checked_in_flight().unwrap_or(0)
    }
}

/// Longest response the percentiles tell apart, in seconds: 100 hours. The histogram counts
/// from 1 µs to this at 3 significant digits; a longer response counts as this long, so a
/// percentile is at most this (the mean and the max are exact).
pub const PERCENTILE_MAX_S: f64 = (TOP / 1_000_000) as f64;

/// Response times, in microseconds, with percentiles and an exact mean.
#[derive(Clone, Debug, Default)]
pub struct ResponseTimes {
    /// 1 µs to 100 hours at 3 significant digits; larger values are clamped.
    histogram: Tally,
    sum_ns: u128,
    count: u64,
    max_ns: Nanos,
}

impl ResponseTimes {
    /// Records one response time.
    #[inline]
    pub fn record(&mut self, ns: Nanos) {
        self.histogram.record((ns / 1_000).max(1));
        self.sum_ns += ns as u128;
        self.count += 1;
        self.max_ns = self.max_ns.max(ns);
    }

    /// Responses recorded.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Exact mean in seconds (0 when empty).
    pub fn mean_s(&self) -> f64 {
        if self.count == 0 { 0.0 } else { self.sum_ns as f64 / self.count as f64 / 1e9 }
    }

    /// The `q` quantile (0 to 1) in seconds, to 3 significant digits (0 when empty), at most
    /// [`PERCENTILE_MAX_S`]: the histogram's last bucket reaches a little past it, and what is
    /// past it is not known.
    pub fn quantile_s(&self, q: f64) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            (self.histogram.histogram().value_at_quantile(q) as f64 / 1e6).min(PERCENTILE_MAX_S)
        }
    }

    /// Longest response in seconds.
    pub fn max_s(&self) -> f64 {
        to_secs(self.max_ns)
    }

    /// Forgets everything (the end of warm-up).
    pub fn reset(&mut self) {
        self.histogram.reset();
        self.sum_ns = 0;
        self.count = 0;
        self.max_ns = 0;
    }
}

/// How unevenly load is spread over servers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Imbalance {
    /// The most loaded server's load over the mean (1 is perfectly even).
    pub max_over_mean: f64,
    /// Coefficient of variation: standard deviation over mean (0 is perfectly even).
    pub cv: f64,
    /// Jain's fairness index, (sum x)^2 / (n sum x^2): 1 is perfectly even, 1/n is all on one.
    pub jain: f64,
}

impl Imbalance {
    /// The imbalance of `loads`; all zero loads count as perfectly even.
    pub fn of(loads: &[f64]) -> Imbalance {
        let n = loads.len() as f64;
        let sum: f64 = loads.iter().sum();
        if loads.is_empty() || sum <= 0.0 {
            return Imbalance { max_over_mean: 1.0, cv: 0.0, jain: 1.0 };
        }
        let mean = sum / n;
        let max = loads.iter().copied().fold(f64::MIN, f64::max);
        let sum_sq: f64 = loads.iter().map(|x| x * x).sum();
        let var = (sum_sq / n - mean * mean).max(0.0);
        Imbalance { max_over_mean: max / mean, cv: var.sqrt() / mean, jain: sum * sum / (n * sum_sq) }
    }
}

/// How many of the latest responses the live series' p95 is taken over: enough that the p95
/// is a figure (the 11th longest of 200) and not the longest of a handful, which made the
/// quarter-second windows of a few requests saw-tooth; few enough to follow a change within
/// seconds at the lab's usual rates.
pub const P95_OF_LAST: usize = 200;

/// One point of the live time series.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sample {
    /// When it was taken.
    pub at: Nanos,
    /// Connections per server at that moment.
    pub connections: Vec<(ServerId, u32)>,
    /// p95 response time, in seconds, of the last [`P95_OF_LAST`] responses (completions and
    /// cache hits) before this sample, or of all of them while fewer have come; `None` before
    /// the first.
    pub p95_s: Option<f64>,
    /// How many responses that p95 is of: [`P95_OF_LAST`] once that many have come.
    pub p95_of: u32,
    /// Answers sent since the start of the run, at that moment: every attempt a server
    /// finished, whether its client still waited or not, and every cache hit (the count
    /// behind throughput; rates are differences between samples).
    pub served: u64,
    /// Answers a client still waited for since the start of the run, at that moment:
    /// requests answered by a server or a cache (the count behind goodput).
    pub answered: u64,
}

/// A bounded ring buffer of samples taken every `period`.
#[derive(Clone, Debug)]
pub struct Series {
    /// Time between samples.
    pub period: Nanos,
    capacity: usize,
    samples: VecDeque<Sample>,
    /// The latest response times, for each sample's p95.
    recent: LastResponses,
}

/// The last [`P95_OF_LAST`] response times, in a ring: recording one is O(1), and the p95 keeps
/// the [`LastResponses::TOP`] longest in one pass, at most 200 x 11 comparisons, whatever the
/// times are (no sort or selection of the standard library's: the release wasm's, built for
/// size, selects by median of medians, which was super-quadratic on equal times).
#[derive(Clone, Debug, Default)]
struct LastResponses {
    times: Vec<Nanos>,
    /// Where the next time goes once the ring is full.
    next: usize,
}

impl LastResponses {
    /// The most times the p95 keeps: the nearest-rank p95 of n times is the
    /// (n - ceil(0.95 n) + 1)-th longest, 11 for 200.
    const TOP: usize = P95_OF_LAST - (95 * P95_OF_LAST).div_ceil(100) + 1;

    #[inline]
    fn record(&mut self, ns: Nanos) {
        if self.times.len() < P95_OF_LAST {
            self.times.push(ns);
        } else {
            self.times[self.next] = ns;
            self.next = (self.next + 1) % P95_OF_LAST;
        }
    }

    /// The nearest-rank p95 of the times held, in seconds, and how many they are.
    fn p95(&self) -> (Option<f64>, u32) {
        let n = self.times.len();
        (self.p95_ns().map(|ns| to_secs(ns).min(PERCENTILE_MAX_S)), n as u32)
    }

    /// The nearest-rank p95 of the times held, `None` when none is.
    fn p95_ns(&self) -> Option<Nanos> {
        let n = self.times.len();
        if n == 0 {
            return None;
        }
        let k = n - (95 * n).div_ceil(100) + 1;
        // the k longest, longest first
        let mut top = [0 as Nanos; Self::TOP];
        let mut held = 0;
        for &t in &self.times {
            if held == k && t <= top[k - 1] {
                continue;
            }
            let mut i = held.min(k - 1);
            while i > 0 && top[i - 1] < t {
                top[i] = top[i - 1];
                i -= 1;
            }
            top[i] = t;
            held = (held + 1).min(k);
        }
        Some(top[k - 1])
    }
}

/// The running p95 of response time that `hedge-after=p95` waits for: the nearest-rank p95 of
/// the last [`P95_OF_LAST`] responses (completions and cache hits), as the live chart's, worked
/// out again after every [`RunningP95::REFRESH`] responses (each time is at most 200 x 11
/// comparisons, so a request costs about 220 of them), and none until
/// [`RunningP95::AT_LEAST`] have come.
#[derive(Clone, Debug, Default)]
pub struct RunningP95 {
    recent: LastResponses,
    /// The p95 last worked out.
    p95: Option<Nanos>,
    /// Responses recorded since.
    since: u32,
}

impl RunningP95 {
    /// Fewest responses the p95 is taken of: the nearest-rank p95 of 20 is their second
    /// longest; of fewer, the longest, which one slow start would set.
    pub const AT_LEAST: usize = 20;
    /// Responses between two workings-out.
    pub const REFRESH: u32 = 10;

    /// Notes a response time.
    #[inline]
    pub fn record(&mut self, ns: Nanos) {
        self.recent.record(ns);
        self.since += 1;
    }

    /// The p95 of the latest responses, `None` while fewer than [`RunningP95::AT_LEAST`] have
    /// come.
    pub fn get(&mut self) -> Option<Nanos> {
        let n = self.recent.times.len();
        if self.since >= Self::REFRESH || (self.since > 0 && n < P95_OF_LAST) {
            self.p95 = self.recent.p95_ns();
            self.since = 0;
        }
        if n < Self::AT_LEAST { None } else { self.p95 }
    }
}

impl Series {
    /// A series of at most `capacity` samples, one every `period`.
    pub fn new(period: Nanos, capacity: usize) -> Self {
        Series {
            period: period.max(1),
            capacity: capacity.max(1),
            samples: VecDeque::new(),
            recent: LastResponses::default(),
        }
    }

    /// Notes a response time for the next samples' p95.
    #[inline]
    pub fn note_response(&mut self, ns: Nanos) {
        self.recent.record(ns);
    }

    /// Pushes a sample with the p95 of the latest responses and the run's answers so far
    /// (`served`, `answered`: see [`Sample`]), dropping the oldest when full.
    pub fn push(&mut self, at: Nanos, connections: Vec<(ServerId, u32)>, served: u64, answered: u64) {
        let (p95_s, p95_of) = self.recent.p95();
        if self.samples.len() == self.capacity {
            self.samples.pop_front();
        }
        self.samples.push_back(Sample { at, connections, p95_s, p95_of, served, answered });
    }

    /// The samples, oldest first.
    pub fn samples(&self) -> &VecDeque<Sample> {
        &self.samples
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imbalance_of_even_and_skewed_loads() {
        let even = Imbalance::of(&[2.0, 2.0, 2.0, 2.0]);
        assert_eq!(even, Imbalance { max_over_mean: 1.0, cv: 0.0, jain: 1.0 });
        let one = Imbalance::of(&[4.0, 0.0, 0.0, 0.0]);
        assert_eq!(one.max_over_mean, 4.0);
        assert!((one.jain - 0.25).abs() < 1e-12);
        assert!((one.cv - 3f64.sqrt()).abs() < 1e-12);
        assert_eq!(Imbalance::of(&[]).jain, 1.0);
    }

    #[test]
    fn response_times_mean_and_percentiles() {
        let mut r = ResponseTimes::default();
        for ms in 1..=100u64 {
            r.record(ms * 1_000_000);
        }
        assert!((r.mean_s() - 0.0505).abs() < 1e-12);
        assert!((r.quantile_s(0.5) - 0.050).abs() < 0.0001, "{}", r.quantile_s(0.5));
        assert!((r.quantile_s(0.99) - 0.099).abs() < 0.0001, "{}", r.quantile_s(0.99));
        assert_eq!(r.max_s(), 0.1);
        r.reset();
        assert_eq!((r.count(), r.mean_s()), (0, 0.0));
    }

    #[test]
    fn series_is_bounded_and_takes_the_p95_of_the_latest_responses() {
        let mut s = Series::new(10, 3);
        for t in 0..5u64 {
            s.push(t * 10, vec![(ServerId(0), t as u32)], 0, 0);
        }
        assert_eq!(s.samples().len(), 3);
        assert_eq!(s.samples()[0].at, 20);
        assert_eq!((s.samples()[2].p95_s, s.samples()[2].p95_of), (None, 0), "no response yet");
        // 20 responses, 1 to 20 ms: the nearest-rank p95 is the 19th, 19 ms, exactly
        for ms in 1..=20u64 {
            s.note_response(ms * 1_000_000);
        }
        s.push(50, vec![], 0, 0);
        assert_eq!((s.samples()[2].p95_s, s.samples()[2].p95_of), (Some(0.019), 20));
        // no response since: the same 20, the same p95 (not a gap)
        s.push(60, vec![], 0, 0);
        assert_eq!((s.samples()[2].p95_s, s.samples()[2].p95_of), (Some(0.019), 20));
    }

    /// The p95 against a sort's nearest rank, for every count up to past the ring's size, on
    /// times with many equal values, and the ring keeping only the latest P95_OF_LAST.
    #[test]
    fn the_p95_is_the_nearest_rank_of_the_last_responses() {
        let mut r = LastResponses::default();
        let mut all = Vec::new();
        for i in 0..(3 * P95_OF_LAST as u64) {
            let ns = (i * i * 7919) % 37 * 1_000_000 + 1_000;
            r.record(ns);
            all.push(ns);
            let mut last: Vec<u64> = all[all.len().saturating_sub(P95_OF_LAST)..].to_vec();
            last.sort_unstable();
            let want = last[(95 * last.len()).div_ceil(100) - 1];
            assert_eq!(r.p95(), (Some(to_secs(want)), last.len() as u32), "after {} responses", all.len());
        }
    }

    /// A million equal responses and a p95: the work is the ring's, not the responses'.
    #[test]
    fn the_p95s_work_does_not_grow_with_the_responses() {
        let mut s = Series::new(10, 4);
        let start = std::time::Instant::now();
        for _ in 0..1_000_000 {
            s.note_response(1_000_000);
        }
        s.push(20, vec![], 0, 0);
        // a million records and one p95: milliseconds; 2 s is a bound no machine misses that is
        // not stuck in super-linear work
        assert!(start.elapsed().as_secs_f64() < 2.0, "{:?}", start.elapsed());
        assert_eq!((s.samples()[0].p95_s, s.samples()[0].p95_of), (Some(0.001), P95_OF_LAST as u32));
    }
}
