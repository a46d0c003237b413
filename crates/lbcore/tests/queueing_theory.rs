//! The engine against queueing theory. Each test runs independent replications (different
//! seeds), takes the mean response time of each, and accepts the theory when it lies
//! within 5 standard errors of the replications' mean: with 10 replications that is a
//! t statistic beyond 4.78 (two-sided p < 0.001 for 9 degrees of freedom), so a correct
//! engine fails less than once in a thousand runs — and, the seeds being fixed, never.
//! Each test also checks that its standard error is small (under 1.5% of the theory), so
//! that the tolerance is tight enough to catch a wrong engine.

use lbcore::scenario::{Arrivals, CostDist};
use lbcore::{Algorithm, Engine, Scenario};

const REPLICATIONS: u64 = 10;
const T_LIMIT: f64 = 5.0;

/// Single-worker servers, unlimited queues, Poisson arrivals, exponential costs of mean 1 s.
fn scenario(algo: Algorithm, servers: u32, load: f64, requests: u64, seed: u64) -> Scenario {
    Scenario {
        algo,
        servers,
        workers: 1,
        queue: 1_000_000,
        arrivals: Arrivals::Poisson,
        rate: load * servers as f64,
        cost: 1.0,
        dist: CostDist::Exp,
        requests: Some(requests),
        warmup: 200.0,
        seed,
        ..Default::default()
    }
}

/// Mean response time of each replication.
fn replications(algo: Algorithm, servers: u32, load: f64, requests: u64) -> Vec<f64> {
    (0..REPLICATIONS)
        .map(|r| {
            let mut e = Engine::new(scenario(algo, servers, load, requests, 1000 + r)).unwrap();
            let s = e.run();
            assert_eq!(s.rejected + s.failed, 0);
            s.mean_response_s
        })
        .collect()
}

fn mean_and_se(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

fn assert_agrees(what: &str, xs: &[f64], theory: f64) {
    let (mean, se) = mean_and_se(xs);
    let t = (mean - theory) / se;
    eprintln!("{what}: simulated {mean:.4} ± {se:.4} (se), theory {theory:.4}, t = {t:.2}");
    assert!(se / theory < 0.015, "{what}: standard error {se} too large for a meaningful test");
    assert!(t.abs() < T_LIMIT, "{what}: simulated {mean:.4} ± {se:.4}, theory {theory:.4}, t = {t:.2}");
}

#[test]
fn random_routing_gives_each_server_m_m_1() {
    // Random splitting of a Poisson stream gives each server Poisson arrivals at load rho:
    // M/M/1 with mean response 1 / (mu - lambda) = 1 / (1 - rho) for mu = 1.
    for load in [0.5, 0.8] {
        let xs = replications(Algorithm::Random, 10, load, 200_000);
        assert_agrees(&format!("random, M/M/1 at rho {load}"), &xs, 1.0 / (1.0 - load));
    }
}

/// Mean time in system of the supermarket model (Mitzenmacher; Vvedenskaya et al.) for
/// n -> infinity: sum over i >= 1 of rho^((d^i - d) / (d - 1)).
fn supermarket(load: f64, d: u32) -> f64 {
    let d = d as f64;
    (1..40).map(|i| load.powf((d.powi(i) - d) / (d - 1.0))).take_while(|&x| x > 1e-15).sum()
}

#[test]
fn power_of_two_on_100_servers_matches_the_supermarket_model() {
    // The fixed point is the n -> infinity limit; 100 servers sit slightly above it (a
    // finite-size effect of order 1/n: 0.2% at rho 0.7 and 0.8% at rho 0.9 here), so the
    // band reaches 2% above the limit, plus the replications' noise on both sides.
    for load in [0.7, 0.9] {
        let theory = supermarket(load, 2);
        let xs = replications(Algorithm::PowerOfTwo, 100, load, 400_000);
        let (mean, se) = mean_and_se(&xs);
        eprintln!("power-of-two, 100 servers, rho {load}: simulated {mean:.4} ± {se:.4}, fixed point {theory:.4}");
        assert!(se / theory < 0.015);
        let low = theory - T_LIMIT * se;
        let high = theory * 1.02 + T_LIMIT * se;
        assert!((low..high).contains(&mean), "rho {load}: {mean:.4} outside [{low:.4}, {high:.4}]");
    }
}

#[test]
fn supermarket_formula_matches_its_first_terms() {
    // rho = 0.9, d = 2: 1 + .9^2 + .9^6 + .9^14 + .9^30 + .9^62 + .9^126 + ...
    let expected: f64 = [0, 2, 6, 14, 30, 62, 126].iter().map(|&k| 0.9f64.powi(k)).sum();
    assert!((supermarket(0.9, 2) - expected).abs() < 1e-9);
    // d = 3 at rho 0.5: 1 + .5^3 + .5^12 + ...
    assert!((supermarket(0.5, 3) - (1.0 + 0.125 + 0.5f64.powi(12) + 0.5f64.powi(39))).abs() < 1e-12);
}

#[test]
fn least_connections_is_no_worse_than_power_of_two() {
    // Same seeds, so both algorithms see the same arrivals and costs; least connections
    // (join the shortest queue) may not lose to two choices on any replication's mean by more
    // than noise, and must win on average.
    for load in [0.7, 0.9] {
        let lc = replications(Algorithm::LeastConnections, 100, load, 200_000);
        let p2 = replications(Algorithm::PowerOfTwo, 100, load, 200_000);
        let (lc_mean, _) = mean_and_se(&lc);
        let (p2_mean, _) = mean_and_se(&p2);
        eprintln!("rho {load}: least-connections {lc_mean:.4}, power-of-two {p2_mean:.4}");
        assert!(lc_mean <= p2_mean, "rho {load}: least-connections {lc_mean} > power-of-two {p2_mean}");
        assert!(lc_mean >= 1.0 - 0.02, "no algorithm beats the bare service time");
    }
}
