//! The scenario flags every subcommand takes: one per row of lbcore's settings table, named
//! as the setting (`--load-factor` sets `load-factor`), with its help, placeholder, heading,
//! allowed values and default all read from that row, and how they become a scenario.
//!
//! Every flag is read as text and applied with [`Scenario::set`] on top of the defaults
//! (or of the `--scenario` file), then the whole scenario is checked with
//! [`Scenario::validate`]. So the command line, the web app's URL and a JSON file share one
//! parser and one set of messages; nothing here knows a range or a format.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use clap::{Arg, ArgAction, ArgMatches, Args, Command, FromArgMatches};
use lbcore::scenario::{Kind, MAX_SCENARIO_BYTES, Problem, SETTINGS, Setting, quoted};
use lbcore::{Algorithm, Scenario};

use crate::error::Failure;

/// The scenario flags, as given (text, applied by [`ScenarioArgs::build`]).
#[derive(Clone, Debug, Default)]
pub struct ScenarioArgs {
    /// The flags given on the command line, as `(setting, value)` pairs in table order.
    pub given: Vec<(&'static str, String)>,
    /// A JSON scenario file read before the flags.
    pub scenario: Option<PathBuf>,
}

/// The flag of one setting, all of it from the setting's row.
fn flag(row: &'static Setting) -> Arg {
    let default = row.default_text();
    let suffix = if default.is_empty() { String::new() } else { format!(" [default: {default}]") };
    let choices = (row.choices)();
    let mut long = format!("{}{suffix}", row.long_help());
    if !choices.is_empty() {
        long.push('\n');
        for (id, label) in choices {
            long.push_str(&format!("\n- {id}: {label}"));
        }
    }
    let short = if choices_inline(row) { format!("{}: {}", row.help, row.ids().join(", ")) } else { row.help.into() };
    let arg = Arg::new(row.name)
        .long(row.name)
        .value_name(row.value_name)
        .action(ArgAction::Set)
        .allow_negative_numbers(true)
        .help_heading(row.group.heading())
        .help(format!("{short}{suffix}"))
        .long_help(long);
    if row.kind == Kind::Bool { arg.num_args(0..=1).default_missing_value("true") } else { arg }
}

/// Whether the short help lists a choice setting's ids (all but the algorithms, which are many).
fn choices_inline(row: &Setting) -> bool {
    row.kind == Kind::Choice && row.name != "algo"
}

impl Args for ScenarioArgs {
    fn augment_args(cmd: Command) -> Command {
        // `--retry`, the older name of `--retries 1`, still read from old scripts (hidden)
        let retry = Arg::new("retry")
            .long("retry")
            .value_name("BOOL")
            .action(ArgAction::Set)
            .num_args(0..=1)
            .default_missing_value("true")
            .hide(true);
        SETTINGS.iter().fold(cmd, |cmd, row| cmd.arg(flag(row))).arg(retry).arg(
            Arg::new("scenario")
                .long("scenario")
                .value_name("FILE")
                .value_parser(clap::value_parser!(PathBuf))
                .help_heading("Input")
                .help("Read the scenario from a JSON file; flags override it")
                .long_help(format!(
                    "Read the scenario from a JSON file (at most {} KB) whose keys are these flags' names, such as \
                     {{\"algo\": \"maglev\", \"servers\": 5, \"load-factor\": 1.5}}. Flags given on the command \
                     line override the file.",
                    MAX_SCENARIO_BYTES / 1024
                )),
        )
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

impl FromArgMatches for ScenarioArgs {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        // in table order, `--retry` where `--retries` is, and before it
        let older = |name: &str| (name == "retries").then_some("retry");
        let given = SETTINGS
            .iter()
            .flat_map(|row| older(row.name).into_iter().chain([row.name]))
            .filter_map(|name| matches.get_one::<String>(name).map(|v| (name, v.clone())))
            .collect();
        Ok(ScenarioArgs { given, scenario: matches.get_one::<PathBuf>("scenario").cloned() })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl ScenarioArgs {
    /// The flags given on the command line, as `(field, value)` pairs.
    pub fn given(&self) -> Vec<(&'static str, &str)> {
        self.given.iter().map(|(f, v)| (*f, v.as_str())).collect()
    }
}

impl ScenarioArgs {
    /// The scenario: the defaults or the `--scenario` file, the flags applied on top with
    /// [`Scenario::set`], then `adjust` (told which fields the user set, by flag or in the
    /// file), then [`Scenario::validate`]. Every problem becomes one line naming its flag.
    pub fn build(&self, adjust: impl FnOnce(&mut Scenario, &dyn Fn(&str) -> bool)) -> Result<Scenario, Failure> {
        let (mut scenario, in_file) = match &self.scenario {
            Some(path) => read_file(path)?,
            None => (Scenario::default(), BTreeSet::new()),
        };
        let given = self.given();
        let mut problems = Vec::new();
        for &(field, value) in &given {
            if let Err(p) = scenario.set(field, value) {
                problems.push(flag_problem(&p));
            }
        }
        if !problems.is_empty() {
            return Err(Failure::Usage(problems.join("; ")));
        }
        let set_by_user = |field: &str| given.iter().any(|&(f, _)| f == field) || in_file.contains(field);
        adjust(&mut scenario, &set_by_user);
        self.check(&scenario)?;
        Ok(scenario)
    }

    /// Validates `scenario`, naming each problem by its flag, or by the `--scenario` file when
    /// the field came from there.
    pub fn check(&self, scenario: &Scenario) -> Result<(), Failure> {
        let Err(problems) = scenario.validate() else { return Ok(()) };
        let given = self.given();
        let lines: Vec<String> = problems
            .0
            .iter()
            .map(|p| match &self.scenario {
                Some(path) if !given.iter().any(|&(f, _)| f == p.field) => {
                    let path = path.display().to_string();
                    format!(
                        "--scenario \"{}\": {} \"{}\": {}",
                        quoted(&path),
                        quoted(&p.field),
                        quoted(&p.value),
                        p.message
                    )
                }
                _ => flag_problem(p),
            })
            .collect();
        Err(Failure::Usage(lines.join("; ")))
    }
}

/// A problem with a flag's value, as `--field "value": message`.
pub fn flag_problem(p: &Problem) -> String {
    format!("--{} \"{}\": {}", quoted(&p.field), quoted(&p.value), p.message)
}

/// The algorithms of `--algos`: comma-separated ids (each read by [`Scenario::set`], so the
/// message for a bad one is the same as for `--algo`), or `all`.
pub fn algorithms(text: &str) -> Result<Vec<Algorithm>, Failure> {
    if text.trim() == "all" {
        return Ok(Algorithm::ALL.to_vec());
    }
    let mut out = Vec::new();
    let mut probe = Scenario::default();
    for id in text.split(',') {
        probe.set("algo", id).map_err(|p| {
            Failure::Usage(format!("--algos \"{}\": \"{}\": {}", quoted(text), quoted(id.trim()), p.message))
        })?;
        if !out.contains(&probe.algo) {
            out.push(probe.algo);
        }
    }
    Ok(out)
}

/// Reads and validates a scenario file; also returns the fields it sets.
fn read_file(path: &Path) -> Result<(Scenario, BTreeSet<String>), Failure> {
    let path_text = path.display().to_string();
    let shown = quoted(&path_text);
    let cannot = |e: std::io::Error| Failure::Usage(format!("--scenario \"{shown}\": cannot read it: {e}"));
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_SCENARIO_BYTES as u64 + 1).read_to_string(&mut text))
        .map_err(cannot)?;
    if text.len() > MAX_SCENARIO_BYTES {
        return Err(Failure::Usage(format!(
            "--scenario \"{shown}\": larger than {} KB; a scenario file is at most that",
            MAX_SCENARIO_BYTES / 1024
        )));
    }
    let scenario = Scenario::from_json(&text).map_err(|problems| {
        let lines: Vec<String> = problems
            .0
            .iter()
            .map(|p| match p.field.as_str() {
                "scenario" => format!("not a scenario: {}", p.message),
                field => format!("{} \"{}\": {}", quoted(field), quoted(&p.value), p.message),
            })
            .collect();
        Failure::Usage(format!("--scenario \"{shown}\": {}", lines.join("; ")))
    })?;
    let keys = match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
        _ => BTreeSet::new(),
    };
    Ok((scenario, keys))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> ScenarioArgs {
        let cmd = ScenarioArgs::augment_args(Command::new("t"));
        ScenarioArgs::from_arg_matches(&cmd.try_get_matches_from(args).unwrap()).unwrap()
    }

    #[test]
    fn every_setting_has_a_flag_of_its_name_with_its_rows_help() {
        let cmd = ScenarioArgs::augment_args(Command::new("t"));
        for row in SETTINGS {
            let arg = cmd.get_arguments().find(|a| a.get_long() == Some(row.name)).expect(row.name);
            let long = arg.get_long_help().unwrap().to_string();
            assert!(long.contains(&row.describe_allowed()), "{}: {long}", row.name);
        }
        let keys = cmd.get_arguments().find(|a| a.get_long() == Some("keys")).unwrap();
        let long = keys.get_long_help().unwrap().to_string();
        assert!(
            long.contains("Allowed: 1 to 1000000.") && !long.contains("10000000"),
            "the help says what validation allows: {long}"
        );
    }

    #[test]
    fn flags_are_read_as_given_and_retry_alone_means_true() {
        let args = parse(&["t", "--rate", "-1", "--retry", "--speeds", "1,0.5"]);
        assert_eq!(args.given(), [("speeds", "1,0.5"), ("rate", "-1"), ("retry", "true")]);
    }

    #[test]
    fn flags_apply_through_the_scenario_parser() {
        let args = parse(&["t", "--servers", "4", "--weights", "5,1,1", "--algo", "least-connections"]);
        let s = args.build(|_, _| {}).unwrap();
        assert_eq!((s.servers, s.weights.clone(), s.algo.id()), (4, vec![5, 1, 1], "least-connections"));
    }

    #[test]
    fn algos_are_ids_or_all() {
        assert_eq!(algorithms("all").unwrap().len(), Algorithm::ALL.len());
        assert_eq!(algorithms("maglev, random").unwrap(), [Algorithm::Maglev, Algorithm::Random]);
        let Err(Failure::Usage(msg)) = algorithms("random,nope") else { panic!("should fail") };
        assert!(msg.starts_with("--algos \"random,nope\": \"nope\": allowed: round-robin, "), "{msg}");
    }

    #[test]
    fn problems_name_the_flag() {
        let args = parse(&["t", "--rate", "abc"]);
        let Err(Failure::Usage(msg)) = args.build(|_, _| {}) else { panic!("should fail") };
        assert_eq!(msg, "--rate \"abc\": not a number; allowed: 0 to 1000000000 per second");
        let args = parse(&["t", "--servers", "0"]);
        let Err(Failure::Usage(msg)) = args.build(|_, _| {}) else { panic!("should fail") };
        assert_eq!(msg, "--servers \"0\": allowed: 1 to 100000");
    }
}
