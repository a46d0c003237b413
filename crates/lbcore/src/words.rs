//! The words the front ends show for the engine's data: a [`Decision`] as one sentence
//! (`least-connections chose server2: 0 connections (server1: 1, server3: 1)`), its
//! [`Score`]s and [`Outcome`], and seconds as a human figure. The engine produces data and
//! never calls this module; lbsim's traces and the web app's decision log and explanations
//! render with it, so both say the same thing in the same words. [`Decision::short`] is
//! the same decision in a few words, for the web app's chart beside the chosen server.

use std::fmt;

use crate::Algorithm;
use crate::balancer::{Decision, Outcome, Score};
use crate::decimal::Fixed;

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
            Score::Connections { connections: 1 } => f.write_str("1 connection"),
            Score::Connections { connections } => write!(f, "{connections} connections"),
            Score::PerWeight { connections, weight } => {
                write!(
                    f,
                    "{connections} connections / weight {weight} = {}",
                    Fixed(*connections as f64 / *weight as f64, 2)
                )
            }
            Score::Cost { rtt_s, connections } => write!(
                f,
                "cost {} = response time {} x ({connections} + 1)",
                seconds(rtt_s * (*connections as f64 + 1.0)),
                seconds(*rtt_s)
            ),
            Score::Ring { key, point } => write!(f, "key {key} lands on the ring at {:08x}, owned here", point >> 32),
            Score::Bounded { connections, bound } => write!(f, "{connections} connections, under the bound of {bound}"),
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
    /// retry says so first. Without a server: `no server can take it` or `shared cache hit`.
    pub fn short(&self) -> String {
        let Some(chosen) = &self.chosen else {
            return match self.outcome {
                Some(Outcome::SharedCacheHit { .. }) => "shared cache hit".to_string(),
                _ => "no server can take it".to_string(),
            };
        };
        let reason = match &chosen.score {
            Score::Turn => "next in turn".to_string(),
            Score::CurrentWeight { .. } => "highest current weight".to_string(),
            Score::Uniform { among } => format!("at random, 1 in {among}"),
            Score::Weighted { weight, total } => format!("at random, chance {weight}/{total}"),
            Score::Connections { .. } if self.algorithm == Algorithm::PowerOfTwo => {
                match 1 + self.others.len() + self.more {
                    1 => "the one sampled at random".to_string(),
                    sampled => format!("fewest connections of {sampled} sampled"),
                }
            }
            Score::Connections { .. } => "fewest connections".to_string(),
            Score::PerWeight { .. } => "fewest connections per weight".to_string(),
            Score::Cost { .. } => "lowest expected cost".to_string(),
            Score::Ring { .. } => "owns the key on the ring".to_string(),
            Score::Bounded { connections, bound } if connections < bound => {
                format!("first on the ring under bound {bound}")
            }
            Score::Bounded { .. } => "first on the ring, all at the bound".to_string(),
            Score::Slot { slot, .. } => format!("owns the key's slot {slot}"),
            Score::Modulo { index, n, .. } => format!("hash mod {n} = {index}"),
            Score::Skipped { reason } => reason.clone(),
            Score::Fallback { tried } => format!("{tried} already tried"),
        };
        let after = match &self.outcome {
            Some(Outcome::QueueFull { .. }) => "; queue full",
            Some(Outcome::Failed { retried: true, .. }) => "; down, retried",
            Some(Outcome::Failed { retried: false, .. }) => "; down, failed",
            Some(Outcome::ServerCacheHit { .. }) => "; its cache hit",
            _ => "",
        };
        let retry = if self.retry { "retry " } else { "" };
        format!("{retry}→ {}: {reason}{after}", chosen.server)
    }
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
        let decide = |algorithm, score, others: &[&str]| {
            let mut d = Decision::new(algorithm);
            d.choose(&"server2".into(), score);
            for o in others {
                d.consider(&(*o).into(), Score::Connections { connections: 1 });
            }
            d.outcome = Some(Outcome::Started);
            d.short()
        };
        let cases = [
            (Algorithm::RoundRobin, Score::Turn, "→ server2: next in turn"),
            (
                Algorithm::WeightedRoundRobin,
                Score::CurrentWeight { current: 3, weight: 2 },
                "→ server2: highest current weight",
            ),
            (Algorithm::Random, Score::Uniform { among: 3 }, "→ server2: at random, 1 in 3"),
            (Algorithm::WeightedRandom, Score::Weighted { weight: 2, total: 5 }, "→ server2: at random, chance 2/5"),
            (Algorithm::LeastConnections, Score::Connections { connections: 0 }, "→ server2: fewest connections"),
            (
                Algorithm::WeightedLeastConnections,
                Score::PerWeight { connections: 1, weight: 2 },
                "→ server2: fewest connections per weight",
            ),
            (Algorithm::PeakEwma, Score::Cost { rtt_s: 0.1, connections: 0 }, "→ server2: lowest expected cost"),
            (Algorithm::ConsistentHash, Score::Ring { key: 7, point: 9 }, "→ server2: owns the key on the ring"),
            (
                Algorithm::BoundedLoad,
                Score::Bounded { connections: 1, bound: 2 },
                "→ server2: first on the ring under bound 2",
            ),
            (
                Algorithm::BoundedLoad,
                Score::Bounded { connections: 2, bound: 2 },
                "→ server2: first on the ring, all at the bound",
            ),
            (Algorithm::Maglev, Score::Slot { key: 7, slot: 12, size: 13 }, "→ server2: owns the key's slot 12"),
            (Algorithm::HashMod, Score::Modulo { key: 7, index: 1, n: 3 }, "→ server2: hash mod 3 = 1"),
        ];
        for (algorithm, score, words) in cases {
            assert_eq!(decide(algorithm, score, &[]), words, "{algorithm}");
        }
        // Power of two: the sample is the chosen server and those it beat.
        let p2c = |others: &[&str]| decide(Algorithm::PowerOfTwo, Score::Connections { connections: 0 }, others);
        assert_eq!(p2c(&["server1"]), "→ server2: fewest connections of 2 sampled");
        assert_eq!(p2c(&["server1", "server3"]), "→ server2: fewest connections of 3 sampled");
        assert_eq!(p2c(&[]), "→ server2: the one sampled at random");
    }

    #[test]
    fn every_algorithms_real_decisions_have_short_words() {
        for algo in Algorithm::ALL {
            let scenario = crate::Scenario { algo, servers: 3, ..crate::Scenario::default() };
            let mut engine = crate::Engine::new(scenario).expect("a valid scenario");
            for d in engine.fire(6) {
                let words = d.short();
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
        assert_eq!(d.short(), "→ server1: next in turn; queue full");
        d.outcome = Some(Outcome::Failed { server: "server1".into(), retried: true });
        assert_eq!(d.short(), "→ server1: next in turn; down, retried");
        d.outcome = Some(Outcome::ServerCacheHit { key: 3, server: "server1".into() });
        assert_eq!(d.short(), "→ server1: next in turn; its cache hit");
        d.retry = true;
        d.choose(&"server2".into(), Score::Fallback { tried: "server1".into() });
        d.outcome = Some(Outcome::Queued);
        assert_eq!(d.short(), "retry → server2: server1 already tried");
        assert_eq!(Decision::new(Algorithm::RoundRobin).short(), "no server can take it");
        let mut hit = Decision::new(Algorithm::RoundRobin);
        hit.outcome = Some(Outcome::SharedCacheHit { key: 7 });
        assert_eq!(hit.short(), "shared cache hit");
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
}
