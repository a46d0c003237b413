//! A kinetic tournament: the greatest of n values that each grow at their own constant rate,
//! as smooth weighted round robin's current weights do between its picks, found without
//! looking at every value.
//!
//! Value `i` at step `t` is the line `base[i] + t · rate[i]` (integers, rate ≥ 0; a rate of
//! 0 with `present[i]` false is a leaf that takes no part). A binary tree over positions
//! keeps, at each node, the winner of its subtree at the current step (the greatest value,
//! ties to the lower position, as a scan from the left keeps the first of equals) and the
//! first later step at which the winner of some node below would change (its *certificate*
//! fails: the loser's line crosses the winner's). Advancing the step re-plays only the nodes
//! whose certificates failed; changing one line re-plays its path to the root.
//!
//! Cost: a change is O(log n). An advance is O(1) when no certificate fails and O(log n) per
//! failure; a kinetic tournament over lines sees O(log n) failures per change, amortised
//! (Basch, Guibas and Hershberger, "Data structures for mobile data", 1999; Agarwal et al.,
//! "Kinetic and dynamic data structures for convex hulls and upper envelopes", 2008), so a
//! pick (one advance and one change) is O(log n) amortised in failures processed and
//! O(log² n) in the worst amortised case; `cargo test -p lbcore --lib node_visits` measures
//! the work per pick at up to 100,000 servers. Lines of equal rate never cross, so with
//! equal weights nothing ever fails and a pick is one change, O(log n).

/// No leaf: a node whose subtree takes no part.
const NONE: u32 = u32::MAX;
/// A certificate that never fails.
const NEVER: i64 = i64::MAX;
/// The step past which the lines are moved to step 0 (`base += t · rate`), so that
/// `t · rate` stays far from the ends of an i64 for any rate below 2³²: 2²⁸ · 2³² = 2⁶⁰.
const REBASE_PRODUCT: i128 = 1 << 60;

/// The greatest of n lines at the current step, ties to the lower position.
#[derive(Debug, Clone)]
pub struct KineticMax {
    /// Leaves: a power of two at least n (at least 1).
    leaves: usize,
    /// The current step.
    step: i64,
    /// Steps after which the lines are rebased (from the greatest rate).
    rebase_at: i64,
    /// Each leaf's value at step 0.
    base: Vec<i64>,
    /// Each leaf's rate of growth per step.
    rate: Vec<i64>,
    /// Whether each leaf takes part.
    present: Vec<bool>,
    /// Each node's winner (a leaf position) at the current step, or [`NONE`].
    winner: Vec<u32>,
    /// Each node's first step after the current one at which a certificate below it
    /// fails, or [`NEVER`].
    fails_at: Vec<i64>,
    /// Nodes re-played since the last reset of the count: the work the tests measure.
    #[cfg(test)]
    pub(crate) visits: u64,
}

impl Default for KineticMax {
    /// No lines.
    fn default() -> Self {
        KineticMax::new(std::iter::empty())
    }
}

impl KineticMax {
    /// A tournament at step 0 over lines with these values at step 0 and these rates; a
    /// line with `present` false takes no part (its value is kept, for [`Self::value`]).
    pub fn new(lines: impl ExactSizeIterator<Item = (i64, i64, bool)>) -> Self {
        let n = lines.len();
        let leaves = n.next_power_of_two().max(1);
        let mut t = KineticMax {
            leaves,
            step: 0,
            rebase_at: NEVER,
            base: vec![0; leaves],
            rate: vec![0; leaves],
            present: vec![false; leaves],
            winner: vec![NONE; 2 * leaves],
            fails_at: vec![NEVER; 2 * leaves],
            #[cfg(test)]
            visits: 0,
        };
        for (i, (base, rate, present)) in lines.enumerate() {
            debug_assert!((0..1 << 32).contains(&rate), "rate {rate}");
            t.base[i] = base;
            t.rate[i] = rate;
            t.present[i] = present;
            t.winner[leaves + i] = if present { i as u32 } else { NONE };
        }
        t.set_rebase_point();
        for node in (1..leaves).rev() {
            t.replay(node);
        }
        t
    }

    /// Line `i`'s value at the current step.
    #[inline]
    pub fn value(&self, i: usize) -> i64 {
        self.base[i] + self.step * self.rate[i]
    }

    /// The position of the greatest value at the current step (the lowest of equals), or
    /// `None` when no line takes part.
    #[inline]
    pub fn winner(&self) -> Option<usize> {
        let w = self.winner[1];
        (w != NONE).then_some(w as usize)
    }

    /// Moves to the next step: every line grows by its rate.
    pub fn advance(&mut self) {
        if self.step >= self.rebase_at {
            self.rebase();
        }
        self.step += 1;
        if self.fails_at[1] <= self.step {
            self.settle(1);
        }
    }

    /// Adds `delta` to line `i`'s value, from the current step on.
    pub fn add(&mut self, i: usize, delta: i64) {
        self.base[i] += delta;
        let mut node = (self.leaves + i) / 2;
        while node >= 1 {
            self.replay(node);
            node /= 2;
        }
    }

    /// Re-plays every node below `node` whose certificate has failed by the current step.
    fn settle(&mut self, node: usize) {
        if node >= self.leaves || self.fails_at[node] > self.step {
            return;
        }
        self.settle(2 * node);
        self.settle(2 * node + 1);
        self.replay(node);
    }

    /// Recomputes `node`'s winner and certificate from its children's.
    #[inline]
    fn replay(&mut self, node: usize) {
        #[cfg(test)]
        {
            self.visits += 1;
        }
        let (l, r) = (2 * node, 2 * node + 1);
        let below = if l < self.leaves { self.fails_at[l].min(self.fails_at[r]) } else { NEVER };
        let (a, b) = (self.winner[l], self.winner[r]);
        let (winner, fails) = if a == NONE {
            (b, NEVER)
        } else if b == NONE {
            (a, NEVER)
        } else {
            let (a, b) = (a as usize, b as usize);
            if self.value(b) > self.value(a) { (b as u32, self.overtakes(a, b)) } else { (a as u32, self.passes(b, a)) }
        };
        self.winner[node] = winner;
        self.fails_at[node] = below.min(fails);
    }

    /// The first step at which line `left` (the lower position, now below `right`) reaches
    /// `right` and wins the tie: `base_l + t·rate_l >= base_r + t·rate_r`.
    fn overtakes(&self, left: usize, right: usize) -> i64 {
        let gain = self.rate[left] - self.rate[right];
        if gain <= 0 {
            return NEVER;
        }
        let gap = i128::from(self.base[right]) - i128::from(self.base[left]);
        clamp_step(ceil_div(gap, i128::from(gain)))
    }

    /// The first step at which line `right` (the higher position, now at or below `left`)
    /// passes `left`: `base_r + t·rate_r > base_l + t·rate_l`.
    fn passes(&self, right: usize, left: usize) -> i64 {
        let gain = self.rate[right] - self.rate[left];
        if gain <= 0 {
            return NEVER;
        }
        let gap = i128::from(self.base[left]) - i128::from(self.base[right]);
        clamp_step(gap.div_euclid(i128::from(gain)) + 1)
    }

    /// Moves every line to step 0, keeping its value, and recomputes the certificates.
    fn rebase(&mut self) {
        for i in 0..self.leaves {
            self.base[i] = self.value(i);
        }
        self.step = 0;
        self.set_rebase_point();
        for node in (1..self.leaves).rev() {
            self.replay(node);
        }
    }

    /// Sets the step past which `step · rate` could grow beyond 2⁶⁰.
    fn set_rebase_point(&mut self) {
        let fastest = self.rate.iter().copied().max().unwrap_or(0).max(1);
        self.rebase_at = i64::try_from(REBASE_PRODUCT / i128::from(fastest)).unwrap_or(NEVER);
    }
}

/// ⌈a / b⌉ for b > 0.
fn ceil_div(a: i128, b: i128) -> i128 {
    -((-a).div_euclid(b))
}

/// A step as an i64, [`NEVER`] when beyond.
fn clamp_step(step: i128) -> i64 {
    i64::try_from(step).unwrap_or(NEVER)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SimRng;

    /// The greatest value by a scan from the left, the first of equals.
    fn scan(t: &KineticMax) -> Option<usize> {
        let mut best: Option<usize> = None;
        for i in (0..t.leaves).filter(|&i| t.present[i]) {
            if best.is_none_or(|b| t.value(i) > t.value(b)) {
                best = Some(i);
            }
        }
        best
    }

    #[test]
    fn the_winner_is_the_scans_through_crossings_and_changes() {
        let mut rng = SimRng::new(7, 0);
        for round in 0..200 {
            let n = 1 + rng.below(40) as usize;
            let lines: Vec<(i64, i64, bool)> =
                (0..n).map(|_| (rng.below(200) as i64 - 100, rng.below(6) as i64, rng.below(5) > 0)).collect();
            let mut t = KineticMax::new(lines.into_iter());
            for step in 0..300 {
                assert_eq!(t.winner(), scan(&t), "round {round} step {step}");
                t.advance();
                if let Some(w) = t.winner()
                    && rng.below(2) == 0
                {
                    t.add(w, -(rng.below(50) as i64));
                }
            }
        }
    }

    #[test]
    fn a_rebase_keeps_values_and_winner() {
        let mut t = KineticMax::new([(0, 3, true), (5, 1, true), (2, 0, false)].into_iter());
        for _ in 0..10 {
            t.advance();
        }
        let before: Vec<i64> = (0..3).map(|i| t.value(i)).collect();
        t.rebase();
        assert_eq!((0..3).map(|i| t.value(i)).collect::<Vec<_>>(), before);
        assert_eq!(t.winner(), Some(0)); // 30 > 15
    }

    #[test]
    fn steps_of_crossing_are_exact() {
        // line 1 (higher position) at 10 + t·1 passes line 0 at 0 + t·0 ... never: line 0 is
        // constant, line 1 already ahead. Line 0 at 0 + 3t reaches line 1 at 10 + t when
        // 2t >= 10: step 5, and wins the tie there.
        let mut t = KineticMax::new([(0, 3, true), (10, 1, true)].into_iter());
        let winners: Vec<Option<usize>> = (0..7)
            .map(|_| {
                t.advance();
                t.winner()
            })
            .collect();
        assert_eq!(winners, [Some(1), Some(1), Some(1), Some(1), Some(0), Some(0), Some(0)]);
    }
}

#[cfg(test)]
mod cost {
    use super::*;
    use crate::rng::SimRng;

    /// Nodes re-played per smooth-weighted pick over `n` servers with weights drawn from
    /// 1..=`heaviest`, over `picks` picks after a first round of `n`.
    fn visits_per_pick(n: usize, heaviest: u64, picks: u64) -> f64 {
        let mut rng = SimRng::new(n as u64, 0);
        let weights: Vec<i64> = (0..n).map(|_| 1 + rng.below(heaviest) as i64).collect();
        let total: i64 = weights.iter().sum();
        let mut t = KineticMax::new(weights.iter().map(|&w| (0, w, true)));
        let pick = |t: &mut KineticMax| {
            t.advance();
            let w = t.winner().expect("a server");
            t.add(w, -total);
        };
        for _ in 0..n {
            pick(&mut t);
        }
        t.visits = 0;
        for _ in 0..picks {
            pick(&mut t);
        }
        t.visits as f64 / picks as f64
    }

    #[test]
    fn node_visits_per_pick_grow_with_the_log_of_the_pool() {
        for heaviest in [3, 1000] {
            let per: Vec<(usize, f64)> =
                [100, 1_000, 10_000, 100_000].into_iter().map(|n| (n, visits_per_pick(n, heaviest, 20_000))).collect();
            println!("weights 1 to {heaviest}: {per:?}");
            for (n, v) in per {
                let depth = (n as f64).log2().ceil();
                // a change re-plays its path (depth nodes), crossings add some more: measured
                // 1.1 to 1.7 paths a pick (7.6 nodes at 100 servers to 24.5 at 100,000),
                // deterministic (seeded); a scan would look at all n servers
                assert!(v <= 2.0 * depth, "{n} servers, weights 1 to {heaviest}: {v:.1} nodes a pick");
            }
        }
    }
}
