//! The key space of the hash-based algorithms: which server owns each key, and the share of
//! keys that move when a server joins. It is the lesson of consistent hashing in one number:
//! hash-mod moves almost every key, a ring or Maglev about 1/(n+1).
//!
//! Servers are named server1..n with weight 1. With `load` set, each key is routed as a
//! request that stays (one connection per key), which is what makes bounded-load hashing
//! spill keys to their neighbours on the ring; without it, no server holds anything.

use std::sync::Arc;

use crate::balancer::{self, Algorithm, Eligible, Params, RequestInfo};
use crate::engine::Attempt;
use crate::rng::SimRng;
use crate::server::{Server, ServerId};

/// The owner (a server position, 0-based) of each key in `0..keys` among `servers` servers.
pub fn owners(algo: Algorithm, params: &Params, servers: usize, keys: u64, load: bool) -> Vec<u32> {
    let mut pool: Vec<Server> = (0..servers)
        .map(|i| {
            let name: Arc<str> = format!("server{}", i + 1).into();
            Server::new(ServerId(i as u32), name, 1, 1.0, 1, u32::MAX, 0)
        })
        .collect();
    let mut b = balancer::build(algo, params, &pool);
    let mut rng = SimRng::new(0, 0);
    let eligible = Eligible::of(&pool); // every server, throughout
    (0..keys)
        .map(|key| {
            let i = b.pick(&pool, &eligible, RequestInfo { key, now: 0 }, &mut rng, None).unwrap_or(0);
            if load {
                pool[i].waiting.push_back(Attempt::first(key, key, 1.0, 0));
                b.connections_changed(&pool, i);
            }
            i as u32
        })
        .collect()
}

/// The share of keys whose owner differs between `before` and `after`.
pub fn moved_share(before: &[u32], after: &[u32]) -> f64 {
    let n = before.len().min(after.len());
    if n == 0 {
        return 0.0;
    }
    (0..n).filter(|&k| before[k] != after[k]).count() as f64 / n as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scenario;

    fn moved(algo: Algorithm, load: bool) -> f64 {
        let params = Scenario { table_size: 4093, ..Scenario::default() }.params();
        moved_share(&owners(algo, &params, 10, 20_000, load), &owners(algo, &params, 11, 20_000, load))
    }

    #[test]
    fn adding_an_eleventh_server_moves_what_the_theory_says() {
        assert!(moved(Algorithm::HashMod, false) > 0.85, "hash-mod moves almost every key");
        let ring = moved(Algorithm::ConsistentHash, false);
        assert!((0.05..0.14).contains(&ring), "ring moves about 1/11: {ring}");
        let maglev = moved(Algorithm::Maglev, false);
        assert!((0.05..0.16).contains(&maglev), "maglev moves about 1/11: {maglev}");
        let bounded = moved(Algorithm::BoundedLoad, true);
        assert!(
            bounded > ring && bounded < 0.85,
            "bounded load moves more than the ring, far less than hash-mod: {bounded}"
        );
    }
}
