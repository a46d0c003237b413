//! The event queue: what happens next, on integer nanosecond time.
//!
//! Each event carries the time it is due (`at`, nanoseconds since the start) and a sequence
//! number (`seq`) the queue hands out in the order events are scheduled. The queue yields
//! events in `(at, seq)` order.
//!
//! **Simultaneous events.** Two events due at the same nanosecond happen in the order they
//! were scheduled: the one scheduled first happens first. Nothing else breaks a tie (not
//! the kind of event, not a server's position, not a hash), and time is an integer, so
//! rounding never reorders two events either. The order of scheduling is itself fixed by
//! the scenario, the seed and the operations applied, so the same run processes the same
//! events in the same order on every platform. One consequence the engine relies on: the
//! end of warm-up is scheduled when the engine is built, before any arrival, so an arrival
//! at the very nanosecond the window opens falls inside the window.
//!
//! **An arrival's slot.** Half of all events are arrivals, and the arrival process has one
//! arrival pending at a time (the next is scheduled when one comes due). That one waits in a
//! slot beside the heap instead of in it, which saves a push and a pop per request; `pop_until`
//! takes whichever of the slot and the heap's first is earlier by `(at, seq)`, so the order
//! is exactly the heap's alone. A second arrival scheduled while the slot is taken (a
//! superseded one is still pending) goes into the heap.
//!
//! **A departure's place.** Most departures start the next attempt in their server's queue,
//! which schedules that attempt's departure at once. So the heap's first, when it is handed
//! out, stays in the heap marked taken, and the next event scheduled takes its place (one
//! sift down from the top, where a pop and a push sift twice); if the queue is asked for
//! its next event first, the taken one is popped then. The order is the same either way.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::server::ServerId;
use crate::time::Nanos;

/// What an event does when it comes due.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum EventKind {
    /// The next arrival of the arrival process, if `generation` is still current.
    Arrival { generation: u64 },
    /// An attempt's work is done: attempt `attempt` of request number `request`.
    Departure { server: ServerId, request: u64, attempt: u32 },
    /// Clients stop waiting for the attempts whose timeout is now.
    Timeout,
    /// Requests whose hedge is due now get it.
    Hedge,
    /// Request number `request`'s backoff has passed: its next attempt is sent.
    Retry { request: u64 },
    /// A health check notices whether `server` is down.
    HealthCheck { server: ServerId },
    /// Statistics start here.
    WarmupEnd,
    /// Take a time-series sample.
    Sample,
    /// Entry `index` of the fault schedule of `generation` starts (`starts`) or ends.
    Fault { generation: u64, index: u32, starts: bool },
    /// The error an `errors` fault gave attempt `attempt` of request number `request` on
    /// `server` comes back.
    ErrorAnswer { server: ServerId, request: u64, attempt: u32 },
}

/// An event due at `at`, the `seq`-th scheduled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Event {
    pub at: Nanos,
    pub seq: u64,
    pub kind: EventKind,
}

impl Event {
    /// `(at, seq)` as one number, `at` above `seq`: one comparison orders two events.
    #[inline]
    pub fn key(&self) -> u128 {
        u128::from(self.at) << 64 | u128::from(self.seq)
    }
}

impl Ord for Event {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
}

impl PartialOrd for Event {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Events waiting to happen, earliest first, ties in scheduling order.
#[derive(Debug, Default)]
pub(super) struct EventQueue {
    heap: BinaryHeap<Reverse<Event>>,
    /// Whether the heap's first was handed out and is still there, to be replaced by the next
    /// event scheduled (see the module's comment).
    taken: bool,
    /// An arrival, kept out of the heap (see the module's comment).
    arrival: Option<Event>,
    next_seq: u64,
}

/// Where the next event waits: the arrival's slot or the heap.
#[derive(Clone, Copy)]
enum Place {
    Arrival,
    Heap,
}

impl EventQueue {
    /// Schedules `kind` at `at`, after every event already scheduled for the same time.
    pub fn schedule(&mut self, at: Nanos, kind: EventKind) {
        let ev = Event { at, seq: self.next_seq, kind };
        self.next_seq += 1;
        if matches!(kind, EventKind::Arrival { .. }) && self.arrival.is_none() {
            self.arrival = Some(ev);
        } else if self.taken {
            self.taken = false;
            if let Some(mut first) = self.heap.peek_mut() {
                *first = Reverse(ev);
            }
        } else {
            self.heap.push(Reverse(ev));
        }
    }

    /// Takes out of the heap the first it handed out, if no event has replaced it yet.
    #[inline]
    fn settle_taken(&mut self) {
        if self.taken {
            self.taken = false;
            self.heap.pop();
        }
    }

    /// Where the next event waits, and its key.
    #[inline]
    fn first(&self) -> Option<(u128, Place)> {
        match (&self.arrival, self.heap.peek()) {
            (Some(a), Some(Reverse(h))) if h.key() < a.key() => Some((h.key(), Place::Heap)),
            (Some(a), _) => Some((a.key(), Place::Arrival)),
            (None, Some(Reverse(h))) => Some((h.key(), Place::Heap)),
            (None, None) => None,
        }
    }

    /// Takes the next event from `place`: the heap's is left where it is, marked taken, for
    /// the next event scheduled to replace.
    #[inline]
    fn take(&mut self, place: Place) -> Option<Event> {
        match place {
            Place::Arrival => self.arrival.take(),
            Place::Heap => {
                let &Reverse(ev) = self.heap.peek()?;
                self.taken = true;
                Some(ev)
            }
        }
    }

    /// The next event, without taking it.
    #[inline]
    pub fn peek(&mut self) -> Option<Event> {
        self.settle_taken();
        match self.first()?.1 {
            Place::Arrival => self.arrival,
            Place::Heap => self.heap.peek().map(|Reverse(ev)| *ev),
        }
    }

    /// Takes the next event if it is due at or before `until`.
    #[inline]
    pub fn pop_until(&mut self, until: Nanos) -> Option<Event> {
        self.settle_taken();
        let (key, place) = self.first()?;
        if (key >> 64) as Nanos > until {
            return None;
        }
        self.take(place)
    }

    /// The sequence number the next event scheduled will get.
    #[cfg(feature = "lazy-departures")]
    #[inline]
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// The `(at, seq)` key of the next event, without taking it.
    #[cfg(feature = "lazy-departures")]
    pub fn peek_key(&mut self) -> Option<u128> {
        self.peek().map(|ev| ev.key())
    }

    /// Adds `more` to the events scheduled, numbering every event afresh: each of `more` comes
    /// with its place among the scheduled events' sequence numbers (`order`: it was scheduled
    /// after those below `order` and before the others), and the order of every two events is
    /// kept. For departures kept out of the queue ([`lazy`](super::lazy)) that join it again.
    #[cfg(feature = "lazy-departures")]
    pub fn renumber_with(&mut self, more: impl IntoIterator<Item = (u64, Nanos, EventKind)>) {
        self.settle_taken();
        let arrival_seq = self.arrival.map(|a| a.seq);
        // twice the sequence number for those scheduled, just below `order`'s for the others
        let mut all: Vec<(u64, Event)> = self
            .arrival
            .take()
            .into_iter()
            .chain(self.heap.drain().map(|Reverse(ev)| ev))
            .map(|ev| (2 * ev.seq, ev))
            .collect();
        all.extend(more.into_iter().map(|(order, at, kind)| (2 * order - 1, Event { at, seq: 0, kind })));
        all.sort_unstable_by_key(|&(place, _)| place);
        for (seq, (_, mut ev)) in all.into_iter().enumerate() {
            let was_arrival_slot = arrival_seq == Some(ev.seq) && matches!(ev.kind, EventKind::Arrival { .. });
            ev.seq = seq as u64;
            if was_arrival_slot && self.arrival.is_none() {
                self.arrival = Some(ev);
            } else {
                self.heap.push(Reverse(ev));
            }
        }
        self.next_seq = (self.heap.len() + usize::from(self.arrival.is_some())) as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simultaneous_events_happen_in_the_order_they_were_scheduled() {
        let mut q = EventQueue::default();
        q.schedule(5, EventKind::Sample);
        q.schedule(3, EventKind::WarmupEnd);
        q.schedule(5, EventKind::WarmupEnd);
        q.schedule(5, EventKind::Arrival { generation: 1 });
        let order: Vec<(Nanos, EventKind)> =
            std::iter::from_fn(|| q.pop_until(Nanos::MAX)).map(|e| (e.at, e.kind)).collect();
        // time first; at time 5, scheduling order: Sample, WarmupEnd, Arrival
        assert_eq!(
            order,
            [
                (3, EventKind::WarmupEnd),
                (5, EventKind::Sample),
                (5, EventKind::WarmupEnd),
                (5, EventKind::Arrival { generation: 1 })
            ]
        );
    }

    #[test]
    fn with_arrivals_in_their_slot_the_order_is_one_heaps() {
        // random schedules and pops (now and then only of what is due by a time, as
        // run_until takes them), with many arrivals (two or more pending at once now and
        // then) and many ties: every pop must be the one a single heap of (time, scheduling
        // order) gives
        let mut rng = crate::rng::SimRng::new(9, 0);
        let mut q = EventQueue::default();
        let mut reference = BinaryHeap::new();
        let (mut now, mut seq) = (0, 0u64);
        let mut kinds = Vec::new(); // by seq
        let (mut arrivals_popped, mut departures_popped) = (0, 0);
        let until = |rng: &mut crate::rng::SimRng, now| if rng.below(4) == 0 { now } else { Nanos::MAX };
        for _ in 0..50_000 {
            if rng.below(3) > 0 {
                let at = now + rng.below(4);
                let kind = match rng.below(3) {
                    0 => EventKind::Arrival { generation: seq },
                    1 => EventKind::Departure { server: ServerId(rng.below(6) as u32), request: seq, attempt: 0 },
                    _ => EventKind::Sample,
                };
                q.schedule(at, kind);
                reference.push(Reverse((at, seq)));
                kinds.push(kind);
                seq += 1;
            } else {
                let limit = until(&mut rng, now);
                let ev = q.pop_until(limit).map(|e| (e.at, e.seq, e.kind));
                let expected = match reference.peek() {
                    Some(Reverse((at, _))) if *at <= limit => {
                        reference.pop().map(|Reverse((at, s))| (at, s, kinds[s as usize]))
                    }
                    _ => None,
                };
                assert_eq!(ev, expected);
                if let Some((at, _, kind)) = ev {
                    now = at;
                    arrivals_popped += usize::from(matches!(kind, EventKind::Arrival { .. }));
                    departures_popped += usize::from(matches!(kind, EventKind::Departure { .. }));
                }
            }
        }
        assert!(arrivals_popped > 5_000 && departures_popped > 5_000, "{arrivals_popped} {departures_popped}");
        while let Some(ev) = q.pop_until(Nanos::MAX) {
            assert_eq!(
                Some((ev.at, ev.seq, ev.kind)),
                reference.pop().map(|Reverse((at, s))| (at, s, kinds[s as usize]))
            );
        }
        assert!(reference.is_empty());
    }
}
