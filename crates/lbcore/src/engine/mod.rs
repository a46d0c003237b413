//! The discrete-event simulator: a load balancer in front of a pool of servers, fed by a
//! workload, on integer nanosecond time.
//!
//! # Build, run, read
//!
//! Build an engine from a [`Scenario`] (it is validated first), run it, and read what it
//! measured. [`Engine::run`] runs the scenario's whole length, as `lbsim` does; the web app
//! calls [`Engine::run_until`] once per animation frame and performs operations between
//! frames (fire, complete, add, remove, drain, fail, heal, reconfigure).
//!
//! ```
//! use lbcore::{Algorithm, Engine, Scenario};
//! use lbcore::time::from_secs;
//!
//! let scenario = Scenario { algo: Algorithm::LeastConnections, servers: 3, requests: Some(1_000), ..Scenario::default() };
//! let mut engine = Engine::new(scenario).expect("a valid scenario");
//! engine.run_until(from_secs(1.0)); // the first second
//! engine.fail(0).expect("server 0 exists"); // an operation between events
//! let summary = engine.run(); // the rest: until 1,000 requests have arrived and left
//! assert_eq!(summary.arrived, 1_000);
//! assert_eq!(summary.arrived, summary.cache_hits + summary.completed + summary.rejected + summary.failed + summary.in_system);
//! engine.check_invariant().expect("every request is accounted for");
//! ```
//!
//! # Rooms
//!
//! - [`events`](self::events): the event queue, and the order of simultaneous events: by
//!   time, then in the order they were scheduled, so a run is the same on every platform;
//! - [`requests`](self::requests): arrivals, routing and placing an attempt on a server;
//! - [`life`](self::life): a request and its attempts, and every transition of either
//!   (sent, started, answered, failed, timed out, lost, cancelled, retried, settled);
//! - `lazy`: in a whole run where nothing can interrupt an attempt, departures kept out of
//!   the event queue and settled when their server is next looked at (lbcore's
//!   `lazy-departures` feature);
//! - `numbered`: the table of requests in flight by request number (a ring the numbers
//!   index, with lbcore's `request-ring` feature; a hash map without);
//! - [`hedge`](self::hedge): hedged requests, a second copy of a request still unanswered;
//! - `retry_budget`: Envoy's and Finagle's retry budgets, which a retry must pass;
//! - [`queue_order`](self::queue_order): first in, first out, or adaptive LIFO;
//! - [`pool`](self::pool): the servers joining, leaving, draining, failing and healing;
//! - [`faults`](self::faults): scheduled faults taking servers down, slowing them, failing
//!   part of their attempts;
//! - [`breakers`](self::breakers): the pool's circuit breakers refusing attempts;
//! - [`reconfigure`](self::reconfigure): new settings handed to the part that owns them;
//! - [`meter`](self::meter): counters, the measurement window, response times, the series.
//!
//! After every event and operation the invariant holds: `arrived = cache_hits + completed +
//! rejected + failed + timed_out + refused + in flight`, over the whole run and over the
//! measurement window, which counts a request by its arrival; the requests in flight are
//! those [`life`](self::life) holds, and the attempts the servers hold are the ones those
//! requests wait on plus the ones nobody waits on any more.

mod breakers;
mod events;
mod faults;
pub mod hedge;
mod lazy;
pub mod life;
mod meter;
mod numbered;
mod pool;
pub mod queue_order;
mod reconfigure;
mod requests;
mod retry_budget;

use std::collections::VecDeque;

pub use breakers::Breaker;
pub use life::{Attempt, AttemptState, Fate};
pub use meter::{LoggedDecision, Notice, Noticed};
pub use pool::NoSuchServer;
pub use requests::Completion;

use crate::balancer::{self, Balancer, Eligible};
use crate::cache::Cache;
use crate::metrics::{Counters, ResponseTimes, Series};
use crate::rng::SimRng;
use crate::scenario::{Problems, Scenario};
use crate::server::{Health, Server};
use crate::summary::Summary;
use crate::time::{Nanos, from_secs};
use crate::workload::{ArrivalProcess, CostSampler, KeySampler};
use events::{Event, EventKind, EventQueue};
use meter::Meter;

/// The simulator.
pub struct Engine {
    scenario: Scenario,
    now: Nanos,
    events: EventQueue,
    servers: Vec<Server>,
    /// Server id to position in `servers`.
    index_of: Vec<u32>,
    /// The servers that may take new requests, settled at each pool change for the balancer.
    eligible: Eligible,
    balancer: Box<dyn Balancer>,
    pick_rng: SimRng,
    arrivals: ArrivalProcess,
    costs: CostSampler,
    keys: KeySampler,
    arrival_generation: u64,
    arrival_pending: bool,
    arrivals_left: Option<u64>,
    next_request: u64,
    shared_cache: Option<Cache>,
    /// The requests in flight and the attempts nobody waits on.
    lives: life::Lives,
    /// The backoff's jitter.
    jitter_rng: SimRng,
    /// Envoy's and Finagle's retry budgets.
    retry_budgets: retry_budget::RetryBudgets,
    /// The scheduled faults in progress.
    faults: faults::Faults,
    /// The attempts the servers hold, for the circuit breakers.
    load: breakers::PoolLoad,
    /// When the requests in flight get their hedges.
    hedges: hedge::Hedges,
    meter: Meter,
    /// In a whole run that qualifies, the departures kept out of the event queue.
    #[cfg(feature = "lazy-departures")]
    lazy: Option<lazy::Lazy>,
}

impl Engine {
    /// An engine at time 0 for a valid scenario.
    pub fn new(scenario: Scenario) -> Result<Engine, Problems> {
        scenario.validate()?;
        let mut engine = Engine {
            now: 0,
            events: EventQueue::default(),
            servers: Vec::with_capacity(scenario.servers as usize),
            index_of: Vec::with_capacity(scenario.servers as usize),
            eligible: Eligible::default(),
            balancer: balancer::build(scenario.algo, &scenario.params(), &[]),
            pick_rng: SimRng::new(scenario.seed, 4),
            arrivals: ArrivalProcess::new(&scenario),
            costs: CostSampler::new(&scenario),
            keys: KeySampler::new(&scenario),
            arrival_generation: 0,
            arrival_pending: false,
            arrivals_left: scenario.requests,
            next_request: 0,
            shared_cache: None,
            lives: life::Lives::default(),
            jitter_rng: SimRng::new(scenario.seed, 5),
            retry_budgets: retry_budget::RetryBudgets::new(&scenario, 0),
            faults: faults::Faults::new(scenario.seed),
            load: breakers::PoolLoad::default(),
            hedges: hedge::Hedges::default(),
            meter: Meter::default(),
            #[cfg(feature = "lazy-departures")]
            lazy: None,
            scenario,
        };
        for i in 0..engine.scenario.servers as usize {
            let s = &engine.scenario;
            let (name, weight, speed) = (s.name(i), s.weight(i), s.speed(i));
            engine.push_server(name.into(), weight, speed);
        }
        engine.configure_caches();
        engine.pool_changed();
        if engine.scenario.warmup > 0.0 {
            engine.events.schedule(from_secs(engine.scenario.warmup), EventKind::WarmupEnd);
        }
        if !engine.scenario.faults.is_empty() {
            engine.schedule_faults();
        }
        engine.schedule_arrival();
        Ok(engine)
    }

    // === reading ===

    /// The scenario as it stands now, changes included (what a URL should say).
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Simulated time now.
    pub fn now(&self) -> Nanos {
        self.now
    }

    /// The servers in server order (including ones draining before removal).
    pub fn servers(&self) -> &[Server] {
        &self.servers
    }

    /// Position of the server with this name.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.servers.iter().position(|s| &*s.name == name)
    }

    /// Counters since the start of the run.
    pub fn totals(&self) -> Counters {
        self.meter.totals
    }

    /// Counters since the end of warm-up.
    pub fn counters(&self) -> Counters {
        self.meter.window
    }

    /// When the measurement window began (the end of warm-up, or 0).
    pub fn window_start(&self) -> Nanos {
        self.meter.window_start
    }

    /// Requests in flight now: held by a server, or waiting to retry (without timeouts and
    /// backoff, the requests the servers hold).
    pub fn in_system(&self) -> u64 {
        self.meter.totals.in_flight()
    }

    /// Response times since the end of warm-up.
    pub fn responses(&self) -> &ResponseTimes {
        &self.meter.responses
    }

    /// Cache hits over cache lookups in the measurement window, shared cache or per-server
    /// caches together (0 with no cache).
    pub fn cache_hit_ratio(&self) -> f64 {
        self.meter.window.cache_hit_ratio()
    }

    /// Starts a new measurement window now, as the end of warm-up does: the summary's
    /// counters, response times and per-server figures count from here, while
    /// [`Engine::totals`] keeps the whole run. For a change that alters the experiment
    /// (another algorithm, rate, pool...), so that figures are not a blend of two.
    pub fn start_window(&mut self) {
        self.reset_window();
    }

    /// Requests per second the servers taking traffic can serve now: those up and eligible
    /// (not draining or on their way out, weight above zero, not seen down by the health
    /// checks). A failed server counts for nothing, even before the health checks notice
    /// (what is sent to it fails); a healed one counts from the check that sees it up, since
    /// the balancer sends it nothing until then. A server under a `slow` fault counts at its
    /// slowed speed.
    pub fn serving_capacity(&self) -> f64 {
        let work: f64 = self
            .servers
            .iter()
            .filter(|s| s.health == Health::Up && s.eligible())
            .map(|s| self.faults.speed(s.id, s.speed) * s.workers as f64)
            .sum();
        work / self.scenario.cost
    }

    /// Arrivals per second that reach the servers: the rate less what the caches answer, at
    /// the measurement window's hit ratio so far.
    pub fn rate_past_cache(&self) -> f64 {
        self.scenario.rate * (1.0 - self.cache_hit_ratio())
    }

    /// The last decisions, oldest first (see [`Engine::keep_decisions`]).
    pub fn decisions(&self) -> &VecDeque<LoggedDecision> {
        &self.meter.log
    }

    /// The last notices, oldest first: health checks seeing a server down or up again,
    /// clients giving up on attempts, retries waiting out a backoff (kept as many as
    /// decisions, see [`Engine::keep_decisions`]).
    pub fn notices(&self) -> &VecDeque<Notice> {
        &self.meter.notices
    }

    /// The time series, if enabled with [`Engine::enable_series`].
    pub fn series(&self) -> Option<&Series> {
        self.meter.series.as_ref()
    }

    /// A summary of the run so far, over the measurement window.
    pub fn summary(&self) -> Summary {
        self.summarise()
    }

    /// Checks the conservation invariant, over the run and over the measurement window, and
    /// the per-server bookkeeping; `Err` says what broke.
    pub fn check_invariant(&self) -> Result<(), String> {
        let in_window = |request: u64| self.meter.in_window(request);
        for (name, counters, held) in [
            ("over the run", &self.meter.totals, self.lives.requests.len() as u64),
            ("in the window", &self.meter.window, self.lives.requests.keys().filter(|&r| in_window(r)).count() as u64),
        ] {
            match counters.checked_in_flight() {
                None => return Err(format!("{name}, more settled than arrived: {counters:?}")),
                Some(n) if n != held => {
                    return Err(format!("{name}, {n} in flight by the fates but {held} held: {counters:?}"));
                }
                Some(_) => {}
            }
        }
        let mut waited_on = 0u64;
        for s in &self.servers {
            let held = s.in_service.iter().map(|r| (&r.attempt, AttemptState::InService));
            let held = held.chain(s.waiting.iter().map(|a| (a, AttemptState::Queued)));
            for (attempt, state) in held.chain(s.erring.iter().map(|a| (a, AttemptState::Erring))) {
                let Some(r) = self.lives.requests.get(&attempt.request) else { continue };
                let Some(c) = r.waiting.get(attempt.number) else { continue };
                if c.server != s.id || c.state != state {
                    return Err(format!("{} holds {attempt:?} {state:?}, its request says {c:?}", s.name));
                }
                waited_on += 1;
            }
        }
        self.retry_budgets.holders_in_flight(|r| self.lives.requests.contains_key(&r))?;
        let waiting_on: u64 = self.lives.requests.values().map(|r| r.waiting.iter().count() as u64).sum();
        let held: u64 = self.servers.iter().map(|s| u64::from(s.connections())).sum();
        if waited_on != waiting_on || held != waiting_on + self.lives.abandoned {
            return Err(format!(
                "servers hold {held} attempts, {waited_on} waited on; requests wait on {waiting_on}, {} abandoned",
                self.lives.abandoned
            ));
        }
        self.check_load()?;
        for s in &self.servers {
            if s.in_service.len() < s.workers as usize && !s.waiting.is_empty() {
                return Err(format!("{} has an idle worker and a waiting request", s.name));
            }
            if s.health == Health::Down && s.connections() > 0 {
                return Err(format!("{} is down but holds {} connections", s.name, s.connections()));
            }
        }
        Ok(())
    }

    // === options ===

    /// Keeps the last `capacity` routing decisions, each explained (0 turns the log off).
    pub fn keep_decisions(&mut self, capacity: usize) {
        self.meter.keep_decisions(capacity);
    }

    /// Samples connections per server and the recent p95 every `period`, keeping `capacity`.
    pub fn enable_series(&mut self, period: Nanos, capacity: usize) {
        let first = self.meter.series.is_none();
        self.meter.series = Some(Series::new(period, capacity));
        if first {
            self.events.schedule(crate::time::after(self.now, period.max(1)), EventKind::Sample);
        }
    }

    // === running ===

    /// Processes every event up to and including time `t`, then sets the clock to `t`.
    pub fn run_until(&mut self, t: Nanos) {
        self.run_until_within(t, u64::MAX);
    }

    /// [`Engine::run_until`], handling at most `max_events` events: the work a caller with a
    /// frame to draw can afford. Returns whether it reached `t`; when not, the clock stands
    /// at the last event handled and the next call goes on from there.
    pub fn run_until_within(&mut self, t: Nanos, max_events: u64) -> bool {
        let mut handled = 0;
        loop {
            if handled == max_events {
                if self.events.peek().is_some_and(|ev| ev.at <= t) {
                    return false;
                }
                break;
            }
            let Some(ev) = self.events.pop_until(t) else { break };
            self.handle(ev);
            handled += 1;
        }
        self.now = self.now.max(t);
        true
    }

    /// Runs the scenario's whole length: until `requests` have arrived and the servers have
    /// drained, or for `duration` seconds (60 when neither is set).
    pub fn run(&mut self) -> Summary {
        self.run_with_progress(&mut |_| {})
    }

    /// [`Engine::run`], calling `progress` with the fraction done now and then.
    pub fn run_with_progress(&mut self, progress: &mut dyn FnMut(f64)) -> Summary {
        let end = match (self.scenario.requests, self.scenario.duration) {
            (_, Some(d)) => Some(from_secs(d)),
            (Some(_), None) => None,
            (None, None) => Some(from_secs(60.0)),
        };
        let total = self.scenario.requests;
        let mut handled: u64 = 0;
        self.start_lazy();
        loop {
            if total.is_some()
                && !self.arrival_pending
                && self.lazy_drained(end).unwrap_or_else(|| self.lives.is_empty())
            {
                break;
            }
            let Some(ev) = self.events.pop_until(end.unwrap_or(Nanos::MAX)) else { break };
            self.handle(ev);
            handled += 1;
            if handled & 0xffff == 0 {
                progress(match (total, end) {
                    (Some(n), _) => self.meter.totals.arrived as f64 / n as f64,
                    (None, Some(e)) => self.now as f64 / e as f64,
                    (None, None) => 0.0,
                });
            }
        }
        self.stop_lazy(end);
        if let Some(e) = end {
            self.now = self.now.max(e);
        }
        progress(1.0);
        self.summary()
    }

    /// Moves the clock to the event and hands it to the room that owns it: arrivals and
    /// departures, every request's, here; the other kinds out of line, so that the two
    /// every request has pay for none of the others' registers.
    fn handle(&mut self, ev: Event) {
        self.now = ev.at;
        self.lazy_before(&ev);
        match ev.kind {
            EventKind::Arrival { generation } => self.on_arrival(generation),
            EventKind::Departure { server, request, attempt } => self.on_departure(server, request, attempt, ev.at),
            _ => self.handle_other(ev),
        }
    }

    /// [`Engine::handle`] for the kinds other than arrivals and departures.
    #[inline(never)]
    fn handle_other(&mut self, ev: Event) {
        match ev.kind {
            EventKind::Arrival { .. } | EventKind::Departure { .. } => self.handle(ev),
            EventKind::Timeout => self.on_timeouts(),
            EventKind::Retry { request } => self.on_retry(request),
            EventKind::Hedge => self.on_hedges(),
            EventKind::HealthCheck { server } => self.on_health_check(server),
            EventKind::WarmupEnd => self.reset_window(),
            EventKind::Sample => self.sample(),
            EventKind::Fault { generation, index, starts } => self.on_fault(generation, index, starts),
            EventKind::ErrorAnswer { server, request, attempt } => self.on_error_answer(server, request, attempt),
        }
    }
}
