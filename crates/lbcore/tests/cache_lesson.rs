//! The classic cache lesson in numbers: with a cache on each server and popular keys (Zipf),
//! consistent hashing sends every request for a key to the same server, so each cache holds
//! its own share of the keys and hits often; round robin sends each key everywhere, so each
//! cache tries to hold all keys and misses far more.
//!
//! Scenario: 8 servers, a per-server LRU cache of 100 entries (no TTL), 5,000 keys with Zipf
//! exponent 0.9, 40,000 Poisson arrivals at 50% load, seed 11. Together the caches hold 800
//! entries: enough for the popular keys only when they are not duplicated on every server.

use lbcore::scenario::CacheMode;
use lbcore::{Algorithm, Engine, Scenario};

fn hit_ratio(algo: Algorithm) -> f64 {
    let scenario = Scenario {
        algo,
        servers: 8,
        cache: CacheMode::PerServer,
        cache_size: 100,
        keys: 5_000,
        zipf: 0.9,
        rate: 40.0,
        cost: 0.1,
        requests: Some(40_000),
        seed: 11,
        ..Scenario::default()
    };
    let mut engine = Engine::new(scenario).expect("a valid scenario");
    let summary = engine.run();
    assert_eq!(summary.arrived, 40_000);
    engine.cache_hit_ratio()
}

#[test]
fn consistent_hashing_keeps_per_server_caches_warm_where_round_robin_misses() {
    let ring = hit_ratio(Algorithm::ConsistentHash);
    let maglev = hit_ratio(Algorithm::Maglev);
    let round_robin = hit_ratio(Algorithm::RoundRobin);
    let random = hit_ratio(Algorithm::Random);
    println!(
        "hit ratio: consistent-hash {ring:.3}, maglev {maglev:.3}, round-robin {round_robin:.3}, random {random:.3}"
    );
    assert!(ring - round_robin > 0.2, "consistent hash {ring:.3} vs round robin {round_robin:.3}");
    assert!(maglev - round_robin > 0.2, "maglev {maglev:.3} vs round robin {round_robin:.3}");
    assert!(ring - random > 0.2, "consistent hash {ring:.3} vs random {random:.3}");
}
