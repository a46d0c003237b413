//! Shared by the native and the wasm determinism tests: one rich run per algorithm, reduced
//! to a 64-bit digest of everything it reports.

use lbcore::scenario::{Arrivals, Backoff, CacheMode, Choice, CostDist, HedgeAfter, Jitter, QueueOrder};
use lbcore::time::from_secs;
use lbcore::{Algorithm, Engine, Scenario};

/// The digest both platforms must produce, byte for byte the same runs.
pub const EXPECTED_DIGEST: u64 = 0x599e_8688_e062_1956;

/// One digest per algorithm, to show which one diverged.
pub fn digests_per_algorithm() -> Vec<(Algorithm, u64)> {
    Algorithm::ALL.into_iter().map(|a| (a, xxhash_rust::xxh3::xxh3_64(reference_run(a).as_bytes()))).collect()
}

/// Runs every algorithm through bursty traffic with heavy-tailed costs, Zipf keys,
/// per-server caches, a failure with retries and a heal, a server added and one removed;
/// then through an overload with timeouts, retries with exponential backoff (each kind of
/// jitter in turn), cancellation on for every other algorithm, and a failure; then with every
/// resilience mechanism on at once (timeouts, retries, backoff and jitter, both retry budgets,
/// hedging, cancellation, adaptive LIFO, the circuit breakers and a schedule of each kind of
/// fault); and hashes the summaries, the decision logs and the logs' notices.
pub fn digest_of_reference_runs() -> u64 {
    let text: String = Algorithm::ALL.into_iter().map(reference_run).collect();
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// The reference run of one algorithm, as text: its summary and its decision log.
pub fn reference_run(algo: Algorithm) -> String {
    let mut text = String::new();
    {
        let scenario = Scenario {
            algo,
            servers: 5,
            weights: vec![3, 1, 1, 2, 1],
            speeds: vec![1.0, 0.5, 1.0, 2.0, 1.0],
            workers: 2,
            queue: 20,
            arrivals: Arrivals::Bursty,
            rate: 60.0,
            cost: 0.1,
            dist: CostDist::Pareto,
            cv: 1.5,
            keys: 500,
            zipf: 1.1,
            cache: CacheMode::PerServer,
            cache_size: 50,
            cache_ttl: 5.0,
            health_interval: 0.5,
            retries: 1,
            seed: 42,
            table_size: 251,
            ..Default::default()
        };
        let mut e = Engine::new(scenario).expect("valid scenario");
        e.keep_decisions(20);
        e.run_until(from_secs(20.0));
        e.fail(1).expect("server 1 exists");
        e.run_until(from_secs(30.0));
        e.heal(1).expect("server 1 exists");
        e.add_server();
        e.run_until(from_secs(40.0));
        e.remove_server(0).expect("server 0 exists");
        e.run_until(from_secs(60.0));
        e.check_invariant().expect("invariant holds");
        text.push_str(&serde_json::to_string(&e.summary()).expect("summary serialises"));
        for d in e.decisions() {
            text.push_str(&d.decision.to_string());
        }
    }
    {
        let k = Algorithm::ALL.iter().position(|&a| a == algo).expect("one of them");
        let scenario = Scenario {
            algo,
            servers: 4,
            speeds: vec![1.0, 0.25, 1.0, 1.0],
            workers: 2,
            queue: 50,
            rate: 90.0,
            cost: 0.1,
            keys: 500,
            timeout: Some(0.4),
            retries: 3,
            backoff: Backoff::Exponential,
            backoff_base: 0.05,
            backoff_cap: 0.5,
            jitter: Jitter::all()[k % Jitter::all().len()],
            cancel: k % 2 == 0,
            health_interval: 0.5,
            seed: 43,
            table_size: 251,
            ..Default::default()
        };
        let mut e = Engine::new(scenario).expect("valid scenario");
        e.keep_decisions(20);
        e.run_until(from_secs(10.0));
        e.fail(2).expect("server 2 exists");
        e.run_until(from_secs(15.0));
        e.heal(2).expect("server 2 exists");
        e.run_until(from_secs(30.0));
        e.check_invariant().expect("invariant holds");
        text.push_str(&serde_json::to_string(&e.summary()).expect("summary serialises"));
        for d in e.decisions() {
            text.push_str(&d.decision.to_string());
        }
    }
    {
        // every mechanism at once, some in two variants across the algorithms
        let k = Algorithm::ALL.iter().position(|&a| a == algo).expect("one of them");
        let mut scenario = Scenario {
            algo,
            servers: 4,
            workers: 2,
            queue: 50,
            rate: 70.0,
            cost: 0.1,
            keys: 500,
            timeout: Some(0.5),
            retries: 3,
            backoff: Backoff::Exponential,
            backoff_base: 0.02,
            backoff_cap: 0.4,
            jitter: Jitter::all()[(k + 1) % Jitter::all().len()],
            retry_budget: Some(20.0),
            retry_bucket: Some(if k % 2 == 0 { 20.0 } else { 50.0 }),
            hedge_after: Some(if k % 3 == 0 { HedgeAfter::Seconds(0.25) } else { HedgeAfter::P95 }),
            cancel: k % 2 == 1,
            queue_order: if k % 2 == 0 { QueueOrder::Lifo } else { QueueOrder::Fifo },
            max_pending: Some(30),
            max_requests: Some(90),
            error_latency: 0.005,
            health_interval: 0.5,
            seed: 44,
            table_size: 251,
            ..Default::default()
        };
        scenario
            .set("faults", "server1:slow=0.2@2-8,server2:errors=0.5@5-12,server3:down@9-13,server4:slow=0.5@10-20")
            .expect("a valid schedule");
        let mut e = Engine::new(scenario).expect("valid scenario");
        e.keep_decisions(20);
        e.run_until(from_secs(25.0));
        e.check_invariant().expect("invariant holds");
        let s = e.summary();
        let each = [s.timed_out, s.retried, s.budget_refused, s.hedged, s.breaker_refused, s.failed];
        assert!(each.iter().all(|&n| n > 0), "{algo:?}: every mechanism acts: {each:?}");
        text.push_str(&serde_json::to_string(&e.summary()).expect("summary serialises"));
        for d in e.decisions() {
            text.push_str(&d.decision.to_string());
        }
        for n in e.notices() {
            text.push_str(&n.to_string());
        }
    }
    text
}
