//! Work that must grow linearly with the input, checked by timing it at n and 4n: a linear
//! cost grows 4 times (a little more with a sort's log factor and cache misses), a quadratic
//! one 16 times or more.

use std::time::{Duration, Instant};

use lbcore::time::from_secs;
use lbcore::{Algorithm, Engine, Scenario};

/// Seconds to run `4 · servers` requests of one hot key through bounded-load consistent
/// hashing with one ring point per server and a load factor of 1, all arriving before any
/// completes.
fn hot_key_bounded_load(servers: u32) -> Duration {
    let scenario = Scenario {
        algo: Algorithm::BoundedLoad,
        vnodes: 1,
        load_factor: 1.0,
        keys: 1,
        servers,
        rate: 1e6,
        cost: 100.0,
        requests: Some(u64::from(servers) * 4),
        ..Scenario::default()
    };
    let start = Instant::now();
    let mut engine = Engine::new(scenario).expect("a valid scenario");
    engine.run_until(from_secs(1e4));
    assert_eq!(engine.in_system(), 0, "every request completed");
    start.elapsed()
}

#[test]
fn bounded_load_with_one_point_per_server_runs_in_linear_time() {
    // One key: its requests fill the servers after its point, and each walked past every
    // server already at the bound, so the k-th request of a round walked k servers: with the
    // walk, 40,000 servers took 39 times as long as 10,000 (1.1 s -> 42 s, debug build). With
    // the tree, 7.8 times (77 -> 606 ms): linear work, n log n for the ring's sort, and the
    // cache misses of a pool 4 times larger. The two sizes are timed in turn, three times,
    // and each keeps its least, so that a busy machine (a build beside the tests took one run
    // to 13.1 times) weighs on both alike. The bound, 16, is about the geometric middle of 7.8
    // (the tree) and 39 (the walk), so either way the answer is clear of that noise.
    let (mut small, mut large) = (Duration::MAX, Duration::MAX);
    for _ in 0..3 {
        small = small.min(hot_key_bounded_load(10_000));
        large = large.min(hot_key_bounded_load(40_000));
    }
    let ratio = large.as_secs_f64() / small.as_secs_f64();
    println!("10,000 servers {small:?}, 40,000 servers {large:?}: {ratio:.1} times");
    assert!(ratio < 16.0, "4 times the servers took {ratio:.1} times as long ({small:?} -> {large:?})");
}

/// Seconds to grow an engine of `algo` from one server to `servers` by one reconfiguration
/// (a lesson's `{"set": {"servers": "N"}}`, the page's servers slider, a scenario change in a
/// race), then shrink it back to one.
fn grow_and_shrink(algo: Algorithm, servers: u32) -> Duration {
    let small = Scenario { algo, servers: 1, ..Scenario::default() };
    let mut engine = Engine::new(small.clone()).expect("a valid scenario");
    let start = Instant::now();
    engine.reconfigure(Scenario { servers, ..small.clone() }).expect("valid");
    assert_eq!(engine.servers().len(), servers as usize);
    engine.reconfigure(small.clone()).expect("valid");
    assert_eq!(engine.servers().len(), 1, "the servers hold nothing, so they leave at once");
    start.elapsed()
}

#[test]
fn growing_and_shrinking_the_pool_by_reconfiguration_runs_in_linear_time() {
    // Growing added one server at a time and looked for each one's name by trying server1,
    // server2, ... against every server: cubic, 2,000 servers in 1.46 s and 4,000 in 10.9 s
    // (7.5 times for twice the servers). Shrinking took servers out one at a time and rebuilt
    // the balancer at each: a consistent-hash pool from 4,000 in 49 s. Now one pass each:
    // 4,000 in 1.2 ms (round robin) and 31 ms (consistent hash, building the ring), 100,000
    // in 40 ms and 1.0 s. The bound, 12, as above: clear of linear (4) and of quadratic (16).
    // Round robin's 2,000 take well under a millisecond, so a busy machine's one slow run
    // weighs heavily: the two sizes are timed in turn, seven times, each keeping its least.
    for algo in [Algorithm::RoundRobin, Algorithm::ConsistentHash] {
        let (mut small, mut large) = (Duration::MAX, Duration::MAX);
        for _ in 0..7 {
            small = small.min(grow_and_shrink(algo, 2_000));
            large = large.min(grow_and_shrink(algo, 8_000));
        }
        let ratio = large.as_secs_f64() / small.as_secs_f64();
        println!("{algo}: 2,000 servers {small:?}, 8,000 servers {large:?}: {ratio:.1} times");
        assert!(ratio < 12.0, "{algo}: 4 times the servers took {ratio:.1} times as long ({small:?} -> {large:?})");
    }
}
