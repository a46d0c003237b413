//! Least loaded: every eligible server is a candidate, and the one with the lowest load
//! wins. Two load measures:
//! - [`Connections`] (`least-connections`), ties going to the first in server order;
//! - [`PerWeight`], connections per unit of weight (`weighted-least-connections`),
//!   compared exactly: a/w < b/v exactly when a·v < b·w. Ties go to the heavier server,
//!   then to the first in server order, as nginx's weighted `least_conn` favours the
//!   heavier server: with weights 1, 5, 1 all idle, the weight-5 server takes the first
//!   request whatever its position.
//!
//! The minimum is kept in a tournament tree over server positions: each node holds the
//! leftmost least-loaded server of its subtree, an ineligible server counts as infinitely
//! loaded, and the root is the answer. A change in one server's connections replays only
//! its path to the root, O(log n); a pick reads the root, O(1).
//!
//! Each node is one integer key that orders by load and then by position, so a match is a
//! plain `min`, and the tree is 8-ary with each node's children in one 64-byte cache line:
//! at 10,000 servers a change replays 5 matches, not 14.

use std::marker::PhantomData;

use super::{Balancer, Decision, Eligible, RequestInfo, Score};
use crate::rng::SimRng;
use crate::server::Server;

/// Children per node of the tournament tree.
const ARITY: usize = 8;

/// A tree key: smaller means less loaded, ties broken by the position in its low bits.
pub trait Key: Copy + Ord + std::fmt::Debug + Send {
    /// The key of an ineligible server or an empty leaf, above every other.
    const INFINITE: Self;
    /// The server position it carries.
    fn position(self) -> usize;
}

impl Key for u64 {
    const INFINITE: u64 = u64::MAX;
    #[inline]
    fn position(self) -> usize {
        (self & 0xffff_ffff) as usize
    }
}

impl Key for (u128, u64) {
    const INFINITE: (u128, u64) = (u128::MAX, u64::MAX);
    #[inline]
    fn position(self) -> usize {
        (self.1 & 0xffff_ffff) as usize
    }
}

/// A way to measure a server's load.
pub trait Measure: Send {
    /// The tree key that orders servers by this load.
    type Key: Key;
    /// `server`'s key at `position` (an eligible server).
    fn key(server: &Server, position: usize) -> Self::Key;
    /// `server`'s load in a decision.
    fn score(server: &Server) -> Score;
}

/// Connections held. Key: connections in the high 32 bits, position in the low 32.
#[derive(Debug)]
pub struct Connections;

impl Measure for Connections {
    type Key = u64;
    #[inline]
    fn key(server: &Server, position: usize) -> u64 {
        (u64::from(server.connections()) << 32) | position as u64
    }
    fn score(server: &Server) -> Score {
        Score::Connections { connections: server.connections() }
    }
}

/// Connections per unit of weight. Key: ⌊connections · 2⁶⁴ / weight⌋, then the weight
/// (heavier first), then the position. The floor keeps the order exact: two different
/// fractions with denominators below 2³² differ by more than 2⁻⁶⁴, so their scaled values
/// differ by more than 1.
#[derive(Debug)]
pub struct PerWeight;

impl Measure for PerWeight {
    type Key = (u128, u64);
    #[inline]
    fn key(server: &Server, position: usize) -> (u128, u64) {
        per_weight_key(server.connections(), server.weight, position)
    }
    fn score(server: &Server) -> Score {
        Score::PerWeight { connections: server.connections(), weight: server.weight }
    }
}

/// The [`PerWeight`] key of `connections / weight` (weight > 0) at `position`: the ratio,
/// then the weight's complement (so that the heavier server is the smaller key), then the
/// position.
#[inline]
fn per_weight_key(connections: u32, weight: u32, position: usize) -> (u128, u64) {
    let ratio = (u128::from(connections) << 64) / u128::from(weight);
    (ratio, (u64::from(u32::MAX - weight) << 32) | position as u64)
}

/// The children of one node, in one cache line (two for 16-byte keys).
#[derive(Clone, Copy, Debug)]
#[repr(C, align(64))]
struct Group<K>([K; ARITY]);

/// An 8-ary tournament tree of keys. Node m's children are nodes 8m..8m+7, which is
/// `groups[m]`; the root is node 1; the leaves are nodes `leaves..2 * leaves`.
#[derive(Debug)]
struct Tournament<K> {
    /// Leaves: a power of 8 at least the pool size.
    leaves: usize,
    groups: Vec<Group<K>>,
}

impl<K: Key> Tournament<K> {
    /// A tree over these leaf keys.
    fn new(keys: impl ExactSizeIterator<Item = K>) -> Self {
        let mut leaves = ARITY;
        while leaves < keys.len() {
            leaves *= ARITY;
        }
        let mut tree = Tournament { leaves, groups: vec![Group([K::INFINITE; ARITY]); 2 * leaves / ARITY] };
        for (i, key) in keys.enumerate() {
            tree.set(leaves + i, key);
        }
        // each level's nodes are level..2 * level, from the one above the leaves up
        let mut level = leaves / ARITY;
        while level >= 1 {
            for m in level..2 * level {
                tree.set(m, tree.best_child(m));
            }
            level /= ARITY;
        }
        tree
    }

    #[inline]
    fn get(&self, node: usize) -> K {
        self.groups[node / ARITY].0[node % ARITY]
    }

    #[inline]
    fn set(&mut self, node: usize, key: K) {
        self.groups[node / ARITY].0[node % ARITY] = key;
    }

    /// The winner among `node`'s children.
    #[inline]
    fn best_child(&self, node: usize) -> K {
        let c = &self.groups[node].0;
        // a balanced bracket: three rounds of independent `min`s
        let a = c[0].min(c[1]).min(c[2].min(c[3]));
        let b = c[4].min(c[5]).min(c[6].min(c[7]));
        a.min(b)
    }

    /// The overall winner.
    #[inline]
    fn root(&self) -> K {
        self.get(1)
    }

    /// Sets leaf `i` and replays the matches above it, stopping where a node comes out
    /// as it was (everything above it is then unchanged too).
    #[inline]
    fn update(&mut self, i: usize, key: K) {
        let mut node = self.leaves + i;
        self.set(node, key);
        while node > 1 {
            node /= ARITY;
            let best = self.best_child(node);
            if self.get(node) == best {
                break;
            }
            self.set(node, best);
        }
    }
}

/// The eligible server with the least load by measure `M`.
#[derive(Debug)]
pub struct LeastLoaded<M: Measure> {
    /// Which servers were eligible when the tree was built (its length: the pool's size).
    eligible: Vec<bool>,
    tree: Tournament<M::Key>,
    measure: PhantomData<M>,
}

impl LeastLoaded<Connections> {
    /// Least connections.
    pub fn connections() -> Self {
        LeastLoaded::new()
    }
}

impl LeastLoaded<PerWeight> {
    /// Weighted least connections: connections / weight.
    pub fn per_weight() -> Self {
        LeastLoaded::new()
    }
}

impl<M: Measure> LeastLoaded<M> {
    fn new() -> Self {
        LeastLoaded { eligible: Vec::new(), tree: Tournament::new(std::iter::empty()), measure: PhantomData }
    }

    /// Rebuilds the whole tree from the pool, O(n).
    fn rebuild(&mut self, servers: &[Server], eligible: &Eligible) {
        self.eligible = (0..servers.len()).map(|i| eligible.contains(i)).collect();
        self.tree = Tournament::new(servers.iter().enumerate().map(|(i, s)| self.key(s, i)));
    }

    /// `servers[i]`'s tree key: [`Key::INFINITE`] when it is not eligible.
    #[inline]
    fn key(&self, server: &Server, i: usize) -> M::Key {
        if self.eligible[i] { M::key(server, i) } else { M::Key::INFINITE }
    }
}

impl<M: Measure> Balancer for LeastLoaded<M> {
    fn pick(
        &mut self,
        servers: &[Server],
        eligible: &Eligible,
        _request: RequestInfo,
        _rng: &mut SimRng,
        why: Option<&mut Decision>,
    ) -> Option<usize> {
        if self.eligible.len() != servers.len() {
            self.rebuild(servers, eligible);
        }
        let root = self.tree.root();
        if root == M::Key::INFINITE {
            return None;
        }
        let chosen = root.position();
        if let Some(d) = why {
            d.choose(&servers[chosen].name, M::score(&servers[chosen]));
            for i in eligible.positions().iter().map(|&i| i as usize).filter(|&i| i != chosen) {
                d.consider(&servers[i].name, M::score(&servers[i]));
            }
        }
        Some(chosen)
    }

    fn pool_changed(&mut self, servers: &[Server], eligible: &Eligible) {
        self.rebuild(servers, eligible);
    }

    fn connections_changed(&mut self, servers: &[Server], index: usize) {
        if self.eligible.len() == servers.len() {
            let key = self.key(&servers[index], index);
            self.tree.update(index, key);
        } else {
            self.rebuild(servers, &Eligible::of(servers));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{hold, mark_down, pool, release, route};
    use super::*;
    use crate::Algorithm;

    const NOW: RequestInfo = RequestInfo { key: 0, now: 0 };

    /// The least-loaded eligible server by a plain scan: per weight, ties to the heavier;
    /// then to the leftmost.
    fn linear(servers: &[Server], per_weight: bool) -> Option<usize> {
        let load = |s: &Server| (u64::from(s.connections()), if per_weight { u64::from(s.weight) } else { 1 });
        let mut best: Option<usize> = None;
        for (i, s) in servers.iter().enumerate().filter(|(_, s)| s.eligible()) {
            let (c, w) = load(s);
            if best.is_none_or(|b| {
                let (bc, bw) = load(&servers[b]);
                c * bw < bc * w || (c * bw == bc * w && w > bw)
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
        b.pool_changed(&servers, &Eligible::of(&servers));
        let mut rng = SimRng::new(0, 0);
        assert_eq!(b.pick(&servers, &Eligible::of(&servers), NOW, &mut rng, None), Some(3));
        hold(&mut servers, 3);
        b.connections_changed(&servers, 3);
        assert_eq!(b.pick(&servers, &Eligible::of(&servers), NOW, &mut rng, None), Some(4));
        hold(&mut servers, 4);
        b.connections_changed(&servers, 4);
        assert_eq!(b.pick(&servers, &Eligible::of(&servers), NOW, &mut rng, None), Some(0));
    }

    #[test]
    fn none_eligible_gives_none() {
        let mut servers = pool(3, &[]);
        for i in 0..3 {
            mark_down(&mut servers, i);
        }
        let mut b = LeastLoaded::connections();
        b.pool_changed(&servers, &Eligible::of(&servers));
        assert_eq!(b.pick(&servers, &Eligible::of(&servers), NOW, &mut SimRng::new(0, 0), None), None);
        let mut b = LeastLoaded::per_weight();
        b.pool_changed(&[], &Eligible::default());
        assert_eq!(b.pick(&[], &Eligible::default(), NOW, &mut SimRng::new(0, 0), None), None);
    }

    #[test]
    fn per_weight_shares_by_weight_and_compares_exactly() {
        let mut servers = pool(2, &[3, 1]);
        let picks = route(&mut LeastLoaded::per_weight(), &mut servers, 8, 1);
        assert_eq!(picks.join(" "), "server1 server2 server1 server1 server1 server2 server1 server1");

        // 2/6 against 1/3: equal, so the heavier (weight 6) wins; 1/3 against 2/5: 1/3 is lower.
        let mut servers = pool(3, &[6, 3, 5]);
        for (i, c) in [(0, 2), (1, 1), (2, 2)] {
            for _ in 0..c {
                hold(&mut servers, i);
            }
        }
        let mut b = LeastLoaded::per_weight();
        b.pool_changed(&servers, &Eligible::of(&servers));
        assert_eq!(b.pick(&servers, &Eligible::of(&servers), NOW, &mut SimRng::new(0, 0), None), Some(0));
    }

    #[test]
    fn agrees_with_a_linear_scan_after_random_changes() {
        let mut rng = SimRng::new(99, 0);
        for per_weight in [false, true] {
            for round in 0..40 {
                // mostly small pools, some with three levels of tree
                let n = 1 + rng.below(if round % 4 == 0 { 700 } else { 40 }) as usize;
                let weights: Vec<u32> = (0..n).map(|_| rng.below(5) as u32).collect();
                let mut servers = pool(n, &weights);
                let mut b: Box<dyn Balancer> =
                    if per_weight { Box::new(LeastLoaded::per_weight()) } else { Box::new(LeastLoaded::connections()) };
                b.pool_changed(&servers, &Eligible::of(&servers));
                for step in 0..500 {
                    let i = rng.below(n as u64) as usize;
                    match rng.below(10) {
                        0 => {
                            servers[i].seen_down = !servers[i].seen_down;
                            b.pool_changed(&servers, &Eligible::of(&servers));
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
                    let got = b.pick(&servers, &Eligible::of(&servers), NOW, &mut rng, None);
                    assert_eq!(got, linear(&servers, per_weight), "per_weight {per_weight} round {round} step {step}");
                }
            }
        }
    }

    #[test]
    fn per_weight_keys_order_exactly_as_cross_multiplication() {
        let mut rng = SimRng::new(17, 0);
        let value = |rng: &mut SimRng| match rng.below(3) {
            0 => rng.below(8) as u32,
            1 => u32::MAX - rng.below(8) as u32,
            _ => rng.next_u64() as u32,
        };
        for _ in 0..100_000 {
            let (c1, c2) = (value(&mut rng), value(&mut rng));
            let (w1, w2) = (value(&mut rng).max(1), value(&mut rng).max(1));
            let exact = (u64::from(c1) * u64::from(w2)).cmp(&(u64::from(c2) * u64::from(w1)));
            let keys = per_weight_key(c1, w1, 0).0.cmp(&per_weight_key(c2, w2, 0).0);
            assert_eq!(keys, exact, "{c1}/{w1} against {c2}/{w2}");
        }
    }

    #[test]
    fn per_weight_ties_go_to_the_heavier_server_wherever_it_is_listed() {
        // all idle: 0/1 = 0/5 = 0/1, so the weight-5 server wins, as in nginx's least_conn
        for (weights, heavy) in [([1, 5, 1], 1), ([5, 1, 1], 0), ([1, 1, 5], 2)] {
            let mut servers = pool(3, &weights);
            let mut b = LeastLoaded::per_weight();
            b.pool_changed(&servers, &Eligible::of(&servers));
            assert_eq!(
                b.pick(&servers, &Eligible::of(&servers), NOW, &mut SimRng::new(0, 0), None),
                Some(heavy),
                "weights {weights:?}"
            );
            // 1/5 against 0/1: the idle light servers are less loaded; between them the first
            hold(&mut servers, heavy);
            b.connections_changed(&servers, heavy);
            let first_light = if heavy == 0 { 1 } else { 0 };
            assert_eq!(
                b.pick(&servers, &Eligible::of(&servers), NOW, &mut SimRng::new(0, 0), None),
                Some(first_light),
                "weights {weights:?}"
            );
        }
        // weights 2, 4, 4 with 1, 2, 2 connections: all 1/2; the first of the two heaviest
        let mut servers = pool(3, &[2, 4, 4]);
        for (i, c) in [(0, 1), (1, 2), (2, 2)] {
            for _ in 0..c {
                hold(&mut servers, i);
            }
        }
        let mut b = LeastLoaded::per_weight();
        b.pool_changed(&servers, &Eligible::of(&servers));
        assert_eq!(b.pick(&servers, &Eligible::of(&servers), NOW, &mut SimRng::new(0, 0), None), Some(1));
    }

    #[test]
    fn explains_with_the_others_connections() {
        let mut servers = pool(3, &[]);
        hold(&mut servers, 0);
        hold(&mut servers, 2);
        let mut b = LeastLoaded::connections();
        b.pool_changed(&servers, &Eligible::of(&servers));
        let mut d = Decision::new(Algorithm::LeastConnections);
        assert_eq!(b.pick(&servers, &Eligible::of(&servers), NOW, &mut SimRng::new(0, 0), Some(&mut d)), Some(1));
        assert_eq!(d.to_string(), "least-connections chose server2: 0 connections (server1: 1, server3: 1)");
    }

    #[test]
    fn explains_per_weight() {
        let mut servers = pool(2, &[2, 1]);
        hold(&mut servers, 0);
        hold(&mut servers, 1);
        let mut b = LeastLoaded::per_weight();
        b.pool_changed(&servers, &Eligible::of(&servers));
        let mut d = Decision::new(Algorithm::WeightedLeastConnections);
        b.pick(&servers, &Eligible::of(&servers), NOW, &mut SimRng::new(0, 0), Some(&mut d));
        assert_eq!(
            d.to_string(),
            "weighted-least-connections chose server1: 1 connection / weight 2 = 0.50 (server2: 1/1)"
        );
    }
}
