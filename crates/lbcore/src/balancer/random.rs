//! Random: each request goes to an eligible server chosen uniformly at random, blind to
//! load and weight. On average as even as round robin, but with random clumps.

#[cfg(feature = "lazy-departures")]
use super::Reads;
use super::{Balancer, Decision, Eligible, RequestInfo, Score};
use crate::rng::SimRng;
use crate::server::Server;

/// Uniform choice over eligible servers, O(1) per pick.
#[derive(Debug, Default)]
pub struct Random;

impl Balancer for Random {
    fn pick(
        &mut self,
        servers: &[Server],
        eligible: &Eligible,
        _request: RequestInfo,
        rng: &mut SimRng,
        why: Option<&mut Decision>,
    ) -> Option<usize> {
        let among = eligible.len();
        if among == 0 {
            return None;
        }
        let chosen = eligible.positions()[rng.below(among as u64) as usize] as usize;
        if let Some(d) = why {
            d.choose(&servers[chosen].name, Score::Uniform { among });
        }
        Some(chosen)
    }

    fn pool_changed(&mut self, _servers: &[Server], _eligible: &Eligible) {}

    #[cfg(feature = "lazy-departures")]
    fn reads(&self) -> Reads {
        Reads::Chosen
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{mark_down, pool, route};
    use super::*;
    use crate::Algorithm;

    #[test]
    fn is_roughly_uniform_and_skips_ineligible() {
        let mut servers = pool(4, &[]);
        mark_down(&mut servers, 2);
        let picks = route(&mut Random, &mut servers, 30_000, 7);
        for name in ["server1", "server2", "server4"] {
            let c = picks.iter().filter(|p| *p == name).count();
            // expected 10,000, standard deviation ~82
            assert!((9_600..10_400).contains(&c), "{name}: {c}");
        }
        assert!(!picks.iter().any(|p| p == "server3"));
    }

    #[test]
    fn same_seed_same_picks() {
        let a = route(&mut Random, &mut pool(5, &[]), 100, 3);
        let b = route(&mut Random, &mut pool(5, &[]), 100, 3);
        assert_eq!(a, b);
    }

    #[test]
    fn none_eligible_gives_none() {
        let servers = pool(2, &[0, 0]);
        let mut b = Random;
        b.pool_changed(&servers, &Eligible::of(&servers));
        assert_eq!(
            b.pick(&servers, &Eligible::of(&servers), RequestInfo { key: 0, now: 0 }, &mut SimRng::new(0, 0), None),
            None
        );
    }

    #[test]
    fn explains_the_odds() {
        let servers = pool(3, &[]);
        let mut b = Random;
        b.pool_changed(&servers, &Eligible::of(&servers));
        let mut d = Decision::new(Algorithm::Random);
        b.pick(&servers, &Eligible::of(&servers), RequestInfo { key: 0, now: 0 }, &mut SimRng::new(0, 0), Some(&mut d));
        assert!(d.to_string().ends_with(": picked at random, 1 in 3"), "{d}");
    }
}
