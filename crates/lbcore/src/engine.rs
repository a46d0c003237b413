//! The discrete-event simulator: a priority queue of timed events (arrivals, departures,
//! health checks, the end of warm-up, time-series samples) on integer nanosecond time, and
//! the operations a user or a lesson performs between them (fire, complete, add, remove,
//! drain, fail, heal, reconfigure).
//!
//! The web app calls [`Engine::run_until`] once per animation frame; `lbsim` calls
//! [`Engine::run`]. After every event and operation the invariant holds:
//! `arrived = cache_hits + completed + rejected + failed + in_system`.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::sync::Arc;

use serde::Serialize;

use crate::balancer::{self, Balancer, Decision, RequestInfo};
use crate::cache::Cache;
use crate::metrics::{Counters, ResponseTimes, Series};
use crate::rng::SimRng;
use crate::scenario::{CacheMode, Completions, Problems, Scenario};
use crate::server::{Health, InService, Request, Server, ServerId};
use crate::summary::Summary;
use crate::time::{Nanos, from_secs};
use crate::workload::{ArrivalProcess, CostSampler, KeySampler};

/// Marks a removed server in the id-to-index table.
const GONE: u32 = u32::MAX;

/// How many times a retry re-picks to find a server other than the one that failed.
const RETRY_PICKS: usize = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum EventKind {
    /// The next arrival of the arrival process, if `generation` is still current.
    Arrival { generation: u64 },
    /// A request's work is done.
    Departure { server: ServerId, request: u64 },
    /// A health check notices whether `server` is down.
    HealthCheck { server: ServerId },
    /// Statistics start here.
    WarmupEnd,
    /// Take a time-series sample.
    Sample,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Event {
    at: Nanos,
    seq: u64,
    kind: EventKind,
}

impl Ord for Event {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.at, self.seq).cmp(&(other.at, other.seq))
    }
}

impl PartialOrd for Event {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// A decision in the log, with when it was made and for which request.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LoggedDecision {
    /// Simulated time of the decision.
    pub at: Nanos,
    /// The request's sequence number.
    pub request: u64,
    /// What was decided and why.
    pub decision: Decision,
}

/// What completing a connection by hand did.
#[derive(Clone, Debug, PartialEq)]
pub enum Completion {
    /// The oldest request in service completed after this many nanoseconds.
    Completed { response: Nanos },
    /// The server held no connection: nothing happened.
    NothingToComplete,
}

/// An operation that names a server that is not there.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("no server at position {0}")]
pub struct NoSuchServer(pub usize);

/// The simulator.
pub struct Engine {
    scenario: Scenario,
    now: Nanos,
    events: BinaryHeap<Reverse<Event>>,
    next_seq: u64,
    servers: Vec<Server>,
    index_of: Vec<u32>,
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
    totals: Counters,
    window: Counters,
    window_start: Nanos,
    in_system: u64,
    responses: ResponseTimes,
    log: VecDeque<LoggedDecision>,
    log_capacity: usize,
    series: Option<Series>,
}

impl Engine {
    /// An engine at time 0 for a valid scenario.
    pub fn new(scenario: Scenario) -> Result<Engine, Problems> {
        scenario.validate()?;
        let mut engine = Engine {
            now: 0,
            events: BinaryHeap::new(),
            next_seq: 0,
            servers: Vec::with_capacity(scenario.servers as usize),
            index_of: Vec::with_capacity(scenario.servers as usize),
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
            totals: Counters::default(),
            window: Counters::default(),
            window_start: 0,
            in_system: 0,
            responses: ResponseTimes::default(),
            log: VecDeque::new(),
            log_capacity: 0,
            series: None,
            scenario,
        };
        for i in 0..engine.scenario.servers as usize {
            let s = &engine.scenario;
            let (name, weight, speed) = (s.name(i), s.weight(i), s.speed(i));
            engine.push_server(name.into(), weight, speed);
        }
        engine.configure_caches();
        engine.balancer.pool_changed(&engine.servers);
        if engine.scenario.warmup > 0.0 {
            engine.schedule(from_secs(engine.scenario.warmup), EventKind::WarmupEnd);
        }
        engine.schedule_arrival();
        Ok(engine)
    }

    // ---- reading ----

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
        self.totals
    }

    /// Counters since the end of warm-up.
    pub fn counters(&self) -> Counters {
        self.window
    }

    /// When the measurement window began (the end of warm-up, or 0).
    pub fn window_start(&self) -> Nanos {
        self.window_start
    }

    /// Requests held by servers now.
    pub fn in_system(&self) -> u64 {
        self.in_system
    }

    /// Response times since the end of warm-up.
    pub fn responses(&self) -> &ResponseTimes {
        &self.responses
    }

    /// The shared cache's hit ratio, or the per-server caches' together (0 with no cache).
    pub fn cache_hit_ratio(&self) -> f64 {
        let (hits, misses) = match &self.shared_cache {
            Some(c) => (c.hits, c.misses),
            None => self
                .servers
                .iter()
                .filter_map(|s| s.cache.as_ref())
                .fold((0, 0), |(h, m), c| (h + c.hits, m + c.misses)),
        };
        if hits + misses == 0 { 0.0 } else { hits as f64 / (hits + misses) as f64 }
    }

    /// The last decisions, oldest first (see [`Engine::keep_decisions`]).
    pub fn decisions(&self) -> &VecDeque<LoggedDecision> {
        &self.log
    }

    /// The time series, if enabled with [`Engine::enable_series`].
    pub fn series(&self) -> Option<&Series> {
        self.series.as_ref()
    }

    /// A summary of the run so far.
    pub fn summary(&self) -> Summary {
        Summary::of(self)
    }

    /// Checks the conservation invariant and the per-server bookkeeping; `Err` says what broke.
    pub fn check_invariant(&self) -> Result<(), String> {
        let t = &self.totals;
        let held: u64 = self.servers.iter().map(|s| s.connections() as u64).sum();
        if held != self.in_system {
            return Err(format!("servers hold {held} but in_system is {}", self.in_system));
        }
        let accounted = t.cache_hits + t.completed + t.rejected + t.failed + self.in_system;
        if t.arrived != accounted {
            return Err(format!(
                "arrived {} != accounted {accounted} ({t:?}, in system {})",
                t.arrived, self.in_system
            ));
        }
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

    // ---- options ----

    /// Keeps the last `capacity` routing decisions, each explained (0 turns the log off).
    pub fn keep_decisions(&mut self, capacity: usize) {
        self.log_capacity = capacity;
        while self.log.len() > capacity {
            self.log.pop_front();
        }
    }

    /// Samples connections per server and the recent p95 every `period`, keeping `capacity`.
    pub fn enable_series(&mut self, period: Nanos, capacity: usize) {
        let first = self.series.is_none();
        self.series = Some(Series::new(period, capacity));
        if first {
            self.schedule(self.now + period.max(1), EventKind::Sample);
        }
    }

    // ---- running ----

    /// Processes every event up to and including time `t`, then sets the clock to `t`.
    pub fn run_until(&mut self, t: Nanos) {
        while let Some(Reverse(ev)) = self.events.peek().copied() {
            if ev.at > t {
                break;
            }
            self.events.pop();
            self.handle(ev);
        }
        self.now = self.now.max(t);
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
        while let Some(Reverse(ev)) = self.events.peek().copied() {
            if end.is_some_and(|e| ev.at > e) {
                break;
            }
            if total.is_some() && !self.arrival_pending && self.in_system == 0 {
                break;
            }
            self.events.pop();
            self.handle(ev);
            handled += 1;
            if handled & 0xffff == 0 {
                progress(match (total, end) {
                    (Some(n), _) => self.totals.arrived as f64 / n as f64,
                    (None, Some(e)) => self.now as f64 / e as f64,
                    (None, None) => 0.0,
                });
            }
        }
        if let Some(e) = end {
            self.now = self.now.max(e);
        }
        progress(1.0);
        self.summary()
    }

    fn schedule(&mut self, at: Nanos, kind: EventKind) {
        self.events.push(Reverse(Event { at, seq: self.next_seq, kind }));
        self.next_seq += 1;
    }

    fn schedule_arrival(&mut self) {
        self.arrival_generation += 1;
        self.arrival_pending = false;
        if self.arrivals_left == Some(0) {
            return;
        }
        if let Some(at) = self.arrivals.next_after(self.now) {
            self.arrival_pending = true;
            let generation = self.arrival_generation;
            self.schedule(at, EventKind::Arrival { generation });
        }
    }

    fn handle(&mut self, ev: Event) {
        self.now = ev.at;
        match ev.kind {
            EventKind::Arrival { generation } if generation == self.arrival_generation => {
                if let Some(left) = &mut self.arrivals_left {
                    *left -= 1;
                }
                self.schedule_arrival();
                let explain = self.log_capacity > 0;
                self.arrive(explain);
            }
            EventKind::Arrival { .. } => {}
            EventKind::Departure { server, request } => {
                let Some(i) = self.index(server) else { return };
                let due = Some(ev.at);
                if let Some(pos) =
                    self.servers[i].in_service.iter().position(|r| r.request.id == request && r.due == due)
                {
                    self.depart(i, pos);
                }
            }
            EventKind::HealthCheck { server } => {
                let Some(i) = self.index(server) else { return };
                let down = self.servers[i].health == Health::Down;
                if self.servers[i].seen_down != down {
                    self.servers[i].seen_down = down;
                    self.balancer.pool_changed(&self.servers);
                }
            }
            EventKind::WarmupEnd => self.reset_window(),
            EventKind::Sample => {
                let connections = self.servers.iter().map(|s| (s.id, s.connections())).collect();
                if let Some(series) = &mut self.series {
                    series.push(self.now, connections);
                    let next = self.now + series.period;
                    self.schedule(next, EventKind::Sample);
                }
            }
        }
    }

    fn reset_window(&mut self) {
        let now = self.now;
        for s in &mut self.servers {
            s.account(now);
            s.stats = Default::default();
            s.stats.max_connections = s.connections();
        }
        self.window = Counters::default();
        self.window_start = now;
        self.responses.reset();
    }

    // ---- requests ----

    fn count(&mut self, f: impl Fn(&mut Counters)) {
        f(&mut self.totals);
        f(&mut self.window);
    }

    fn record_response(&mut self, response: Nanos) {
        self.responses.record(response);
        if let Some(series) = &mut self.series {
            series.note_response(response);
        }
    }

    /// A new request arrives now with the workload's next key and cost.
    fn arrive(&mut self, explain: bool) -> Option<Decision> {
        let key = self.keys.sample();
        let cost = self.costs.sample();
        let request = Request { id: self.next_request, key, cost, arrived: self.now, attempt: 0 };
        self.next_request += 1;
        self.count(|c| c.arrived += 1);
        if let Some(cache) = &mut self.shared_cache
            && cache.lookup(key, self.now)
        {
            self.count(|c| c.cache_hits += 1);
            self.record_response(from_secs(self.scenario.hit_latency));
            let mut d = Decision::new(self.scenario.algo);
            d.outcome = Some(format!("key {key} served from the shared cache, no server needed"));
            return self.note(request.id, explain.then_some(d));
        }
        self.route(request, None, explain)
    }

    /// Picks a server for `request` (avoiding `avoid` if it can, for a retry) and places it.
    fn route(&mut self, request: Request, avoid: Option<usize>, explain: bool) -> Option<Decision> {
        let info = RequestInfo { key: request.key, now: self.now };
        let mut decision = explain.then(|| Decision::new(self.scenario.algo));
        let mut pick = self.balancer.pick(&self.servers, info, &mut self.pick_rng, decision.as_mut());
        if avoid.is_some() {
            for _ in 1..RETRY_PICKS {
                if pick != avoid {
                    break;
                }
                decision = explain.then(|| Decision::new(self.scenario.algo));
                pick = self.balancer.pick(&self.servers, info, &mut self.pick_rng, decision.as_mut());
            }
        }
        let outcome = match pick {
            None => {
                self.count(|c| c.rejected += 1);
                Some("rejected: no server can take it".to_string())
            }
            Some(i) => self.place(i, request, explain),
        };
        if let Some(d) = &mut decision {
            d.outcome = outcome;
            if request.attempt > 0 {
                d.outcome = Some(match d.outcome.take() {
                    Some(o) => format!("a retry; {o}"),
                    None => "a retry".to_string(),
                });
            }
        }
        self.note(request.id, decision)
    }

    fn note(&mut self, request: u64, decision: Option<Decision>) -> Option<Decision> {
        let d = decision?;
        if self.log_capacity > 0 {
            if self.log.len() == self.log_capacity {
                self.log.pop_front();
            }
            self.log.push_back(LoggedDecision { at: self.now, request, decision: d.clone() });
        }
        Some(d)
    }

    /// Gives `request` to `servers[i]`: fails it if the server is down, serves it from the
    /// server's cache, starts it on a free worker, queues it, or rejects it when the queue is
    /// full. Returns what happened when it is worth saying.
    fn place(&mut self, i: usize, request: Request, explain: bool) -> Option<String> {
        let now = self.now;
        let s = &mut self.servers[i];
        if s.health == Health::Down {
            let name = s.name.clone();
            let retried = self.fail_request(request, i, explain);
            return Some(format!(
                "{name} is down and the health checks have not noticed yet, so the request failed{}",
                if retried { " and was retried" } else { "" }
            ));
        }
        if let Some(cache) = &mut s.cache
            && cache.lookup(request.key, now)
        {
            let name = s.name.clone();
            self.count(|c| c.cache_hits += 1);
            self.record_response(from_secs(self.scenario.hit_latency));
            return Some(format!("key {} served from {name}'s cache", request.key));
        }
        if s.in_service.len() < s.workers as usize {
            self.start(i, request);
        } else if s.waiting.len() < s.queue_limit as usize {
            s.account(now);
            s.waiting.push_back(request);
            s.stats.max_connections = s.stats.max_connections.max(s.connections());
            self.in_system += 1;
        } else {
            let msg = format!("rejected: {}'s queue is full ({} waiting)", s.name, s.waiting.len());
            self.count(|c| {
                c.rejected += 1;
                c.rejected_queue_full += 1
            });
            return Some(msg);
        }
        self.balancer.connections_changed(&self.servers, i);
        None
    }

    /// Puts `request` on a free worker of `servers[i]` and schedules its departure.
    fn start(&mut self, i: usize, request: Request) {
        let now = self.now;
        let auto = self.scenario.completions == Completions::Auto;
        let s = &mut self.servers[i];
        s.account(now);
        let due = auto.then(|| now + from_secs(request.cost / s.speed).max(1));
        s.in_service.push(InService { request, due });
        s.stats.max_connections = s.stats.max_connections.max(s.connections());
        let server = s.id;
        if let Some(at) = due {
            self.schedule(at, EventKind::Departure { server, request: request.id });
        }
        self.in_system += 1;
    }

    /// The request at `pos` on `servers[i]`'s workers completes now.
    fn depart(&mut self, i: usize, pos: usize) -> Nanos {
        let now = self.now;
        let s = &mut self.servers[i];
        s.account(now);
        let done = s.in_service.remove(pos).request;
        s.stats.completed += 1;
        if let Some(cache) = &mut s.cache {
            cache.insert(done.key, now);
        }
        let next = if s.in_service.len() < s.workers as usize { s.waiting.pop_front() } else { None };
        self.in_system -= 1;
        if let Some(next) = next {
            self.in_system -= 1; // start() counts it again
            self.start(i, next);
        }
        if let Some(cache) = &mut self.shared_cache {
            cache.insert(done.key, now);
        }
        let response = now - done.arrived;
        self.count(|c| c.completed += 1);
        self.record_response(response);
        self.balancer.observe(i, response, now);
        self.balancer.connections_changed(&self.servers, i);
        if self.servers[i].removing && self.servers[i].connections() == 0 {
            self.delete(i);
        }
        response
    }

    /// A request failed on `servers[failed]`: retry it elsewhere once if retries are on,
    /// else count it failed. Returns whether it was retried.
    fn fail_request(&mut self, request: Request, failed: usize, explain: bool) -> bool {
        if self.scenario.retry && request.attempt == 0 {
            self.count(|c| c.retried += 1);
            self.route(Request { attempt: 1, ..request }, Some(failed), explain);
            true
        } else {
            self.count(|c| c.failed += 1);
            false
        }
    }

    /// Fires `n` requests now, with the workload's keys and costs; returns each decision.
    pub fn fire(&mut self, n: u32) -> Vec<Decision> {
        (0..n).filter_map(|_| self.arrive(true)).collect()
    }

    /// Completes the oldest request in service on `servers[i]` (manual mode); a server with
    /// no connection is left as it is and says so.
    pub fn complete_oldest(&mut self, i: usize) -> Result<Completion, NoSuchServer> {
        let s = self.servers.get(i).ok_or(NoSuchServer(i))?;
        if s.in_service.is_empty() {
            return Ok(Completion::NothingToComplete);
        }
        Ok(Completion::Completed { response: self.depart(i, 0) })
    }

    // ---- servers ----

    fn index(&self, id: ServerId) -> Option<usize> {
        match self.index_of.get(id.0 as usize) {
            Some(&i) if i != GONE => Some(i as usize),
            _ => None,
        }
    }

    fn push_server(&mut self, name: Arc<str>, weight: u32, speed: f64) -> usize {
        let id = ServerId(self.index_of.len() as u32);
        let s = &self.scenario;
        let mut server = Server::new(id, name, weight, speed, s.workers, s.queue, self.now);
        if s.cache == CacheMode::PerServer {
            server.cache = Some(Cache::new(s.cache_size, from_secs(s.cache_ttl)));
        }
        self.servers.push(server);
        self.index_of.push((self.servers.len() - 1) as u32);
        self.servers.len() - 1
    }

    /// The first of server1, server2, ... that no server is called.
    fn free_name(&self) -> String {
        (1..).map(|k| format!("server{k}")).find(|n| self.position(n).is_none()).unwrap_or_default()
    }

    /// Adds a server at the end, named server{k} for the smallest k free, weight 1, speed 1.
    pub fn add_server(&mut self) -> usize {
        let name = self.free_name();
        self.add_named_server(&name, 1, 1.0)
    }

    /// Adds a server at the end with this name, weight and speed.
    pub fn add_named_server(&mut self, name: &str, weight: u32, speed: f64) -> usize {
        let i = self.push_server(name.into(), weight, speed.max(1e-6));
        self.balancer.pool_changed(&self.servers);
        self.sync_scenario();
        i
    }

    /// Removes `servers[i]`: it drains first (nothing is lost) and leaves when it holds nothing.
    pub fn remove_server(&mut self, i: usize) -> Result<(), NoSuchServer> {
        let s = self.servers.get_mut(i).ok_or(NoSuchServer(i))?;
        s.removing = true;
        if s.connections() == 0 {
            self.delete(i);
        } else {
            self.balancer.pool_changed(&self.servers);
            self.sync_scenario();
        }
        Ok(())
    }

    fn delete(&mut self, i: usize) {
        let s = self.servers.remove(i);
        debug_assert_eq!(s.connections(), 0);
        self.index_of[s.id.0 as usize] = GONE;
        for (j, s) in self.servers.iter().enumerate().skip(i) {
            self.index_of[s.id.0 as usize] = j as u32;
        }
        self.balancer.pool_changed(&self.servers);
        self.sync_scenario();
    }

    /// `servers[i]` takes no new requests and finishes what it holds.
    pub fn drain(&mut self, i: usize) -> Result<(), NoSuchServer> {
        let s = self.servers.get_mut(i).ok_or(NoSuchServer(i))?;
        if s.health == Health::Up {
            s.health = Health::Draining;
            self.balancer.pool_changed(&self.servers);
        }
        Ok(())
    }

    /// `servers[i]` fails: what it holds fails (retried once elsewhere if retries are on),
    /// its cache is lost, and the balancer keeps sending it requests, which fail too, until
    /// the next health check notices.
    pub fn fail(&mut self, i: usize) -> Result<(), NoSuchServer> {
        let now = self.now;
        let s = self.servers.get_mut(i).ok_or(NoSuchServer(i))?;
        if s.health == Health::Down {
            return Ok(());
        }
        s.account(now);
        s.health = Health::Down;
        let held: Vec<Request> = s.in_service.drain(..).map(|r| r.request).chain(s.waiting.drain(..)).collect();
        if let Some(cache) = &mut s.cache {
            cache.clear();
        }
        let id = s.id;
        self.in_system -= held.len() as u64;
        self.balancer.connections_changed(&self.servers, i);
        self.notice_health(i, id);
        for request in held {
            self.fail_request(request, i, self.log_capacity > 0);
        }
        if let Some(j) = self.index(id)
            && self.servers[j].removing
        {
            self.delete(j);
        }
        Ok(())
    }

    /// `servers[i]` is up again: a draining server at once, a failed one from the next health check.
    pub fn heal(&mut self, i: usize) -> Result<(), NoSuchServer> {
        let s = self.servers.get_mut(i).ok_or(NoSuchServer(i))?;
        match s.health {
            Health::Up => {}
            Health::Draining => {
                s.health = Health::Up;
                self.balancer.pool_changed(&self.servers);
            }
            Health::Down => {
                s.health = Health::Up;
                let id = s.id;
                self.notice_health(i, id);
            }
        }
        Ok(())
    }

    /// The balancer learns of `servers[i]`'s health at once (interval 0) or at the next check.
    fn notice_health(&mut self, i: usize, id: ServerId) {
        let interval = from_secs(self.scenario.health_interval);
        match self.now.checked_div(interval) {
            Some(checks_so_far) => {
                let next = (checks_so_far + 1) * interval;
                self.schedule(next, EventKind::HealthCheck { server: id });
            }
            None => {
                self.servers[i].seen_down = self.servers[i].health == Health::Down;
                self.balancer.pool_changed(&self.servers);
            }
        }
    }

    /// Sets `servers[i]`'s weight.
    pub fn set_weight(&mut self, i: usize, weight: u32) -> Result<(), NoSuchServer> {
        self.servers.get_mut(i).ok_or(NoSuchServer(i))?.weight = weight;
        self.balancer.pool_changed(&self.servers);
        self.sync_scenario();
        Ok(())
    }

    /// Sets `servers[i]`'s speed; requests already in service keep the speed they started at.
    pub fn set_speed(&mut self, i: usize, speed: f64) -> Result<(), NoSuchServer> {
        self.servers.get_mut(i).ok_or(NoSuchServer(i))?.speed = speed.max(1e-6);
        self.sync_scenario();
        Ok(())
    }

    /// Writes the live pool back into the scenario: count, names, weights and speeds of the
    /// servers that are not on their way out.
    fn sync_scenario(&mut self) {
        let staying: Vec<&Server> = self.servers.iter().filter(|s| !s.removing).collect();
        let s = &mut self.scenario;
        s.servers = staying.len() as u32;
        let names: Vec<String> = staying.iter().map(|x| x.name.to_string()).collect();
        let default_names = names.iter().enumerate().all(|(i, n)| *n == format!("server{}", i + 1));
        s.names = if default_names { Vec::new() } else { names };
        let weights: Vec<u32> = staying.iter().map(|x| x.weight).collect();
        s.weights = if weights.iter().all(|&w| w == 1) { Vec::new() } else { weights };
        let speeds: Vec<f64> = staying.iter().map(|x| x.speed).collect();
        s.speeds = if speeds.iter().all(|&v| v == 1.0) { Vec::new() } else { speeds };
    }

    fn configure_caches(&mut self) {
        let s = &self.scenario;
        let ttl = from_secs(s.cache_ttl);
        self.shared_cache = (s.cache == CacheMode::Shared).then(|| Cache::new(s.cache_size, ttl));
        for server in &mut self.servers {
            server.cache = (s.cache == CacheMode::PerServer).then(|| Cache::new(s.cache_size, ttl));
        }
    }

    // ---- settings ----

    /// Moves the running simulation to the settings of `next`, keeping what the servers hold:
    /// a new algorithm takes over the connections where they are, a new rate applies from
    /// now, more or fewer servers are added or removed (draining) at the end. The seed and
    /// run length take effect on a new engine.
    pub fn reconfigure(&mut self, next: Scenario) -> Result<(), Problems> {
        next.validate()?;
        let old = std::mem::replace(&mut self.scenario, next.clone());
        let s = &next;
        if (old.arrivals, old.rate, old.burst_on, old.burst_off) != (s.arrivals, s.rate, s.burst_on, s.burst_off) {
            self.arrivals.reconfigure(s);
            self.schedule_arrival();
        }
        if (old.cost, old.dist, old.cv) != (s.cost, s.dist, s.cv) {
            self.costs.reconfigure(s);
        }
        if (old.keys, old.zipf) != (s.keys, s.zipf) {
            self.keys.reconfigure(s);
        }
        if (old.cache, old.cache_size, old.cache_ttl) != (s.cache, s.cache_size, s.cache_ttl) {
            self.configure_caches();
        }
        if old.completions != s.completions {
            self.switch_completions();
        }
        if (old.workers, old.queue) != (s.workers, s.queue) {
            self.set_workers_and_queue(s.workers, s.queue);
        }
        self.reshape_pool(&next);
        let s = &self.scenario;
        let algorithm_changed = (old.algo, old.choices, old.vnodes, old.decay, old.load_factor, old.table_size)
            != (s.algo, s.choices, s.vnodes, s.decay, s.load_factor, s.table_size);
        if algorithm_changed {
            self.balancer = balancer::build(s.algo, &s.params(), &self.servers);
            for i in 0..self.servers.len() {
                self.balancer.connections_changed(&self.servers, i);
            }
        }
        Ok(())
    }

    fn set_workers_and_queue(&mut self, workers: u32, queue: u32) {
        for i in 0..self.servers.len() {
            self.servers[i].workers = workers;
            self.servers[i].queue_limit = queue;
            while self.servers[i].in_service.len() < workers as usize {
                let Some(next) = self.servers[i].waiting.pop_front() else { break };
                self.in_system -= 1;
                self.start(i, next);
            }
        }
    }

    /// Adds or removes servers at the end and applies names, weights and speeds from `next`.
    fn reshape_pool(&mut self, next: &Scenario) {
        let staying = |e: &Engine| e.servers.iter().filter(|s| !s.removing).count();
        while staying(self) > next.servers as usize {
            let last = self.servers.iter().rposition(|s| !s.removing).unwrap_or(0);
            let _ = self.remove_server(last);
        }
        while staying(self) < next.servers as usize {
            let k = staying(self);
            let name = if k < next.names.len() { next.names[k].clone() } else { self.free_name() };
            self.push_server(name.into(), next.weight(k), next.speed(k));
        }
        let positions: Vec<usize> = (0..self.servers.len()).filter(|&i| !self.servers[i].removing).collect();
        for (k, i) in positions.into_iter().enumerate() {
            let s = &mut self.servers[i];
            let weight = next.weight(k);
            s.weight = weight;
            s.speed = next.speed(k);
            if let Some(name) = next.names.get(k)
                && *s.name != **name
            {
                s.name = name.as_str().into();
            }
        }
        self.balancer.pool_changed(&self.servers);
        self.sync_scenario();
    }

    /// Manual to automatic: schedule departures for what is in service. Automatic to
    /// manual: pending departures no longer count.
    fn switch_completions(&mut self) {
        let auto = self.scenario.completions == Completions::Auto;
        let now = self.now;
        let mut departures = Vec::new();
        for s in &mut self.servers {
            for r in &mut s.in_service {
                r.due = auto.then(|| now + from_secs(r.request.cost / s.speed).max(1));
                if let Some(at) = r.due {
                    departures.push((at, s.id, r.request.id));
                }
            }
        }
        for (at, server, request) in departures {
            self.schedule(at, EventKind::Departure { server, request });
        }
    }
}
