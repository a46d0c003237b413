//! The whole configuration of a run as one serde type: servers, workload, algorithm and its
//! parameters, cache, health checks, run length and seed.
//!
//! The field names are the same everywhere: JSON keys (`lbsim --scenario FILE`), `lbsim`
//! flags (`--load-factor`) and URL parameters (`load-factor=1.25`). [`Scenario::set`]
//! parses one `key=value` pair, [`Scenario::validate`] returns every problem at once, each
//! naming the field, the bad value and what is allowed, and [`Scenario::from_pairs`] turns a
//! URL query into a scenario, keeping the default for each bad parameter.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::balancer::{Algorithm, Params};

/// How requests arrive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Arrivals {
    /// None of their own: requests arrive only when fired.
    Off,
    /// A Poisson process at `rate`.
    Poisson,
    /// Evenly spaced at `rate`.
    Constant,
    /// On/off: Poisson during `burst-on` seconds, nothing for `burst-off`, averaging `rate`.
    Bursty,
}

/// The distribution of request cost (seconds of work at speed 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CostDist {
    /// Every request costs the mean.
    Const,
    /// Exponential (coefficient of variation 1).
    Exp,
    /// Uniform with the given coefficient of variation (at most 1/sqrt(3)).
    Uniform,
    /// Log-normal with the given coefficient of variation.
    Lognormal,
    /// Pareto (heavy-tailed) with the given coefficient of variation.
    Pareto,
}

/// Where a cache sits, if anywhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CacheMode {
    /// No cache.
    Off,
    /// One cache in front of the balancer (as Redis or Memcached would be).
    Shared,
    /// One cache on each server.
    PerServer,
}

/// Whether servers complete requests on their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Completions {
    /// A request completes when its work is done.
    Auto,
    /// A request stays until someone completes it (the lesson's manual mode).
    Manual,
}

/// The whole configuration of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct Scenario {
    /// The balancing algorithm.
    pub algo: Algorithm,
    /// power-of-two: servers sampled per pick.
    pub choices: u32,
    /// consistent-hash and bounded-load: virtual nodes per server per unit of weight.
    pub vnodes: u32,
    /// peak-ewma: decay time in seconds.
    pub decay: f64,
    /// bounded-load: most load a server may take, as a factor of the average.
    pub load_factor: f64,
    /// maglev: lookup table size, a prime.
    pub table_size: u32,
    /// How many servers.
    pub servers: u32,
    /// Server names; empty means server1, server2, ...
    pub names: Vec<String>,
    /// Server weights in server order; missing ones are 1.
    pub weights: Vec<u32>,
    /// Server speeds in server order (work per second relative to 1); missing ones are 1.
    pub speeds: Vec<f64>,
    /// Workers per server: requests served at once.
    pub workers: u32,
    /// Queue limit per server: requests that may wait behind the workers.
    pub queue: u32,
    /// Arrival process.
    pub arrivals: Arrivals,
    /// Total arrivals per second.
    pub rate: f64,
    /// bursty: seconds of each on period.
    pub burst_on: f64,
    /// bursty: seconds of each off period.
    pub burst_off: f64,
    /// Mean request cost, in seconds of work at speed 1.
    pub cost: f64,
    /// Distribution of request cost.
    pub dist: CostDist,
    /// Coefficient of variation of request cost (uniform, lognormal, pareto).
    pub cv: f64,
    /// Number of distinct request keys.
    pub keys: u64,
    /// Zipf exponent of key popularity; 0 is uniform.
    pub zipf: f64,
    /// Cache placement.
    pub cache: CacheMode,
    /// Entries per cache.
    pub cache_size: u32,
    /// Seconds an entry stays fresh; 0 never expires.
    pub cache_ttl: f64,
    /// Seconds to serve a cache hit.
    pub hit_latency: f64,
    /// Seconds between health checks; 0 notices failures at once.
    pub health_interval: f64,
    /// Retry a failed request once on another server.
    pub retry: bool,
    /// Whether servers complete requests on their own.
    pub completions: Completions,
    /// Stop arrivals after this many requests (then let the servers drain).
    pub requests: Option<u64>,
    /// Stop after this many seconds of simulated time.
    pub duration: Option<f64>,
    /// Seconds at the start left out of the statistics.
    pub warmup: f64,
    /// Seed of every random choice.
    pub seed: u64,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            algo: Algorithm::RoundRobin,
            choices: 2,
            vnodes: 100,
            decay: 10.0,
            load_factor: 1.25,
            table_size: 65_537,
            servers: 3,
            names: Vec::new(),
            weights: Vec::new(),
            speeds: Vec::new(),
            workers: 1,
            queue: 100,
            arrivals: Arrivals::Poisson,
            rate: 20.0,
            burst_on: 1.0,
            burst_off: 2.0,
            cost: 0.1,
            dist: CostDist::Exp,
            cv: 1.0,
            keys: 1_000,
            zipf: 0.0,
            cache: CacheMode::Off,
            cache_size: 100,
            cache_ttl: 0.0,
            hit_latency: 0.001,
            health_interval: 1.0,
            retry: false,
            completions: Completions::Auto,
            requests: None,
            duration: None,
            warmup: 0.0,
            seed: 1,
        }
    }
}

/// One problem with a scenario: the field, the value given and what is allowed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The field (URL parameter, flag without dashes, JSON key).
    pub field: String,
    /// The value as given.
    pub value: String,
    /// What is wrong or what is allowed.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={:?}: {}", self.field, self.value, self.message)
    }
}

impl std::error::Error for Problem {}

/// The problems found in a scenario, at least one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// Most servers a scenario may have.
pub const MAX_SERVERS: u32 = 100_000;
/// Most distinct keys (the Zipf sampler keeps a table of this size).
pub const MAX_KEYS: u64 = 1_000_000;
/// Most points on a hash ring: vnodes x the sum of weights.
pub const MAX_RING_POINTS: u64 = 10_000_000;
/// Longest server name, in characters.
pub const MAX_NAME: usize = 40;

/// Every field name, in the order [`Scenario::to_pairs`] writes them.
pub const FIELDS: &[&str] = &[
    "algo",
    "choices",
    "vnodes",
    "decay",
    "load-factor",
    "table-size",
    "servers",
    "names",
    "weights",
    "speeds",
    "workers",
    "queue",
    "arrivals",
    "rate",
    "burst-on",
    "burst-off",
    "cost",
    "dist",
    "cv",
    "keys",
    "zipf",
    "cache",
    "cache-size",
    "cache-ttl",
    "hit-latency",
    "health-interval",
    "retry",
    "completions",
    "requests",
    "duration",
    "warmup",
    "seed",
];

fn problem(field: &str, value: &str, message: impl Into<String>) -> Problem {
    Problem { field: field.to_string(), value: value.to_string(), message: message.into() }
}

fn parse_num<T: std::str::FromStr>(field: &str, value: &str, what: &str) -> Result<T, Problem> {
    value.trim().parse::<T>().map_err(|_| problem(field, value, format!("not {what}")))
}

fn parse_f64(field: &str, value: &str) -> Result<f64, Problem> {
    let v: f64 = parse_num(field, value, "a number")?;
    if v.is_finite() { Ok(v) } else { Err(problem(field, value, "not a finite number")) }
}

fn parse_list<T>(field: &str, value: &str, item: impl Fn(&str) -> Result<T, Problem>) -> Result<Vec<T>, Problem> {
    if value.trim().is_empty() {
        return Ok(Vec::new());
    }
    value.split(',').map(|v| item(v).map_err(|p| problem(field, value, format!("{:?} is {}", v, p.message)))).collect()
}

fn parse_enum<T: for<'de> Deserialize<'de>>(field: &str, value: &str, allowed: &str) -> Result<T, Problem> {
    serde_json::from_value(serde_json::Value::String(value.trim().to_string()))
        .map_err(|_| problem(field, value, format!("allowed: {allowed}")))
}

fn join<T: ToString>(items: &[T]) -> String {
    items.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
}

fn enum_id<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// Whether `n` is prime (trial division; table sizes are at most a few million).
pub fn is_prime(n: u32) -> bool {
    if n < 2 {
        return false;
    }
    let n = n as u64;
    let mut d = 2u64;
    while d * d <= n {
        if n.is_multiple_of(d) {
            return false;
        }
        d += 1;
    }
    true
}

impl Scenario {
    /// Sets one field from its text form, as in a URL query or on the command line.
    /// Checks the value's form (a number, a known id); ranges are checked by [`validate`].
    ///
    /// [`validate`]: Scenario::validate
    pub fn set(&mut self, field: &str, value: &str) -> Result<(), Problem> {
        let f = field;
        match field {
            "algo" => {
                self.algo = Algorithm::from_id(value.trim()).ok_or_else(|| {
                    problem(f, value, format!("allowed: {}", Algorithm::ALL.map(|a| a.id()).join(", ")))
                })?
            }
            "choices" => self.choices = parse_num(f, value, "a whole number")?,
            "vnodes" => self.vnodes = parse_num(f, value, "a whole number")?,
            "decay" => self.decay = parse_f64(f, value)?,
            "load-factor" => self.load_factor = parse_f64(f, value)?,
            "table-size" => self.table_size = parse_num(f, value, "a whole number")?,
            "servers" => self.servers = parse_num(f, value, "a whole number")?,
            "names" => self.names = parse_list(f, value, |v| Ok(v.trim().to_string()))?,
            "weights" => self.weights = parse_list(f, value, |v| parse_num(f, v, "a whole number"))?,
            "speeds" => self.speeds = parse_list(f, value, |v| parse_f64(f, v))?,
            "workers" => self.workers = parse_num(f, value, "a whole number")?,
            "queue" => self.queue = parse_num(f, value, "a whole number")?,
            "arrivals" => self.arrivals = parse_enum(f, value, "off, poisson, constant, bursty")?,
            "rate" => self.rate = parse_f64(f, value)?,
            "burst-on" => self.burst_on = parse_f64(f, value)?,
            "burst-off" => self.burst_off = parse_f64(f, value)?,
            "cost" => self.cost = parse_f64(f, value)?,
            "dist" => self.dist = parse_enum(f, value, "const, exp, uniform, lognormal, pareto")?,
            "cv" => self.cv = parse_f64(f, value)?,
            "keys" => self.keys = parse_num(f, value, "a whole number")?,
            "zipf" => self.zipf = parse_f64(f, value)?,
            "cache" => self.cache = parse_enum(f, value, "off, shared, per-server")?,
            "cache-size" => self.cache_size = parse_num(f, value, "a whole number")?,
            "cache-ttl" => self.cache_ttl = parse_f64(f, value)?,
            "hit-latency" => self.hit_latency = parse_f64(f, value)?,
            "health-interval" => self.health_interval = parse_f64(f, value)?,
            "retry" => {
                self.retry = match value.trim() {
                    "1" | "true" | "on" | "yes" => true,
                    "0" | "false" | "off" | "no" => false,
                    _ => return Err(problem(f, value, "allowed: true or false (1 or 0, on or off)")),
                }
            }
            "completions" => self.completions = parse_enum(f, value, "auto, manual")?,
            "requests" => self.requests = Some(parse_num(f, value, "a whole number")?),
            "duration" => self.duration = Some(parse_f64(f, value)?),
            "warmup" => self.warmup = parse_f64(f, value)?,
            "seed" => self.seed = parse_num(f, value, "a whole number from 0 to 18446744073709551615")?,
            _ => return Err(problem(f, value, "unknown parameter")),
        }
        Ok(())
    }

    /// The field's value in the text form [`set`](Scenario::set) reads.
    pub fn get(&self, field: &str) -> Option<String> {
        Some(match field {
            "algo" => self.algo.id().to_string(),
            "choices" => self.choices.to_string(),
            "vnodes" => self.vnodes.to_string(),
            "decay" => self.decay.to_string(),
            "load-factor" => self.load_factor.to_string(),
            "table-size" => self.table_size.to_string(),
            "servers" => self.servers.to_string(),
            "names" => self.names.join(","),
            "weights" => join(&self.weights),
            "speeds" => join(&self.speeds),
            "workers" => self.workers.to_string(),
            "queue" => self.queue.to_string(),
            "arrivals" => enum_id(&self.arrivals),
            "rate" => self.rate.to_string(),
            "burst-on" => self.burst_on.to_string(),
            "burst-off" => self.burst_off.to_string(),
            "cost" => self.cost.to_string(),
            "dist" => enum_id(&self.dist),
            "cv" => self.cv.to_string(),
            "keys" => self.keys.to_string(),
            "zipf" => self.zipf.to_string(),
            "cache" => enum_id(&self.cache),
            "cache-size" => self.cache_size.to_string(),
            "cache-ttl" => self.cache_ttl.to_string(),
            "hit-latency" => self.hit_latency.to_string(),
            "health-interval" => self.health_interval.to_string(),
            "retry" => self.retry.to_string(),
            "completions" => enum_id(&self.completions),
            "requests" => self.requests.map(|r| r.to_string()).unwrap_or_default(),
            "duration" => self.duration.map(|d| d.to_string()).unwrap_or_default(),
            "warmup" => self.warmup.to_string(),
            "seed" => self.seed.to_string(),
            _ => return None,
        })
    }

    /// The fields that differ from the defaults, as `(field, value)` pairs in [`FIELDS`]
    /// order: what a URL needs to restore this scenario.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let defaults = Scenario::default();
        FIELDS
            .iter()
            .filter_map(|&f| {
                let v = self.get(f)?;
                (defaults.get(f).as_deref() != Some(v.as_str())).then_some((f, v))
            })
            .collect()
    }

    /// Builds a scenario from `(field, value)` pairs (a URL query): starts from the
    /// defaults, applies each pair, and for each parameter that is malformed, out of range
    /// or unknown keeps the default and reports it. Never fails.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> (Scenario, Vec<Problem>) {
        let mut scenario = Scenario::default();
        let mut problems = Vec::new();
        for (field, value) in pairs {
            let mut next = scenario.clone();
            match next.set(field, value) {
                Ok(()) => scenario = next,
                Err(p) => problems.push(p),
            }
        }
        // Reset each field that fails validation to its default, until none does.
        let defaults = Scenario::default();
        for _ in 0..FIELDS.len() {
            let Err(Problems(found)) = scenario.validate() else { break };
            for p in found {
                if let Some(default) = defaults.get(&p.field) {
                    let _ = scenario.set(&p.field, &default);
                    if p.field == "requests" {
                        scenario.requests = defaults.requests;
                    }
                    if p.field == "duration" {
                        scenario.duration = defaults.duration;
                    }
                }
                problems.push(p);
            }
        }
        if scenario.validate().is_err() {
            // Problems that span fields resetting one at a time cannot fix: start over.
            problems.push(problem("query", "", "these parameters cannot be combined; using the defaults"));
            scenario = defaults;
        }
        (scenario, problems)
    }

    /// Reads a scenario from JSON (the file `lbsim --scenario` takes) and validates it.
    pub fn from_json(text: &str) -> Result<Scenario, Problems> {
        let scenario: Scenario = serde_json::from_str(text)
            .map_err(|e| Problems(vec![problem("scenario", &e.to_string(), "is not a valid scenario JSON")]))?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// Every problem with this scenario at once, each naming the field, the value and what is allowed.
    pub fn validate(&self) -> Result<(), Problems> {
        let mut out = Vec::new();
        let mut check = |ok: bool, field: &str, message: &str| {
            if !ok {
                out.push(problem(field, &self.get(field).unwrap_or_default(), message));
            }
        };
        let n = self.servers as usize;
        check((1..=MAX_SERVERS).contains(&self.servers), "servers", "allowed: 1 to 100000");
        check((1..=100).contains(&self.choices), "choices", "allowed: 1 to 100");
        check((1..=10_000).contains(&self.vnodes), "vnodes", "allowed: 1 to 10000");
        check(self.decay > 0.0 && self.decay <= 3600.0, "decay", "allowed: above 0 up to 3600 seconds");
        check((1.0..=100.0).contains(&self.load_factor), "load-factor", "allowed: 1 to 100");
        check(
            is_prime(self.table_size) && (7..=5_000_011).contains(&self.table_size),
            "table-size",
            "allowed: a prime from 7 to 5000011, such as 251, 4093, 65537 or 655373",
        );
        check(self.names.len() <= n, "names", "more names than servers");
        check(
            self.names
                .iter()
                .all(|s| !s.is_empty() && s.chars().count() <= MAX_NAME && !s.chars().any(char::is_control)),
            "names",
            "each name 1 to 40 characters, no control characters",
        );
        let mut sorted: Vec<&String> = self.names.iter().collect();
        sorted.sort();
        check(sorted.windows(2).all(|w| w[0] != w[1]), "names", "names must differ");
        check(self.weights.len() <= n, "weights", "more weights than servers");
        check(self.weights.iter().all(|&w| w <= 1000), "weights", "each weight 0 to 1000");
        check(self.speeds.len() <= n, "speeds", "more speeds than servers");
        check(self.speeds.iter().all(|&s| s > 0.0 && s <= 1000.0), "speeds", "each speed above 0 up to 1000");
        if matches!(self.algo, Algorithm::ConsistentHash | Algorithm::BoundedLoad) {
            let total_weight: u64 = (0..n.min(MAX_SERVERS as usize)).map(|i| self.weight(i) as u64).sum();
            check(
                self.vnodes as u64 * total_weight <= MAX_RING_POINTS,
                "vnodes",
                "vnodes x total weight must be at most 10000000 ring points",
            );
        }
        check((1..=1000).contains(&self.workers), "workers", "allowed: 1 to 1000");
        check(self.queue <= 1_000_000, "queue", "allowed: 0 to 1000000");
        check((0.0..=1e9).contains(&self.rate), "rate", "allowed: 0 to 1000000000 per second");
        check(self.burst_on > 0.0 && self.burst_on <= 86_400.0, "burst-on", "allowed: above 0 up to 86400 seconds");
        check((0.0..=86_400.0).contains(&self.burst_off), "burst-off", "allowed: 0 to 86400 seconds");
        check(self.cost >= 1e-6 && self.cost <= 3600.0, "cost", "allowed: 0.000001 to 3600 seconds");
        match self.dist {
            CostDist::Uniform => {
                check((0.0..=0.577).contains(&self.cv), "cv", "allowed for uniform: 0 to 0.577 (costs stay positive)")
            }
            CostDist::Lognormal | CostDist::Pareto => {
                check(self.cv > 0.0 && self.cv <= 10.0, "cv", "allowed: above 0 up to 10")
            }
            CostDist::Const | CostDist::Exp => check((0.0..=10.0).contains(&self.cv), "cv", "allowed: 0 to 10"),
        }
        check((1..=MAX_KEYS).contains(&self.keys), "keys", "allowed: 1 to 1000000");
        check((0.0..=5.0).contains(&self.zipf), "zipf", "allowed: 0 (uniform) to 5");
        check((1..=10_000_000).contains(&self.cache_size), "cache-size", "allowed: 1 to 10000000");
        check((0.0..=86_400.0).contains(&self.cache_ttl), "cache-ttl", "allowed: 0 (never expires) to 86400 seconds");
        check((0.0..=60.0).contains(&self.hit_latency), "hit-latency", "allowed: 0 to 60 seconds");
        check(
            (0.0..=3600.0).contains(&self.health_interval),
            "health-interval",
            "allowed: 0 (at once) to 3600 seconds",
        );
        if let Some(r) = self.requests {
            check((1..=1_000_000_000_000).contains(&r), "requests", "allowed: 1 to 1000000000000");
        }
        if let Some(d) = self.duration {
            check(d > 0.0 && d <= 1e9, "duration", "allowed: above 0 up to 1000000000 seconds");
        }
        check((0.0..=1e9).contains(&self.warmup), "warmup", "allowed: 0 to 1000000000 seconds");
        if out.is_empty() { Ok(()) } else { Err(Problems(out)) }
    }

    /// The algorithm parameters as the balancers take them.
    pub fn params(&self) -> Params {
        Params {
            choices: self.choices,
            vnodes: self.vnodes,
            decay_s: self.decay,
            default_rtt_s: self.cost,
            load_factor: self.load_factor,
            table_size: self.table_size,
        }
    }

    /// Server `i`'s name: the given one, or `server{i+1}`.
    pub fn name(&self, i: usize) -> String {
        self.names.get(i).cloned().unwrap_or_else(|| format!("server{}", i + 1))
    }

    /// Server `i`'s weight (1 when not given).
    pub fn weight(&self, i: usize) -> u32 {
        self.weights.get(i).copied().unwrap_or(1)
    }

    /// Server `i`'s speed (1 when not given).
    pub fn speed(&self, i: usize) -> f64 {
        self.speeds.get(i).copied().unwrap_or(1.0)
    }

    /// Requests per second the servers can complete at most: sum of speed x workers / cost.
    pub fn capacity(&self) -> f64 {
        (0..self.servers as usize).map(|i| self.speed(i) * self.workers as f64).sum::<f64>() / self.cost
    }

    /// Offered load: arrival rate over capacity (rho).
    pub fn load(&self) -> f64 {
        self.rate / self.capacity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_round_trip_as_no_pairs() {
        let s = Scenario::default();
        assert_eq!(s.validate(), Ok(()));
        assert!(s.to_pairs().is_empty());
    }

    #[test]
    fn pairs_round_trip() {
        let mut s = Scenario::default();
        for (k, v) in [
            ("algo", "least-connections"),
            ("servers", "4"),
            ("weights", "5,1,1,2"),
            ("speeds", "1,1,0.5"),
            ("rate", "123.5"),
            ("dist", "lognormal"),
            ("cv", "2"),
            ("cache", "per-server"),
            ("retry", "true"),
            ("requests", "1000"),
            ("names", "a,b,c"),
        ] {
            s.set(k, v).unwrap();
        }
        let pairs = s.to_pairs();
        let (back, problems) = Scenario::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(back, s);
    }

    #[test]
    fn every_field_is_settable_and_readable() {
        let s = Scenario::default();
        for f in FIELDS {
            let v = s.get(f).unwrap();
            let mut t = Scenario::default();
            if !v.is_empty() {
                t.set(f, &v).unwrap_or_else(|e| panic!("{f}: {e}"));
            }
            assert_eq!(t, s, "{f}");
        }
    }

    #[test]
    fn bad_pairs_keep_defaults_and_name_the_problem() {
        let (s, problems) = Scenario::from_pairs([
            ("rate", "abc"),
            ("servers", "0"),
            ("algo", "fastest"),
            ("bogus", "1"),
            ("table-size", "65536"),
            ("cost", "NaN"),
            ("workers", "4"),
        ]);
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["rate", "algo", "bogus", "cost", "servers", "table-size"]);
        assert_eq!(s.rate, 20.0);
        assert_eq!(s.servers, 3);
        assert_eq!(s.workers, 4, "good parameters still apply");
        assert_eq!(s.validate(), Ok(()));
        assert!(problems[1].message.contains("least-connections"), "{}", problems[1]);
    }

    #[test]
    fn validate_reports_every_problem_at_once() {
        let s = Scenario {
            servers: 2,
            weights: vec![1, 2, 3],
            rate: -1.0,
            cv: 0.9,
            dist: CostDist::Uniform,
            ..Default::default()
        };
        let Err(Problems(p)) = s.validate() else { panic!("should fail") };
        let fields: Vec<&str> = p.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["weights", "rate", "cv"]);
        assert_eq!(p[1].to_string(), "rate=\"-1\": allowed: 0 to 1000000000 per second");
    }

    #[test]
    fn json_uses_the_same_names_and_rejects_unknown_keys() {
        let s = Scenario::from_json(r#"{"algo":"maglev","table-size":251,"servers":5,"cache":"shared"}"#).unwrap();
        assert_eq!((s.algo, s.table_size, s.servers, s.cache), (Algorithm::Maglev, 251, 5, CacheMode::Shared));
        let err = Scenario::from_json(r#"{"algo":"maglev","tablesize":251}"#).unwrap_err();
        assert!(err.to_string().contains("unknown field `tablesize`"), "{err}");
        let err = Scenario::from_json(r#"{"servers":0}"#).unwrap_err();
        assert_eq!(err.0[0].field, "servers");
    }

    #[test]
    fn ring_size_is_bounded() {
        let weights = vec!["1000"; 20].join(",");
        let (s, problems) = Scenario::from_pairs([
            ("algo", "consistent-hash"),
            ("servers", "20"),
            ("weights", weights.as_str()),
            ("vnodes", "1000"),
        ]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].field, "vnodes");
        assert_eq!((s.vnodes, s.servers, s.weights[0]), (100, 20, 1000));
    }

    #[test]
    fn primes() {
        assert!(is_prime(65_537) && is_prime(251) && is_prime(7));
        assert!(!is_prime(65_536) && !is_prime(1) && !is_prime(9));
    }

    #[test]
    fn capacity_and_load() {
        let s = Scenario {
            servers: 4,
            speeds: vec![1.0, 1.0, 0.5, 0.5],
            workers: 2,
            cost: 0.5,
            rate: 6.0,
            ..Default::default()
        };
        assert_eq!(s.capacity(), 12.0);
        assert_eq!(s.load(), 0.5);
    }
}
