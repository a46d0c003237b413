//! The traffic: when requests arrive (off, Poisson, constant, bursty on/off), what each
//! costs (constant, exponential, uniform, log-normal, Pareto with a mean and a coefficient
//! of variation), and which key each carries (uniform or Zipf over K keys).
//!
//! Arrival times, costs and keys come from three separate random streams, so that changing
//! the cost distribution leaves arrival times alone, and two engines with the same seed
//! but different algorithms see identical traffic.

use crate::rng::SimRng;
use crate::rng::ziggurat::Ziggurat;
use crate::scenario::{Arrivals, CostDist, Scenario};
use crate::time::{Nanos, after, from_secs};

/// When the next request arrives.
#[derive(Clone, Debug)]
pub struct ArrivalProcess {
    kind: Arrivals,
    rate: f64,
    on: Nanos,
    off: Nanos,
    rng: SimRng,
    /// Poisson and bursty gaps' sampler.
    exponential: Ziggurat,
}

impl ArrivalProcess {
    /// The process the scenario describes.
    pub fn new(s: &Scenario) -> Self {
        ArrivalProcess {
            kind: s.arrivals,
            rate: s.rate,
            on: from_secs(s.burst_on).max(1),
            off: from_secs(s.burst_off),
            rng: SimRng::new(s.seed, 1),
            exponential: Ziggurat::new(),
        }
    }

    /// Changes the rate and kind; the next arrival should be drawn again from now.
    pub fn reconfigure(&mut self, s: &Scenario) {
        self.kind = s.arrivals;
        self.rate = s.rate;
        self.on = from_secs(s.burst_on).max(1);
        self.off = from_secs(s.burst_off);
    }

    /// The time of the next arrival after `now`, or `None` when there are none.
    pub fn next_after(&mut self, now: Nanos) -> Option<Nanos> {
        if self.rate <= 0.0 {
            return None;
        }
        match self.kind {
            Arrivals::Off => None,
            Arrivals::Poisson => {
                Some(after(now, from_secs(self.exponential.exponential(1.0 / self.rate, &mut self.rng)).max(1)))
            }
            Arrivals::Constant => Some(after(now, from_secs(1.0 / self.rate).max(1))),
            Arrivals::Bursty => {
                // Poisson at rate x (on + off) / on during on periods. Draw the on-time until
                // the next arrival, then lay it over the on periods from `now`: one draw and
                // a division whatever the periods, so a tiny on period or a tiny rate never
                // loops (a draw that restarted at each on period looped forever at 1 ns).
                let cycle = self.on + self.off;
                let on_rate = self.rate * cycle as f64 / self.on as f64;
                let mut on_time = from_secs(self.exponential.exponential(1.0 / on_rate, &mut self.rng)).max(1);
                let phase = now % cycle;
                let mut t = now;
                if phase < self.on {
                    let left = self.on - phase;
                    if on_time < left {
                        return Some(now + on_time);
                    }
                    on_time -= left;
                    t += left;
                }
                // `t` is in an off period (or at its start): go to the next on period.
                let into_cycle = t % cycle;
                if into_cycle != 0 {
                    t += cycle - into_cycle;
                }
                let cycles = on_time / self.on;
                let t = t.saturating_add(cycles.saturating_mul(cycle)).saturating_add(on_time % self.on);
                Some(t)
            }
        }
    }
}

/// What each request costs, in seconds of work at speed 1.
#[derive(Clone, Debug)]
pub struct CostSampler {
    dist: CostDist,
    mean: f64,
    /// Distribution parameters: uniform (low, high), log-normal (mu, sigma), Pareto (scale, shape).
    a: f64,
    b: f64,
    rng: SimRng,
    /// Exponential costs' sampler.
    exponential: Ziggurat,
}

impl CostSampler {
    /// The distribution the scenario describes.
    pub fn new(s: &Scenario) -> Self {
        let rng = SimRng::new(s.seed, 2);
        let mut c = CostSampler { dist: s.dist, mean: s.cost, a: 0.0, b: 0.0, rng, exponential: Ziggurat::new() };
        c.reconfigure(s);
        c
    }

    /// Takes the scenario's new mean, distribution and variability; the stream goes on.
    pub fn reconfigure(&mut self, s: &Scenario) {
        self.dist = s.dist;
        self.mean = s.cost;
        let (m, cv) = (s.cost, s.cv);
        (self.a, self.b) = match s.dist {
            CostDist::Const | CostDist::Exp => (0.0, 0.0),
            CostDist::Uniform => {
                let half = m * libm::sqrt(3.0) * cv;
                (m - half, m + half)
            }
            CostDist::Lognormal => {
                let sigma2 = libm::log1p(cv * cv);
                (libm::log(m) - sigma2 / 2.0, libm::sqrt(sigma2))
            }
            CostDist::Pareto => {
                // cv^2 = 1 / (shape (shape - 2))  =>  shape = 1 + sqrt(1 + 1/cv^2)
                let shape = 1.0 + libm::sqrt(1.0 + 1.0 / (cv * cv));
                (m * (shape - 1.0) / shape, shape)
            }
        };
    }

    /// The next request's cost.
    #[inline]
    pub fn sample(&mut self) -> f64 {
        match self.dist {
            CostDist::Const => self.mean,
            CostDist::Exp => self.exponential.exponential(self.mean, &mut self.rng),
            CostDist::Uniform => self.a + (self.b - self.a) * self.rng.unit(),
            CostDist::Lognormal => libm::exp(self.a + self.b * self.rng.standard_normal()),
            CostDist::Pareto => self.a * libm::pow(self.rng.unit_open(), -1.0 / self.b),
        }
    }
}

/// Which key each request carries.
#[derive(Clone, Debug)]
pub struct KeySampler {
    keys: u64,
    /// Cumulative probabilities of keys 0..K under Zipf; empty for uniform.
    cdf: Vec<f64>,
    rng: SimRng,
    /// Keys skipped and not drawn yet: drawn, in order, before the next key is.
    #[cfg(feature = "lazy-departures")]
    owed: u64,
}

impl KeySampler {
    /// Uniform or Zipf over the scenario's keys.
    pub fn new(s: &Scenario) -> Self {
        let mut k = KeySampler {
            keys: s.keys,
            cdf: Vec::new(),
            rng: SimRng::new(s.seed, 3),
            #[cfg(feature = "lazy-departures")]
            owed: 0,
        };
        k.reconfigure(s);
        k
    }

    /// Takes the scenario's key count and Zipf exponent; the stream goes on.
    pub fn reconfigure(&mut self, s: &Scenario) {
        self.keys = s.keys.max(1);
        self.cdf.clear();
        if s.zipf > 0.0 {
            let mut total = 0.0;
            self.cdf.reserve(self.keys as usize);
            for rank in 1..=self.keys {
                total += libm::pow(rank as f64, -s.zipf);
                self.cdf.push(total);
            }
            for c in &mut self.cdf {
                *c /= total;
            }
        }
    }

    /// The next request's key; under Zipf, key 0 is the most popular.
    #[inline]
    pub fn sample(&mut self) -> u64 {
        #[cfg(feature = "lazy-departures")]
        if self.owed > 0 {
            self.pay(|_, _| {});
        }
        self.draw()
    }

    #[cfg(feature = "lazy-departures")]
    /// Skips the next request's key, which nothing will read: it is drawn later, when a key
    /// is next drawn or [`KeySampler::pay`] is called, so the stream is the same.
    pub fn skip(&mut self) {
        self.owed += 1;
    }

    #[cfg(feature = "lazy-departures")]
    /// How many keys were skipped and not drawn yet.
    pub fn owed(&self) -> u64 {
        self.owed
    }

    #[cfg(feature = "lazy-departures")]
    /// Draws the keys skipped, oldest first, handing each to `f` with how many were skipped
    /// before it.
    #[cold]
    pub fn pay(&mut self, mut f: impl FnMut(u64, u64)) {
        for i in 0..std::mem::take(&mut self.owed) {
            let key = self.draw();
            f(i, key);
        }
    }

    /// The next key of the stream.
    #[cfg_attr(feature = "lazy-departures", inline(always))]
    #[cfg_attr(not(feature = "lazy-departures"), inline)]
    fn draw(&mut self) -> u64 {
        if self.cdf.is_empty() {
            self.rng.below(self.keys)
        } else {
            let u = self.rng.unit();
            (self.cdf.partition_point(|&c| c <= u) as u64).min(self.keys - 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::to_secs;

    fn stats(xs: &[f64]) -> (f64, f64) {
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n;
        (mean, var.sqrt() / mean)
    }

    #[test]
    fn each_cost_distribution_has_its_mean_and_cv() {
        for (dist, cv, tol_cv) in [
            (CostDist::Const, 0.0, 1e-9),
            (CostDist::Exp, 1.0, 0.02),
            (CostDist::Uniform, 0.5, 0.01),
            (CostDist::Lognormal, 1.5, 0.15),
            (CostDist::Pareto, 0.8, 0.15),
        ] {
            let s = Scenario { dist, cv, cost: 0.2, ..Default::default() };
            let mut c = CostSampler::new(&s);
            let xs: Vec<f64> = (0..400_000).map(|_| c.sample()).collect();
            let (mean, got_cv) = stats(&xs);
            assert!((mean / 0.2 - 1.0).abs() < 0.02, "{dist:?} mean {mean}");
            assert!((got_cv - cv).abs() <= tol_cv * cv.max(1.0), "{dist:?} cv {got_cv}");
            assert!(xs.iter().all(|&x| x > 0.0), "{dist:?} gave a non-positive cost");
        }
    }

    #[test]
    fn poisson_and_constant_rates() {
        for arrivals in [Arrivals::Poisson, Arrivals::Constant, Arrivals::Bursty] {
            let s = Scenario { arrivals, rate: 50.0, ..Default::default() };
            let mut a = ArrivalProcess::new(&s);
            let mut t = 0;
            for _ in 0..100_000 {
                t = a.next_after(t).unwrap();
            }
            let rate = 100_000.0 / to_secs(t);
            assert!((rate / 50.0 - 1.0).abs() < 0.03, "{arrivals:?} {rate}");
        }
    }

    #[test]
    fn bursty_arrivals_only_in_on_periods() {
        let s =
            Scenario { arrivals: Arrivals::Bursty, rate: 30.0, burst_on: 1.0, burst_off: 2.0, ..Default::default() };
        let mut a = ArrivalProcess::new(&s);
        let mut t = 0;
        for _ in 0..10_000 {
            t = a.next_after(t).unwrap();
            assert!(t % 3_000_000_000 < 1_000_000_000, "arrival at {t} in an off period");
        }
    }

    #[test]
    fn bursty_arrivals_make_progress_whatever_the_periods() {
        // A 1 ns on period used to loop forever. Each case must return 1,000 arrivals at once,
        // each in an on period; those validation accepts at the mean rate (rate x cycle / on
        // during on time): 1,000 Poisson arrivals have a count error of 1/sqrt(1000) = 3.2%,
        // so 15% is 4.7 sigma. The first needs 40 arrivals a nanosecond in its on periods,
        // more than the clock can hold, so validation refuses it.
        for (on, off, rate) in [(1e-9, 2.0, 20.0), (1e-9, 0.0, 1e6), (0.5, 0.0, 10.0), (1e-6, 3600.0, 1e-3)] {
            let s = Scenario { arrivals: Arrivals::Bursty, rate, burst_on: on, burst_off: off, ..Default::default() };
            let mut a = ArrivalProcess::new(&s);
            let (on_ns, cycle) = (from_secs(on).max(1), from_secs(on).max(1) + from_secs(off));
            let mut t = 0;
            for _ in 0..1_000 {
                let next = a.next_after(t).unwrap();
                assert!(next > t && next % cycle < on_ns, "{on} {off}: arrival at {next} outside an on period");
                t = next;
            }
            if s.validate().is_err() {
                assert_eq!((on, off), (1e-9, 2.0), "{:?}", s.validate());
                continue;
            }
            let measured = 1_000.0 / to_secs(t);
            assert!((measured / rate - 1.0).abs() < 0.15, "on {on} off {off}: {measured} per second, not {rate}");
        }
    }

    #[test]
    fn off_and_zero_rate_give_no_arrivals() {
        let off = Scenario { arrivals: Arrivals::Off, ..Default::default() };
        assert_eq!(ArrivalProcess::new(&off).next_after(0), None);
        let zero = Scenario { rate: 0.0, ..Default::default() };
        assert_eq!(ArrivalProcess::new(&zero).next_after(0), None);
    }

    #[test]
    fn zipf_favours_low_keys_as_theory_says() {
        let s = Scenario { keys: 100, zipf: 1.0, ..Default::default() };
        let mut k = KeySampler::new(&s);
        let n = 200_000;
        let mut counts = vec![0u32; 100];
        for _ in 0..n {
            counts[k.sample() as usize] += 1;
        }
        let h100: f64 = (1..=100).map(|r| 1.0 / r as f64).sum();
        let expected_top = n as f64 / h100;
        assert!((counts[0] as f64 / expected_top - 1.0).abs() < 0.03, "{}", counts[0]);
        assert!(counts[0] > 5 * counts[9]);
    }

    #[test]
    fn uniform_keys_cover_the_range() {
        let s = Scenario { keys: 10, ..Default::default() };
        let mut k = KeySampler::new(&s);
        let mut seen = [false; 10];
        for _ in 0..1000 {
            seen[k.sample() as usize] = true;
        }
        assert!(seen.iter().all(|&x| x));
    }
}
