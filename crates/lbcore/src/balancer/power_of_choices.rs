//! Power of d choices (Mitzenmacher; "power of two" for d = 2): sample d distinct eligible
//! servers uniformly at random and send the request to the one with the fewest
//! connections, ties to the first sampled. With n requests placed on n servers, the busiest
//! gets Θ(log n / log log n) of them from one random choice but only Θ(log log n) from the
//! less loaded of two (Azar, Broder, Karlin and Upfal): most of least connections' benefit
//! for O(d) work per pick, with no global view of the pool.

use super::{Balancer, Decision, Eligible, RequestInfo, Score};
#[cfg(feature = "lazy-departures")]
use super::{NONE_DRAWN, Reads};
use crate::rng::SimRng;
use crate::server::Server;

/// The least loaded of `d` servers sampled at random.
#[derive(Debug)]
pub struct PowerOfChoices {
    /// Servers sampled per pick (at least 1).
    choices: usize,
    /// Positions of the eligible servers. For d > 2 sampling reorders it (a partial
    /// Fisher–Yates shuffle in place), which keeps it the same set.
    eligible: Vec<u32>,
    /// Connections per server as last told, aligned with the pool: a pick compares two
    /// entries of this dense array instead of reading two servers from all over memory.
    loads: Vec<u32>,
    /// For d of 1 or 2: the sample drawn ahead of the next pick ([`Balancer::draw`]).
    #[cfg(feature = "lazy-departures")]
    drawn: Option<(u32, Option<u32>)>,
}

impl PowerOfChoices {
    /// Samples `d` servers per pick (`d` = 0 is taken as 1).
    pub fn new(d: u32) -> Self {
        PowerOfChoices {
            choices: d.max(1) as usize,
            eligible: Vec::new(),
            loads: Vec::new(),
            #[cfg(feature = "lazy-departures")]
            drawn: None,
        }
    }
}

impl PowerOfChoices {
    /// Takes the pool as it is, which changed without a word: out of the way of the per-pick
    /// paths, which then save no registers for it.
    #[cold]
    #[inline(never)]
    fn resync(&mut self, servers: &[Server], eligible: &Eligible) {
        self.pool_changed(servers, eligible);
    }

    /// Of the servers drawn (d of 1 or 2: the first, and the second for d = 2), the chosen
    /// one (the less loaded, ties to the first drawn) and for d = 2 the one it beat.
    #[inline(always)]
    fn less_loaded(&self, (a, b): (u32, Option<u32>)) -> (u32, Option<u32>) {
        match b {
            Some(b) if self.loads[b as usize] < self.loads[a as usize] => (b, Some(a)),
            _ => (a, b),
        }
    }

    /// For d of 1 or 2 (at most the servers eligible): the servers sampled, drawn from `rng`.
    #[inline(always)]
    fn sample(&self, d: usize, rng: &mut SimRng) -> (u32, Option<u32>) {
        let n = self.eligible.len();
        if d == 1 {
            return (self.eligible[rng.below(n as u64) as usize], None);
        }
        let i = rng.below(n as u64) as usize;
        let mut j = rng.below(n as u64 - 1) as usize;
        if j >= i {
            j += 1;
        }
        (self.eligible[i], Some(self.eligible[j]))
    }
}

impl Balancer for PowerOfChoices {
    fn pick(
        &mut self,
        servers: &[Server],
        eligible: &Eligible,
        _request: RequestInfo,
        rng: &mut SimRng,
        why: Option<&mut Decision>,
    ) -> Option<usize> {
        // drawn ahead and not explained (a whole run): the comparison alone
        #[cfg(feature = "lazy-departures")]
        if why.is_none()
            && let Some(drawn) = self.drawn.take()
        {
            return Some(self.less_loaded(drawn).0 as usize);
        }
        if self.loads.len() != servers.len() {
            self.resync(servers, eligible);
        }
        let n = self.eligible.len();
        let d = self.choices.min(n);
        // the chosen server, and for d = 2 the one it beat
        let (chosen, beaten) = match d {
            0 => return None,
            1 | 2 => {
                #[cfg(feature = "lazy-departures")]
                let drawn = match self.drawn.take() {
                    Some(drawn) => drawn,
                    None => self.sample(d, rng),
                };
                #[cfg(not(feature = "lazy-departures"))]
                let drawn = self.sample(d, rng);
                self.less_loaded(drawn)
            }
            _ => {
                // partial Fisher–Yates: eligible[0..d] becomes the sample, in sampling order
                for t in 0..d {
                    let j = t + rng.below((n - t) as u64) as usize;
                    self.eligible.swap(t, j);
                }
                let sample = &self.eligible[..d];
                let mut best = sample[0];
                for &p in &sample[1..] {
                    if self.loads[p as usize] < self.loads[best as usize] {
                        best = p;
                    }
                }
                (best, None)
            }
        };
        let loads = &self.loads;
        let connections = |p: u32| loads[p as usize];
        if let Some(why) = why {
            let score = |p: u32| Score::Connections { connections: connections(p) };
            why.choose(&servers[chosen as usize].name, score(chosen));
            let others: &[u32] = if d > 2 { &self.eligible[..d] } else { beaten.as_slice() };
            for &p in others.iter().filter(|&&p| p != chosen) {
                why.consider(&servers[p as usize].name, score(p));
            }
        }
        Some(chosen as usize)
    }

    fn pool_changed(&mut self, servers: &[Server], eligible: &Eligible) {
        self.eligible.clear();
        self.eligible.extend_from_slice(eligible.positions());
        self.loads.clear();
        self.loads.extend(servers.iter().map(Server::connections));
    }

    #[cfg(feature = "lazy-departures")]
    fn reads(&self) -> Reads {
        if self.choices <= 2 { Reads::Drawn } else { Reads::All }
    }

    #[cfg(feature = "lazy-departures")]
    fn draw(&mut self, servers: &[Server], eligible: &Eligible, rng: &mut SimRng) -> [u32; 2] {
        if self.loads.len() != servers.len() {
            self.resync(servers, eligible);
        }
        let d = self.choices.min(self.eligible.len());
        if d == 0 || d > 2 {
            return [NONE_DRAWN; 2];
        }
        let drawn = self.sample(d, rng);
        self.drawn = Some(drawn);
        [drawn.0, drawn.1.unwrap_or(NONE_DRAWN)]
    }

    fn connections_changed(&mut self, servers: &[Server], index: usize) {
        if self.loads.len() == servers.len() {
            self.loads[index] = servers[index].connections();
        } else {
            self.resync(servers, &Eligible::of(servers));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{hold, mark_down, pool, route};
    use super::*;
    use crate::Algorithm;

    const NOW: RequestInfo = RequestInfo { key: 0, now: 0 };

    #[test]
    fn picks_the_less_loaded_of_two() {
        // with two servers, both are always sampled: it is least connections with
        // ties to whichever was sampled first
        let mut servers = pool(2, &[]);
        for _ in 0..5 {
            hold(&mut servers, 0);
        }
        let mut b = PowerOfChoices::new(2);
        b.pool_changed(&servers, &Eligible::of(&servers));
        let mut rng = SimRng::new(5, 0);
        for _ in 0..100 {
            assert_eq!(b.pick(&servers, &Eligible::of(&servers), NOW, &mut rng, None), Some(1));
        }
    }

    #[test]
    fn samples_are_distinct_and_uniform() {
        // the least loaded server is chosen exactly when it is sampled: with n = 4 and
        // d = 2 that is 1 - (3/4)(2/3) = 1/2 of the time if the pair is distinct and uniform
        let mut servers = pool(4, &[]);
        for i in 1..4 {
            hold(&mut servers, i);
        }
        let mut b = PowerOfChoices::new(2);
        b.pool_changed(&servers, &Eligible::of(&servers));
        let mut rng = SimRng::new(8, 0);
        let n = 40_000;
        let hits = (0..n).filter(|_| b.pick(&servers, &Eligible::of(&servers), NOW, &mut rng, None) == Some(0)).count();
        // expected 20,000, standard deviation 100
        assert!((19_600..20_400).contains(&hits), "{hits}");

        // d = 3 of 4: the idle server is sampled 3/4 of the time
        let mut b = PowerOfChoices::new(3);
        b.pool_changed(&servers, &Eligible::of(&servers));
        let hits = (0..n).filter(|_| b.pick(&servers, &Eligible::of(&servers), NOW, &mut rng, None) == Some(0)).count();
        // expected 30,000, standard deviation ~87
        assert!((29_650..30_350).contains(&hits), "{hits}");
    }

    #[test]
    fn d_of_at_least_n_is_least_connections_and_d_1_is_random() {
        let mut servers = pool(3, &[]);
        let picks = route(&mut PowerOfChoices::new(10), &mut servers, 30, 1);
        for name in ["server1", "server2", "server3"] {
            assert_eq!(picks.iter().filter(|p| *p == name).count(), 10);
        }
        let mut servers = pool(3, &[]);
        let picks = route(&mut PowerOfChoices::new(1), &mut servers, 3_000, 1);
        let ones = picks.iter().filter(|p| *p == "server1").count();
        assert!((900..1_100).contains(&ones), "{ones}");
    }

    #[test]
    fn keeps_loads_close_under_never_completing_requests() {
        let mut servers = pool(50, &[]);
        route(&mut PowerOfChoices::new(2), &mut servers, 5_000, 3);
        let max = servers.iter().map(Server::connections).max().unwrap_or(0);
        // average 100; power of two keeps the maximum within a few of it
        assert!(max <= 106, "{max}");
    }

    #[test]
    fn skips_ineligible_and_gives_none_when_nothing_is_eligible() {
        let mut servers = pool(3, &[]);
        mark_down(&mut servers, 1);
        let picks = route(&mut PowerOfChoices::new(2), &mut servers, 100, 1);
        assert!(!picks.iter().any(|p| p == "server2"));
        let picks = route(&mut PowerOfChoices::new(5), &mut servers, 100, 1);
        assert!(!picks.iter().any(|p| p == "server2"));

        let servers = pool(2, &[0, 0]);
        for d in [1, 2, 3] {
            let mut b = PowerOfChoices::new(d);
            b.pool_changed(&servers, &Eligible::of(&servers));
            assert_eq!(b.pick(&servers, &Eligible::of(&servers), NOW, &mut SimRng::new(0, 0), None), None);
        }
    }

    #[test]
    fn explains_with_the_sampled_pair() {
        let mut servers = pool(2, &[]);
        hold(&mut servers, 1);
        let mut b = PowerOfChoices::new(2);
        b.pool_changed(&servers, &Eligible::of(&servers));
        let mut d = Decision::new(Algorithm::PowerOfTwo);
        b.pick(&servers, &Eligible::of(&servers), NOW, &mut SimRng::new(0, 0), Some(&mut d));
        assert_eq!(d.to_string(), "power-of-two chose server1: 0 connections (server2: 1)");
    }
}
