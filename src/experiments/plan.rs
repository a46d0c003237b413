//! From the page's scenario to a sweep: loads 0.1 to 0.95, the chosen algorithms, a fixed
//! number of requests per run, and a second setting swept if the reader picks one; and the
//! `lbsim sweep` command line that gives the same file.

use lbcore::Algorithm;
use lbcore::Scenario;
use lbcore::scenario::{Arrivals, Completions};
use lbcore::sweep::over::{self, Dim};
use lbcore::sweep::{Sweep, range};

/// The loads the view sweeps, as `lbsim sweep --loads` writes them.
pub const LOADS: &str = "0.1:0.95:0.05";

/// Requests per run the view offers, the first the default.
pub const REQUESTS: [u64; 4] = [100_000, 20_000, 500_000, 2_000_000];

/// The settings the view offers to sweep beside the load: every one `lbsim sweep --over`
/// takes but the load and the rate (the first dimension is the load).
pub fn second_settings() -> Vec<&'static str> {
    over::names().into_iter().filter(|n| !matches!(*n, "load" | "rate")).collect()
}

/// A second setting to sweep, as the reader gave it: its name and its values in `--over`'s
/// SPEC syntax (`0,1,2,3`, `0.2:2:0.2`).
pub type Second = Option<(String, String)>;

/// The sweep of `scenario` for `algorithms`, `requests` requests per run, over the setting
/// `second` (outer) and the loads (inner). A page in manual mode has no arrivals of its own:
/// the sweep gives it Poisson arrivals and automatic completions, as the command line shows.
pub fn sweep(scenario: &Scenario, algorithms: &[Algorithm], requests: u64, second: &Second) -> Result<Sweep, String> {
    let mut base = scenario.clone();
    if base.arrivals == Arrivals::Off {
        base.arrivals = Arrivals::Poisson;
    }
    base.completions = Completions::Auto;
    base.requests = Some(requests);
    base.duration = None;
    let mut dims = Vec::new();
    if let Some((name, spec)) = second {
        if !second_settings().contains(&name.as_str()) {
            return Err(format!("{name} cannot be swept here"));
        }
        dims.push(Dim::parse(&format!("{name}={spec}"))?);
    }
    dims.push(Dim { name: "load", values: range::parse(LOADS)? });
    Sweep::grid(&base, algorithms, &dims)
}

/// The `lbsim sweep` command that runs `sweep` and prints the same CSV.
pub fn command(sweep: &Sweep) -> String {
    let algos: Vec<&str> = sweep.algorithms.iter().map(|a| a.id()).collect();
    let mut out = format!("lbsim sweep --algos {}", algos.join(","));
    for d in &sweep.over {
        let values: Vec<String> = d.values.iter().map(|&v| lbcore::decimal::shortest(v)).collect();
        out.push_str(&format!(" --over {}={}", d.name, values.join(",")));
    }
    if sweep.over.is_empty() {
        out.push_str(&format!(" --loads {LOADS}"));
    } else {
        out.push_str(&format!(" --over load={LOADS}"));
    }
    for (field, value) in sweep.base.to_pairs() {
        if matches!(field, "algo" | "rate") || sweep.over.iter().any(|d| d.name == field) {
            continue;
        }
        out.push_str(&format!(" {}", flag(field, &value)));
    }
    out
}

/// `--field value`, or `--field=value` when the value starts with a dash: lbsim would read
/// `--names -x,--help` as a flag where a value should be, and `--names=-x,--help` as the value.
fn flag(field: &str, value: &str) -> String {
    if value.starts_with('-') { format!("--{field}={}", quote(value)) } else { format!("--{field} {}", quote(value)) }
}

/// A value as a POSIX shell reads it back unchanged.
fn quote(value: &str) -> String {
    let plain = !value.is_empty()
        && value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ',' | '-' | '_' | ':' | '+'));
    if plain { value.to_string() } else { format!("'{}'", value.replace('\'', r"'\''")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sweep_runs_loads_from_a_tenth_to_095() {
        let s =
            sweep(&Scenario::default(), &[Algorithm::RoundRobin, Algorithm::LeastConnections], 1_000, &None).unwrap();
        assert_eq!(s.points.len(), 18);
        assert_eq!(s.points[0].load, 0.1);
        assert_eq!(s.points[17].load, 0.95);
        assert_eq!(s.len(), 36);
        assert_eq!(s.base.requests, Some(1_000));
    }

    #[test]
    fn a_manual_page_is_swept_with_arrivals_of_its_own() {
        let manual = Scenario { arrivals: Arrivals::Off, completions: Completions::Manual, ..Scenario::default() };
        let s = sweep(&manual, &[Algorithm::Random], 1_000, &None).unwrap();
        assert_eq!((s.base.arrivals, s.base.completions), (Arrivals::Poisson, Completions::Auto));
    }

    #[test]
    fn the_command_names_everything_that_differs_from_the_defaults() {
        let scenario =
            Scenario { servers: 5, names: vec!["a b".into(), "c".into()], seed: 7, rate: 99.0, ..Scenario::default() };
        let s = sweep(&scenario, &[Algorithm::RoundRobin, Algorithm::PowerOfTwo], 20_000, &None).unwrap();
        let c = command(&s);
        assert!(c.starts_with("lbsim sweep --algos round-robin,power-of-two --loads 0.1:0.95:0.05 "), "{c}");
        assert!(c.contains(" --servers 5") && c.contains(" --seed 7") && c.contains(" --requests 20000"), "{c}");
        assert!(c.contains(" --names 'a b,c'"), "{c}");
        assert!(!c.contains("--rate "), "the sweep sets the rate: {c}");
    }

    #[test]
    fn a_second_setting_is_swept_outside_the_loads_and_named_in_the_command() {
        let scenario = Scenario { servers: 4, retries: 1, ..Scenario::default() };
        let second = Some(("retries".to_string(), "0:3:1".to_string()));
        let s = sweep(&scenario, &[Algorithm::RoundRobin], 1_000, &second).unwrap();
        assert_eq!((s.len(), s.swept()), (4 * 18, vec!["retries"]));
        assert_eq!(s.run(18).unwrap().0.retries, 1, "retries 1 after the 18 loads of retries 0");
        let c = command(&s);
        assert!(
            c.starts_with("lbsim sweep --algos round-robin --over retries=0,1,2,3 --over load=0.1:0.95:0.05 "),
            "{c}"
        );
        assert!(!c.contains("--retries"), "the page's own retries are swept over: {c}");
        let bad = |name: &str, spec: &str| {
            sweep(&scenario, &[Algorithm::RoundRobin], 1_000, &Some((name.into(), spec.into())))
        };
        assert_eq!(bad("load", "1").unwrap_err(), "load cannot be swept here");
        assert_eq!(bad("retries", "0,500").unwrap_err(), "retries \"500\": allowed: 0 to 100");
        assert!(second_settings().contains(&"timeout") && !second_settings().contains(&"rate"));
    }

    #[test]
    fn a_value_starting_with_a_dash_is_given_after_an_equals_sign() {
        // lbsim refused `--names -x,--help` (crates/lbsim/tests/cli.rs reads the `=` form).
        let scenario = Scenario { servers: 2, names: vec!["-x".into(), "--help".into()], ..Scenario::default() };
        let c = command(&sweep(&scenario, &[Algorithm::RoundRobin], 1_000, &None).unwrap());
        assert!(c.ends_with(" --servers 2 --names=-x,--help --requests 1000"), "{c}");
        let scenario = Scenario { names: vec!["- a".into()], ..Scenario::default() };
        let c = command(&sweep(&scenario, &[Algorithm::RoundRobin], 1_000, &None).unwrap());
        assert!(c.contains(" --names='- a' "), "quoted after the sign: {c}");
        assert_eq!(flag("seed", "7"), "--seed 7");
    }

    #[test]
    fn quoting_survives_the_shell() {
        assert_eq!(quote("0.5"), "0.5");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote(""), "''");
    }
}
