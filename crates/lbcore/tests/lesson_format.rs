//! A lesson's JSON as an author writes it: every problem reported at once, by step and
//! field, with the value quoted short and what is allowed; bounded sizes; the headless
//! player's verdicts on tasks that cannot be done; questions and the score.

use lbcore::lesson::{Answer, Lesson, MAX_LESSON_BYTES, MAX_STEP_EVENTS, Mark, Outcome, Progress, View, compact, play};
use lbcore::{Engine, Scenario};

fn problems(json: &str) -> Vec<String> {
    match Lesson::parse(json) {
        Ok(_) => panic!("should be refused: {json}"),
        Err(p) => p.0.iter().map(ToString::to_string).collect(),
    }
}

const GOOD: &str = r#"{"title": "t", "steps": [
  {"text": "Fire *three*.", "scenario": "servers=3&mode=manual",
   "task": {"when": [{"arrived": {"at_least": 3}}, {"server": "server2", "connections": {"at_least": 1}}]},
   "try": [{"fire": 3}],
   "question": {"ask": "Where next?", "predict": "next-server"}},
  {"text": "Which?", "scenario": "continue",
   "question": {"ask": "Pick", "choices": [
     {"text": "a", "right": true, "feedback": "yes"}, {"text": "b", "feedback": "no"}]}}
]}"#;

#[test]
fn a_good_lesson_parses() {
    let lesson = Lesson::parse(GOOD).unwrap_or_else(|p| panic!("{p}"));
    assert_eq!((lesson.title.as_str(), lesson.steps().len(), lesson.questions()), ("t", 2, 2));
    let r = play(&lesson);
    assert_eq!(r[0].outcome, Outcome::Done { actions: 1 });
    assert_eq!(r[0].answer.as_deref(), Some("server1"));
}

#[test]
fn every_problem_is_named_by_step_and_field() {
    let json = r#"{"title": "t", "colour": 1, "steps": [
      {"text": "a", "scenario": "continue"},
      {"text": "b *open", "scenario": "rate=abc&servers=70&mode=compare&paused=yes", "extra": true},
      {"text": "c", "scenario": "servers=3",
       "task": {"when": [{"arrived": {"at_least": 1}}, {"server": "server9", "connections": {"at_most": 0}},
                         {"setting": "algo", "is": "fastest"}, {"arived": {"at_least": 1}},
                         {"completed": {"at_least": 5, "at_most": 2}}]},
       "try": [{"fire": 0}, {"complete": "server2", "times": 2}, {"jump": 1}],
       "question": {"ask": "q", "choices": [{"text": "x", "right": true, "feedback": "f"},
                                              {"text": "y", "right": true, "feedback": "g"}]}}
    ]}"#;
    let p = problems(json);
    let expected = [
        "colour: unknown field; allowed here: title, steps",
        "step 1, scenario \"continue\": the first step has nothing to continue: give it a scenario query",
        "step 2, extra: unknown field; allowed here: text, scenario, task, try, question, controls, watch",
        "step 2, text \"b *open\": a * mark is not closed (marks: *emphasis*, `code`)",
        "step 2, scenario.mode \"compare\": allowed in a lesson: auto, manual, predict",
        "step 2, scenario.paused \"yes\": allowed: 1 (the step starts with the clock stopped) or 0",
        "step 2, scenario.rate \"abc\": not a number; allowed: 0 to 1000000000 per second",
        "step 2, scenario.servers \"70\": allowed in the browser: 1 to 64",
        "step 3, task.when[1].server \"server9\": no such server in the step's scenario; it has server1, server2, server3",
        "step 3, task.when[2].is \"fastest\": allowed: round-robin, weighted-round-robin, random, weighted-random, least-connections, weighted-least-connections, power-of-two, peak-ewma, consistent-hash, maglev, bounded-load, hash-mod",
        "step 3, task.when[3].arived: unknown quantity; allowed: arrived, completed, rejected, failed, cache_hits, retried, timed_out, attempts, served, budget_refused, hedged, breaker_refused, in_system, cache_hit_ratio, time, p99, server, setting",
        "step 3, task.when[4].completed \"{\\\"at_least\\\":5,\\\"at_most\\\":2}\": at_least is above at_most: nothing could satisfy it",
        "step 3, try[0].fire \"0\": allowed: a whole number from 1 to 10000",
        "step 3, try[2] \"{\\\"jump\\\":1}\": an action is one of fire, complete, fail, heal, drain, run or set",
        "step 3, question.choices \"2 right\": exactly one choice must have \"right\": true",
    ];
    assert_eq!(p, expected, "{p:#?}");
}

/// An author fixes a lesson from the top down: unknown fields are named in the order they were
/// written (serde_json's `preserve_order`), not sorted, and a value that is not a string is
/// quoted as the JSON it was (floats as serde_json writes them, `lbcore::json_text`).
#[test]
fn unknown_fields_come_in_the_order_written_and_values_are_quoted_as_written() {
    let p = problems(
        r#"{"title": "t", "zeta": 1, "steps": [{"text": "a", "scenario": "servers=3",
        "question": 1e21, "try": [{"fire": 2.5}], "omega": 0, "alpha": [0.5, {"b": "x"}]}], "beta": 2}"#,
    );
    let expected = [
        "zeta: unknown field; allowed here: title, steps",
        "beta: unknown field; allowed here: title, steps",
        "step 1, omega: unknown field; allowed here: text, scenario, task, try, question, controls, watch",
        "step 1, alpha: unknown field; allowed here: text, scenario, task, try, question, controls, watch",
    ];
    assert_eq!(p[..4.min(p.len())], expected, "{p:#?}");
    assert!(
        p.contains(&"step 1, question \"1e+21\": must be an object with ask, choices, predict".to_string()),
        "{p:#?}"
    );
    assert!(p.contains(&"step 1, try[0].fire \"2.5\": allowed: a whole number from 1 to 10000".to_string()), "{p:#?}");
}

#[test]
fn sizes_are_bounded_and_values_quoted_short() {
    let big = format!(r#"{{"title": "{}", "steps": []}}"#, "x".repeat(MAX_LESSON_BYTES));
    assert_eq!(problems(&big), [format!("lesson \"{} bytes\": is too large: at most 1024 KB", big.len())]);
    assert!(problems("[1, 2]")[0].contains("must be a JSON object"));
    assert!(problems("{\"title\": ")[0].contains("is not valid JSON"));
    // Nested past serde_json's 128 levels: the error's text is cut, its position never.
    let deep = format!(r#"{{"title": "t", "steps": {}{}}}"#, "[".repeat(200), "]".repeat(200));
    assert_eq!(
        problems(&deep),
        [format!(
            "lesson \"{}…\": is not valid JSON at line 1, column 151: lists and objects are nested more than 128 deep",
            "[".repeat(40)
        )]
    );
    let long = "y".repeat(5_000);
    let p = problems(&format!(r#"{{"title": "{long}", "steps": [{{"text": "{long}", "scenario": "servers=3"}}]}}"#));
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(p[0].starts_with(&format!("title \"{}…\": allowed: 1 to 100 characters", "y".repeat(40))), "{}", p[0]);
    assert!(p[1].starts_with("step 1, text") && p[1].contains("1 to 2000 characters"), "{}", p[1]);
    let many = vec![r#"{"text": "a", "scenario": "servers=3"}"#; 51].join(",");
    assert_eq!(
        problems(&format!(r#"{{"title": "t", "steps": [{many}]}}"#)),
        ["steps \"51 items\": allowed: 1 to 50 items"]
    );
    let hidden = problems(r#"{"title": "evil\u202Egnp", "steps": [{"text": "a", "scenario": "servers=3"}]}"#);
    assert!(hidden[0].contains("no control, invisible or text-direction characters"), "{hidden:?}");
}

#[test]
fn a_lessons_words_refuse_what_names_refuse() {
    // The word joiner, soft hyphen, Mongolian vowel separator, a tag character, the Hangul
    // filler, LRM and the zero-width space: each hides in text that looks fine.
    for c in ['\u{2060}', '\u{00ad}', '\u{180e}', '\u{e0041}', '\u{3164}', '\u{200e}', '\u{200b}'] {
        assert!(lbcore::scenario::is_hidden(c), "names refuse {c:?}");
        let text = serde_json::to_string(&format!("Fire ten{c} requests")).expect("a JSON string");
        let p = problems(&format!(r#"{{"title": "t", "steps": [{{"text": {text}, "scenario": "servers=3"}}]}}"#));
        assert_eq!(p.len(), 1, "{c:?}: {p:?}");
        assert!(p[0].starts_with("step 1, text"), "{p:?}");
        assert!(p[0].ends_with("new lines but no other control, invisible or text-direction characters"), "{p:?}");
    }
    let fine =
        r#"{"title": "Tr\u00e8s *bien* 🚦", "steps": [{"text": "Two lines,\nno more", "scenario": "servers=3"}]}"#;
    assert!(Lesson::parse(fine).is_ok(), "{:?}", problems(fine));
}

#[test]
fn settings_compare_in_their_canonical_form() {
    let json = r#"{"title": "t", "steps": [{"text": "a", "scenario": "servers=3&rate=10",
        "task": {"when": [{"setting": "retry", "is": "on"}, {"setting": "rate", "is": 20.0}]},
        "try": [{"set": {"retry": "yes", "rate": "20"}}]}]}"#;
    let lesson = Lesson::parse(json).unwrap_or_else(|p| panic!("{p}"));
    assert_eq!(play(&lesson)[0].outcome, Outcome::Done { actions: 1 }, "on, yes and true are one value; 20.0 is 20");
}

#[test]
fn the_player_says_why_a_task_is_not_done() {
    let step = |task: &str, try_: &str| {
        let json = format!(
            r#"{{"title": "t", "steps": [{{"text": "a", "scenario": "servers=3&mode=manual", "task": {{"when": [{task}]}}{try_}}}]}}"#
        );
        let lesson = Lesson::parse(&json).unwrap_or_else(|p| panic!("{p}"));
        match &play(&lesson)[0].outcome {
            Outcome::NotDone { why } => why.clone(),
            Outcome::Early { why } => format!("early: {why}"),
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(
        step(r#"{"arrived": {"at_least": 5}}"#, r#", "try": [{"fire": 4}]"#),
        "try: all 1 actions played and the task is not done"
    );
    assert_eq!(
        step(r#"{"arrived": {"at_least": 5}}"#, ""),
        "try: missing, so the check cannot show the task can be done"
    );
    assert_eq!(
        step(r#"{"arrived": {"at_most": 5}}"#, r#", "try": [{"fire": 1}]"#),
        "early: task: done as the step starts, before the learner does anything; nothing to do"
    );
    assert_eq!(
        step(r#"{"arrived": {"at_least": 1}}"#, r#", "try": [{"set": {"servers": 65}}]"#),
        "try[0].set: servers=\"65\": allowed in the browser: 1 to 64"
    );
}

#[test]
fn a_run_that_never_completes_its_task_stops_at_the_event_bound() {
    // a million arrivals a second over 64 servers: an hour would be billions of events
    let json = r#"{"title": "t", "steps": [{"text": "a", "scenario": "servers=64&rate=1000000&cost=0.00001",
        "task": {"when": [{"rejected": {"at_least": 1}}]}, "try": [{"run": 3600}]}]}"#;
    let lesson = Lesson::parse(json).unwrap_or_else(|p| panic!("{p}"));
    let started = std::time::Instant::now();
    let r = play(&lesson);
    let Outcome::NotDone { why } = &r[0].outcome else { panic!("{:?}", r[0].outcome) };
    assert_eq!(why, &format!("try[0].run: not done within {MAX_STEP_EVENTS} events; run for less or ask for less"));
    assert!(r[0].events <= MAX_STEP_EVENTS + 256, "{}", r[0].events);
    println!("stopped after {} events in {:?}", r[0].events, started.elapsed());
}

#[test]
fn a_prediction_is_checked_against_where_the_request_went() {
    let lesson = Lesson::parse(GOOD).expect("valid");
    let q = lesson.steps()[0].question.as_ref().expect("a question");
    let scenario = match &lesson.steps()[0].start {
        lbcore::lesson::Start::Fresh { scenario, .. } => (**scenario).clone(),
        _ => Scenario::default(),
    };
    let mut engine = Engine::new(scenario).expect("valid");
    let mark = Mark::of(&engine);
    let went = engine.fire(1).pop().and_then(|d| d.chosen_name().map(str::to_string));
    let view = View::new(&engine, mark).with_last_routed(went.as_deref());
    assert!(q.check(&Answer::Server("server1".into()), &view).right);
    let wrong = q.check(&Answer::Server("server2".into()), &view);
    assert_eq!((wrong.right, wrong.feedback.as_str()), (false, "The request went to server1, not server2."));
    assert!(!q.check(&Answer::Choice(0), &view).right, "an answer of the wrong kind is wrong");
}

#[test]
fn a_wrong_choice_is_told_the_right_answer_and_a_right_one_only_its_feedback() {
    let json = r#"{"title": "t", "steps": [{"text": "a", "scenario": "servers=2", "question": {"ask": "Where?", "choices": [
        {"text": "Hash mod n.", "feedback": "No: that moves most keys"},
        {"text": "A ring", "right": true, "feedback": "Yes: only a slice moves."}]}}]}"#;
    let lesson = Lesson::parse(json).unwrap_or_else(|p| panic!("{p}"));
    let q = lesson.steps()[0].question.as_ref().expect("a question");
    let engine = Engine::new(Scenario::default()).expect("valid");
    let view = View::new(&engine, Mark::of(&engine));
    let wrong = q.check(&Answer::Choice(0), &view);
    assert_eq!((wrong.right, wrong.feedback.as_str()), (false, "No: that moves most keys. The answer: A ring."));
    assert_eq!(q.choice_verdict(0), wrong, "the player's verdict is lbsim's");
    let right = q.check(&Answer::Choice(1), &view);
    assert_eq!((right.right, right.feedback.as_str()), (true, "Yes: only a slice moves."));
    assert!(!q.check(&Answer::Choice(2), &view).right, "no such choice");
}

#[test]
fn only_the_first_answer_counts_and_next_opens_when_the_step_is_done() {
    let lesson = Lesson::parse(GOOD).expect("valid");
    let mut p = Progress::new(&lesson);
    let engine = Engine::new(Scenario::default()).expect("valid");
    let view = View::new(&engine, Mark::of(&engine));
    let choose = lesson.steps()[1].question.as_ref().expect("a question");
    assert!(!p.can_advance(0), "a task and a question to go");
    p.task_done(0);
    assert!(!p.can_advance(0), "the question is not answered");
    p.answered(0, &lbcore::lesson::Verdict { right: false, feedback: String::new() });
    assert!(p.can_advance(0));
    p.answered(1, &choose.check(&Answer::Choice(1), &view));
    p.answered(1, &choose.check(&Answer::Choice(0), &view));
    let s = p.score();
    assert_eq!((s.right, s.questions, s.tasks_done, s.tasks, s.skipped), (0, 2, 1, 1, 0), "{s:?}");
    let mut q = Progress::new(&lesson);
    q.skip(0);
    assert!(q.can_advance(0));
    assert_eq!(q.score().skipped, 1);
    // A task the learner had shown counts as done once done, and the score says it was shown.
    let mut r = Progress::new(&lesson);
    r.shown(0);
    assert_eq!(r.score().tasks_shown, 0, "shown, not yet done");
    r.task_done(0);
    assert_eq!((r.score().tasks_done, r.score().tasks_shown), (1, 1));
}

#[test]
fn progress_saved_by_a_page_comes_back_whole_and_only_for_its_lesson() {
    let lesson = Lesson::parse(GOOD).expect("valid");
    let mut p = Progress::new(&lesson);
    p.shown(0);
    p.task_done(0);
    p.answered(0, &lbcore::lesson::Verdict { right: true, feedback: String::new() });
    let back = Progress::restored(&lesson, p.states().to_vec()).expect("the same lesson");
    assert_eq!(back, p);
    assert_eq!(back.score(), p.score());
    // Saved for a lesson of another length, or with an answer to a step that asks nothing.
    assert_eq!(Progress::restored(&lesson, p.states()[..1].to_vec()), None);
    let mut odd = p.states().to_vec();
    odd[1].done = true;
    assert_eq!(Progress::restored(&lesson, odd), None, "step 2 has no task to have done");
}

#[test]
fn compact_json_is_the_same_lesson() {
    let small = compact(GOOD).expect("valid");
    assert!(small.len() < GOOD.len() && !small.contains('\n'));
    assert_eq!(Lesson::parse(&small), Lesson::parse(GOOD));
}

#[test]
fn a_refused_scenario_still_checks_its_servers_unless_they_are_the_problem() {
    let with = |query: &str| {
        problems(&format!(
            r#"{{"title": "t", "steps": [{{"text": "a", "scenario": "{query}",
                "task": {{"when": [{{"server": "server4", "health": "down"}}]}}, "try": [{{"fail": "server4"}}]}}]}}"#
        ))
    };
    // a bad rate leaves 3 servers, so server4 is named in the task and in try
    assert_eq!(with("rate=abc").len(), 3, "{:?}", with("rate=abc"));
    // a bad server count: the servers are unknown, and only the count is named
    assert_eq!(with("servers=0"), ["step 1, scenario.servers \"0\": allowed in the browser: 1 to 64"]);
}

/// The page's clock runs on in a manual step while the learner waits; `lbsim lesson check`
/// moves it only by a `run`. A task on the time would pass in one and fail in the other, so
/// a manual or predict step (or a step continuing one) may not have one; an auto step may.
#[test]
fn a_manual_step_cannot_count_on_the_clock() {
    let step = |scenario: &str| {
        format!(
            r#"{{"text": "t", "scenario": "{scenario}", "task": {{"when": [{{"time": {{"at_least": 2}}}}, {{"setting": "retry", "is": true}}]}},
                "try": [{{"set": {{"retry": true}}}}, {{"run": 3}}]}}"#
        )
    };
    for steps in [
        step("servers=3&mode=manual"),
        step("mode=predict"),
        format!(r#"{}, {}"#, r#"{"text": "a", "scenario": "mode=manual"}"#, step("continue")),
    ] {
        let p = problems(&format!(r#"{{"title": "t", "steps": [{steps}]}}"#));
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].contains("task \"time\"") && p[0].contains("manual or predict step's clock"), "{p:?}");
    }
    let auto = format!(r#"{{"title": "t", "steps": [{}]}}"#, step("servers=3"));
    let lesson = Lesson::parse(&auto).unwrap_or_else(|p| panic!("{p}"));
    assert_eq!(play(&lesson)[0].outcome, Outcome::Done { actions: 2 });
}

/// A task on the time alone is done by waiting, whatever the learner does: not a task, in an
/// auto step as in a manual one (where the clock's other problem is not told twice).
#[test]
fn a_task_on_the_time_alone_is_refused_in_any_mode() {
    for scenario in ["servers=3", "servers=3&mode=manual"] {
        let p = problems(&format!(
            r#"{{"title": "t", "steps": [{{"text": "Wait.", "scenario": "{scenario}",
                "task": {{"when": [{{"time": {{"at_least": 10}}}}]}}, "try": [{{"run": 20}}]}}]}}"#
        ));
        assert_eq!(
            p,
            ["step 1, task \"time\": counts only the time: the learner completes it by waiting, which is not a \
                 task; a step to watch needs no task (give it a question), or ask also for what the learner does"],
            "{scenario}"
        );
    }
}

#[test]
fn a_json_error_far_along_a_line_gives_its_line_and_column_whole() {
    // A lesson on one line, as `lesson-data=` carries it: the missing comma is at character
    // 89, and the text from there is longer than the 40 characters a quote keeps. The quote
    // is cut; the line and column, in the message, never are.
    let title = "A title long enough to push the error past forty characters";
    let json =
        format!(r#"{{"title": "{title}", "steps": [{{"text": "a" "scenario": "servers=3&algo=least-connections"}}]}}"#);
    let column = json.find(r#""scenario""#).expect("there") + 1;
    assert!(column > 80, "{column}");
    let p = problems(&json);
    assert_eq!(
        p,
        [format!(
            "lesson \"\\\"scenario\\\": \\\"servers=3&algo=least-connec…\": is not valid JSON at line 1, column {column}: a \
             comma or a closing brace is missing"
        )]
    );
}
