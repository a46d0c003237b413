//! The scans that smooth weighted round robin and peak EWMA used to pick with, looking at
//! every eligible server on each pick, O(n): kept as the oracle their trees are tested
//! against (`tests/same_picks.rs`) and as the baseline of `benches/tree_vs_scan.rs`. Not part of
//! the API.

use super::peak_ewma::Estimates;
use super::{Balancer, Decision, Eligible, RequestInfo, Score, carry_over};
use crate::rng::SimRng;
use crate::server::{Server, ServerId};
use crate::time::Nanos;

/// nginx's smooth weighted round robin by a scan: every eligible server's current weight
/// grows by its weight, the greatest (the first of equals) wins and gives up the total.
#[derive(Debug, Default)]
pub struct SmoothWeightedScan {
    /// Each server's current weight, aligned with the pool.
    current: Vec<i64>,
    /// Each server's weight, 0 for an ineligible one.
    weights: Vec<i64>,
    /// The server each entry of `current` belongs to, to carry it across pool changes.
    ids: Vec<ServerId>,
}

impl Balancer for SmoothWeightedScan {
    fn pick(
        &mut self,
        servers: &[Server],
        eligible: &Eligible,
        _request: RequestInfo,
        _rng: &mut SimRng,
        why: Option<&mut Decision>,
    ) -> Option<usize> {
        if self.current.len() != servers.len() {
            self.pool_changed(servers, eligible);
        }
        let mut total: i64 = 0;
        let mut best: Option<usize> = None;
        let mut highest = i64::MIN;
        for (i, (current, &weight)) in self.current.iter_mut().zip(&self.weights).enumerate() {
            if weight == 0 {
                continue;
            }
            *current += weight;
            total += weight;
            if best.is_none() || *current > highest {
                best = Some(i);
                highest = *current;
            }
        }
        let chosen = best?;
        if let Some(d) = why {
            let score = |i: usize| Score::CurrentWeight { current: self.current[i], weight: servers[i].weight };
            d.choose(&servers[chosen].name, score(chosen));
            for i in eligible.positions().iter().map(|&i| i as usize).filter(|&i| i != chosen) {
                d.consider(&servers[i].name, score(i));
            }
        }
        self.current[chosen] -= total;
        Some(chosen)
    }

    fn pool_changed(&mut self, servers: &[Server], eligible: &Eligible) {
        self.current = carry_over(&self.ids, &self.current, servers, 0);
        self.weights.clear();
        self.weights.extend(
            servers.iter().enumerate().map(|(i, s)| if eligible.contains(i) { i64::from(s.weight) } else { 0 }),
        );
        self.ids.clear();
        self.ids.extend(servers.iter().map(|s| s.id));
    }
}

/// Peak EWMA by a scan: every eligible server's cost computed, the least winning, ties to
/// the first. The estimates' arithmetic is the balancer's own ([`Estimates`]).
#[derive(Debug)]
pub struct PeakEwmaScan {
    estimates: Estimates,
}

impl PeakEwmaScan {
    /// Estimates that decay with time constant `decay_s` seconds, starting from
    /// `default_rtt_s` seconds for servers not yet observed.
    pub fn new(decay_s: f64, default_rtt_s: f64) -> Self {
        PeakEwmaScan { estimates: Estimates::new(decay_s, default_rtt_s) }
    }
}

impl Balancer for PeakEwmaScan {
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
        let chosen = self.estimates.scan(servers, eligible, request.now)?;
        if let Some(d) = why {
            self.estimates.explain(servers, eligible, chosen, request.now, d);
        }
        Some(chosen)
    }

    fn pool_changed(&mut self, servers: &[Server], _eligible: &Eligible) {
        self.estimates.carry(servers);
    }

    fn observe(&mut self, index: usize, response: Nanos, now: Nanos) {
        self.estimates.observe(index, response, now);
    }
}
