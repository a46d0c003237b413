//! What the engine counts and measures: request counters, response times (a histogram for
//! percentiles and an exact sum for the mean), imbalance across servers, and a bounded
//! time series of connections per server and recent p95 for the live charts.

use std::collections::VecDeque;

use hdrhistogram::Histogram;
use serde::Serialize;

use crate::server::ServerId;
use crate::time::{Nanos, to_secs};

/// Where requests went. `arrived = cache_hits + completed + rejected + failed + in system`.
///
/// The window's counters count a request by its arrival: one that arrived before the window
/// opened is not counted when it completes, fails or is retried in the window, so the
/// balance holds over the window too (with the requests of the window still in the system).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counters {
    /// Requests that arrived at the balancer (retries are not new arrivals).
    pub arrived: u64,
    /// Served by a cache without a server.
    pub cache_hits: u64,
    /// Completed by a server.
    pub completed: u64,
    /// Turned away: no eligible server, or the chosen server's queue was full.
    pub rejected: u64,
    /// Lost to a failed server (after the retry, if retries are on).
    pub failed: u64,
    /// Retries sent to another server after a failure.
    pub retried: u64,
    /// Cache lookups (a request may be looked up twice: on a server, then on its retry).
    pub cache_lookups: u64,
}

impl Counters {
    /// Cache hits over cache lookups, 0 with no lookup.
    pub fn cache_hit_ratio(&self) -> f64 {
        if self.cache_lookups == 0 { 0.0 } else { self.cache_hits as f64 / self.cache_lookups as f64 }
    }

    /// Requests that arrived and have not left: arrived less those served, rejected or failed.
    pub fn in_system(&self) -> u64 {
        self.arrived - (self.cache_hits + self.completed + self.rejected + self.failed)
    }
}

/// Longest response the percentiles tell apart, in seconds: 100 hours. The histogram counts
/// from 1 µs to this at 3 significant digits; a longer response counts as this long, so a
/// percentile is at most this (the mean and the max are exact).
pub const PERCENTILE_MAX_S: f64 = 360_000.0;

/// Response times, in microseconds, with percentiles and an exact mean.
#[derive(Clone, Debug)]
pub struct ResponseTimes {
    histogram: Histogram<u64>,
    sum_ns: u128,
    count: u64,
    max_ns: Nanos,
}

impl Default for ResponseTimes {
    fn default() -> Self {
        ResponseTimes {
            // 1 µs to 100 hours at 3 significant digits; larger values are clamped.
            histogram: Histogram::new_with_bounds(1, (PERCENTILE_MAX_S * 1e6) as u64, 3)
                .expect("valid histogram bounds"),
            sum_ns: 0,
            count: 0,
            max_ns: 0,
        }
    }
}

impl ResponseTimes {
    /// Records one response time.
    #[inline]
    pub fn record(&mut self, ns: Nanos) {
        self.histogram.saturating_record((ns / 1_000).max(1));
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
        if self.count == 0 { 0.0 } else { (self.histogram.value_at_quantile(q) as f64 / 1e6).min(PERCENTILE_MAX_S) }
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

/// One point of the live time series.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sample {
    /// When it was taken.
    pub at: Nanos,
    /// Connections per server at that moment.
    pub connections: Vec<(ServerId, u32)>,
    /// p95 response time, in seconds, of the requests that completed since the last sample.
    pub p95_s: Option<f64>,
}

/// A bounded ring buffer of samples taken every `period`.
#[derive(Clone, Debug)]
pub struct Series {
    /// Time between samples.
    pub period: Nanos,
    capacity: usize,
    samples: VecDeque<Sample>,
    /// Response times (µs) since the last sample, for the window's p95.
    recent: RecentResponses,
}

/// The response times of one window of the live series, counted in a histogram so that its
/// work is bounded whatever they are: recording one is O(1), and the p95 and the reset at
/// each sample read and clear a fixed [`RecentResponses::SLOTS`] counts, however many
/// responses the window held and however they are spread. (It kept the times themselves
/// and selected the p95 from up to 65,536 of them: with the release wasm's standard library,
/// built for size, that selection is a median of medians, super-quadratic on equal values,
/// and 65,536 equal response times, a shared cache's hits or constant costs, took 29 s.)
///
/// Two significant digits: the p95 is the top of its bucket, at most 1% above the true value
/// (finer than a pixel of the chart it is drawn on). Times from 1 µs to
/// [`PERCENTILE_MAX_S`]; a longer one counts as that long.
#[derive(Clone, Debug)]
struct RecentResponses {
    // u64 counts as ResponseTimes has: one instance of the histogram's code in the wasm.
    histogram: Histogram<u64>,
}

impl RecentResponses {
    /// Significant digits kept.
    const DIGITS: u8 = 2;
    /// Counts the histogram holds (1 µs to 100 hours at 2 significant digits): the work of a
    /// p95 or a reset.
    #[cfg(test)]
    const SLOTS: usize = 4_224;

    fn new() -> Self {
        let top = (PERCENTILE_MAX_S * 1e6) as u64;
        RecentResponses { histogram: Histogram::new_with_bounds(1, top, Self::DIGITS).expect("valid histogram bounds") }
    }

    #[inline]
    fn record(&mut self, ns: Nanos) {
        self.histogram.saturating_record((ns / 1_000).max(1));
    }

    /// The window's p95 in seconds (None for a window without responses), then an empty window.
    fn take_p95(&mut self) -> Option<f64> {
        if self.histogram.is_empty() {
            return None;
        }
        let p95 = (self.histogram.value_at_quantile(0.95) as f64 / 1e6).min(PERCENTILE_MAX_S);
        self.histogram.reset();
        Some(p95)
    }
}

impl Series {
    /// A series of at most `capacity` samples, one every `period`.
    pub fn new(period: Nanos, capacity: usize) -> Self {
        Series {
            period: period.max(1),
            capacity: capacity.max(1),
            samples: VecDeque::new(),
            recent: RecentResponses::new(),
        }
    }

    /// Notes a response time for the current window.
    #[inline]
    pub fn note_response(&mut self, ns: Nanos) {
        self.recent.record(ns);
    }

    /// Closes the window: pushes a sample with the window's p95, dropping the oldest when full.
    pub fn push(&mut self, at: Nanos, connections: Vec<(ServerId, u32)>) {
        let p95_s = self.recent.take_p95();
        if self.samples.len() == self.capacity {
            self.samples.pop_front();
        }
        self.samples.push_back(Sample { at, connections, p95_s });
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
    fn series_is_bounded_and_takes_window_p95() {
        let mut s = Series::new(10, 3);
        for t in 0..5u64 {
            for ms in 1..=20u64 {
                s.note_response(ms * 1_000_000 * (t + 1));
            }
            s.push(t * 10, vec![(ServerId(0), t as u32)]);
        }
        let samples = s.samples();
        assert_eq!(samples.len(), 3);
        assert_eq!(samples[0].at, 20);
        // The 19th of 20 times, 95 ms, to two significant digits: the top of its bucket, at
        // most 1% above.
        let p95 = samples[2].p95_s.unwrap();
        assert!((0.095..=0.095 * 1.01).contains(&p95), "{p95}");
        s.push(60, vec![]);
        assert_eq!(s.samples()[2].p95_s, None, "a window without responses has no p95");
    }

    #[test]
    fn the_window_p95_holds_a_fixed_number_of_counts() {
        let r = RecentResponses::new();
        assert_eq!(r.histogram.distinct_values(), RecentResponses::SLOTS);
    }

    /// The window's p95 within 1% of the exact one on values spread over six decades, and
    /// the same work for a million equal values as for one (the case a selection by median
    /// of medians made super-quadratic).
    #[test]
    fn the_window_p95_is_within_its_precision_and_its_work_does_not_grow_with_equal_values() {
        let mut s = Series::new(10, 4);
        let mut exact: Vec<u64> = (0..10_000u64).map(|i| (i * i * 7919) % 1_000_000_000 + 1_000).collect();
        for &ns in &exact {
            s.note_response(ns);
        }
        s.push(10, vec![]);
        exact.sort_unstable();
        let want = exact[9_499] as f64 / 1e9;
        let got = s.samples()[0].p95_s.unwrap();
        assert!(got >= want * 0.999 && got <= want * 1.01, "p95 {got} against {want}");

        let start = std::time::Instant::now();
        for _ in 0..1_000_000 {
            s.note_response(1_000_000);
        }
        s.push(20, vec![]);
        // A million records and one p95: a few milliseconds; 2 s is a bound no machine misses
        // that is not stuck in super-linear work.
        assert!(start.elapsed().as_secs_f64() < 2.0, "{:?}", start.elapsed());
        let p95 = s.samples()[1].p95_s.unwrap();
        assert!((0.001..=0.00101).contains(&p95), "{p95}");
    }
}
