//! The scenario flags every subcommand takes, one per [`Scenario`] field and named as it
//! (`--load-factor` is the field `load-factor`), and how they become a scenario.
//!
//! Every flag is read as text and applied with [`Scenario::set`] on top of the defaults
//! (or of the `--scenario` file), then the whole scenario is checked with
//! [`Scenario::validate`]. So the command line, the web app's URL and a JSON file share one
//! parser and one set of messages; nothing here knows a range or a format.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use clap::Args;
use lbcore::scenario::Problem;
use lbcore::{Algorithm, Scenario};

use crate::error::Failure;

/// Declares [`ScenarioArgs`]: one optional text flag per scenario field, with its help.
macro_rules! scenario_flags {
    ($( $field:ident : $name:literal [$($attr:tt)*] $help:literal $details:literal ; )*) => {
        /// The scenario flags, as given (text, applied by [`ScenarioArgs::build`]).
        #[derive(Args, Clone, Debug, Default)]
        pub struct ScenarioArgs {
            $(
                #[doc = $help]
                #[doc = ""]
                #[doc = $details]
                #[arg(long = $name, allow_negative_numbers = true, $($attr)*)]
                pub $field: Option<String>,
            )*
            /// A JSON scenario file read before the flags.
            #[arg(
                long,
                value_name = "FILE",
                help_heading = "Input",
                help = "Read the scenario from a JSON file; flags override it",
                long_help = "Read the scenario from a JSON file whose keys are these flags' names, such as \
                             {\"algo\": \"maglev\", \"servers\": 5, \"load-factor\": 1.5}. Flags given on \
                             the command line override the file."
            )]
            pub scenario: Option<PathBuf>,
        }

        impl ScenarioArgs {
            /// The scenario field of every flag, in the order the help lists them.
            pub const FIELDS: &'static [&'static str] = &[$($name),*];

            /// The flags given on the command line, as `(field, value)` pairs.
            pub fn given(&self) -> Vec<(&'static str, &str)> {
                let mut out = Vec::new();
                $(
                    if let Some(value) = &self.$field {
                        out.push(($name, value.as_str()));
                    }
                )*
                out
            }
        }
    };
}

scenario_flags! {
    algo: "algo" [value_name = "ALGO", help_heading = "Algorithm"]
        "Balancing algorithm, by id"
        "One of the ids below.";
    choices: "choices" [value_name = "D", help_heading = "Algorithm"]
        "power-of-two: servers sampled per pick"
        "1 to 100; 2 is the classic power of two choices.";
    vnodes: "vnodes" [value_name = "N", help_heading = "Algorithm"]
        "consistent-hash, bounded-load: virtual nodes per server"
        "Per unit of weight, 1 to 10000. More vnodes spread keys more evenly and take more memory.";
    decay: "decay" [value_name = "SECONDS", help_heading = "Algorithm"]
        "peak-ewma: decay time of the response-time average"
        "Seconds, above 0 up to 3600.";
    load_factor: "load-factor" [value_name = "FACTOR", help_heading = "Algorithm"]
        "bounded-load: most load a server may take, x the average"
        "A factor of the average connections, 1 to 100.";
    table_size: "table-size" [value_name = "PRIME", help_heading = "Algorithm"]
        "maglev: lookup table size"
        "A prime from 7 to 5000011, such as 251, 4093, 65537 or 655373.";
    servers: "servers" [value_name = "N", help_heading = "Servers"]
        "Number of servers"
        "1 to 100000.";
    names: "names" [value_name = "LIST", help_heading = "Servers"]
        "Server names in server order, comma separated"
        "Each 1 to 40 characters, all different, such as a,b,c. Servers without one are named \
         server1, server2, ... by position. [default: none]";
    weights: "weights" [value_name = "LIST", help_heading = "Servers"]
        "Server weights in server order, comma separated"
        "Whole numbers 0 to 1000, such as 5,1,1. Missing ones are 1; weight 0 takes a server out of \
         rotation. [default: all 1]";
    speeds: "speeds" [value_name = "LIST", help_heading = "Servers"]
        "Server speeds in server order, comma separated"
        "Work per second relative to 1, each above 0 up to 1000, such as 1,1,0.5: a request of cost c \
         takes c / speed seconds. Missing ones are 1. [default: all 1]";
    workers: "workers" [value_name = "N", help_heading = "Servers"]
        "Requests each server serves at once"
        "1 to 1000.";
    queue: "queue" [value_name = "N", help_heading = "Servers"]
        "Requests that may wait behind a server's busy workers"
        "0 to 1000000. An arrival that finds the queue full is rejected.";
    arrivals: "arrivals" [value_name = "KIND", help_heading = "Workload"]
        "How requests arrive: off, poisson, constant or bursty"
        "off: none of their own; poisson: random and memoryless; constant: evenly spaced; bursty: \
         Poisson during --burst-on seconds, then nothing for --burst-off seconds.";
    rate: "rate" [value_name = "PER_SECOND", help_heading = "Workload"]
        "Total arrivals per second, over all servers"
        "0 to 1000000000. For bursty arrivals, the average over on and off periods.";
    burst_on: "burst-on" [value_name = "SECONDS", help_heading = "Workload"]
        "bursty: length of each on period"
        "Seconds, above 0 up to 86400.";
    burst_off: "burst-off" [value_name = "SECONDS", help_heading = "Workload"]
        "bursty: length of each off period"
        "Seconds, 0 to 86400.";
    cost: "cost" [value_name = "SECONDS", help_heading = "Workload"]
        "Mean work of a request, in seconds at speed 1"
        "0.000001 to 3600. With --workers W, a server completes up to W x speed / cost requests per second.";
    dist: "dist" [value_name = "KIND", help_heading = "Workload"]
        "Distribution of request cost: const, exp, uniform, lognormal, pareto"
        "const: every request costs --cost; exp: exponential; uniform, lognormal and pareto \
         (heavy-tailed) take their spread from --cv.";
    cv: "cv" [value_name = "X", help_heading = "Workload"]
        "Coefficient of variation of the cost (std dev / mean)"
        "uniform: 0 to 0.577; lognormal and pareto: above 0 up to 10; const and exp ignore it.";
    keys: "keys" [value_name = "K", help_heading = "Workload"]
        "Distinct request keys"
        "1 to 10000000. What caches store and the hashing algorithms route by.";
    zipf: "zipf" [value_name = "S", help_heading = "Workload"]
        "Zipf exponent of key popularity"
        "0 (every key equally likely) to 5; around 1 is typical of web traffic.";
    cache: "cache" [value_name = "MODE", help_heading = "Cache"]
        "Where a cache sits: off, shared or per-server"
        "shared: one in front of the balancer, as Redis or Memcached would be; per-server: one on each \
         server. A hit is served without a server.";
    cache_size: "cache-size" [value_name = "N", help_heading = "Cache"]
        "Entries per cache"
        "1 to 10000000; the least recently used entry goes first.";
    cache_ttl: "cache-ttl" [value_name = "SECONDS", help_heading = "Cache"]
        "Seconds an entry stays fresh"
        "0 (never expires) to 86400.";
    hit_latency: "hit-latency" [value_name = "SECONDS", help_heading = "Cache"]
        "Seconds to serve a cache hit"
        "0 to 60.";
    health_interval: "health-interval" [value_name = "SECONDS", help_heading = "Health"]
        "Seconds between health checks"
        "0 (failures noticed at once) to 3600. Until a check notices, requests sent to a failed server fail.";
    retry: "retry" [value_name = "BOOL", help_heading = "Health", num_args = 0..=1, default_missing_value = "true"]
        "Retry a failed request once on another server"
        "true or false (also 1 or 0, on or off, yes or no); --retry alone means true.";
    completions: "completions" [value_name = "MODE", help_heading = "Health"]
        "Whether requests complete: auto or manual"
        "auto: a request completes when its work is done; manual: requests stay until completed by hand \
         (route always uses manual).";
    requests: "requests" [value_name = "N", help_heading = "Run length"]
        "Stop arrivals after N requests (route: requests to route)"
        "1 to 1000000000000. A run then lets the servers drain before it ends. [default: no limit]";
    duration: "duration" [value_name = "SECONDS", help_heading = "Run length"]
        "Stop after this many seconds of simulated time"
        "Above 0 up to 1000000000. With neither --requests nor --duration, a run lasts 60 simulated \
         seconds. [default: no limit]";
    warmup: "warmup" [value_name = "SECONDS", help_heading = "Run length"]
        "Simulated seconds at the start left out of the statistics"
        "0 to 1000000000.";
    seed: "seed" [value_name = "N", help_heading = "Run length"]
        "Seed of every random choice"
        "0 to 18446744073709551615. The same scenario and seed give the same run, here and in the browser.";
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
                    format!("--scenario {:?}: {} {:?}: {}", path.display().to_string(), p.field, p.value, p.message)
                }
                _ => flag_problem(p),
            })
            .collect();
        Err(Failure::Usage(lines.join("; ")))
    }
}

/// A problem with a flag's value, as `--field "value": message`.
pub fn flag_problem(p: &Problem) -> String {
    format!("--{} {:?}: {}", p.field, p.value, p.message)
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
        probe
            .set("algo", id)
            .map_err(|p| Failure::Usage(format!("--algos {text:?}: {:?}: {}", id.trim(), p.message)))?;
        if !out.contains(&probe.algo) {
            out.push(probe.algo);
        }
    }
    Ok(out)
}

/// Reads and validates a scenario file; also returns the fields it sets.
fn read_file(path: &Path) -> Result<(Scenario, BTreeSet<String>), Failure> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::Usage(format!("--scenario {shown:?}: cannot read it: {e}")))?;
    let scenario = Scenario::from_json(&text).map_err(|problems| {
        let lines: Vec<String> = problems
            .0
            .iter()
            .map(|p| match p.field.as_str() {
                "scenario" => format!("not a scenario: {}", p.value),
                field => format!("{field} {:?}: {}", p.value, p.message),
            })
            .collect();
        Failure::Usage(format!("--scenario {shown:?}: {}", lines.join("; ")))
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

    #[test]
    fn every_scenario_field_has_a_flag_of_its_name() {
        assert_eq!(ScenarioArgs::FIELDS, lbcore::scenario::FIELDS);
    }

    #[test]
    fn flags_apply_through_the_scenario_parser() {
        let args = ScenarioArgs {
            servers: Some("4".into()),
            weights: Some("5,1,1".into()),
            algo: Some("least-connections".into()),
            ..Default::default()
        };
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
        let args = ScenarioArgs { rate: Some("abc".into()), ..Default::default() };
        let Err(Failure::Usage(msg)) = args.build(|_, _| {}) else { panic!("should fail") };
        assert_eq!(msg, "--rate \"abc\": not a number");
        let args = ScenarioArgs { servers: Some("0".into()), ..Default::default() };
        let Err(Failure::Usage(msg)) = args.build(|_, _| {}) else { panic!("should fail") };
        assert_eq!(msg, "--servers \"0\": allowed: 1 to 100000");
    }
}
