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
    /// Response times (µs) since the last sample, kept up to a bound.
    recent: Vec<u32>,
}

/// Most response times kept between two samples for the windowed p95.
const RECENT_LIMIT: usize = 65_536;

impl Series {
    /// A series of at most `capacity` samples, one every `period`.
    pub fn new(period: Nanos, capacity: usize) -> Self {
        Series { period: period.max(1), capacity: capacity.max(1), samples: VecDeque::new(), recent: Vec::new() }
    }

    /// Notes a response time for the current window.
    #[inline]
    pub fn note_response(&mut self, ns: Nanos) {
        if self.recent.len() < RECENT_LIMIT {
            self.recent.push((ns / 1_000).min(u32::MAX as u64) as u32);
        }
    }

    /// Closes the window: pushes a sample with the window's p95, dropping the oldest when full.
    pub fn push(&mut self, at: Nanos, connections: Vec<(ServerId, u32)>) {
        let p95_s = if self.recent.is_empty() {
            None
        } else {
            let k = ((self.recent.len() as f64 * 0.95).ceil() as usize).clamp(1, self.recent.len()) - 1;
            let (_, v, _) = self.recent.select_nth_unstable(k);
            Some(*v as f64 / 1e6)
        };
        self.recent.clear();
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
        assert_eq!(samples[2].p95_s, Some(0.019 * 5.0));
    }
}
