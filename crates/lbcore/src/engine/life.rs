//! A request's life. A **request** is the client's view: it arrives at the balancer once, with
//! a key and a cost, and ends with one [`Fate`]. An **attempt** is the servers' view: one
//! sending of a request to one server. A request owns its attempts, the first, each retry and
//! at most one hedge's copy ([`hedge`](super::hedge)), and waits on at most two of them at a
//! time: the one it sent last (the first or a retry) and, once hedged, its copy ([`Copies`]);
//! each attempt goes through the state machine of [`AttemptState`].
//!
//! Every operation on either is a transition written here: an attempt is sent, queued,
//! started, answered, failed, timed out, lost (its request was answered by another copy) or
//! cancelled; a request is retried (at once or after a backoff, when it waits on no copy any
//! more) or settled with its fate, and a copy still waited on when it is settled is lost. The accounting is computed from the fates, in one
//! place ([`Counters::in_flight`]): every request that arrived is a cache hit, answered,
//! rejected, failed, timed out, refused, or in flight, and the requests in flight are exactly
//! those this room holds ([`Engine::check_invariant`] checks both, and that the attempts the
//! servers hold are the ones a request waits on plus those nobody waits on any more). In a
//! whole run whose departures are settled late (`lazy`), each request in flight is its one
//! attempt on one server, so the table is not kept during the run but written from the
//! servers at its end.
//!
//! [`Counters::in_flight`]: crate::metrics::Counters::in_flight

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::num::NonZeroU64;

use super::Engine;
use super::events::EventKind;
use super::meter::Noticed;
use super::numbered::RequestTable;
use crate::balancer::Outcome;
use crate::metrics::Counters;
use crate::rng::SimRng;
use crate::scenario::{Backoff, Completions, Jitter};
use crate::server::{InService, ServerId};
use crate::time::{Nanos, after, from_secs, to_secs};

/// Where a request ended up, or that it has not yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// Answered by a cache (the shared one, or the chosen server's) without a server's work.
    CacheHit,
    /// Answered by a server while its client waited.
    Answered,
    /// Turned away: no eligible server, or the chosen server's queue was full.
    Rejected,
    /// Its last attempt failed (a failed server, or an `errors` fault) and no retry was left.
    Failed,
    /// Its client stopped waiting for its last attempt and no retry was left.
    TimedOut,
    /// Refused at once by a circuit breaker, before reaching a server (see
    /// [`breakers`](super::breakers)); never retried.
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

/// Where one attempt is. Sent to a server, it is queued or in service at once, or erring if
/// an `errors` fault fails it (or fails, if the server is down); from queued or in service it
/// ends answered, failed (its server failed), timed out (its client stopped waiting; it stays
/// on the server, which finishes it as wasted work), lost (another copy of its request was
/// answered first; it stays on the server too) or cancelled (timed out or lost, and taken off
/// its server). Erring, it ends failed when its error comes back (or its server fails first),
/// or timed out, lost or cancelled as the others, a connection of its server to the end;
/// timed out or lost it leaves its server then, `cancel` or not, having no work to finish
/// (Envoy resets an upstream request at its per-try timeout, and a hedge's loser). A
/// timed-out or lost attempt still held ends when its server finishes or fails it, and stays
/// as it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptState {
    /// Waiting in a server's queue.
    Queued,
    /// On one of a server's workers.
    InService,
    /// Failed by an `errors` fault, its error on the way back: a connection of its server,
    /// on no worker and in no queue.
    Erring,
    /// Its server finished it while the client waited: the request's answer.
    Answered,
    /// The client stopped waiting for it.
    TimedOut,
    /// Its server was down or failed while holding it.
    Failed,
    /// Timed out or lost, and taken off its server.
    Cancelled,
    /// Another copy of its request was answered first (or its request was answered by a
    /// cache): its server finishes it as wasted work.
    Lost,
}

impl AttemptState {
    /// Whether an attempt in this state may move to `next`: the state machine's edges.
    pub fn may_become(self, next: AttemptState) -> bool {
        use AttemptState::*;
        matches!(
            (self, next),
            (Queued, InService | TimedOut | Failed | Cancelled | Lost)
                | (InService, Answered | TimedOut | Failed | Cancelled | Lost)
                | (Erring, Failed | TimedOut | Cancelled | Lost)
        )
    }
}

/// One attempt as a server holds it: which request, which of its attempts, and what the
/// server needs of the request (its key and work).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Attempt {
    /// The request's sequence number, unique in the run.
    pub request: u64,
    /// 0 for the first attempt, 1 for the first retry, and so on; a hedge's copy of attempt n
    /// is `n | HEDGE_COPY` ([`Attempt::HEDGE_COPY`]).
    pub number: u32,
    /// Seconds from the request's arrival to this attempt's sending ([`Attempt::sent`]): 0 for
    /// a first attempt; for a retry, its earlier tries and its backoff; for a hedge's copy, the
    /// hedge's delay too. An `f32` in the
    /// padding after `number` (exact to about 1e-7 of itself: 0.1 µs a second), where a `Nanos`
    /// made the attempt 48 bytes and a 10-million-request run 5% slower.
    pub sent_after_s: f32,
    /// The request's key (cache key, hash key).
    pub key: u64,
    /// Work in seconds at speed 1.0.
    pub cost: f64,
    /// When the request arrived at the balancer: its client's response time runs from here.
    pub arrived: Nanos,
}

impl Attempt {
    /// The mark of a hedge's copy on its number: a copy is a second sending of the attempt it
    /// copies, not a retry (at most one a request, so the number stays unique).
    pub const HEDGE_COPY: u32 = 1 << 31;

    /// Whether it is a hedge's copy.
    #[inline]
    pub fn is_hedge(&self) -> bool {
        self.number & Self::HEDGE_COPY != 0
    }

    /// A new request's first attempt, sent as it arrives.
    pub fn first(request: u64, key: u64, cost: f64, arrived: Nanos) -> Attempt {
        Attempt { request, number: 0, sent_after_s: 0.0, key, cost, arrived }
    }

    /// When it was sent to its server (the balancer's pick, after any backoff or a hedge's
    /// delay): a balancer that learns from latency measures from here, as peak EWMA's round
    /// trip runs from the dispatch of a request to that endpoint (Finagle, tower). A first
    /// attempt was sent as it arrived (read without a float: this is every departure's path).
    #[inline]
    pub fn sent(&self) -> Nanos {
        if self.number == 0 { self.arrived } else { self.arrived + from_secs(f64::from(self.sent_after_s)) }
    }

    /// The same attempt, sent `now`: a retry or a hedge's copy, as it is routed.
    #[inline]
    pub fn sent_at(self, now: Nanos) -> Attempt {
        Attempt { sent_after_s: to_secs(now - self.arrived) as f32, ..self }
    }

    /// Which of its request's tries it is: 0 for the first (and the first's copy), n for the
    /// n-th retry (and its copy).
    #[inline]
    pub fn retry(&self) -> u32 {
        self.number & !Self::HEDGE_COPY
    }
}

/// A request in flight, as its client sees it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Request {
    /// The attempts it waits on (none while it waits to retry).
    pub waiting: Copies,
    /// The server of its last attempt, which a retry avoids.
    pub tried: ServerId,
    /// Its previous backoff in seconds (decorrelated jitter grows from it).
    pub backoff_s: f64,
    /// Its last attempt sent (not counting a hedge's copy), or the next to send while it
    /// waits to retry (the key, work and arrival every attempt carries).
    pub attempt: Attempt,
}

/// The attempts a request waits on: the one it sent last (the first or a retry) and its
/// hedge's copy, each in its own slot, so a request holds no allocation of its own.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Copies([Option<Current>; 2]);

impl Copies {
    /// The slot of attempt `number`: 1 for a hedge's copy.
    #[inline]
    fn slot(number: u32) -> usize {
        usize::from(number & Attempt::HEDGE_COPY != 0)
    }

    /// Attempt `number`, if the request waits on it.
    #[inline]
    pub fn get(&self, number: u32) -> Option<&Current> {
        self.0[Self::slot(number)].as_ref().filter(|c| c.number == number)
    }

    /// Attempt `number`, if the request waits on it, to change its state.
    #[inline]
    fn get_mut(&mut self, number: u32) -> Option<&mut Current> {
        self.0[Self::slot(number)].as_mut().filter(|c| c.number == number)
    }

    /// Stops waiting on attempt `number`, if it did: what it was.
    #[inline]
    fn take(&mut self, number: u32) -> Option<Current> {
        self.get(number)?;
        self.0[Self::slot(number)].take()
    }

    /// Waits on `current` too.
    #[inline]
    fn put(&mut self, current: Current) {
        self.0[Self::slot(current.number)] = Some(current);
    }

    /// The attempts waited on: none, one, or an attempt and its copy.
    pub fn iter(&self) -> impl Iterator<Item = &Current> {
        self.0.iter().flatten()
    }

    /// Whether it waits on none (it waits to retry).
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(Option::is_none)
    }

    /// The one attempt it waits on, if it waits on exactly one.
    pub fn single(&self) -> Option<&Current> {
        match &self.0 {
            [Some(c), None] | [None, Some(c)] => Some(c),
            _ => None,
        }
    }
}

/// The attempt a request waits on: its number, its server, its state and when its client
/// stops waiting for it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Current {
    pub number: u32,
    pub server: ServerId,
    pub state: AttemptState,
    /// Never 0 (a timeout comes at least 1 ns after its attempt was sent): 8 bytes, not an
    /// `Option<Nanos>`'s 16, and a request's entry is moved in and out of its table whole.
    pub timeout: Option<NonZeroU64>,
}

/// The requests in flight, by sequence number, the attempts the servers still hold that
/// nobody waits on, and the timeouts to come.
#[derive(Debug, Default)]
pub(super) struct Lives {
    pub requests: RequestTable<Request>,
    /// Attempts held by servers whose client stopped waiting (timed out, not cancelled).
    pub abandoned: u64,
    /// When each attempt waited on times out, `(at, request, attempt)`, earliest first. An
    /// attempt answered or failed stays until it is swept out, which happens whenever the
    /// heap holds twice the requests in flight (three times, with hedging: a request may
    /// wait on two): so it holds at most that many (one event per attempt in the event queue
    /// would stay there until its time, a rate x timeout of them).
    pub timeouts: BinaryHeap<Reverse<(Nanos, u64, u32)>>,
    /// When the earliest timeout event still to come is scheduled.
    pub timer: Option<Nanos>,
}

impl Lives {
    /// Adds the timeout of attempt `number` of request number `request`, at `at`; sweeps out
    /// those of attempts no longer waited on first, if they are twice as many as the requests
    /// (three times when `hedging`, so that the sweeps stay rare with two copies waited on).
    fn add_timeout(&mut self, at: Nanos, request: u64, number: u32, hedging: bool) {
        if self.timeouts.len() >= (2 + usize::from(hedging)) * self.requests.len() + 64 {
            let requests = &self.requests;
            self.timeouts.retain(|&Reverse((at, request, number))| {
                let waited = requests.get(&request).and_then(|r| r.waiting.get(number));
                waited.is_some_and(|c| c.timeout.map(NonZeroU64::get) == Some(at))
            });
        }
        self.timeouts.push(Reverse((at, request, number)));
    }

    /// Whether no request is in flight and the servers hold nothing.
    pub fn is_empty(&self) -> bool {
        self.requests.is_empty() && self.abandoned == 0
    }

    /// Whether a server may hold `attempt` unwaited for: its request is settled, or waits on
    /// other attempts.
    #[inline]
    fn abandoned(&self, attempt: &Attempt) -> bool {
        self.requests.get(&attempt.request).is_none_or(|r| r.waiting.get(attempt.number).is_none())
    }
}

impl Engine {
    // === requests ===

    /// Settles request number `request` with `fate`: it leaves flight, counted once. A copy it
    /// still waits on (answered by the other copy, or by a cache on the copy's way) is lost.
    pub(super) fn settle(&mut self, request: u64, fate: Fate) {
        self.settle_answered_by(request, fate, None);
    }

    /// [`Engine::settle`], where `answer` (if any) is the number of the attempt whose answer
    /// settles it: that attempt becomes answered, in the same look-up of the request that
    /// takes it out of flight, and is not lost.
    fn settle_answered_by(&mut self, request: u64, fate: Fate, answer: Option<u32>) {
        if let Some(tally) = fate.tally() {
            self.meter.count(request, tally);
            // what the request waits on is read in place (a request is 104 bytes: moving it
            // out whole cost a call to memcpy), then its entry is dropped
            if self.keeps_lives()
                && let Some(r) = self.lives.requests.get(&request)
            {
                let (waiting, attempt) = (r.waiting, r.attempt);
                self.lives.requests.discard(&request);
                for c in waiting.iter() {
                    if Some(c.number) == answer {
                        debug_assert!(c.state.may_become(AttemptState::Answered), "{:?} answered", c.state);
                    } else if matches!(c.state, AttemptState::Queued | AttemptState::InService | AttemptState::Erring) {
                        self.lose(Attempt { number: c.number, ..attempt }, c);
                    }
                }
            }
            self.retry_budgets.release(request);
        }
    }

    /// `attempt`, held by `c.server`, lost the race to another answer: it is taken off its
    /// server with `cancel`, else left to finish as wasted work (as a timed-out attempt is).
    fn lose(&mut self, attempt: Attempt, c: &Current) {
        let next = if self.scenario.cancel { AttemptState::Cancelled } else { AttemptState::Lost };
        debug_assert!(c.state.may_become(next), "{:?} to {next:?}", c.state);
        if self.scenario.cancel || c.state == AttemptState::Erring {
            self.cancel(c.server, attempt);
        } else {
            self.lives.abandoned += 1;
        }
    }

    /// `attempt` failed on `failed` or its client stopped waiting for it there, and the request
    /// waits on no other copy: it retries if it has a retry left and the retry budgets allow
    /// it, at once or after its backoff, else it is settled with `fate` (a retry the budgets
    /// refuse is counted in `budget_refused`). Returns whether it retried.
    pub(super) fn retry_or_settle(&mut self, attempt: Attempt, failed: ServerId, fate: Fate, explain: bool) -> bool {
        let n = attempt.retry();
        if n >= self.scenario.retries {
            self.settle(attempt.request, fate);
            return false;
        }
        // the requests in flight, this one included (not held yet if its first attempt failed
        // on arrival at a server that is down)
        let in_flight =
            self.lives.requests.len() as u64 + u64::from(!self.lives.requests.contains_key(&attempt.request));
        if !self.retry_budgets.allow(&self.scenario, attempt.request, in_flight, self.now) {
            self.meter.count(attempt.request, |c| c.budget_refused += 1);
            self.settle(attempt.request, fate);
            return false;
        }
        self.meter.count(attempt.request, |c| c.retried += 1);
        let next = Attempt { number: n + 1, ..attempt };
        let previous = self.lives.requests.get(&attempt.request).map_or(self.scenario.backoff_base, |r| r.backoff_s);
        let Some(wait) = self.backoff(n, previous) else {
            let tried = self.index(failed);
            self.route(next.sent_at(self.now), tried, explain);
            return true;
        };
        self.notice(failed, Noticed::Backoff { request: attempt.request, wait_s: wait });
        let waiting = Request { waiting: Copies::default(), tried: failed, backoff_s: wait, attempt: next };
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
        let p = &self.scenario;
        let b = match p.backoff {
            Backoff::None => return None,
            Backoff::Constant => p.backoff_base.min(p.backoff_cap),
            Backoff::Exponential => libm::ldexp(p.backoff_base, n.min(1_100) as i32).min(p.backoff_cap),
        };
        Some(p.jitter.draw(b, p.backoff_base, p.backoff_cap, previous, &mut self.jitter_rng))
    }

    /// A retry's backoff has passed: its next attempt is sent.
    pub(super) fn on_retry(&mut self, request: u64) {
        let Some(r) = self.lives.requests.get(&request) else { return };
        let (next, tried) = (r.attempt, self.index(r.tried));
        let explain = self.meter.log_capacity > 0;
        self.route(next.sent_at(self.now), tried, explain);
    }

    // === attempts ===

    /// `attempt` was given a place on `servers[i]` (`state`: queued, in service or erring): its
    /// request now waits on it (beside its other copy, for a hedge's), until its timeout if it
    /// has one: each copy has its own.
    #[cfg_attr(feature = "lazy-departures", inline(always))]
    pub(super) fn sent(&mut self, i: usize, attempt: Attempt, state: AttemptState) {
        if !self.keeps_lives() {
            return;
        }
        let server = self.servers[i].id;
        let timeout = self.scenario.timeout.map(|t| after(self.now, from_secs(t).max(1)));
        let current = Current { number: attempt.number, server, state, timeout: timeout.and_then(NonZeroU64::new) };
        let base = self.scenario.backoff_base;
        let r = self.lives.requests.get_or_insert(
            attempt.request,
            Request { waiting: Copies::default(), tried: server, backoff_s: base, attempt },
        );
        r.waiting.put(current);
        if !attempt.is_hedge() {
            (r.tried, r.attempt) = (server, attempt);
        }
        if let Some(at) = timeout {
            let hedging = self.scenario.hedge_after.is_some();
            self.lives.add_timeout(at, attempt.request, attempt.number, hedging);
            if self.lives.timer.is_none_or(|t| at < t) {
                self.lives.timer = Some(at);
                self.events.schedule(at, EventKind::Timeout);
            }
        }
    }

    /// Moves `attempt` to `next`, if its request waits on it.
    #[inline]
    fn transition(&mut self, attempt: &Attempt, next: AttemptState) {
        if self.keeps_lives()
            && let Some(r) = self.lives.requests.get_mut(&attempt.request)
            && let Some(c) = r.waiting.get_mut(attempt.number)
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
        let speed = self.faults.speed(s.id, s.speed);
        let due = auto.then(|| after(now, from_secs(attempt.cost / speed).max(1)));
        s.in_service.push(InService { attempt, due, started: now });
        self.load.in_service += 1;
        s.stats.max_connections = s.stats.max_connections.max(s.connections());
        let server = s.id;
        if let Some(at) = due
            && !self.lazy_start(i, at)
        {
            self.events
                .schedule(at, EventKind::Departure { server, request: attempt.request, attempt: attempt.number });
        }
    }

    /// Starts the next queued attempt of `servers[i]` if a worker is free, in the scenario's
    /// queue order.
    pub(super) fn start_next(&mut self, i: usize) {
        let s = &mut self.servers[i];
        if s.in_service.len() < s.workers as usize
            && let Some(next) = self.scenario.queue_order.take(s, self.now)
        {
            self.load.queued -= 1;
            self.start(i, next);
            self.transition(&next, AttemptState::InService);
        }
    }

    /// The attempt at `pos` on `servers[i]`'s workers is finished now: the request's answer if
    /// its client still waits on it (and its other copy, if any, is lost), wasted work if not.
    /// Returns the response time.
    pub(super) fn depart(&mut self, i: usize, pos: usize) -> Nanos {
        let now = self.now;
        let s = &mut self.servers[i];
        s.account(now);
        let done = s.take_in_service(pos);
        self.load.in_service -= 1;
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
        // (sent() is rounded through an f32: it may be a few ns past an answer that fast)
        let round_trip = now.saturating_sub(attempt.sent());
        self.meter.count(attempt.request, |c| c.served += 1);
        let answer = !self.keeps_lives() || !self.lives.abandoned(&attempt);
        if !answer {
            self.forget(&done);
        }
        self.balancer.observe(i, round_trip, now);
        self.balancer.connections_changed(&self.servers, i);
        if self.servers[i].removing && self.servers[i].connections() == 0 {
            self.delete(i);
        }
        // settled last: a copy lost and cancelled may empty (and so delete) a server, which
        // moves the positions `i` is one of
        if answer {
            self.settle_answered_by(attempt.request, Fate::Answered, Some(attempt.number));
            self.meter.record_response(attempt.request, response);
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
    /// did), fails with its server: its request goes on waiting on its other copy if it has
    /// one, else retries or fails; an attempt nobody waits on any more only leaves, what it was
    /// served wasted. Returns whether the request retried.
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
        if let Some(r) = self.lives.requests.get_mut(&attempt.request) {
            r.waiting.take(attempt.number);
            if !r.waiting.is_empty() {
                return false;
            }
        }
        self.retry_or_settle(attempt, server, Fate::Failed, explain)
    }

    /// `attempt` came to `servers[i]`, which is down: it fails there, and its request retries
    /// or fails; a hedge's copy only fails, its request waiting on the attempt it copied. What
    /// the decision says happened.
    pub(super) fn failed_on_arrival(&mut self, i: usize, attempt: Attempt, explain: bool) -> Outcome {
        let server = self.servers[i].name.clone();
        let retried = !attempt.is_hedge() && self.retry_or_settle(attempt, self.servers[i].id, Fate::Failed, explain);
        Outcome::Failed { server, retried }
    }

    /// A timeout event comes due: every attempt whose client stops waiting now is timed out,
    /// earliest first, and the next timeout event is scheduled.
    pub(super) fn on_timeouts(&mut self) {
        if self.lives.timer == Some(self.now) {
            self.lives.timer = None;
        }
        while let Some(&Reverse((at, request, number))) = self.lives.timeouts.peek()
            && at <= self.now
        {
            self.lives.timeouts.pop();
            self.time_out(request, number);
        }
        if let Some(&Reverse((at, ..))) = self.lives.timeouts.peek()
            && self.lives.timer.is_none_or(|t| at < t)
        {
            self.lives.timer = Some(at);
            self.events.schedule(at, EventKind::Timeout);
        }
    }

    /// Request number `request`'s client stops waiting for its attempt `number`, if it still
    /// waits on it (a timeout swept in late may be of an attempt answered or failed): the attempt
    /// is cancelled (taken off its server) or left to finish as wasted work, and the request
    /// goes on waiting on its other copy if it has one, else retries or is settled timed out.
    fn time_out(&mut self, request: u64, number: u32) {
        let cancel = self.scenario.cancel;
        let Some(r) = self.lives.requests.get_mut(&request) else { return };
        let Some(current) = r.waiting.take(number) else { return };
        let next = if cancel { AttemptState::Cancelled } else { AttemptState::TimedOut };
        debug_assert!(current.state.may_become(next), "{:?} to {next:?}", current.state);
        let attempt = Attempt { number, ..r.attempt };
        let other_copy = !r.waiting.is_empty();
        if cancel || current.state == AttemptState::Erring {
            self.cancel(current.server, attempt);
        } else {
            self.lives.abandoned += 1;
        }
        self.notice(current.server, Noticed::TimedOut { request, cancelled: cancel });
        if other_copy {
            return;
        }
        let explain = self.meter.log_capacity > 0;
        self.retry_or_settle(attempt, current.server, Fate::TimedOut, explain);
    }

    /// Logs `what` of `server` now, if the log is on and the server is still in the pool.
    pub(super) fn notice(&mut self, server: ServerId, what: Noticed) {
        if self.meter.log_capacity > 0
            && let Some(i) = self.index(server)
        {
            self.meter.notice(self.now, self.servers[i].name.clone(), what);
        }
    }

    /// Takes `attempt` (timed out or lost) off `server`: from its workers (what it was served is wasted, and the
    /// next queued attempt starts), from its queue, searched from the front, where the
    /// oldest attempts, the first to time out, wait, or from its erring attempts (with or
    /// without `cancel`: no work is left on it to finish; counted cancelled only with it).
    fn cancel(&mut self, server: ServerId, attempt: Attempt) {
        let Some(i) = self.index(server) else { return };
        let now = self.now;
        let s = &mut self.servers[i];
        s.account(now);
        let is_it = |a: &Attempt| a.request == attempt.request && a.number == attempt.number;
        if let Some(pos) = s.in_service.iter().position(|r| is_it(&r.attempt)) {
            let done = s.take_in_service(pos);
            self.load.in_service -= 1;
            let wasted = u128::from(now.saturating_sub(done.started));
            self.meter.count(attempt.request, |c| c.wasted_ns += wasted);
            self.start_next(i);
        } else if let Some(pos) = s.waiting.iter().position(is_it) {
            s.waiting.remove(pos);
            self.load.queued -= 1;
        } else if let Some(pos) = s.erring.iter().position(is_it) {
            s.erring.remove(pos);
            self.load.erring -= 1;
        } else {
            return;
        }
        if self.scenario.cancel {
            self.meter.count(attempt.request, |c| c.cancelled += 1);
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Arrivals, Choice};
    use crate::time::to_secs;
    use crate::{Algorithm, Engine, Scenario};

    #[test]
    fn an_attempt_is_40_bytes_its_sending_in_the_padding() {
        // servers' queues hold attempts by value: 48 bytes made 10 M requests 5% slower
        assert_eq!(std::mem::size_of::<Attempt>(), 40);
        let retry = |arrived| Attempt { number: 1, ..Attempt::first(1, 2, 0.5, arrived) };
        assert_eq!(Attempt::first(1, 2, 0.5, 7).sent(), 7, "a first attempt is sent as it arrives");
        let a = retry(3_000_000_000).sent_at(4_250_000_123);
        // an f32's step at 1.25 is 2^-23 s, 119 ns: within half of it
        assert!(a.sent().abs_diff(4_250_000_123) <= 60, "a second and a quarter later: {}", a.sent());
        let late = retry(0).sent_at(3_600_000_000_000);
        assert!(late.sent().abs_diff(3_600_000_000_000) < 200_000, "an hour later, to 0.2 ms: {}", late.sent());
    }

    /// Draws enough waits that a mean is known to within a few thousandths: the standard error
    /// of the mean of n uniform draws over a width w is w / sqrt(12 n), 0.0009 w for n = 100,000;
    /// each tolerance below is five of them, a bound a correct sampler misses once in millions.
    const DRAWS: usize = 100_000;

    fn draws(jitter: Jitter, b: f64, previous: f64) -> Vec<f64> {
        let mut rng = SimRng::new(7, 5);
        (0..DRAWS).map(|_| jitter.draw(b, 0.025, 1.0, previous, &mut rng)).collect()
    }

    fn mean(xs: &[f64]) -> f64 {
        xs.iter().sum::<f64>() / xs.len() as f64
    }

    /// Five standard errors of the mean of uniform draws over `width`.
    fn tolerance(width: f64) -> f64 {
        5.0 * width / (12.0 * DRAWS as f64).sqrt()
    }

    #[test]
    fn no_jitter_waits_the_backoff_itself() {
        assert!(draws(Jitter::None, 0.4, 0.025).iter().all(|&w| w == 0.4));
    }

    #[test]
    fn full_jitter_is_uniform_from_zero_to_the_backoff() {
        // uniform(0, b): within [0, b), mean b / 2
        let b = 0.4;
        let w = draws(Jitter::Full, b, 0.025);
        assert!(w.iter().all(|&x| (0.0..b).contains(&x)));
        assert!((mean(&w) - b / 2.0).abs() < tolerance(b), "mean {}", mean(&w));
    }

    #[test]
    fn equal_jitter_keeps_half_the_backoff_and_spreads_the_rest() {
        // b/2 + uniform(0, b/2): within [b/2, b), mean 3b/4
        let b = 0.4;
        let w = draws(Jitter::Equal, b, 0.025);
        assert!(w.iter().all(|&x| (b / 2.0..b).contains(&x)));
        assert!((mean(&w) - 0.75 * b).abs() < tolerance(b / 2.0), "mean {}", mean(&w));
    }

    #[test]
    fn decorrelated_jitter_grows_from_the_last_wait_up_to_the_cap() {
        // min(cap, uniform(base, 3 x previous)), base 0.025, cap 1: after a wait of 0.1,
        // uniform on [0.025, 0.3), mean 0.1625; the backoff b plays no part
        let w = draws(Jitter::Decorrelated, 123.0, 0.1);
        assert!(w.iter().all(|&x| (0.025..0.3).contains(&x)));
        assert!((mean(&w) - 0.1625).abs() < tolerance(0.275), "mean {}", mean(&w));
        // after a wait of 1, uniform(0.025, 3) is capped at 1 with probability 2 / 2.975 =
        // 0.672, and the mean is 0.328 x 0.5125 + 0.672 = 0.840; the share at the cap is a
        // binomial's, standard error sqrt(0.672 x 0.328 / n) = 0.0015
        let w = draws(Jitter::Decorrelated, 123.0, 1.0);
        assert!(w.iter().all(|&x| (0.025..=1.0).contains(&x)));
        let at_cap = w.iter().filter(|&&x| x == 1.0).count() as f64 / DRAWS as f64;
        assert!((at_cap - 2.0 / 2.975).abs() < 5.0 * 0.0015, "{at_cap}");
        let expected = (0.975 / 2.975) * (1.025 / 2.0) + 2.0 / 2.975;
        assert!((mean(&w) - expected).abs() < 0.005, "mean {} against {expected}", mean(&w));
    }

    /// Three servers that fail every attempt (down, and never noticed by the health checks,
    /// so the balancer keeps sending to them), requests fired by hand.
    fn failing_pool(retries: u32, backoff: Backoff, jitter: Jitter) -> Engine {
        let scenario = Scenario {
            algo: Algorithm::RoundRobin,
            servers: 3,
            arrivals: Arrivals::Off,
            health_interval: 3600.0,
            retries,
            backoff,
            jitter,
            ..Scenario::default()
        };
        let mut e = Engine::new(scenario).expect("valid");
        for i in 0..3 {
            e.fail(i).expect("there");
        }
        e
    }

    #[test]
    fn when_every_attempt_fails_each_request_makes_one_plus_n_attempts_exactly() {
        for retries in [0, 1, 3, 10] {
            for (backoff, jitter) in [(Backoff::None, Jitter::None), (Backoff::Exponential, Jitter::Full)] {
                let mut e = failing_pool(retries, backoff, jitter);
                e.fire(200);
                e.run_until(from_secs(3600.0)); // every backoff (at most the cap, 1 s) over
                let c = e.totals();
                let n = u64::from(retries);
                assert_eq!((c.arrived, c.failed, c.in_flight()), (200, 200, 0), "{retries} {backoff:?}: {c:?}");
                assert_eq!(c.attempts, 200 * (1 + n), "{retries} retries, {backoff:?}: {c:?}");
                assert_eq!(c.retried, 200 * n);
                assert_eq!(e.summary().amplification, (1 + n) as f64);
                e.check_invariant().expect("balanced");
            }
        }
    }

    #[test]
    fn exponential_backoff_waits_base_times_two_to_the_n_up_to_the_cap() {
        // one request failing every attempt: retry n (from 0) is sent min(1, 0.025 x 2^n) s
        // after the failure before it, and failures are at once, so the last attempt is sent
        // at the sum: 0.025 x (1 + 2 + 4 + ... + 32) + 1 + 1 + 1 = 4.575 s after it arrived
        let mut e = failing_pool(9, Backoff::Exponential, Jitter::None);
        e.keep_decisions(20);
        e.fire(1);
        e.run_until(from_secs(60.0));
        let sent: Vec<f64> = e.decisions().iter().map(|d| to_secs(d.at)).collect();
        let waits: Vec<f64> = sent.windows(2).map(|w| w[1] - w[0]).collect();
        let expected: Vec<f64> = (0..9).map(|n| (0.025 * f64::powi(2.0, n)).min(1.0)).collect();
        assert_eq!(sent.len(), 10, "the first attempt and nine retries");
        for (got, want) in waits.iter().zip(&expected) {
            assert!((got - want).abs() < 1e-9, "waits {waits:?}, expected {expected:?}");
        }
        assert_eq!(e.totals().failed, 1);
    }

    #[test]
    fn a_timed_out_attempt_is_finished_as_waste_or_cancelled() {
        // one server, one request of exactly 1 s of work, a client that waits 0.4 s
        for cancel in [false, true] {
            let scenario = Scenario {
                servers: 1,
                arrivals: Arrivals::Off,
                dist: crate::scenario::CostDist::Const,
                cost: 1.0,
                timeout: Some(0.4),
                cancel,
                ..Scenario::default()
            };
            let mut e = Engine::new(scenario).expect("valid");
            e.fire(1);
            e.run_until(from_secs(0.5));
            let c = e.totals();
            assert_eq!((c.timed_out, c.in_flight()), (1, 0), "settled at 0.4 s: {c:?}");
            // without cancelling, the server still holds it; cancelled, it holds nothing
            assert_eq!(e.servers()[0].connections(), u32::from(!cancel));
            e.run_until(from_secs(2.0));
            let c = e.totals();
            assert_eq!((c.completed, c.served, c.cancelled), (0, u64::from(!cancel), u64::from(cancel)), "{c:?}");
            // wasted: the whole second served for nobody, or the 0.4 s served before the cancel
            let wasted = if cancel { 0.4 } else { 1.0 };
            assert_eq!(e.summary().wasted_s, wasted);
            assert_eq!((e.summary().goodput_rps, e.summary().throughput_rps > 0.0), (0.0, !cancel));
            e.check_invariant().expect("balanced");
        }
    }

    #[test]
    fn every_jitter_kind_is_a_choice_of_the_table() {
        assert_eq!(Jitter::all().len(), 4);
        assert_eq!(Backoff::all().iter().map(|b| b.id()).collect::<Vec<_>>(), ["none", "constant", "exponential"]);
    }

    #[test]
    fn the_attempt_state_machine_has_only_its_edges() {
        use AttemptState::*;
        let all = [Queued, InService, Erring, Answered, TimedOut, Failed, Cancelled, Lost];
        let edges: Vec<(AttemptState, AttemptState)> =
            all.iter().flat_map(|&a| all.iter().map(move |&b| (a, b))).filter(|&(a, b)| a.may_become(b)).collect();
        assert_eq!(
            edges,
            [
                (Queued, InService),
                (Queued, TimedOut),
                (Queued, Failed),
                (Queued, Cancelled),
                (Queued, Lost),
                (InService, Answered),
                (InService, TimedOut),
                (InService, Failed),
                (InService, Cancelled),
                (InService, Lost),
                (Erring, TimedOut),
                (Erring, Failed),
                (Erring, Cancelled),
                (Erring, Lost)
            ]
        );
    }
}
