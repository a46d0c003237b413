//! Departures without events: in a whole run ([`Engine::run`]) where nothing can interrupt an
//! attempt, a single-worker first-in-first-out server's departures are known when each attempt
//! starts, so none is put in the event queue; a server's finished attempts are settled when it
//! is next looked at (a pick that reads it, an event other than an arrival, the end of the run)
//! instead, each at its own time. Half the events, with the same results.
//!
//! **When.** Only when no mechanism can take an attempt off its server or end it early: no
//! timeout, hedge, retry, fault, circuit breaker, cache, manual completion, adaptive LIFO, time
//! series or decision log, every server with one worker, and a balancer whose pick reads
//! either no server's connections or only the servers it draws first ([`Reads`]). An engine
//! that does not qualify runs every departure through the event queue, as before.
//!
//! **The same order.** Settled late, a departure is still settled as if its event had come
//! due: a server's departures in their order, each at its time, before whatever reads the
//! server; and departures of different servers change nothing the other's depend on (counts,
//! sums, the balancer's entry for that server). What is left is a departure due at the same
//! nanosecond as an event that reads its server: the queue would have handed out the one
//! scheduled first. So the departure of each attempt in service has a place among the events'
//! sequence numbers (`order`): the number the queue would have given the next event scheduled
//! when the departure was scheduled; it comes before an event of its time whose number is at
//! least that. Started by an arrival, it is the queue's next number then. Started by a
//! departure settled late, it is the queue's next number when that departure's event would
//! have been handled: at the start of the first event handled after it, which a log of the
//! events handled since every server was last settled gives (`log`). As it matters only against
//! an event of the same nanosecond, it is worked out only when one is met (or before the log
//! is emptied), and a departure's own place is looked up only if an event logged may have had
//! its time (`times`).
//!
//! **What else such a run leaves out.** A request in flight is then exactly its one attempt
//! on one server, so the table of requests in flight is not kept: a run cut by its duration
//! writes it from the servers at its end (`keeps_lives`). And when the balancer does not hash
//! keys, nothing reads them: they are skipped and owed to the key stream, which draws them
//! before its next key, or at the end of a run cut by its duration for the requests still in
//! flight (`next_key`). A run cut by its duration also puts the departures still to come back
//! in the event queue, in their places.
//!
//! **The feature.** This is lbcore's `lazy-departures` feature, on by default and in lbsim,
//! whose long runs it speeds up; the web app's runs are short and its bundles weighed by the
//! kilobyte, so its builds leave it out and run every departure through the queue, with the
//! same results.
//!
//! [`Reads`]: crate::balancer::Reads

use super::Engine;
use super::events::Event;
#[cfg(feature = "lazy-departures")]
use super::events::EventKind;
#[cfg(feature = "lazy-departures")]
use super::life::{Attempt, AttemptState};
#[cfg(feature = "lazy-departures")]
use crate::balancer::{NONE_DRAWN, Reads};
#[cfg(feature = "lazy-departures")]
use crate::scenario::{Arrivals, CacheMode, Completions, QueueOrder};
use crate::time::Nanos;

#[cfg(feature = "lazy-departures")]
/// How many events the log holds before every server is settled and the log emptied.
const LOG: usize = 4096;

#[cfg(feature = "lazy-departures")]
/// Bits of the set of the logged events' times (hashed): a departure due at a time no logged
/// event has needs no search of the log for its place.
const TIME_BITS: u32 = 14;

#[cfg(feature = "lazy-departures")]
/// The state of a run whose departures are settled late.
#[derive(Debug)]
pub(super) struct Lazy {
    /// Per server position: when the departure of its attempt in service is due (`Nanos::MAX`
    /// if it has none), a dense array a pick reads before the server.
    due: Vec<Nanos>,
    /// Per server position: the place of that departure among the events' sequence numbers
    /// (see the module's comment), 0 while it is not worked out.
    order: Vec<u64>,
    /// Per server position, while its `order` is 0: the key of the departure that started the
    /// attempt, from which its place is worked out when it is needed.
    parent: Vec<u128>,
    /// The events handled since every server was last settled: their key and the queue's next
    /// sequence number when their handling began.
    log: Vec<(u128, u64)>,
    /// The logged events' times, hashed to a bit each.
    times: [u64; 1 << (TIME_BITS - 6)],
    /// The key of the event being handled: the departures before it are due.
    bound: u128,
    /// How the balancer reads the servers.
    reads: Reads,
    /// Whether nothing reads the requests' keys (the balancer does not hash them): they are
    /// skipped, and drawn at the end of the run only if a request is still in flight then.
    keyless: bool,
}

#[cfg(feature = "lazy-departures")]
/// A departure's key, comparable with events' keys: one is before an event of the same time
/// if its place (`order`) is at most the event's sequence number.
#[inline]
fn key(due: Nanos, order: u64) -> u128 {
    u128::from(due) << 64 | u128::from(order - 1)
}

#[cfg(feature = "lazy-departures")]
/// The bit of time `t` in [`Lazy::times`].
#[inline]
fn time_bit(t: Nanos) -> (usize, u64) {
    let h = (t.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - TIME_BITS)) as usize;
    (h >> 6, 1 << (h & 63))
}

#[cfg(feature = "lazy-departures")]
impl Lazy {
    /// Whether an event logged may have been due at `t`.
    #[inline]
    fn logged_at(&self, t: Nanos) -> bool {
        let (word, bit) = time_bit(t);
        self.times[word] & bit != 0
    }

    /// The queue's next sequence number when an event with key `key` would have been handled:
    /// at the start of the first logged event after it, or now (`next`) if none.
    fn next_after(&self, key: u128, next: u64) -> u64 {
        let after = self.log.partition_point(|&(k, _)| k <= key);
        self.log.get(after).map_or(next, |&(_, n)| n)
    }

    /// The place of the departure of `servers[i]`'s attempt in service, worked out if it was
    /// not yet.
    fn order(&mut self, i: usize, next: u64) -> u64 {
        if self.order[i] == 0 {
            self.order[i] = self.next_after(self.parent[i], next);
        }
        self.order[i]
    }
}

#[cfg(feature = "lazy-departures")]
impl Engine {
    /// Settles departures late from here on, if the engine qualifies (see the module's
    /// comment) and holds no attempt yet.
    pub(super) fn start_lazy(&mut self) {
        let s = &self.scenario;
        let qualifies = s.completions == Completions::Auto
            && s.timeout.is_none()
            && s.hedge_after.is_none()
            && s.retries == 0
            && s.faults.is_empty()
            && s.max_pending.is_none()
            && s.max_requests.is_none()
            && s.cache == CacheMode::Off
            && s.queue_order == QueueOrder::Fifo
            && s.arrivals != Arrivals::Off
            && self.meter.series.is_none()
            && self.meter.running_p95.is_none()
            && self.meter.log_capacity == 0
            && self.shared_cache.is_none()
            && self.balancer.reads() != Reads::All
            && self.servers.iter().all(|s| s.workers == 1 && s.cache.is_none() && s.connections() == 0);
        if qualifies {
            let n = self.servers.len();
            self.lazy = Some(Lazy {
                due: vec![Nanos::MAX; n],
                order: vec![0; n],
                parent: vec![0; n],
                log: Vec::with_capacity(LOG),
                times: [0; 1 << (TIME_BITS - 6)],
                bound: 0,
                reads: self.balancer.reads(),
                keyless: !self.scenario.algo.uses_key(),
            });
        }
    }

    /// Before `ev` is handled: logs it and settles what is due before it, every server for an
    /// event other than an arrival (an arrival settles the servers its pick reads).
    #[inline]
    pub(super) fn lazy_before(&mut self, ev: &Event) {
        let Some(lazy) = &mut self.lazy else { return };
        let bound = ev.key();
        lazy.bound = bound;
        lazy.log.push((bound, self.events.next_seq()));
        let (word, bit) = time_bit(ev.at);
        lazy.times[word] |= bit;
        if lazy.log.len() >= LOG || !matches!(ev.kind, EventKind::Arrival { .. }) {
            self.settle_all(bound);
            self.trim_log();
        }
    }

    /// Empties the log but for the event being handled, once every server is settled before
    /// it: the places still to be worked out are worked out first.
    #[cold]
    fn trim_log(&mut self) {
        let next = self.events.next_seq();
        let Some(lazy) = &mut self.lazy else { return };
        for i in 0..lazy.due.len() {
            if lazy.due[i] != Nanos::MAX {
                lazy.order(i, next);
            }
        }
        let Some(&(kept, seq)) = lazy.log.last() else { return };
        lazy.log.clear();
        lazy.times = [0; 1 << (TIME_BITS - 6)];
        lazy.log.push((kept, seq));
        let (word, bit) = time_bit((kept >> 64) as Nanos);
        lazy.times[word] |= bit;
    }

    /// Before a pick: settles the servers it reads.
    #[inline]
    pub(super) fn lazy_before_pick(&mut self) {
        let Some(lazy) = &self.lazy else { return };
        if lazy.reads == Reads::Drawn {
            let bound = lazy.bound;
            let [a, b] = self.balancer.draw(&self.servers, &self.eligible, &mut self.pick_rng);
            if a != NONE_DRAWN {
                self.settle_if_due(a as usize, bound);
            }
            if b != NONE_DRAWN {
                self.settle_if_due(b as usize, bound);
            }
        }
    }

    /// After a pick of `servers[i]`: settles it, before the request is placed there.
    #[inline]
    pub(super) fn lazy_after_pick(&mut self, i: usize) {
        let Some(lazy) = &self.lazy else { return };
        if lazy.reads == Reads::Chosen {
            self.settle_if_due(i, lazy.bound);
        }
    }

    /// The next request's key: 0 (not drawn) if nothing reads it.
    #[inline]
    pub(super) fn next_key(&mut self) -> u64 {
        match &self.lazy {
            Some(lazy) if lazy.keyless => {
                self.keys.skip();
                0
            }
            _ => self.keys.sample(),
        }
    }

    /// Whether the departure of an attempt starting now on `servers[i]`, due `at`, is kept out
    /// of the event queue (and its place noted).
    #[inline]
    pub(super) fn lazy_start(&mut self, i: usize, at: Nanos) -> bool {
        let Some(lazy) = &mut self.lazy else { return false };
        // (started by a departure settled late, its place is set after: see `settle_server`)
        (lazy.due[i], lazy.order[i]) = (at, self.events.next_seq());
        true
    }

    /// [`Engine::settle_server`] if a departure of `servers[i]` may be due before `bound`.
    #[inline]
    fn settle_if_due(&mut self, i: usize, bound: u128) {
        if let Some(lazy) = &self.lazy
            && lazy.due[i] <= (bound >> 64) as Nanos
        {
            self.settle_server(i, bound);
        }
    }

    /// Settles the departures of `servers[i]` due before `bound` (an event's key), in order,
    /// each at its time. Returns the time of the last (0 if none).
    #[inline(never)]
    fn settle_server(&mut self, i: usize, bound: u128) -> Nanos {
        let mut last = 0;
        let next = self.events.next_seq();
        let at = (bound >> 64) as Nanos;
        loop {
            let Some(lazy) = &mut self.lazy else { return last };
            let due = lazy.due[i];
            // (at the end of a run, `at` may be `Nanos::MAX`: a server without an attempt)
            if due > at
                || (due == at && (self.servers[i].in_service.is_empty() || key(due, lazy.order(i, next)) >= bound))
            {
                return last;
            }
            // its key, which places the attempt it starts; its place matters only against an
            // event of the same time, and if none was logged, any later is after it
            let parent = if lazy.logged_at(due) { key(due, lazy.order(i, next)) } else { (u128::from(due) << 64) - 1 };
            lazy.due[i] = Nanos::MAX;
            let now = self.now;
            self.now = due;
            self.depart(i, 0);
            self.now = now;
            if let Some(lazy) = &mut self.lazy
                && lazy.due[i] != Nanos::MAX
            {
                (lazy.order[i], lazy.parent[i]) = (0, parent);
            }
            last = due;
        }
    }

    /// Settles every server's departures due before `bound`. Returns the time of the last.
    fn settle_all(&mut self, bound: u128) -> Nanos {
        let mut last = 0;
        for i in 0..self.servers.len() {
            if let Some(lazy) = &self.lazy
                && lazy.due[i] <= (bound >> 64) as Nanos
            {
                last = last.max(self.settle_server(i, bound));
            }
        }
        last
    }

    /// Before the end of a run of `requests`, once no arrival is pending: settles what is due
    /// before the next event (if any, and due by `end`), and says whether nothing is left in
    /// flight (the run is over; the clock then stands at the last departure); `None` if the
    /// departures are not settled late.
    pub(super) fn lazy_drained(&mut self, end: Option<Nanos>) -> Option<bool> {
        self.lazy.as_ref()?;
        let bound = match (self.events.peek_key(), end) {
            (Some(k), Some(e)) => k.min(u128::from(e) << 64 | u128::from(u64::MAX)),
            (Some(k), None) => k,
            (None, Some(e)) => u128::from(e) << 64 | u128::from(u64::MAX),
            (None, None) => u128::MAX,
        };
        let last = self.settle_all(bound);
        self.now = self.now.max(last);
        Some(self.meter.totals.in_flight() == 0)
    }

    /// Whether the table of requests in flight is kept: not while departures are settled late,
    /// when a request in flight is exactly its one attempt on one server (there are no
    /// retries, hedges or timeouts), so that the servers hold all the table would; it is
    /// written from them at the end of the run.
    #[inline]
    pub(super) fn keeps_lives(&self) -> bool {
        self.lazy.is_none()
    }

    /// At the end of a run: settles every departure due by `end` (all of them without one),
    /// and puts those still to come in the event queue, in their places.
    pub(super) fn stop_lazy(&mut self, end: Option<Nanos>) {
        if self.lazy.is_none() {
            return;
        }
        let last = self.settle_all(end.map_or(u128::MAX, |e| u128::from(e) << 64 | u128::from(u64::MAX)));
        self.now = self.now.max(last);
        let next = self.events.next_seq();
        let Some(mut lazy) = self.lazy.take() else { return };
        let mut pending = Vec::new();
        for (i, s) in self.servers.iter().enumerate() {
            if let Some(r) = s.in_service.first()
                && let Some(due) = r.due
            {
                let kind = EventKind::Departure { server: s.id, request: r.attempt.request, attempt: r.attempt.number };
                pending.push((lazy.order(i, next), due, kind));
            }
        }
        self.events.renumber_with(pending);
        if self.meter.totals.in_flight() > 0 {
            if lazy.keyless {
                self.draw_skipped_keys();
            }
            // the table of requests in flight, from the attempts the servers hold
            for i in 0..self.servers.len() {
                let s = &self.servers[i];
                let held: Vec<(Attempt, AttemptState)> =
                    (s.in_service.iter().map(|r| (r.attempt, AttemptState::InService)))
                        .chain(s.waiting.iter().map(|&a| (a, AttemptState::Queued)))
                        .collect();
                for (attempt, state) in held {
                    self.sent(i, attempt, state);
                }
            }
        }
    }

    /// Draws the keys skipped, and gives the attempts the servers still hold their own.
    #[cold]
    fn draw_skipped_keys(&mut self) {
        // the keys skipped are those of the last requests, in order
        let first = self.next_request - self.keys.owed();
        let mut keys = rustc_hash::FxHashMap::default();
        self.keys.pay(|i, key| {
            keys.insert(first + i, key);
        });
        for s in &mut self.servers {
            let held = s.in_service.iter_mut().map(|r| &mut r.attempt).chain(s.waiting.iter_mut());
            for a in held {
                if let Some(&key) = keys.get(&a.request) {
                    a.key = key;
                }
            }
        }
    }
}

/// Without the `lazy-departures` feature every departure is an event: these do nothing.
#[cfg(not(feature = "lazy-departures"))]
impl Engine {
    pub(super) fn start_lazy(&mut self) {}
    #[inline(always)]
    pub(super) fn lazy_before(&mut self, _ev: &Event) {}
    #[inline(always)]
    pub(super) fn lazy_before_pick(&mut self) {}
    #[inline(always)]
    pub(super) fn lazy_after_pick(&mut self, _i: usize) {}
    #[inline(always)]
    pub(super) fn lazy_start(&mut self, _i: usize, _at: Nanos) -> bool {
        false
    }
    #[inline(always)]
    pub(super) fn next_key(&mut self) -> u64 {
        self.keys.sample()
    }
    #[inline(always)]
    pub(super) fn lazy_drained(&mut self, _end: Option<Nanos>) -> Option<bool> {
        None
    }
    #[inline(always)]
    pub(super) fn keeps_lives(&self) -> bool {
        true
    }
    pub(super) fn stop_lazy(&mut self, _end: Option<Nanos>) {}
}

#[cfg(all(test, feature = "lazy-departures"))]
mod tests {
    use crate::scenario::{Arrivals, CacheMode, CostDist};
    use crate::time::from_secs;
    use crate::{Algorithm, Engine, Scenario};

    /// Scenarios the lazy path takes: several balancers, exponential and constant costs, and
    /// evenly spaced arrivals whose times meet departures' to the nanosecond (1 s of work, 8
    /// arrivals a second: every departure of an attempt started on arrival is due with an
    /// arrival), with a warm-up.
    fn scenarios() -> Vec<Scenario> {
        let base = Scenario { servers: 12, rate: 10.0, cost: 1.0, requests: Some(20_000), ..Scenario::default() };
        let mut all = Vec::new();
        for algo in [Algorithm::PowerOfTwo, Algorithm::RoundRobin, Algorithm::Random, Algorithm::HashMod] {
            for (arrivals, dist, rate) in [
                (Arrivals::Poisson, CostDist::Exp, 10.0),
                (Arrivals::Constant, CostDist::Const, 8.0),
                (Arrivals::Bursty, CostDist::Pareto, 9.0),
            ] {
                all.push(Scenario { algo, arrivals, dist, rate, warmup: 50.0, ..base.clone() });
            }
        }
        all.push(Scenario { algo: Algorithm::PowerOfTwo, choices: 1, rate: 6.0, ..base.clone() });
        all.push(Scenario { algo: Algorithm::PowerOfTwo, servers: 3, queue: 2, rate: 4.0, ..base.clone() });
        all
    }

    #[test]
    fn a_whole_run_gives_what_every_departure_as_an_event_gives() {
        for scenario in scenarios() {
            let mut lazy = Engine::new(scenario.clone()).expect("valid");
            let summary = lazy.run();
            // the decision log keeps every departure an event
            let mut eager = Engine::new(scenario.clone()).expect("valid");
            eager.keep_decisions(1);
            assert_eq!(summary, eager.run(), "{scenario:?}");
            lazy.check_invariant().expect("balanced");
        }
    }

    #[test]
    fn a_run_of_a_duration_leaves_its_departures_to_come_in_their_places() {
        for scenario in scenarios() {
            let scenario = Scenario { requests: None, duration: Some(400.0), ..scenario };
            let mut lazy = Engine::new(scenario.clone()).expect("valid");
            let summary = lazy.run();
            let mut eager = Engine::new(scenario.clone()).expect("valid");
            eager.run_until(from_secs(400.0));
            assert_eq!(summary, eager.summary(), "{scenario:?}");
            // the attempts held, with their keys (drawn at the end where they were skipped)
            let held = |e: &Engine| -> Vec<(u64, u64)> {
                let servers = e.servers().iter();
                let attempts =
                    servers.flat_map(|s| s.in_service.iter().map(|r| r.attempt).chain(s.waiting.iter().copied()));
                attempts.map(|a| (a.request, a.key)).collect()
            };
            assert!(!held(&eager).is_empty());
            assert_eq!(held(&lazy), held(&eager), "{scenario:?}");
            // and the table of requests in flight, written from them
            lazy.check_invariant().expect("balanced");
            // and the run goes on the same, frame by frame, from the departures put back
            for t in [400.5, 401.0, 430.0] {
                lazy.run_until(from_secs(t));
                eager.run_until(from_secs(t));
                assert_eq!(lazy.summary(), eager.summary(), "{scenario:?} at {t}");
            }
            // with the keys it did not draw: those of the requests in flight, and the stream's
            let hashed = Scenario {
                algo: Algorithm::ConsistentHash,
                cache: CacheMode::PerServer,
                keys: 50,
                duration: Some(500.0),
                ..scenario.clone()
            };
            for e in [&mut lazy, &mut eager] {
                e.reconfigure(hashed.clone()).expect("valid");
                e.keep_decisions(5);
                e.run_until(from_secs(470.0));
            }
            assert_eq!(lazy.summary(), eager.summary(), "{scenario:?} hashed");
            let keys = |e: &Engine| e.decisions().iter().map(|d| d.decision.to_string()).collect::<Vec<_>>();
            assert_eq!(keys(&lazy), keys(&eager));
            lazy.check_invariant().expect("balanced");
        }
    }
}
