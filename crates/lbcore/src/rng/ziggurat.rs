//! Exponential variates by Marsaglia and Tsang's ziggurat ("The Ziggurat Method for
//! Generating Random Variables", J. Stat. Software 5(8), 2000), the engine's most frequent
//! sample (Poisson arrivals, exponential costs): about 99% of draws cost one random number, a
//! multiplication and a comparison, where `-ln(U)` costs a logarithm every time.
//!
//! The density e^-x is covered by 256 layers of equal area: layer 0 is the rectangle under
//! e^-r on [0, r] with the tail beyond r, layers 1 to 255 rectangles stacked above it. A draw
//! picks a layer and a point in it uniformly; a point inside the next layer's width is under
//! the curve (the fast path); otherwise the tail is sampled exactly as r + Exp(1), or the
//! point is kept if it lies under e^-x and drawn again if not. The method is exact when the
//! layers' areas are equal; computed in `f64` they agree to 1e-12 of their size (a test
//! checks), so the variates follow e^-x to that precision.
//!
//! The tables (2 x 257 numbers) are computed on first use with `libm`'s `exp` and `log`,
//! which are plain Rust arithmetic: the same bits natively and on wasm32, so a seed gives
//! the same variates on both, and the web bundle carries the recurrence, not the tables.

use std::sync::OnceLock;

use super::SimRng;

/// Layers of the ziggurat (a draw's low 8 bits choose one).
const LAYERS: usize = 256;
/// Where the tail starts: the right edge of layer 0's rectangle (Marsaglia and Tsang's `de`).
const R: f64 = 7.697_117_470_131_05;
/// The area of each layer (Marsaglia and Tsang's `ve`).
const V: f64 = 3.949_659_822_581_572e-3;

/// The layers' right edges `x` (decreasing: `x[0] = V / e^-R` is layer 0's equivalent width,
/// `x[1] = R`, `x[256] = 0`) and the density there, `f[i] = e^-x[i]`.
struct Tables {
    x: [f64; LAYERS + 1],
    f: [f64; LAYERS + 1],
}

impl Tables {
    /// The recurrence: layer `i` spans heights `f[i]` to `f[i+1]` at width `x[i]`, and has
    /// area V, so `f[i+1] = f[i] + V / x[i]` and `x[i+1] = -ln f[i+1]`.
    fn compute() -> Tables {
        let mut x = [0.0; LAYERS + 1];
        let mut f = [0.0; LAYERS + 1];
        x[0] = V / libm::exp(-R);
        f[0] = libm::exp(-R);
        x[1] = R;
        f[1] = libm::exp(-R);
        for i in 1..LAYERS - 1 {
            f[i + 1] = f[i] + V / x[i];
            x[i + 1] = -libm::log(f[i + 1]);
        }
        x[LAYERS] = 0.0;
        f[LAYERS] = 1.0;
        Tables { x, f }
    }

    /// Computed once, on first use.
    fn get() -> &'static Tables {
        static TABLES: OnceLock<Tables> = OnceLock::new();
        TABLES.get_or_init(Tables::compute)
    }
}

/// A standard exponential variate (mean 1) from `rng`.
#[inline]
pub fn standard_exponential(rng: &mut SimRng) -> f64 {
    Ziggurat::new().standard(rng)
}

/// The sampler with its tables at hand: a sampler that draws often keeps one, so that a
/// draw does not ask whether the tables are computed yet (what [`standard_exponential`] does).
#[derive(Clone, Copy)]
pub struct Ziggurat(&'static Tables);

impl std::fmt::Debug for Ziggurat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Ziggurat")
    }
}

impl Default for Ziggurat {
    fn default() -> Self {
        Ziggurat::new()
    }
}

impl Ziggurat {
    /// The sampler, its tables computed if they were not yet.
    pub fn new() -> Self {
        Ziggurat(Tables::get())
    }

    /// An exponential variate with mean `mean` from `rng`: `mean` times a standard one.
    #[inline]
    pub fn exponential(self, mean: f64, rng: &mut SimRng) -> f64 {
        mean * self.standard(rng)
    }

    /// A standard exponential variate (mean 1) from `rng`.
    #[inline]
    pub fn standard(self, rng: &mut SimRng) -> f64 {
        let t = self.0;
        loop {
            let bits = rng.next_u64();
            // the layer from the low 8 bits, the point's position from the high 53: independent
            let i = (bits & 0xff) as usize;
            let x = (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64) * t.x[i];
            if x < t.x[i + 1] {
                return x;
            }
            if i == 0 {
                return R - libm::log(rng.unit_open());
            }
            if t.f[i] + (t.f[i + 1] - t.f[i]) * rng.unit() < libm::exp(-x) {
                return x;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layer_has_the_same_area_and_the_top_one_closes_at_zero() {
        let t = Tables::get();
        // layer 0: the rectangle [0, R] x [0, e^-R] and the tail, whose area is e^-R
        let base = R * libm::exp(-R) + libm::exp(-R);
        assert!((base - V).abs() < 1e-15, "{base}");
        for i in 1..LAYERS {
            let area = t.x[i] * (t.f[i + 1] - t.f[i]);
            // rounding in 255 steps of the recurrence: far below 1e-12 of V
            assert!((area - V).abs() < 1e-12 * V || i == LAYERS - 1, "layer {i}: {area}");
        }
        // the last layer's top is the density's peak, 1: the recurrence ends there
        let top = t.f[LAYERS - 1] + V / t.x[LAYERS - 1];
        assert!((top - 1.0).abs() < 1e-9, "{top}");
    }

    #[test]
    fn the_distribution_is_exponential_body_and_tail() {
        let mut r = SimRng::new(11, 0);
        let n = 1_000_000;
        let xs: Vec<f64> = (0..n).map(|_| standard_exponential(&mut r)).collect();
        // P(X > q) = e^-q; a count of n Bernoulli(p) has standard deviation sqrt(n p (1-p)):
        // allow 5 of them at each quantile, including the tail beyond R (p = 4.5e-4, about
        // 450 +- 21 draws) and the points where layers meet
        for q in [0.01, 0.1, 0.5, 1.0, 2.0, 3.0, 5.0, R, 9.0] {
            let p = libm::exp(-q);
            let above = xs.iter().filter(|&&x| x > q).count() as f64;
            let sd = (n as f64 * p * (1.0 - p)).sqrt();
            assert!((above - n as f64 * p).abs() < 5.0 * sd, "P(X > {q}): {above} of {n}, expected {}", n as f64 * p);
        }
        // mean 1 and variance 1: standard errors 1/sqrt(n) = 0.001 and sqrt(8/n) = 0.0028
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
        assert!((mean - 1.0).abs() < 0.005 && (var - 1.0).abs() < 0.014, "mean {mean}, variance {var}");
    }
}
