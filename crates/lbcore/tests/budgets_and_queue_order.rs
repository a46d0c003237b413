//! Issue 19's lessons 1 and 3 for Envoy's and Finagle's retry budgets and for adaptive LIFO:
//! retry amplification with every server failing every attempt, bounded by each budget as
//! its definition predicts; deposits in Finagle's bucket expiring after their ttl; and
//! goodput collapsing behind a stale FIFO queue after an overload burst, restored by
//! adaptive LIFO or by cancellation.

use lbcore::metrics::Counters;
use lbcore::scenario::{Arrivals, Backoff, Completions, CostDist, QueueOrder};
use lbcore::time::{Nanos, from_secs};
use lbcore::{Algorithm, Engine, Scenario};

/// Three servers that fail every attempt at once (down, and never noticed by the health
/// checks, so the balancer keeps sending to them).
fn failing_pool(scenario: Scenario) -> Engine {
    let scenario = Scenario { algo: Algorithm::RoundRobin, servers: 3, health_interval: 3600.0, ..scenario };
    let mut e = Engine::new(scenario).expect("valid");
    for i in 0..3 {
        e.fail(i).expect("there");
    }
    e
}

fn amplification(c: &Counters) -> f64 {
    c.attempts as f64 / c.arrived as f64
}

#[test]
fn envoy_budget_on_a_burst_lets_only_its_floor_retry() {
    // 200 requests fired at once, 3 retries each, 25 ms of backoff. A first attempt fails at
    // once; its request asks to retry while the 3 before it wait out their backoff: the
    // requests in flight are those 3 and itself, 10% of 4 rounds down to 0, so the cap is the
    // floor, retry-min = 3. The first 3 requests take the 3 slots and keep them through all
    // their retries (each decision frees the slot, then finds 2 taken of 3); the other 197
    // are refused at their first retry. Attempts: 200 + 3 x 3 = 209, amplification 1.045,
    // under 1.1 plus the floor's retry-min x retries / requests = 9 / 200 = 0.045.
    let burst = Scenario {
        arrivals: Arrivals::Off,
        retries: 3,
        backoff: Backoff::Constant,
        retry_budget: Some(10.0),
        ..Scenario::default()
    };
    let mut e = failing_pool(burst.clone());
    e.fire(200);
    e.run_until(from_secs(60.0));
    let c = e.totals();
    assert_eq!((c.arrived, c.failed, c.attempts, c.retried, c.budget_refused), (200, 200, 209, 9, 197), "{c:?}");
    assert_eq!(e.summary().budget_refused, 197);
    e.check_invariant().expect("balanced");

    // Without a backoff each request's retries follow each other at the same instant, never
    // two at once: a cap on concurrent retries never binds (one outstanding of 3 allowed), so
    // every request makes 1 + 3 attempts exactly, as without a budget. What the floor allows.
    let mut e = failing_pool(Scenario { backoff: Backoff::None, ..burst });
    e.fire(200);
    let c = e.totals();
    assert_eq!((c.attempts, c.budget_refused), (800, 0), "{c:?}");
}

#[test]
fn envoy_budget_at_a_rate_keeps_retries_to_a_tenth_of_the_requests_in_flight() {
    // Servers that never answer (completions by hand, never given): every attempt times out
    // after T = 1 s and is cancelled. Requests arrive evenly at 100 a second for D = 30 s, each
    // allowed 3 retries, with a budget of 10% (floor 3). The requests in flight are the first
    // attempts of the last second, A1 = 100 or 101, plus the R retries outstanding: a retry
    // goes while R < floor(0.1 (A1 + R)), so R <= 11 at every instant (0.1 x (101 + 11) =
    // 11.2; the floor of 3 never binds past the first 0.3 s). Each retry holds its slot for
    // exactly T (it times out, and that decision frees the slot), so at most 11 / T retries a
    // second: retries <= 11 x D / T + 11 = 341 of 3,000 requests, amplification <= 1.1137 (1 +
    // 1/9, a tenth of all in flight being retries, plus the last second's). From the second
    // second on, a slot freed is taken again at once (a first attempt times out every 10 ms),
    // so R = 11 over at least 28 s: retries >= 308, amplification >= 1.1027.
    let scenario = Scenario {
        servers: 3,
        arrivals: Arrivals::Constant,
        rate: 100.0,
        queue: 1_000,
        completions: Completions::Manual,
        timeout: Some(1.0),
        cancel: true,
        retries: 3,
        retry_budget: Some(10.0),
        ..Scenario::default()
    };
    let mut e = Engine::new(scenario.clone()).expect("valid");
    e.run_until(from_secs(30.0) - 1);
    let c = e.totals();
    assert_eq!(c.arrived, 2_999, "the first at 10 ms, the last at 29.99 s: {c:?}");
    let a = amplification(&c);
    assert!((1.1027..=1.1137).contains(&a), "amplification {a}: {c:?}");
    assert!(c.budget_refused > 2_000, "most first timeouts are refused a retry: {c:?}");
    e.check_invariant().expect("balanced");

    // without a budget every request arriving before D - 3T = 27 s has made its 4 attempts:
    // amplification >= (2,700 x 4 + 300) / 3,000 = 3.7
    let mut e = Engine::new(Scenario { retry_budget: None, ..scenario }).expect("valid");
    e.run_until(from_secs(30.0) - 1);
    let c = e.totals();
    assert!(amplification(&c) >= 3.7 && c.budget_refused == 0, "{c:?}");
}

#[test]
fn finagle_bucket_keeps_retries_to_its_percent_plus_its_reserve() {
    // Every attempt fails at once; requests arrive evenly at 200 a second for D = 30 s (the
    // last before 30 s) and each wants 3 retries at once. Bucket: 10%, ttl 10 s, reserve 10
    // retries a second. In tokens a request deposits 1,000, a retry costs 10,000, the reserve
    // is 10 x 10 x 10,000 = 100 retries. Upper bound: at a withdrawal in slice s the balance
    // holds it, so the withdrawals of the window s-9..s are at most the reserve plus its
    // deposits; taking the last withdrawal, then the last before that window, and so on,
    // gives disjoint windows of 10 slices covering every withdrawal, at most ceil(D / ttl) =
    // 3 of them: retries <= 3 x 100 + arrived / 10, that is 1.1x plus retry-bucket-min x D /
    // arrived. Lower bound: at the last arrival of each aligned window (slices 0-9, 10-19,
    // 20-29) a retry was wanted, so after it the balance is under one retry's cost: that
    // window's withdrawals exceed 100 + its arrivals / 10 - 1; retries > 300 + arrived / 10 - 3.
    let scenario = Scenario {
        arrivals: Arrivals::Constant,
        rate: 200.0,
        retries: 3,
        retry_bucket: Some(10.0),
        ..Scenario::default()
    };
    let mut e = failing_pool(scenario.clone());
    e.run_until(from_secs(30.0) - 1);
    let c = e.totals();
    let (low, high) = (300 + c.arrived / 10 - 3, 300 + c.arrived / 10);
    assert!((low..=high).contains(&c.retried), "{} retries of {} requests: {c:?}", c.retried, c.arrived);
    assert!(amplification(&c) <= 1.1 + 10.0 * 30.0 / c.arrived as f64, "{c:?}");
    assert_eq!((c.failed, c.in_flight()), (c.arrived, 0), "each request fails, after its retries or a refusal: {c:?}");
    e.check_invariant().expect("balanced");
}

/// A burst of 1,000 requests, each failing and allowed one retry, fired at `at` after 10,000
/// requests at time 0 that failed without a retry (their deposits only): how many retried.
fn retries_of_a_burst_after_deposits(at: Nanos) -> u64 {
    let mut e = failing_pool(Scenario { arrivals: Arrivals::Off, retry_bucket: Some(10.0), ..Scenario::default() });
    e.fire(10_000);
    e.run_until(at);
    let mut next = e.scenario().clone();
    next.retries = 1;
    e.reconfigure(next).expect("valid");
    e.fire(1_000);
    let c = e.totals();
    assert_eq!(c.retried + c.budget_refused, 1_000, "{c:?}");
    e.check_invariant().expect("balanced");
    c.retried
}

#[test]
fn finagle_bucket_deposits_expire_after_the_ttl_and_leave_the_reserve() {
    // 10%, ttl 10 s (slices of 1 s), reserve 100 retries. The 10,000 deposits of time 0 (slice
    // 0) count until slice 10 begins, at 10 s. At 9.9 s the balance is 1,000,000 (reserve) +
    // 10,000,000: the burst's 1,000 retries, 9,000 net each, all go.
    assert_eq!(retries_of_a_burst_after_deposits(from_secs(9.9)), 1_000);
    // At 10 s, after a ttl of quiet, only the reserve and the burst's own deposits: request k
    // retries while 1,000,000 + 1,000 k - 10,000 (k - 1) >= 10,000, so the first 111 retry,
    // leaving 1,000 tokens; then one in ten (the 120th, 130th, ... 1,000th: 89), 200 in all:
    // the reserve's 100 plus a tenth of the burst.
    assert_eq!(retries_of_a_burst_after_deposits(from_secs(10.0)), 200);
}

#[test]
fn both_budgets_set_a_retry_needs_both() {
    // The burst of the first Envoy test (200 fired at once, 3 retries, 25 ms of backoff),
    // where Envoy's floor alone lets requests 1 to 3 retry 3 times each (9 retries), with a
    // bucket too: 0% (a retry costs 1 token, a request deposits none), a reserve of 3 retries
    // a second over a ttl of 2 s, 6 tokens. Envoy refuses requests 4 to 200 without drawing on
    // the bucket; requests 1 to 3 take 3 tokens at 0 s and 3 at 25 ms, and at 50 ms the bucket
    // refuses what Envoy allows: 6 retries, 197 + 3 refusals. Had Envoy's refusals drawn on the
    // bucket, requests 4 to 6 would have emptied it at 0 s: 3 retries.
    let mut e = failing_pool(Scenario {
        arrivals: Arrivals::Off,
        retries: 3,
        backoff: Backoff::Constant,
        retry_budget: Some(10.0),
        retry_bucket: Some(0.0),
        retry_bucket_ttl: 2,
        retry_bucket_min: 3,
        ..Scenario::default()
    });
    e.fire(200);
    e.run_until(from_secs(60.0));
    let c = e.totals();
    assert_eq!((c.retried, c.budget_refused, c.failed, c.attempts), (6, 200, 200, 206), "{c:?}");
}

// === lesson 3: goodput collapse behind a stale queue ===

/// Answers per second, and answers to waiting clients per second, between `from` and `to`.
fn rates(e: &mut Engine, from: f64, to: f64) -> (f64, f64) {
    e.run_until(from_secs(from));
    let a = e.totals();
    e.run_until(from_secs(to));
    let b = e.totals();
    let secs = to - from;
    ((b.served - a.served) as f64 / secs, (b.completed - a.completed) as f64 / secs)
}

/// One server, one worker, 0.01 s of work exactly (100 a second), queue 1,000, a client that
/// waits 0.2 s and does not retry; Poisson arrivals at 300 a second (3 times capacity) for
/// 5 s, then 50 (half). Returns (throughput, goodput) during the burst, 1 to 5 s, and after
/// it, 6 to 18 s.
fn stale_queue(seed: u64, order: QueueOrder, cancel: bool) -> [(f64, f64); 2] {
    let scenario = Scenario {
        servers: 1,
        queue: 1_000,
        dist: CostDist::Const,
        cost: 0.01,
        rate: 300.0,
        timeout: Some(0.2),
        cancel,
        queue_order: order,
        seed,
        ..Scenario::default()
    };
    let mut e = Engine::new(scenario).expect("valid");
    let during = rates(&mut e, 1.0, 5.0);
    let mut next = e.scenario().clone();
    next.rate = 50.0;
    e.reconfigure(next).expect("valid");
    let after = rates(&mut e, 6.0, 18.0);
    e.check_invariant().expect("balanced");
    [during, after]
}

#[test]
fn a_stale_fifo_queue_keeps_the_server_busy_answering_nobody() {
    // The queue grows by 200 a second from the start: past 20 (0.2 s of work, the timeout)
    // within 0.1 s, near its 1,000 by 5 s (1,500 +- 39 arrived, 500 served); after the burst
    // it drains by 50 a second, so at 18 s it still holds over 880 - 13 x 50 - 25 x 3 > 150,
    // 1.5 s of work. Every attempt served from 1 s to 18 s has waited far past its 0.2 s: goodput
    // exactly 0, while the server never idles: throughput 100 a second (1 in 400 of slack
    // for a departure straddling a window's edge).
    for seed in 1..=3 {
        let [(t1, g1), (t2, g2)] = stale_queue(seed, QueueOrder::Fifo, false);
        assert_eq!((g1, g2), (0.0, 0.0), "seed {seed}");
        assert!(t1 >= 99.75 && t2 >= 99.9, "seed {seed}: throughput {t1}, {t2}");
    }
}

#[test]
fn adaptive_lifo_answers_the_newest_and_lets_the_stale_wait() {
    // With adaptive LIFO the queue stands (never empty) from the burst's first 0.1 s to past
    // 18 s, so the server takes the newest attempt each time. In the burst, 3 arrive per
    // service: the newest is at most a few ms old (no arrival in 0.19 s has probability
    // e^-57), so every answer is in time: goodput = throughput = 100 a second. After it the
    // fresh requests, 50 a second, are answered at once (a LIFO M/D/1 at load 0.5: waiting
    // 0.19 s means a busy period of 19 services, vanishingly rare), the stale ones in the gaps:
    // goodput is the arrival rate, 50 a second, whose count over 12 s is 600 +- 24.5; 40 a
    // second is 4.9 standard deviations below.
    for seed in 1..=3 {
        let [(t1, g1), (t2, g2)] = stale_queue(seed, QueueOrder::Lifo, false);
        assert!(g1 >= 99.75 && t1 >= 99.75, "seed {seed}: during the burst {t1}, {g1}");
        assert!((40.0..=60.0).contains(&g2), "seed {seed}: goodput after {g2}");
        assert!(t2 >= 99.9, "seed {seed}: the stale backlog still fills the gaps: {t2}");
    }
}

#[test]
fn cancelling_timed_out_attempts_leaves_no_stale_queue_behind_the_burst() {
    // Cancelled at 0.2 s, an attempt leaves the queue: it never holds more than 0.2 s of
    // arrivals, about 60, all gone 0.2 s after the burst. After it the server is an M/D/1
    // at load 0.5 first in, first out (a wait of 0.19 s, 19 services queued, is vanishingly
    // rare): goodput is the arrival rate, 50 a second, within the same 4.9 standard
    // deviations as above; and nothing stale is served: throughput = goodput. During the burst
    // cancelling alone does not save goodput: first in, first out, the attempt a worker takes
    // is the oldest not yet cancelled, which with 3 arrivals a service has waited within a few
    // ms of 0.2 s, so most time out on the worker (measured: 17 to 21 answers a second, where
    // adaptive LIFO gives 100); under half the capacity is a safe bound.
    for seed in 1..=3 {
        let [(t1, g1), (t2, g2)] = stale_queue(seed, QueueOrder::Fifo, true);
        assert!(g1 < 50.0 && t1 == g1, "seed {seed}: during the burst {t1}, {g1}");
        assert!((40.0..=60.0).contains(&g2), "seed {seed}: goodput after {g2}");
        assert_eq!(t2, g2, "seed {seed}");
    }
}
