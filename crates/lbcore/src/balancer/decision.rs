//! Why a balancer chose what it chose: the candidates it looked at, each with its score,
//! rendered as one sentence such as
//! `least-connections chose server2: 0 connections (server1: 1, server3: 1)`.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use super::Algorithm;

/// How many other candidates a decision lists by name; the rest are counted.
pub const LISTED: usize = 8;

/// A candidate's score, in the algorithm's own terms.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Score {
    /// Round robin: the server whose turn it was.
    Turn,
    /// Smooth weighted round robin: the current weight after this round's increase.
    CurrentWeight { current: i64, weight: u32 },
    /// Random: one of `among` eligible servers, equally likely.
    Uniform { among: usize },
    /// Weighted random: chance `weight / total`.
    Weighted { weight: u32, total: u64 },
    /// Connections held.
    Connections { connections: u32 },
    /// Connections per unit of weight.
    PerWeight { connections: u32, weight: u32 },
    /// Peak EWMA: expected response time `rtt_s` x (connections + 1).
    Cost { rtt_s: f64, connections: u32 },
    /// Ring hashes: the key's point on the ring and the vnode point that owns it.
    Ring { key: u64, point: u64 },
    /// Bounded load: connections held against the bound.
    Bounded { connections: u32, bound: u32 },
    /// Maglev: the lookup-table slot the key hashes to.
    Slot { key: u64, slot: u32, size: u32 },
    /// hash-mod: hash(key) mod n = index.
    Modulo { key: u64, index: u32, n: u32 },
    /// Looked at but passed over, with the reason (`down`, `draining`, `above bound 4`).
    Skipped { reason: String },
}

impl Score {
    /// The short form used for the other candidates in a sentence.
    pub fn short(&self) -> String {
        match self {
            Score::Connections { connections } => connections.to_string(),
            Score::PerWeight { connections, weight } => format!("{connections}/{weight}"),
            Score::Cost { rtt_s, connections } => format_seconds(rtt_s * (*connections as f64 + 1.0)),
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
                write!(f, "{connections} connections / weight {weight} = {:.2}", *connections as f64 / *weight as f64)
            }
            Score::Cost { rtt_s, connections } => write!(
                f,
                "cost {} = response time {} x ({connections} + 1)",
                format_seconds(rtt_s * (*connections as f64 + 1.0)),
                format_seconds(*rtt_s)
            ),
            Score::Ring { key, point } => write!(f, "key {key} lands on the ring at {:08x}, owned here", point >> 32),
            Score::Bounded { connections, bound } => write!(f, "{connections} connections, under the bound of {bound}"),
            Score::Slot { key, slot, size } => write!(f, "key {key} maps to slot {slot} of {size}"),
            Score::Modulo { key, index, n } => write!(f, "hash(key {key}) mod {n} = {index}"),
            Score::Skipped { reason } => write!(f, "skipped, {reason}"),
        }
    }
}

/// One server the balancer considered.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Candidate {
    /// The server's name.
    pub server: Arc<str>,
    /// Its score.
    pub score: Score,
}

/// Why a request went where it went (or nowhere).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Decision {
    /// The algorithm that decided.
    pub algorithm: Algorithm,
    /// The chosen server, `None` when the request was rejected for want of one.
    pub chosen: Option<Candidate>,
    /// Others it considered, at most [`LISTED`].
    pub others: Vec<Candidate>,
    /// Others considered beyond those listed.
    pub more: usize,
    /// Set by the engine: what happened to the request after the pick, if not the usual.
    pub outcome: Option<String>,
}

impl Decision {
    /// An empty decision for `algorithm`, for a balancer to fill.
    pub fn new(algorithm: Algorithm) -> Self {
        Decision { algorithm, chosen: None, others: Vec::new(), more: 0, outcome: None }
    }

    /// Records the chosen server.
    pub fn choose(&mut self, server: &Arc<str>, score: Score) {
        self.chosen = Some(Candidate { server: server.clone(), score });
    }

    /// Records another candidate (listed while fewer than [`LISTED`], counted after).
    pub fn consider(&mut self, server: &Arc<str>, score: Score) {
        if self.others.len() < LISTED {
            self.others.push(Candidate { server: server.clone(), score });
        } else {
            self.more += 1;
        }
    }

    /// The chosen server's name.
    pub fn chosen_name(&self) -> Option<&str> {
        self.chosen.as_ref().map(|c| &*c.server)
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
        if let Some(outcome) = &self.outcome {
            write!(f, "; {outcome}")?;
        }
        Ok(())
    }
}

/// Seconds as a human figure: `850 µs`, `12.3 ms`, `1.50 s`.
pub fn format_seconds(s: f64) -> String {
    if s < 1e-3 {
        format!("{:.0} µs", s * 1e6)
    } else if s < 1.0 {
        format!("{:.1} ms", s * 1e3)
    } else {
        format!("{s:.2} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
