//! The queueing theory the Experiments view draws beside its measured points. Poisson
//! arrivals split at random stay Poisson, so under random routing each server of one worker
//! with exponential costs is an M/M/1/K queue: K = 1 worker + the queue limit, the most
//! requests a server holds before it turns one away. With the default queue limit of 100
//! that is M/M/1/101, whose mean response at load 0.95 is 2.9% under M/M/1's; with a queue
//! of a million it is M/M/1 to nine digits.

use lbcore::Scenario;
use lbcore::scenario::{Arrivals, CacheMode, CostDist};

/// One server as an M/M/1/K queue: exponential service of mean `service` seconds, Poisson
/// arrivals, at most `capacity` (K) requests held, one of them in service.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mm1k {
    /// Mean service time, seconds (the request cost over the server's speed).
    pub service: f64,
    /// K: requests a server holds at most, in service and waiting.
    pub capacity: u32,
}

/// A tail probability below which a state is too rare to move a figure: where the full
/// queue is this unlikely, M/M/1/K is M/M/1.
const NEGLIGIBLE: f64 = 1e-12;

impl Mm1k {
    /// The queue each server is under random routing, where theory gives one: Poisson
    /// arrivals, exponential costs, one worker per server, every server as fast, no cache.
    pub fn of_random_routing(base: &Scenario) -> Option<Mm1k> {
        let n = base.servers as usize;
        let speed = base.speed(0);
        let same = (1..n).all(|i| base.speed(i) == speed);
        let applies = base.arrivals == Arrivals::Poisson
            && base.dist == CostDist::Exp
            && base.workers == 1
            && base.cache == CacheMode::Off
            && same;
        applies.then(|| Mm1k { service: base.cost / speed, capacity: base.queue.saturating_add(1) })
    }

    /// The curve's name: `M/M/1/101`.
    pub fn name(self) -> String {
        format!("M/M/1/{}", self.capacity)
    }

    /// The chance that an accepted request finds `n` requests already held, n = 0..K-1, at
    /// offered load `rho`: pi_n / (1 - P_K), with pi_n proportional to rho^n.
    fn found(self, rho: f64) -> impl Iterator<Item = f64> {
        let k = self.capacity;
        // pi_n = rho^n / sum_{j=0..K} rho^j; the accepted see pi_n / (1 - pi_K).
        let below: f64 =
            if (rho - 1.0).abs() < 1e-12 { k as f64 } else { (1.0 - libm::pow(rho, k as f64)) / (1.0 - rho) };
        (0..k).scan(1.0, move |power, _| {
            let p = *power / below;
            *power *= rho;
            Some(p)
        })
    }

    /// Whether the full queue is too rare at `rho` to tell M/M/1/K from M/M/1.
    fn is_mm1(self, rho: f64) -> bool {
        rho < 1.0 && libm::pow(rho, self.capacity as f64) < NEGLIGIBLE
    }

    /// Mean response time of an accepted request at offered load `rho` = lambda x service
    /// (Gross, Shortle, Thompson & Harris, *Fundamentals of Queueing Theory*, 4th ed., 2.5;
    /// Kleinrock, *Queueing Systems* I, 3.6):
    /// L = rho/(1-rho) - (K+1) rho^(K+1) / (1 - rho^(K+1)),
    /// P_K = (1-rho) rho^K / (1 - rho^(K+1)), and by Little's law over the accepted
    /// W = L / (lambda (1 - P_K)). At rho = 1, L = K/2 and P_K = 1/(K+1).
    pub fn mean(self, rho: f64) -> f64 {
        let k = self.capacity as f64;
        let lambda = rho / self.service;
        let (l, p_full) = if (rho - 1.0).abs() < 1e-9 {
            (k / 2.0, 1.0 / (k + 1.0))
        } else {
            let top = libm::pow(rho, k + 1.0);
            (rho / (1.0 - rho) - (k + 1.0) * top / (1.0 - top), (1.0 - rho) * libm::pow(rho, k) / (1.0 - top))
        };
        l / (lambda * (1.0 - p_full))
    }

    /// The chance an accepted request takes longer than `t` seconds at load `rho`: one that
    /// finds n held waits for n services and its own, an Erlang(n+1) time, so
    /// P(T > t) = sum_n found_n P(Poisson(t / service) <= n).
    fn longer_than(self, rho: f64, t: f64) -> f64 {
        let x = t / self.service;
        let (mut log_term, mut cdf, mut tail) = (-x, 0.0, 0.0);
        for (n, found) in self.found(rho).enumerate() {
            if n > 0 {
                log_term += libm::log(x) - libm::log(n as f64);
            }
            cdf += libm::exp(log_term);
            tail += found * cdf.min(1.0);
        }
        tail
    }

    /// The 99th percentile of an accepted request's response time at load `rho`: M/M/1's
    /// ln(100) x service / (1 - rho) where the full queue is negligible, otherwise the
    /// root of P(T > t) = 0.01, found by bisection.
    pub fn p99(self, rho: f64) -> f64 {
        if self.is_mm1(rho) {
            return self.service * libm::log(100.0) / (1.0 - rho);
        }
        let mut high = self.service;
        while self.longer_than(rho, high) > 0.01 {
            high *= 2.0;
        }
        let mut low = 0.0;
        for _ in 0..60 {
            let mid = (low + high) / 2.0;
            if self.longer_than(rho, mid) > 0.01 {
                low = mid;
            } else {
                high = mid;
            }
        }
        (low + high) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a / b - 1.0).abs() < tolerance
    }

    #[test]
    fn theory_is_drawn_only_where_it_holds() {
        let default = Mm1k::of_random_routing(&Scenario::default());
        assert_eq!(default, Some(Mm1k { service: 0.1, capacity: 101 }), "1 worker + a queue of 100");
        let slow = Scenario { speeds: vec![1.0, 1.0, 0.5], ..Scenario::default() };
        assert_eq!(Mm1k::of_random_routing(&slow), None);
        let fast = Scenario { speeds: vec![2.0, 2.0, 2.0], queue: 0, ..Scenario::default() };
        assert_eq!(Mm1k::of_random_routing(&fast), Some(Mm1k { service: 0.05, capacity: 1 }));
        let two = Scenario { workers: 2, ..Scenario::default() };
        assert_eq!(Mm1k::of_random_routing(&two), None);
    }

    #[test]
    fn the_mean_matches_hand_computed_queues() {
        // K = 2 at rho 0.5: pi = (4, 2, 1)/7, L = 4/7, accepted rate 5 x 6/7 = 30/7 per
        // second, so W = L / (30/7) = 2/15 s.
        assert!(close(Mm1k { service: 0.1, capacity: 2 }.mean(0.5), 2.0 / 15.0, 1e-12));
        // K = 1: an accepted request never waits, W = the service time at any load.
        for rho in [0.1, 0.5, 0.95, 1.0, 3.0] {
            assert!(close(Mm1k { service: 0.1, capacity: 1 }.mean(rho), 0.1, 1e-12), "rho {rho}");
        }
        // rho = 1: L = K/2 = 1, P_K = 1/3, lambda = 10, W = 1 / (10 x 2/3) = 0.15 s.
        assert!(close(Mm1k { service: 0.1, capacity: 2 }.mean(1.0), 0.15, 1e-12));
    }

    #[test]
    fn a_long_queue_is_mm1_and_the_default_one_is_not() {
        // M/M/1: W = s / (1 - rho) = 2 s at rho 0.95 with s = 0.1 s.
        let long = Mm1k { service: 0.1, capacity: 1_000_001 };
        assert!(close(long.mean(0.95), 2.0, 1e-9), "{}", long.mean(0.95));
        assert!(close(long.p99(0.95), 2.0 * 100f64.ln(), 1e-9));
        // K = 101 at rho 0.95: 1.94287 s, 2.86% under M/M/1 (the default queue's curve).
        let default = Mm1k { service: 0.1, capacity: 101 };
        assert!(close(default.mean(0.95), 1.942_871_201, 1e-9), "{}", default.mean(0.95));
        // At rho 0.8 the full queue is 1e-10 likely: M/M/1 to nine digits.
        assert!(close(default.mean(0.8), 0.5, 1e-8), "{}", default.mean(0.8));
        assert!(close(default.p99(0.8), 0.5 * 100f64.ln(), 1e-6), "{}", default.p99(0.8));
    }

    #[test]
    fn the_p99_matches_hand_computed_queues() {
        // K = 1: the response is one exponential service, p99 = 0.1 x ln 100 = 0.46052 s.
        assert!(close(Mm1k { service: 0.1, capacity: 1 }.p99(0.5), 0.1 * 100f64.ln(), 1e-9));
        // K = 2 at rho 0.5: found 0 with chance 2/3, 1 with 1/3, so
        // P(T > t) = e^-x (1 + x/3) with x = t / 0.1; it is 0.01 at x = 5.665961.
        assert!(close(Mm1k { service: 0.1, capacity: 2 }.p99(0.5), 0.566_596_068, 1e-8));
        // Below M/M/1's at 0.95 with the default queue, as the mean is.
        let default = Mm1k { service: 0.1, capacity: 101 };
        assert!(default.p99(0.95) < 2.0 * 100f64.ln());
    }
}
