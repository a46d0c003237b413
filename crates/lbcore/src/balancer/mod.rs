//! Balancing algorithms: the [`Balancer`] trait, the [`Algorithm`] ids used everywhere (URL,
//! CLI, JSON), and the [`Decision`] that says why a server was chosen.
//!
//! Most algorithms are *which candidates* x *which load measure*:
//!
//! | algorithm | candidates | load measure |
//! |---|---|---|
//! | `least-connections` | every eligible server | connections |
//! | `weighted-least-connections` | every eligible server | connections / weight |
//! | `power-of-two` | `d` sampled servers | connections |
//! | `peak-ewma` | every eligible server | peak EWMA of response time x (connections + 1) |
//!
//! The rest are different in kind and stand as themselves: round robin, nginx's smooth
//! weighted round robin, random and weighted random, and the hashes (ring, Maglev,
//! bounded-load ring, hash-mod). One file each.
//!
//! Which servers take part is settled once, outside the algorithms, as Envoy's
//! `LoadBalancerBase` and tower's ready cache do: the engine keeps the [`Eligible`] set (up
//! as far as the health checks know, weight above 0, not draining, not being removed) and
//! hands it to the balancer with the pool. A balancer only picks among eligible servers:
//! it returns an index into the pool, or `None` when none is eligible. It is told when the
//! pool changes (membership, health, weights), when a server's connections change, and
//! when a request completes (latency feedback).

mod bounded_load;
mod consistent_hash;
#[cfg(feature = "large-pools")]
mod cost_tree;
mod decision;
mod hash_mod;
#[cfg(feature = "large-pools")]
mod kinetic;
mod least_loaded;
mod maglev;
mod peak_ewma;
mod power_of_choices;
mod random;
#[doc(hidden)]
pub mod reference;
mod round_robin;
mod weighted_random;
#[cfg(feature = "large-pools")]
mod weighted_round_robin;

pub use decision::{Candidate, Decision, LISTED, Outcome, Score};

use serde::{Deserialize, Serialize};

use crate::rng::SimRng;
use crate::server::{Server, ServerId};
use crate::time::Nanos;

/// What a balancer is told about the request it routes.
#[derive(Clone, Copy, Debug)]
pub struct RequestInfo {
    /// The request's key, for the hash-based algorithms.
    pub key: u64,
    /// Simulated time now.
    pub now: Nanos,
}

/// A load-balancing algorithm.
pub trait Balancer: Send {
    /// Chooses a server for `request` among the `eligible` ones: an index into `servers`,
    /// which is `None` only when no server is eligible. When `why` is given, fills it with
    /// the reasons.
    fn pick(
        &mut self,
        servers: &[Server],
        eligible: &Eligible,
        request: RequestInfo,
        rng: &mut SimRng,
        why: Option<&mut Decision>,
    ) -> Option<usize>;

    /// The pool changed: a server was added or removed, or its health, eligibility or
    /// weight changed; `eligible` is the new eligible set. Indices from before may now
    /// point elsewhere.
    fn pool_changed(&mut self, servers: &[Server], eligible: &Eligible);

    /// `servers[index]`'s connections changed (a request arrived, started, ended or failed).
    fn connections_changed(&mut self, _servers: &[Server], _index: usize) {}

    /// An attempt on `servers[index]` was answered (an error is an answer) `response`
    /// nanoseconds after it was sent to it.
    fn observe(&mut self, _index: usize, _response: Nanos, _now: Nanos) {}

    #[cfg(feature = "lazy-departures")]
    /// Which servers' connections a pick reads: what an engine that brings a server's
    /// connections up to date only when they are read must bring up to date first.
    fn reads(&self) -> Reads {
        Reads::All
    }

    #[cfg(feature = "lazy-departures")]
    /// With [`Reads::Drawn`]: draws from `rng`, as the next pick would, the servers that pick
    /// will read (positions in the pool, [`NONE_DRAWN`] for none), and keeps them for it.
    fn draw(&mut self, _servers: &[Server], _eligible: &Eligible, _rng: &mut SimRng) -> [u32; 2] {
        [NONE_DRAWN; 2]
    }
}

/// In what [`Balancer::draw`] returns, no server.
pub const NONE_DRAWN: u32 = u32::MAX;

/// Which servers' connections a pick reads ([`Balancer::reads`]).
#[cfg(feature = "lazy-departures")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reads {
    /// None: only the chosen server is read afterwards (by the engine, to place the request).
    Chosen,
    /// The servers [`Balancer::draw`] draws before the pick.
    Drawn,
    /// Any of them.
    All,
}

/// Every algorithm, by the id used in URLs, on the command line and in JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Algorithm {
    /// Next server in order, wrapping.
    RoundRobin,
    /// nginx's smooth weighted round robin.
    WeightedRoundRobin,
    /// Uniform over eligible servers.
    Random,
    /// Probability proportional to weight.
    WeightedRandom,
    /// Fewest connections; ties to the first in server order.
    LeastConnections,
    /// Fewest connections per unit of weight; ties to the heavier, then the first.
    WeightedLeastConnections,
    /// Sample `choices` distinct servers, take the one with fewest connections.
    PowerOfTwo,
    /// Lowest peak-sensitive EWMA of response time x (connections + 1).
    PeakEwma,
    /// Ring with virtual nodes, keyed by the request key.
    ConsistentHash,
    /// Maglev lookup table, keyed by the request key.
    Maglev,
    /// Consistent hashing with bounded loads.
    BoundedLoad,
    /// hash(key) mod number of eligible servers.
    HashMod,
}

impl Algorithm {
    /// Every algorithm, in the order the UI lists them.
    pub const ALL: [Algorithm; 12] = [
        Algorithm::RoundRobin,
        Algorithm::WeightedRoundRobin,
        Algorithm::Random,
        Algorithm::WeightedRandom,
        Algorithm::LeastConnections,
        Algorithm::WeightedLeastConnections,
        Algorithm::PowerOfTwo,
        Algorithm::PeakEwma,
        Algorithm::ConsistentHash,
        Algorithm::Maglev,
        Algorithm::BoundedLoad,
        Algorithm::HashMod,
    ];

    /// The id: `round-robin`, `least-connections`, ...
    pub fn id(self) -> &'static str {
        match self {
            Algorithm::RoundRobin => "round-robin",
            Algorithm::WeightedRoundRobin => "weighted-round-robin",
            Algorithm::Random => "random",
            Algorithm::WeightedRandom => "weighted-random",
            Algorithm::LeastConnections => "least-connections",
            Algorithm::WeightedLeastConnections => "weighted-least-connections",
            Algorithm::PowerOfTwo => "power-of-two",
            Algorithm::PeakEwma => "peak-ewma",
            Algorithm::ConsistentHash => "consistent-hash",
            Algorithm::Maglev => "maglev",
            Algorithm::BoundedLoad => "bounded-load",
            Algorithm::HashMod => "hash-mod",
        }
    }

    /// The algorithm with this id.
    pub fn from_id(id: &str) -> Option<Algorithm> {
        Algorithm::ALL.into_iter().find(|a| a.id() == id)
    }

    /// One line on what it does, for pickers and help text.
    pub fn describe(self) -> &'static str {
        match self {
            Algorithm::RoundRobin => "Each server in turn, wrapping around; blind to load.",
            Algorithm::WeightedRoundRobin => {
                "nginx's smooth weighted round robin: turns in proportion to weight, spread out."
            }
            Algorithm::Random => "A server chosen uniformly at random.",
            Algorithm::WeightedRandom => "A server chosen at random with probability proportional to its weight.",
            Algorithm::LeastConnections => "The server holding the fewest connections; ties go to the first.",
            Algorithm::WeightedLeastConnections => {
                "The fewest connections per unit of weight; ties go to the heavier server, then the first."
            }
            Algorithm::PowerOfTwo => "Sample two servers (or d) at random and take the less loaded.",
            Algorithm::PeakEwma => {
                "Lowest expected wait: a peak-sensitive moving average of response time x (connections + 1)."
            }
            Algorithm::ConsistentHash => {
                "A hash ring with virtual nodes: a key stays on its server when others come and go."
            }
            Algorithm::Maglev => "Google's Maglev lookup table: even spread and little movement when servers change.",
            Algorithm::BoundedLoad => "Consistent hashing that skips servers loaded above load factor x the average.",
            Algorithm::HashMod => "hash(key) mod N: simple, but most keys move when N changes.",
        }
    }

    /// Whether the algorithm routes by the request key (the hashes): the one answer the
    /// key-space view and the hashing view both ask.
    pub fn uses_key(self) -> bool {
        matches!(self, Algorithm::ConsistentHash | Algorithm::Maglev | Algorithm::BoundedLoad | Algorithm::HashMod)
    }

    /// The names of the parameters it takes (scenario fields).
    pub fn params(self) -> &'static [&'static str] {
        match self {
            Algorithm::PowerOfTwo => &["choices"],
            Algorithm::PeakEwma => &["decay"],
            Algorithm::ConsistentHash => &["vnodes"],
            Algorithm::Maglev => &["table-size"],
            Algorithm::BoundedLoad => &["vnodes", "load-factor"],
            _ => &[],
        }
    }
}

impl std::fmt::Display for Algorithm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// The algorithms' parameters, as the scenario carries them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Params {
    /// power-of-two: servers sampled per pick (d).
    pub choices: u32,
    /// consistent-hash, bounded-load: virtual nodes per server (per unit of weight).
    pub vnodes: u32,
    /// peak-ewma: decay time constant in seconds.
    pub decay_s: f64,
    /// peak-ewma: response time assumed for a server with no observation yet, in seconds.
    pub default_rtt_s: f64,
    /// bounded-load: a server may hold at most this factor x the average load.
    pub load_factor: f64,
    /// maglev: lookup table size, a prime.
    pub table_size: u32,
}

impl Params {
    /// Only the parameters `algorithm` reads, the others at 0: two sets that differ only in
    /// parameters the algorithm ignores compare equal (peak EWMA reads the request cost as
    /// its default response time; round robin reads nothing).
    pub fn read_by(self, algorithm: Algorithm) -> Params {
        let none = Params { choices: 0, vnodes: 0, decay_s: 0.0, default_rtt_s: 0.0, load_factor: 0.0, table_size: 0 };
        match algorithm {
            Algorithm::PowerOfTwo => Params { choices: self.choices, ..none },
            Algorithm::PeakEwma => Params { decay_s: self.decay_s, default_rtt_s: self.default_rtt_s, ..none },
            Algorithm::ConsistentHash => Params { vnodes: self.vnodes, ..none },
            Algorithm::Maglev => Params { table_size: self.table_size, ..none },
            Algorithm::BoundedLoad => Params { vnodes: self.vnodes, load_factor: self.load_factor, ..none },
            _ => none,
        }
    }
}

/// Builds the balancer for `algorithm` over `servers`.
pub fn build(algorithm: Algorithm, params: &Params, servers: &[Server]) -> Box<dyn Balancer> {
    let mut balancer: Box<dyn Balancer> = match algorithm {
        Algorithm::RoundRobin => Box::new(round_robin::RoundRobin::default()),
        // Without the trees (the web app, at most 64 servers) both scan: the same picks.
        #[cfg(feature = "large-pools")]
        Algorithm::WeightedRoundRobin => Box::new(weighted_round_robin::SmoothWeighted::default()),
        #[cfg(not(feature = "large-pools"))]
        Algorithm::WeightedRoundRobin => Box::new(reference::SmoothWeightedScan::default()),
        Algorithm::Random => Box::new(random::Random),
        Algorithm::WeightedRandom => Box::new(weighted_random::WeightedRandom::default()),
        Algorithm::LeastConnections => Box::new(least_loaded::LeastLoaded::connections()),
        Algorithm::WeightedLeastConnections => Box::new(least_loaded::LeastLoaded::per_weight()),
        Algorithm::PowerOfTwo => Box::new(power_of_choices::PowerOfChoices::new(params.choices)),
        #[cfg(feature = "large-pools")]
        Algorithm::PeakEwma => Box::new(peak_ewma::PeakEwma::new(params.decay_s, params.default_rtt_s)),
        #[cfg(not(feature = "large-pools"))]
        Algorithm::PeakEwma => Box::new(reference::PeakEwmaScan::new(params.decay_s, params.default_rtt_s)),
        Algorithm::ConsistentHash => Box::new(consistent_hash::ConsistentHash::new(params.vnodes)),
        Algorithm::Maglev => Box::new(maglev::Maglev::new(params.table_size)),
        Algorithm::BoundedLoad => Box::new(bounded_load::BoundedLoad::new(params.vnodes, params.load_factor)),
        Algorithm::HashMod => Box::new(hash_mod::HashMod),
    };
    balancer.pool_changed(servers, &Eligible::of(servers));
    balancer
}

/// The servers that may take new requests: their positions in server order, and a mask for
/// asking about one. Settled once per pool change, where [`Server::eligible`] is the only
/// place that says what eligible means.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Eligible {
    positions: Vec<u32>,
    mask: Vec<bool>,
}

impl Eligible {
    /// The eligible servers of `servers`.
    pub fn of(servers: &[Server]) -> Eligible {
        let mut e = Eligible::default();
        e.update(servers);
        e
    }

    /// Settles the set again for `servers`, reusing the memory.
    pub fn update(&mut self, servers: &[Server]) {
        self.mask.clear();
        self.mask.extend(servers.iter().map(Server::eligible));
        self.positions.clear();
        self.positions.extend(self.mask.iter().enumerate().filter(|(_, e)| **e).map(|(i, _)| i as u32));
    }

    /// Whether `servers[i]` is eligible.
    #[inline]
    pub fn contains(&self, i: usize) -> bool {
        self.mask.get(i).copied().unwrap_or(false)
    }

    /// Positions of the eligible servers, in server order.
    #[inline]
    pub fn positions(&self) -> &[u32] {
        &self.positions
    }

    /// How many servers are eligible.
    #[inline]
    pub fn len(&self) -> usize {
        self.positions.len()
    }

    /// Whether no server is eligible.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    /// The order a request tries servers in, as pingora's `BackendIter` yields fallbacks:
    /// `first` (the balancer's pick), then the other eligible servers after it in server
    /// order, wrapping round. A retry takes the first of these it has not tried.
    pub fn fallbacks(&self, first: usize) -> impl Iterator<Item = usize> + '_ {
        let after = self.positions.partition_point(|&p| p as usize <= first);
        let (before, rest) = self.positions.split_at(after);
        std::iter::once(first).chain(rest.iter().chain(before).map(|&p| p as usize).filter(move |&p| p != first))
    }
}

/// Why a server may not take new requests, in the words a [`Score::Skipped`] uses.
pub(crate) fn ineligible_reason(server: &Server) -> &'static str {
    if server.removing {
        "being removed"
    } else if server.seen_down {
        "down"
    } else if server.health == crate::server::Health::Draining {
        "draining"
    } else if server.weight == 0 {
        "weight 0"
    } else {
        "eligible"
    }
}

/// Per-server state carried across a pool change by [`ServerId`]: `old[k]` belonged to
/// `old_ids[k]`; the result is aligned with `servers`, with `fresh` for servers not seen
/// before. Deterministic: no hash-map iteration.
pub(crate) fn carry_over<T: Copy>(old_ids: &[ServerId], old: &[T], servers: &[Server], fresh: T) -> Vec<T> {
    if old_ids.len() == servers.len() && old_ids.iter().zip(servers).all(|(id, s)| *id == s.id) {
        return old.to_vec();
    }
    // Sort the ids with their positions, not the values: one sort for every `T` (each
    // instance of a generic sort is another 2 KB of the web app's wasm), and of the type the
    // ring sorts its points as, `(u64, u32)`, so that the wasm holds that one sort only.
    let mut by_id: Vec<(u64, u32)> = old_ids.iter().map(|id| u64::from(id.0)).zip(0..).collect();
    by_id.sort_unstable();
    servers
        .iter()
        .map(|s| match by_id.binary_search_by_key(&u64::from(s.id.0), |&(id, _)| id) {
            Ok(k) => old[by_id[k].1 as usize],
            Err(_) => fresh,
        })
        .collect()
}

/// Hashes a request key or a label to 64 bits, the same on every platform.
#[inline]
pub fn hash_key(key: u64) -> u64 {
    xxhash_rust::xxh3::xxh3_64(&key.to_le_bytes())
}

/// Hashes a string (a server name with a suffix) to 64 bits, the same on every platform.
#[inline]
pub fn hash_str(label: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(label.as_bytes())
}

#[doc(hidden)]
pub mod testing {
    //! Helpers for the algorithms' unit tests and the benchmarks: a pool of servers,
    //! connections held and released, and a routing loop. Not part of the API.

    use std::sync::Arc;

    use super::*;
    use crate::engine::Attempt;
    use crate::server::ServerId;

    /// `n` servers named server1..n with the given weights (1 when the slice is short).
    pub fn pool(n: usize, weights: &[u32]) -> Vec<Server> {
        (0..n)
            .map(|i| {
                let name: Arc<str> = format!("server{}", i + 1).into();
                Server::new(ServerId(i as u32), name, weights.get(i).copied().unwrap_or(1), 1.0, 1, u32::MAX, 0)
            })
            .collect()
    }

    /// Pool with the given names and weights.
    pub fn named_pool(names: &[&str], weights: &[u32]) -> Vec<Server> {
        let mut servers = pool(names.len(), weights);
        for (s, n) in servers.iter_mut().zip(names) {
            s.name = (*n).into();
        }
        servers
    }

    /// A server with the given id and name, weight 1, for growing a pool.
    pub fn server(id: u32, name: &str) -> Server {
        Server::new(ServerId(id), name.into(), 1, 1.0, 1, u32::MAX, 0)
    }

    /// Marks `servers[i]` as seen down by the health check (not eligible).
    pub fn mark_down(servers: &mut [Server], i: usize) {
        servers[i].seen_down = true;
    }

    /// Marks `servers[i]` as seen up again by the health check.
    pub fn mark_up(servers: &mut [Server], i: usize) {
        servers[i].seen_down = false;
    }

    /// Whether the health check sees `servers[i]` down.
    pub fn is_down(servers: &[Server], i: usize) -> bool {
        servers[i].seen_down
    }

    /// Adds one waiting request to `servers[i]` (a connection that never completes).
    pub fn hold(servers: &mut [Server], i: usize) {
        servers[i].waiting.push_back(Attempt::first(0, 0, 1.0, 0));
    }

    /// Takes one waiting request off `servers[i]`; false when it held none.
    pub fn release(servers: &mut [Server], i: usize) -> bool {
        servers[i].waiting.pop_front().is_some()
    }

    /// One step of the benchmarks' busy pool: a pick at `now` for `key`, its server holding one
    /// more connection, then a server drawn by `churn` releasing one and answering in 1 to 2 ms.
    pub fn pick_and_churn(
        balancer: &mut dyn Balancer,
        servers: &mut [Server],
        eligible: &Eligible,
        request: RequestInfo,
        rng: &mut SimRng,
        churn: &mut SimRng,
    ) -> usize {
        let i = balancer.pick(servers, eligible, request, rng, None).expect("a server");
        hold(servers, i);
        balancer.connections_changed(servers, i);
        let j = churn.below(servers.len() as u64) as usize;
        if release(servers, j) {
            balancer.observe(j, 1_000_000 + churn.below(1_000_000), request.now);
            balancer.connections_changed(servers, j);
        }
        i
    }

    /// Routes `n` requests with keys 0..n that never complete; returns the chosen names.
    pub fn route(balancer: &mut dyn Balancer, servers: &mut [Server], n: u64, seed: u64) -> Vec<String> {
        let mut rng = SimRng::new(seed, 0);
        let eligible = Eligible::of(servers);
        balancer.pool_changed(servers, &eligible);
        (0..n)
            .map(|key| {
                let i = balancer
                    .pick(servers, &eligible, RequestInfo { key, now: 0 }, &mut rng, None)
                    .expect("an eligible server");
                hold(servers, i);
                balancer.connections_changed(servers, i);
                servers[i].name.to_string()
            })
            .collect()
    }

    /// The server each key in `keys` goes to (names), with no connections held.
    pub fn assign(balancer: &mut dyn Balancer, servers: &[Server], keys: std::ops::Range<u64>) -> Vec<Arc<str>> {
        let mut rng = SimRng::new(0, 0);
        let eligible = Eligible::of(servers);
        balancer.pool_changed(servers, &eligible);
        keys.map(|key| {
            let i = balancer
                .pick(servers, &eligible, RequestInfo { key, now: 0 }, &mut rng, None)
                .expect("an eligible server");
            servers[i].name.clone()
        })
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fallbacks_are_the_pick_then_the_eligible_servers_after_it_wrapping() {
        let mut servers = testing::pool(5, &[]);
        testing::mark_down(&mut servers, 3);
        let eligible = Eligible::of(&servers);
        assert_eq!(eligible.positions(), [0, 1, 2, 4]);
        assert_eq!(eligible.fallbacks(2).collect::<Vec<_>>(), [2, 4, 0, 1]);
        assert_eq!(eligible.fallbacks(4).collect::<Vec<_>>(), [4, 0, 1, 2]);
        assert_eq!(eligible.fallbacks(0).collect::<Vec<_>>(), [0, 1, 2, 4]);
    }

    #[test]
    fn the_hashes_and_only_they_route_by_key() {
        let by_key: Vec<&str> = Algorithm::ALL.into_iter().filter(|a| a.uses_key()).map(Algorithm::id).collect();
        assert_eq!(by_key, ["consistent-hash", "maglev", "bounded-load", "hash-mod"]);
    }
}
