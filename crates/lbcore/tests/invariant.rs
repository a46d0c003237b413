//! Property tests: random sequences of every operation a user or a lesson can perform keep
//! the conservation invariant (`arrived = cache hits + completed + rejected + failed + in
//! system`) over the run and, with a warm-up, over the measurement window; never panic; and
//! replay identically from the same seed.

use lbcore::scenario::{Arrivals, CacheMode, Completions, CostDist};
use lbcore::time::from_secs;
use lbcore::{Algorithm, Engine, Scenario};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    Advance(u32),
    Fire(u8),
    Complete(u8),
    AddServer,
    Remove(u8),
    Drain(u8),
    Fail(u8),
    Heal(u8),
    SetWeight(u8, u8),
    SetSpeed(u8, u8),
    SetAlgorithm(u8),
    SetRate(u16),
    SetWorkers(u8),
    SetQueue(u8),
    ToggleCompletions,
    SetCache(u8),
    SetDist(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (1u32..3_000).prop_map(Op::Advance),
        3 => (1u8..12).prop_map(Op::Fire),
        3 => any::<u8>().prop_map(Op::Complete),
        1 => Just(Op::AddServer),
        1 => any::<u8>().prop_map(Op::Remove),
        1 => any::<u8>().prop_map(Op::Drain),
        1 => any::<u8>().prop_map(Op::Fail),
        1 => any::<u8>().prop_map(Op::Heal),
        1 => (any::<u8>(), 0u8..6).prop_map(|(i, w)| Op::SetWeight(i, w)),
        1 => (any::<u8>(), 1u8..8).prop_map(|(i, s)| Op::SetSpeed(i, s)),
        1 => (0u8..12).prop_map(Op::SetAlgorithm),
        1 => (0u16..400).prop_map(Op::SetRate),
        1 => (1u8..4).prop_map(Op::SetWorkers),
        1 => (0u8..6).prop_map(Op::SetQueue),
        1 => Just(Op::ToggleCompletions),
        1 => (0u8..3).prop_map(Op::SetCache),
        1 => (0u8..5).prop_map(Op::SetDist),
    ]
}

/// Position `i` folded into the pool, if there is one.
fn at(e: &Engine, i: u8) -> Option<usize> {
    let n = e.servers().len();
    (n > 0).then(|| i as usize % n)
}

fn apply(e: &mut Engine, op: &Op) {
    let mut next = e.scenario().clone();
    match *op {
        Op::Advance(ms) => e.run_until(e.now() + from_secs(ms as f64 / 1000.0)),
        Op::Fire(n) => {
            e.fire(n as u32);
        }
        Op::Complete(i) => {
            if let Some(i) = at(e, i) {
                e.complete_oldest(i).unwrap();
            }
        }
        Op::AddServer => {
            if e.servers().len() < 12 {
                e.add_server();
            }
        }
        Op::Remove(i) => {
            if let Some(i) = at(e, i)
                && e.scenario().servers > 1
                && !e.servers()[i].removing
            {
                e.remove_server(i).unwrap();
            }
        }
        Op::Drain(i) => {
            if let Some(i) = at(e, i) {
                e.drain(i).unwrap()
            }
        }
        Op::Fail(i) => {
            if let Some(i) = at(e, i) {
                e.fail(i).unwrap()
            }
        }
        Op::Heal(i) => {
            if let Some(i) = at(e, i) {
                e.heal(i).unwrap()
            }
        }
        Op::SetWeight(i, w) => {
            if let Some(i) = at(e, i) {
                e.set_weight(i, w as u32).unwrap()
            }
        }
        Op::SetSpeed(i, s) => {
            if let Some(i) = at(e, i) {
                e.set_speed(i, s as f64 / 4.0).unwrap()
            }
        }
        Op::SetAlgorithm(a) => {
            next.algo = Algorithm::ALL[a as usize % Algorithm::ALL.len()];
            e.reconfigure(next).unwrap();
        }
        Op::SetRate(r) => {
            next.rate = r as f64;
            e.reconfigure(next).unwrap();
        }
        Op::SetWorkers(w) => {
            next.workers = w as u32;
            e.reconfigure(next).unwrap();
        }
        Op::SetQueue(q) => {
            next.queue = q as u32;
            e.reconfigure(next).unwrap();
        }
        Op::ToggleCompletions => {
            next.completions = match next.completions {
                Completions::Auto => Completions::Manual,
                Completions::Manual => Completions::Auto,
            };
            e.reconfigure(next).unwrap();
        }
        Op::SetCache(c) => {
            next.cache = [CacheMode::Off, CacheMode::Shared, CacheMode::PerServer][c as usize];
            e.reconfigure(next).unwrap();
        }
        Op::SetDist(d) => {
            next.dist =
                [CostDist::Const, CostDist::Exp, CostDist::Uniform, CostDist::Lognormal, CostDist::Pareto][d as usize];
            next.cv = 0.5;
            e.reconfigure(next).unwrap();
        }
    }
}

fn engine(algo: u8, seed: u64, health_interval: f64, retry: bool, warmup: f64) -> Engine {
    let scenario = Scenario {
        algo: Algorithm::ALL[algo as usize % Algorithm::ALL.len()],
        servers: 4,
        queue: 5,
        rate: 80.0,
        arrivals: Arrivals::Poisson,
        keys: 50,
        zipf: 1.0,
        cache_size: 10,
        health_interval,
        retry,
        warmup,
        seed,
        table_size: 251,
        ..Default::default()
    };
    let mut e = Engine::new(scenario).unwrap();
    e.keep_decisions(5);
    e.enable_series(from_secs(0.25), 8);
    e
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn every_operation_keeps_the_invariant(
        algo in 0u8..12,
        seed in any::<u64>(),
        health in prop_oneof![Just(0.0), Just(0.5)],
        retry in any::<bool>(),
        warmup in prop_oneof![Just(0.0), Just(0.5)],
        ops in proptest::collection::vec(op(), 1..60),
    ) {
        let mut e = engine(algo, seed, health, retry, warmup);
        for op in &ops {
            apply(&mut e, op);
            if let Err(broken) = e.check_invariant() {
                prop_assert!(false, "after {op:?}: {broken}");
            }
            let s = e.summary();
            let accounted = s.cache_hits + s.completed + s.rejected + s.failed + s.in_system;
            prop_assert_eq!(s.arrived, accounted, "the summary's window after {:?}: {:?}", op, s);
        }
    }

    #[test]
    fn the_same_seed_replays_identically(
        algo in 0u8..12,
        seed in any::<u64>(),
        ops in proptest::collection::vec(op(), 1..40),
    ) {
        let run = || {
            let mut e = engine(algo, seed, 0.5, true, 0.5);
            for op in &ops {
                apply(&mut e, op);
            }
            (e.summary(), e.decisions().clone(), e.series().unwrap().samples().clone())
        };
        prop_assert_eq!(run(), run());
    }
}
