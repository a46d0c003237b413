//! The candidates for peak EWMA's pick, found without looking at every server: a tree over
//! server positions that keeps the least of a time-independent key per server, the servers
//! whose key no longer says their cost, and which servers share the same inputs.
//!
//! Peak EWMA's cost decays with time, `rtt · e^(−(now − at)/decay) · (connections + 1)`,
//! but every server's decays at the same rate, so the order of costs is the order of
//! `ln rtt + ln(connections + 1) + at/decay`, which changes only when the server's own
//! estimate or connections change. The balancer computes that key (and the error it may
//! carry); this tree keeps it per position, as a *modelled* leaf, until the time the
//! leaf's model stops holding (`stale_after`), from which on the leaf is *unmodelled*: it
//! holds only what is known of the cost (a [`Class`]: above 0, 0 or not, exactly 0), and
//! the cost is computed at a pick when that is not enough. A leaf also carries the inputs its cost is
//! computed from: where the leaves at a subtree's least key have the same inputs, they all
//! cost the same, and only the first of them can win.
//!
//! Every operation is O(log n), and listing leaves O(log n) per leaf listed.

use std::ops::ControlFlow;

/// No leaf.
const NONE: u32 = u32::MAX;

/// What one position holds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Leaf<I> {
    /// A server that takes no part (ineligible, or not yet started).
    Absent,
    /// A server whose order is given by `key` until `stale_after` (a time), and whose cost
    /// is computed from `inputs`.
    Modelled {
        /// The order key: lower costs less.
        key: f64,
        /// The last time at which `key` still orders this server.
        stale_after: u64,
        /// What the cost is computed from: equal inputs, equal costs.
        inputs: I,
    },
    /// A server no key orders (its estimate decayed near the floats' underflow), of which
    /// only this much is known until `changes_after` (a time).
    Unmodelled {
        /// What its cost is known to be.
        class: Class,
        /// The last time at which `class` still holds.
        changes_after: u64,
    },
}

/// What is known of an unmodelled server's cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// Above 0, though too small for its key to order it.
    AboveZero,
    /// 0 or not.
    Unknown,
    /// Exactly 0: the least a cost can be.
    Zero,
}

/// Whether the modelled leaves of a subtree share their inputs.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Same<I> {
    /// No modelled leaf.
    Empty,
    /// Every modelled leaf has these inputs.
    All(I),
    /// Not all the same.
    Mixed,
}

impl<I: Copy + PartialEq> Same<I> {
    fn join(self, other: Same<I>) -> Same<I> {
        match (self, other) {
            (Same::Empty, x) | (x, Same::Empty) => x,
            (Same::All(a), Same::All(b)) if a == b => Same::All(a),
            _ => Same::Mixed,
        }
    }
}

/// One node: the summary of its subtree.
#[derive(Clone, Copy, Debug)]
struct Node<I> {
    /// The least key of a modelled leaf, infinite when none.
    key: f64,
    /// The first position holding that key, or [`NONE`].
    least: u32,
    /// The least key above `key`, infinite when none.
    next: f64,
    /// The earliest time after which a leaf's model or class changes, `u64::MAX` when none.
    changes_after: u64,
    /// How many unmodelled leaves of each [`Class`].
    unmodelled: [u32; 3],
    /// Whether the modelled leaves at the least key share their inputs.
    same: Same<I>,
}

impl<I> Node<I> {
    const EMPTY: Node<I> = Node {
        key: f64::INFINITY,
        least: NONE,
        next: f64::INFINITY,
        changes_after: u64::MAX,
        unmodelled: [0; 3],
        same: Same::Empty,
    };
}

/// A tree of [`Leaf`]s over positions 0..n.
#[derive(Clone, Debug)]
pub struct CostTree<I> {
    /// Leaves: a power of two at least n; node 1 is the root, leaf i is node `leaves + i`.
    leaves: usize,
    nodes: Vec<Node<I>>,
}

impl<I: Copy + PartialEq> CostTree<I> {
    /// A tree of `n` absent leaves.
    pub fn new(n: usize) -> Self {
        let leaves = n.next_power_of_two().max(1);
        CostTree { leaves, nodes: vec![Node::EMPTY; 2 * leaves] }
    }

    /// The node of leaf `leaf` at position `i`.
    fn leaf_node(i: usize, leaf: Leaf<I>) -> Node<I> {
        match leaf {
            Leaf::Absent => Node::EMPTY,
            Leaf::Modelled { key, stale_after, inputs } => {
                Node { key, least: i as u32, changes_after: stale_after, same: Same::All(inputs), ..Node::EMPTY }
            }
            Leaf::Unmodelled { class, changes_after } => {
                let mut unmodelled = [0; 3];
                unmodelled[class as usize] = 1;
                Node { unmodelled, changes_after, ..Node::EMPTY }
            }
        }
    }

    /// Sets position `i`'s leaf.
    pub fn set(&mut self, i: usize, leaf: Leaf<I>) {
        let mut node = self.leaves + i;
        self.nodes[node] = Self::leaf_node(i, leaf);
        while node > 1 {
            node /= 2;
            self.join(node);
        }
    }

    /// Sets every leaf at once, in O(n).
    pub fn fill(&mut self, leaves: impl Iterator<Item = Leaf<I>>) {
        for (i, leaf) in leaves.enumerate() {
            self.nodes[self.leaves + i] = Self::leaf_node(i, leaf);
        }
        for node in (1..self.leaves).rev() {
            self.join(node);
        }
    }

    #[inline]
    fn join(&mut self, node: usize) {
        let (l, r) = (self.nodes[2 * node], self.nodes[2 * node + 1]);
        let (key, least, next, same) = if l.key < r.key {
            (l.key, l.least, l.next.min(r.key), l.same)
        } else if r.key < l.key {
            (r.key, r.least, r.next.min(l.key), r.same)
        } else {
            (l.key, l.least, l.next.min(r.next), l.same.join(r.same))
        };
        self.nodes[node] = Node {
            key,
            least,
            next,
            same,
            changes_after: l.changes_after.min(r.changes_after),
            unmodelled: [0, 1, 2].map(|c| l.unmodelled[c] + r.unmodelled[c]),
        };
    }

    /// Sets again, by `leaf_at`, every leaf whose model or class changes before `now`.
    pub fn expire(&mut self, now: u64, mut leaf_at: impl FnMut(usize) -> Leaf<I>) {
        while self.nodes[1].changes_after < now {
            let mut node = 1;
            while node < self.leaves {
                node = if self.nodes[2 * node].changes_after < now { 2 * node } else { 2 * node + 1 };
            }
            let i = node - self.leaves;
            self.set(i, leaf_at(i));
        }
    }

    /// The least key of a modelled leaf, if any.
    pub fn least_key(&self) -> Option<f64> {
        (self.nodes[1].least != NONE).then_some(self.nodes[1].key)
    }

    /// The first position of an unmodelled leaf of `class`, if any.
    pub fn first(&self, class: Class) -> Option<usize> {
        let c = class as usize;
        if self.nodes[1].unmodelled[c] == 0 {
            return None;
        }
        let mut node = 1;
        while node < self.leaves {
            node = if self.nodes[2 * node].unmodelled[c] > 0 { 2 * node } else { 2 * node + 1 };
        }
        Some(node - self.leaves)
    }

    /// Calls `visit` on each position before `end` of an unmodelled leaf of `class`, in
    /// order, until it breaks.
    pub fn each(&self, class: Class, end: usize, mut visit: impl FnMut(usize) -> ControlFlow<()>) -> ControlFlow<()> {
        self.each_below(1, 0, self.leaves, class as usize, end, &mut visit)
    }

    /// [`Self::each`] below `node`, whose positions are `first..first + width`.
    fn each_below(
        &self,
        node: usize,
        first: usize,
        width: usize,
        class: usize,
        end: usize,
        visit: &mut impl FnMut(usize) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        if self.nodes[node].unmodelled[class] == 0 || first >= end {
            return ControlFlow::Continue(());
        }
        if width == 1 {
            return visit(first);
        }
        let half = width / 2;
        self.each_below(2 * node, first, half, class, end, visit)?;
        self.each_below(2 * node + 1, first + half, half, class, end, visit)
    }

    /// Calls `visit` on the modelled positions whose key is at most `bound`, except that of
    /// the leaves at a subtree's least key with the same inputs, when no other key of the
    /// subtree is within the bound, only the first is visited (they cost the same, and the
    /// first of equals wins): a run of equal servers scattered among others costs one visit
    /// per subtree it is alone in.
    pub fn each_within(&self, bound: f64, mut visit: impl FnMut(usize)) {
        self.within_below(1, bound, &mut visit);
    }

    fn within_below(&self, node: usize, bound: f64, visit: &mut impl FnMut(usize)) {
        let n = &self.nodes[node];
        if n.least == NONE || n.key > bound {
            return;
        }
        if node >= self.leaves || (matches!(n.same, Same::All(_)) && n.next > bound) {
            return visit(n.least as usize);
        }
        self.within_below(2 * node, bound, visit);
        self.within_below(2 * node + 1, bound, visit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn modelled(key: f64, stale_after: u64, inputs: u32) -> Leaf<u32> {
        Leaf::Modelled { key, stale_after, inputs }
    }

    #[test]
    fn lists_what_is_within_the_bound_once_per_run_of_equal_inputs() {
        let mut t = CostTree::new(6);
        t.fill(
            [
                modelled(1.0, 9, 1),
                modelled(1.0, 9, 1),
                modelled(3.0, 9, 2),
                Leaf::Absent,
                modelled(1.5, 9, 3),
                modelled(1.0, 9, 1),
            ]
            .into_iter(),
        );
        assert_eq!(t.least_key(), Some(1.0));
        let mut seen = Vec::new();
        t.each_within(1.5, |i| seen.push(i));
        // 0 and 1 share a subtree and inputs: 0 stands for both; 4 and 5 differ
        assert_eq!(seen, [0, 4, 5]);

        // equal servers scattered among dearer ones outside the bound: one visit
        let mut t = CostTree::new(6);
        t.fill(
            [
                modelled(1.0, 9, 1),
                modelled(5.0, 9, 2),
                modelled(1.0, 9, 1),
                modelled(5.0, 9, 2),
                Leaf::Absent,
                modelled(1.0, 9, 1),
            ]
            .into_iter(),
        );
        let mut seen = Vec::new();
        t.each_within(2.0, |i| seen.push(i));
        assert_eq!(seen, [0]);
    }

    #[test]
    fn expired_leaves_are_set_again_and_listed_by_class_in_order() {
        let unknown = Leaf::Unmodelled { class: Class::Unknown, changes_after: 6 };
        let zero = Leaf::Unmodelled { class: Class::Zero, changes_after: u64::MAX };
        let mut t = CostTree::new(7);
        t.fill(
            [modelled(1.0, 5, 0), modelled(2.0, 3, 1), unknown, modelled(0.5, 8, 2), Leaf::Absent, unknown, zero]
                .into_iter(),
        );
        assert_eq!(t.first(Class::Zero), Some(6));
        // only position 1's model ends before 5
        let mut asked = Vec::new();
        t.expire(5, |i| {
            asked.push(i);
            unknown
        });
        assert_eq!(asked, [1]);
        let list = |t: &CostTree<u32>, class, end| {
            let mut seen = Vec::new();
            let _ = t.each(class, end, |i| {
                seen.push(i);
                ControlFlow::Continue(())
            });
            seen
        };
        assert_eq!(list(&t, Class::Unknown, 7), [1, 2, 5]);
        assert_eq!(list(&t, Class::Unknown, 5), [1, 2]);
        assert_eq!(list(&t, Class::AboveZero, 7), Vec::<usize>::new());
        // everything but the zero changes before 100: all zero now
        t.expire(100, |_| zero);
        assert_eq!(t.least_key(), None);
        assert_eq!(t.first(Class::Zero), Some(0));
        assert_eq!(list(&t, Class::Zero, 7), [0, 1, 2, 3, 5, 6]);
    }
}
