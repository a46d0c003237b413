//! Retry budgets: what may refuse a retry that `retries` would still allow, so that retries
//! cannot multiply the load on a pool that is failing. Two kinds, as two proxies build them:
//!
//! - **Envoy's** (`retry-budget`, `retry-min`; Envoy's
//!   `CircuitBreakers.Thresholds.RetryBudget`): a cap on *concurrent* retries, relative to the
//!   requests in flight — see [`RetryBudgets::envoy_allows`];
//! - **Finagle's** (`retry-bucket`, `retry-bucket-ttl`, `retry-bucket-min`; Finagle's
//!   `RetryBudget`): a cap on retries *over time*, relative to the requests sent — see
//!   [`TokenBucket`].
//!
//! With both set, a retry needs both: Envoy's is asked first (it takes nothing), then the
//! bucket (which is drawn on only if the retry goes). [`Engine::retry_or_settle`] asks, in one
//! place; a refused retry is not sent, and its request ends with its last attempt's fate
//! (failed or timed out), as Envoy returns the original error, counted in `budget_refused`.
//!
//! [`Engine::retry_or_settle`]: super::Engine

use rustc_hash::FxHashSet;

use crate::scenario::Scenario;
use crate::time::{Nanos, from_secs};

/// The retry budgets of a run: the requests holding one of Envoy's retry slots (kept whether
/// or not `retry-budget` is set, so that setting it mid-run counts the retries already out)
/// and Finagle's bucket, if `retry-bucket` is set.
#[derive(Debug, Default)]
pub(super) struct RetryBudgets {
    /// Requests in flight whose last retry decision let a retry go: each holds a slot from
    /// that decision to its next, or to its end (Envoy's `retries()` resource: taken by
    /// `shouldRetry`, released by `resetRetry` at the next decision or when the request ends).
    retrying: FxHashSet<u64>,
    bucket: Option<TokenBucket>,
}

impl RetryBudgets {
    /// The budgets `scenario` sets, at time `now`.
    pub fn new(scenario: &Scenario, now: Nanos) -> RetryBudgets {
        RetryBudgets { retrying: FxHashSet::default(), bucket: TokenBucket::of(scenario, now) }
    }

    /// A new bucket for new bucket settings (its deposits are lost; its reserve is full, as a
    /// new Finagle client's is).
    pub fn rebuild_bucket(&mut self, scenario: &Scenario, now: Nanos) {
        self.bucket = TokenBucket::of(scenario, now);
    }

    /// A request is sent to the pool for the first time: it deposits into the bucket.
    pub fn deposit(&mut self, now: Nanos) {
        if let Some(b) = &mut self.bucket {
            b.deposit(now);
        }
    }

    /// Request number `request` decides again, or ends: the retry slot it held, if any, is free.
    pub fn release(&mut self, request: u64) {
        if !self.retrying.is_empty() {
            self.retrying.remove(&request);
        }
    }

    /// Whether request number `request` may retry now (`in_flight`: the requests in flight,
    /// itself included), after releasing the slot its last retry held. If so, it holds a slot
    /// and has drawn on the bucket.
    pub fn allow(&mut self, scenario: &Scenario, request: u64, in_flight: u64, now: Nanos) -> bool {
        self.release(request);
        if !self.envoy_allows(scenario, in_flight) || self.bucket.as_mut().is_some_and(|b| !b.try_withdraw(now)) {
            return false;
        }
        self.retrying.insert(request);
        true
    }

    /// Envoy's budget (`retry-budget` percent, floor `retry-min`): a retry may go while the
    /// retries outstanding are fewer than `max(retry-budget% x active, retry-min)`, the
    /// product rounded down. As Envoy's resource manager counts them (recent releases: the
    /// retries in backoff and the retry proposed count as active), against this engine's
    /// model: **retries outstanding** are the requests in flight whose last retry decision
    /// let a retry go, waiting out its backoff or on that attempt (queued or in service);
    /// **active** requests are the requests in flight, each waiting on an attempt at a server
    /// (Envoy's active and pending requests) or on a retry's backoff (Envoy's retries in
    /// backoff), the one deciding counted too (Envoy counts the retry proposed as active). An
    /// attempt its client stopped waiting for is not counted (Envoy resets its stream).
    fn envoy_allows(&self, scenario: &Scenario, in_flight: u64) -> bool {
        let Some(percent) = scenario.retry_budget else { return true };
        let max = ((percent / 100.0 * in_flight as f64) as u64).max(u64::from(scenario.retry_min));
        (self.retrying.len() as u64) < max
    }

    /// Whether every request holding a retry slot is in flight (`in_flight` says if one is).
    pub fn holders_in_flight(&self, in_flight: impl Fn(u64) -> bool) -> Result<(), String> {
        match self.retrying.iter().find(|&&r| !in_flight(r)) {
            Some(r) => Err(format!("request {r} holds a retry slot but is not in flight")),
            None => Ok(()),
        }
    }
}

/// How many slices the bucket's window is cut into: Finagle's `WindowedAdder` uses 10.
const SLICES: usize = 10;

/// Tokens a deposit is worth: Finagle's scale factor, so that a retry's cost, 100 / percent
/// deposits, is a whole number of tokens.
const DEPOSIT: i64 = 1_000;

/// Finagle's `TokenRetryBudget` over a leaky `TokenBucket`: each request sent deposits
/// [`DEPOSIT`] tokens; a retry withdraws `100,000 / percent` of them (rounded down: 10,000 at
/// 10%, so ten requests pay for one retry), if the balance holds that many; deposits and
/// withdrawals count for `retry-bucket-ttl` seconds; and a reserve of `retry-bucket-min x ttl
/// x` a retry's cost is always added, so that a client with few requests may still retry
/// `retry-bucket-min` times a second. The balance is the reserve plus the deposits less the
/// withdrawals of the last ttl. At 0% a deposit is worth nothing and a retry costs 1 token:
/// only the reserve pays.
///
/// The window is Finagle's `WindowedAdder`: [`SLICES`] slices of ttl / 10 each, the oldest
/// dropped whole as time passes, so a deposit counts from its slice until ten slices later,
/// between 0.9 ttl and ttl; memory is ten integers whatever the rate, and time is the
/// engine's integer nanoseconds, so it is the same on every platform.
#[derive(Debug)]
pub(super) struct TokenBucket {
    /// Net tokens put in each slice, the slice `k` at `k % SLICES`.
    slices: [i64; SLICES],
    /// The index of the newest slice (time / slice width).
    newest: u64,
    slice_ns: Nanos,
    reserve: i64,
    deposit: i64,
    cost: i64,
}

impl TokenBucket {
    /// Finagle's bucket for `scenario`, if `retry-bucket` is set.
    fn of(s: &Scenario, now: Nanos) -> Option<TokenBucket> {
        let percent = s.retry_bucket?;
        let (deposit, cost) = if percent > 0.0 { (DEPOSIT, (100.0 * DEPOSIT as f64 / percent) as i64) } else { (0, 1) };
        // a tiny percent makes a retry cost up to i64::MAX tokens (the cast saturates): the
        // reserve saturates too, and then allows one retry per ttl, not an overflow
        let reserve = i64::from(s.retry_bucket_min).saturating_mul(i64::from(s.retry_bucket_ttl)).saturating_mul(cost);
        let slice_ns = from_secs(f64::from(s.retry_bucket_ttl)) / SLICES as u64;
        Some(TokenBucket { slices: [0; SLICES], newest: now / slice_ns, slice_ns, reserve, deposit, cost })
    }

    /// Drops the slices older than a ttl before `now`.
    fn advance(&mut self, now: Nanos) {
        let current = now / self.slice_ns;
        let gone = current.saturating_sub(self.newest).min(SLICES as u64);
        for k in 1..=gone {
            self.slices[((self.newest + k) % SLICES as u64) as usize] = 0;
        }
        self.newest = self.newest.max(current);
    }

    fn put(&mut self, now: Nanos, tokens: i64) {
        self.advance(now);
        let slice = &mut self.slices[(self.newest % SLICES as u64) as usize];
        *slice = slice.saturating_add(tokens);
    }

    /// The reserve plus what the last ttl put in, less what it took out.
    pub fn balance(&mut self, now: Nanos) -> i64 {
        self.advance(now);
        self.slices.iter().fold(self.reserve, |sum, &x| sum.saturating_add(x))
    }

    fn deposit(&mut self, now: Nanos) {
        self.put(now, self.deposit);
    }

    /// Takes a retry's cost if the balance holds it; `false`, taking nothing, if not.
    fn try_withdraw(&mut self, now: Nanos) -> bool {
        let ok = self.balance(now) >= self.cost;
        if ok {
            self.put(now, -self.cost);
        }
        ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(percent: f64, ttl: u32, min: u32) -> TokenBucket {
        let s = Scenario {
            retry_bucket: Some(percent),
            retry_bucket_ttl: ttl,
            retry_bucket_min: min,
            ..Scenario::default()
        };
        TokenBucket::of(&s, 0).expect("set")
    }

    #[test]
    fn a_retry_costs_a_hundred_over_percent_deposits_and_the_reserve_is_min_times_ttl_retries() {
        // Finagle at 20%: deposits of 1,000, a retry 5,000; reserve 10 x 10 x 5,000
        let b = bucket(20.0, 10, 10);
        assert_eq!((b.deposit, b.cost, b.reserve), (1_000, 5_000, 500_000));
        // only the reserve at 0%: a retry costs 1, deposits nothing
        let b = bucket(0.0, 10, 10);
        assert_eq!((b.deposit, b.cost, b.reserve), (0, 1, 100));
    }

    #[test]
    fn a_tiny_percent_saturates_instead_of_overflowing() {
        // 1e-300%: a retry costs more tokens than an i64 holds; the reserve (10 x 60 of them)
        // saturates, pays for one retry, and the next is refused
        let mut b = bucket(1e-300, 60, 10);
        assert_eq!((b.cost, b.reserve), (i64::MAX, i64::MAX));
        b.deposit(0);
        assert!(b.try_withdraw(0));
        assert!(!b.try_withdraw(0));
    }

    #[test]
    fn a_deposit_counts_from_its_slice_until_ten_slices_later() {
        // ttl 10 s: slices of 1 s; a deposit at 2.5 s (slice 2) counts until 12 s
        let mut b = bucket(10.0, 10, 0);
        b.deposit(from_secs(2.5));
        assert_eq!(b.balance(from_secs(11.999_999_999)), 1_000);
        assert_eq!(b.balance(from_secs(12.0)), 0);
        // a jump of many ttls clears every slice and no more
        b.deposit(from_secs(13.0));
        assert_eq!(b.balance(from_secs(1_000.0)), 0);
    }

    #[test]
    fn a_withdrawal_needs_the_whole_cost_and_is_counted_for_a_ttl() {
        // 10%: ten deposits pay for one retry; without a reserve the eleventh request's retry
        // must wait for ten more deposits
        let mut b = bucket(10.0, 10, 0);
        for _ in 0..9 {
            b.deposit(0);
        }
        assert!(!b.try_withdraw(0), "9,000 tokens do not pay for 10,000");
        b.deposit(0);
        assert!(b.try_withdraw(0));
        assert_eq!(b.balance(0), 0);
        // the withdrawal expires with the deposits of its slice
        b.deposit(from_secs(5.0));
        assert_eq!(b.balance(from_secs(10.0)), 1_000);
    }
}
