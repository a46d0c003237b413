//! Picks per second for every algorithm at 10, 100 and 10,000 servers, two ways:
//!
//! - `pick`: the pick alone, over servers holding 0 to 7 connections each that do not
//!   change (what a pick costs by itself);
//! - `with-updates`: the engine's loop around a pick: pick a server for the next key, give
//!   it a connection (`connections_changed`), then complete a request on a random server
//!   if it holds one (`observe`, `connections_changed`), so load-aware algorithms see loads
//!   that keep changing. This includes the servers' own bookkeeping (their queues), which
//!   at 10,000 servers is mostly cache misses.
//!
//! Weights cycle 1, 2, 3; parameters are the scenario's defaults.
//!
//! Run: `cargo bench -p lbcore --bench picks -- --warm-up-time 1 --measurement-time 2`

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use lbcore::balancer::{Algorithm, Balancer, Eligible, Params, RequestInfo, build, testing};
use lbcore::rng::SimRng;
use lbcore::server::Server;

/// The scenario's defaults.
const PARAMS: Params =
    Params { choices: 2, vnodes: 100, decay_s: 10.0, default_rtt_s: 0.05, load_factor: 1.25, table_size: 65_537 };

/// Pool sizes measured.
const SIZES: [usize; 3] = [10, 100, 10_000];

/// `n` servers with weights 1, 2, 3, ..., each holding 0 to 7 connections, and the
/// balancer for them with one response time observed per server.
fn setup(algorithm: Algorithm, n: usize) -> (Vec<Server>, Box<dyn Balancer>) {
    let weights: Vec<u32> = (0..n).map(|i| 1 + (i % 3) as u32).collect();
    let mut servers = testing::pool(n, &weights);
    let mut rng = SimRng::new(3, 0);
    for i in 0..n {
        for _ in 0..rng.below(8) {
            testing::hold(&mut servers, i);
        }
    }
    let mut balancer = build(algorithm, &PARAMS, &servers);
    for i in 0..n {
        balancer.observe(i, 1_000_000 + rng.below(1_000_000), 0);
    }
    (servers, balancer)
}

fn picks(c: &mut Criterion) {
    for algorithm in Algorithm::ALL {
        let mut group = c.benchmark_group(algorithm.id());
        group.throughput(Throughput::Elements(1));
        for n in SIZES {
            let (servers, mut balancer) = setup(algorithm, n);
            let eligible = Eligible::of(&servers); // every server, throughout
            let mut rng = SimRng::new(1, 0);
            let (mut key, mut now) = (0u64, 0u64);
            group.bench_function(BenchmarkId::new("pick", n), |b| {
                b.iter(|| {
                    key += 1;
                    now += 1_000;
                    black_box(balancer.pick(&servers, &eligible, RequestInfo { key, now }, &mut rng, None))
                })
            });

            let (mut servers, mut balancer) = setup(algorithm, n);
            let mut churn = SimRng::new(2, 0);
            group.bench_function(BenchmarkId::new("with-updates", n), |b| {
                b.iter(|| {
                    key += 1;
                    now += 1_000;
                    black_box(testing::pick_and_churn(
                        &mut *balancer,
                        &mut servers,
                        &eligible,
                        RequestInfo { key, now },
                        &mut rng,
                        &mut churn,
                    ));
                })
            });
        }
        group.finish();
    }
}

criterion_group!(benches, picks);
criterion_main!(benches);
