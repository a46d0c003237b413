//! Hedged requests (`hedge-after`), as in Dean and Barroso, "The Tail at Scale" (CACM 2013):
//! a request still unanswered after a while gets a second copy on another server; the first
//! answer is the request's, and the other copy is lost.
//!
//! - **When.** At most one copy a request, sent `hedge-after` after its first attempt was sent
//!   (seconds, or `p95`: the running 95th percentile of response time, the nearest-rank p95
//!   of the last 200 responses, as the live chart's, none until 20 have come: see
//!   [`RunningP95`](crate::metrics::RunningP95)), if the request is then still in flight and
//!   waits on one attempt (the first, or a retry sent by then). One backing off before a retry,
//!   or already settled, gets none.
//! - **Where.** To another server than the one holding the attempt it copies, as a retry picks
//!   one ([`Engine::route`] with that server tried): the balancer's pick, or the next eligible
//!   after it; the same server only when no other is eligible. None is sent when no server is
//!   eligible; a copy turned away by a full queue, or failing on a server that is down, is
//!   only not there, and the request waits on its first attempt. A copy an `errors` fault
//!   fails is waited on, a connection of its server, until its error comes back, as a first
//!   attempt is.
//! - **What.** The copy carries the request's own work (its cost), as a copy of the same call
//!   would. So a copy helps when the wait is the server's (a slow or busy server: the copy
//!   goes to another one), and cannot help when the request's own work is long (the copy
//!   takes as long): that is the lesson.
//! - **The race.** The first copy answered (or a cache on the copy's way) answers the request,
//!   its response time counted from the request's arrival. The other copy is lost: taken off
//!   its server with `cancel=true`, else finished as wasted work (counted in `wasted_s`), as
//!   `cancel` says for timed-out attempts. Envoy resets the other upstream requests at the
//!   first response; `cancel=false` is the client that cannot.
//! - **Timeouts and failures.** Each copy has its own per-attempt timeout, counted from its own
//!   sending. A copy that times out or fails while the other is still waited on is dropped, and
//!   the request goes on waiting on the other; it retries (if it has a retry left) only when no
//!   copy is still waited on, as Envoy's router does with hedging (it answers downstream, or
//!   retries, only when no other upstream request is still waited on). A copy is not a
//!   retry: it spends none of `retries`, and a retry after a hedged attempt is numbered after
//!   that attempt.
//! - **Counted.** `hedged` counts the copies sent, and each is one of the `attempts`.
//!
//! Envoy hedges on the per-try timeout instead (`hedge_policy` with
//! `hedge_on_per_try_timeout`): the attempt whose per-try timeout fires is not reset, and a
//! retry (spending one of `num_retries`) races it. Here the delay is a setting of its own, as
//! Dean and Barroso's, the copy spends no retry, and `timeout` keeps its meaning for each copy
//! (the client stops waiting for it); the nearest to Envoy's is `hedge-after` at what would be
//! its per-try timeout, with no `timeout`.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::Engine;
use super::events::EventKind;
use super::life::Attempt;
use super::meter::Noticed;
use crate::scenario::HedgeAfter;
use crate::time::{Nanos, after, from_secs};

/// When the requests in flight get their hedges: `(at, request)`, earliest first, one entry
/// a request. An entry whose request has settled stays until it comes due or is swept out,
/// which happens whenever the heap holds twice the requests in flight plus 64 (so it holds at
/// most that many, whatever the delay: an event per request would be a rate x delay of them).
#[derive(Debug, Default)]
pub(super) struct Hedges {
    due: BinaryHeap<Reverse<(Nanos, u64)>>,
    /// When the earliest hedge event still to come is scheduled.
    timer: Option<Nanos>,
}

impl Engine {
    /// Request number `request` has just arrived and its first attempt was sent: if it is in
    /// flight and hedging is on, its hedge comes due after `hedge-after` (the running p95 as it
    /// stands now), or never while the p95 is of fewer than 20 responses.
    pub(super) fn arm_hedge(&mut self, request: u64) {
        let Some(hedge_after) = self.scenario.hedge_after else { return };
        if !self.lives.requests.contains_key(&request) {
            return;
        }
        let delay = match hedge_after {
            HedgeAfter::Seconds(s) => from_secs(s),
            HedgeAfter::P95 => match self.meter.running_p95.get_or_insert_with(Default::default).get() {
                Some(p95) => p95,
                None => return,
            },
        };
        let at = after(self.now, delay.max(1));
        if self.hedges.due.len() >= 2 * self.lives.requests.len() + 64 {
            let requests = &self.lives.requests;
            self.hedges.due.retain(|Reverse((_, r))| requests.contains_key(r));
        }
        self.hedges.due.push(Reverse((at, request)));
        if self.hedges.timer.is_none_or(|t| at < t) {
            self.hedges.timer = Some(at);
            self.events.schedule(at, EventKind::Hedge);
        }
    }

    /// A hedge event comes due: every request whose hedge is due now gets it, earliest first,
    /// and the next hedge event is scheduled.
    pub(super) fn on_hedges(&mut self) {
        if self.hedges.timer == Some(self.now) {
            self.hedges.timer = None;
        }
        while let Some(&Reverse((at, request))) = self.hedges.due.peek()
            && at <= self.now
        {
            self.hedges.due.pop();
            self.hedge(request);
        }
        if let Some(&Reverse((at, _))) = self.hedges.due.peek()
            && self.hedges.timer.is_none_or(|t| at < t)
        {
            self.hedges.timer = Some(at);
            self.events.schedule(at, EventKind::Hedge);
        }
    }

    /// Sends request number `request` a copy of the one attempt it waits on, to another server,
    /// if it is still in flight, waits on exactly one attempt, hedging is still on and some
    /// server is eligible.
    fn hedge(&mut self, request: u64) {
        if self.scenario.hedge_after.is_none() || self.eligible.is_empty() {
            return;
        }
        let Some(r) = self.lives.requests.get(&request) else { return };
        let Some(first) = r.waiting.single() else { return };
        let copy = Attempt { number: first.number | Attempt::HEDGE_COPY, ..r.attempt };
        let tried = self.index(first.server);
        self.meter.count(request, |c| c.hedged += 1);
        self.notice(first.server, Noticed::Hedged { request });
        let explain = self.meter.log_capacity > 0;
        self.route(copy.sent_at(self.now), tried, explain);
    }
}
