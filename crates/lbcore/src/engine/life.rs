//! A request's life. A **request** is the client's view: it arrives at the balancer once, with
//! a key and a cost, and ends with one [`Fate`]. An **attempt** is the servers' view: one
//! sending of a request to one server. A request owns its attempts, the first and each retry,
//! and waits on at most one of them at a time; each attempt goes through the state machine of
//! [`AttemptState`].
//!
//! Every operation on either is a transition written here: an attempt is sent, queued,
//! started, answered, failed, timed out or cancelled; a request is retried (at once or after
//! a backoff) or settled with its fate. The accounting is computed from the fates, in one
//! place ([`Counters::in_flight`]): every request that arrived is a cache hit, answered,
//! rejected, failed, timed out, refused, or in flight, and the requests in flight are exactly
//! those this room holds ([`Engine::check_invariant`] checks both, and that the attempts the
//! servers hold are the ones a request waits on plus those nobody waits on any more).
//!
//! [`Counters::in_flight`]: crate::metrics::Counters::in_flight

use rustc_hash::FxHashMap;

use super::Engine;
use super::events::EventKind;
use crate::balancer::Outcome;
use crate::metrics::Counters;
use crate::rng::SimRng;
use crate::scenario::{Backoff, Completions, Jitter};
use crate::server::{InService, ServerId};
use crate::time::{Nanos, after, from_secs};

/// Where a request ended up, or that it has not yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// Answered by a cache (the shared one, or the chosen server's) without a server's work.
    CacheHit,
    /// Answered by a server while its client waited.
    Answered,
    /// Turned away: no eligible server, or the chosen server's queue was full.
    Rejected,
    /// Its last attempt failed (a failed server) and no retry was left.
    Failed,
    /// Its client stopped waiting for its last attempt and no retry was left.
    TimedOut,
    /// Refused at once by a circuit breaker (reserved for the breakers: nothing refuses yet).
    Refused,
    /// Waiting on an attempt, or on the backoff before its next.
    InFlight,
}

impl Fate {
    /// The counter this fate is tallied in (`None` for in flight, which is what is left).
    fn tally(self) -> Option<fn(&mut Counters)> {
        Some(match self {
            Fate::CacheHit => |c| c.cache_hits += 1,
            Fate::Answered => |c| c.completed += 1,
            Fate::Rejected => |c| c.rejected += 1,
            Fate::Failed => |c| c.failed += 1,
            Fate::TimedOut => |c| c.timed_out += 1,
            Fate::Refused => |c| c.refused += 1,
            Fate::InFlight => return None,
        })
    }
}

/// Where one attempt is. Sent to a server, it is queued or in service at once (or fails, if
/// the server is down); from either it ends answered, failed (its server failed), timed out
/// (its client stopped waiting; it stays on the server, which finishes it as wasted work) or
/// cancelled (timed out and taken off its server). A timed-out attempt still held ends when
/// its server finishes or fails it, and stays timed out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptState {
    /// Waiting in a server's queue.
    Queued,
    /// On one of a server's workers.
    InService,
    /// Its server finished it while the client waited: the request's answer.
    Answered,
    /// The client stopped waiting for it.
    TimedOut,
    /// Its server was down or failed while holding it.
    Failed,
    /// Timed out and taken off its server.
    Cancelled,
}

impl AttemptState {
    /// Whether an attempt in this state may move to `next`: the state machine's edges.
    pub fn may_become(self, next: AttemptState) -> bool {
        use AttemptState::*;
        matches!(
            (self, next),
            (Queued, InService | TimedOut | Failed | Cancelled) | (InService, Answered | TimedOut | Failed | Cancelled)
        )
    }
}

/// One attempt as a server holds it: which request, which of its attempts, and what the
/// server needs of the request (its key and work).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Attempt {
    /// The request's sequence number, unique in the run.
    pub request: u64,
    /// 0 for the first attempt, 1 for the first retry, and so on.
    pub number: u32,
    /// The request's key (cache key, hash key).
    pub key: u64,
    /// Work in seconds at speed 1.0.
    pub cost: f64,
    /// When the request arrived at the balancer.
    pub arrived: Nanos,
}

/// The client's settings for one request's attempts.
#[derive(Clone, Copy, Debug)]
struct Policy {
    retries: u32,
    timeout: Option<f64>,
    cancel: bool,
    backoff: Backoff,
    backoff_base: f64,
    backoff_cap: f64,
    jitter: Jitter,
}

/// A request in flight, as its client sees it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Request {
    /// The attempt it waits on (`None` while it waits to retry).
    pub waiting_on: Option<Current>,
    /// The server of its last attempt, which a retry avoids.
    pub tried: ServerId,
    /// Its previous backoff in seconds (decorrelated jitter grows from it).
    pub backoff_s: f64,
    /// Its last attempt sent, or the next to send while it waits to retry (the key, work and
    /// arrival every attempt carries).
    pub attempt: Attempt,
}

/// The attempt a request waits on: its number, its server and its state.
#[derive(Clone, Copy, Debug)]
pub(super) struct Current {
    pub number: u32,
    pub server: ServerId,
    pub state: AttemptState,
}

/// The requests in flight, by sequence number, and the attempts the servers still hold that
/// nobody waits on.
#[derive(Debug, Default)]
pub(super) struct Lives {
    pub requests: FxHashMap<u64, Request>,
    /// Attempts held by servers whose client stopped waiting (timed out, not cancelled).
    pub abandoned: u64,
}

impl Lives {
    /// Whether no request is in flight and the servers hold nothing.
    pub fn is_empty(&self) -> bool {
        self.requests.is_empty() && self.abandoned == 0
    }

    /// Whether a server may hold `attempt` unwaited for: its request is settled, or waits on
    /// another attempt.
    fn abandoned(&self, attempt: &Attempt) -> bool {
        self.requests.get(&attempt.request).and_then(|r| r.waiting_on).is_none_or(|c| c.number != attempt.number)
    }
}

impl Engine {
    // === requests ===

    /// Settles request number `request` with `fate`: it leaves flight, counted once.
    pub(super) fn settle(&mut self, request: u64, fate: Fate) {
        if let Some(tally) = fate.tally() {
            self.meter.count(request, tally);
            self.lives.requests.remove(&request);
        }
    }

    /// `attempt` failed on `failed` or its client stopped waiting for it there: the request
    /// retries if it has a retry left, at once or after its backoff, else it is settled with
    /// `fate`. Returns whether it retried.
    fn retry_or_settle(&mut self, attempt: Attempt, failed: ServerId, fate: Fate, explain: bool) -> bool {
        if attempt.number >= self.policy().retries {
            self.settle(attempt.request, fate);
            return false;
        }
        self.meter.count(attempt.request, |c| c.retried += 1);
        let next = Attempt { number: attempt.number + 1, ..attempt };
        let previous = self.lives.requests.get(&attempt.request).map_or(self.policy().backoff_base, |r| r.backoff_s);
        let Some(wait) = self.backoff(attempt.number, previous) else {
            let tried = self.index(failed);
            self.route(next, tried, explain);
            return true;
        };
        let waiting = Request { waiting_on: None, tried: failed, backoff_s: wait, attempt: next };
        self.lives.requests.insert(attempt.request, waiting);
        self.events.schedule(after(self.now, from_secs(wait)), EventKind::Retry { request: attempt.request });
        true
    }

    /// The wait in seconds before the retry after attempt `n` (0 for the first attempt),
    /// `None` without backoff: `min(cap, base x 2^n)` (exponential) or `min(cap, base)`
    /// (constant), then jittered as the AWS backoff simulator draws it: full `uniform(0, b)`,
    /// equal `b / 2 + uniform(0, b / 2)`, decorrelated `min(cap, uniform(base, 3 x
    /// previous))`, `previous` the request's last wait (`base` before its first).
    fn backoff(&mut self, n: u32, previous: f64) -> Option<f64> {
        let p = self.policy();
        let b = match p.backoff {
            Backoff::None => return None,
            Backoff::Constant => p.backoff_base.min(p.backoff_cap),
            Backoff::Exponential => libm::ldexp(p.backoff_base, n.min(1_100) as i32).min(p.backoff_cap),
        };
        Some(p.jitter.draw(b, p.backoff_base, p.backoff_cap, previous, &mut self.jitter_rng))
    }

    /// What the client does about a slow or failed attempt, as the scenario says now.
    fn policy(&self) -> Policy {
        Policy {
            retries: u32::from(self.scenario.retry),
            timeout: None,
            cancel: false,
            backoff: Backoff::None,
            backoff_base: 0.025,
            backoff_cap: 1.0,
            jitter: Jitter::None,
        }
    }

    /// A retry's backoff has passed: its next attempt is sent.
    pub(super) fn on_retry(&mut self, request: u64) {
        let Some(r) = self.lives.requests.get(&request) else { return };
        let (next, tried) = (r.attempt, self.index(r.tried));
        let explain = self.meter.log_capacity > 0;
        self.route(next, tried, explain);
    }

    // === attempts ===

    /// `attempt` was given a place on `servers[i]` (`state`: queued or in service): its
    /// request now waits on it, until its timeout if it has one.
    pub(super) fn sent(&mut self, i: usize, attempt: Attempt, state: AttemptState) {
        let server = self.servers[i].id;
        let current = Current { number: attempt.number, server, state };
        let base = self.policy().backoff_base;
        let r = self.lives.requests.entry(attempt.request).or_insert(Request {
            waiting_on: None,
            tried: server,
            backoff_s: base,
            attempt,
        });
        (r.waiting_on, r.tried, r.attempt) = (Some(current), server, attempt);
        if let Some(timeout) = self.policy().timeout {
            let at = after(self.now, from_secs(timeout).max(1));
            self.events.schedule(at, EventKind::Timeout { request: attempt.request, attempt: attempt.number });
        }
    }

    /// Moves the attempt a request waits on to `next`, if `attempt` is that one.
    fn transition(&mut self, attempt: &Attempt, next: AttemptState) {
        if let Some(Request { waiting_on: Some(c), .. }) = self.lives.requests.get_mut(&attempt.request)
            && c.number == attempt.number
        {
            debug_assert!(c.state.may_become(next), "{:?} to {next:?}", c.state);
            c.state = next;
        }
    }

    /// Puts `attempt` on a free worker of `servers[i]` and schedules its departure.
    pub(super) fn start(&mut self, i: usize, attempt: Attempt) {
        let now = self.now;
        let auto = self.scenario.completions == Completions::Auto;
        let s = &mut self.servers[i];
        s.account(now);
        let due = auto.then(|| after(now, from_secs(attempt.cost / s.speed).max(1)));
        s.in_service.push(InService { attempt, due, started: now });
        s.stats.max_connections = s.stats.max_connections.max(s.connections());
        let server = s.id;
        if let Some(at) = due {
            self.events
                .schedule(at, EventKind::Departure { server, request: attempt.request, attempt: attempt.number });
        }
    }

    /// Starts the next queued attempt of `servers[i]` if a worker is free.
    pub(super) fn start_next(&mut self, i: usize) {
        let s = &mut self.servers[i];
        if s.in_service.len() < s.workers as usize
            && let Some(next) = s.waiting.pop_front()
        {
            self.start(i, next);
            self.transition(&next, AttemptState::InService);
        }
    }

    /// The attempt at `pos` on `servers[i]`'s workers is finished now: the request's answer if
    /// its client still waits on it, wasted work if not. Returns the response time.
    pub(super) fn depart(&mut self, i: usize, pos: usize) -> Nanos {
        let now = self.now;
        let s = &mut self.servers[i];
        s.account(now);
        let done = s.in_service.remove(pos);
        let attempt = done.attempt;
        if self.meter.in_window(attempt.request) {
            s.stats.completed += 1;
        }
        if let Some(cache) = &mut s.cache {
            cache.insert(attempt.key, now);
        }
        self.start_next(i);
        if let Some(cache) = &mut self.shared_cache {
            cache.insert(attempt.key, now);
        }
        let response = now - attempt.arrived;
        self.meter.count(attempt.request, |c| c.served += 1);
        if self.lives.abandoned(&attempt) {
            self.forget(&done);
        } else {
            self.transition(&attempt, AttemptState::Answered);
            self.settle(attempt.request, Fate::Answered);
            self.meter.record_response(attempt.request, response);
        }
        self.balancer.observe(i, response, now);
        self.balancer.connections_changed(&self.servers, i);
        if self.servers[i].removing && self.servers[i].connections() == 0 {
            self.delete(i);
        }
        response
    }

    /// An attempt nobody waited for leaves its server: what it was served is wasted.
    fn forget(&mut self, done: &InService) {
        self.lives.abandoned -= 1;
        let wasted = u128::from(self.now.saturating_sub(done.started));
        self.meter.count(done.attempt.request, |c| c.wasted_ns += wasted);
    }

    /// `attempt`, held by `server` (`started`: when it went on a worker there, if it
    /// did), fails with its server: its request retries or fails; an attempt nobody waits on
    /// any more only leaves, what it was served wasted. Returns whether the request retried.
    pub(super) fn held_attempt_failed(
        &mut self,
        server: ServerId,
        attempt: Attempt,
        started: Option<Nanos>,
        explain: bool,
    ) -> bool {
        if self.lives.abandoned(&attempt) {
            self.forget(&InService { attempt, due: None, started: started.unwrap_or(self.now) });
            return false;
        }
        self.transition(&attempt, AttemptState::Failed);
        self.retry_or_settle(attempt, server, Fate::Failed, explain)
    }

    /// `attempt` came to `servers[i]`, which is down: it fails there, and its request retries
    /// or fails. What the decision says happened.
    pub(super) fn failed_on_arrival(&mut self, i: usize, attempt: Attempt, explain: bool) -> Outcome {
        let server = self.servers[i].name.clone();
        let retried = self.retry_or_settle(attempt, self.servers[i].id, Fate::Failed, explain);
        Outcome::Failed { server, retried }
    }

    /// Request number `request`'s client stops waiting for its attempt `number`, if it still
    /// waits on it: the attempt is cancelled (taken off its server) or left to finish as
    /// wasted work, and the request retries or is settled timed out.
    pub(super) fn on_timeout(&mut self, request: u64, number: u32) {
        let cancel = self.policy().cancel;
        let Some(r) = self.lives.requests.get_mut(&request) else { return };
        let Some(current) = r.waiting_on.filter(|c| c.number == number) else { return };
        let next = if cancel { AttemptState::Cancelled } else { AttemptState::TimedOut };
        debug_assert!(current.state.may_become(next), "{:?} to {next:?}", current.state);
        r.waiting_on = None;
        let attempt = Attempt { number, ..r.attempt };
        if cancel {
            self.cancel(current.server, attempt);
        } else {
            self.lives.abandoned += 1;
        }
        let explain = self.meter.log_capacity > 0;
        self.retry_or_settle(attempt, current.server, Fate::TimedOut, explain);
    }

    /// Takes `attempt` off `server`: from its workers (what it was served is wasted, and the
    /// next queued attempt starts) or from its queue, searched from the front, where the
    /// oldest attempts, the first to time out, wait.
    fn cancel(&mut self, server: ServerId, attempt: Attempt) {
        let Some(i) = self.index(server) else { return };
        let now = self.now;
        let s = &mut self.servers[i];
        s.account(now);
        let is_it = |a: &Attempt| a.request == attempt.request && a.number == attempt.number;
        if let Some(pos) = s.in_service.iter().position(|r| is_it(&r.attempt)) {
            let done = s.in_service.remove(pos);
            let wasted = u128::from(now.saturating_sub(done.started));
            self.meter.count(attempt.request, |c| c.wasted_ns += wasted);
            self.start_next(i);
        } else if let Some(pos) = s.waiting.iter().position(is_it) {
            s.waiting.remove(pos);
        } else {
            return;
        }
        self.meter.count(attempt.request, |c| c.cancelled += 1);
        self.balancer.connections_changed(&self.servers, i);
        if self.servers[i].removing && self.servers[i].connections() == 0 {
            self.delete(i);
        }
    }
}

impl Jitter {
    /// A wait drawn around the backoff `b` (seconds), as the AWS backoff simulator draws it:
    /// none `b`; full `uniform(0, b)`; equal `b / 2 + uniform(0, b / 2)`; decorrelated
    /// `min(cap, uniform(base, 3 x previous))`, which grows from the request's last wait and
    /// ignores `b`.
    pub fn draw(self, b: f64, base: f64, cap: f64, previous: f64, rng: &mut SimRng) -> f64 {
        match self {
            Jitter::None => b,
            Jitter::Full => rng.unit() * b,
            Jitter::Equal => b / 2.0 + rng.unit() * (b / 2.0),
            Jitter::Decorrelated => (base + rng.unit() * (3.0 * previous - base).max(0.0)).min(cap),
        }
    }
}
