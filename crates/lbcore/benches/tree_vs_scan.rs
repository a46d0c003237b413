//! Smooth weighted round robin and peak EWMA pick through trees in O(log n); the scans they
//! replaced (`balancer::reference`) look at every server. Both, side by side, at 10, 100 and
//! 1,000 servers, in the engine's loop around a pick: pick a server for the next request,
//! give it a connection, then complete a request on a random server if it holds one (an
//! answer of 1 to 2 ms fed back, and its connection taken off). Weights cycle 1, 2, 3.
//!
//! Run: `cargo bench -p lbcore --bench tree_vs_scan -- --warm-up-time 1 --measurement-time 2`

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use lbcore::balancer::reference::{PeakEwmaScan, SmoothWeightedScan};
use lbcore::balancer::{Algorithm, Balancer, Eligible, Params, RequestInfo, build, testing};
use lbcore::rng::SimRng;

/// The scenario's defaults.
const PARAMS: Params =
    Params { choices: 2, vnodes: 100, decay_s: 10.0, default_rtt_s: 0.05, load_factor: 1.25, table_size: 65_537 };

/// Pool sizes measured.
const SIZES: [usize; 3] = [10, 100, 1_000];

fn tree_vs_scan(c: &mut Criterion) {
    for algorithm in [Algorithm::WeightedRoundRobin, Algorithm::PeakEwma] {
        let mut group = c.benchmark_group(algorithm.id());
        group.throughput(Throughput::Elements(1));
        for n in SIZES {
            let weights: Vec<u32> = (0..n).map(|i| 1 + (i % 3) as u32).collect();
            for way in ["tree", "scan"] {
                let mut servers = testing::pool(n, &weights);
                let mut balancer: Box<dyn Balancer> = match (way, algorithm) {
                    ("tree", _) => build(algorithm, &PARAMS, &servers),
                    (_, Algorithm::PeakEwma) => Box::new(PeakEwmaScan::new(PARAMS.decay_s, PARAMS.default_rtt_s)),
                    _ => Box::new(SmoothWeightedScan::default()),
                };
                let eligible = Eligible::of(&servers);
                balancer.pool_changed(&servers, &eligible);
                let (mut rng, mut churn) = (SimRng::new(1, 0), SimRng::new(2, 0));
                let (mut key, mut now) = (0u64, 0u64);
                group.bench_function(BenchmarkId::new(way, n), |b| {
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
        }
        group.finish();
    }
}

criterion_group!(benches, tree_vs_scan);
criterion_main!(benches);
