//! A step's task: conditions over named quantities of the running engine, all of which
//! must hold for the task to be done, such as `{"arrived": {"at_least": 10}}`,
//! `{"server": "server2", "connections": {"at_most": 0}}`,
//! `{"setting": "algo", "is": "least-connections"}` or `{"server": "server1", "health": "down"}`.
//!
//! Counters count from the step's start: a [`Mark`] taken then, read through a [`View`] of
//! the engine, so a step that continues the last one's engine asks for what the learner
//! does in this step.

use serde::Serialize;
use serde_json::Value;

use super::read::{Reader, shown};
use crate::engine::Engine;
use crate::metrics::Counters;
use crate::scenario::{FIELDS, Scenario, quoted};
use crate::server::Health;
use crate::time::{Nanos, to_secs};

/// Most conditions in one task.
pub const MAX_CONDITIONS: usize = 16;

/// A count or figure of the whole pool, from the step's start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantity {
    /// Requests that arrived in this step.
    Arrived,
    /// Requests completed in this step.
    Completed,
    /// Requests rejected in this step.
    Rejected,
    /// Requests failed in this step.
    Failed,
    /// Requests a cache served in this step.
    CacheHits,
    /// Retries in this step.
    Retried,
    /// Requests whose client stopped waiting for their last attempt, in this step.
    TimedOut,
    /// Attempts sent to servers in this step (first attempts, retries and hedges).
    Attempts,
    /// Attempts a server finished in this step, whether or not their client still waited:
    /// the throughput's count, where `completed` is the goodput's.
    Served,
    /// Retries a retry budget refused in this step (`retry-budget`, `retry-bucket`).
    BudgetRefused,
    /// Hedges in this step: second copies of a request still unanswered (`hedge-after`).
    Hedged,
    /// Requests a circuit breaker refused in this step (`max-pending`, `max-requests`).
    BreakerRefused,
    /// Requests the servers hold now.
    InSystem,
    /// Cache hits over cache lookups in this step (0 with none).
    CacheHitRatio,
    /// Simulated seconds since the step began.
    Time,
    /// The 99th percentile of response time, in seconds, over the measurement window: since
    /// the step's start or the last change to the experiment (a setting, a server added or
    /// removed: [`crate::Race::apply`]), whichever is later, as the page's metrics count it.
    /// Not a number while no response is in it, so that no bound holds of it yet.
    P99,
}

impl Quantity {
    /// Every quantity, as conditions name them.
    pub const ALL: [(&'static str, Quantity); 16] = [
        ("arrived", Quantity::Arrived),
        ("completed", Quantity::Completed),
        ("rejected", Quantity::Rejected),
        ("failed", Quantity::Failed),
        ("cache_hits", Quantity::CacheHits),
        ("retried", Quantity::Retried),
        ("timed_out", Quantity::TimedOut),
        ("attempts", Quantity::Attempts),
        ("served", Quantity::Served),
        ("budget_refused", Quantity::BudgetRefused),
        ("hedged", Quantity::Hedged),
        ("breaker_refused", Quantity::BreakerRefused),
        ("in_system", Quantity::InSystem),
        ("cache_hit_ratio", Quantity::CacheHitRatio),
        ("time", Quantity::Time),
        ("p99", Quantity::P99),
    ];

    /// The name a condition gives it.
    pub fn name(self) -> &'static str {
        Quantity::ALL.iter().find(|(_, q)| *q == self).map_or("", |(n, _)| n)
    }
}

/// A range a figure must be in: at least, at most, or both.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Bound {
    /// Smallest allowed, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    /// Largest allowed, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_most: Option<f64>,
}

impl Bound {
    /// Whether `x` is within the bound.
    pub fn holds(&self, x: f64) -> bool {
        self.at_least.is_none_or(|m| x >= m) && self.at_most.is_none_or(|m| x <= m)
    }
}

/// What a condition says of one server.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerFact {
    /// Its connections (in service and waiting) are within the bound.
    Connections(Bound),
    /// Its health is this: up, draining or down.
    Health(Health),
    /// Whether the balancer may send it requests (a failed server stays eligible until a
    /// health check notices).
    Eligible(bool),
}

/// One condition of a task.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// A quantity of the pool is within a bound.
    Count {
        /// Which.
        quantity: Quantity,
        /// Its range.
        bound: Bound,
    },
    /// A fact about the server of this name.
    Server {
        /// The server's name.
        name: String,
        /// What must hold of it.
        fact: ServerFact,
    },
    /// A setting has this value (in the text form of the settings table, as in a URL).
    Setting {
        /// The setting's name.
        name: &'static str,
        /// Its value.
        is: String,
    },
}

/// A step's task: done when every condition holds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Task {
    /// The conditions, all of which must hold.
    pub when: Vec<Condition>,
}

/// The engine's counters and clock when a step began; quantities count from it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Mark {
    totals: Counters,
    at: Nanos,
}

impl Task {
    /// Whether a condition reads the clock (`time`).
    pub fn reads_time(&self) -> bool {
        self.when.iter().any(|c| matches!(c, Condition::Count { quantity: Quantity::Time, .. }))
    }

    /// Whether every condition reads the clock alone: a task done by waiting, whatever the
    /// learner does.
    pub fn only_time(&self) -> bool {
        self.when.iter().all(|c| matches!(c, Condition::Count { quantity: Quantity::Time, .. }))
    }
}

impl Mark {
    /// A mark at `engine`'s present.
    pub fn of(engine: &Engine) -> Mark {
        Mark { totals: engine.totals(), at: engine.now() }
    }

    /// When it was taken.
    pub fn at(&self) -> Nanos {
        self.at
    }
}

/// What a task and a question read: an engine, read only, with the mark of the step's
/// start and the server the last fired request went to (the answer to a prediction). The
/// browser builds one from its running engine; the headless player does the same.
#[derive(Clone, Copy)]
pub struct View<'a> {
    engine: &'a Engine,
    since: Mark,
    last_routed: Option<&'a str>,
}

impl<'a> View<'a> {
    /// A view of `engine` counting from `since`.
    pub fn new(engine: &'a Engine, since: Mark) -> View<'a> {
        View { engine, since, last_routed: None }
    }

    /// The same view, knowing the server the last fired request went to (`None`: rejected).
    pub fn with_last_routed(self, server: Option<&'a str>) -> View<'a> {
        View { last_routed: server, ..self }
    }

    /// The engine.
    pub fn engine(&self) -> &'a Engine {
        self.engine
    }

    /// The server the last fired request went to, if known.
    pub fn last_routed(&self) -> Option<&'a str> {
        self.last_routed
    }

    /// A quantity's value now.
    pub fn quantity(&self, q: Quantity) -> f64 {
        let (now, then) = (self.engine.totals(), self.since.totals);
        let delta = |f: fn(&Counters) -> u64| f(&now).saturating_sub(f(&then)) as f64;
        match q {
            Quantity::Arrived => delta(|c| c.arrived),
            Quantity::Completed => delta(|c| c.completed),
            Quantity::Rejected => delta(|c| c.rejected),
            Quantity::Failed => delta(|c| c.failed),
            Quantity::CacheHits => delta(|c| c.cache_hits),
            Quantity::Retried => delta(|c| c.retried),
            Quantity::TimedOut => delta(|c| c.timed_out),
            Quantity::Attempts => delta(|c| c.attempts),
            Quantity::Served => delta(|c| c.served),
            Quantity::BudgetRefused => delta(|c| c.budget_refused),
            Quantity::Hedged => delta(|c| c.hedged),
            Quantity::BreakerRefused => delta(|c| c.refused),
            Quantity::InSystem => self.engine.in_system() as f64,
            Quantity::CacheHitRatio => {
                let lookups = delta(|c| c.cache_lookups);
                if lookups == 0.0 { 0.0 } else { delta(|c| c.cache_hits) / lookups }
            }
            Quantity::Time => to_secs(self.engine.now().saturating_sub(self.since.at)),
            Quantity::P99 => {
                let responses = self.engine.responses();
                if responses.count() == 0 { f64::NAN } else { responses.quantile_s(0.99) }
            }
        }
    }
}

impl Condition {
    /// Whether time alone may make it hold, as the task means it to: a count from the step's
    /// start that only grows (arrivals, completions, rejections, failures, cache hits,
    /// retries, attempts, refusals, hedges, the time), bounded below only. "Play on until 2,000 have arrived" ticks while
    /// the learner watches, and says so; a ratio, a server's state or a setting that holds
    /// with no action says "done" of what the learner did not do.
    pub fn grows_by_waiting(&self) -> bool {
        match self {
            Condition::Count { quantity, bound } => {
                bound.at_most.is_none()
                    && !matches!(quantity, Quantity::InSystem | Quantity::CacheHitRatio | Quantity::P99)
            }
            Condition::Server { .. } | Condition::Setting { .. } => false,
        }
    }

    /// Whether the condition holds in `view`. A server that is not there satisfies nothing.
    pub fn holds(&self, view: &View) -> bool {
        match self {
            Condition::Count { quantity, bound } => bound.holds(view.quantity(*quantity)),
            Condition::Server { name, fact } => {
                let Some(i) = view.engine.position(name) else { return false };
                let s = &view.engine.servers()[i];
                match fact {
                    ServerFact::Connections(b) => b.holds(f64::from(s.connections())),
                    ServerFact::Health(h) => s.health == *h,
                    ServerFact::Eligible(e) => s.eligible() == *e,
                }
            }
            Condition::Setting { name, is } => view.engine.scenario().get(name).as_deref() == Some(is.as_str()),
        }
    }
}

impl Task {
    /// Whether every condition holds in `view`.
    pub fn is_done(&self, view: &View) -> bool {
        self.when.iter().all(|c| c.holds(view))
    }

    /// Reads a task at `path`; `names` are the servers the step starts with, when known.
    pub(super) fn read(r: &mut Reader, v: &Value, path: &str, names: Option<&[String]>) -> Option<Task> {
        let map = r.object(v, path, &["when"], &["when"])?;
        let at = format!("{path}.when");
        let items = r.array(map.get("when")?, &at, 1, MAX_CONDITIONS)?;
        let when: Vec<Option<Condition>> =
            items.iter().enumerate().map(|(i, c)| Condition::read(r, c, &format!("{at}[{i}]"), names)).collect();
        Some(Task { when: when.into_iter().collect::<Option<_>>()? })
    }
}

/// Reads a bound: `{"at_least": x}`, `{"at_most": x}` or both, finite, least not above most.
fn read_bound(r: &mut Reader, v: &Value, path: &str) -> Option<Bound> {
    let map = r.object(v, path, &["at_least", "at_most"], &[])?;
    let mut side =
        |key: &str| map.get(key).map(|x| r.number(x, &format!("{path}.{key}"), -1e15, false, 1e15).ok_or(()));
    let (least, most) = (side("at_least"), side("at_most"));
    let (Ok(at_least), Ok(at_most)) = (least.transpose(), most.transpose()) else { return None };
    match (at_least, at_most) {
        (None, None) => {
            r.problem(path, &shown(v), "needs at_least, at_most or both");
            None
        }
        (Some(l), Some(m)) if l > m => {
            r.problem(path, &shown(v), "at_least is above at_most: nothing could satisfy it");
            None
        }
        _ => Some(Bound { at_least, at_most }),
    }
}

/// Checks that `name` is one of the step's servers, when they are known.
pub(super) fn check_server(r: &mut Reader, name: &str, path: &str, names: Option<&[String]>) -> bool {
    match names {
        Some(names) if !names.iter().any(|n| n == name) => {
            r.problem(path, name, format!("no such server in the step's scenario; it has {}", names.join(", ")));
            false
        }
        _ => true,
    }
}

impl Condition {
    fn read(r: &mut Reader, v: &Value, path: &str, names: Option<&[String]>) -> Option<Condition> {
        let quantities: Vec<&str> = Quantity::ALL.iter().map(|(n, _)| *n).collect();
        let Some(map) = v.as_object() else {
            r.problem(path, &shown(v), "must be an object: a condition");
            return None;
        };
        if map.contains_key("server") {
            let m = r.object(v, path, &["server", "connections", "health", "eligible"], &["server"])?;
            let name = r.string(&m["server"], &format!("{path}.server"), crate::scenario::MAX_NAME, false)?;
            let named = check_server(r, &name, &format!("{path}.server"), names);
            let facts: Vec<&String> = m.keys().filter(|k| *k != "server").collect();
            let [key] = facts[..] else {
                r.problem(path, &shown(v), "a server condition needs one of connections, health or eligible");
                return None;
            };
            let at = format!("{path}.{}", quoted(key));
            let fact = match key.as_str() {
                "connections" => ServerFact::Connections(read_bound(r, &m[key], &at)?),
                "health" => {
                    let h = [Health::Up, Health::Draining, Health::Down]
                        .into_iter()
                        .find(|h| m[key].as_str() == Some(h.as_str()));
                    let Some(h) = h else {
                        r.problem(&at, &shown(&m[key]), "allowed: up, draining, down");
                        return None;
                    };
                    ServerFact::Health(h)
                }
                _ => ServerFact::Eligible(r.boolean(&m[key], &at)?),
            };
            return named.then_some(Condition::Server { name, fact });
        }
        if map.contains_key("setting") {
            let m = r.object(v, path, &["setting", "is"], &["setting", "is"])?;
            let at = format!("{path}.setting");
            let given = shown(&m["setting"]);
            // an older name reads as the setting it became: retry=true is retries=1
            let (given, is) = match crate::scenario::renamed(&given, &shown(m.get("is")?)) {
                Some((name, value)) => (name.to_string(), value),
                None => (given, shown(m.get("is")?)),
            };
            let Some(&name) = FIELDS.iter().find(|f| **f == given) else {
                r.problem(&at, &given, "unknown setting; allowed: the settings of a scenario (lbsim settings)");
                return None;
            };
            // The value in its canonical text form, so "on" and "true", "0.50" and "0.5" agree.
            let mut probe = Scenario::default();
            if let Err(p) = probe.set(name, &is) {
                r.problem(&format!("{path}.is"), &p.value, p.message);
                return None;
            }
            return Some(Condition::Setting { name, is: probe.get(name).unwrap_or_default() });
        }
        let keys: Vec<&String> = map.keys().collect();
        let [key] = keys[..] else {
            r.problem(
                path,
                &shown(v),
                format!("a condition is one of {}, or a server or setting condition", quantities.join(", ")),
            );
            return None;
        };
        let Some(&(_, quantity)) = Quantity::ALL.iter().find(|(n, _)| n == key) else {
            r.problem(
                &format!("{path}.{}", quoted(key)),
                "",
                format!("unknown quantity; allowed: {}, server, setting", quantities.join(", ")),
            );
            return None;
        };
        let bound = read_bound(r, &map[key], &format!("{path}.{key}"))?;
        Some(Condition::Count { quantity, bound })
    }
}
