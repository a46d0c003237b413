//! Consistent hashing with bounded loads (Mirrokni, Thorup and Zadimoghaddam 2018; HAProxy's
//! `hash-balance-factor`): the ring of [consistent hashing](super::consistent_hash), but no
//! server may take more than `bound = ⌈load_factor · (connections + 1) / n⌉` requests, the
//! total counted over the n eligible servers with the new request included. A key walks
//! the ring from its point and goes to the first eligible server still under the bound.
//! With idle servers it is plain consistent hashing; under a hot key it spills the excess
//! to the key's neighbours on the ring instead of piling it on one server.
//!
//! With a load factor of at least 1 some eligible server is always under the bound, so a
//! request is refused only when no server is eligible.
//!
//! The walk is the algorithm's cost. With many points per server they interleave, and a walk
//! passes few servers at the bound; with few (`vnodes 1`), servers at the bound form long runs
//! on the ring, as full slots do in linear probing, and every key landing in a run walks it:
//! routing 4 requests a server to 40,000 servers took 19 times as long as to 10,000. So with
//! one point per server ([`TREE_POINTS`]), a tree of the least load over ranges of ring
//! points ([`LoadTree`]) finds the first point under the bound in O(log n), and a change of
//! a server's load costs O(log n). The answer is the walk's; a decision names the first
//! [`LISTED`] servers passed and counts the others. The browser's wasm leaves the tree out:
//! its pools of at most 64 servers bound a walk.

use super::consistent_hash::{Ring, skip};
#[cfg(not(target_arch = "wasm32"))]
use super::decision::LISTED;
use super::{Balancer, Decision, Eligible, RequestInfo, Score, hash_key, ineligible_reason};
use crate::rng::SimRng;
use crate::server::Server;

/// A `loads` entry for a server that may not take requests.
const INELIGIBLE: u32 = u32::MAX;

#[cfg(not(target_arch = "wasm32"))]
/// Most points a server may have (vnodes x weight) for picks to search a [`LoadTree`] rather
/// than walk. One: then the points a walk passes are the servers it skips, so a decision
/// counts them without walking.
pub const TREE_POINTS: u64 = 1;

/// Not in the browser's wasm, whose pools of at most 64 servers bound a walk to 64 points (and
/// whose first load has no room for it).
#[cfg(not(target_arch = "wasm32"))]
/// The least load over each range of ring points, as a binary tree in an array: leaf k
/// (at `size + k`) holds the load of the server owning point k, each node the least of its
/// two children; leaves past the ring hold [`INELIGIBLE`].
#[derive(Debug, Default)]
struct LoadTree {
    /// Leaves: a power of two, at least the ring's points.
    size: usize,
    /// `2 · size` nodes; node 1 is the root.
    nodes: Vec<u32>,
    /// For each server position, its points.
    points: Vec<Vec<u32>>,
}

#[cfg(not(target_arch = "wasm32"))]
impl LoadTree {
    /// A tree for a ring whose k-th point `positions[k]` owns, with `loads` per position.
    fn new(positions: &[u32], loads: &[u32]) -> LoadTree {
        let size = positions.len().next_power_of_two();
        let mut nodes = vec![INELIGIBLE; 2 * size];
        let mut points = vec![Vec::new(); loads.len()];
        for (k, &p) in positions.iter().enumerate() {
            nodes[size + k] = loads[p as usize];
            points[p as usize].push(k as u32);
        }
        for i in (1..size).rev() {
            nodes[i] = nodes[2 * i].min(nodes[2 * i + 1]);
        }
        LoadTree { size, nodes, points }
    }

    /// Sets the load of every point of the server at `position`.
    fn set(&mut self, position: usize, load: u32) {
        for &k in &self.points[position] {
            let mut i = self.size + k as usize;
            self.nodes[i] = load;
            while i > 1 {
                i /= 2;
                let least = self.nodes[2 * i].min(self.nodes[2 * i + 1]);
                if self.nodes[i] == least {
                    break;
                }
                self.nodes[i] = least;
            }
        }
    }

    /// The first point at or after `from` whose load is below `bound`, if any.
    fn first_below(&self, from: usize, bound: u32) -> Option<usize> {
        if from >= self.size {
            return None;
        }
        let mut i = self.size + from;
        if self.nodes[i] >= bound {
            // climb until a right sibling holds a load below the bound
            loop {
                while i & 1 == 1 {
                    if i == 1 {
                        return None;
                    }
                    i /= 2;
                }
                i += 1;
                if self.nodes[i] < bound {
                    break;
                }
            }
            // then descend to its leftmost leaf below the bound
            while i < self.size {
                i *= 2;
                if self.nodes[i] >= bound {
                    i += 1;
                }
            }
        }
        Some(i - self.size)
    }

    /// The first point from `start` round the ring whose load is below `bound`.
    fn first_below_from(&self, start: usize, bound: u32) -> Option<usize> {
        self.first_below(start, bound).or_else(|| self.first_below(0, bound))
    }
}

/// Consistent hashing that skips servers at the load bound.
#[derive(Debug)]
pub struct BoundedLoad {
    ring: Ring,
    /// At least 1.
    load_factor: f64,
    /// Connections per server as last told, aligned with the pool; [`INELIGIBLE`] for a
    /// server that is not eligible. A walk reads this dense array, not the servers.
    loads: Vec<u32>,
    /// Connections over the eligible servers.
    total: u64,
    /// The least loads over the ring, when servers have at most [`TREE_POINTS`] points.
    #[cfg(not(target_arch = "wasm32"))]
    tree: Option<LoadTree>,
}

impl BoundedLoad {
    /// A ring with `vnodes` points per unit of weight, bounding each server at
    /// `load_factor` (taken as at least 1) times the average load.
    pub fn new(vnodes: u32, load_factor: f64) -> Self {
        let load_factor = if load_factor >= 1.0 { load_factor } else { 1.0 };
        BoundedLoad {
            ring: Ring::new(vnodes),
            load_factor,
            loads: Vec::new(),
            total: 0,
            #[cfg(not(target_arch = "wasm32"))]
            tree: None,
        }
    }

    /// The most connections a server may hold once the next request is placed (below
    /// [`INELIGIBLE`], so that an ineligible server is never under it).
    fn bound(&self) -> u32 {
        let average = (self.total + 1) as f64 / self.ring.eligible as f64;
        let bound = libm::ceil(self.load_factor * average);
        if bound >= f64::from(INELIGIBLE - 1) { INELIGIBLE - 1 } else { bound as u32 }
    }

    /// What a walk found at `position`, for a decision.
    fn reason(&self, servers: &[Server], position: usize, bound: u32) -> String {
        match self.loads[position] {
            INELIGIBLE => ineligible_reason(&servers[position]).to_string(),
            load if load == bound => format!("at bound {bound}"),
            _ => format!("above bound {bound}"),
        }
    }
}

impl Balancer for BoundedLoad {
    fn pick(
        &mut self,
        servers: &[Server],
        eligible: &Eligible,
        request: RequestInfo,
        _rng: &mut SimRng,
        mut why: Option<&mut Decision>,
    ) -> Option<usize> {
        if self.loads.len() != servers.len() || self.ring.is_stale(servers) {
            self.pool_changed(servers, eligible);
        }
        if self.ring.eligible == 0 {
            return None;
        }
        let bound = self.bound();
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(tree) = &self.tree {
            let start = self.ring.first_at_or_after(hash_key(request.key));
            let found = tree.first_below_from(start, bound).or_else(|| tree.first_below_from(start, INELIGIBLE))?;
            let chosen = self.ring.positions()[found] as usize;
            if let Some(d) = why {
                // one point per server: the points walked past are the servers skipped;
                // the first LISTED are named, the rest counted
                let points = self.ring.positions().len();
                let passed = (found + points - start) % points;
                let mut skipped = Vec::new();
                for k in (start..start + passed.min(LISTED)).map(|k| k % points) {
                    let position = self.ring.positions()[k] as usize;
                    skip(d, &mut skipped, servers, position, self.reason(servers, position, bound));
                }
                d.more += passed.saturating_sub(LISTED);
                d.choose(&servers[chosen].name, Score::Bounded { connections: servers[chosen].connections(), bound });
            }
            return Some(chosen);
        }
        let mut skipped = Vec::new();
        let mut fallback = None;
        let mut chosen = None;
        for (_, position) in self.ring.walk(hash_key(request.key)) {
            let load = self.loads[position];
            if load < bound {
                chosen = Some(position);
                break;
            }
            if load != INELIGIBLE {
                fallback = fallback.or(Some(position));
            }
            if let Some(d) = why.as_deref_mut() {
                skip(d, &mut skipped, servers, position, self.reason(servers, position, bound));
            }
        }
        // no fallback is needed while `total` is right; a stale count must still not
        // refuse a request
        let chosen = chosen.or(fallback)?;
        if let Some(d) = why {
            d.choose(&servers[chosen].name, Score::Bounded { connections: servers[chosen].connections(), bound });
        }
        Some(chosen)
    }

    fn pool_changed(&mut self, servers: &[Server], eligible: &Eligible) {
        self.ring.pool_changed(servers, eligible);
        self.loads = servers
            .iter()
            .enumerate()
            .map(|(i, s)| if eligible.contains(i) { s.connections() } else { INELIGIBLE })
            .collect();
        self.total = self.loads.iter().filter(|&&l| l != INELIGIBLE).map(|&l| u64::from(l)).sum();
        #[cfg(not(target_arch = "wasm32"))]
        {
            let most_points =
                servers.iter().map(|s| u64::from(s.weight)).max().unwrap_or(0) * u64::from(self.ring.vnodes());
            self.tree = (most_points <= TREE_POINTS).then(|| LoadTree::new(self.ring.positions(), &self.loads));
        }
    }

    fn connections_changed(&mut self, servers: &[Server], index: usize) {
        if self.loads.len() != servers.len() {
            self.pool_changed(servers, &Eligible::of(servers));
            return;
        }
        let before = self.loads[index];
        if before != INELIGIBLE {
            let now = servers[index].connections();
            self.total = (self.total + u64::from(now)).saturating_sub(u64::from(before));
            self.loads[index] = now;
            #[cfg(not(target_arch = "wasm32"))]
            if let Some(tree) = &mut self.tree {
                tree.set(index, now);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::consistent_hash::ConsistentHash;
    use super::super::testing::{assign, hold, mark_down, pool, release};
    use super::*;
    use crate::Algorithm;

    #[test]
    fn no_server_ever_exceeds_the_bound() {
        for load_factor in [1.0, 1.25, 2.0] {
            let mut servers = pool(10, &[1, 1, 1, 2, 1, 1, 3, 1, 1, 1]);
            mark_down(&mut servers, 4);
            let mut b = BoundedLoad::new(50, load_factor);
            b.pool_changed(&servers, &Eligible::of(&servers));
            let mut rng = SimRng::new(3, 0);
            for step in 0..5_000u64 {
                // a hot key half the time, so the bound is what spreads the load
                let key = if step % 2 == 0 { 7 } else { step };
                let total: u64 = servers.iter().filter(|s| s.eligible()).map(|s| u64::from(s.connections())).sum();
                let bound = libm::ceil(load_factor * (total + 1) as f64 / 9.0) as u32;
                let i = b
                    .pick(&servers, &Eligible::of(&servers), RequestInfo { key, now: 0 }, &mut rng, None)
                    .expect("eligible");
                assert!(servers[i].eligible());
                hold(&mut servers, i);
                b.connections_changed(&servers, i);
                assert!(servers[i].connections() <= bound, "factor {load_factor} step {step}");
                // and some complete, so loads go down as well as up
                if step % 3 == 0 {
                    let j = rng.below(10) as usize;
                    if release(&mut servers, j) {
                        b.connections_changed(&servers, j);
                    }
                }
            }
        }
    }

    #[test]
    fn with_idle_servers_it_is_consistent_hashing() {
        let mut servers = pool(10, &[1, 2, 1, 1, 1, 1, 1, 1, 1, 1]);
        mark_down(&mut servers, 2);
        let ring = assign(&mut ConsistentHash::new(100), &servers, 0..20_000);
        let bounded = assign(&mut BoundedLoad::new(100, 1.25), &servers, 0..20_000);
        assert_eq!(ring, bounded);
    }

    #[test]
    fn a_hot_key_spills_to_the_next_servers_on_the_ring() {
        let mut servers = pool(4, &[]);
        let mut b = BoundedLoad::new(100, 1.0);
        b.pool_changed(&servers, &Eligible::of(&servers));
        let mut rng = SimRng::new(0, 0);
        let req = RequestInfo { key: 42, now: 0 };
        for _ in 0..40 {
            let i = b.pick(&servers, &Eligible::of(&servers), req, &mut rng, None).expect("eligible");
            hold(&mut servers, i);
            b.connections_changed(&servers, i);
        }
        // load factor 1: perfectly even
        assert!(servers.iter().all(|s| s.connections() == 10));
    }

    #[test]
    fn the_tree_finds_the_server_the_walk_finds() {
        // One point per server (the tree) against the same picks explained (the walk), with
        // hot keys so that runs of servers at the bound form, and completions and a failure.
        let mut servers = pool(300, &[]);
        mark_down(&mut servers, 17);
        let mut b = BoundedLoad::new(1, 1.0);
        b.pool_changed(&servers, &Eligible::of(&servers));
        assert!(b.tree.is_some());
        let mut rng = SimRng::new(5, 0);
        for step in 0..20_000u64 {
            let key = if step % 3 == 0 { 7 } else { rng.below(40) };
            let req = RequestInfo { key, now: 0 };
            let eligible = Eligible::of(&servers);
            let fast = b.pick(&servers, &eligible, req, &mut rng, None);
            let mut d = Decision::new(Algorithm::BoundedLoad);
            let explained = b.pick(&servers, &eligible, req, &mut rng, Some(&mut d));
            let mut walk = BoundedLoad::new(1, 1.0);
            walk.pool_changed(&servers, &eligible);
            walk.tree = None;
            let mut w = Decision::new(Algorithm::BoundedLoad);
            let walked = walk.pick(&servers, &eligible, req, &mut rng, Some(&mut w));
            assert_eq!((fast, explained), (walked, walked), "step {step}");
            assert_eq!(d.to_string(), w.to_string(), "step {step}");
            let i = fast.expect("eligible");
            hold(&mut servers, i);
            b.connections_changed(&servers, i);
            if step % 2 == 0 {
                let j = rng.below(300) as usize;
                if release(&mut servers, j) {
                    b.connections_changed(&servers, j);
                }
            }
        }
    }

    #[test]
    fn only_one_point_per_server_takes_the_tree() {
        let servers = pool(4, &[1, 1, 0, 1]);
        let mut b = BoundedLoad::new(1, 1.25);
        b.pool_changed(&servers, &Eligible::of(&servers));
        assert!(b.tree.is_some());
        let servers = pool(4, &[1, 2, 1, 1]);
        b.pool_changed(&servers, &Eligible::of(&servers));
        assert!(b.tree.is_none(), "a server of weight 2 has two points: the walk");
    }

    #[test]
    fn none_eligible_gives_none() {
        let servers = pool(2, &[0, 0]);
        let mut b = BoundedLoad::new(10, 1.25);
        b.pool_changed(&servers, &Eligible::of(&servers));
        assert_eq!(
            b.pick(&servers, &Eligible::of(&servers), RequestInfo { key: 0, now: 0 }, &mut SimRng::new(0, 0), None),
            None
        );
    }

    #[test]
    fn explains_the_bound_and_the_servers_at_it() {
        let mut servers = pool(2, &[]);
        let mut b = BoundedLoad::new(10, 1.0);
        b.pool_changed(&servers, &Eligible::of(&servers));
        let req = RequestInfo { key: 9, now: 0 };
        let mut rng = SimRng::new(0, 0);
        let first = b.pick(&servers, &Eligible::of(&servers), req, &mut rng, None).expect("eligible");
        hold(&mut servers, first);
        b.connections_changed(&servers, first);
        // total 1, bound ⌈(1 + 1) / 2⌉ = 1: the key's own server is at the bound
        let mut d = Decision::new(Algorithm::BoundedLoad);
        let next = b.pick(&servers, &Eligible::of(&servers), req, &mut rng, Some(&mut d)).expect("eligible");
        assert_ne!(next, first);
        assert_eq!(
            d.to_string(),
            format!(
                "bounded-load chose {}: 0 connections, under the bound of 1 ({}: skipped, at bound 1)",
                servers[next].name, servers[first].name
            )
        );
    }
}
