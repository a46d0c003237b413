//! Scheduled faults at run time: the `faults` setting's entries
//! ([`FaultSchedule`](crate::scenario::FaultSchedule)) start and end as events, and while they
//! last they take their server down, slow it, or fail part of the attempts placed on it.
//!
//! - **down** takes the server down as [`Engine::fail`] does (what it holds fails, retried if
//!   retries are on; the health checks notice at their next check) and brings it up at the
//!   end as [`Engine::heal`] does (the balancer sends it traffic again from the health check
//!   that sees it up). The end heals only a server the schedule took down: one failed by hand
//!   before stays down.
//! - **slow=F** multiplies the speed of the attempts the server starts while it lasts, as
//!   [`Engine::set_speed`] changes a speed: an attempt already in service keeps the speed it
//!   started at, and one started during the fault keeps the slow speed to its end.
//! - **errors=P** fails each attempt placed on the server with chance P (a stream of random
//!   numbers of its own, so no other draw moves): the server answers with an error after
//!   `error-latency` seconds, holding no worker and no place in its queue but a
//!   **connection** ([`AttemptState::Erring`]): its connection count, the bar in the web app,
//!   `max_connections`, the mean connections and the balancers that read connections (least
//!   connections, power of two, peak EWMA, bounded load) count it until its error comes back,
//!   as Envoy counts a request awaiting its upstream's answer as active whatever the answer
//!   (and nginx's `least_conn` a connection). So an erring server with a long error latency
//!   looks busy to least connections, which avoids it, and one that errs fast looks idle and
//!   draws the traffic (a sinkhole). It counts toward `max-requests` too. When the error
//!   comes back the request retries or fails, as after any failure, and a balancer that learns
//!   from response times (peak EWMA) learns the error's, as from an answer. Its client's timeout may
//!   come first (or, for a hedge's copy, the other copy's answer): the attempt is then timed
//!   out (or lost) as any other and leaves its server at once, `cancel` or not, as Envoy
//!   resets the upstream request at its per-try timeout, which ends the host's active
//!   request: `cancel=false` stands for a server that goes on with work nobody waits for, and
//!   an erring attempt has none (it is counted `cancelled` only with `cancel`). Its server
//!   failing breaks the connection: the attempt fails then. A server being removed waits for
//!   its errors, as for what it serves.
//!
//! **Overlaps** on one server: down wins over the others; slow factors multiply; errors take
//! the largest P. A fault naming a server that has been removed by its start does nothing.
//!
//! **A server removed** (by hand, or by a smaller pool) takes its entries out of the
//! scenario's schedule: they do nothing any more, and the scenario stays one that validates
//! (a fault may only name a server the scenario has).
//!
//! **A new schedule** (reconfiguration) replaces the old one from now: the faults of the old
//! one stop, the new one's faults whose window holds now are in progress at once (a server
//! down under both stays down, without a blip), later ones start at their time, and those
//! already past stay past.

use super::Engine;
use super::events::EventKind;
use super::life::{Attempt, AttemptState};
use super::meter::Noticed;
use crate::balancer::Outcome;
use crate::rng::SimRng;
use crate::scenario::FaultKind;
use crate::server::{Health, ServerId};
use crate::time::{after, from_secs};

/// The random stream of the `errors` faults' draws: one no other mechanism uses.
const ERRORS_STREAM: u64 = 19;

/// What the faults in progress do to one server.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Effect {
    server: ServerId,
    down: bool,
    /// The product of the slow factors (1 with none).
    slow: f64,
    /// The largest error fraction (0 with none).
    errors: f64,
}

/// The schedule's state in a running engine: which entries are in progress, on which
/// server, and what they do to it.
#[derive(Debug)]
pub(super) struct Faults {
    /// Events of an older schedule (before a reconfiguration) carry an older generation.
    generation: u64,
    /// Entries in progress: their position in the schedule and their server.
    active: Vec<(u32, ServerId)>,
    /// What they do, per server they touch (at most one per entry in progress).
    effects: Vec<Effect>,
    /// The servers the schedule took down, which the end of their faults heals.
    downed: Vec<ServerId>,
    rng: SimRng,
}

impl Faults {
    /// No fault in progress, the `errors` draws seeded from `seed`.
    pub fn new(seed: u64) -> Faults {
        Faults {
            generation: 0,
            active: Vec::new(),
            effects: Vec::new(),
            downed: Vec::new(),
            rng: SimRng::new(seed, ERRORS_STREAM),
        }
    }

    fn effect(&self, server: ServerId) -> Option<&Effect> {
        self.effects.iter().find(|e| e.server == server)
    }

    /// `speed` as the faults in progress on `server` make it.
    pub fn speed(&self, server: ServerId, speed: f64) -> f64 {
        match self.effect(server) {
            Some(e) => (speed * e.slow).clamp(1e-9, 1e12),
            None => speed,
        }
    }
}

impl Engine {
    /// What the scheduled faults in progress do to `servers[i]`, if any does more than take
    /// it down: the factor its speed is multiplied by (1 if none slows it) and the fraction
    /// of its attempts that fail (0 if none).
    pub fn fault_on(&self, i: usize) -> Option<(f64, f64)> {
        let e = self.faults.effect(self.servers.get(i)?.id)?;
        (e.slow != 1.0 || e.errors > 0.0).then_some((e.slow, e.errors))
    }

    /// Schedules the start and end of every entry of the scenario's schedule still to come,
    /// superseding those of any older schedule, and puts those whose window holds now in
    /// progress at once.
    pub(super) fn schedule_faults(&mut self) {
        self.faults.generation += 1;
        let generation = self.faults.generation;
        self.faults.active.clear();
        let now = self.now;
        for (k, f) in self.scenario.faults.0.iter().enumerate() {
            let (start, end) = (from_secs(f.start), from_secs(f.end));
            if end <= now {
                continue;
            }
            let index = k as u32;
            if start <= now {
                if let Some(i) = self.position(&f.server) {
                    self.faults.active.push((index, self.servers[i].id));
                }
            } else {
                self.events.schedule(start, EventKind::Fault { generation, index, starts: true });
            }
            self.events.schedule(end, EventKind::Fault { generation, index, starts: false });
        }
        self.apply_faults();
    }

    /// Takes out of the scenario's schedule the entries naming a server the pool no longer
    /// has (or is removing), and schedules the rest anew if any went.
    pub(super) fn prune_faults(&mut self) {
        if self.scenario.faults.is_empty() {
            return;
        }
        let staying: rustc_hash::FxHashSet<&str> =
            self.servers.iter().filter(|s| !s.removing).map(|s| &*s.name).collect();
        let before = self.scenario.faults.0.len();
        let mut schedule = std::mem::take(&mut self.scenario.faults);
        schedule.0.retain(|f| staying.contains(f.server.as_str()));
        let pruned = schedule.0.len() != before;
        self.scenario.faults = schedule;
        if pruned {
            self.schedule_faults();
        }
    }

    /// Entry `index` of the schedule starts (`starts`) or ends now, if the schedule is
    /// still the one of `generation`.
    pub(super) fn on_fault(&mut self, generation: u64, index: u32, starts: bool) {
        if generation != self.faults.generation {
            return;
        }
        let Some(fault) = self.scenario.faults.0.get(index as usize) else { return };
        let kind = fault.kind;
        if starts {
            let Some(i) = self.position(&fault.server) else { return };
            let server = self.servers[i].id;
            self.faults.active.push((index, server));
            self.notice(server, Noticed::Fault { kind, starts });
        } else if let Some(at) = self.faults.active.iter().position(|&(k, _)| k == index) {
            let (_, server) = self.faults.active.remove(at);
            self.notice(server, Noticed::Fault { kind, starts });
        }
        self.apply_faults();
    }

    /// Works out what the faults in progress do to each server, then takes down the servers
    /// a down fault has just reached and heals those the schedule took down whose last down
    /// fault has just ended.
    fn apply_faults(&mut self) {
        let mut effects: Vec<Effect> = Vec::new();
        for &(k, server) in &self.faults.active {
            let Some(fault) = self.scenario.faults.0.get(k as usize) else { continue };
            let e = match effects.iter_mut().position(|e| e.server == server) {
                Some(at) => &mut effects[at],
                None => {
                    effects.push(Effect { server, down: false, slow: 1.0, errors: 0.0 });
                    effects.last_mut().expect("just pushed")
                }
            };
            match fault.kind {
                FaultKind::Down => e.down = true,
                FaultKind::Slow(f) => e.slow *= f,
                FaultKind::Errors(p) => e.errors = e.errors.max(p),
            }
        }
        self.faults.effects = effects;
        let down: Vec<ServerId> = self.faults.effects.iter().filter(|e| e.down).map(|e| e.server).collect();
        let healed: Vec<ServerId> = self.faults.downed.iter().copied().filter(|s| !down.contains(s)).collect();
        self.faults.downed.retain(|s| down.contains(s));
        for server in healed {
            if let Some(i) = self.index(server) {
                let _ = self.heal(i);
            }
        }
        for server in down {
            if let Some(i) = self.index(server)
                && self.servers[i].health != Health::Down
            {
                self.faults.downed.push(server);
                let _ = self.fail(i);
            }
        }
    }

    /// Whether an `errors` fault fails `attempt`, placed on `servers[i]` now: a draw of its
    /// stream when one is in progress there. If it does, the attempt is a connection of the
    /// server, erring, until its error comes back `error-latency` from now (a copy of a hedge
    /// as much as a first attempt or a retry); returns what the decision says.
    pub(super) fn fault_error(&mut self, i: usize, attempt: Attempt) -> Option<Outcome> {
        let server = self.servers[i].id;
        let p = self.faults.effect(server)?.errors;
        if p <= 0.0 || self.faults.rng.unit() >= p {
            return None;
        }
        let now = self.now;
        let s = &mut self.servers[i];
        s.account(now);
        s.erring.push_back(attempt);
        s.stats.max_connections = s.stats.max_connections.max(s.connections());
        let name = s.name.clone();
        self.load.erring += 1;
        self.sent(i, attempt, AttemptState::Erring);
        self.balancer.connections_changed(&self.servers, i);
        let (request, number) = (attempt.request, attempt.number);
        let at = after(now, from_secs(self.scenario.error_latency));
        self.events.schedule(at, EventKind::ErrorAnswer { server, request, attempt: number });
        Some(Outcome::Erred { server: name })
    }

    /// The error an `errors` fault gave attempt `number` of request number `request` on
    /// `server` comes back, if its request still waits on it there (its server failing, or
    /// its client's timeout, or another copy's answer, took it off before): the connection
    /// ends, and the request goes on waiting on its other copy if it has one, else retries or
    /// is settled failed. An erring attempt nobody waits on is never held, so a stale error
    /// costs no search (one per error would be quadratic in the errors on their way).
    pub(super) fn on_error_answer(&mut self, server: ServerId, request: u64, number: u32) {
        let waited = self.lives.requests.get(&request).and_then(|r| r.waiting.get(number));
        if !waited.is_some_and(|c| c.state == AttemptState::Erring && c.server == server) {
            return;
        }
        let Some(i) = self.index(server) else { return };
        let now = self.now;
        let s = &mut self.servers[i];
        let Some(pos) = s.erring.iter().position(|a| a.request == request && a.number == number) else { return };
        s.account(now);
        let Some(attempt) = s.erring.remove(pos) else { return };
        if self.meter.in_window(attempt.request) {
            s.stats.errors += 1;
        }
        self.load.erring -= 1;
        // An error is an answer: a balancer that learns from response times learns from it,
        // as peak EWMA does in tower (Linkerd) and Finagle, whose measurement ends with the
        // response, failed or not. A server erring fast so looks fast (and draws traffic).
        self.balancer.observe(i, now.saturating_sub(attempt.sent()), now);
        self.balancer.connections_changed(&self.servers, i);
        if self.servers[i].removing && self.servers[i].connections() == 0 {
            self.delete(i);
        }
        // after the deletion, as a departure settles last: what follows may move positions
        let explain = self.meter.log_capacity > 0;
        self.held_attempt_failed(server, attempt, None, explain);
    }
}
