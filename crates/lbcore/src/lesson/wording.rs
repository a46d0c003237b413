//! A task's conditions in words, each with its value now: what `lbsim lesson check` says of
//! a condition it refuses ("server2 holds at most 1 connection (now 0)"), in the words of the
//! page's checklist, so that an author reads the line the learner would see. A boolean
//! setting reads `on` and `off`, as its switch does, not `true` and `false`.

use super::task::{Bound, Condition, Quantity, ServerFact, View};
use crate::decimal::Fixed;
use crate::scenario::{Kind, setting};
use crate::words::{number, percent};

/// A figure as a condition shows it: whole numbers whole, others to 3 significant digits.
fn figure(x: f64) -> String {
    number(x, 3)
}

/// Seconds as a condition shows them: "0.62 s".
fn seconds(x: f64) -> String {
    format!("{} s", figure(x))
}

impl Bound {
    /// The bound in words: "at least 9", "at most 0.3", "exactly 1", "0.1 to 0.3".
    pub fn words(&self) -> String {
        self.words_as(figure)
    }

    /// The bound in words, each figure written by `write` (a ratio as a percentage).
    fn words_as(&self, write: fn(f64) -> String) -> String {
        match (self.at_least, self.at_most) {
            (Some(lo), Some(hi)) if lo == hi => format!("exactly {}", write(lo)),
            (Some(lo), Some(hi)) => format!("{} to {}", write(lo), write(hi)),
            (Some(lo), None) => format!("at least {}", write(lo)),
            (None, Some(hi)) => format!("at most {}", write(hi)),
            (None, None) => "any".to_string(),
        }
    }

    /// Whether the bound speaks of one thing only: exactly 1, or at most 1 (for "connection").
    fn one(&self) -> bool {
        self.at_least.is_none_or(|x| x == 1.0) && self.at_most.is_none_or(|x| x == 1.0)
    }
}

impl Quantity {
    /// What the quantity counts, in words: "requests arrived", "cache hit ratio in this step"
    /// (every count of a task is of its step; the ratio says so, since the page's metrics
    /// show the whole run's).
    pub fn words(self) -> &'static str {
        match self {
            Quantity::Arrived => "requests arrived",
            Quantity::Completed => "requests completed",
            Quantity::Rejected => "requests rejected",
            Quantity::Failed => "requests failed",
            Quantity::CacheHits => "cache hits",
            Quantity::Retried => "retries",
            Quantity::TimedOut => "requests timed out",
            Quantity::Attempts => "attempts sent",
            Quantity::Served => "attempts served",
            Quantity::BudgetRefused => "retries the budget refused",
            Quantity::Hedged => "hedged copies sent",
            Quantity::BreakerRefused => "requests the breaker refused",
            Quantity::InSystem => "requests on the servers",
            Quantity::CacheHitRatio => "cache hit ratio in this step",
            Quantity::Time => "seconds in this step",
            Quantity::P99 => "p99 since the last change",
        }
    }

    /// Its value in `view` as a checklist line or a watched figure writes it: a ratio as a
    /// percentage, the time to 2 decimals, the p99 in seconds ("none yet" before the first
    /// response), a count whole.
    pub fn value_words(self, view: &View) -> String {
        let now = view.quantity(self);
        match self {
            Quantity::CacheHitRatio => percent(now),
            Quantity::Time => Fixed(now, 2).to_string(),
            Quantity::P99 if now.is_nan() => "none yet".to_string(),
            Quantity::P99 => seconds(now),
            _ => figure(now),
        }
    }

    /// The quantity and its value in `view`, as a step's `watch` shows it: "p99 since the
    /// last change: 0.62 s", "hedged copies sent: 41".
    pub fn watch_words(self, view: &View) -> String {
        format!("{}: {}", self.words(), self.value_words(view))
    }
}

/// A setting's value as its control shows it: `on` and `off` for a boolean.
pub fn setting_value(name: &str, value: &str) -> String {
    match (setting(name).map(|s| s.kind), value) {
        (Some(Kind::Bool), "true") => "on".to_string(),
        (Some(Kind::Bool), "false") => "off".to_string(),
        _ => value.to_string(),
    }
}

impl Condition {
    /// The condition in words with its value in `view`: "requests arrived: at least 9 (now
    /// 4)", "server2 holds at most 1 connection (now 0)", "retry is on (now off)".
    pub fn words(&self, view: &View) -> String {
        match self {
            Condition::Count { quantity, bound } => {
                // A ratio as a percentage, as the page's metrics write a hit ratio.
                let bound = match quantity {
                    Quantity::CacheHitRatio => bound.words_as(percent),
                    Quantity::P99 => bound.words_as(seconds),
                    _ => bound.words(),
                };
                format!("{}: {bound} (now {})", quantity.words(), quantity.value_words(view))
            }
            Condition::Server { name, fact } => {
                let engine = view.engine();
                let server = engine.position(name).map(|i| &engine.servers()[i]);
                match fact {
                    ServerFact::Connections(b) => format!(
                        "{name} holds {} connection{} (now {})",
                        b.words(),
                        if b.one() { "" } else { "s" },
                        server.map_or("gone".to_string(), |s| s.connections().to_string())
                    ),
                    ServerFact::Health(h) => {
                        format!("{name} is {} (now {})", h.as_str(), server.map_or("gone", |s| s.health.as_str()))
                    }
                    ServerFact::Eligible(true) => format!("the balancer may send {name} requests"),
                    ServerFact::Eligible(false) => format!("the balancer sends {name} no requests"),
                }
            }
            Condition::Setting { name, is } => {
                let now = view.engine().scenario().get(name).unwrap_or_default();
                format!("{name} is {} (now {})", setting_value(name, is), setting_value(name, &now))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Engine;
    use crate::lesson::{Lesson, Mark};

    /// Each condition of a one-step lesson's task in words, on an engine at its start.
    fn words(scenario: &str, when: &str) -> Vec<String> {
        let json = format!(
            r#"{{"title": "t", "steps": [{{"text": "a", "scenario": "{scenario}", "task": {{"when": [{when}]}}}}]}}"#
        );
        let lesson = Lesson::parse(&json).unwrap_or_else(|p| panic!("{p}"));
        let engine = Engine::new(lesson.scenario_at(0).expect("fresh").clone()).expect("valid");
        let view = View::new(&engine, Mark::of(&engine));
        lesson.steps()[0].task.as_ref().expect("a task").when.iter().map(|c| c.words(&view)).collect()
    }

    #[test]
    fn a_condition_reads_as_the_checklist_line_with_its_value_now() {
        assert_eq!(
            words(
                "servers=3&mode=manual",
                r#"{"arrived": {"at_least": 9}}, {"cache_hit_ratio": {"at_least": 0.1, "at_most": 0.35}},
                   {"server": "server2", "connections": {"at_least": 1, "at_most": 1}},
                   {"server": "server3", "connections": {"at_least": 30}}, {"server": "server1", "health": "down"},
                   {"setting": "algo", "is": "least-connections"}"#
            ),
            [
                "requests arrived: at least 9 (now 0)",
                "cache hit ratio in this step: 10% to 35% (now 0%)",
                "server2 holds exactly 1 connection (now 0)",
                "server3 holds at least 30 connections (now 0)",
                "server1 is down (now up)",
                "algo is least-connections (now round-robin)",
            ]
        );
    }

    #[test]
    fn the_p99_reads_none_until_a_response_then_seconds_of_the_window() {
        // no response yet: no bound holds, so a p99 task is never ticked before anything ran
        assert_eq!(
            words("servers=2&rate=10&cost=0.1&dist=const", r#"{"p99": {"at_most": 1}}"#),
            ["p99 since the last change: at most 1 s (now none yet)"]
        );
        let lesson = Lesson::parse(
            r#"{"title": "t", "steps": [{"text": "a", "scenario": "servers=2&rate=10&cost=0.1&dist=const&arrivals=constant", "watch": ["p99", "served"]}]}"#,
        )
        .unwrap_or_else(|p| panic!("{p}"));
        let mut engine = Engine::new(lesson.scenario_at(0).expect("fresh").clone()).expect("valid");
        let mark = Mark::of(&engine);
        engine.run_until(crate::time::from_secs(10.0));
        let view = View::new(&engine, mark);
        // constant 0.1 s of work at 50% load on two servers: evenly spaced arrivals under round
        // robin never queue, so every response, and the p99, is the work itself
        let watched: Vec<String> = lesson.steps()[0].watch.iter().map(|q| q.watch_words(&view)).collect();
        assert_eq!(watched[0], "p99 since the last change: 0.1 s");
        assert!(watched[1].starts_with("attempts served: 9"), "{}", watched[1]);
    }

    #[test]
    fn a_watch_names_known_figures_and_at_most_three() {
        let read = |watch: &str| {
            Lesson::parse(&format!(
                r#"{{"title": "t", "steps": [{{"text": "a", "scenario": "servers=2", "watch": {watch}}}]}}"#
            ))
            .map(|_| ())
            .map_err(|p| p.to_string())
        };
        assert_eq!(read(r#"["p99", "hedged", "time"]"#), Ok(()));
        let unknown = read(r#"["p999"]"#).unwrap_err();
        assert!(unknown.contains("p999") && unknown.contains("allowed:") && unknown.contains("p99"), "{unknown}");
        assert!(read(r#"["p99", "hedged", "time", "served"]"#).is_err(), "four is past the most");
        assert!(read("[]").is_err(), "an empty watch says nothing");
    }

    #[test]
    fn a_boolean_setting_reads_on_and_off_as_its_switch_does() {
        // "cancel is true (now false)" read as code; the switch says on and off
        assert_eq!(words("servers=3", r#"{"setting": "cancel", "is": "yes"}"#), ["cancel is on (now off)"]);
        assert_eq!(setting_value("cancel", "true"), "on");
        // retry, the older name of retries=1, reads as what it became
        assert_eq!(words("servers=3", r#"{"setting": "retry", "is": "yes"}"#), ["retries is 1 (now 0)"]);
        assert_eq!(setting_value("rate", "20"), "20", "a number stays a number");
    }
}
