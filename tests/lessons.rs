//! Every preset, every lesson of the README's tour and every claim of docs/lab.md with a link
//! shows what its text says: each scenario runs headless through lbcore, read by the page's own
//! URL parser, and each claim is checked as a number. A preset or lesson without a check here
//! fails the test, so a new one needs one.

use lbcore::time::from_secs;
use lbcore::{Engine, Race, Summary};
use lbviz::presets::PRESETS;

/// The engine a page opened at `query` runs, then changed by the `extra` pairs (`a=b&c=d`).
fn engine(query: &str, extra: &str) -> Engine {
    let parsed = lbviz::url::parse(query);
    assert!(parsed.problems.is_empty(), "{query}: {:?}", parsed.problems);
    let mut scenario = parsed.scenario;
    for (k, v) in extra.split('&').filter_map(|pair| pair.split_once('=')) {
        scenario.set(k, v).expect("a valid change");
    }
    Engine::new(scenario).expect("a valid scenario")
}

/// `engine` run for `seconds` of simulated time, and its summary.
fn run(query: &str, extra: &str, seconds: f64) -> (Engine, Summary) {
    let mut e = engine(query, extra);
    e.run_until(from_secs(seconds));
    let s = e.summary();
    (e, s)
}

/// Round robin fills the slow (last) server's queue and least connections keeps it short,
/// over five simulated minutes and three seeds. Round robin sends it 1/n of the traffic, more
/// than it serves, so its queue grows until full (workers + queue = 101) within the first
/// minute and stays so: a mean above 85 of 101. Least connections sends it work only when
/// it holds no more than the others; at under 90% load the fast servers' queues are short, so
/// the slow one's is too: a mean under 10 (a tenth of the queue) and none turned away.
fn slow_server_claims(query: &str) {
    let load = engine(query, "").scenario().load();
    assert!((0.8..0.9).contains(&load), "{query}: load {load:.3}; above 1 nothing drains the slow server");
    for seed in 1..=3 {
        let seed = format!("seed={seed}");
        let (_, rr) = run(query, &format!("algo=round-robin&{seed}"), 300.0);
        let slow = rr.servers.last().expect("servers");
        assert!(
            slow.mean_connections > 85.0,
            "{query} {seed}: round robin's slow server held {}",
            slow.mean_connections
        );
        let (_, lc) = run(query, &format!("algo=least-connections&{seed}"), 300.0);
        let slow = lc.servers.last().expect("servers");
        assert!(
            slow.mean_connections < 10.0 && lc.rejected == 0,
            "{query} {seed}: least connections' slow server held {} on average, {} rejected",
            slow.mean_connections,
            lc.rejected
        );
    }
}

/// Manual round robin over three servers: ten fires give 4, 3, 3.
fn round_robin_deals_in_turn(query: &str) {
    let mut e = engine(query, "algo=round-robin");
    e.fire(10);
    let held: Vec<u32> = e.servers().iter().map(|s| s.connections()).collect();
    assert_eq!(held, [4, 3, 3], "{query}");
}

/// Manual least connections: complete two on server2 and the next two requests go there.
fn least_connections_steers_to_completions(query: &str) {
    let mut e = engine(query, "algo=least-connections");
    e.fire(9);
    e.complete_oldest(1).expect("server2");
    e.complete_oldest(1).expect("server2");
    let next: Vec<String> = e.fire(2).iter().map(|d| d.chosen_name().unwrap_or("none").to_string()).collect();
    assert_eq!(next, ["server2", "server2"], "{query}");
}

/// Compare: the same arrivals race through each algorithm.
fn compare_races_the_same_arrivals(query: &str) {
    let parsed = lbviz::url::parse(query);
    let mut race = Race::new(&parsed.scenario, &parsed.settings.algos).expect("valid");
    race.apply(lbcore::Op::RunUntil(from_secs(60.0))).expect("runs");
    let arrived: Vec<u64> = race.engines().iter().map(|e| e.totals().arrived).collect();
    assert!(arrived.len() >= 2 && arrived.iter().all(|&a| a == arrived[0] && a > 0), "{query}: {arrived:?}");
}

/// Predict: the app shows the engine's decision, which names the server that got it.
fn predict_shows_the_decision(query: &str) {
    let mut e = engine(query, "");
    let decision = e.fire(1).pop().expect("a decision");
    let chosen = decision.chosen_name().expect("a server");
    let held = e.servers().iter().find(|s| &*s.name == chosen).expect("named").connections();
    assert_eq!(held, 1, "{query}: the decision names the server holding the request");
}

/// Heavy tails: a few very long requests; p99 is far above p50. Exponential costs give
/// p99 / p50 = ln 100 / ln 2 = 6.6 for one server idle; with cv 3 and queues behind long
/// requests it is larger, so above 5 it is "far", and p50 stays near the mean cost (0.1 s).
fn heavy_tail_claims(query: &str) {
    let (_, s) = run(query, "", 300.0);
    assert!(s.p99_response_s > 5.0 * s.p50_response_s, "{query}: p50 {} p99 {}", s.p50_response_s, s.p99_response_s);
}

/// A flash crowd: the average load is a third, queues build in each burst (five times the
/// average rate, above capacity) and drain in the lull. Averaged over 40 cycles, the
/// requests held at a burst's end are many (above 20) and at a lull's end almost none (under 1).
fn flash_crowd_claims(query: &str) {
    let mut e = engine(query, "");
    assert!((e.scenario().load() - 1.0 / 3.0).abs() < 0.01, "{query}: load {}", e.scenario().load());
    let (mut burst_end, mut lull_end) = (0.0, 0.0);
    for k in 0..40 {
        let t = 5.0 * f64::from(k);
        e.run_until(from_secs(t + 1.0));
        burst_end += e.in_system() as f64 / 40.0;
        e.run_until(from_secs(t + 5.0));
        lull_end += e.in_system() as f64 / 40.0;
    }
    assert!(burst_end > 20.0 && lull_end < 1.0, "{query}: held {burst_end:.1} after bursts, {lull_end:.1} after lulls");
}

/// A cache in front: the servers get only the misses, under their capacity (none turned
/// away); without the cache the same traffic is twice their capacity and they turn
/// requests away. The offered load the page shows is the rate past the cache.
fn cache_in_front_claims(query: &str) {
    let (e, s) = run(query, "", 120.0);
    let load = e.rate_past_cache() / e.serving_capacity();
    assert!(load < 0.9 && s.rejected == 0, "{query}: offered load past the cache {load:.3}, {} rejected", s.rejected);
    let (e, s) = run(query, "cache=off", 120.0);
    let load = e.rate_past_cache() / e.serving_capacity();
    assert!((load - 2.0).abs() < 1e-9, "{load}");
    assert!(
        s.rejected as f64 > 0.3 * s.arrived as f64,
        "{query} without cache: {} of {} rejected",
        s.rejected,
        s.arrived
    );
}

/// A failure: until the next health check (every 5 s) notices, requests sent to the failed
/// server fail and are retried; then it gets none, and the server says when it was noticed.
fn failure_claims(query: &str) {
    let mut e = engine(query, "");
    e.keep_decisions(lbviz::state::LOG_DECISIONS);
    e.run_until(from_secs(10.0));
    e.fail(1).expect("server2");
    let at_fail = e.totals().retried;
    e.run_until(from_secs(15.0) - 1);
    let before_check = e.totals().retried;
    assert_eq!(e.servers()[1].noticed_down, None, "not noticed before the check at 15 s");
    e.run_until(from_secs(30.0));
    assert!(before_check > at_fail, "{query}: requests sent to the failed server are retried");
    assert_eq!(e.totals().retried, before_check, "{query}: none sent to it once noticed");
    assert_eq!(e.totals().failed, 0, "{query}: every retry found a server");
    assert_eq!(e.servers()[1].noticed_down, Some(from_secs(15.0)), "noticed at the check at 15 s");
    assert!(
        e.notices().iter().any(|n| &*n.server == "server2" && n.what == lbcore::Noticed::Health { down: true }),
        "and the log says so"
    );
}

/// Consistent hashing with per-server caches: switch to round robin and the hit ratio halves
/// (each key is cached on every server instead of one): round robin's ratio within 0.4 to
/// 0.6 of consistent hashing's.
fn hash_with_caches_claims(query: &str) {
    let (ch, _) = run(query, "algo=consistent-hash", 120.0);
    let (rr, _) = run(query, "algo=round-robin", 120.0);
    let half = rr.cache_hit_ratio() / ch.cache_hit_ratio();
    assert!((0.4..0.6).contains(&half), "{query}: {} against {}", rr.cache_hit_ratio(), ch.cache_hit_ratio());
}

/// With server2 failed and server1 draining, the note under the arrival rate reads 192% of
/// 13 /s: servers 3 and 4 serve (1 + 0.3) / 0.1 = 13 /s, and 25 / 13 = 1.923.
fn offered_load_after_fail_and_drain(query: &str) {
    let mut e = engine(query, "");
    e.run_until(from_secs(2.0));
    e.fail(1).expect("server2");
    e.drain(0).expect("server1");
    let note = lbviz::format::offered_load(e.rate_past_cache(), e.serving_capacity(), None);
    assert!(note.starts_with("Offered load 192%: 25 /s against the 13 /s"), "{note}");
}

/// A retry storm: after the fault (5 s to 10 s) the queues keep growing, and no answer comes
/// in time over the last 20 s of a minute; reset with cancel on, the pool answers the 70 a
/// second (crates/lbcore/tests/resilience.rs holds the model's figures).
fn retry_storm_claims(query: &str) {
    for seed in 1..=3 {
        let last_20_s = |extra: &str| {
            let mut e = engine(query, &format!("seed={seed}{extra}"));
            e.run_until(from_secs(40.0));
            let before = e.totals();
            e.run_until(from_secs(60.0));
            let held: u32 = e.servers().iter().map(|s| s.connections()).sum();
            ((e.totals().completed - before.completed) as f64 / 20.0, held)
        };
        let (goodput, held) = last_20_s("");
        assert!(goodput == 0.0 && held > 5_000, "{query} seed {seed}: goodput {goodput}, {held} held");
        let (goodput, held) = last_20_s("&cancel=true");
        assert!((goodput - 70.0).abs() < 9.4 && held < 100, "{query} seed {seed} cancel: {goodput}, {held} held");
    }
}

/// Retry amplification: every attempt fails, so a request makes 1 + 3 attempts; over a
/// minute those still retrying at the end (failing after 1 s each, up to 4 s) keep the ratio
/// a little under 4 (3.90 measured).
fn amplification_claims(query: &str) {
    for seed in 1..=3 {
        let (_, s) = run(query, &format!("seed={seed}"), 60.0);
        assert!((3.8..=4.0).contains(&s.amplification) && s.completed == 0, "{query} seed {seed}: {s:?}");
    }
}

/// A stale queue: the server never idles (100 a second) and almost nothing is in time (the
/// first 0.2 s, about 0.5 a second over a minute); with cancel, about 18 a second (17 to 21).
fn stale_queue_claims(query: &str) {
    for seed in 1..=3 {
        let (_, s) = run(query, &format!("seed={seed}"), 60.0);
        assert!(s.throughput_rps > 99.0 && s.goodput_rps < 1.0, "{query} seed {seed}: {s:?}");
        let (_, s) = run(query, &format!("seed={seed}&cancel=true"), 60.0);
        assert!((15.0..=21.0).contains(&s.goodput_rps), "{query} seed {seed} cancel: {}", s.goodput_rps);
    }
}

/// Hedged requests, over two minutes: p99 about 0.6 s (0.55 to 0.64 measured, seeds 1 to 5)
/// for about 5% more attempts, where without hedging it is 1 to 3 s (0.93 to 2.66).
fn hedging_claims(query: &str) {
    for seed in 1..=3 {
        let (_, s) = run(query, &format!("seed={seed}"), 120.0);
        assert!((0.5..0.7).contains(&s.p99_response_s), "{query} seed {seed}: p99 {}", s.p99_response_s);
        assert!((1.04..1.07).contains(&s.amplification), "{query} seed {seed}: {}", s.amplification);
        let (_, s) = run(query, &format!("seed={seed}&hedge-after="), 120.0);
        assert!((0.9..3.0).contains(&s.p99_response_s), "{query} seed {seed} unhedged: {}", s.p99_response_s);
    }
}

/// A circuit breaker at 120% load: p99 under 3.5 s (the Erlang bound of
/// crates/lbcore/tests/faults_and_breakers.rs) with 1 in 5 or 6 refused; without it the
/// p99 is past 6 s after a minute and grows.
fn breaker_claims(query: &str) {
    for seed in 1..=3 {
        let (_, s) = run(query, &format!("seed={seed}"), 120.0);
        let refused = s.breaker_refused as f64 / s.arrived as f64;
        assert!(s.p99_response_s < 3.5 && (0.15..0.25).contains(&refused), "{query} seed {seed}: {s:?}");
        let (_, open) = run(query, &format!("seed={seed}&max-pending="), 60.0);
        let (_, longer) = run(query, &format!("seed={seed}&max-pending="), 120.0);
        assert!(open.p99_response_s > 6.0 && longer.p99_response_s > open.p99_response_s, "{query} seed {seed}");
    }
}

/// Backoff through a 2 s outage of every server (10 s to 12 s) at 24 requests a second: a
/// request that came at t in the outage sends its last retry at t + W, W the sum of its three
/// waits, and fails if that is before 12 s: the failed come from the outage's first 2 - W
/// seconds, 24 x (2 - W) on average. At once (W a few ms) that is 48; exponential (W = 0.25 +
/// 0.5 + 1 = 1.75) 6; full jitter (each wait uniform below its backoff, W averaging 0.875) 27.
/// Arrivals are Poisson, so each count is Poisson too: the mean over five seeds has a standard
/// deviation of sqrt(mean / 5) (3.1, 1.1 and 2.3), and each is held within 4 of them.
fn backoff_claims(query: &str) {
    let mean_failed = |extra: &str| {
        let runs = (1..=5).map(|seed| run(query, &format!("seed={seed}{extra}"), 20.0).1.failed as f64);
        runs.sum::<f64>() / 5.0
    };
    for (extra, expected) in [("", 48.0), ("&backoff=exponential", 6.0), ("&backoff=exponential&jitter=full", 27.0)] {
        let failed = mean_failed(extra);
        let tolerance = 4.0 * (expected / 5.0_f64).sqrt();
        assert!((failed - expected).abs() < tolerance, "{query}{extra}: {failed} failed on average, not {expected}");
    }
    // the built-in lesson `backoff` plays these three runs and quotes the same figures
    let lesson = lbcore::lesson::builtin::json("backoff").expect("built in");
    for quoted in ["about 48 failed", "24 x 0.25 = 6", "24 x 1.125 = 27"] {
        assert!(lesson.contains(quoted), "the backoff lesson says {quoted:?}");
    }
}

#[test]
fn every_preset_shows_what_its_text_claims() {
    for p in PRESETS {
        let check: fn(&str) = match p.id {
            "round-robin-lesson" => round_robin_deals_in_turn,
            "least-connections-lesson" => least_connections_steers_to_completions,
            "slow-server" => slow_server_claims,
            "heavy-tail" => heavy_tail_claims,
            "flash-crowd" => flash_crowd_claims,
            "cache-in-front" => cache_in_front_claims,
            "server-failure" => failure_claims,
            "hash-with-caches" => hash_with_caches_claims,
            "retry-storm" => retry_storm_claims,
            "retry-amplification" => amplification_claims,
            "stale-queue" => stale_queue_claims,
            "hedged-requests" => hedging_claims,
            "circuit-breaker" => breaker_claims,
            "backoff-and-jitter" => backoff_claims,
            other => panic!("preset {other} has no check of its claim"),
        };
        check(p.query);
    }
}

/// The course lesson, as the README's tour says: five steps on round robin and least
/// connections, four questions, and every task can be done (played headless, as `lbsim
/// lesson check --builtin course` plays it).
fn course_lesson_claims(query: &str) {
    let parsed = lbviz::url::parse(query);
    assert!(parsed.problems.is_empty(), "{query}: {:?}", parsed.problems);
    assert!(
        matches!(&parsed.settings.lesson, Some(lbviz::settings::LessonSource::Named(n)) if &**n == "course"),
        "{query}: the page reads the lesson's name"
    );
    let lesson = lbcore::lesson::builtin::lesson("course").expect("the built-in course lesson");
    assert_eq!((lesson.steps().len(), lesson.questions()), (5, 4), "{query}");
    let reports = lbcore::lesson::play(&lesson);
    assert!(reports.iter().all(|r| r.passed()), "{query}: {reports:?}");
}

/// The text of `section` in `doc`: from its heading to the next heading of any level.
fn section<'a>(doc: &'a str, heading: &str) -> &'a str {
    let from = doc.find(heading).unwrap_or_else(|| panic!("no section {heading}")) + heading.len();
    let rest = &doc[from..];
    rest.find("\n#").map_or(rest, |to| &rest[..to])
}

/// The `?query` of each code span in `text` that starts with `?`.
fn queries(text: &str) -> Vec<&str> {
    text.split("`?").skip(1).filter_map(|rest| rest.split('`').next()).collect()
}

#[test]
fn every_readme_lesson_shows_what_its_text_claims() {
    let readme = include_str!("../README.md");
    let lab = include_str!("../docs/lab.md");
    let mut found = queries(section(readme, "### For a learner"));
    found.extend(queries(section(lab, "## What the page shows is true")));
    assert!(found.len() >= 6, "{found:?}");
    for q in found {
        match q {
            "mode=manual" => {
                round_robin_deals_in_turn(q);
                least_connections_steers_to_completions(q);
            }
            "servers=3&speeds=1,1,0.3&rate=20" => slow_server_claims(q),
            q if q.starts_with("mode=compare") => compare_races_the_same_arrivals(q),
            "mode=predict" => predict_shows_the_decision(q),
            "servers=4&speeds=1,1,1,0.3&rate=25" => offered_load_after_fail_and_drain(q),
            "lesson=course" => course_lesson_claims(q),
            other => panic!("the README lesson `?{other}` has no check of its claim"),
        }
    }
}
