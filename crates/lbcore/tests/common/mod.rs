//! Shared by the native and the wasm determinism tests: one rich run per algorithm, reduced
//! to a 64-bit digest of everything it reports.

use lbcore::scenario::{Arrivals, CacheMode, CostDist};
use lbcore::time::from_secs;
use lbcore::{Algorithm, Engine, Scenario};

/// The digest both platforms must produce, byte for byte the same runs.
pub const EXPECTED_DIGEST: u64 = 0xa66d_9d0f_d968_80ea;

/// One digest per algorithm, to show which one diverged.
pub fn digests_per_algorithm() -> Vec<(Algorithm, u64)> {
    Algorithm::ALL.into_iter().map(|a| (a, xxhash_rust::xxh3::xxh3_64(reference_run(a).as_bytes()))).collect()
}

/// Runs every algorithm through bursty traffic with heavy-tailed costs, Zipf keys,
/// per-server caches, a failure with retries and a heal, a server added and one removed,
/// and hashes the summaries and the decision logs.
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
            retry: true,
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
    text
}
