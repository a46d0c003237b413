//! Smooth weighted round robin, exactly as nginx's `ngx_http_upstream_get_peer` does it:
//! on every pick each eligible server's current weight grows by its weight, the server with
//! the greatest current weight (the first of equals) is chosen, and its current weight drops
//! by the total. Over a cycle each server gets turns in proportion to its weight, and the
//! turns are spread out: weights 5, 1, 1 give `a a b a c a a`, not `a a a a a b c`.

use super::kinetic::KineticMax;
use super::{Balancer, Decision, Eligible, RequestInfo, Score, carry_over};
use crate::rng::SimRng;
use crate::server::{Server, ServerId};

/// nginx's smooth weighted round robin over eligible servers.
///
/// Rather than add every weight on every pick, the current weights are kept as lines in a
/// [`KineticMax`]: server i's current weight is `base + step · weight`, the pick count being
/// the step, so a pick advances the step, reads the greatest (the first of equals, as
/// nginx's scan keeps it) and takes the total off the winner's base: O(log n) amortised,
/// the same picks as the scan ([`super::reference::SmoothWeightedScan`]).
#[derive(Debug, Default)]
pub struct SmoothWeighted {
    /// Each server's current weight, as a line over picks; an ineligible server's is kept
    /// still (rate 0, taking no part).
    current: KineticMax,
    /// The sum of the eligible servers' weights: what the winner gives up.
    total: i64,
    /// The server each line belongs to, to carry current weights across pool changes.
    ids: Vec<ServerId>,
}

impl SmoothWeighted {
    /// Each server's current weight, in pool order.
    pub fn currents(&self) -> Vec<i64> {
        (0..self.ids.len()).map(|i| self.current.value(i)).collect()
    }
}

impl Balancer for SmoothWeighted {
    fn pick(
        &mut self,
        servers: &[Server],
        eligible: &Eligible,
        _request: RequestInfo,
        _rng: &mut SimRng,
        why: Option<&mut Decision>,
    ) -> Option<usize> {
        if self.ids.len() != servers.len() {
            self.pool_changed(servers, eligible);
        }
        self.current.advance();
        let chosen = self.current.winner()?;
        if let Some(d) = why {
            let score = |i: usize| Score::CurrentWeight { current: self.current.value(i), weight: servers[i].weight };
            d.choose(&servers[chosen].name, score(chosen));
            for i in eligible.positions().iter().map(|&i| i as usize).filter(|&i| i != chosen) {
                d.consider(&servers[i].name, score(i));
            }
        }
        self.current.add(chosen, -self.total);
        Some(chosen)
    }

    fn pool_changed(&mut self, servers: &[Server], eligible: &Eligible) {
        let current = carry_over(&self.ids, &self.currents(), servers, 0);
        let weight = |i: usize| if eligible.contains(i) { i64::from(servers[i].weight) } else { 0 };
        self.total = (0..servers.len()).map(weight).sum();
        self.current = KineticMax::new(current.iter().enumerate().map(|(i, &c)| (c, weight(i), weight(i) > 0)));
        self.ids.clear();
        self.ids.extend(servers.iter().map(|s| s.id));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{mark_down, named_pool, pool, route, server};
    use super::*;
    use crate::Algorithm;

    /// The textbook algorithm, written as plainly as possible, to check against.
    fn reference(weights: &[u32], picks: usize) -> Vec<usize> {
        let mut current = vec![0i64; weights.len()];
        let total: i64 = weights.iter().map(|&w| i64::from(w)).sum();
        (0..picks)
            .map(|_| {
                for (c, &w) in current.iter_mut().zip(weights) {
                    *c += i64::from(w);
                }
                let mut best = 0;
                for i in 1..weights.len() {
                    if current[i] > current[best] {
                        best = i;
                    }
                }
                current[best] -= total;
                best
            })
            .collect()
    }

    #[test]
    fn weights_5_1_1_give_the_nginx_sequence() {
        let mut servers = named_pool(&["a", "b", "c"], &[5, 1, 1]);
        let picks = route(&mut SmoothWeighted::default(), &mut servers, 7, 1);
        assert_eq!(picks.join(" "), "a a b a c a a");
    }

    #[test]
    fn matches_the_reference_for_random_weights() {
        let mut rng = SimRng::new(42, 0);
        for round in 0..50 {
            let n = 1 + rng.below(12) as usize;
            let weights: Vec<u32> = (0..n).map(|_| 1 + rng.below(20) as u32).collect();
            let mut servers = pool(n, &weights);
            let picks = route(&mut SmoothWeighted::default(), &mut servers, 1_000, 1);
            let expected: Vec<String> =
                reference(&weights, 1_000).into_iter().map(|i| format!("server{}", i + 1)).collect();
            assert_eq!(picks, expected, "round {round}, weights {weights:?}");
        }
    }

    #[test]
    fn turns_are_proportional_to_weight() {
        let mut servers = pool(3, &[3, 2, 1]);
        let picks = route(&mut SmoothWeighted::default(), &mut servers, 600, 1);
        let count = |name: &str| picks.iter().filter(|p| *p == name).count();
        assert_eq!((count("server1"), count("server2"), count("server3")), (300, 200, 100));
    }

    #[test]
    fn skips_ineligible_servers_and_gives_none_when_all_are() {
        let mut servers = pool(3, &[1, 1, 1]);
        mark_down(&mut servers, 1);
        let picks = route(&mut SmoothWeighted::default(), &mut servers, 4, 1);
        assert_eq!(picks.join(" "), "server1 server3 server1 server3");

        let servers = pool(2, &[0, 0]);
        let mut b = SmoothWeighted::default();
        b.pool_changed(&servers, &Eligible::of(&servers));
        assert_eq!(
            b.pick(&servers, &Eligible::of(&servers), RequestInfo { key: 0, now: 0 }, &mut SimRng::new(0, 0), None),
            None
        );
    }

    #[test]
    fn keeps_current_weights_across_pool_changes() {
        let mut servers = named_pool(&["a", "b", "c"], &[5, 1, 1]);
        let mut b = SmoothWeighted::default();
        b.pool_changed(&servers, &Eligible::of(&servers));
        let mut rng = SimRng::new(0, 0);
        let req = RequestInfo { key: 0, now: 0 };
        for _ in 0..3 {
            b.pick(&servers, &Eligible::of(&servers), req, &mut rng, None);
        }
        // after a a b: a = 1, b = -4, c = 3
        let mut d = server(9, "d");
        d.weight = 2;
        servers.insert(0, d);
        b.pool_changed(&servers, &Eligible::of(&servers));
        assert_eq!(b.currents(), vec![0, 1, -4, 3]);
        servers.remove(2);
        b.pool_changed(&servers, &Eligible::of(&servers));
        assert_eq!(b.currents(), vec![0, 1, 3]);
    }

    #[test]
    fn explains_with_current_weights() {
        let servers = named_pool(&["a", "b", "c"], &[5, 1, 1]);
        let mut b = SmoothWeighted::default();
        b.pool_changed(&servers, &Eligible::of(&servers));
        let mut d = Decision::new(Algorithm::WeightedRoundRobin);
        let i = b.pick(
            &servers,
            &Eligible::of(&servers),
            RequestInfo { key: 0, now: 0 },
            &mut SimRng::new(0, 0),
            Some(&mut d),
        );
        assert_eq!(i, Some(0));
        assert_eq!(d.to_string(), "weighted-round-robin chose a: highest current weight 5 (weight 5) (b: 1, c: 1)");
    }
}
