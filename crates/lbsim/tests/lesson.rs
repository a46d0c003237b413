//! `lbsim lesson` and `lbsim url` as an author runs them: the built-in lessons check, a
//! broken lesson is refused with every problem by step and field (status 2), a lesson whose
//! task cannot be done fails the check (status 1), and a scenario's link reads back as the
//! same scenario through the page's query codec.

use std::io::Write;

use assert_cmd::Command;
use lbcore::Scenario;
use lbcore::scenario::query;
use predicates::prelude::*;

fn lbsim(args: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin("lbsim").expect("the lbsim binary");
    cmd.args(args);
    cmd
}

/// A temporary file with `text`, removed when dropped.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(name: &str, text: &str) -> TempFile {
        let path = std::env::temp_dir().join(format!("lbsim-test-{}-{name}", std::process::id()));
        std::fs::File::create(&path).and_then(|mut f| f.write_all(text.as_bytes())).expect("a temporary file");
        TempFile(path)
    }
    fn path(&self) -> &str {
        self.0.to_str().expect("a UTF-8 path")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn the_builtin_lessons_are_listed_and_each_checks() {
    let out = lbsim(&["lesson", "list"]).assert().success().get_output().stdout.clone();
    let names: Vec<String> =
        String::from_utf8(out).unwrap().lines().map(|l| l.split('\t').next().unwrap().to_string()).collect();
    assert_eq!(
        names,
        [
            "course",
            "slow-server",
            "power-of-two",
            "caches",
            "failures",
            "retry-storm",
            "amplification",
            "stale-queue",
            "hedging",
            "breakers",
            "backoff"
        ]
    );
    for name in names {
        lbsim(&["lesson", "check", "--builtin", &name])
            .assert()
            .success()
            .stdout(predicate::str::ends_with("ok: every task can be done, and only by the learner\n"));
    }
}

#[test]
fn the_course_check_prints_the_round_robin_trace_and_the_engines_answer() {
    lbsim(&["lesson", "check", "--builtin", "course"]).assert().success().stdout(predicate::str::contains(
        "step 1: starts: mode=manual; task done after 1 of 1 actions, at most 10 events, 0 simulated s; not done \
         when left alone 30 s; routed \
         server1 server2 server3 server1 server2 server3 server1 server2 server3 server1; answer: server1\n",
    ));
}

#[test]
fn a_broken_lesson_names_every_problem_and_exits_2() {
    let f = TempFile::new(
        "broken.json",
        r#"{"title": "Mine", "steps": [
            {"text": "a", "scenario": "servers=3"},
            {"text": "b", "scenario": "rate=abc", "task": {"when": [{"server": "web", "health": "sick"}]}}]}"#,
    );
    let assert = lbsim(&["lesson", "check", f.path()]).assert().code(2);
    let err = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert_eq!(
        err,
        format!(
            "lbsim: \"{}\": 3 problems:\n  step 2, scenario.rate \"abc\": not a number; allowed: 0 to 1000000000 per second\n  step 2, task.when[0].server \"web\": \
             no such server in the step's scenario; it has server1, server2, server3\n  step 2, task.when[0].health \
             \"sick\": allowed: up, draining, down\n",
            f.path()
        )
    );
}

#[test]
fn a_task_that_cannot_be_done_fails_the_check_with_status_1() {
    let f = TempFile::new(
        "undone.json",
        r#"{"title": "Mine", "steps": [{"text": "Fire five.", "scenario": "mode=manual",
            "task": {"when": [{"arrived": {"at_least": 5}}]}, "try": [{"fire": 4}]}]}"#,
    );
    lbsim(&["lesson", "check", f.path()])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("step 1: starts: mode=manual; NOT DONE: try: all 1 actions played"))
        .stderr(format!("lbsim: \"{}\": the task of step 1 cannot be done as its try says\n", f.path()));
}

#[test]
fn unreadable_input_is_named() {
    lbsim(&["lesson", "check", "/nonexistent/lesson.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("lbsim: \"/nonexistent/lesson.json\": cannot read it:"));
    lbsim(&["lesson", "check", "--builtin", "nope"]).assert().code(2).stderr(
        "lbsim: --builtin \"nope\": no such lesson; allowed: course, slow-server, power-of-two, caches, failures, retry-storm, amplification, stale-queue, hedging, breakers, backoff\n",
    );
    lbsim(&["lesson", "check"]).assert().code(2);
}

/// The scenario a link's query gives, read as the page reads it.
fn read_back(url: &str) -> Scenario {
    let q = url.split_once('?').map_or("", |(_, q)| q);
    let pairs: Vec<(String, String)> =
        query::split(q).into_iter().filter(|(k, _)| !matches!(k.as_str(), "embed" | "mode")).collect();
    let (s, problems) = Scenario::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    assert!(problems.is_empty(), "{problems:?}");
    s
}

#[test]
fn a_scenario_files_link_reads_back_as_the_same_scenario() {
    let json = r#"{"algo": "least-connections", "servers": 4, "names": ["web 1", "b&c", "d", "e"], "speeds": [1, 1, 0.3], "rate": 18}"#;
    let f = TempFile::new("scenario.json", json);
    let out = lbsim(&["url", "--scenario", f.path(), "--base", "https://example.org/lbviz/"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let url = String::from_utf8(out).unwrap();
    assert_eq!(
        url,
        "https://example.org/lbviz/?algo=least-connections&servers=4&names=web%201,b%26c,d,e&speeds=1,1,0.3&rate=18&embed=1\n"
    );
    assert_eq!(read_back(url.trim()), Scenario::from_json(json).unwrap());
}

#[test]
fn a_manual_scenario_opens_in_manual_mode_and_the_browsers_limits_hold() {
    let out = lbsim(&["url", "--arrivals", "off", "--completions", "manual", "--no-embed"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(String::from_utf8(out).unwrap(), "http://127.0.0.1:8080/?mode=manual\n");
    lbsim(&["url", "--servers", "100"])
        .assert()
        .code(2)
        .stderr("lbsim: --servers \"100\": allowed in the browser: 1 to 64\n");
    lbsim(&["url", "--base", "https://x.org/?a=1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("without a query"));
}
