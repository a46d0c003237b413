//! The command line's grammar (clap): the subcommands, their own flags, the help
//! text, and the rule that any error clap finds is one line on stderr and exit status 2.
//!
//! Scenario flags are text here ([`ScenarioArgs`]), each declared from its row of lbcore's
//! settings table, so the help cannot drift from what the engine allows.

use std::ffi::OsString;

use clap::error::ErrorKind;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use lbcore::scenario::SETTINGS;

use crate::error::Failure;
use crate::flags::ScenarioArgs;

const ABOUT: &str = "Load-balancing lab on the command line: routing traces, simulations, comparisons and sweeps";

const LONG_ABOUT: &str = "\
Load-balancing lab on the command line: the lbviz engine without the browser.

A deterministic discrete-event simulation of a load balancer in front of a pool of
servers: requests arrive (Poisson, constant or bursty), each costs some work, the
balancing algorithm picks a server, the server serves it on one of its workers or
queues it. The same scenario and seed give the same numbers here and in the web app.

Every subcommand takes the scenario flags below; each is named as the scenario field it
sets, as in the web app's URL and in a --scenario JSON file. Times are in seconds,
response times in the table output in milliseconds.";

const EXAMPLES: &str = "\
Examples:
  lbsim route --algo round-robin --servers 3 --requests 10
  lbsim route --algo weighted-round-robin --names a,b,c --weights 5,1,1 --requests 7
  lbsim route --algo least-connections --servers 3 --requests 5 --explain
  lbsim run --algo power-of-two --servers 100 --cost 1 --rate 90 --requests 1000000
  lbsim run --scenario lesson.json --seed 7 --format json
  lbsim compare --algos round-robin,least-connections,power-of-two --servers 10 --cost 0.1 --rate 90
  lbsim sweep --algos round-robin,power-of-two --servers 10 --loads 0.1:0.9:0.1 > sweep.csv
  lbsim sweep --shard 2/4 --algos all --loads 0.1:0.9:0.1 > shard-2.csv; lbsim merge shard-*.csv
  lbsim lesson check --builtin course
  lbsim url --scenario lesson.json --base https://example.org/lbviz/";

/// The `lbsim` command line.
#[derive(Debug, Parser)]
#[command(name = "lbsim", version, about = ABOUT, long_about = LONG_ABOUT, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print where each of N requests goes, one server name per line; nothing completes.
    #[command(
        long_about = "\
Print where each of --requests N requests goes, one server name per line (or, with
--explain, the balancer's reason). No request completes and nothing arrives on its own:
the requests pile up on the servers, so load-aware algorithms see the connections grow.
The output streams, so N may be large.

So that the trace shows the algorithm rather than the queue limit, route lets each server
hold up to 1000000 waiting requests unless --queue (or the --scenario file) says otherwise;
a request that finds its server's queue full is rejected, and still printed under the name
of the server the balancer chose. A line is - when no server was eligible. Each request held
takes about 40 bytes of memory.",
        after_help = "Examples:
  lbsim route --algo round-robin --servers 3 --requests 10
  lbsim route --algo weighted-round-robin --names a,b,c --weights 5,1,1 --requests 7
  lbsim route --algo consistent-hash --servers 5 --keys 100 --requests 20 --explain"
    )]
    Route(RouteArgs),
    /// Run one simulation and print its summary (table, JSON or CSV).
    #[command(
        long_about = "\
Run one simulation and print its summary: request counters, response-time percentiles,
throughput, how evenly load was spread, and a line per server.

The run lasts until --requests requests have arrived and the servers have drained, or
--duration seconds of simulated time; with neither, 60 simulated seconds. Statistics leave
out the first --warmup seconds. Progress shows on stderr: a bar when it is a terminal,
otherwise a line every 5 seconds of a longer run.",
        after_help = "Examples:
  lbsim run --algo power-of-two --servers 100 --cost 1 --rate 90 --requests 1000000
  lbsim run --algo least-connections --speeds 1,1,0.25 --rate 20 --format json
  lbsim run --scenario lesson.json --format csv"
    )]
    Run(RunArgs),
    /// Run several algorithms on identical traffic and print one row each.
    #[command(
        long_about = "\
Run one simulation per algorithm on the same scenario and seed, so that every algorithm
sees identical arrivals, costs and keys, and print one row each: counters, response-time
percentiles, throughput and imbalance. Runs use every core, one engine a core at a
time, so memory is the cores' engines whatever the algorithms: at 100,000 servers about
50 MB an engine, 320 MB for consistent-hash and bounded-load (a ring of 10 million points
at the default vnodes). Progress shows on stderr: a bar when it is a terminal, otherwise a
line every 5 seconds.",
        after_help = "Examples:
  lbsim compare --algos round-robin,least-connections,power-of-two --servers 10 --cost 0.1 --rate 90
  lbsim compare --algos all --speeds 1,1,1,0.2 --rate 30 --format csv"
    )]
    Compare(CompareArgs),
    /// Run algorithms over a range of arrival rates or loads; CSV for plotting.
    #[command(
        long_about = "\
Run each algorithm at each arrival rate (--rates) or offered load (--loads; the rate is
the load times the pool's capacity, the sum of speed x workers / cost) and print one row
per (algorithm, rate), by default as CSV with the header

  algo,rate,load,arrived,completed,rejected,failed,timed_out,breaker_refused,retried,
  budget_refused,hedged,cancelled,attempts,amplification,mean_response_s,p50_response_s,
  p95_response_s,p99_response_s,throughput_rps,goodput_rps,wasted_s,max_over_mean,jain

Rows are grouped by algorithm in the order given, rates ascending as listed. With
--over SETTING=SPEC (retries=0,1,2,3, timeout=0.2:2:0.2) any numeric setting is swept too,
a grid when given twice, and the CSV gains a column named by each swept setting after algo.
Points run
in parallel on every core (--jobs K: on K threads), one engine a thread at a time; the
output does not depend on how many. --shard I/N runs one slice of the runs, for lbsim merge. A sweep costs the sum of its runs, each building its engine first: at 100,000
servers a consistent-hash ring of 10 million points takes about 1.3 s to build (and
320 MB), so three ring algorithms over 10,000 rates are about 40,000 core-seconds however
few the requests. Progress shows on stderr: a bar when it is a terminal (runs done, share of the
work, time left), otherwise a line every 5 seconds.",
        after_help = "Examples:
  lbsim sweep --algos round-robin,power-of-two --servers 10 --cost 0.1 --loads 0.1:0.9:0.1 > sweep.csv
  lbsim sweep --algo least-connections --rates 10,20,50,80 --requests 100000
  lbsim sweep --timeout 1 --over retries=0,1,2,3 --over load=0.5:1:0.1 --duration 60 > boundary.csv"
    )]
    Sweep(SweepArgs),
    /// Put the files of a sweep's shards (sweep --shard I/N) back into the sweep's CSV.
    #[command(
        long_about = "\
Put the files of the N shards of one sweep (lbsim sweep --shard I/N, one file each, in any
order) back into the CSV the whole sweep prints, byte for byte. Files of different sweeps
(another scenario, seed, range or lbsim version), a shard missing or given twice, and a
file cut short are refused with a line naming the files and shards. The files together are
at most 64 MiB.",
        after_help = "Examples:
  for i in 1 2 3 4; do lbsim sweep --shard $i/4 --algos all --loads 0.1:0.9:0.1 > shard-$i.csv; done
  lbsim merge shard-*.csv > sweep.csv"
    )]
    Merge(MergeArgs),
    /// Print every scenario setting as a Markdown table: name, group, default, allowed, meaning.
    Settings,
    /// Check a guided lesson (validate it, play each step's try script headless), or list the built-in ones.
    #[command(
        long_about = "\
Guided lessons. `lesson check FILE` reads a lesson's JSON (the format is in docs/lessons.md,
\"The format\"), reports every problem by step and field, then plays each step
headless: it starts the step's scenario (or continues the last step's engine), plays the
step's try actions until its task is done, and answers its question (a prediction fires one
request and the engine's pick is the answer). Each step may take at most 1000000 events.

Exit status: 0 when every task can be done, 1 when one cannot, 2 for a lesson that is not
valid or a file that cannot be read.",
        after_help = "Examples:
  lbsim lesson list
  lbsim lesson check --builtin course
  lbsim lesson check lessons/mine.json"
    )]
    Lesson(LessonArgs),
    /// Print the web app's link for a scenario (a --scenario file, flags on top).
    #[command(
        long_about = "\
Print the web app's link for a scenario: the query the page itself writes for it (the
settings that differ from the defaults; mode=manual for a scenario with no arrivals of its
own and completions by hand) and embed=1, after --base. The scenario must fit the browser's
limits (64 servers, a million requests held).",
        after_help = "Examples:
  lbsim url --scenario lesson.json --base https://example.org/lbviz/
  lbsim url --algo least-connections --speeds 1,1,0.3 --rate 18"
    )]
    Url(UrlArgs),
}

/// `lbsim lesson`.
#[derive(Debug, Args)]
pub struct LessonArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: LessonCommand,
}

/// The `lesson` subcommands.
#[derive(Debug, Subcommand)]
pub enum LessonCommand {
    /// Validate a lesson and play each step's try script headless to prove its task can be done, and only
    /// by the learner (not as the step starts, nor with the step left alone).
    Check {
        /// The lesson's JSON file (at most 1024 KB).
        #[arg(value_name = "FILE", required_unless_present = "builtin", conflicts_with = "builtin")]
        file: Option<std::path::PathBuf>,
        /// Check a built-in lesson instead (lbsim lesson list names them).
        #[arg(long, value_name = "NAME")]
        builtin: Option<String>,
    },
    /// List the built-in lessons: name and title.
    List,
}

/// `lbsim url`.
#[derive(Debug, Args)]
pub struct UrlArgs {
    /// The scenario.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// The address the web app is served at.
    #[arg(long, value_name = "URL", default_value = "http://127.0.0.1:8080/", help_heading = "Output")]
    pub base: String,
    /// Leave out embed=1 (a link to the full page rather than an iframe's).
    #[arg(long, help_heading = "Output")]
    pub no_embed: bool,
}

/// How a result is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns for a person.
    Table,
    /// JSON, pretty-printed.
    Json,
    /// A header line and one line per row.
    Csv,
}

/// `lbsim route`.
#[derive(Debug, Args)]
pub struct RouteArgs {
    /// The scenario.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Print each decision's reason (the candidates and their scores) instead of just the server's name.
    #[arg(long, help_heading = "Output")]
    pub explain: bool,
}

/// `lbsim run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The scenario.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Output format: table (for a person), json (the whole summary) or csv (header and one row).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Table, help_heading = "Output")]
    pub format: Format,
}

/// `lbsim compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The scenario (its --algo is replaced by each of --algos in turn).
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Algorithms to compare, comma separated ids, or all.
    #[arg(long, value_name = "LIST", default_value = "all", help_heading = "Output")]
    pub algos: String,
    /// Output format: table, json (an array of rows) or csv.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Table, help_heading = "Output")]
    pub format: Format,
}

/// `lbsim sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The scenario (its --algo and --rate are replaced point by point).
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Algorithms to sweep, comma separated ids, or all [default: the --algo]
    #[arg(long, value_name = "LIST", help_heading = "Sweep")]
    pub algos: Option<String>,
    /// Arrival rates per second: a list (10,20,50) or an inclusive range FROM:TO:STEP (10:90:10)
    #[arg(long, value_name = "LIST|FROM:TO:STEP", allow_negative_numbers = true, help_heading = "Sweep")]
    pub rates: Option<String>,
    /// Offered loads (rate over capacity, 0.9 is 90% busy) instead of --rates: a list or FROM:TO:STEP
    #[arg(long, value_name = "LIST|FROM:TO:STEP", allow_negative_numbers = true, help_heading = "Sweep")]
    pub loads: Option<String>,
    /// Sweep a numeric setting, or load or rate: retries=0,1,2,3 or timeout=0.2:2:0.2; give it up to three times for a grid
    #[arg(
        long,
        value_name = "SETTING=SPEC",
        action = clap::ArgAction::Append,
        allow_negative_numbers = true,
        help_heading = "Sweep",
        long_help = OVER_HELP
    )]
    pub over: Vec<String>,
    /// Output format: csv (for plotting), table or json (an array of rows).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Csv, help_heading = "Output")]
    pub format: Format,
    /// Run on K threads, 1 to 1024; the output is the same for any K [default: one per core]
    #[arg(long, value_name = "K", help_heading = "Sweep")]
    pub jobs: Option<String>,
    /// Run only the I-th of N slices of the runs (I from 1), as CSV under a line for lbsim merge
    #[arg(long, value_name = "I/N", help_heading = "Sweep", long_help = SHARD_HELP)]
    pub shard: Option<String>,
    /// Check every flag and print how many runs the sweep (or its --shard) would make; run none
    #[arg(long, help_heading = "Sweep")]
    pub dry_run: bool,
}

/// The long help of `--shard`.
const SHARD_HELP: &str = "Run only shard I of N of the sweep: its runs I, I+N, I+2N, ... (counted from 1), so that N \
machines (a Slurm job array, --array=1-N, or GNU parallel) share a sweep. I is from 1 to N, N from 1 to the sweep's \
runs. The output is the CSV of those runs under one more first line, #shard=I/N plan=HEX runs=R rows=FROM:TO:STEP \
lbsim=VERSION, the plan a hash of every run's scenario (seed included) and lbsim's version; lbsim merge puts the N \
files back into the CSV of the whole sweep, byte for byte. CSV only (--format csv, the default).";

/// `lbsim merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The files of every shard of one sweep (lbsim sweep --shard I/N), in any order.
    #[arg(value_name = "FILES", required = true)]
    pub files: Vec<std::path::PathBuf>,
}

/// The long help of `--over`.
const OVER_HELP: &str = "Sweep a setting: SETTING=SPEC, SPEC a list (0,1,2,3) or an inclusive range FROM:TO:STEP \
(0.2:2:0.2). SETTING is load, rate, or any setting that takes a whole number or a number (not table-size, a \
prime; a name that is not allowed is answered with the list), such as retries, timeout, servers, workers, cost or seed; each value is checked as \
the flag would be. Give --over up to three times (--loads or --rates counts as one) for a grid: the runs go \
algorithm by algorithm, then over the first --over outermost, --loads or --rates innermost. At most 10000 runs. \
The CSV has a column named by each swept setting after algo (not for load or rate, which have theirs).";

const SUBCOMMANDS: [&str; 8] = ["route", "run", "compare", "sweep", "merge", "settings", "lesson", "url"];

/// The clap command, with the top-level help listing every scenario flag (from lbcore's
/// settings table, as the flags themselves are).
pub fn command() -> clap::Command {
    let mut flags =
        String::from("Scenario flags, taken by route, run, compare, sweep and url (details: lbsim run --help):\n");
    for row in SETTINGS {
        flags.push_str(&format!("  --{:<26}{}\n", format!("{} {}", row.name, row.value_name), row.help));
    }
    flags
        .push_str(&format!("  --{:<26}{}\n", "scenario FILE", "Read the scenario from a JSON file; flags override it"));
    flags.push_str(
        "\nOutput flags: --format table|json|csv (run, compare, sweep), --explain (route), \
         --algos LIST (compare, sweep), --rates and --loads LIST|FROM:TO:STEP, --over SETTING=SPEC, --jobs K, \
         --shard I/N (sweep).\n\n",
    );
    flags.push_str(EXAMPLES);
    Cli::command().after_long_help(flags).after_help("See lbsim --help for every flag and examples.")
}

/// Parses the command line. Help and version are printed here (exit 0); any other error
/// comes back as one line naming what is wrong.
pub fn parse<I, T>(args: I) -> Result<Cli, Failure>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let matches = command().try_get_matches_from(&args).map_err(|e| one_line(e, &args))?;
    Cli::from_arg_matches(&matches).map_err(|e| one_line(e, &args))
}

/// A clap error as one line (its first, with a pointer to the help), or the help itself.
fn one_line(e: clap::Error, args: &[OsString]) -> Failure {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => e.exit(),
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            return Failure::Usage(format!("a subcommand is needed: {} (see lbsim --help)", SUBCOMMANDS.join(", ")));
        }
        _ => {}
    }
    let rendered = e.render().to_string();
    let mut lines = rendered.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("invalid arguments");
    let mut first = first.strip_prefix("error: ").unwrap_or(first).to_string();
    // "the following required arguments were not provided:" names them on the next line
    if first.ends_with(':')
        && let Some(next) = lines.next()
    {
        first = format!("{first} {next}");
    }
    // clap quotes what it found as given, in single quotes: cut short and escaped, as lbsim
    // quotes a value (a key of escape sequences would clear the screen); clap's own words
    // between the quotes stay whole
    let first: Vec<String> = first
        .split('\'')
        .enumerate()
        .map(|(k, piece)| if k % 2 == 1 { lbcore::scenario::quoted(piece).to_string() } else { piece.to_string() })
        .collect();
    let first = first.join("'");
    let sub = args.iter().skip(1).filter_map(|a| a.to_str()).find(|a| SUBCOMMANDS.contains(a));
    let help = match sub {
        Some(sub) => format!("lbsim {sub} --help"),
        None => "lbsim --help".to_string(),
    };
    Failure::Usage(format!("{first} (see {help})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_is_well_formed() {
        command().debug_assert();
    }

    #[test]
    fn clap_errors_are_one_line() {
        let Err(Failure::Usage(line)) = parse(["lbsim", "run", "--bogus"]) else { panic!("should fail") };
        assert_eq!(line, "unexpected argument '--bogus' found (see lbsim run --help)");
        let Err(Failure::Usage(line)) = parse(["lbsim", "merge"]) else { panic!("should fail") };
        assert_eq!(line, "the following required arguments were not provided: <FILES>... (see lbsim merge --help)");
        let Err(Failure::Usage(line)) = parse(["lbsim"]) else { panic!("should fail") };
        assert!(line.starts_with("a subcommand is needed"), "{line}");
    }

    #[test]
    fn negative_numbers_reach_the_scenario_parser() {
        let cli = parse(["lbsim", "run", "--rate", "-1"]).unwrap();
        let Command::Run(run) = cli.command else { panic!("run") };
        assert_eq!(run.scenario.given(), [("rate", "-1")]);
    }
}
