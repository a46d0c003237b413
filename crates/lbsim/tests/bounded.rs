//! Every input lbsim accepts runs in bounded time and memory, and the rest is refused with a
//! line naming the setting: the cases that once hung or filled memory, each under a timeout.

use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;

/// lbsim with `args`, killed (and the test failed) after 20 seconds; each case takes well
/// under one second when it is bounded.
fn lbsim(args: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin("lbsim").expect("the lbsim binary");
    cmd.args(args).timeout(Duration::from_secs(20));
    cmd
}

#[test]
fn a_bursty_process_that_cannot_fire_is_refused_and_one_that_can_finishes() {
    // 20 arrivals a second squeezed into 1 ns on-periods would be 40 a nanosecond.
    lbsim(&["run", "--arrivals", "bursty", "--burst-on", "1e-9", "--requests", "10"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("lbsim: --burst-on \"1e-9\": at this rate"));
    // At 0.1 a second they fit (0.2 a nanosecond): the run ends.
    lbsim(&["run", "--arrivals", "bursty", "--burst-on", "1e-9", "--rate", "0.1", "--requests", "10"])
        .assert()
        .success();
}

#[test]
fn per_server_caches_of_ten_million_entries_start_small() {
    // Reserving each cache's capacity took 1.66 GB here; now a cache grows with what it holds.
    lbsim(&["run", "--servers", "100", "--cache", "per-server", "--cache-size", "10000000", "--requests", "1"])
        .assert()
        .success();
}

#[test]
fn scenario_files_are_read_up_to_a_mebibyte() {
    lbsim(&["run", "--scenario", "/dev/zero"]).assert().code(2).stderr(predicate::str::contains("larger than 1024 KB"));
}

#[test]
fn bad_values_are_quoted_short() {
    let long = "x".repeat(100_000);
    let out = lbsim(&["run", "--names", &long]).assert().code(2).get_output().stderr.clone();
    assert!(out.len() < 300, "one short line, not the value: {} bytes", out.len());
}

#[test]
fn scenarios_that_would_hold_more_than_memory_or_the_clock_are_refused() {
    // 100,000 servers x 1,000,001 places: about 1e11 requests could be held; it grew until killed.
    lbsim(&["run", "--servers", "100000", "--queue", "1000000", "--rate", "1e9", "--cost", "3600"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--queue \"1000000\": servers x (workers + queue) = 100000100000 requests"));
    // A request of an hour's work at a millionth of the speed needs 114 years: it wrapped the clock.
    lbsim(&["run", "--servers", "1", "--cost", "3600", "--speeds", "0.000001", "--dist", "const", "--requests", "10"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--speeds \"0.000001\": a request of cost 3600 s takes 3600000000 s"));
}
