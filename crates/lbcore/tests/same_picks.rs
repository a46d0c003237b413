//! Smooth weighted round robin and peak EWMA pick through trees in O(log n); the scans they
//! replaced (`balancer::reference`) look at every server. Driven by the same random
//! sequences of picks, completions, added and removed servers, weight changes, servers
//! going down and up and time passing, each tree must pick the server its scan picks,
//! every time, ties included, and explain the pick in the same words: the determinism
//! digest depends on it.

use lbcore::balancer::reference::{PeakEwmaScan, SmoothWeightedScan};
use lbcore::balancer::{Algorithm, Balancer, Decision, Eligible, Params, RequestInfo, build, testing};
use lbcore::rng::SimRng;
use lbcore::server::Server;
use proptest::prelude::*;

/// One thing that happens to the pool.
#[derive(Clone, Debug)]
enum Op {
    /// Route a request: both pick, the chosen server holds it.
    Pick,
    /// Route a request and compare the explanations too.
    Explain,
    /// The server at this index (of those holding one) answers after this many ns.
    Complete(prop::sample::Index, u64),
    /// Time passes, in nanoseconds.
    Wait(u64),
    /// A server joins with this weight.
    Add(u32),
    /// The server at this index leaves.
    Remove(prop::sample::Index),
    /// The server at this index takes this weight (0: ineligible).
    Weight(prop::sample::Index, u32),
    /// The server at this index is seen down, or up again.
    Flip(prop::sample::Index),
}

/// Weights: mostly small and equal (ties), sometimes large.
fn weight() -> impl Strategy<Value = u32> {
    prop_oneof![4 => 0u32..4, 1 => Just(1000u32), 1 => 0u32..=1000]
}

/// Times: none (simultaneous picks), around a response, and long enough for an estimate
/// to decay 600 to 800 times (past where its key orders it) at the shortest decays tried.
fn wait() -> impl Strategy<Value = u64> {
    prop_oneof![2 => Just(0u64), 4 => 1u64..5_000_000, 1 => 600u64..800, 1 => 600_000u64..800_000, 1 => 1u64..100_000_000_000]
}

fn response() -> impl Strategy<Value = u64> {
    prop_oneof![1 => Just(0u64), 1 => 1u64..10, 6 => 1u64..2_000_000, 1 => Just(1_000_000u64)]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        20 => Just(Op::Pick),
        2 => Just(Op::Explain),
        10 => (any::<prop::sample::Index>(), response()).prop_map(|(i, r)| Op::Complete(i, r)),
        6 => wait().prop_map(Op::Wait),
        1 => weight().prop_map(Op::Add),
        1 => any::<prop::sample::Index>().prop_map(Op::Remove),
        1 => (any::<prop::sample::Index>(), weight()).prop_map(|(i, w)| Op::Weight(i, w)),
        1 => any::<prop::sample::Index>().prop_map(Op::Flip),
    ]
}

/// Plays `ops` on `servers` through `fast` and `scan` side by side, failing at the first
/// pick (or explanation) they differ on.
fn same_picks(
    mut servers: Vec<Server>,
    mut fast: Box<dyn Balancer>,
    mut scan: Box<dyn Balancer>,
    algorithm: Algorithm,
    ops: &[Op],
) -> Result<(), TestCaseError> {
    let mut eligible = Eligible::of(&servers);
    fast.pool_changed(&servers, &eligible);
    scan.pool_changed(&servers, &eligible);
    let (mut rng_a, mut rng_b) = (SimRng::new(1, 0), SimRng::new(1, 0));
    let mut now = 0u64;
    let mut next_id = servers.len() as u32;
    for (step, op) in ops.iter().enumerate() {
        let mut changed = false;
        match op {
            Op::Pick | Op::Explain => {
                let request = RequestInfo { key: step as u64, now };
                let (mut da, mut db) = (Decision::new(algorithm), Decision::new(algorithm));
                let explain = matches!(op, Op::Explain);
                let a = fast.pick(&servers, &eligible, request, &mut rng_a, explain.then_some(&mut da));
                let b = scan.pick(&servers, &eligible, request, &mut rng_b, explain.then_some(&mut db));
                prop_assert_eq!(a, b, "step {}: {:?}", step, op);
                if explain {
                    prop_assert_eq!(da.to_string(), db.to_string(), "step {}", step);
                }
                if let Some(i) = a {
                    testing::hold(&mut servers, i);
                    fast.connections_changed(&servers, i);
                    scan.connections_changed(&servers, i);
                }
            }
            Op::Complete(index, response) => {
                let holding: Vec<usize> = (0..servers.len()).filter(|&i| servers[i].connections() > 0).collect();
                if !holding.is_empty() {
                    let i = holding[index.index(holding.len())];
                    now += response;
                    testing::release(&mut servers, i);
                    fast.observe(i, *response, now);
                    scan.observe(i, *response, now);
                    fast.connections_changed(&servers, i);
                    scan.connections_changed(&servers, i);
                }
            }
            Op::Wait(ns) => now += ns,
            Op::Add(weight) => {
                let mut s = testing::server(next_id, &format!("server{}", next_id + 1));
                s.weight = *weight;
                next_id += 1;
                // joins at the front or the back, shifting the others' positions
                if next_id.is_multiple_of(2) {
                    servers.insert(0, s)
                } else {
                    servers.push(s)
                }
                changed = true;
            }
            Op::Remove(index) if servers.len() > 1 => {
                servers.remove(index.index(servers.len()));
                changed = true;
            }
            Op::Remove(_) => {}
            Op::Weight(index, weight) => {
                let i = index.index(servers.len());
                servers[i].weight = *weight;
                changed = true;
            }
            Op::Flip(index) => {
                let i = index.index(servers.len());
                if testing::is_down(&servers, i) {
                    testing::mark_up(&mut servers, i)
                } else {
                    testing::mark_down(&mut servers, i)
                }
                changed = true;
            }
        }
        if changed {
            eligible = Eligible::of(&servers);
            fast.pool_changed(&servers, &eligible);
            scan.pool_changed(&servers, &eligible);
        }
    }
    Ok(())
}

/// A pool of `weights.len()` servers, all holding `held` requests.
fn pool(weights: &[u32], held: usize) -> Vec<Server> {
    let mut servers = testing::pool(weights.len(), weights);
    for i in 0..servers.len() {
        for _ in 0..held {
            testing::hold(&mut servers, i);
        }
    }
    servers
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn smooth_weighted_round_robin_picks_what_the_scan_picks(
        weights in prop::collection::vec(weight(), 1..40),
        ops in prop::collection::vec(op(), 1..400),
    ) {
        let servers = pool(&weights, 0);
        let params = Params { choices: 2, vnodes: 1, decay_s: 1.0, default_rtt_s: 0.1, load_factor: 1.25, table_size: 251 };
        let fast = build(Algorithm::WeightedRoundRobin, &params, &servers);
        same_picks(servers, fast, Box::new(SmoothWeightedScan::default()), Algorithm::WeightedRoundRobin, &ops)?;
    }

    #[test]
    fn peak_ewma_picks_what_the_scan_picks(
        // up to 16 servers peak EWMA scans; pool changes cross that line both ways
        n in 1usize..40,
        held in 0usize..3,
        // decay times from 1 ns (every estimate near underflow) to 10 s (the default)
        decay_s in prop_oneof![Just(1e-9), Just(1e-6), Just(1e-3), Just(0.5), Just(10.0)],
        // a default response time of 0 and of 1 ns: costs of 0 and below the keys' range
        default_rtt_s in prop_oneof![Just(0.0), Just(1e-9), Just(0.05)],
        ops in prop::collection::vec(op(), 1..400),
    ) {
        let servers = pool(&vec![1; n], held);
        let params = Params { choices: 2, vnodes: 1, decay_s, default_rtt_s, load_factor: 1.25, table_size: 251 };
        let fast = build(Algorithm::PeakEwma, &params, &servers);
        let scan = Box::new(PeakEwmaScan::new(decay_s, default_rtt_s));
        same_picks(servers, fast, scan, Algorithm::PeakEwma, &ops)?;
    }
}

/// Near ties on purpose: servers whose costs are equal as real numbers but not always as
/// floats (100 ms x 1 against 10 ms x 10, 50 ms x 2, 25 ms x 4, 20 ms x 5, four of each:
/// 20 servers, past the 16 that peak EWMA scans), at times where the decay makes every
/// product round, picked against the scan many times over.
#[test]
fn peak_ewma_breaks_near_ties_as_the_scan_does() {
    const MS: u64 = 1_000_000;
    let rtts = [100 * MS, 10 * MS, 50 * MS, 25 * MS, 20 * MS].repeat(4);
    let held = [0, 9, 1, 3, 4].repeat(4);
    for decay_s in [1e-3, 0.1, 0.3, 10.0] {
        let mut servers = pool(&[1; 20], 0);
        for (i, &h) in held.iter().enumerate() {
            for _ in 0..h {
                testing::hold(&mut servers, i);
            }
        }
        let params = Params { choices: 2, vnodes: 1, decay_s, default_rtt_s: 0.05, load_factor: 1.25, table_size: 251 };
        let mut fast = build(Algorithm::PeakEwma, &params, &servers);
        let mut scan = PeakEwmaScan::new(decay_s, 0.05);
        let eligible = Eligible::of(&servers);
        scan.pool_changed(&servers, &eligible);
        for (i, &rtt) in rtts.iter().enumerate() {
            fast.observe(i, rtt, 0);
            scan.observe(i, rtt, 0);
        }
        let mut rng = SimRng::new(0, 0);
        let mut winners = [0u32; 20];
        for k in 0..20_000u64 {
            let request = RequestInfo { key: k, now: k * 7_919 };
            let a = fast.pick(&servers, &eligible, request, &mut rng, None);
            let b = scan.pick(&servers, &eligible, request, &mut rng, None);
            assert_eq!(a, b, "decay {decay_s}, pick {k} at {} ns", request.now);
            winners[a.expect("eligible")] += 1;
        }
        // the ties are real: more than one server wins some of them
        assert!(winners.iter().filter(|&&w| w > 0).count() > 1, "decay {decay_s}: {winners:?}");
    }
}
