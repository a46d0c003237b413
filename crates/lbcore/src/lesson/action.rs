//! What a learner can do in a step, as data: the `try` list of a step is a script of these
//! that completes its task. `lbsim lesson check` plays it to prove the task can be done,
//! and a front end may play it for a "show me" button. Each maps to the race operations
//! ([`Op`]) the web app already performs.

use serde::Serialize;
use serde_json::Value;

use super::read::{Reader, shown};
use super::task::check_server;
use crate::race::Op;
use crate::scenario::{FIELDS, OLDER_NAMES, Problem, Scenario};

/// Most actions in a step's `try`.
pub const MAX_ACTIONS: usize = 32;
/// Most requests one `fire` sends.
pub const MAX_FIRE: u64 = 10_000;
/// Most completions one `complete` makes.
pub const MAX_TIMES: u64 = 1_000;
/// Longest `run`, in simulated seconds.
pub const MAX_RUN_SECONDS: f64 = 3_600.0;

/// One thing a learner does.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Fire this many requests now: `{"fire": 10}`.
    Fire(u32),
    /// Complete the oldest request in service on a server, `times` times:
    /// `{"complete": "server2", "times": 2}`.
    Complete {
        /// The server's name.
        server: String,
        /// How many.
        times: u32,
    },
    /// Fail a server: `{"fail": "server1"}`.
    Fail(String),
    /// Heal a server: `{"heal": "server1"}`.
    Heal(String),
    /// Drain a server: `{"drain": "server1"}`.
    Drain(String),
    /// Let the simulation run this many simulated seconds: `{"run": 5}`.
    Run(f64),
    /// Change settings, as in the URL: `{"set": {"algo": "least-connections"}}`.
    Set(Vec<(&'static str, String)>),
}

impl Action {
    /// The race operations for every action but [`Action::Run`] (which a front end plays
    /// at its own pace, and the player in slices); `scenario` is the running one, which
    /// [`Action::Set`] changes.
    pub fn ops(&self, scenario: &Scenario) -> Result<Vec<Op>, Problem> {
        Ok(match self {
            Action::Fire(n) => vec![Op::Fire(*n)],
            Action::Complete { server, times } => vec![Op::Complete(server.clone()); *times as usize],
            Action::Fail(s) => vec![Op::Fail(s.clone())],
            Action::Heal(s) => vec![Op::Heal(s.clone())],
            Action::Drain(s) => vec![Op::Drain(s.clone())],
            Action::Run(_) => Vec::new(),
            Action::Set(pairs) => {
                let mut next = scenario.clone();
                for (k, v) in pairs {
                    next.set(k, v)?;
                }
                vec![Op::Reconfigure(Box::new(next))]
            }
        })
    }

    /// Reads an action at `path`; `names` are the step's servers, when known.
    pub(super) fn read(r: &mut Reader, v: &Value, path: &str, names: Option<&[String]>) -> Option<Action> {
        const KINDS: &str = "fire, complete, fail, heal, drain, run or set";
        let Some(map) = v.as_object() else {
            r.problem(path, &shown(v), format!("must be an object: one of {KINDS}"));
            return None;
        };
        let kind =
            ["fire", "complete", "fail", "heal", "drain", "run", "set"].into_iter().find(|k| map.contains_key(*k));
        let Some(kind) = kind else {
            r.problem(path, &shown(v), format!("an action is one of {KINDS}"));
            return None;
        };
        let known: &[&str] = if kind == "complete" { &["complete", "times"] } else { &[kind] };
        let m = r.object(v, path, known, &[])?;
        let at = format!("{path}.{kind}");
        let server = |r: &mut Reader| {
            let name = r.string(&m[kind], &at, crate::scenario::MAX_NAME, false)?;
            check_server(r, &name, &at, names).then_some(name)
        };
        Some(match kind {
            "fire" => Action::Fire(r.whole(&m[kind], &at, 1, MAX_FIRE)? as u32),
            "complete" => {
                let times = match m.get("times") {
                    Some(t) => r.whole(t, &format!("{path}.times"), 1, MAX_TIMES),
                    None => Some(1),
                };
                let server = server(r);
                Action::Complete { server: server?, times: times? as u32 }
            }
            "fail" => Action::Fail(server(r)?),
            "heal" => Action::Heal(server(r)?),
            "drain" => Action::Drain(server(r)?),
            "run" => Action::Run(r.number(&m[kind], &at, 0.0, true, MAX_RUN_SECONDS)?),
            _ => {
                // the settings, and the older names old lessons may still use (retry)
                let known: Vec<&str> = FIELDS.iter().chain(OLDER_NAMES).copied().collect();
                let pairs = r.object(&m[kind], &at, &known, &[])?;
                if pairs.is_empty() {
                    r.problem(&at, "{}", "names at least one setting");
                    return None;
                }
                let mut out = Vec::new();
                let mut probe = Scenario::default();
                for (k, value) in pairs {
                    let Some(&name) = known.iter().find(|f| *f == k) else { continue };
                    match probe.set(name, &shown(value)) {
                        Ok(()) => out.push((name, shown(value))),
                        Err(p) => r.problem(&format!("{at}.{k}"), &p.value, p.message),
                    }
                }
                (out.len() == pairs.len()).then_some(Action::Set(out))?
            }
        })
    }
}
