//! What building a Maglev lookup table costs: the populate loop over 64 servers (the
//! browser's most) for each table size the settings table offers. The build runs whenever
//! the pool changes (a server added, removed, failed or healed), so in the browser it is a
//! pause of the page; `Limits::BROWSER.table_size` keeps it short.
//!
//! Run: `cargo bench -p lbcore --bench maglev -- --sample-size 10 --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use lbcore::balancer::{Algorithm, Eligible, Params, build, testing};
use lbcore::scenario::TABLE_SIZES;

fn builds(c: &mut Criterion) {
    let mut group = c.benchmark_group("maglev-build-64-servers");
    let servers = testing::pool(64, &[]);
    let eligible = Eligible::of(&servers);
    for &size in TABLE_SIZES {
        let params = Params {
            choices: 2,
            vnodes: 100,
            decay_s: 10.0,
            default_rtt_s: 0.05,
            load_factor: 1.25,
            table_size: size as u32,
        };
        let mut balancer = build(Algorithm::Maglev, &params, &servers);
        group.bench_function(BenchmarkId::from_parameter(size), |b| {
            b.iter(|| balancer.pool_changed(black_box(&servers), &eligible))
        });
    }
    group.finish();
}

criterion_group!(benches, builds);
criterion_main!(benches);
