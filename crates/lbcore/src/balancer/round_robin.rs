//! Round robin: the next eligible server in server order, wrapping around. Blind to load:
//! a slow server gets as many requests as a fast one.

#[cfg(feature = "lazy-departures")]
use super::Reads;
use super::{Balancer, Decision, Eligible, RequestInfo, Score};
use crate::rng::SimRng;
use crate::server::Server;

/// Round robin over eligible servers.
#[derive(Debug, Default)]
pub struct RoundRobin {
    /// Index of the server whose turn is next (it may have become ineligible).
    next: usize,
}

impl Balancer for RoundRobin {
    fn pick(
        &mut self,
        servers: &[Server],
        eligible: &Eligible,
        _request: RequestInfo,
        _rng: &mut SimRng,
        why: Option<&mut Decision>,
    ) -> Option<usize> {
        let start = if self.next < servers.len() { self.next } else { 0 };
        // the first eligible position at or after `start`, wrapping to the first
        let positions = eligible.positions();
        let at = positions.partition_point(|&p| (p as usize) < start);
        let chosen = *positions.get(at).or(positions.first())? as usize;
        self.next = chosen + 1;
        if let Some(d) = why {
            d.choose(&servers[chosen].name, Score::Turn);
        }
        Some(chosen)
    }

    #[cfg(feature = "lazy-departures")]
    fn reads(&self) -> Reads {
        Reads::Chosen
    }

    fn pool_changed(&mut self, servers: &[Server], _eligible: &Eligible) {
        if self.next >= servers.len() {
            self.next = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{pool, route};
    use super::*;
    use crate::server::Health;

    #[test]
    fn ten_picks_over_three_servers() {
        let mut servers = pool(3, &[]);
        let picks = route(&mut RoundRobin::default(), &mut servers, 10, 1);
        assert_eq!(picks.join(" "), "server1 server2 server3 server1 server2 server3 server1 server2 server3 server1");
    }

    #[test]
    fn skips_ineligible_servers() {
        let mut servers = pool(3, &[]);
        servers[1].health = Health::Draining;
        let picks = route(&mut RoundRobin::default(), &mut servers, 4, 1);
        assert_eq!(picks.join(" "), "server1 server3 server1 server3");
    }

    #[test]
    fn none_eligible_gives_none() {
        let servers = pool(2, &[0, 0]);
        let mut rr = RoundRobin::default();
        rr.pool_changed(&servers, &Eligible::of(&servers));
        let mut rng = SimRng::new(0, 0);
        assert_eq!(rr.pick(&servers, &Eligible::of(&servers), RequestInfo { key: 0, now: 0 }, &mut rng, None), None);
    }
}
