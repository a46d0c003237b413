//! Whole-simulation speed: simulated requests per second of wall time for the issue's
//! reference run (100 single-worker servers, Poisson arrivals at load 0.9, exponential
//! costs) under a few algorithms; and the exponential sampler every request draws from
//! twice (an interarrival time and a cost), against the logarithm it replaced.
//!
//! `cargo bench -p lbcore --bench simulation`

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use lbcore::rng::SimRng;
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

/// Variates drawn per iteration of the sampler benchmark.
const VARIATES: u64 = 1_000;

fn exponential(c: &mut Criterion) {
    let mut group = c.benchmark_group("exponential");
    group.throughput(Throughput::Elements(VARIATES));
    let mut rng = SimRng::new(7, 0);
    group.bench_function("ziggurat", |b| b.iter(|| (0..VARIATES).map(|_| rng.exponential(1.0)).sum::<f64>()));
    group.bench_function("-ln(U)", |b| b.iter(|| (0..VARIATES).map(|_| -libm::log(rng.unit_open())).sum::<f64>()));
    group.finish();
}

criterion_group!(benches, simulation, exponential);
criterion_main!(benches);
