//! The whole configuration of a run: servers, workload, algorithm and its parameters, cache,
//! health checks, run length and seed, as one [`Scenario`] whose fields are the rows of one
//! settings table ([`SETTINGS`], written in `table.rs`).
//!
//! The names are the same everywhere: JSON keys (`lbsim --scenario FILE`), `lbsim` flags
//! (`--load-factor`) and URL parameters (`load-factor=1.25`). [`Scenario::set`] parses one
//! `key=value` pair, [`Scenario::validate`] returns every problem at once, each naming the
//! setting, the bad value (quoted short) and what is allowed, and [`Scenario::from_pairs`]
//! turns a URL query into a scenario, keeping the default for each bad parameter.
//!
//! - `setting.rs`: what a row says ([`Setting`], [`Group`], [`Allowed`], [`Ui`]) and the macros.
//! - `codec.rs`: the text form of each value type.
//! - `limits.rs`: what a scenario may ask of the machine, in the browser and in `lbsim`.
//! - `query.rs`: the URL query's text form, shared by the web app, `lbsim url` and lessons.
//! - `table.rs`: the table itself, and the choice types ([`Arrivals`], [`CostDist`], ...).

#[macro_use]
pub mod setting;
pub mod codec;
pub mod faults;
pub mod hedge_after;
pub(crate) mod json_error;
pub mod limits;
pub mod query;
mod table;

use std::fmt;

pub use faults::{Fault, FaultKind, FaultSchedule};
pub use hedge_after::HedgeAfter;
pub use limits::{Limits, MAX_SERVICE_SECONDS, MAX_SIM_SECONDS};
pub use setting::{
    Allowed, Choice, Group, HIDDEN_CHARACTERS, Kind, Part, Setting, Ui, Unit, is_hidden, is_prime, markdown_table,
    setting,
};
pub use table::*;

use crate::balancer::{Algorithm, Params};
use codec::ParseError;

/// Longest part of a bad value a message quotes; the rest is cut and marked with `…`.
pub const QUOTE_CHARS: usize = 40;

/// Most problems a list of them names, for a query or a lesson: past it, the first ones and
/// one more line saying how many more ([`more_problems`]). A megabyte of unknown keys is
/// 95,000 problems; nobody reads past the first few, and the list stays small in memory.
pub const MAX_PROBLEMS: usize = 20;

/// The line that stands for the `n` problems past [`MAX_PROBLEMS`]: "and 94990 more problems".
pub fn more_problems(n: usize) -> String {
    format!("and {n} more problem{}", if n == 1 { "" } else { "s" })
}

/// One problem with a scenario: the setting, the value given (at most [`QUOTE_CHARS`]
/// characters of it) and what is allowed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// The setting (URL parameter, flag without dashes, JSON key).
    pub field: String,
    /// The value as given, cut to [`QUOTE_CHARS`] characters.
    pub value: String,
    /// What is wrong or what is allowed.
    pub message: String,
}

impl Problem {
    /// A problem with `field`'s `value`, quoting at most [`QUOTE_CHARS`] characters of each.
    pub fn new(field: &str, value: &str, message: impl Into<String>) -> Problem {
        Problem { field: quote_short(field), value: quote_short(value), message: message.into() }
    }
}

/// `text` cut to [`QUOTE_CHARS`] characters, with `…` when it was longer: what a problem
/// keeps of a value (a message shows it through [`quoted`]).
pub fn quote_short(text: &str) -> String {
    match text.char_indices().nth(QUOTE_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// A string the user gave, as every message shows it (a value between double quotes, a key in
/// a place such as `step 2, task.KEY`): cut to [`QUOTE_CHARS`] characters, `…` marking the
/// cut, and escaped, `"` and `\` behind a backslash, control, invisible and text-direction
/// characters as `\u{..}`. So no key or value reaches a terminal or a page whole or raw: a
/// 900 KB key shows 40 characters, an escape sequence shows as text and does nothing.
pub fn quoted(text: &str) -> Quoted<'_> {
    Quoted(text)
}

/// A string as a message shows it: see [`quoted`].
#[derive(Clone, Copy, Debug)]
pub struct Quoted<'a>(&'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.char_indices().nth(QUOTE_CHARS) {
            Some((cut, _)) => {
                write_escaped(f, &self.0[..cut])?;
                f.write_str("…")
            }
            None => write_escaped(f, self.0),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}=\"{}\": {}", quoted(&self.field), quoted(&self.value), self.message)
    }
}

/// Writes `text` escaped as [`quoted`] shows it: `"` and `\` behind a backslash, and every
/// control character and every invisible or text-direction character (which could hide or
/// reverse the words around it) as `\u{..}`. The same escapes as `{:?}` for these, without
/// the Unicode tables `{:?}` carries into the web app.
fn write_escaped(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    for c in text.chars() {
        match c {
            '"' | '\\' => write!(f, "\\{c}")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c if is_hidden(c) => write!(f, "\\u{{{:x}}}", u32::from(c))?,
            c => write!(f, "{c}")?,
        }
    }
    Ok(())
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

/// The older names of settings that links, files and lessons may still use: `retry` (now
/// `retries`; see [`renamed`]).
pub const OLDER_NAMES: &[&str] = &["retry"];

/// What `retry`, the older name of `retries`, allows.
const RETRY_MESSAGE: &str = "allowed: true or false (1 or 0, on or off); retry is now retries=N";

/// A setting under an older name, as the setting it became and its value there: `retry=true`
/// is `retries=1` and `retry=false` `retries=0` (a value `retry` did not take is kept, for
/// the message). What old links, files and lessons still say.
pub fn renamed(field: &str, value: &str) -> Option<(&'static str, String)> {
    (field == "retry").then(|| {
        let value = match <bool as codec::Value>::parse(value) {
            Ok(on) => u32::from(on).to_string(),
            Err(_) => format!("{value}?"),
        };
        ("retries", value)
    })
}

/// For each setting with a rule across settings, the other settings the rule reads.
const RELATED: &[(&str, &str)] = &[
    ("names", "servers"),
    ("weights", "servers"),
    ("speeds", "servers"),
    ("speeds", "cost"),
    ("vnodes", "servers"),
    ("vnodes", "weights"),
    ("table-size", "servers"),
    ("burst-on", "rate"),
    ("burst-on", "burst-off"),
    ("cv", "dist"),
    ("requests", "rate"),
    ("faults", "servers"),
    ("faults", "names"),
];

impl Scenario {
    /// Sets one setting from its text form, as in a URL query or on the command line.
    /// Checks the value's form (a number, a known id); ranges are checked by [`validate`].
    ///
    /// [`validate`]: Scenario::validate
    pub fn set(&mut self, field: &str, value: &str) -> Result<(), Problem> {
        if let Some((name, text)) = renamed(field, value) {
            return self.set(name, &text).map_err(|_| Problem::new(field, value, RETRY_MESSAGE));
        }
        let Some(parsed) = self.set_field(field, value) else {
            return Err(Problem::new(field, value, "unknown parameter"));
        };
        parsed.map_err(|e| {
            let row = setting(field).expect("a field the table declares has a row");
            let message = match (e, row.kind) {
                (ParseError::Form(what), Kind::List) => format!("each item must be {what}"),
                (ParseError::Form(what), _) => format!("not {what}; {}", row.allowed_message()),
                (ParseError::TooLarge | ParseError::Unknown, _) => row.allowed_message(),
            };
            Problem::new(field, value, message)
        })
    }

    /// The setting's value in the text form [`set`](Scenario::set) reads.
    pub fn get(&self, field: &str) -> Option<String> {
        self.get_field(field)
    }

    /// The settings that differ from the defaults, as `(field, value)` pairs in [`FIELDS`]
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
    /// or unknown keeps the default and reports it. Never fails. Past [`MAX_PROBLEMS`]
    /// problems, the list ends with one more, for the query, saying how many more there are.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> (Scenario, Vec<Problem>) {
        Scenario::from_pairs_within(pairs, &Limits::CLI)
    }

    /// [`from_pairs`](Scenario::from_pairs) within a front end's [`Limits`].
    pub fn from_pairs_within<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        limits: &Limits,
    ) -> (Scenario, Vec<Problem>) {
        let mut scenario = Scenario::default();
        let mut problems = Vec::new();
        let mut more = 0;
        let mut note = |problems: &mut Vec<Problem>, p: Problem| {
            if problems.len() < MAX_PROBLEMS {
                problems.push(p);
            } else {
                more += 1;
            }
        };
        let mut cv_given = false;
        for (field, value) in pairs {
            // a value that does not parse changes nothing
            if let Err(p) = scenario.set(field, value) {
                note(&mut problems, p);
            }
            cv_given |= field == "cv";
        }
        if !cv_given {
            // `dist=uniform` alone means a uniform cost, not a problem with the default cv.
            scenario.fit_cv_to_dist();
        }
        // Reset each field that fails validation to its default, until none does.
        let defaults = Scenario::default();
        for _ in 0..FIELDS.len() {
            let Err(Problems(found)) = scenario.validate_within(limits) else { break };
            for p in found {
                if let Some(default) = defaults.get(&p.field) {
                    let _ = scenario.set(&p.field, &default);
                }
                note(&mut problems, p);
            }
        }
        if scenario.validate_within(limits).is_err() {
            // Problems that span fields resetting one at a time cannot fix: start over.
            note(&mut problems, Problem::new("query", "", "these parameters cannot be combined; using the defaults"));
            scenario = defaults;
        }
        if more > 0 {
            problems.push(Problem::new("query", "", more_problems(more)));
        }
        (scenario, problems)
    }

    /// Reads a scenario from JSON (the file `lbsim --scenario` takes): an object whose keys
    /// are settings' names. Validates it within `lbsim`'s [`Limits::CLI`].
    pub fn from_json(text: &str) -> Result<Scenario, Problems> {
        Scenario::from_json_within(text, &Limits::CLI)
    }

    /// [`from_json`](Scenario::from_json) within a front end's [`Limits`], which are the
    /// ones its messages quote.
    pub fn from_json_within(text: &str, limits: &Limits) -> Result<Scenario, Problems> {
        if text.len() > MAX_SCENARIO_BYTES {
            let size = format!("{} bytes", text.len());
            let allowed = format!("a scenario is at most {} KB", MAX_SCENARIO_BYTES / 1024);
            return Err(Problems(vec![Problem::new("scenario", &size, allowed)]));
        }
        if !text.trim_start().starts_with('{') {
            let allowed = "a scenario is a JSON object, {\"setting\": value, ...}";
            return Err(Problems(vec![Problem::new("scenario", text.trim_start(), allowed)]));
        }
        let scenario: Scenario =
            serde_json::from_str(text).map_err(|e| Problems(vec![json_error::json_problem(text, &e)]))?;
        scenario.validate_within(limits)?;
        Ok(scenario)
    }

    /// Every problem with this scenario at once, in table order, each naming the setting, the
    /// value and what is allowed: first its row's range, then its relations to other settings,
    /// within `lbsim`'s [`Limits::CLI`].
    pub fn validate(&self) -> Result<(), Problems> {
        self.validate_within(&Limits::CLI)
    }

    /// [`validate`](Scenario::validate) within a front end's [`Limits`]: its most servers and
    /// most requests held at once.
    pub fn validate_within(&self, limits: &Limits) -> Result<(), Problems> {
        let mut out = Vec::new();
        for row in SETTINGS {
            let message = if self.check_field(row.name, &row.allowed) {
                self.relation_problem(row.name)
            } else {
                Some(row.allowed_message())
            };
            let message = message.or_else(|| self.limit_problem(row.name, limits));
            if let Some(message) = message {
                out.push(Problem::new(row.name, &self.get(row.name).unwrap_or_default(), message));
            }
        }
        if out.is_empty() { Ok(()) } else { Err(Problems(out)) }
    }

    /// What is wrong with `field` given the other settings, if anything: the rules a single
    /// row cannot state.
    fn relation_problem(&self, field: &str) -> Option<String> {
        // A rule is checked only when the other settings it reads are in their own range, so
        // a problem is named once, by the setting that is out.
        let in_range = |name: &str| setting(name).is_some_and(|row| self.check_field(name, &row.allowed));
        if !RELATED.iter().filter(|(f, _)| *f == field).all(|(_, other)| in_range(other)) {
            return None;
        }
        let n = self.servers as usize;
        let too_many = |len: usize, what: &str| (len > n).then(|| format!("more {what} than servers"));
        match field {
            "names" => too_many(self.names.len(), "names").or_else(|| {
                let mut seen = rustc_hash::FxHashSet::default();
                (!self.names.iter().all(|name| seen.insert(name.as_str()))).then(|| "names must differ".to_string())
            }),
            "weights" => too_many(self.weights.len(), "weights"),
            "speeds" => too_many(self.speeds.len(), "speeds").or_else(|| {
                let slowest = (0..n.min(MAX_SERVERS as usize)).map(|i| self.speed(i)).fold(f64::INFINITY, f64::min);
                (self.cost / slowest > MAX_SERVICE_SECONDS).then(|| {
                    format!(
                        "a request of cost {} s takes {} s on the slowest server; allowed: at most {} s \
                         (raise the speed or lower the cost)",
                        crate::decimal::shortest(self.cost),
                        crate::words::number(self.cost / slowest, 3),
                        crate::words::number(MAX_SERVICE_SECONDS, 3)
                    )
                })
            }),
            "requests" => match (self.requests, self.arrivals) {
                (Some(r), Arrivals::Poisson | Arrivals::Constant | Arrivals::Bursty) if self.rate > 0.0 => {
                    let seconds = r as f64 / self.rate;
                    (seconds > MAX_SIM_SECONDS).then(|| {
                        format!(
                            "at {} per second, {r} requests take {} simulated seconds; allowed: at most {} (31 \
                             years), so at most {} requests at this rate",
                            crate::decimal::shortest(self.rate),
                            crate::words::number(seconds, 3),
                            crate::words::number(MAX_SIM_SECONDS, 3),
                            (MAX_SIM_SECONDS * self.rate).floor() as u64
                        )
                    })
                }
                _ => None,
            },
            "burst-on" if self.arrivals == Arrivals::Bursty => {
                // During on periods arrivals come at rate x (on + off) / on; the nanosecond
                // clock holds at most one a nanosecond.
                let on_rate = self.rate * (self.burst_on + self.burst_off) / self.burst_on;
                (on_rate > MAX_RATE).then(|| {
                    let too_fast = format!(
                        "at this rate and burst-off, arrivals in on periods would come {} a second, more than the \
                         clock's one a nanosecond",
                        crate::words::number(on_rate, 3)
                    );
                    if self.rate >= MAX_RATE {
                        // no on period is long enough: the rate alone fills the clock
                        return format!("{too_fast}: allowed at this rate: burst-off 0 (or a lower rate)");
                    }
                    let least = self.rate * self.burst_off / (MAX_RATE - self.rate);
                    format!("{too_fast}: allowed from {} seconds up", crate::words::number(least * 1.01, 3))
                })
            }
            "faults" if !self.faults.is_empty() => self.unknown_fault_server(),
            "table-size" if self.algo == Algorithm::Maglev && self.table_size < self.servers => Some(format!(
                "maglev's table needs a slot for every server: allowed for {} servers: a prime of at least {}",
                self.servers, self.servers
            )),
            "cv" => match self.dist {
                CostDist::Uniform if self.cv > UNIFORM_MAX_CV => Some(format!(
                    "allowed for uniform: 0 to {} (costs stay positive)",
                    crate::decimal::shortest(UNIFORM_MAX_CV)
                )),
                CostDist::Lognormal | CostDist::Pareto if self.cv <= 0.0 => {
                    Some("allowed for lognormal and pareto: above 0 up to 10".to_string())
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// The first fault naming a server this scenario does not have, in words: the name of
    /// server `i` is [`Scenario::name`]'s, the given one or `server{i + 1}`.
    fn unknown_fault_server(&self) -> Option<String> {
        let n = self.servers as usize;
        let given: rustc_hash::FxHashSet<&str> = self.names.iter().take(n).map(String::as_str).collect();
        let by_default = |name: &str| {
            let k = name.strip_prefix("server").and_then(|k| k.parse::<usize>().ok());
            k.is_some_and(|k| k > self.names.len() && k <= n && name == format!("server{k}"))
        };
        let missing = self.faults.0.iter().find(|f| !given.contains(f.server.as_str()) && !by_default(&f.server))?;
        Some(format!(
            "no server is named \"{}\"; allowed: a fault names one of the {n} servers",
            quoted(&missing.server)
        ))
    }

    /// What `limits` say of `field`, if it is past them.
    fn limit_problem(&self, field: &str, limits: &Limits) -> Option<String> {
        match field {
            "servers" if self.servers > limits.servers => {
                Some(format!("allowed{}: 1 to {}", limits.place, limits.servers))
            }
            "table-size" if self.table_size > limits.table_size => Some(format!(
                "allowed{}: a prime from 7 to {} (a larger table takes seconds to build at each change of the pool)",
                limits.place, limits.table_size
            )),
            // named by `vnodes` whichever of it and the weights is large
            "vnodes"
                if self.servers <= limits.servers
                    && setting("weights").is_some_and(|row| self.check_field("weights", &row.allowed))
                    && self.ring_points() > limits.ring_points =>
            {
                Some(format!(
                    "vnodes x total weight = {} ring points; allowed{}: at most {} (the ring is built again at each \
                     change of the pool)",
                    self.ring_points(),
                    limits.place,
                    limits.ring_points
                ))
            }
            // requests waiting out a backoff are held by no server: what they may number at once
            "backoff-cap" if self.retry_waiters() > limits.held as f64 => Some(format!(
                "at {} per second, waits of up to {} s before a retry could hold {} requests waiting at once; \
                 allowed{}: at most {} (a shorter cap or a lower rate)",
                crate::decimal::shortest(self.rate),
                crate::decimal::shortest(self.longest_backoff()),
                crate::words::number(self.retry_waiters(), 3),
                limits.place,
                limits.held
            )),
            // requests waiting for an errors fault's answer, held by no server either
            "error-latency" if self.error_waiters() > limits.held as f64 => Some(format!(
                "at {} per second, an errors fault answering after {} s could hold {} requests waiting at once; \
                 allowed{}: at most {} (a shorter error-latency or a lower rate)",
                crate::decimal::shortest(self.rate),
                crate::decimal::shortest(self.error_latency),
                crate::words::number(self.error_waiters(), 3),
                limits.place,
                limits.held
            )),
            // named once, by `servers`, when there are more servers than the limit
            "queue" if self.servers <= limits.servers && self.held_at_most() > limits.held => Some(format!(
                "servers x (workers + queue) = {} requests could be held at once; allowed{}: at most {} (about {} MB)",
                self.held_at_most(),
                limits.place,
                limits.held,
                limits.held_megabytes()
            )),
            _ => None,
        }
    }

    /// Points on the hash ring: vnodes x the servers' total weight for the algorithms that
    /// build one (consistent-hash, bounded-load), 0 for the others.
    pub fn ring_points(&self) -> u64 {
        if !matches!(self.algo, Algorithm::ConsistentHash | Algorithm::BoundedLoad) {
            return 0;
        }
        let n = (self.servers as usize).min(MAX_SERVERS as usize);
        let total_weight: u64 = (0..n).map(|i| self.weight(i) as u64).sum();
        self.vnodes as u64 * total_weight
    }

    /// Most requests the servers can hold at once: servers x (workers + queue), or the run's
    /// requests when fewer. What the engine's memory grows with.
    pub fn held_at_most(&self) -> u64 {
        let room = self.servers as u64 * (self.workers as u64 + self.queue as u64);
        self.requests.map_or(room, |r| room.min(r))
    }

    /// The longest wait before a retry, in seconds (0 without retries or backoff).
    pub fn longest_backoff(&self) -> f64 {
        match (self.retries, self.backoff, self.jitter) {
            (0, _, _) | (_, Backoff::None, _) => 0.0,
            (_, Backoff::Constant, j) if j != Jitter::Decorrelated => self.backoff_base.min(self.backoff_cap),
            _ => self.backoff_cap,
        }
    }

    /// How many requests may wait out a backoff at once, about: the arrivals of the longest
    /// wait (or the run's requests, when fewer). They are held by no server, so the servers'
    /// room does not bound them.
    pub fn retry_waiters(&self) -> f64 {
        let waiting = self.rate * self.longest_backoff();
        self.requests.map_or(waiting, |r| waiting.min(r as f64))
    }

    /// How many requests may wait at once for the error an `errors` fault answers, about: the
    /// attempts sent in one `error-latency` (each request's first and its retries; or the
    /// run's requests, when fewer), none without such a fault. They are held by no server.
    pub fn error_waiters(&self) -> f64 {
        let erring = self.faults.0.iter().any(|f| matches!(f.kind, faults::FaultKind::Errors(p) if p > 0.0));
        if !erring {
            return 0.0;
        }
        let waiting = self.rate * (1.0 + f64::from(self.retries)) * self.error_latency;
        self.requests.map_or(waiting, |r| waiting.min(r as f64))
    }

    /// The work of building the balancer, in the units of a run's events (one about as long
    /// as one event, about 0.1 µs natively): ring points for the consistent hashes, table
    /// slots for Maglev, servers for the rest. 9.6 million ring points take about 0.9 s, a
    /// million events about 0.1 s. What a lesson's `set` that rebuilds it counts.
    pub fn balancer_work(&self) -> u64 {
        match self.algo {
            Algorithm::ConsistentHash | Algorithm::BoundedLoad => self.ring_points(),
            Algorithm::Maglev => u64::from(self.table_size),
            _ => u64::from(self.servers),
        }
    }

    /// Moves the cost's coefficient of variation inside what the distribution allows, if it is
    /// outside: 0.5 for a uniform past [`UNIFORM_MAX_CV`], 1 for a log-normal or Pareto at 0.
    /// What a change of distribution alone does to the cv, in the app and in a URL.
    pub fn fit_cv_to_dist(&mut self) {
        match self.dist {
            CostDist::Uniform if self.cv > UNIFORM_MAX_CV => self.cv = 0.5,
            CostDist::Lognormal | CostDist::Pareto if self.cv <= 0.0 => self.cv = 1.0,
            _ => {}
        }
    }

    /// The groups in which `self` and `next` differ, in table order.
    pub fn changed_groups(&self, next: &Scenario) -> Vec<Group> {
        Group::ALL.into_iter().filter(|&g| self.differs_in(next, g)).collect()
    }

    /// Runs it by hand, as the page's manual and predict modes and a lesson's manual steps
    /// do: no arrivals of its own (requests arrive when fired) and completions by hand.
    pub fn by_hand(&mut self) {
        self.arrivals = Arrivals::Off;
        self.completions = Completions::Manual;
    }

    /// Whether it runs by hand already ([`Scenario::by_hand`] would change nothing).
    pub fn is_by_hand(&self) -> bool {
        self.arrivals == Arrivals::Off && self.completions == Completions::Manual
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

    /// One server more, at the end, of this weight and speed 1: what adding one to the pool
    /// asks of the limits. (Names are left out: no limit counts them.)
    pub(crate) fn add_server(&mut self, weight: u32) {
        let n = self.servers as usize;
        if weight != 1 || !self.weights.is_empty() {
            self.weights.resize(n, 1);
            self.weights.push(weight);
        }
        if !self.speeds.is_empty() {
            self.speeds.resize(n, 1.0);
            self.speeds.push(1.0);
        }
        self.names.clear();
        self.servers += 1;
    }

    /// Server `i`'s weight set to `weight` (nothing for a server past the pool).
    pub(crate) fn set_weight(&mut self, i: usize, weight: u32) {
        let n = self.servers as usize;
        if i < n && weight != self.weight(i) {
            self.weights.resize(n, 1);
            self.weights[i] = weight;
        }
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

impl Scenario {
    /// What changed from `self` to `new` that makes another experiment, in words ("switched to
    /// maglev", "changed rate, cancel"), or `None`: another algorithm, or any setting but the
    /// servers' names and the run's length, warm-up and seed. Such a change starts a new
    /// measurement window ([`crate::Race::apply`]), so that no figure blends two experiments.
    pub fn what_changed(&self, new: &Scenario) -> Option<String> {
        if self.algo != new.algo {
            return Some(format!("switched to {}", new.algo));
        }
        let changed: Vec<&str> = SETTINGS
            .iter()
            .filter(|row| row.group != Group::Run && row.name != "names" && self.get(row.name) != new.get(row.name))
            .map(|row| row.name)
            .collect();
        (!changed.is_empty()).then(|| format!("changed {}", changed.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_quoted_value_shows_hidden_characters_as_escapes() {
        let p = super::Problem::new("names", "a\"b\\c\nd\u{202e}e\u{7}", "no");
        assert_eq!(p.to_string(), r#"names="a\"b\\c\nd\u{202e}e\u{7}": no"#);
        // The same escapes as Rust's own quoting, for these characters.
        assert_eq!(p.to_string(), format!("names={:?}: no", p.value));
    }

    use super::*;

    #[test]
    fn smooth_weighted_and_peak_ewma_take_as_many_servers_as_the_others() {
        // Each pick used to look at every server, so these two were held to 1,000 (peak EWMA
        // at 100,000 servers took minutes for 100,000 events); their picks are O(log n) now.
        for algo in [Algorithm::PeakEwma, Algorithm::WeightedRoundRobin] {
            let at = |servers| Scenario { algo, servers, ..Scenario::default() };
            assert_eq!(at(MAX_SERVERS).validate(), Ok(()));
            let Err(Problems(problems)) = at(MAX_SERVERS + 1).validate() else { panic!("{algo} refused") };
            let Err(Problems(others)) = Scenario { servers: MAX_SERVERS + 1, ..Scenario::default() }.validate() else {
                panic!("round robin refused")
            };
            assert_eq!(problems, others, "the same refusal as round robin's");
            // the engine keeps to it: 100,000 events at 100,000 servers, where the scans took
            // minutes, in well under the test's 10 s (debug build: about 1 s)
            let mut engine = crate::Engine::new(Scenario { rate: 100_000.0, ..at(MAX_SERVERS) }).expect("valid");
            let start = std::time::Instant::now();
            engine.run_until_within(u64::MAX / 4, 100_000);
            assert!(start.elapsed() < std::time::Duration::from_secs(10), "{algo}: {:?}", start.elapsed());
        }
    }

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
        // Malformed values in the order given, then range problems in table order.
        assert_eq!(fields, ["rate", "algo", "bogus", "cost", "table-size", "servers"]);
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
        assert!(err.to_string().contains("there is no setting called \"tablesize\""), "{err}");
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
    fn every_row_accepts_its_edges_and_refuses_past_them_naming_itself() {
        // At a million requests a second, even a row's most requests fit the clock.
        for row in SETTINGS {
            let (low, high) = match row.allowed {
                Allowed::Whole { min, max } | Allowed::Each(&Allowed::Whole { min, max }) => {
                    (min.to_string(), max.checked_add(1).map(|m| (max.to_string(), m.to_string())))
                }
                Allowed::Number { min, above, max }
                | Allowed::Each(&Allowed::Number { min, above, max })
                | Allowed::NumberOr(&Allowed::Number { min, above, max }, _) => {
                    let low = if above { min + (max - min) * 1e-9 } else { min };
                    (codec::Value::format(&low), Some((codec::Value::format(&max), codec::Value::format(&(max * 1.5)))))
                }
                _ => continue,
            };
            let Some((high, past)) = high else { continue };
            for edge in [low, high] {
                let mut s = Scenario { servers: 1, rate: 1e6, ..Scenario::default() };
                s.set(row.name, &edge).unwrap_or_else(|p| panic!("{p}"));
                assert_eq!(s.validate(), Ok(()), "{}={edge} is inside its row", row.name);
            }
            let mut s = Scenario { servers: 1, rate: 1e6, ..Scenario::default() };
            let refused = s.set(row.name, &past).err().or_else(|| s.validate().err().map(|p| p.0[0].clone()));
            let p = refused.unwrap_or_else(|| panic!("{}={past} is past its row", row.name));
            assert_eq!(p.field, row.name);
            assert!(p.message.contains(&row.describe_allowed()), "{p}");
        }
    }

    #[test]
    fn messages_quote_a_short_prefix_of_a_long_value() {
        let long = "9".repeat(10_000);
        let p = Scenario::default().set("servers", &long).unwrap_err();
        assert_eq!(p.value.chars().count(), QUOTE_CHARS + 1, "{p}");
        assert_eq!(p.message, "allowed: 1 to 100000", "a number too large for the type says the range");
        let p = Scenario::default().set("rate", "1e400").unwrap_err();
        assert_eq!(p.message, "not a finite number; allowed: 0 to 1000000000 per second");
    }

    #[test]
    fn the_uniform_bound_is_one_constant_below_one_over_root_three() {
        assert!(UNIFORM_MAX_CV < 1.0 / 3f64.sqrt() && 1.0 / 3f64.sqrt() - UNIFORM_MAX_CV < 1e-3);
        let s = Scenario { dist: CostDist::Uniform, cv: UNIFORM_MAX_CV, ..Default::default() };
        assert_eq!(s.validate(), Ok(()));
        let s = Scenario { dist: CostDist::Uniform, cv: UNIFORM_MAX_CV + 0.001, ..Default::default() };
        assert!(s.validate().unwrap_err().to_string().contains(&UNIFORM_MAX_CV.to_string()));
    }

    #[test]
    fn names_refuse_commas_and_text_direction_characters() {
        for bad in ["a,b", "evil\u{202E}gnp", "tab\there", ""] {
            let s = Scenario { names: vec![bad.to_string()], ..Default::default() };
            assert_eq!(s.validate().unwrap_err().0[0].field, "names", "{bad:?}");
        }
        let s = Scenario { names: vec!["web 1".into(), "ü-2".into()], ..Default::default() };
        assert_eq!(s.validate(), Ok(()));
    }

    /// Characters that draw as nothing or turn text around: LRM, RLM, ALM, the zero-width space,
    /// the byte order mark, the word joiner, the soft hyphen, the Mongolian vowel separator,
    /// tags (language tag, tag A), the Hangul filler, a variation selector, an RLO.
    const HIDDEN: [char; 13] = [
        '\u{200e}',
        '\u{200f}',
        '\u{061c}',
        '\u{200b}',
        '\u{feff}',
        '\u{2060}',
        '\u{00ad}',
        '\u{180e}',
        '\u{e0001}',
        '\u{e0041}',
        '\u{3164}',
        '\u{fe0f}',
        '\u{202e}',
    ];

    #[test]
    fn names_refuse_every_invisible_character_and_messages_show_it_as_an_escape() {
        for c in HIDDEN {
            assert!(is_hidden(c), "{c:?}");
            let s = Scenario { names: vec![format!("web{c}1")], ..Default::default() };
            let Err(Problems(p)) = s.validate() else { panic!("{c:?} accepted in a name") };
            assert_eq!(p[0].field, "names");
            let said = p[0].to_string();
            assert!(said.starts_with(&format!("names=\"web\\u{{{:x}}}1\"", u32::from(c))), "{said}");
        }
        for fine in ["ü-2", "日本", "web 1", "🚦", "a.b_c"] {
            assert!(!fine.chars().any(is_hidden), "{fine}");
        }
    }

    #[test]
    fn json_must_be_an_object() {
        let err = Scenario::from_json(r#"["maglev",3,7]"#).unwrap_err();
        assert!(err.to_string().contains("JSON object"), "{err}");
    }

    #[test]
    fn groups_name_what_changed() {
        let a = Scenario::default();
        let b = Scenario { cost: 0.2, cache_size: 7, ..a.clone() };
        assert_eq!(a.changed_groups(&b), [Group::Workload, Group::Cache]);
        assert!(a.changed_groups(&a).is_empty());
    }

    #[test]
    fn the_readme_table_has_a_row_per_setting() {
        let table = markdown_table();
        assert_eq!(table.lines().count(), SETTINGS.len() + 2);
        assert!(table.contains("| `keys` | Workload | `1000` | 1 to 1000000 |"), "{table}");
    }

    #[test]
    fn what_a_scenario_may_hold_is_bounded_tighter_in_the_browser() {
        let big = |pairs: &[(&str, &str)]| {
            let mut s = Scenario::default();
            for (k, v) in pairs {
                s.set(k, v).unwrap();
            }
            s
        };
        // 64 servers x (1000 workers + 1000000 queue) = 64 million requests held.
        let s = big(&[("servers", "64"), ("workers", "1000"), ("queue", "1000000")]);
        assert_eq!(s.held_at_most(), 64_064_000);
        let p = s.validate_within(&Limits::BROWSER).unwrap_err().0;
        assert_eq!((p[0].field.as_str(), p.len()), ("queue", 1), "{p:?}");
        assert!(p[0].message.contains("allowed in the browser: at most 1000000 (about 40 MB)"), "{}", p[0]);
        assert!(s.validate_within(&Limits::CLI).is_err(), "past lbsim's 50 million too");
        // A run of few requests holds no more than them, whatever the queues.
        assert_eq!(big(&[("servers", "100000"), ("queue", "1000000"), ("requests", "10")]).validate(), Ok(()));
        let s = big(&[("servers", "65")]);
        assert_eq!(s.validate(), Ok(()));
        assert_eq!(s.validate_within(&Limits::BROWSER).unwrap_err().0[0].message, "allowed in the browser: 1 to 64");
        let (s, problems) = Scenario::from_pairs_within([("servers", "100"), ("rate", "5")], &Limits::BROWSER);
        assert_eq!((s.servers, s.rate, problems.len()), (3, 5.0, 1));
    }

    #[test]
    fn times_the_nanosecond_clock_cannot_hold_are_refused() {
        // The cases that printed "measured 17553255926 s" and a utilisation of 341252859051374%.
        for speeds in ["0.000001", "1e-300"] {
            let (_, p) = Scenario::from_pairs([("servers", "1"), ("cost", "3600"), ("speeds", speeds)]);
            assert_eq!(p.len(), 1, "{p:?}");
            assert_eq!(p[0].field, "speeds");
        }
        let (_, p) = Scenario::from_pairs([("rate", "0.000001"), ("requests", "1000000")]);
        assert_eq!(p[0].field, "requests", "a million requests at one a million seconds is 31,710 years");
        let (s, p) = Scenario::from_pairs([("rate", "0.001"), ("requests", "1000000")]);
        assert!(p.is_empty() && s.requests == Some(1_000_000), "1e9 seconds is allowed: {p:?}");
    }

    #[test]
    fn the_browser_refuses_maglev_tables_that_take_seconds_to_build() {
        // 5,000,011 slots over 64 servers froze the tab 6-17 s; lbsim keeps that size.
        let pairs = [("algo", "maglev"), ("table-size", "5000011"), ("servers", "64")];
        let (s, p) = Scenario::from_pairs_within(pairs, &Limits::BROWSER);
        assert_eq!((p.len(), s.table_size, s.servers), (1, 65_537, 64), "{p:?}");
        assert_eq!((p[0].field.as_str(), p[0].value.as_str()), ("table-size", "5000011"));
        assert!(p[0].message.starts_with("allowed in the browser: a prime from 7 to 655373"), "{}", p[0]);
        assert_eq!(Scenario::from_pairs_within(pairs, &Limits::CLI).1, []);
        let at_limit = [("algo", "maglev"), ("table-size", "655373")];
        assert_eq!(Scenario::from_pairs_within(at_limit, &Limits::BROWSER).1, []);
        // refused whatever the algorithm, so that picking Maglev later cannot build it
        let other = [("algo", "round-robin"), ("table-size", "5000011")];
        assert_eq!(Scenario::from_pairs_within(other, &Limits::BROWSER).1[0].field, "table-size");
    }

    #[test]
    fn bursts_at_the_clocks_rate_say_what_is_allowed() {
        // "allowed from – seconds up": the least on period divided by zero at 1e9 a second.
        let (_, p) = Scenario::from_pairs([("arrivals", "bursty"), ("rate", "1000000000")]);
        assert_eq!(p[0].field, "burst-on", "{p:?}");
        assert!(p[0].message.ends_with("allowed at this rate: burst-off 0 (or a lower rate)"), "{}", p[0]);
    }

    #[test]
    fn a_maglev_table_smaller_than_the_pool_is_refused() {
        // 7 slots for 10 servers left three with no traffic and no warning.
        let (s, p) = Scenario::from_pairs([("algo", "maglev"), ("table-size", "7"), ("servers", "10")]);
        assert_eq!((p[0].field.as_str(), s.table_size), ("table-size", 65_537), "{p:?}");
        assert_eq!(Scenario::from_pairs([("algo", "maglev"), ("table-size", "11"), ("servers", "10")]).1, []);
    }

    #[test]
    fn a_distribution_alone_brings_its_cv_along() {
        let (s, p) = Scenario::from_pairs([("dist", "uniform"), ("rate", "5")]);
        assert_eq!((s.dist, s.cv, s.rate, p.len()), (CostDist::Uniform, 0.5, 5.0, 0), "{p:?}");
        let (s, p) = Scenario::from_pairs([("dist", "uniform"), ("cv", "0.9")]);
        assert_eq!((p[0].field.as_str(), s.cv), ("cv", 1.0), "a cv given is checked, not moved: {p:?}");
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
