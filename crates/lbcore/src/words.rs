//! The words the front ends show for the engine's data: a [`Decision`] as one sentence
//! (`least-connections chose server2: 0 connections (server1: 1, server3: 1)`), its
//! [`Score`]s and [`Outcome`], and seconds as a human figure. The engine produces data and
//! never calls this module; lbsim's traces and the web app's decision log and explanations
//! render with it, so both say the same thing in the same words. [`Decision::short`] is
//! the same decision in a few words, for the web app's chart beside the chosen server. A
//! [`Notice`] (a health check, a client giving up, a backoff) is a sentence too.

use std::fmt;

use crate::Algorithm;
use crate::balancer::{Decision, Outcome, Score};
use crate::decimal::Fixed;
use crate::engine::{Notice, Noticed};
use crate::scenario::FaultKind;

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let server = &self.server;
        match self.what {
            Noticed::Health { down: true } => {
                write!(f, "A health check noticed {server} is down: it gets no more requests")
            }
            Noticed::Health { down: false } => {
                write!(f, "A health check noticed {server} is up again: it takes requests")
            }
            Noticed::TimedOut { request, cancelled } => {
                let then = if cancelled { "cancelled there" } else { "the server still works on it, for nobody" };
                write!(f, "Request {request} timed out on {server}: its client stopped waiting; {then}")
            }
            Noticed::Backoff { request, wait_s } => {
                write!(
                    f,
                    "Request {request} backs off {} before its retry (its last attempt was on {server})",
                    seconds(wait_s)
                )
            }
            Noticed::Hedged { request } => {
                write!(
                    f,
                    "Request {request} is still unanswered on {server}: a copy goes to another server, the first answer wins"
                )
            }
            Noticed::Fault { kind, starts } => {
                let what = match kind {
                    FaultKind::Down => "is down".to_string(),
                    FaultKind::Slow(x) => format!("works at x{}", Fixed(x, 2)),
                    FaultKind::Errors(p) => format!("fails {}% of its attempts", Fixed(p * 100.0, 0)),
                };
                let when = if starts { "from now" } else { "no more: that fault is over" };
                write!(f, "A scheduled fault: {server} {what} {when}")
            }
        }
    }
}

impl Score {
    /// The short form used for the other candidates in a sentence.
    pub fn short(&self) -> String {
        match self {
            Score::Connections { connections } => connections.to_string(),
            Score::PerWeight { connections, weight } => format!("{connections}/{weight}"),
            Score::Cost { rtt_s, connections } => seconds(rtt_s * (*connections as f64 + 1.0)),
            Score::CurrentWeight { current, .. } => current.to_string(),
            Score::Bounded { connections, bound } => format!("{connections} of bound {bound}"),
            other => other.to_string(),
        }
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Score::Turn => f.write_str("next in turn"),
            Score::CurrentWeight { current, weight } => write!(f, "highest current weight {current} (weight {weight})"),
            Score::Uniform { among } => write!(f, "picked at random, 1 in {among}"),
            Score::Weighted { weight, total } => write!(f, "picked at random with chance {weight}/{total}"),
            Score::Connections { connections: n } => f.write_str(&connections(*n)),
            Score::PerWeight { connections: n, weight } => {
                write!(f, "{} / weight {weight} = {}", connections(*n), Fixed(*n as f64 / *weight as f64, 2))
            }
            Score::Cost { rtt_s, connections } => write!(
                f,
                "cost {} = response time {} x ({connections} + 1)",
                seconds(rtt_s * (*connections as f64 + 1.0)),
                seconds(*rtt_s)
            ),
            Score::Ring { key, point } => write!(f, "key {key} lands on the ring at {:08x}, owned here", point >> 32),
            Score::Bounded { connections: n, bound } => write!(f, "{}, under the bound of {bound}", connections(*n)),
            Score::Slot { key, slot, size } => write!(f, "key {key} maps to slot {slot} of {size}"),
            Score::Modulo { key, index, n } => write!(f, "hash(key {key}) mod {n} = {index}"),
            Score::Skipped { reason } => write!(f, "skipped, {reason}"),
            Score::Fallback { tried } => {
                write!(f, "the next eligible server after {tried}, which this request had already tried")
            }
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Started => f.write_str("started on a free worker"),
            Outcome::Queued => f.write_str("queued"),
            Outcome::SharedCacheHit { key } => write!(f, "key {key} served from the shared cache, no server needed"),
            Outcome::ServerCacheHit { key, server } => write!(f, "key {key} served from {server}'s cache"),
            Outcome::NoServer => f.write_str("rejected: no server can take it"),
            Outcome::QueueFull { server, waiting } => {
                write!(f, "rejected: {server}'s queue is full ({waiting} waiting)")
            }
            Outcome::Failed { server, retried } => write!(
                f,
                "{server} is down and the health checks have not noticed yet, so the request failed{}",
                if *retried { " and was retried" } else { "" }
            ),
            Outcome::Erred { server } => write!(f, "{server} answers it with an error (a scheduled fault)"),
            Outcome::Refused { breaker, limit } => {
                write!(f, "refused at once: the circuit breaker {}={limit} is reached", breaker.name())
            }
        }
    }
}

impl Outcome {
    /// Whether a decision's sentence mentions it: starting or queueing on the chosen server
    /// is what the sentence already says.
    fn worth_saying(&self) -> bool {
        !matches!(self, Outcome::Started | Outcome::Queued)
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(hit @ Outcome::SharedCacheHit { .. }) = &self.outcome {
            // the shared cache answered before the balancer was asked
            return write!(f, "{hit}");
        }
        match &self.chosen {
            Some(c) => write!(f, "{} chose {}: {}", self.algorithm, c.server, c.score)?,
            None => write!(f, "{} found no eligible server", self.algorithm)?,
        }
        if !self.others.is_empty() {
            f.write_str(" (")?;
            for (i, o) in self.others.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{}: {}", o.server, o.score.short())?;
            }
            if self.more > 0 {
                write!(f, ", and {} more", self.more)?;
            }
            f.write_str(")")?;
        }
        let outcome = self.outcome.as_ref().filter(|o| o.worth_saying());
        match (self.retry, outcome) {
            (true, Some(o)) => write!(f, "; a retry; {o}"),
            (true, None) => f.write_str("; a retry"),
            (false, Some(o)) => write!(f, "; {o}"),
            (false, None) => Ok(()),
        }
    }
}

impl Decision {
    /// The decision in a few words, for a label beside the chosen server: where it went and
    /// why in the algorithm's terms (`→ server2: fewest connections`), then what became of
    /// the request when it did not join that server's connections (`; queue full`). A
    /// retry says so first. `None` when no server was chosen.
    pub fn short(&self) -> Option<String> {
        let chosen = self.chosen.as_ref()?;
        let reason = match &chosen.score {
            Score::Turn => "next in turn",
            Score::CurrentWeight { .. } => "highest current weight",
            Score::Uniform { .. } => "at random",
            Score::Weighted { .. } => "at random, by weight",
            Score::Connections { .. } if self.algorithm == Algorithm::PowerOfTwo => "fewest of a random sample",
            Score::Connections { .. } => "fewest connections",
            Score::PerWeight { .. } => "fewest per weight",
            Score::Cost { .. } => "lowest expected cost",
            Score::Ring { .. } => "owns the key on the ring",
            Score::Bounded { connections, bound } if connections < bound => "next on the ring under the bound",
            Score::Bounded { .. } => "next on the ring",
            Score::Slot { .. } => "owns the key's slot",
            Score::Modulo { .. } => "hash(key) mod servers",
            Score::Skipped { reason } => reason.as_str(),
            Score::Fallback { .. } => "not tried yet",
        };
        let after = match &self.outcome {
            Some(Outcome::QueueFull { .. }) => "; queue full",
            Some(Outcome::Failed { retried: true, .. }) => "; failed, retried",
            Some(Outcome::Failed { retried: false, .. }) => "; failed",
            Some(Outcome::ServerCacheHit { .. }) => "; its cache hit",
            Some(Outcome::Erred { .. }) => "; an error",
            Some(Outcome::Refused { .. }) => "; refused",
            _ => "",
        };
        let retry = if self.retry { "retry " } else { "" };
        Some([retry, "→ ", &chosen.server, ": ", reason, after].concat())
    }
}

/// A count of connections in words: `1 connection`, `0 connections`, `3 connections`.
pub fn connections(n: u32) -> String {
    if n == 1 { "1 connection".to_string() } else { format!("{n} connections") }
}

/// A ratio (0 to 1) as a whole percentage: `0.31` is `31%`, the one form of a ratio the page
/// and `lbsim lesson check` show.
pub fn percent(x: f64) -> String {
    format!("{}%", crate::decimal::Fixed(x * 100.0, 0))
}

/// A number with at most `digits` significant digits and no trailing zeros: `0.125`, `1.5`, `2000`.
pub fn number(x: f64, digits: usize) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    if x == 0.0 {
        return "0".to_string();
    }
    let magnitude = x.abs().log10().floor() as i32;
    let decimals = (digits as i32 - 1 - magnitude).max(0) as usize;
    let s = Fixed(x, decimals).to_string();
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

/// Seconds as a human figure, three significant digits at most, trailing zeros dropped:
/// `850 µs`, `12.3 ms`, `100 ms`, `1.5 s`; `0 s` for zero and `–` for no number.
pub fn seconds(s: f64) -> String {
    if !s.is_finite() {
        "–".to_string()
    } else if s == 0.0 {
        "0 s".to_string()
    } else if s < 1e-3 {
        format!("{} µs", Fixed(s * 1e6, 0))
    } else if s < 1.0 {
        format!("{} ms", number(s * 1e3, 3))
    } else {
        format!("{} s", number(s, 3))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::balancer::LISTED;

    #[test]
    fn renders_the_least_connections_sentence() {
        let mut d = Decision::new(Algorithm::LeastConnections);
        d.choose(&"server2".into(), Score::Connections { connections: 0 });
        d.consider(&"server1".into(), Score::Connections { connections: 1 });
        d.consider(&"server3".into(), Score::Connections { connections: 1 });
        assert_eq!(d.to_string(), "least-connections chose server2: 0 connections (server1: 1, server3: 1)");
    }

    #[test]
    fn counts_candidates_beyond_the_listed_ones() {
        let mut d = Decision::new(Algorithm::LeastConnections);
        d.choose(&"s0".into(), Score::Connections { connections: 0 });
        for i in 0..10 {
            d.consider(&format!("s{}", i + 1).into(), Score::Connections { connections: 1 });
        }
        assert_eq!(d.others.len(), LISTED);
        assert!(d.to_string().ends_with(", and 2 more)"), "{d}");
    }

    #[test]
    fn one_connection_is_singular_in_every_score_that_counts_them() {
        assert_eq!(Score::Connections { connections: 1 }.to_string(), "1 connection");
        assert_eq!(Score::Connections { connections: 2 }.to_string(), "2 connections");
        assert_eq!(Score::PerWeight { connections: 1, weight: 2 }.to_string(), "1 connection / weight 2 = 0.50");
        assert_eq!(Score::PerWeight { connections: 0, weight: 2 }.to_string(), "0 connections / weight 2 = 0.00");
        assert_eq!(Score::Bounded { connections: 1, bound: 3 }.to_string(), "1 connection, under the bound of 3");
        assert_eq!(Score::Bounded { connections: 2, bound: 3 }.to_string(), "2 connections, under the bound of 3");
    }

    #[test]
    fn renders_a_rejection() {
        let d = Decision::new(Algorithm::RoundRobin);
        assert_eq!(d.to_string(), "round-robin found no eligible server");
    }

    #[test]
    fn renders_outcomes_and_retries() {
        let mut d = Decision::new(Algorithm::RoundRobin);
        d.choose(&"server1".into(), Score::Turn);
        d.outcome = Some(Outcome::Queued);
        assert_eq!(d.to_string(), "round-robin chose server1: next in turn");
        d.outcome = Some(Outcome::QueueFull { server: "server1".into(), waiting: 2 });
        assert_eq!(
            d.to_string(),
            "round-robin chose server1: next in turn; rejected: server1's queue is full (2 waiting)"
        );
        d.retry = true;
        d.outcome = Some(Outcome::Started);
        assert_eq!(d.to_string(), "round-robin chose server1: next in turn; a retry");
        d.outcome = Some(Outcome::Failed { server: "server1".into(), retried: false });
        assert_eq!(
            d.to_string(),
            "round-robin chose server1: next in turn; a retry; server1 is down and the health checks have not \
             noticed yet, so the request failed"
        );
        let mut hit = Decision::new(Algorithm::RoundRobin);
        hit.outcome = Some(Outcome::SharedCacheHit { key: 7 });
        assert_eq!(hit.to_string(), "key 7 served from the shared cache, no server needed");
    }

    #[test]
    fn says_each_algorithms_reason_in_a_few_words() {
        let decide = |algorithm, score| {
            let mut d = Decision::new(algorithm);
            d.choose(&"server2".into(), score);
            d.outcome = Some(Outcome::Started);
            d.short().expect("a server was chosen")
        };
        let cases = [
            (Algorithm::RoundRobin, Score::Turn, "next in turn"),
            (Algorithm::WeightedRoundRobin, Score::CurrentWeight { current: 3, weight: 2 }, "highest current weight"),
            (Algorithm::Random, Score::Uniform { among: 3 }, "at random"),
            (Algorithm::WeightedRandom, Score::Weighted { weight: 2, total: 5 }, "at random, by weight"),
            (Algorithm::LeastConnections, Score::Connections { connections: 0 }, "fewest connections"),
            (Algorithm::WeightedLeastConnections, Score::PerWeight { connections: 1, weight: 2 }, "fewest per weight"),
            (Algorithm::PowerOfTwo, Score::Connections { connections: 0 }, "fewest of a random sample"),
            (Algorithm::PeakEwma, Score::Cost { rtt_s: 0.1, connections: 0 }, "lowest expected cost"),
            (Algorithm::ConsistentHash, Score::Ring { key: 7, point: 9 }, "owns the key on the ring"),
            (Algorithm::BoundedLoad, Score::Bounded { connections: 1, bound: 2 }, "next on the ring under the bound"),
            // no server under the bound (the engine's fallback): only the ring's order holds
            (Algorithm::BoundedLoad, Score::Bounded { connections: 2, bound: 2 }, "next on the ring"),
            (Algorithm::Maglev, Score::Slot { key: 7, slot: 12, size: 13 }, "owns the key's slot"),
            (Algorithm::HashMod, Score::Modulo { key: 7, index: 1, n: 3 }, "hash(key) mod servers"),
        ];
        for (algorithm, score, reason) in cases {
            assert_eq!(decide(algorithm, score), format!("→ server2: {reason}"), "{algorithm}");
        }
    }

    #[test]
    fn every_algorithms_real_decisions_have_short_words() {
        for algo in Algorithm::ALL {
            let scenario = crate::Scenario { algo, servers: 3, ..crate::Scenario::default() };
            let mut engine = crate::Engine::new(scenario).expect("a valid scenario");
            for d in engine.fire(6) {
                let words = d.short().expect("a server is chosen");
                let server = d.chosen_name().expect("a server is chosen");
                let reason = words.strip_prefix(&format!("→ {server}: ")).unwrap_or_else(|| panic!("{algo}: {words}"));
                assert!(reason.chars().count() <= 32, "{algo}: a few words, not a sentence: {words}");
            }
        }
    }

    #[test]
    fn short_words_say_when_the_request_did_not_join_the_server() {
        let mut d = Decision::new(Algorithm::RoundRobin);
        d.choose(&"server1".into(), Score::Turn);
        d.outcome = Some(Outcome::QueueFull { server: "server1".into(), waiting: 2 });
        assert_eq!(d.short().as_deref(), Some("→ server1: next in turn; queue full"));
        d.outcome = Some(Outcome::Failed { server: "server1".into(), retried: true });
        assert_eq!(d.short().as_deref(), Some("→ server1: next in turn; failed, retried"));
        d.outcome = Some(Outcome::ServerCacheHit { key: 3, server: "server1".into() });
        assert_eq!(d.short().as_deref(), Some("→ server1: next in turn; its cache hit"));
        d.retry = true;
        d.choose(&"server2".into(), Score::Fallback { tried: "server1".into() });
        d.outcome = Some(Outcome::Queued);
        assert_eq!(d.short().as_deref(), Some("retry → server2: not tried yet"));
        assert_eq!(Decision::new(Algorithm::RoundRobin).short(), None, "no server chosen");
    }

    #[test]
    fn seconds_to_three_significant_digits() {
        assert_eq!(seconds(0.1), "100 ms");
        assert_eq!(seconds(0.0123), "12.3 ms");
        assert_eq!(seconds(1.5), "1.5 s");
        assert_eq!(seconds(2.25), "2.25 s");
        assert_eq!(seconds(0.000_85), "850 µs");
        assert_eq!(seconds(0.0), "0 s");
        assert_eq!(seconds(f64::NAN), "–");
    }

    #[test]
    fn a_timeout_and_a_backoff_are_told_in_the_log_in_words() {
        // one server, one request of 1 s of work, a client that waits 0.4 s and retries once
        // after a constant backoff of 0.25 s: it times out at 0.4 s, backs off, is sent again at
        // 0.65 s and times out at 1.05 s
        use crate::scenario::{Arrivals, Backoff, CostDist};
        use crate::time::{from_secs, to_secs};
        use crate::{Engine, Scenario};
        for cancel in [false, true] {
            let scenario = Scenario {
                servers: 1,
                arrivals: Arrivals::Off,
                dist: CostDist::Const,
                cost: 1.0,
                timeout: Some(0.4),
                retries: 1,
                backoff: Backoff::Constant,
                backoff_base: 0.25,
                cancel,
                ..Scenario::default()
            };
            let mut e = Engine::new(scenario).expect("valid");
            e.keep_decisions(10);
            e.fire(1);
            e.run_until(from_secs(2.0));
            let told: Vec<(f64, String)> = e.notices().iter().map(|n| (to_secs(n.at), n.to_string())).collect();
            let then = if cancel { "cancelled there" } else { "the server still works on it, for nobody" };
            assert_eq!(
                told,
                [
                    (0.4, format!("Request 0 timed out on server1: its client stopped waiting; {then}")),
                    (0.4, "Request 0 backs off 250 ms before its retry (its last attempt was on server1)".into()),
                    (1.05, format!("Request 0 timed out on server1: its client stopped waiting; {then}")),
                ]
            );
        }
    }

    #[test]
    fn a_hedge_and_a_scheduled_fault_are_told_in_the_log_in_words() {
        // two servers, a request of 1 s of work on each of two fires, hedged after 0.3 s:
        // server1 slows to x0.5 from 0.1 s to 0.2 s and server2 fails half its attempts from
        // 0.5 s to 3 s; the first request (on server1) gets its copy at 0.3 s
        use crate::scenario::{Arrivals, CostDist, HedgeAfter};
        use crate::time::{from_secs, to_secs};
        use crate::{Engine, Scenario};
        let mut scenario = Scenario {
            servers: 2,
            workers: 2,
            arrivals: Arrivals::Off,
            dist: CostDist::Const,
            cost: 1.0,
            hedge_after: Some(HedgeAfter::Seconds(0.3)),
            ..Scenario::default()
        };
        scenario.set("faults", "server1:slow=0.5@0.1-0.2,server2:errors=0.5@0.5-3").expect("a schedule");
        let mut e = Engine::new(scenario).expect("valid");
        e.keep_decisions(10);
        e.fire(1);
        e.run_until(from_secs(1.0));
        let told: Vec<(f64, String)> = e.notices().iter().map(|n| (to_secs(n.at), n.to_string())).collect();
        assert_eq!(
            told,
            [
                (0.1, "A scheduled fault: server1 works at x0.50 from now".to_string()),
                (0.2, "A scheduled fault: server1 works at x0.50 no more: that fault is over".into()),
                (
                    0.3,
                    "Request 0 is still unanswered on server1: a copy goes to another server, the first answer wins"
                        .into()
                ),
                (0.5, "A scheduled fault: server2 fails 50% of its attempts from now".into()),
            ]
        );
    }
}
