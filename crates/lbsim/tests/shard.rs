//! `lbsim sweep --jobs K` and `--shard I/N`, and `lbsim merge`: however a sweep is split,
//! across threads or across machines, the CSV that comes out is the whole sweep's, byte for
//! byte; shards that do not make one sweep are refused with a line naming them.

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;

/// A sweep of 2 algorithms x 5 loads x 2 retry counts = 20 runs, each short (2,000 requests).
const SWEEP: &[&str] = &[
    "sweep",
    "--algos",
    "round-robin,power-of-two",
    "--servers",
    "5",
    "--loads",
    "0.1:0.9:0.2",
    "--over",
    "retries=0,1",
    "--timeout",
    "1",
    "--requests",
    "2000",
];
const RUNS: usize = 20;

/// lbsim with `args`, killed (and the test failed) after 60 seconds.
fn lbsim(args: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin("lbsim").expect("the lbsim binary");
    cmd.args(args).timeout(Duration::from_secs(60));
    cmd
}

/// What `lbsim sweep` prints with `SWEEP` and `more`.
fn sweep(more: &[&str]) -> Vec<u8> {
    let args: Vec<&str> = SWEEP.iter().chain(more).copied().collect();
    lbsim(&args).assert().success().get_output().stdout.clone()
}

/// A fresh directory for a test's files, under the target directory.
fn dir(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("a directory");
    d
}

/// Writes shard `i` of `n` into `dir` and returns its path.
fn shard(dir: &Path, i: usize, n: usize, more: &[&str]) -> String {
    let path = dir.join(format!("shard-{i}-of-{n}.csv"));
    let shard = format!("{i}/{n}");
    let args: Vec<&str> = ["--shard", shard.as_str()].iter().chain(more).copied().collect();
    std::fs::write(&path, sweep(&args)).expect("write the shard");
    path.display().to_string()
}

fn merge(files: &[String]) -> Command {
    let mut args = vec!["merge"];
    args.extend(files.iter().map(String::as_str));
    lbsim(&args)
}

#[test]
fn threads_do_not_change_a_byte() {
    let one = sweep(&["--jobs", "1"]);
    // a header and one line per run
    assert_eq!(String::from_utf8_lossy(&one).lines().count(), RUNS + 1);
    assert_eq!(sweep(&["--jobs", "2"]), one);
    assert_eq!(sweep(&["--jobs", "7"]), one);
    assert_eq!(sweep(&[]), one);
}

#[test]
fn merged_shards_are_the_whole_sweep_byte_for_byte() {
    let whole = sweep(&[]);
    let d = dir("merged_shards");
    // one shard, a few, a number that does not divide the runs, and one run per shard
    for n in [1, 2, 3, 7, RUNS] {
        let mut files: Vec<String> = (1..=n).map(|i| shard(&d, i, n, &[])).collect();
        // in any order
        files.reverse();
        let merged = merge(&files).assert().success().get_output().stdout.clone();
        assert_eq!(String::from_utf8_lossy(&merged), String::from_utf8_lossy(&whole), "{n} shards");
    }
}

#[test]
fn a_shard_is_its_slice_of_the_csv_under_its_header() {
    let whole = String::from_utf8(sweep(&[])).unwrap();
    let text = String::from_utf8(sweep(&["--shard", "2/7"])).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    // runs 2, 9 and 16 of 20, counted from 1
    assert!(header.starts_with("#shard=2/7 plan=") && header.contains(" runs=20 rows=2:16:7 lbsim="), "{header}");
    let rows: Vec<&str> = lines.collect();
    let all: Vec<&str> = whole.lines().collect();
    assert_eq!(rows, [all[0], all[2], all[9], all[16]]);
}

#[test]
fn shards_that_do_not_make_one_sweep_are_refused_by_name() {
    let d = dir("refused_shards");
    let s: Vec<String> = (1..=3).map(|i| shard(&d, i, 3, &[])).collect();
    merge(&[s[0].clone(), s[2].clone()])
        .assert()
        .code(2)
        .stderr(predicate::str::is_match("^lbsim: shard 2/3 of plan [0-9a-f]{16} missing: 2 of 3 given\n$").unwrap());
    merge(&[s[0].clone(), s[1].clone(), s[1].clone(), s[2].clone()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("shard 2/3 given twice: ").and(predicate::str::contains("shard-2-of-3.csv")));
    // another seed is another sweep, whatever its shape
    let other = shard(&dir("refused_shards_seed"), 2, 3, &["--seed", "2"]);
    merge(&[s[0].clone(), other, s[2].clone()]).assert().code(2).stderr(
        predicate::str::contains("shards of different sweeps: ").and(predicate::str::contains("(2/3) of plan")),
    );
    // one sweep split two ways
    let half = shard(&d, 1, 2, &[]);
    merge(&[s[0].clone(), half])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("shards of different splits of one sweep"));
    // a file cut short, and a file that is not a shard
    let text = std::fs::read_to_string(&s[1]).unwrap();
    let cut = d.join("cut.csv");
    std::fs::write(&cut, &text[..text.len() - 10]).unwrap();
    merge(&[s[0].clone(), cut.display().to_string(), s[2].clone()]).assert().code(2).stderr(predicate::str::contains(
        "cut.csv\": shard 2/3 should hold 7 whole rows, holds 6 and a part of a line",
    ));
    let whole = d.join("whole.csv");
    std::fs::write(&whole, sweep(&[])).unwrap();
    merge(&[whole.display().to_string()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("whole.csv\": its first line is not a shard's header"));
    // at most 64 MiB read in all, a bound far past a sweep's 10,000 rows
    merge(&[s[0].clone(), "/dev/zero".to_string()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("\"/dev/zero\": the files reach past 64 MiB here"));
}

#[test]
fn shard_and_jobs_values_outside_their_ranges_are_refused() {
    for (flag, value, says) in [
        ("--shard", "0/4", "--shard \"0/4\": shard 0 of 4: allowed: I/N"),
        ("--shard", "21/20", "--shard \"21/20\": shard 21 of 20"),
        ("--shard", "1/21", "--shard \"1/21\": 21 shards of a sweep of 20 runs"),
        ("--shard", "1:4", "--shard \"1:4\": allowed: I/N"),
        ("--jobs", "0", "--jobs \"0\": allowed: a whole number of threads from 1 to 1024"),
        ("--jobs", "1025", "--jobs \"1025\": allowed"),
    ] {
        let args: Vec<&str> = SWEEP.iter().copied().chain([flag, value]).collect();
        lbsim(&args).assert().code(2).stderr(predicate::str::starts_with(format!("lbsim: {says}")));
    }
    // a dry run checks the same and says how many runs it would make: 20, and 3 of them for
    // shard 2 of 7 (runs 2, 9, 16)
    assert_eq!(sweep(&["--dry-run"]), b"20 runs\n");
    assert_eq!(sweep(&["--dry-run", "--shard", "2/7"]), b"3 runs\n");
    let args: Vec<&str> = SWEEP.iter().copied().chain(["--dry-run", "--shard", "1/21"]).collect();
    lbsim(&args).assert().code(2).stderr(predicate::str::contains("21 shards of a sweep of 20 runs"));
    let args: Vec<&str> = SWEEP.iter().copied().chain(["--shard", "1/2", "--format", "json"]).collect();
    lbsim(&args).assert().code(2).stderr(predicate::str::contains("--shard: only with --format csv"));
}
