//! Weighted random: each request goes to an eligible server chosen at random with
//! probability proportional to its weight. A uniform draw below the total weight is
//! looked up in the running sums of the weights by binary search: O(log n) per pick.

#[cfg(feature = "lazy-departures")]
use super::Reads;
use super::{Balancer, Decision, Eligible, RequestInfo, Score};
use crate::rng::SimRng;
use crate::server::Server;

/// Random choice with probability weight / total weight.
#[derive(Debug, Default)]
pub struct WeightedRandom {
    /// `cumulative[k]` = the weights of the first k + 1 eligible servers added up.
    cumulative: Vec<u64>,
}

impl WeightedRandom {
    /// The total weight of the eligible servers.
    fn total(&self) -> u64 {
        self.cumulative.last().copied().unwrap_or(0)
    }
}

impl Balancer for WeightedRandom {
    #[cfg(feature = "lazy-departures")]
    fn reads(&self) -> Reads {
        Reads::Chosen
    }

    fn pick(
        &mut self,
        servers: &[Server],
        eligible: &Eligible,
        _request: RequestInfo,
        rng: &mut SimRng,
        why: Option<&mut Decision>,
    ) -> Option<usize> {
        let total = self.total();
        if total == 0 {
            return None;
        }
        let draw = rng.below(total);
        let k = self.cumulative.partition_point(|&c| c <= draw);
        let chosen = eligible.positions()[k] as usize;
        if let Some(d) = why {
            d.choose(&servers[chosen].name, Score::Weighted { weight: servers[chosen].weight, total });
        }
        Some(chosen)
    }

    fn pool_changed(&mut self, servers: &[Server], eligible: &Eligible) {
        self.cumulative.clear();
        let mut sum = 0u64;
        for &i in eligible.positions() {
            sum += u64::from(servers[i as usize].weight);
            self.cumulative.push(sum);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{mark_down, pool, route};
    use super::*;
    use crate::Algorithm;

    #[test]
    fn frequencies_match_weights() {
        let weights = [1, 2, 3, 4, 0, 10];
        let mut servers = pool(weights.len(), &weights);
        let n = 200_000;
        let picks = route(&mut WeightedRandom::default(), &mut servers, n, 11);
        let total: u32 = weights.iter().sum();
        let mut chi_square = 0.0;
        for (i, &w) in weights.iter().enumerate() {
            let observed = picks.iter().filter(|p| **p == format!("server{}", i + 1)).count() as f64;
            let expected = n as f64 * f64::from(w) / f64::from(total);
            if w == 0 {
                assert_eq!(observed, 0.0);
            } else {
                chi_square += (observed - expected) * (observed - expected) / expected;
            }
        }
        // 4 degrees of freedom: P(chi-square > 18.47) = 0.001
        assert!(chi_square < 18.47, "chi-square {chi_square}");
    }

    #[test]
    fn skips_ineligible_and_none_when_nothing_is_eligible() {
        let mut servers = pool(3, &[5, 1, 1]);
        mark_down(&mut servers, 0);
        let picks = route(&mut WeightedRandom::default(), &mut servers, 1_000, 2);
        assert!(!picks.iter().any(|p| p == "server1"));

        let servers = pool(2, &[0, 0]);
        let mut b = WeightedRandom::default();
        b.pool_changed(&servers, &Eligible::of(&servers));
        assert_eq!(
            b.pick(&servers, &Eligible::of(&servers), RequestInfo { key: 0, now: 0 }, &mut SimRng::new(0, 0), None),
            None
        );
    }

    #[test]
    fn explains_the_chance() {
        let servers = pool(1, &[3]);
        let mut b = WeightedRandom::default();
        b.pool_changed(&servers, &Eligible::of(&servers));
        let mut d = Decision::new(Algorithm::WeightedRandom);
        b.pick(&servers, &Eligible::of(&servers), RequestInfo { key: 0, now: 0 }, &mut SimRng::new(0, 0), Some(&mut d));
        assert_eq!(d.to_string(), "weighted-random chose server1: picked at random with chance 3/3");
    }
}
