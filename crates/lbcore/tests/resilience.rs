//! The resilience lessons in numbers (issue 19): a metastable failure, a retry storm that a
//! five-second fault starts and that outlives it, and the remedies that end it, each checked
//! against what the model predicts, over several seeds.
//!
//! The pool of the lesson: two servers of five workers, exponential costs of mean 0.1 s, so
//! 100 requests a second at most; Poisson arrivals at 70 a second (70% load); clients that
//! wait 1 s for an attempt and retry up to 3 times; round robin; a queue of 10,000 per
//! server; `server1` down from 5 s to 10 s; 60 s in all. Goodput is measured over the last
//! 20 s, when a pool that recovers has long recovered.

use lbcore::scenario::{Arrivals, CostDist};
use lbcore::time::from_secs;
use lbcore::{Algorithm, Engine, Scenario};

/// Seeds each variant runs with.
const SEEDS: [u64; 3] = [1, 2, 3];

/// The lesson's scenario, with `retries` and `cancel`.
fn storm(retries: u32, cancel: bool, seed: u64) -> Scenario {
    Scenario {
        algo: Algorithm::RoundRobin,
        servers: 2,
        workers: 5,
        queue: 10_000,
        cost: 0.1,
        dist: CostDist::Exp,
        arrivals: Arrivals::Poisson,
        rate: 70.0,
        timeout: Some(1.0),
        retries,
        cancel,
        seed,
        ..Scenario::default()
    }
}

/// What the last 20 s of a 60 s run of `scenario` looked like, with `server1` down from 5 s
/// to 10 s: goodput and throughput (per second), and the attempts the servers hold at the end.
struct Last20 {
    goodput: f64,
    throughput: f64,
    held: u32,
}

fn last_20_s(scenario: Scenario) -> Last20 {
    let mut e = Engine::new(scenario).expect("valid");
    e.run_until(from_secs(5.0));
    e.fail(0).expect("server1");
    e.run_until(from_secs(10.0));
    e.heal(0).expect("server1");
    e.run_until(from_secs(40.0));
    let before = e.totals();
    e.run_until(from_secs(60.0));
    let after = e.totals();
    e.check_invariant().expect("every request and attempt accounted for");
    Last20 {
        goodput: (after.completed - before.completed) as f64 / 20.0,
        throughput: (after.served - before.served) as f64 / 20.0,
        held: e.servers().iter().map(|s| s.connections()).sum(),
    }
}

/// Goodput of a pool that has recovered: every request answered, so the arrival rate, 70 a
/// second. Over 20 s the arrivals are Poisson with a standard deviation of sqrt(1400) = 37,
/// 1.9 a second: five of them is 9.4.
fn recovered(l: &Last20) -> bool {
    (l.goodput - 70.0).abs() < 9.4 && l.held < 100
}

#[test]
fn without_retries_the_pool_recovers_from_the_fault_within_seconds() {
    for seed in SEEDS {
        let l = last_20_s(storm(0, false, seed));
        assert!(recovered(&l), "seed {seed}: goodput {} /s, {} held", l.goodput, l.held);
    }
}

#[test]
fn with_three_retries_the_fault_leaves_a_storm_that_outlives_it() {
    // The fault leaves server2 alone for 5 s at 70 /s against its 50: its queue passes 50,
    // a wait of 1 s, and attempts start to time out; each is retried, up to 4 attempts a
    // request, 280 /s against the pool's 100, and nobody cancels what a client gave up on.
    // So the queues grow to thousands: from then on every attempt waits longer than 50 s
    // (5,000 queued at 100 /s) against a timeout of 1 s, and no answer can come in time:
    // goodput is 0 exactly, while the servers stay busy: throughput is the pool's 100 /s,
    // within five standard deviations of the 2,000 services in 20 s (sqrt(2000) / 20 = 2.2 /s).
    for seed in SEEDS {
        let l = last_20_s(storm(3, false, seed));
        assert!(l.held > 5_000, "seed {seed}: {} held", l.held);
        assert_eq!(l.goodput, 0.0, "seed {seed}");
        assert!((l.throughput - 100.0).abs() < 11.0, "seed {seed}: throughput {} /s", l.throughput);
    }
}

#[test]
fn cancelling_what_clients_gave_up_on_ends_the_storm_retries_and_all() {
    // With cancel, an attempt leaves its server when its client stops waiting: the queues hold
    // only attempts someone still waits for, at most about a second's worth, and the servers
    // never work for nobody; the pool recovers as if there were no retries.
    for seed in SEEDS {
        let l = last_20_s(storm(3, true, seed));
        assert!(recovered(&l), "seed {seed}: goodput {} /s, {} held", l.goodput, l.held);
    }
}
