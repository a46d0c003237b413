//! Whole-simulation speed: simulated requests per second of wall time for the issue's
//! reference run (100 single-worker servers, Poisson arrivals at load 0.9, exponential
//! costs) under a few algorithms.
//!
//! `cargo bench -p lbcore --bench simulation`

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use lbcore::scenario::{Arrivals, CostDist};
use lbcore::{Algorithm, Engine, Scenario};

const REQUESTS: u64 = 1_000_000;

fn reference(algo: Algorithm) -> Scenario {
    Scenario {
        algo,
        servers: 100,
        workers: 1,
        queue: 1_000,
        arrivals: Arrivals::Poisson,
        rate: 90.0,
        cost: 1.0,
        dist: CostDist::Exp,
        requests: Some(REQUESTS),
        seed: 7,
        ..Default::default()
    }
}

fn simulation(c: &mut Criterion) {
    let mut group = c.benchmark_group("simulation");
    group.sample_size(10);
    group.throughput(Throughput::Elements(REQUESTS));
    for algo in [Algorithm::PowerOfTwo, Algorithm::RoundRobin, Algorithm::LeastConnections, Algorithm::Maglev] {
        group.bench_with_input(BenchmarkId::new(algo.id(), "100 servers, load 0.9"), &algo, |b, &algo| {
            b.iter(|| Engine::new(reference(algo)).expect("valid").run().completed)
        });
    }
    group.finish();
}

criterion_group!(benches, simulation);
criterion_main!(benches);
