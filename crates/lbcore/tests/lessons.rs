//! The built-in lessons, played headless as `lbsim lesson check` plays them: every step's
//! task is done by its `try` script within the event bound, and what the lessons teach is
//! what the engine does (the course module's exact traces, the slow server's queue).

use lbcore::lesson::{Lesson, Outcome, Start, StepReport, builtin, play};

fn played(name: &str) -> Vec<StepReport> {
    let json = builtin::json(name).unwrap_or_else(|| panic!("no built-in lesson {name}"));
    let lesson = Lesson::parse(json).unwrap_or_else(|p| panic!("{name}:\n{p}"));
    let reports = play(&lesson);
    for r in &reports {
        println!(
            "{name} step {}: {:?}, {} events, {:.1} s, answer {:?}",
            r.step, r.outcome, r.events, r.seconds, r.answer
        );
    }
    reports
}

#[test]
fn every_builtin_lesson_parses_and_every_task_is_done() {
    assert_eq!(builtin::names(), ["course", "slow-server", "power-of-two", "caches", "failures"]);
    for name in builtin::names() {
        let reports = played(name);
        assert!(!reports.is_empty());
        for r in reports {
            assert!(r.passed(), "{name} step {}: {:?}", r.step, r.outcome);
        }
    }
}

#[test]
fn the_course_module_fires_the_round_robin_trace_and_the_engine_answers_the_prediction() {
    let r = played("course");
    // nine fires by the try script, then the prediction fires the 10th
    assert_eq!(r[0].outcome, Outcome::Done { actions: 1 });
    assert_eq!(
        r[0].routed,
        ["server1", "server2", "server3", "server1", "server2", "server3", "server1", "server2", "server3", "server1"]
    );
    assert_eq!(r[0].answer.as_deref(), Some("server1"), "the 10th request's server, computed by the engine");
    assert_eq!(r[1].answer.as_deref(), Some("Round robin"));
    assert_eq!(r[4].answer.as_deref(), Some("Least connections"));
}

#[test]
fn the_course_module_sends_the_next_two_to_the_server_completed_twice() {
    let r = played("course");
    // least connections: 3, 3, 3; two completed on server2 leaves 3, 1, 3
    assert_eq!(
        r[2].routed,
        ["server1", "server2", "server3", "server1", "server2", "server3", "server1", "server2", "server3"]
    );
    assert_eq!(r[2].outcome, Outcome::Done { actions: 2 });
    assert_eq!(r[2].answer.as_deref(), Some("Both to server2"));
    assert_eq!(r[3].routed, ["server2", "server2"], "the two requests after the completions");
}

#[test]
fn the_course_modules_first_step_opens_the_page_in_manual_mode() {
    // Manual, not predict: the learner fires nine requests (predict mode has no Fire button,
    // each guess fires one), then the step's own question predicts the tenth.
    let lesson = builtin::lesson("course").expect("valid");
    let Start::Fresh { query, .. } = &lesson.steps()[0].start else { panic!("a fresh start") };
    assert_eq!(query, "mode=manual", "round robin over 3 servers is the default scenario");
    assert_eq!(lesson.steps()[1].start, Start::Continue);
    assert_eq!(lesson.questions(), 4);
}

#[test]
fn round_robin_piles_up_on_the_slow_server_at_the_rate_theory_gives() {
    let r = played("slow-server");
    // server3 gets a third of 18/s = 6/s and serves 3/s (speed 0.3, cost 0.1 s): its queue
    // grows by 3 a second, so 30 takes about 10 s. The net count's variance grows by about
    // 6 + 3 = 9 a second, a standard deviation of sqrt(90) = 9.5 requests at 10 s, about
    // 3 s of drift: 4 to 20 s is beyond three of them on either side.
    assert!((4.0..20.0).contains(&r[0].seconds), "{} s", r[0].seconds);
    assert!(r[1].passed(), "least connections drains server3 to at most 3 within 120 s");
}

#[test]
fn the_power_of_two_lessons_figures_are_the_engines() {
    // The lesson quotes the mean response, in service times (cost 0.1 s), of
    // `lbsim compare --algos random,power-of-two,least-connections --servers 10 --rate 90
    // --requests 500000`, to one decimal: the same seed gives the same runs, so each figure
    // must round to what the lesson says.
    let json = builtin::json("power-of-two").expect("built in");
    for (algo, quoted) in [
        (lbcore::Algorithm::Random, "9.6 service times under random"),
        (lbcore::Algorithm::PowerOfTwo, "2.9 under power of two"),
        (lbcore::Algorithm::LeastConnections, "1.9 under least connections"),
    ] {
        let scenario =
            lbcore::Scenario { algo, servers: 10, rate: 90.0, requests: Some(500_000), ..lbcore::Scenario::default() };
        let mean = lbcore::Engine::new(scenario).expect("valid").run().mean_response_s / 0.1;
        let figure = format!("{mean:.1}");
        assert!(quoted.starts_with(&figure), "{algo}: {mean:.3} service times; the lesson says {quoted:?}");
        assert!(json.contains(quoted), "the lesson's text says {quoted:?}");
    }
}

#[test]
fn the_slow_servers_lesson_says_how_idle_the_fast_servers_are_as_the_engine_runs_them() {
    // Round robin gives each fast server a third of 18 /s, 6 /s, and each finishes 10 /s
    // (cost 0.1 s at speed 1): busy rho = 0.6 of the time, idle 1 - rho = 0.4. The engine's
    // measured utilisation over 10 simulated minutes (about 3,600 requests each) is within
    // 0.03 of it, and the lesson's words are these two figures.
    let lesson = builtin::lesson("slow-server").expect("valid");
    let Start::Fresh { query, .. } = &lesson.steps()[0].start else { panic!("a fresh start") };
    let mut scenario = lbcore::Scenario::default();
    for (k, v) in query.split('&').filter_map(|pair| pair.split_once('=')) {
        scenario.set(k, v).expect("the lesson's own scenario");
    }
    let rho = scenario.rate / 3.0 * scenario.cost;
    assert!((rho - 0.6).abs() < 1e-9, "{rho}");
    let mut e = lbcore::Engine::new(scenario).expect("valid");
    e.run_until(lbcore::time::from_secs(600.0));
    for fast in &e.summary().servers[..2] {
        assert!(
            (fast.utilization - rho).abs() < 0.03,
            "{}: busy {:.3} of the time, theory {rho}",
            fast.name,
            fast.utilization
        );
    }
    let words = format!("busy {:.0}% of the time and idle {:.0}%", rho * 100.0, (1.0 - rho) * 100.0);
    assert!(builtin::json("slow-server").expect("built in").contains(&words), "the lesson should say {words:?}");
}

#[test]
fn the_power_of_two_lesson_states_the_max_load_of_one_and_two_choices() {
    // One random choice: the busiest of n servers gets Theta(log n / log log n) of n requests;
    // the less loaded of two: Theta(log log n). Said as two figures, not "from a to b" run
    // together.
    let json = builtin::json("power-of-two").expect("built in");
    assert!(json.contains("Θ(log n / log log n) of them when each request picks one server at random"), "{json}");
    assert!(json.contains("only Θ(log log n) when it picks the less loaded of two"), "{json}");
}
