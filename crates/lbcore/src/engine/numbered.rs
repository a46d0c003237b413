//! A table keyed by numbers handed out in order (request numbers, events' sequence
//! numbers): a map whose common look-up is a single indexed read instead of a hash and a
//! probe.
//!
//! The engine numbers requests as they arrive and events as they are scheduled, and most of
//! either are done with within a few thousand numbers, so the numbers held are nearly a
//! window of consecutive ones. The table keeps each value in the slot of a ring its number
//! selects (`number mod capacity`), with the number beside it to tell it from another that
//! maps there. A number whose slot is taken by an older one still held doubles the ring if
//! the ring is half full or less than [`SPREAD`] times what the table holds; else the older
//! one moves to a spill map (a hash map). So only values held through many times the
//! table's size in numbers spill, the memory is at most a few times [`SPREAD`] times the most
//! values held at once, however many numbers the run hands out, and a look-up is one read,
//! or a hash-map look-up for the few spilled.
//!
//! The table gives no order: nothing may depend on the order of its `iter` (the engine only
//! counts and checks over it), so a run's results do not depend on the table.
//!
//! The ring is lbcore's `request-ring` feature (on by default and in lbsim, whose long runs it
//! speeds up): a build without it (the web app's, whose runs are short and whose bundles are
//! weighed by the kilobyte) keeps the requests in flight in a hash map behind the same
//! methods, `ByHash`, 0.7 KB gzip less in each bundle, with the same results.

use rustc_hash::FxHashMap;

/// The table of requests in flight: the ring with the `request-ring` feature, else a hash map.
#[cfg(feature = "request-ring")]
pub(super) type RequestTable<T> = Numbered<T>;
/// The table of requests in flight: the ring with the `request-ring` feature, else a hash map.
#[cfg(not(feature = "request-ring"))]
pub(super) type RequestTable<T> = ByHash<T>;

/// The smallest ring: enough for a small pool's requests in flight without growing.
#[cfg(feature = "request-ring")]
const FIRST_CAPACITY: usize = 256;

/// How many times the values held the ring may grow to before a long-lived value spills
/// instead: the span of numbers a value may stay through without spilling grows with it.
#[cfg(feature = "request-ring")]
const SPREAD: usize = 16;

/// Values keyed by numbers handed out in order (see the module's comment).
#[cfg(feature = "request-ring")]
#[derive(Debug)]
pub(super) struct Numbered<T> {
    /// Slot `number mod len` holds `(number, value)`; `len` a power of two.
    ring: Vec<Option<(u64, T)>>,
    /// Requests moved out of the ring by a newer one with the same slot.
    spilled: FxHashMap<u64, T>,
    /// How many the ring holds.
    in_ring: usize,
}

#[cfg(feature = "request-ring")]
impl<T> Default for Numbered<T> {
    fn default() -> Self {
        Numbered { ring: Self::empty_ring(FIRST_CAPACITY), spilled: FxHashMap::default(), in_ring: 0 }
    }
}

#[cfg(feature = "request-ring")]
impl<T> Numbered<T> {
    fn empty_ring(capacity: usize) -> Vec<Option<(u64, T)>> {
        std::iter::repeat_with(|| None).take(capacity).collect()
    }

    /// The slot `number` maps to.
    #[inline]
    fn slot(&self, number: u64) -> usize {
        number as usize & (self.ring.len() - 1)
    }

    /// How many values it holds.
    #[inline]
    pub fn len(&self) -> usize {
        self.in_ring + self.spilled.len()
    }

    /// Whether it holds none.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value of `number`, if held.
    #[inline]
    pub fn get(&self, number: &u64) -> Option<&T> {
        match &self.ring[self.slot(*number)] {
            Some((n, v)) if n == number => Some(v),
            _ if self.spilled.is_empty() => None,
            _ => self.spilled.get(number),
        }
    }

    /// The value of `number`, if held, to change it.
    #[inline]
    pub fn get_mut(&mut self, number: &u64) -> Option<&mut T> {
        let slot = self.slot(*number);
        match &mut self.ring[slot] {
            Some((n, v)) if n == number => Some(v),
            _ if self.spilled.is_empty() => None,
            _ => self.spilled.get_mut(number),
        }
    }

    /// Whether it holds `number`.
    #[inline]
    pub fn contains_key(&self, number: &u64) -> bool {
        self.get(number).is_some()
    }

    /// Drops the value of `number`, if held (without moving it out).
    #[inline]
    pub fn discard(&mut self, number: &u64) {
        let slot = self.slot(*number);
        match &mut self.ring[slot] {
            held @ Some(_) if held.as_ref().is_some_and(|(n, _)| n == number) => {
                *held = None;
                self.in_ring -= 1;
            }
            _ if self.spilled.is_empty() => {}
            _ => {
                self.spilled.remove(number);
            }
        }
    }

    /// Holds `value` for `number`, replacing what it held.
    #[inline]
    pub fn insert(&mut self, number: u64, value: T) {
        let slot = self.slot(number);
        match &mut self.ring[slot] {
            // the common case: a new number, its slot free
            free @ None if self.spilled.is_empty() => {
                *free = Some((number, value));
                self.in_ring += 1;
            }
            Some((n, held)) if *n == number => *held = value,
            _ => match self.spilled.get_mut(&number) {
                Some(held) => *held = value,
                None => {
                    self.place(number, value);
                }
            },
        }
    }

    /// The value of `number`, holding `value` for it first if it held none.
    #[inline]
    pub fn get_or_insert(&mut self, number: u64, value: T) -> &mut T {
        let slot = self.slot(number);
        match &self.ring[slot] {
            // the common case: a new request, its slot free
            None if self.spilled.is_empty() => {
                self.in_ring += 1;
                &mut self.ring[slot].insert((number, value)).1
            }
            Some((n, _)) if *n == number => &mut self.ring[slot].as_mut().expect("held").1,
            _ if self.spilled.contains_key(&number) => self.spilled.get_mut(&number).expect("held"),
            _ => self.place(number, value),
        }
    }

    /// Puts `value` for `number`, which it does not hold, in its slot: if the slot is taken,
    /// growing the ring first if it is half full or less than [`SPREAD`] times what the table
    /// holds, else moving what holds the slot to the spill map.
    #[cold]
    fn place(&mut self, number: u64, value: T) -> &mut T {
        let capacity = self.ring.len();
        if self.ring[self.slot(number)].is_some() && (2 * self.in_ring >= capacity || capacity < SPREAD * self.len()) {
            self.grow();
        }
        let slot = self.slot(number);
        if let Some((n, v)) = self.ring[slot].take() {
            self.spilled.insert(n, v);
        } else {
            self.in_ring += 1;
        }
        &mut self.ring[slot].insert((number, value)).1
    }

    /// Doubles the ring, and brings back what was spilled where its new slot is free. Two
    /// numbers in different slots of a ring are in different slots of one twice its size.
    fn grow(&mut self) {
        let doubled = Self::empty_ring(2 * self.ring.len());
        let old = std::mem::replace(&mut self.ring, doubled);
        for (n, v) in old.into_iter().flatten() {
            let slot = self.slot(n);
            self.ring[slot] = Some((n, v));
        }
        let spilled = std::mem::take(&mut self.spilled);
        for (n, v) in spilled {
            let slot = self.slot(n);
            if self.ring[slot].is_none() {
                self.ring[slot] = Some((n, v));
                self.in_ring += 1;
            } else {
                self.spilled.insert(n, v);
            }
        }
    }

    /// Every number held with its value, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &T)> {
        let ring = self.ring.iter().flatten().map(|(n, v)| (*n, v));
        ring.chain(self.spilled.iter().map(|(n, v)| (*n, v)))
    }

    /// Every number held, in no particular order.
    pub fn keys(&self) -> impl Iterator<Item = u64> + '_ {
        self.iter().map(|(n, _)| n)
    }

    /// Every value held, in no particular order.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.iter().map(|(_, v)| v)
    }

    /// How many slots the ring has now.
    #[cfg(test)]
    fn ring_capacity(&self) -> usize {
        self.ring.len()
    }
}

/// Values keyed by number in a hash map, with [`Numbered`]'s methods: the table of requests in
/// flight without the `request-ring` feature.
#[cfg(not(feature = "request-ring"))]
#[derive(Debug)]
pub(super) struct ByHash<T>(FxHashMap<u64, T>);

#[cfg(not(feature = "request-ring"))]
impl<T> Default for ByHash<T> {
    fn default() -> Self {
        ByHash(FxHashMap::default())
    }
}

#[cfg(not(feature = "request-ring"))]
impl<T> ByHash<T> {
    /// How many values it holds.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value of `number`, if held.
    pub fn get(&self, number: &u64) -> Option<&T> {
        self.0.get(number)
    }

    /// The value of `number`, if held, to change it.
    pub fn get_mut(&mut self, number: &u64) -> Option<&mut T> {
        self.0.get_mut(number)
    }

    /// Whether it holds `number`.
    pub fn contains_key(&self, number: &u64) -> bool {
        self.0.contains_key(number)
    }

    /// Drops the value of `number`, if held.
    pub fn discard(&mut self, number: &u64) {
        self.0.remove(number);
    }

    /// Holds `value` for `number`, replacing what it held.
    pub fn insert(&mut self, number: u64, value: T) {
        self.0.insert(number, value);
    }

    /// The value of `number`, holding `value` for it first if it held none.
    pub fn get_or_insert(&mut self, number: u64, value: T) -> &mut T {
        self.0.entry(number).or_insert(value)
    }

    /// Every number held, in no particular order.
    pub fn keys(&self) -> impl Iterator<Item = u64> + '_ {
        self.0.keys().copied()
    }

    /// Every value held, in no particular order.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.0.values()
    }
}

#[cfg(all(test, feature = "request-ring"))]
mod tests {
    use super::*;
    use crate::rng::SimRng;
    use std::collections::BTreeMap;

    #[test]
    fn holds_what_a_map_holds_through_long_lives_and_growth() {
        // random inserts (mostly of the next number, now and then of an old one again),
        // look-ups and removals, with some numbers kept for many thousands of arrivals and
        // bursts that hold thousands at once (so that the ring grows):
        // after every operation the table answers as an ordered map does
        let mut rng = SimRng::new(3, 0);
        let mut table: Numbered<u64> = Numbered::default();
        let mut map = BTreeMap::new();
        let mut next = 0u64;
        for step in 0..200_000u64 {
            let burst = (step / 20_000) % 2 == 1; // every other stretch, arrivals outpace removals
            match rng.below(10) {
                0..=3 => {
                    table.insert(next, step);
                    map.insert(next, step);
                    next += 1;
                }
                4 if next > 0 => {
                    let n = rng.below(next);
                    assert_eq!(table.get(&n), map.get(&n));
                    if map.contains_key(&n) {
                        table.insert(n, step);
                        map.insert(n, step);
                    }
                }
                5 => {
                    let held = *table.get_or_insert(next, step);
                    assert_eq!(held, *map.entry(next).or_insert(step));
                    next += 1;
                }
                _ if !burst || rng.below(4) == 0 => {
                    // remove one of the recent numbers, or (rarely) keep it for long: the
                    // oldest stay until one in a hundred removals sweeps one away
                    let n = if rng.below(100) == 0 {
                        map.keys().next().copied().unwrap_or(0)
                    } else {
                        next.saturating_sub(1 + rng.below(64))
                    };
                    assert_eq!(table.get(&n), map.get(&n));
                    table.discard(&n);
                    map.remove(&n);
                    assert!(!table.contains_key(&n));
                }
                _ => {}
            }
            assert_eq!(table.len(), map.len());
        }
        let mut held: Vec<(u64, u64)> = table.iter().map(|(n, v)| (n, *v)).collect();
        held.sort();
        assert_eq!(held, map.into_iter().collect::<Vec<_>>());
        assert!(table.ring_capacity() > FIRST_CAPACITY, "the ring grew in the bursts");
    }

    #[test]
    fn memory_follows_the_most_held_at_once_not_the_numbers_handed_out() {
        // a million numbers through, 100 held at once and 10 more held for ever: the ring
        // grows to SPREAD times the 110 held, rounded up to a power of two (1,760 -> 2,048),
        // and no further; the ten long-lived ones spill and are found there
        let mut table: Numbered<u64> = Numbered::default();
        for n in 0..1_000_000u64 {
            table.insert(n, n);
            if n >= 110 {
                assert_eq!(table.get(&(n - 100)), Some(&(n - 100)));
                table.discard(&(n - 100));
            }
        }
        assert_eq!(table.ring_capacity(), (SPREAD * 110).next_power_of_two());
        assert_eq!(table.len(), 110);
        assert!((0..10).all(|n| table.get(&n) == Some(&n)));
        assert_eq!(table.spilled.len(), 10);
        // a spilled one is replaced, dropped and put back
        table.insert(3, 33);
        assert_eq!(table.get(&3), Some(&33));
        table.discard(&3);
        assert_eq!((table.get(&3), table.len()), (None, 109));
        assert_eq!(*table.get_or_insert(3, 3), 3);
        assert_eq!(table.len(), 110);
    }
}
