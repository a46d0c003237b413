//! A server: its configuration (name, weight, speed, workers, queue limit), its health, and
//! the attempts it holds (a request's sendings, see [`crate::engine::life`]) — in service on
//! a worker, waiting in its queue (served first in, first out, or adaptive LIFO: see
//! [`crate::engine::queue_order`]), or erring: failed by an `errors` fault, the error on its
//! way back, on no worker and in no queue. Its connections, what the bar in the web app
//! shows and the balancers that count connections read, are the three added together, as
//! Envoy counts a request awaiting its upstream's answer as active whatever the answer.

use std::collections::VecDeque;
use std::sync::Arc;

use serde::Serialize;

use crate::cache::Cache;
use crate::engine::Attempt;
use crate::time::Nanos;

/// A server's identity, stable for the whole run (indices into the pool shift on removal).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ServerId(pub u32);

/// What the operator has said about a server, or what has happened to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Health {
    /// Serving and taking new requests.
    Up,
    /// Finishing what it holds, taking nothing new.
    Draining,
    /// Failed: holds nothing, and requests sent to it fail.
    Down,
}

impl Health {
    /// The word used in the UI and in decisions.
    pub fn as_str(self) -> &'static str {
        match self {
            Health::Up => "up",
            Health::Draining => "draining",
            Health::Down => "down",
        }
    }
}

/// An attempt on a worker, with when it started and the departure it is scheduled for (if
/// completions are automatic).
#[derive(Clone, Copy, Debug)]
pub(crate) struct InService {
    pub attempt: Attempt,
    /// When it went on the worker.
    pub started: Nanos,
    /// When its departure is due; `None` in manual mode, where someone completes it.
    pub due: Option<Nanos>,
}

/// Running totals for one server, over the measurement window.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ServerStats {
    /// Requests completed.
    pub completed: u64,
    /// Attempts it answered with an error (an `errors` fault), of requests in the window.
    pub errors: u64,
    /// The most connections held at once.
    pub max_connections: u32,
    /// Integral of busy workers over time (worker-nanoseconds).
    pub(crate) busy_area: u128,
    /// Integral of connections over time (connection-nanoseconds).
    pub(crate) connection_area: u128,
}

/// A server in the pool.
#[derive(Debug)]
pub struct Server {
    /// Stable identity.
    pub id: ServerId,
    /// Display name, `server1`, `server2`, ... unless the scenario names them.
    pub name: Arc<str>,
    /// Relative share for weighted algorithms; 0 takes the server out of rotation.
    pub weight: u32,
    /// Work per second relative to 1.0: a request of cost c takes c / speed seconds.
    pub speed: f64,
    /// Requests served at once.
    pub workers: u32,
    /// Most requests that may wait; an arrival beyond it is rejected.
    pub queue_limit: u32,
    /// Actual state.
    pub health: Health,
    /// Removal asked for: draining, and deleted once it holds nothing.
    pub removing: bool,
    /// Whether the balancer's last health check saw the server down.
    pub(crate) seen_down: bool,
    /// When the health checks noticed it down (`None` while it is up, or failed and not
    /// yet noticed).
    pub noticed_down: Option<Nanos>,
    pub(crate) in_service: Vec<InService>,
    /// The queue, oldest first (whatever order it is served in).
    pub(crate) waiting: VecDeque<Attempt>,
    /// Attempts an `errors` fault failed, their error on its way back, in the order they
    /// came: with one error latency, the order their errors come back, so the one that comes
    /// back is found at the front.
    pub(crate) erring: VecDeque<Attempt>,
    /// When the queue last went from empty to not empty (what adaptive LIFO reads).
    pub(crate) queued_since: Nanos,
    pub(crate) last_change: Nanos,
    /// The server's own cache, with per-server caching.
    pub(crate) cache: Option<Cache>,
    /// Statistics since the end of warm-up.
    pub stats: ServerStats,
}

impl Server {
    pub(crate) fn new(
        id: ServerId,
        name: Arc<str>,
        weight: u32,
        speed: f64,
        workers: u32,
        queue_limit: u32,
        now: Nanos,
    ) -> Self {
        Server {
            id,
            name,
            weight,
            speed,
            workers,
            queue_limit,
            health: Health::Up,
            removing: false,
            seen_down: false,
            noticed_down: None,
            in_service: Vec::new(),
            waiting: VecDeque::new(),
            erring: VecDeque::new(),
            queued_since: now,
            last_change: now,
            cache: None,
            stats: ServerStats::default(),
        }
    }

    /// Requests held: in service, waiting and erring.
    #[inline]
    pub fn connections(&self) -> u32 {
        (self.in_service.len() + self.waiting.len() + self.erring.len()) as u32
    }

    /// Requests on a worker now.
    #[inline]
    pub fn in_service(&self) -> u32 {
        self.in_service.len() as u32
    }

    /// Requests waiting in the queue now.
    #[inline]
    pub fn waiting(&self) -> u32 {
        self.waiting.len() as u32
    }

    /// Requests an `errors` fault failed whose error is on its way back now: connections
    /// on no worker and in no queue.
    #[inline]
    pub fn erring(&self) -> u32 {
        self.erring.len() as u32
    }

    /// Whether the balancer may send it new requests: up as far as the balancer knows
    /// (a failure is noticed at the next health check), not draining, weight above zero.
    #[inline]
    pub fn eligible(&self) -> bool {
        self.weight > 0 && !self.removing && !self.seen_down && self.health != Health::Draining
    }

    /// Fraction of worker time busy in a measurement window of `elapsed` nanoseconds ending `now`.
    pub fn utilization(&self, now: Nanos, elapsed: Nanos) -> f64 {
        let dt = now.saturating_sub(self.last_change) as u128;
        let busy = self.stats.busy_area + dt * self.in_service.len() as u128;
        if elapsed == 0 { 0.0 } else { busy as f64 / (elapsed as f64 * self.workers as f64) }
    }

    /// Time-averaged connections in a measurement window of `elapsed` nanoseconds ending `now`.
    pub fn mean_connections(&self, now: Nanos, elapsed: Nanos) -> f64 {
        let dt = now.saturating_sub(self.last_change) as u128;
        let area = self.stats.connection_area + dt * self.connections() as u128;
        if elapsed == 0 { 0.0 } else { area as f64 / elapsed as f64 }
    }

    /// The share of lookups its own cache answered (0 without one).
    pub fn cache_hit_ratio(&self) -> f64 {
        self.cache.as_ref().map_or(0.0, Cache::hit_ratio)
    }

    /// Takes the attempt at `pos` off its worker, keeping the others in the order they started
    /// (the last, as with one worker, without moving anything).
    #[inline]
    pub(crate) fn take_in_service(&mut self, pos: usize) -> InService {
        if pos + 1 == self.in_service.len()
            && let Some(last) = self.in_service.pop()
        {
            return last;
        }
        self.in_service.remove(pos)
    }

    /// Adds the time since the last change to the busy and connection integrals.
    #[inline]
    pub(crate) fn account(&mut self, now: Nanos) {
        let dt = now.saturating_sub(self.last_change) as u128;
        if dt > 0 {
            self.stats.busy_area += dt * self.in_service.len() as u128;
            self.stats.connection_area += dt * u128::from(self.connections());
            self.last_change = now;
        }
    }
}
