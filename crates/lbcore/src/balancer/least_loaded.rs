//! Least loaded: every eligible server is a candidate, and the one with the lowest load
//! wins, ties going to the first in server order. Two load measures:
//! - connections (`least-connections`);
//! - connections per unit of weight (`weighted-least-connections`), compared exactly by
//!   cross-multiplication: a/w < b/v exactly when a·v < b·w.
//!
//! The minimum is kept in a tournament tree over server positions: each node holds the
//! leftmost least-loaded server of its subtree, an ineligible server counts as infinitely
//! loaded, and the root is the answer. A change in one server's connections replays only
//! its path to the root, O(log n); a pick reads the root, O(1).

use super::{Balancer, Decision, RequestInfo, Score};
use crate::rng::SimRng;
use crate::server::Server;

/// How a server's load is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Measure {
    /// Connections held.
    Connections,
    /// Connections held / weight.
    PerWeight,
}

impl Measure {
    /// `server`'s load as a tree entry at `position`.
    #[inline]
    fn entry(self, server: &Server, position: usize) -> Entry {
        if !server.eligible() {
            return Entry { position: position as u32, ..Entry::INFINITE };
        }
        let weight = match self {
            Measure::Connections => 1,
            Measure::PerWeight => server.weight,
        };
        Entry { connections: server.connections(), weight, position: position as u32 }
    }

    /// `server`'s load in a decision.
    fn score(self, server: &Server) -> Score {
        match self {
            Measure::Connections => Score::Connections { connections: server.connections() },
            Measure::PerWeight => Score::PerWeight { connections: server.connections(), weight: server.weight },
        }
    }
}

/// A server's load, connections / weight, with the server's position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry {
    connections: u32,
    /// 0 only for an ineligible server (1/0, above every load).
    weight: u32,
    position: u32,
}

impl Entry {
    /// An ineligible server or an empty leaf: loaded above everything else.
    const INFINITE: Entry = Entry { connections: 1, weight: 0, position: u32::MAX };

    /// Whether this load is strictly below `other`'s.
    #[inline]
    fn below(self, other: Entry) -> bool {
        u64::from(self.connections) * u64::from(other.weight) < u64::from(other.connections) * u64::from(self.weight)
    }

    /// The winner of `left` against `right`: the lower load, `left` on a tie.
    #[inline]
    fn winner(left: Entry, right: Entry) -> Entry {
        if right.below(left) { right } else { left }
    }
}

/// The server with the least load, by connections or by connections per weight.
#[derive(Debug)]
pub struct LeastLoaded {
    measure: Measure,
    /// Servers in the pool when the tree was built.
    servers: usize,
    /// Leaves in the tree: the pool size rounded up to a power of two.
    leaves: usize,
    /// 1-based heap: node k has children 2k and 2k+1; leaves at `leaves..2 * leaves`.
    tree: Vec<Entry>,
}

impl LeastLoaded {
    /// Least connections.
    pub fn connections() -> Self {
        LeastLoaded::with(Measure::Connections)
    }

    /// Weighted least connections: connections / weight.
    pub fn per_weight() -> Self {
        LeastLoaded::with(Measure::PerWeight)
    }

    fn with(measure: Measure) -> Self {
        LeastLoaded { measure, servers: 0, leaves: 1, tree: vec![Entry::INFINITE; 2] }
    }

    /// Rebuilds the whole tree from the pool, O(n).
    fn rebuild(&mut self, servers: &[Server]) {
        self.servers = servers.len();
        self.leaves = servers.len().next_power_of_two();
        self.tree.clear();
        self.tree.resize(2 * self.leaves, Entry::INFINITE);
        for (i, s) in servers.iter().enumerate() {
            self.tree[self.leaves + i] = self.measure.entry(s, i);
        }
        for k in (1..self.leaves).rev() {
            self.tree[k] = Entry::winner(self.tree[2 * k], self.tree[2 * k + 1]);
        }
    }

    /// Replays the matches on the path from `position`'s leaf to the root, stopping
    /// where a node comes out as it was.
    #[inline]
    fn update(&mut self, servers: &[Server], position: usize) {
        let mut k = self.leaves + position;
        self.tree[k] = self.measure.entry(&servers[position], position);
        k /= 2;
        while k > 0 {
            let winner = Entry::winner(self.tree[2 * k], self.tree[2 * k + 1]);
            if self.tree[k] == winner {
                break;
            }
            self.tree[k] = winner;
            k /= 2;
        }
    }
}

impl Balancer for LeastLoaded {
    fn pick(
        &mut self,
        servers: &[Server],
        _request: RequestInfo,
        _rng: &mut SimRng,
        why: Option<&mut Decision>,
    ) -> Option<usize> {
        if self.servers != servers.len() {
            self.rebuild(servers);
        }
        let root = self.tree[1];
        if root.weight == 0 {
            return None;
        }
        let chosen = root.position as usize;
        debug_assert!(servers[chosen].eligible(), "pool_changed was not called after a change");
        if let Some(d) = why {
            d.choose(&servers[chosen].name, self.measure.score(&servers[chosen]));
            for (i, s) in servers.iter().enumerate() {
                if i != chosen && s.eligible() {
                    d.consider(&s.name, self.measure.score(s));
                }
            }
        }
        Some(chosen)
    }

    fn pool_changed(&mut self, servers: &[Server]) {
        self.rebuild(servers);
    }

    fn connections_changed(&mut self, servers: &[Server], index: usize) {
        if self.servers == servers.len() {
            self.update(servers, index);
        } else {
            self.rebuild(servers);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{hold, mark_down, pool, release, route};
    use super::*;
    use crate::Algorithm;

    const NOW: RequestInfo = RequestInfo { key: 0, now: 0 };

    /// The leftmost least-loaded eligible server by a plain scan.
    fn linear(servers: &[Server], per_weight: bool) -> Option<usize> {
        let load = |s: &Server| (u64::from(s.connections()), if per_weight { u64::from(s.weight) } else { 1 });
        let mut best: Option<usize> = None;
        for (i, s) in servers.iter().enumerate().filter(|(_, s)| s.eligible()) {
            let (c, w) = load(s);
            if best.is_none_or(|b| {
                let (bc, bw) = load(&servers[b]);
                c * bw < bc * w
            }) {
                best = Some(i);
            }
        }
        best
    }

    #[test]
    fn ten_requests_that_never_complete_go_round() {
        let mut servers = pool(3, &[]);
        let picks = route(&mut LeastLoaded::connections(), &mut servers, 10, 1);
        assert_eq!(picks.join(" "), "server1 server2 server3 server1 server2 server3 server1 server2 server3 server1");
    }

    #[test]
    fn ties_go_to_the_first_and_ineligible_are_skipped() {
        let mut servers = pool(5, &[]);
        let mut b = LeastLoaded::connections();
        hold(&mut servers, 0);
        hold(&mut servers, 2);
        mark_down(&mut servers, 1);
        b.pool_changed(&servers);
        let mut rng = SimRng::new(0, 0);
        assert_eq!(b.pick(&servers, NOW, &mut rng, None), Some(3));
        hold(&mut servers, 3);
        b.connections_changed(&servers, 3);
        assert_eq!(b.pick(&servers, NOW, &mut rng, None), Some(4));
        hold(&mut servers, 4);
        b.connections_changed(&servers, 4);
        assert_eq!(b.pick(&servers, NOW, &mut rng, None), Some(0));
    }

    #[test]
    fn none_eligible_gives_none() {
        let mut servers = pool(3, &[]);
        for i in 0..3 {
            mark_down(&mut servers, i);
        }
        let mut b = LeastLoaded::connections();
        b.pool_changed(&servers);
        assert_eq!(b.pick(&servers, NOW, &mut SimRng::new(0, 0), None), None);
        let mut b = LeastLoaded::per_weight();
        b.pool_changed(&[]);
        assert_eq!(b.pick(&[], NOW, &mut SimRng::new(0, 0), None), None);
    }

    #[test]
    fn per_weight_shares_by_weight_and_compares_exactly() {
        let mut servers = pool(2, &[3, 1]);
        let picks = route(&mut LeastLoaded::per_weight(), &mut servers, 8, 1);
        assert_eq!(picks.join(" "), "server1 server2 server1 server1 server1 server2 server1 server1");

        // 1/3 against 2/6: equal, so the first wins; 1/3 against 2/5: 1/3 is lower.
        let mut servers = pool(3, &[6, 3, 5]);
        for (i, c) in [(0, 2), (1, 1), (2, 2)] {
            for _ in 0..c {
                hold(&mut servers, i);
            }
        }
        let mut b = LeastLoaded::per_weight();
        b.pool_changed(&servers);
        assert_eq!(b.pick(&servers, NOW, &mut SimRng::new(0, 0), None), Some(0));
    }

    #[test]
    fn agrees_with_a_linear_scan_after_random_changes() {
        let mut rng = SimRng::new(99, 0);
        for per_weight in [false, true] {
            for round in 0..40 {
                let n = 1 + rng.below(40) as usize;
                let weights: Vec<u32> = (0..n).map(|_| rng.below(5) as u32).collect();
                let mut servers = pool(n, &weights);
                let mut b = if per_weight { LeastLoaded::per_weight() } else { LeastLoaded::connections() };
                b.pool_changed(&servers);
                for step in 0..500 {
                    let i = rng.below(n as u64) as usize;
                    match rng.below(10) {
                        0 => {
                            servers[i].seen_down = !servers[i].seen_down;
                            b.pool_changed(&servers);
                        }
                        1..=5 => {
                            hold(&mut servers, i);
                            b.connections_changed(&servers, i);
                        }
                        _ => {
                            if release(&mut servers, i) {
                                b.connections_changed(&servers, i);
                            }
                        }
                    }
                    let got = b.pick(&servers, NOW, &mut rng, None);
                    assert_eq!(got, linear(&servers, per_weight), "per_weight {per_weight} round {round} step {step}");
                }
            }
        }
    }

    #[test]
    fn explains_with_the_others_connections() {
        let mut servers = pool(3, &[]);
        hold(&mut servers, 0);
        hold(&mut servers, 2);
        let mut b = LeastLoaded::connections();
        b.pool_changed(&servers);
        let mut d = Decision::new(Algorithm::LeastConnections);
        assert_eq!(b.pick(&servers, NOW, &mut SimRng::new(0, 0), Some(&mut d)), Some(1));
        assert_eq!(d.to_string(), "least-connections chose server2: 0 connections (server1: 1, server3: 1)");
    }

    #[test]
    fn explains_per_weight() {
        let mut servers = pool(2, &[2, 1]);
        hold(&mut servers, 0);
        hold(&mut servers, 1);
        let mut b = LeastLoaded::per_weight();
        b.pool_changed(&servers);
        let mut d = Decision::new(Algorithm::WeightedLeastConnections);
        b.pick(&servers, NOW, &mut SimRng::new(0, 0), Some(&mut d));
        assert_eq!(
            d.to_string(),
            "weighted-least-connections chose server1: 1 connections / weight 2 = 0.50 (server2: 1/1)"
        );
    }
}
