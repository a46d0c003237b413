//! What the page's figures rest on: the capacity of the servers that take traffic (failed,
//! draining and healed-but-not-yet-seen-up ones count for nothing), the rate the cache leaves them, and a new measurement
//! window on a change of experiment, with the run's totals kept.

use lbcore::time::from_secs;
use lbcore::{Algorithm, Engine, Scenario};

#[test]
fn capacity_counts_only_the_servers_taking_traffic() {
    // The example: four servers at speeds 1, 1, 1, 0.3 and cost 0.1 serve 33 /s;
    // with server2 failed and server1 draining, server3 and server4 serve (1 + 0.3) / 0.1 = 13 /s.
    let scenario = Scenario { servers: 4, speeds: vec![1.0, 1.0, 1.0, 0.3], rate: 25.0, ..Scenario::default() };
    let mut e = Engine::new(scenario).expect("valid");
    assert!((e.serving_capacity() - 33.0).abs() < 1e-9, "{}", e.serving_capacity());
    e.run_until(from_secs(5.0));
    e.fail(1).expect("server2");
    assert!((e.serving_capacity() - 23.0).abs() < 1e-9, "a failed server counts for nothing before it is noticed");
    e.drain(0).expect("server1");
    assert!((e.serving_capacity() - 13.0).abs() < 1e-9, "{}", e.serving_capacity());
    assert_eq!(e.rate_past_cache(), 25.0, "no cache: every arrival reaches the servers");
}

#[test]
fn a_healed_server_counts_from_the_check_that_sees_it_up() {
    // Three servers at 10 /s each (cost 0.1), health checks every second. server2 fails at
    // 0.5 s, the check at 1 s notices, it heals at 1.5 s: until the check at 2 s the balancer
    // sends it nothing (the page reads "healed, not yet noticed"), so the pool serves 20 /s.
    let mut e = Engine::new(Scenario { servers: 3, rate: 15.0, ..Scenario::default() }).expect("valid");
    e.run_until(from_secs(0.5));
    e.fail(1).expect("server2");
    e.run_until(from_secs(1.5));
    e.heal(1).expect("server2");
    assert!(!e.servers()[1].eligible(), "the balancer still sees server2 down");
    assert!((e.serving_capacity() - 20.0).abs() < 1e-9, "healed, not yet noticed: {}", e.serving_capacity());
    e.run_until(from_secs(2.5));
    assert!(e.servers()[1].eligible(), "the check at 2 s saw it up");
    assert!((e.serving_capacity() - 30.0).abs() < 1e-9, "{}", e.serving_capacity());
}

#[test]
fn the_rate_past_a_cache_is_its_misses() {
    let scenario = Scenario {
        rate: 60.0,
        cache: lbcore::scenario::CacheMode::Shared,
        cache_size: 200,
        keys: 2000,
        zipf: 1.0,
        ..Scenario::default()
    };
    let mut e = Engine::new(scenario).expect("valid");
    e.run_until(from_secs(120.0));
    let c = e.counters();
    // a shared cache looks every arrival up once: misses / arrivals = 1 - hit ratio exactly
    let misses = (c.arrived - c.cache_hits) as f64 / c.arrived as f64;
    assert!((e.rate_past_cache() - 60.0 * misses).abs() < 1e-9, "{} against {}", e.rate_past_cache(), 60.0 * misses);
    assert!(e.rate_past_cache() < 30.0, "the cache leaves the servers under their 30 /s");
}

#[test]
fn a_new_window_forgets_the_previous_experiment_and_keeps_the_totals() {
    // Round robin with a slow server piles a queue of up to 101 on it: p95 in seconds. Least
    // connections spares it: p95 a few tenths. After the switch and a new window, p95 is
    // least connections' alone; without the new window it keeps round robin's tail.
    let scenario = Scenario { servers: 3, speeds: vec![1.0, 1.0, 0.3], rate: 20.0, seed: 3, ..Scenario::default() };
    let mut blended = Engine::new(scenario.clone()).expect("valid");
    blended.run_until(from_secs(120.0));
    let rr_p95 = blended.summary().p95_response_s;
    let mut fresh = Engine::new(scenario.clone()).expect("valid");
    fresh.run_until(from_secs(120.0));
    let next = Scenario { algo: Algorithm::LeastConnections, ..scenario };
    blended.reconfigure(next.clone()).expect("valid");
    fresh.reconfigure(next).expect("valid");
    let before = fresh.totals();
    fresh.start_window();
    assert_eq!(fresh.window_start(), from_secs(120.0));
    assert_eq!(fresh.summary().arrived, 0, "the window starts empty");
    assert_eq!(fresh.totals(), before, "the run's totals are kept");
    // 480 s more: round robin's queue of 101 on the slow server drains within about 101 /
    // 3 /s = 34 s, so most of the window is least connections' steady state
    blended.run_until(from_secs(600.0));
    fresh.run_until(from_secs(600.0));
    let (b, f) = (blended.summary(), fresh.summary());
    println!(
        "round robin p95 {rr_p95:.2} s; after the switch p95 {:.2} s blended, {:.2} s in the new window",
        b.p95_response_s, f.p95_response_s
    );
    assert!(rr_p95 > 10.0, "round robin's p95 {rr_p95}");
    assert!(f.p95_response_s < b.p95_response_s, "{} against {}", f.p95_response_s, b.p95_response_s);
    assert!(f.arrived < fresh.totals().arrived);
    assert_eq!(f.arrived, f.cache_hits + f.completed + f.rejected + f.failed + f.in_system, "{f:?}");
    fresh.check_invariant().expect("balanced over the run and the window");
}

#[test]
fn the_series_counts_every_answer_and_the_answers_a_client_waited_for() {
    // One server at 10 /s (cost 0.1, constant), 20 /s arriving, a queue of 1,000 and clients
    // that wait 0.5 s: the queue grows by 10 a second, so after the first seconds every
    // request waits longer than its client does, and the server answers only clients who have
    // gone. The history's two lines are differences of these counts: throughput stays at the
    // server's 10 /s while goodput falls to nothing.
    use lbcore::scenario::CostDist;
    let scenario = Scenario {
        servers: 1,
        rate: 20.0,
        cost: 0.1,
        dist: CostDist::Const,
        queue: 1_000,
        timeout: Some(0.5),
        ..Scenario::default()
    };
    let mut e = Engine::new(scenario).expect("valid");
    e.enable_series(from_secs(1.0), 100);
    e.run_until(from_secs(20.0));
    let samples = e.series().expect("enabled").samples();
    let (first, last) = (&samples[9], samples.back().expect("20 samples"));
    let seconds = lbcore::time::to_secs(last.at - first.at);
    let throughput = (last.served - first.served) as f64 / seconds;
    let goodput = (last.answered - first.answered) as f64 / seconds;
    // the server finishes one request every 0.1 s exactly: 10 /s, give or take the one in
    // progress at each end (0.1 per second over 10 s)
    assert!((throughput - 10.0).abs() <= 0.11, "throughput {throughput}");
    assert_eq!(goodput, 0.0, "from 10 s every request waits more than 0.5 s");
    let c = e.totals();
    assert_eq!((last.served, last.answered), (c.served + c.cache_hits, c.completed + c.cache_hits));
}
