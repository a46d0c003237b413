//! Consistent hashing (Karger et al. 1997) on a ring with virtual nodes: each server of
//! weight w puts `vnodes · w` points on a 64-bit ring, at the hashes of `name#0`,
//! `name#1`, ...; a key goes to the owner of the first point at or after the key's hash,
//! wrapping around. Adding an eleventh server to ten moves only the keys it takes over,
//! about 1/11 of them; removing one moves only its own keys.
//!
//! A server that fails or drains keeps its points: its keys walk on to the next eligible
//! owner along the ring, and every other key stays where it was. Walking past an
//! ineligible server's points lands where a ring without it would, so the ring picks only
//! among eligible servers while a change of health costs no rebuild, and a decision can
//! name the servers the key walked past. The [`Ring`] is shared
//! with bounded-load consistent hashing, which walks on for a different reason.

use std::fmt::Write;
use std::sync::Arc;

#[cfg(feature = "lazy-departures")]
use super::Reads;
use super::{Balancer, Decision, Eligible, RequestInfo, Score, hash_key, hash_str, ineligible_reason};
use crate::rng::SimRng;
use crate::server::{Server, ServerId};

/// A hash ring of virtual nodes over the pool's servers.
#[derive(Debug)]
pub(super) struct Ring {
    /// Points per server per unit of weight (at least 1).
    vnodes: u32,
    /// The points' hashes, ascending.
    hashes: Vec<u64>,
    /// `positions[k]`: the position in the pool of the server owning `hashes[k]`.
    positions: Vec<u32>,
    /// Where a lookup starts: `buckets[b]` is the first point whose top `bucket_bits` bits
    /// are at least b, so a search stays within one bucket of a few points rather than
    /// hopping across a ring of millions (one cache miss instead of twenty).
    buckets: Vec<u32>,
    /// log2 of the number of buckets; 0 means one bucket, the whole ring.
    bucket_bits: u32,
    /// The servers the points were made for (id, weight, name), in pool order.
    members: Vec<(ServerId, u32, Arc<str>)>,
    /// Eligible servers in the pool, as of the last pool change.
    pub eligible: usize,
}

impl Ring {
    /// An empty ring with `vnodes` points per unit of weight.
    pub fn new(vnodes: u32) -> Self {
        Ring {
            vnodes: vnodes.max(1),
            hashes: Vec::new(),
            positions: Vec::new(),
            buckets: vec![0, 0],
            bucket_bits: 0,
            members: Vec::new(),
            eligible: 0,
        }
    }

    /// Whether the ring was made for this pool (same servers, names and weights, in order).
    fn is_for(&self, servers: &[Server]) -> bool {
        self.members.len() == servers.len()
            && self
                .members
                .iter()
                .zip(servers)
                .all(|((id, w, name), s)| *id == s.id && *w == s.weight && *name == s.name)
    }

    /// Whether the pool plainly changed size without a pool change being reported: an
    /// O(1) guard for picks, where [`Ring::pool_changed`] does the full check.
    pub fn is_stale(&self, servers: &[Server]) -> bool {
        self.members.len() != servers.len()
    }

    /// Brings the ring up to date with the pool. The points depend only on membership,
    /// names and weights, so a change of health alone costs O(n), not a rebuild.
    pub fn pool_changed(&mut self, servers: &[Server], eligible: &Eligible) {
        self.eligible = eligible.len();
        if self.is_for(servers) {
            return;
        }
        self.members = servers.iter().map(|s| (s.id, s.weight, s.name.clone())).collect();
        let mut points: Vec<(u64, u32)> = Vec::new();
        let mut label = String::new();
        for (position, s) in servers.iter().enumerate() {
            for i in 0..u64::from(self.vnodes) * u64::from(s.weight) {
                label.clear();
                // writing to a String cannot fail
                let _ = write!(label, "{}#{i}", s.name);
                points.push((hash_str(&label), position as u32));
            }
        }
        points.sort_unstable();
        self.hashes = points.iter().map(|p| p.0).collect();
        self.positions = points.iter().map(|p| p.1).collect();
        self.index_buckets();
    }

    /// Fills `buckets`, about four points to a bucket.
    fn index_buckets(&mut self) {
        let n = self.hashes.len();
        self.bucket_bits = if n < 64 { 0 } else { (n.ilog2() - 2).min(24) };
        let count = 1usize << self.bucket_bits;
        self.buckets.clear();
        let mut k = 0;
        for b in 0..count as u64 {
            while k < n && self.bucket(self.hashes[k]) < b {
                k += 1;
            }
            self.buckets.push(k as u32);
        }
        self.buckets.push(n as u32);
    }

    /// The bucket of a hash: its top `bucket_bits` bits.
    #[inline]
    fn bucket(&self, hash: u64) -> u64 {
        hash.checked_shr(64 - self.bucket_bits).unwrap_or(0)
    }

    /// The index of the first point at or after `hash`; `hashes.len()` when none is.
    #[inline]
    pub(super) fn first_at_or_after(&self, hash: u64) -> usize {
        let b = self.bucket(hash) as usize;
        let (lo, hi) = (self.buckets[b] as usize, self.buckets[b + 1] as usize);
        lo + self.hashes[lo..hi].partition_point(|&h| h < hash)
    }

    /// Points per server per unit of weight.
    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn vnodes(&self) -> u32 {
        self.vnodes
    }

    /// `positions[k]`: the position in the pool of the server owning the k-th point.
    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn positions(&self) -> &[u32] {
        &self.positions
    }

    /// The points from the first at or after `hash` once round the ring: (point, position).
    pub fn walk(&self, hash: u64) -> impl Iterator<Item = (u64, usize)> + '_ {
        let n = self.hashes.len();
        let start = self.first_at_or_after(hash);
        (start..n).chain(0..start).map(|k| (self.hashes[k], self.positions[k] as usize))
    }
}

/// Records `servers[position]` as skipped with `reason`, once per server.
pub(super) fn skip(why: &mut Decision, skipped: &mut Vec<usize>, servers: &[Server], position: usize, reason: String) {
    if !skipped.contains(&position) {
        skipped.push(position);
        why.consider(&servers[position].name, Score::Skipped { reason });
    }
}

/// Consistent hashing on a ring with virtual nodes.
#[derive(Debug)]
pub struct ConsistentHash {
    ring: Ring,
}

impl ConsistentHash {
    /// A ring with `vnodes` points per server per unit of weight (0 is taken as 1).
    pub fn new(vnodes: u32) -> Self {
        ConsistentHash { ring: Ring::new(vnodes) }
    }
}

impl Balancer for ConsistentHash {
    #[cfg(feature = "lazy-departures")]
    fn reads(&self) -> Reads {
        Reads::Chosen
    }

    fn pick(
        &mut self,
        servers: &[Server],
        eligible: &Eligible,
        request: RequestInfo,
        _rng: &mut SimRng,
        mut why: Option<&mut Decision>,
    ) -> Option<usize> {
        if self.ring.is_stale(servers) {
            self.ring.pool_changed(servers, eligible);
        }
        if self.ring.eligible == 0 {
            return None;
        }
        let mut skipped = Vec::new();
        for (point, position) in self.ring.walk(hash_key(request.key)) {
            let s = &servers[position];
            if eligible.contains(position) {
                if let Some(d) = why.as_deref_mut() {
                    d.choose(&s.name, Score::Ring { key: request.key, point });
                }
                return Some(position);
            }
            if let Some(d) = why.as_deref_mut() {
                skip(d, &mut skipped, servers, position, ineligible_reason(s).to_string());
            }
        }
        None
    }

    fn pool_changed(&mut self, servers: &[Server], eligible: &Eligible) {
        self.ring.pool_changed(servers, eligible);
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assign, mark_down, pool, server};
    use super::*;
    use crate::Algorithm;

    const KEYS: u64 = 100_000;

    fn share(owners: &[Arc<str>], name: &str) -> f64 {
        owners.iter().filter(|o| &***o == name).count() as f64 / owners.len() as f64
    }

    #[test]
    fn adding_an_eleventh_server_moves_about_a_eleventh_all_to_it() {
        let mut servers = pool(10, &[]);
        let mut b = ConsistentHash::new(100);
        let before = assign(&mut b, &servers, 0..KEYS);
        servers.push(server(10, "server11"));
        let after = assign(&mut b, &servers, 0..KEYS);
        let moved: Vec<usize> = (0..before.len()).filter(|&k| before[k] != after[k]).collect();
        let fraction = moved.len() as f64 / KEYS as f64;
        assert!((0.07..0.11).contains(&fraction), "moved {fraction}");
        assert!(moved.iter().all(|&k| &*after[k] == "server11"));
    }

    #[test]
    fn a_failed_server_keeps_its_points_and_only_its_keys_move() {
        let mut servers = pool(10, &[]);
        let mut b = ConsistentHash::new(100);
        let before = assign(&mut b, &servers, 0..KEYS);
        mark_down(&mut servers, 3);
        let after = assign(&mut b, &servers, 0..KEYS);
        for k in 0..before.len() {
            if &*before[k] == "server4" {
                assert_ne!(&*after[k], "server4");
            } else {
                assert_eq!(before[k], after[k]);
            }
        }
        // and they come back when it recovers
        servers[3].seen_down = false;
        assert_eq!(assign(&mut b, &servers, 0..KEYS), before);
    }

    #[test]
    fn shares_follow_weights() {
        let servers = pool(4, &[1, 1, 2, 0]);
        let owners = assign(&mut ConsistentHash::new(200), &servers, 0..KEYS);
        assert!((0.20..0.30).contains(&share(&owners, "server1")));
        assert!((0.20..0.30).contains(&share(&owners, "server2")));
        assert!((0.42..0.58).contains(&share(&owners, "server3")));
        assert_eq!(share(&owners, "server4"), 0.0);
    }

    #[test]
    fn bucketed_lookup_agrees_with_a_plain_search() {
        for n in [1, 3, 40, 700] {
            let servers = pool(n, &[]);
            let mut ring = Ring::new(7);
            ring.pool_changed(&servers, &Eligible::of(&servers));
            let mut rng = SimRng::new(n as u64, 0);
            let probes = ring.hashes.iter().flat_map(|&h| [h.wrapping_sub(1), h, h.wrapping_add(1)]);
            for hash in probes.chain((0..2_000).map(|_| rng.next_u64())).chain([0, u64::MAX]) {
                let plain = ring.hashes.partition_point(|&h| h < hash);
                assert_eq!(ring.first_at_or_after(hash), plain, "n {n} hash {hash:x}");
            }
        }
    }

    #[test]
    fn none_eligible_gives_none() {
        let mut servers = pool(2, &[]);
        mark_down(&mut servers, 0);
        mark_down(&mut servers, 1);
        let mut b = ConsistentHash::new(10);
        b.pool_changed(&servers, &Eligible::of(&servers));
        assert_eq!(
            b.pick(&servers, &Eligible::of(&servers), RequestInfo { key: 1, now: 0 }, &mut SimRng::new(0, 0), None),
            None
        );
    }

    #[test]
    fn explains_the_ring_point_and_the_servers_walked_past() {
        let mut servers = pool(3, &[]);
        let mut b = ConsistentHash::new(1);
        b.pool_changed(&servers, &Eligible::of(&servers));
        let req = RequestInfo { key: 5, now: 0 };
        let mut rng = SimRng::new(0, 0);
        let first = b.pick(&servers, &Eligible::of(&servers), req, &mut rng, None).expect("eligible");
        mark_down(&mut servers, first);
        b.pool_changed(&servers, &Eligible::of(&servers));
        let mut d = Decision::new(Algorithm::ConsistentHash);
        let next = b.pick(&servers, &Eligible::of(&servers), req, &mut rng, Some(&mut d)).expect("eligible");
        let point = hash_str(&format!("{}#0", servers[next].name));
        assert_eq!(
            d.to_string(),
            format!(
                "consistent-hash chose {}: key 5 lands on the ring at {:08x}, owned here ({}: skipped, down)",
                servers[next].name,
                point >> 32,
                servers[first].name
            )
        );
    }
}
