//! Why a balancer chose what it chose, as data: the candidates it looked at, each with its
//! score, and what then happened to the request ([`Outcome`]). The front ends turn it into
//! words with [`crate::words`], such as
//! `least-connections chose server2: 0 connections (server1: 1, server3: 1)`.

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
    /// A retry's fallback: the algorithm picked `tried`, which the request had already
    /// tried, so it went to the next eligible server after it.
    Fallback { tried: Arc<str> },
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
    /// Set by the engine: what happened to the request after the pick (`None` until then).
    pub outcome: Option<Outcome>,
    /// Set by the engine: the pick was for a retry of a request that failed.
    pub retry: bool,
}

/// What happened to a request once routed (or instead of routing it).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Outcome {
    /// It started on a free worker of the chosen server.
    Started,
    /// It waits in the chosen server's queue.
    Queued,
    /// The shared cache served it: no server, and no balancer, was needed.
    SharedCacheHit { key: u64 },
    /// The chosen server's cache served it.
    ServerCacheHit { key: u64, server: Arc<str> },
    /// Rejected: no server was eligible.
    NoServer,
    /// Rejected: the chosen server's queue was full with `waiting` requests.
    QueueFull { server: Arc<str>, waiting: usize },
    /// It failed on the chosen server, down before the health checks noticed; `retried`
    /// says whether it was sent on to another server.
    Failed { server: Arc<str>, retried: bool },
    /// A scheduled `errors` fault on the chosen server fails it, after `error-latency`.
    Erred { server: Arc<str> },
    /// Refused at once by the pool's circuit `breaker`, at its `limit`.
    Refused { breaker: crate::engine::Breaker, limit: u32 },
}

impl Decision {
    /// An empty decision for `algorithm`, for a balancer to fill.
    pub fn new(algorithm: Algorithm) -> Self {
        Decision { algorithm, chosen: None, others: Vec::new(), more: 0, outcome: None, retry: false }
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
