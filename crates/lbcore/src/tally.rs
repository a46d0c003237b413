//! Values counted in a flat array by their leading bits, added to an `hdrhistogram` only when
//! a percentile is read: recording is an index and an increment, where the histogram's own
//! record also checks, clamps and tracks its minimum and maximum on every value.
//!
//! The array's index is the histogram's own (for 1 to [`TOP`] at 3 significant digits:
//! 2,048 sub-buckets, each bucket twice as wide as the one before), so a value counted here
//! lands where the histogram would have put it, a value past the histogram's counts where it
//! clamps it ([`TOP`]'s), and the percentiles are the ones recording straight into the
//! histogram gives.
//!
//! This is lbcore's `response-tally` feature, on by default and in lbsim; the web app's
//! builds leave it out (its runs are short, its bundles weighed by the kilobyte: the array's
//! code cost each about 1 KB gzip) and record straight into the histogram, with the same
//! percentiles.

#[cfg(feature = "response-tally")]
use std::cell::{Cell, Ref, RefCell};
use std::ops::Deref;

use hdrhistogram::Histogram;

/// The largest value told apart: larger ones are counted as this.
pub const TOP: u64 = 360_000_000_000;

#[cfg(feature = "response-tally")]
/// Sub-buckets a bucket is split into, as a power of two: the smallest above 2 x 10^3 (3
/// significant digits).
const SUB_BITS: u32 = 11;

#[cfg(feature = "response-tally")]
/// The index of `value` (at least 1) among the histogram's counts.
#[inline]
const fn index(value: u64) -> usize {
    let half = 1 << (SUB_BITS - 1);
    let bucket = (64 - SUB_BITS) - (value | ((1 << SUB_BITS) - 1)).leading_zeros();
    ((bucket as usize + 1) << (SUB_BITS - 1)) + (value >> bucket) as usize - half
}

#[cfg(feature = "response-tally")]
/// The smallest value of the histogram's count `index`.
const fn value_at(index: usize) -> u64 {
    let half = 1 << (SUB_BITS - 1);
    match (index >> (SUB_BITS - 1)).checked_sub(1) {
        None => index as u64,
        Some(bucket) => (((index & (half - 1)) + half) as u64) << bucket,
    }
}

#[cfg(feature = "response-tally")]
/// Values from 1 to [`TOP`] at 3 significant digits.
#[derive(Clone, Debug)]
pub struct Tally {
    /// Values counted, by the histogram's index; those at or past the histogram's last count
    /// at [`TOP`]'s.
    counts: Vec<u64>,
    /// The lowest and highest index counted since the last reset (`lowest > highest` if none).
    lowest: usize,
    highest: usize,
    /// The histogram of `counts`, made again when read after a value was counted.
    histogram: RefCell<Histogram<u64>>,
    /// Whether a value was counted since the histogram was made.
    changed: Cell<bool>,
}

#[cfg(feature = "response-tally")]
impl Default for Tally {
    fn default() -> Self {
        let histogram = Histogram::new_with_bounds(1, TOP, 3).expect("valid histogram bounds");
        Tally {
            counts: vec![0; histogram.distinct_values()],
            lowest: usize::MAX,
            highest: 0,
            histogram: RefCell::new(histogram),
            changed: Cell::new(false),
        }
    }
}

#[cfg(feature = "response-tally")]
impl Tally {
    /// Counts `value` (at least 1).
    #[inline]
    pub fn record(&mut self, value: u64) {
        let mut i = index(value);
        if i >= self.counts.len() {
            i = index(TOP);
        }
        self.counts[i] += 1;
        self.lowest = self.lowest.min(i);
        self.highest = self.highest.max(i);
        self.changed.set(true);
    }

    /// The histogram of the values counted.
    pub fn histogram(&self) -> impl Deref<Target = Histogram<u64>> + '_ {
        if self.changed.replace(false) {
            let mut h = self.histogram.borrow_mut();
            h.reset();
            for i in self.lowest..=self.highest {
                if self.counts[i] > 0 {
                    h.record_n(value_at(i), self.counts[i]).expect("an index of the histogram's");
                }
            }
        }
        Ref::map(self.histogram.borrow(), |h| h)
    }

    /// Forgets every value.
    pub fn reset(&mut self) {
        if self.lowest <= self.highest {
            self.counts[self.lowest..=self.highest].fill(0);
        }
        (self.lowest, self.highest) = (usize::MAX, 0);
        self.histogram.get_mut().reset();
        self.changed.set(false);
    }
}

/// Values from 1 to [`TOP`] at 3 significant digits, recorded straight into the histogram.
#[cfg(not(feature = "response-tally"))]
#[derive(Clone, Debug)]
pub struct Tally(Histogram<u64>);

#[cfg(not(feature = "response-tally"))]
impl Default for Tally {
    fn default() -> Self {
        Tally(Histogram::new_with_bounds(1, TOP, 3).expect("valid histogram bounds"))
    }
}

#[cfg(not(feature = "response-tally"))]
impl Tally {
    /// Counts `value` (at least 1).
    #[inline]
    pub fn record(&mut self, value: u64) {
        self.0.saturating_record(value);
    }

    /// The histogram of the values counted.
    pub fn histogram(&self) -> impl Deref<Target = Histogram<u64>> + '_ {
        &self.0
    }

    /// Forgets every value.
    pub fn reset(&mut self) {
        self.0.reset();
    }
}

#[cfg(all(test, feature = "response-tally"))]
mod tests {
    use super::*;
    use crate::rng::SimRng;

    #[test]
    fn a_value_lands_where_the_histogram_puts_it() {
        let h = Histogram::<u64>::new_with_bounds(1, TOP, 3).expect("valid");
        let mut rng = SimRng::new(3, 0);
        let edges = (0..64).flat_map(|b| {
            let p = 1u64 << b;
            [p.saturating_sub(1), p, p + 1]
        });
        let random = (0..100_000).map(|_| 1 + (rng.next_u64() >> (rng.below(64) as u32)));
        for v in edges.chain(random).chain(1..5000).filter(|v| (1..=TOP).contains(v)) {
            assert_eq!(h.lowest_equivalent(value_at(index(v))), h.lowest_equivalent(v), "{v}");
            assert_eq!(index(value_at(index(v))), index(v), "{v}");
        }
    }

    #[test]
    fn the_percentiles_are_the_histograms_own() {
        let mut rng = SimRng::new(5, 0);
        let mut tally = Tally::default();
        let mut direct = Histogram::<u64>::new_with_bounds(1, TOP, 3).expect("valid");
        for round in 0..3 {
            for _ in 0..50_000 {
                // microseconds to hours, and now and then past the top
                let v = match rng.below(100) {
                    0 => TOP + rng.below(u64::MAX - TOP),
                    _ => 1 + (rng.next_u64() >> (24 + rng.below(40) as u32)),
                };
                tally.record(v);
                direct.saturating_record(v);
            }
            let h = tally.histogram();
            assert_eq!(h.len(), direct.len());
            for q in [0.0, 0.001, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0] {
                assert_eq!(h.value_at_quantile(q), direct.value_at_quantile(q), "round {round}, q {q}");
            }
            drop(h);
            if round == 1 {
                tally.reset();
                direct.reset();
            }
        }
    }
}
