//! Peak EWMA (Finagle, Linkerd, tower): every eligible server is a candidate, and its load
//! is its expected response time x (connections + 1); the lowest wins, ties to the first.
//!
//! The expected response time is a moving average that is quick to believe bad news:
//! - an observed response slower than the estimate becomes the estimate at once (the peak);
//! - a faster one is blended in, `estimate·w + rtt·(1 − w)` with `w = exp(−Δt / decay)`,
//!   Δt the time since the last update: the longer since, the more the new value counts;
//! - between observations the estimate decays towards zero by the same `w`, as tower's
//!   and Finagle's do when they read it, so a server avoided after one slow response is
//!   tried again in time rather than shunned for ever.
//!
//! A server not yet observed counts at the default response time, decaying from the first
//! pick that sees it (so a new server is tried soon even if the default is pessimistic);
//! its first observation replaces the default outright, since the default is no
//! measurement. Estimates are kept by server id across pool changes.

//!
//! A pick does not compute every server's cost: the costs all decay at one rate, so their
//! order is kept in a [`CostTree`] by a key that changes only with the server's own
//! estimate or connections, and only the servers whose key is within its rounding error of
//! the least have their cost computed, as the scan computes it: the same picks as the scan
//! ([`super::reference::PeakEwmaScan`]), in O(log n) (see [`PeakEwma::pick`] for when not).

use std::ops::ControlFlow;

use super::cost_tree::{Class, CostTree, Leaf};
use super::{Balancer, Decision, Eligible, RequestInfo, Score, carry_over};
use crate::rng::SimRng;
use crate::server::{Server, ServerId};
use crate::time::{NANOS_PER_SEC, Nanos, from_secs};

/// One server's response-time estimate.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Estimate {
    /// The estimate in nanoseconds, as of `at`.
    rtt_ns: f64,
    /// When it was last updated; `None` until a pick or an observation first sees it.
    at: Option<Nanos>,
    /// Whether `rtt_ns` comes from an observation rather than the default.
    observed: bool,
}

/// Every server's response-time estimate, kept by server id across pool changes: the
/// arithmetic of peak EWMA, shared by the balancer and the scan it is checked against.
#[derive(Debug)]
pub(super) struct Estimates {
    /// Decay time constant in nanoseconds (at least 1).
    decay_ns: f64,
    /// Starting estimate for a server not yet observed, in nanoseconds.
    default_rtt_ns: f64,
    /// Estimates aligned with the pool.
    list: Vec<Estimate>,
    /// The server each estimate belongs to.
    ids: Vec<ServerId>,
}

impl Estimates {
    /// Estimates that decay with time constant `decay_s` seconds, starting from
    /// `default_rtt_s` seconds for servers not yet observed.
    pub(super) fn new(decay_s: f64, default_rtt_s: f64) -> Self {
        Estimates {
            decay_ns: (from_secs(decay_s) as f64).max(1.0),
            default_rtt_ns: from_secs(default_rtt_s) as f64,
            list: Vec::new(),
            ids: Vec::new(),
        }
    }

    /// How many servers it holds estimates for.
    pub(super) fn len(&self) -> usize {
        self.list.len()
    }

    /// The weight the old estimate keeps after `elapsed` nanoseconds.
    #[inline]
    fn keep(&self, elapsed: Nanos) -> f64 {
        if elapsed == 0 { 1.0 } else { libm::exp(-(elapsed as f64) / self.decay_ns) }
    }

    /// `servers[index]`'s estimate at `now`, in nanoseconds, starting its clock if it had none.
    #[inline]
    pub(super) fn estimate(&mut self, index: usize, now: Nanos) -> f64 {
        let e = &mut self.list[index];
        let at = *e.at.get_or_insert(now);
        let rtt_ns = e.rtt_ns;
        rtt_ns * self.keep(now.saturating_sub(at))
    }

    /// The cost of `servers[index]` holding `connections` at `now`: its estimate x
    /// (connections + 1), the number a pick compares. A clock not started counts as
    /// starting now, as [`Self::estimate`] would start it.
    #[inline]
    pub(super) fn cost(&self, index: usize, now: Nanos, connections: u32) -> f64 {
        let e = &self.list[index];
        let elapsed = now.saturating_sub(e.at.unwrap_or(now));
        e.rtt_ns * self.keep(elapsed) * (f64::from(connections) + 1.0)
    }

    /// Carries the estimates over to the pool `servers`, by server id.
    pub(super) fn carry(&mut self, servers: &[Server]) {
        let fresh = Estimate { rtt_ns: self.default_rtt_ns, at: None, observed: false };
        self.list = carry_over(&self.ids, &self.list, servers, fresh);
        self.ids.clear();
        self.ids.extend(servers.iter().map(|s| s.id));
    }

    /// A request on `servers[index]` took `response` nanoseconds, answered at `now`.
    pub(super) fn observe(&mut self, index: usize, response: Nanos, now: Nanos) {
        if index >= self.list.len() {
            return;
        }
        let e = self.list[index];
        let rtt = response as f64;
        let rtt_ns = match e.at {
            Some(at) if e.observed => {
                let keep = self.keep(now.saturating_sub(at));
                let decayed = e.rtt_ns * keep;
                if rtt > decayed { rtt } else { decayed + rtt * (1.0 - keep) }
            }
            _ => rtt,
        };
        self.list[index] = Estimate { rtt_ns, at: Some(now), observed: true };
    }

    /// The scan: every eligible server's cost computed at `now`, the least winning, ties to
    /// the first.
    pub(super) fn scan(&mut self, servers: &[Server], eligible: &Eligible, now: Nanos) -> Option<usize> {
        let mut best: Option<(usize, f64)> = None;
        for i in eligible.positions().iter().map(|&i| i as usize) {
            let cost = self.estimate(i, now) * (f64::from(servers[i].connections()) + 1.0);
            if best.is_none_or(|(_, lowest)| cost < lowest) {
                best = Some((i, cost));
            }
        }
        best.map(|(i, _)| i)
    }

    /// Fills `d` with the cost of every eligible server, `chosen` first.
    pub(super) fn explain(
        &mut self,
        servers: &[Server],
        eligible: &Eligible,
        chosen: usize,
        now: Nanos,
        d: &mut Decision,
    ) {
        let mut score = |i: usize| Score::Cost {
            rtt_s: self.estimate(i, now) / NANOS_PER_SEC as f64,
            connections: servers[i].connections(),
        };
        d.choose(&servers[chosen].name, score(chosen));
        for i in eligible.positions().iter().map(|&i| i as usize).filter(|&i| i != chosen) {
            d.consider(&servers[i].name, score(i));
        }
    }
}

/// What one server's cost is computed from: equal inputs give equal costs.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Inputs {
    rtt_bits: u64,
    at: Nanos,
    connections: u32,
}

/// Decay times after which a server's key stops ordering it: its decayed estimate,
/// `e^-700` of itself, is still a normal float (from 1e-3 ns), so the scan's cost carries
/// only the rounding error [`PeakEwma::tolerance`] allows for.
const MODELLED_DECAYS: f64 = 700.0;

/// Smallest estimate, in nanoseconds, whose cost is ordered by its key (below it the
/// decayed estimate could leave the normal floats within [`MODELLED_DECAYS`]).
const MODELLED_RTT_NS: f64 = 1e-3;

/// Decay times up to which an estimate of at least 1 ns still costs more than 0: `e^-744`
/// is 1.5 times the least float above 0, and libm's `exp` errs by less than one unit
/// there, so it gives at least that least float.
const ABOVE_ZERO_DECAYS: f64 = 744.0;

/// Decay times after which every cost is exactly 0: libm's `exp` returns 0 below
/// -745.1332191019411 (`exp_underflows_where_the_classes_say` checks it).
const ZERO_DECAYS: f64 = 745.14;

/// The times, in nanoseconds after a server's last update, at which what is known of its
/// cost changes (see [`Class`]).
#[derive(Clone, Copy, Debug)]
struct Spans {
    /// Its key orders it up to here ([`MODELLED_DECAYS`]).
    modelled: Nanos,
    /// Its cost is above 0 up to here, if its estimate is at least 1 ns ([`ABOVE_ZERO_DECAYS`]).
    above_zero: Nanos,
    /// Its cost is 0 after here ([`ZERO_DECAYS`]).
    zero: Nanos,
}

impl Spans {
    fn new(decay_ns: f64) -> Self {
        Spans {
            modelled: (MODELLED_DECAYS * decay_ns).floor() as Nanos,
            above_zero: (ABOVE_ZERO_DECAYS * decay_ns).floor() as Nanos,
            zero: (ZERO_DECAYS * decay_ns).ceil() as Nanos,
        }
    }
}

/// Most servers picked among by the scan rather than the tree: a scan costs about 94
/// instructions a server, the tree's upkeep about 1,000 a request (two logarithms a change)
/// and a little more with the pool, so below about 16 servers the scan is cheaper
/// (`valgrind --tool=callgrind` of `lbsim run`, docs/performance.md). The picks are the
/// same either way.
const SCAN_AT_MOST: usize = 16;

/// The server with the lowest peak EWMA response time x (connections + 1).
#[derive(Debug)]
pub struct PeakEwma {
    estimates: Estimates,
    /// Whether the pool is small enough to scan ([`SCAN_AT_MOST`]): the tree is then empty.
    scanned: bool,
    /// The servers' order keys and classes.
    tree: CostTree<Inputs>,
    /// Each server's connections, as the tree last saw them.
    connections: Vec<u32>,
    /// Each server's eligibility, as the tree last saw it.
    eligible: Vec<bool>,
    /// Eligible servers whose clock starts at the next pick.
    unstarted: Vec<u32>,
    /// The latest time seen (a pick, an answer): a pick before it (time does not go back in
    /// an engine) compares by the scan.
    clock: Nanos,
    /// When what is known of a cost changes.
    spans: Spans,
    /// Costs computed by picks: the work the tests measure.
    #[cfg(test)]
    computed: std::cell::Cell<u64>,
}

impl PeakEwma {
    /// Estimates that decay with time constant `decay_s` seconds, starting from
    /// `default_rtt_s` seconds for servers not yet observed.
    pub fn new(decay_s: f64, default_rtt_s: f64) -> Self {
        let estimates = Estimates::new(decay_s, default_rtt_s);
        let spans = Spans::new(estimates.decay_ns);
        PeakEwma {
            estimates,
            scanned: true,
            tree: CostTree::new(0),
            connections: Vec::new(),
            eligible: Vec::new(),
            unstarted: Vec::new(),
            clock: 0,
            spans,
            #[cfg(test)]
            computed: std::cell::Cell::new(0),
        }
    }

    /// `servers[index]`'s estimate at `now`, in nanoseconds, starting its clock if it had none.
    #[cfg(test)]
    fn estimate(&mut self, index: usize, now: Nanos) -> f64 {
        let estimate = self.estimates.estimate(index, now);
        self.clock = self.clock.max(now);
        if !self.scanned {
            self.refresh(index);
        }
        estimate
    }

    /// Sets position `i`'s leaf from its estimate and connections, as of the clock.
    fn refresh(&mut self, i: usize) {
        let leaf = leaf(&self.estimates, self.eligible[i], self.connections[i], self.spans, i, self.clock);
        self.tree.set(i, leaf);
    }

    /// How far above the least key a server's key may be and its cost still be the least.
    ///
    /// The key `ln rtt + ln(c + 1) + at/decay` less `now/decay` is the log of the cost;
    /// the scan's cost is `rtt · exp(−(now − at)/decay) · (c + 1)` in floats. With `u` =
    /// 2⁻⁵³, `x = (now − at)/decay ≤ 700` (a modelled server) and normal floats throughout,
    /// the scan's log cost is off by at most `2x·u` (the quotient's rounding, made absolute
    /// by the exponential) + `2u` (libm's `exp`, under 1 ulp) + `2u` (two products): about
    /// `1405u`. The key is off by at most `4u` times the sum of its terms' sizes, at most
    /// `|key| + 135` (`|ln rtt| ≤ 45`, `ln(c + 1) ≤ 23`). The cheapest server's key is at
    /// most `2·1405u + 2·4u·(|key| + 135) < (3900 + 8|key|)·u` above the least key; the
    /// tolerance is 4 times that.
    fn tolerance(least: f64) -> f64 {
        (16_384.0 + 32.0 * least.abs()) * (f64::EPSILON / 2.0)
    }
}

/// What the tree holds for a server at `now`: nothing if it takes no part; its key while
/// the key orders it; else what is known of its cost, by the time since its last update.
fn leaf(estimates: &Estimates, eligible: bool, connections: u32, spans: Spans, i: usize, now: Nanos) -> Leaf<Inputs> {
    let e = &estimates.list[i];
    let Some(at) = e.at.filter(|_| eligible) else { return Leaf::Absent };
    let elapsed = now.saturating_sub(at);
    let rtt = e.rtt_ns;
    if rtt == 0.0 || elapsed > spans.zero {
        Leaf::Unmodelled { class: Class::Zero, changes_after: Nanos::MAX }
    } else if rtt >= MODELLED_RTT_NS && elapsed <= spans.modelled {
        let key = libm::log(rtt) + libm::log(f64::from(connections) + 1.0) + at as f64 / estimates.decay_ns;
        Leaf::Modelled {
            key,
            stale_after: at.saturating_add(spans.modelled),
            inputs: Inputs { rtt_bits: rtt.to_bits(), at, connections },
        }
    } else if rtt >= 1.0 && elapsed <= spans.above_zero {
        Leaf::Unmodelled { class: Class::AboveZero, changes_after: at.saturating_add(spans.above_zero) }
    } else {
        Leaf::Unmodelled { class: Class::Unknown, changes_after: at.saturating_add(spans.zero) }
    }
}

impl Balancer for PeakEwma {
    /// The server of least cost, ties to the first, as a scan of every server finds it.
    ///
    /// Costs are computed only for the servers whose key is within [`Self::tolerance`] of
    /// the least (one server, unless costs nearly tie; a run of servers with the same inputs
    /// counts once), and for those no key orders, whose estimate is below 1e-3 ns or has
    /// gone unchanged for over 700 decay times, near the floats' underflow. Past 745.14
    /// decay times a cost is exactly 0 and the first such server wins, unless one before it
    /// (744 to 745.14 decay times, or an estimate below 1 ns) costs 0 too. When no cost is
    /// 0, every server 700 to 744 decay times since its last answer has its cost computed:
    /// many at once (decay times far shorter than the responses, and no server yet at 0)
    /// cost one computation each per pick, the scan's price. Up to [`SCAN_AT_MOST`] servers
    /// the pick is the scan itself, which is cheaper there.
    fn pick(
        &mut self,
        servers: &[Server],
        eligible: &Eligible,
        request: RequestInfo,
        _rng: &mut SimRng,
        why: Option<&mut Decision>,
    ) -> Option<usize> {
        if self.estimates.len() != servers.len() {
            self.pool_changed(servers, eligible);
        }
        let now = request.now;
        let chosen = if self.scanned || now < self.clock {
            self.estimates.scan(servers, eligible, now)
        } else {
            self.clock = now;
            for i in std::mem::take(&mut self.unstarted) {
                self.estimates.estimate(i as usize, now);
                self.refresh(i as usize);
            }
            let (estimates, eligible_now, connections, spans) =
                (&self.estimates, &self.eligible, &self.connections, self.spans);
            self.tree.expire(now, |i| leaf(estimates, eligible_now[i], connections[i], spans, i, now));
            let mut best: Option<(usize, f64)> = None;
            #[cfg(test)]
            let computed = &self.computed;
            let mut consider = |i: usize| {
                #[cfg(test)]
                computed.set(computed.get() + 1);
                debug_assert_eq!(connections[i], servers[i].connections(), "connections changed unannounced");
                let cost = estimates.cost(i, now, servers[i].connections());
                if best.is_none_or(|(first, lowest)| cost < lowest || (cost == lowest && i < first)) {
                    best = Some((i, cost));
                }
                cost
            };
            let zero = self.tree.first(Class::Zero);
            let first_zero = |consider: &mut dyn FnMut(usize) -> f64| {
                let end = zero.unwrap_or(servers.len());
                self.tree.each(Class::Unknown, end, |i| {
                    if consider(i) == 0.0 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
                })
            };
            if first_zero(&mut consider).is_break() {
                best.map(|(i, _)| i)
            } else if zero.is_some() {
                zero
            } else {
                let _ = self.tree.each(Class::AboveZero, servers.len(), |i| {
                    consider(i);
                    ControlFlow::Continue(())
                });
                if let Some(least) = self.tree.least_key() {
                    self.tree.each_within(least + Self::tolerance(least), |i| {
                        consider(i);
                    });
                }
                best.map(|(i, _)| i)
            }
        }?;
        if let Some(d) = why {
            self.estimates.explain(servers, eligible, chosen, now, d);
        }
        Some(chosen)
    }

    fn pool_changed(&mut self, servers: &[Server], eligible: &Eligible) {
        self.estimates.carry(servers);
        self.connections.clear();
        self.connections.extend(servers.iter().map(Server::connections));
        self.eligible.clear();
        self.eligible.extend((0..servers.len()).map(|i| eligible.contains(i)));
        self.unstarted.clear();
        self.unstarted
            .extend(eligible.positions().iter().copied().filter(|&i| self.estimates.list[i as usize].at.is_none()));
        self.scanned = servers.len() <= SCAN_AT_MOST;
        self.tree = CostTree::new(if self.scanned { 0 } else { servers.len() });
        if self.scanned {
            self.unstarted.clear();
            return;
        }
        let (estimates, spans, clock) = (&self.estimates, self.spans, self.clock);
        self.tree
            .fill((0..servers.len()).map(|i| leaf(estimates, self.eligible[i], self.connections[i], spans, i, clock)));
    }

    fn connections_changed(&mut self, servers: &[Server], index: usize) {
        if !self.scanned && index < self.connections.len() {
            self.connections[index] = servers[index].connections();
            self.refresh(index);
        }
    }

    fn observe(&mut self, index: usize, response: Nanos, now: Nanos) {
        if index < self.estimates.len() {
            self.estimates.observe(index, response, now);
            self.clock = self.clock.max(now);
            if !self.scanned {
                self.refresh(index);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{hold, mark_down, pool, route, server};
    use super::*;
    use crate::Algorithm;
    use crate::server::Server;

    const MS: Nanos = 1_000_000;

    fn at(now: Nanos) -> RequestInfo {
        RequestInfo { key: 0, now }
    }

    #[test]
    fn a_server_that_responded_slowly_is_avoided() {
        let mut servers = pool(2, &[]);
        let mut b = PeakEwma::new(10.0, 0.05);
        b.pool_changed(&servers, &Eligible::of(&servers));
        b.observe(0, 100 * MS, 0);
        b.observe(1, 10 * MS, 0);
        let picks = route(&mut b, &mut servers, 10, 1);
        // server2 until 10 ms x (9 + 1) ties server1's 100 ms x 1; the tie goes to the first
        assert_eq!(picks[..9], vec!["server2"; 9]);
        assert_eq!(picks[9], "server1");
    }

    #[test]
    fn a_peak_is_taken_at_once_and_a_faster_response_blends_in() {
        let servers = pool(1, &[]);
        let mut b = PeakEwma::new(1.0, 0.05);
        b.pool_changed(&servers, &Eligible::of(&servers));
        b.observe(0, 10 * MS, 0);
        b.observe(0, 200 * MS, MS);
        assert_eq!(b.estimate(0, MS), (200 * MS) as f64);
        // one decay constant later a 10 ms response: 200·e⁻¹ + 10·(1 − e⁻¹)
        b.observe(0, 10 * MS, MS + 1_000 * MS);
        let w = libm::exp(-1.0);
        let expected = 200e6 * w + 10e6 * (1.0 - w);
        assert!((b.estimate(0, MS + 1_000 * MS) - expected).abs() < 1e-3);
    }

    #[test]
    fn decay_brings_it_back_down() {
        let servers = pool(1, &[]);
        let mut b = PeakEwma::new(1.0, 0.05);
        b.pool_changed(&servers, &Eligible::of(&servers));
        b.observe(0, 500 * MS, 0);
        // fast responses every 100 ms pull it towards 10 ms: the excess shrinks by
        // e^-0.1 a step, 490 ms x e^-10 = 0.02 ms after 100 steps
        for k in 1..=100 {
            b.observe(0, 10 * MS, k * 100 * MS);
        }
        let settled = b.estimate(0, 10_000 * MS);
        assert!((10e6..10.1e6).contains(&settled), "{settled}");
        // with no response at all it decays towards zero: e^-5 < 1% after five constants
        b.observe(0, 500 * MS, 20_000 * MS);
        assert!(b.estimate(0, 25_000 * MS) < 500e6 * 0.01);
    }

    #[test]
    fn unobserved_servers_start_at_the_default_and_decay() {
        let servers = pool(2, &[]);
        let mut b = PeakEwma::new(1.0, 0.05);
        b.pool_changed(&servers, &Eligible::of(&servers));
        let mut rng = SimRng::new(0, 0);
        b.observe(0, 80 * MS, 0);
        // server2 at its default 50 ms beats server1's 80 ms
        assert_eq!(b.pick(&servers, &Eligible::of(&servers), at(0), &mut rng, None), Some(1));
        assert_eq!(b.estimate(1, 0), (50 * MS) as f64);
        assert!(b.estimate(1, 1_000 * MS) < 50e6 * 0.37);
    }

    #[test]
    fn keeps_estimates_across_pool_changes() {
        let mut servers = pool(2, &[]);
        let mut b = PeakEwma::new(10.0, 0.05);
        b.pool_changed(&servers, &Eligible::of(&servers));
        b.observe(1, 70 * MS, 0);
        servers.insert(0, server(7, "server0"));
        b.pool_changed(&servers, &Eligible::of(&servers));
        assert_eq!(b.estimate(2, 0), (70 * MS) as f64);
        assert_eq!(b.estimate(0, 0), (50 * MS) as f64);
    }

    #[test]
    fn skips_ineligible_and_gives_none_when_nothing_is_eligible() {
        let mut servers = pool(2, &[]);
        mark_down(&mut servers, 1);
        let mut b = PeakEwma::new(10.0, 0.05);
        b.pool_changed(&servers, &Eligible::of(&servers));
        b.observe(0, 900 * MS, 0);
        let mut rng = SimRng::new(0, 0);
        assert_eq!(b.pick(&servers, &Eligible::of(&servers), at(0), &mut rng, None), Some(0));
        mark_down(&mut servers, 0);
        b.pool_changed(&servers, &Eligible::of(&servers));
        assert_eq!(b.pick(&servers, &Eligible::of(&servers), at(0), &mut rng, None), None);
    }

    /// Costs computed per pick over `n` servers, each pick 10 µs after the last, each
    /// request answered by its server 1 to 2 ms later, as an engine's would be.
    fn computed_per_pick(n: usize, decay_s: f64) -> f64 {
        let mut servers = pool(n, &[]);
        let mut b = PeakEwma::new(decay_s, 0.05);
        let eligible = Eligible::of(&servers);
        b.pool_changed(&servers, &eligible);
        let mut rng = SimRng::new(5, 0);
        let mut answers = std::collections::VecDeque::new();
        let mut now = 0;
        let mut one = |b: &mut PeakEwma, servers: &mut Vec<Server>, now: &mut Nanos| {
            *now += 10_000;
            while answers.front().is_some_and(|&(at, _, _)| at <= *now) {
                let (at, took, j) = answers.pop_front().expect("an answer");
                super::super::testing::release(servers, j);
                b.observe(j, took, at);
                b.connections_changed(servers, j);
            }
            let i = b.pick(servers, &eligible, at(*now), &mut rng, None).expect("a server");
            hold(servers, i);
            b.connections_changed(servers, i);
            // answers come back in order: each takes 1 ms plus a little more than the last
            let took = 1_000_000 + rng.below(1_000);
            let due = answers.back().map_or(0, |&(at, _, _)| at).max(*now + took);
            answers.push_back((due, due - *now, i));
        };
        for _ in 0..2 * n {
            one(&mut b, &mut servers, &mut now);
        }
        b.computed.set(0);
        let picks = 20_000;
        for _ in 0..picks {
            one(&mut b, &mut servers, &mut now);
        }
        b.computed.get() as f64 / picks as f64
    }

    #[test]
    fn a_pick_computes_about_one_cost_whatever_the_pool() {
        for decay_s in [10.0, 1e-3, 1e-6] {
            let per: Vec<(usize, f64)> =
                [100, 1_000, 10_000].into_iter().map(|n| (n, computed_per_pick(n, decay_s))).collect();
            println!("decay {decay_s} s: {per:?}");
            for (n, c) in per {
                // one cost unless two keys fall within the tolerance (a relative 1e-12 or so),
                // none at a 1 µs decay (answers take 1,000 decay times: costs of exactly 0,
                // the first of which wins uncomputed); measured 1.0, 1.0 and 0.0 at every
                // size, deterministic (seeded); a scan computes n
                assert!(c < 1.5, "{n} servers, decay {decay_s} s: {c:.2} costs a pick");
            }
        }
    }

    #[test]
    fn exp_underflows_where_the_classes_say() {
        // the quotient the scan takes the exponential of, at the span's edges, for decays
        // of 1 ns, 1 ms and 10 s
        for decay_s in [1e-9, 1e-3, 10.0] {
            let b = PeakEwma::new(decay_s, 0.05);
            let keep = |elapsed: Nanos| b.estimates.keep(elapsed);
            // past the zero span: exactly 0, whatever the estimate
            assert_eq!(keep(b.spans.zero + 1), 0.0, "decay {decay_s}");
            assert_eq!(keep(b.spans.zero * 2), 0.0, "decay {decay_s}");
            // up to the above-zero span: above 0, so 1 ns or more costs above 0
            assert!(keep(b.spans.above_zero) > 0.0, "decay {decay_s}");
            assert!(1.0 * keep(b.spans.above_zero) > 0.0);
            // up to the modelled span: a normal float, even for an estimate of 1e-3 ns
            assert!((MODELLED_RTT_NS * keep(b.spans.modelled)).is_normal(), "decay {decay_s}");
        }
    }

    #[test]
    fn explains_with_costs() {
        let mut servers = pool(2, &[]);
        hold(&mut servers, 1);
        let mut b = PeakEwma::new(10.0, 0.05);
        b.pool_changed(&servers, &Eligible::of(&servers));
        b.observe(0, 100 * MS, 0);
        b.observe(1, 20 * MS, 0);
        let mut d = Decision::new(Algorithm::PeakEwma);
        b.pick(&servers, &Eligible::of(&servers), at(0), &mut SimRng::new(0, 0), Some(&mut d));
        assert_eq!(
            d.to_string(),
            "peak-ewma chose server2: cost 40 ms = response time 20 ms x (1 + 1) (server1: 100 ms)"
        );
    }
}
