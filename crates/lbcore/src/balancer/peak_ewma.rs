//! Peak EWMA (Finagle, Linkerd, tower): every eligible server is a candidate, and its load
//! is its expected response time x (connections + 1); the lowest wins, ties to the first.
//!
//! The expected response time is a moving average that is quick to believe bad news:
//! - an observed response slower than the estimate becomes the estimate at once (the peak);
//! - a faster one is blended in, `estimate·w + rtt·(1 − w)` with `w = exp(−Δt / decay)`,
//!   Δt the time since the last update: the longer since, the more the new value counts;
//! - between observations the estimate decays towards zero by the same `w`, as tower's
//!   and Finagle's do when they read it, so a server avoided after one slow response is
//!   tried again in time rather than shunned for ever.
//!
//! A server not yet observed counts at the default response time, decaying from the first
//! pick that sees it (so a new server is tried soon even if the default is pessimistic);
//! its first observation replaces the default outright, since the default is no
//! measurement. Estimates are kept by server id across pool changes.

use super::{Balancer, Decision, Eligible, RequestInfo, Score, carry_over};
use crate::rng::SimRng;
use crate::server::{Server, ServerId};
use crate::time::{NANOS_PER_SEC, Nanos, from_secs};

/// One server's response-time estimate.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Estimate {
    /// The estimate in nanoseconds, as of `at`.
    rtt_ns: f64,
    /// When it was last updated; `None` until a pick or an observation first sees it.
    at: Option<Nanos>,
    /// Whether `rtt_ns` comes from an observation rather than the default.
    observed: bool,
}

/// The server with the lowest peak EWMA response time x (connections + 1).
#[derive(Debug)]
pub struct PeakEwma {
    /// Decay time constant in nanoseconds (at least 1).
    decay_ns: f64,
    /// Starting estimate for a server not yet observed, in nanoseconds.
    default_rtt_ns: f64,
    /// Estimates aligned with the pool.
    estimates: Vec<Estimate>,
    /// The server each estimate belongs to.
    ids: Vec<ServerId>,
}

impl PeakEwma {
    /// Estimates that decay with time constant `decay_s` seconds, starting from
    /// `default_rtt_s` seconds for servers not yet observed.
    pub fn new(decay_s: f64, default_rtt_s: f64) -> Self {
        PeakEwma {
            decay_ns: (from_secs(decay_s) as f64).max(1.0),
            default_rtt_ns: from_secs(default_rtt_s) as f64,
            estimates: Vec::new(),
            ids: Vec::new(),
        }
    }

    /// The weight the old estimate keeps after `elapsed` nanoseconds.
    #[inline]
    fn keep(&self, elapsed: Nanos) -> f64 {
        if elapsed == 0 { 1.0 } else { libm::exp(-(elapsed as f64) / self.decay_ns) }
    }

    /// `servers[index]`'s estimate at `now`, in nanoseconds, starting its clock if it had none.
    #[inline]
    fn estimate(&mut self, index: usize, now: Nanos) -> f64 {
        let e = &mut self.estimates[index];
        let at = *e.at.get_or_insert(now);
        let rtt_ns = e.rtt_ns;
        rtt_ns * self.keep(now.saturating_sub(at))
    }
}

impl Balancer for PeakEwma {
    fn pick(
        &mut self,
        servers: &[Server],
        eligible: &Eligible,
        request: RequestInfo,
        _rng: &mut SimRng,
        why: Option<&mut Decision>,
    ) -> Option<usize> {
        if self.estimates.len() != servers.len() {
            self.pool_changed(servers, eligible);
        }
        let mut best: Option<(usize, f64)> = None;
        for i in eligible.positions().iter().map(|&i| i as usize) {
            let cost = self.estimate(i, request.now) * (f64::from(servers[i].connections()) + 1.0);
            if best.is_none_or(|(_, lowest)| cost < lowest) {
                best = Some((i, cost));
            }
        }
        let (chosen, _) = best?;
        if let Some(d) = why {
            let mut score = |i: usize| Score::Cost {
                rtt_s: self.estimate(i, request.now) / NANOS_PER_SEC as f64,
                connections: servers[i].connections(),
            };
            d.choose(&servers[chosen].name, score(chosen));
            for i in eligible.positions().iter().map(|&i| i as usize).filter(|&i| i != chosen) {
                d.consider(&servers[i].name, score(i));
            }
        }
        Some(chosen)
    }

    fn pool_changed(&mut self, servers: &[Server], _eligible: &Eligible) {
        let fresh = Estimate { rtt_ns: self.default_rtt_ns, at: None, observed: false };
        self.estimates = carry_over(&self.ids, &self.estimates, servers, fresh);
        self.ids.clear();
        self.ids.extend(servers.iter().map(|s| s.id));
    }

    fn observe(&mut self, index: usize, response: Nanos, now: Nanos) {
        if index >= self.estimates.len() {
            return;
        }
        let e = self.estimates[index];
        let rtt = response as f64;
        let rtt_ns = match e.at {
            Some(at) if e.observed => {
                let keep = self.keep(now.saturating_sub(at));
                let decayed = e.rtt_ns * keep;
                if rtt > decayed { rtt } else { decayed + rtt * (1.0 - keep) }
            }
            _ => rtt,
        };
        self.estimates[index] = Estimate { rtt_ns, at: Some(now), observed: true };
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{hold, mark_down, pool, route, server};
    use super::*;
    use crate::Algorithm;

    const MS: Nanos = 1_000_000;

    fn at(now: Nanos) -> RequestInfo {
        RequestInfo { key: 0, now }
    }

    #[test]
    fn a_server_that_responded_slowly_is_avoided() {
        let mut servers = pool(2, &[]);
        let mut b = PeakEwma::new(10.0, 0.05);
        b.pool_changed(&servers, &Eligible::of(&servers));
        b.observe(0, 100 * MS, 0);
        b.observe(1, 10 * MS, 0);
        let picks = route(&mut b, &mut servers, 10, 1);
        // server2 until 10 ms x (9 + 1) ties server1's 100 ms x 1; the tie goes to the first
        assert_eq!(picks[..9], vec!["server2"; 9]);
        assert_eq!(picks[9], "server1");
    }

    #[test]
    fn a_peak_is_taken_at_once_and_a_faster_response_blends_in() {
        let servers = pool(1, &[]);
        let mut b = PeakEwma::new(1.0, 0.05);
        b.pool_changed(&servers, &Eligible::of(&servers));
        b.observe(0, 10 * MS, 0);
        b.observe(0, 200 * MS, MS);
        assert_eq!(b.estimate(0, MS), (200 * MS) as f64);
        // one decay constant later a 10 ms response: 200·e⁻¹ + 10·(1 − e⁻¹)
        b.observe(0, 10 * MS, MS + 1_000 * MS);
        let w = libm::exp(-1.0);
        let expected = 200e6 * w + 10e6 * (1.0 - w);
        assert!((b.estimate(0, MS + 1_000 * MS) - expected).abs() < 1e-3);
    }

    #[test]
    fn decay_brings_it_back_down() {
        let servers = pool(1, &[]);
        let mut b = PeakEwma::new(1.0, 0.05);
        b.pool_changed(&servers, &Eligible::of(&servers));
        b.observe(0, 500 * MS, 0);
        // fast responses every 100 ms pull it towards 10 ms: the excess shrinks by
        // e^-0.1 a step, 490 ms x e^-10 = 0.02 ms after 100 steps
        for k in 1..=100 {
            b.observe(0, 10 * MS, k * 100 * MS);
        }
        let settled = b.estimate(0, 10_000 * MS);
        assert!((10e6..10.1e6).contains(&settled), "{settled}");
        // with no response at all it decays towards zero: e^-5 < 1% after five constants
        b.observe(0, 500 * MS, 20_000 * MS);
        assert!(b.estimate(0, 25_000 * MS) < 500e6 * 0.01);
    }

    #[test]
    fn unobserved_servers_start_at_the_default_and_decay() {
        let servers = pool(2, &[]);
        let mut b = PeakEwma::new(1.0, 0.05);
        b.pool_changed(&servers, &Eligible::of(&servers));
        let mut rng = SimRng::new(0, 0);
        b.observe(0, 80 * MS, 0);
        // server2 at its default 50 ms beats server1's 80 ms
        assert_eq!(b.pick(&servers, &Eligible::of(&servers), at(0), &mut rng, None), Some(1));
        assert_eq!(b.estimate(1, 0), (50 * MS) as f64);
        assert!(b.estimate(1, 1_000 * MS) < 50e6 * 0.37);
    }

    #[test]
    fn keeps_estimates_across_pool_changes() {
        let mut servers = pool(2, &[]);
        let mut b = PeakEwma::new(10.0, 0.05);
        b.pool_changed(&servers, &Eligible::of(&servers));
        b.observe(1, 70 * MS, 0);
        servers.insert(0, server(7, "server0"));
        b.pool_changed(&servers, &Eligible::of(&servers));
        assert_eq!(b.estimate(2, 0), (70 * MS) as f64);
        assert_eq!(b.estimate(0, 0), (50 * MS) as f64);
    }

    #[test]
    fn skips_ineligible_and_gives_none_when_nothing_is_eligible() {
        let mut servers = pool(2, &[]);
        mark_down(&mut servers, 1);
        let mut b = PeakEwma::new(10.0, 0.05);
        b.pool_changed(&servers, &Eligible::of(&servers));
        b.observe(0, 900 * MS, 0);
        let mut rng = SimRng::new(0, 0);
        assert_eq!(b.pick(&servers, &Eligible::of(&servers), at(0), &mut rng, None), Some(0));
        mark_down(&mut servers, 0);
        b.pool_changed(&servers, &Eligible::of(&servers));
        assert_eq!(b.pick(&servers, &Eligible::of(&servers), at(0), &mut rng, None), None);
    }

    #[test]
    fn explains_with_costs() {
        let mut servers = pool(2, &[]);
        hold(&mut servers, 1);
        let mut b = PeakEwma::new(10.0, 0.05);
        b.pool_changed(&servers, &Eligible::of(&servers));
        b.observe(0, 100 * MS, 0);
        b.observe(1, 20 * MS, 0);
        let mut d = Decision::new(Algorithm::PeakEwma);
        b.pick(&servers, &Eligible::of(&servers), at(0), &mut SimRng::new(0, 0), Some(&mut d));
        assert_eq!(
            d.to_string(),
            "peak-ewma chose server2: cost 40 ms = response time 20 ms x (1 + 1) (server1: 100 ms)"
        );
    }
}
