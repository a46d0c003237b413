//! Writing a number: [`shortest`] (the text links and files carry, what `format!("{x}")`
//! writes) and [`Fixed`] (a figure for people, what `format!("{x:.2}")` writes).

use std::fmt;

/// The shortest text that reads back to `x`, written out without an exponent: `0.1`, `25`,
/// `0.00000015`, `-0`, `NaN`, `inf`. The same text as `format!("{x}")`.
pub fn shortest(x: f64) -> String {
    if !x.is_finite() || x == 0.0 {
        return format_special(x).to_string();
    }
    shortest_finite(x)
}

fn format_special(x: f64) -> &'static str {
    match x {
        _ if x.is_nan() => "NaN",
        f64::INFINITY => "inf",
        f64::NEG_INFINITY => "-inf",
        _ if x.is_sign_negative() => "-0",
        _ => "0",
    }
}

#[cfg(not(all(target_arch = "wasm32", feature = "host-float")))]
fn shortest_finite(x: f64) -> String {
    format!("{x}")
}

#[cfg(all(target_arch = "wasm32", feature = "host-float"))]
fn shortest_finite(x: f64) -> String {
    plain(&super::host::lbcore_write_shortest(x))
}

/// A decimal text in any form [`super::read`] takes (`-1.5e-7`, `1e+21`, `12.5`), written out
/// without an exponent, digits unchanged: `-0.00000015`, `1000000000000000000000`, `12.5`.
#[cfg_attr(not(all(target_arch = "wasm32", feature = "host-float")), allow(dead_code))]
fn plain(text: &str) -> String {
    let (sign, rest) = text.strip_prefix('-').map_or(("", text), |r| ("-", r));
    let (mantissa, exponent) = match rest.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.trim_start_matches('+').parse::<i64>().unwrap_or(0)),
        None => (rest, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all = format!("{int}{frac}");
    let leading = all.len() - all.trim_start_matches('0').len();
    let digits = all.trim_matches('0');
    if digits.is_empty() {
        return format!("{sign}0");
    }
    // Where the point falls, counted in digits from the first significant one.
    let point = int.len() as i64 + exponent - leading as i64;
    let n = digits.len() as i64;
    if point <= 0 {
        format!("{sign}0.{}{digits}", "0".repeat((-point) as usize))
    } else if point >= n {
        format!("{sign}{digits}{}", "0".repeat((point - n) as usize))
    } else {
        let (a, b) = digits.split_at(point as usize);
        format!("{sign}{a}.{b}")
    }
}

/// `x` with a fixed number of decimals: `Fixed(12.345, 2)` writes `12.35` (rounded to the nearest, ties to
/// even on the exact value), as `format!("{:.2}", 12.345)` does. Figures beyond 2^53 in the
/// last place (far beyond any the lab shows with decimals) are written as [`shortest`] does,
/// whole numbers below 2^64 excepted.
#[derive(Clone, Copy, Debug)]
pub struct Fixed(pub f64, pub usize);

/// 2^53: below it, every whole number is a double.
const EXACT_WHOLE: f64 = 9_007_199_254_740_992.0;

impl fmt::Display for Fixed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Fixed(x, decimals) = *self;
        if !x.is_finite() {
            return f.write_str(format_special(x));
        }
        let decimals = decimals.min(15);
        let unit = 10u64.pow(decimals as u32);
        let scaled = x.abs() * unit as f64;
        let sign = if x.is_sign_negative() { "-" } else { "" };
        if scaled >= EXACT_WHOLE {
            return if x.fract() == 0.0 && x.abs() < 1.8e19 {
                write!(f, "{sign}{}{}{}", x.abs() as u64, if decimals > 0 { "." } else { "" }, "0".repeat(decimals))
            } else {
                f.write_str(&shortest(x))
            };
        }
        let whole = round_scaled(x.abs(), unit as f64, scaled) as u64;
        if decimals == 0 {
            write!(f, "{sign}{whole}")
        } else {
            write!(f, "{sign}{}.{:0decimals$}", whole / unit, whole % unit)
        }
    }
}

/// `a * b` (`= scaled`, rounded) rounded to a whole number as the exact product would be:
/// the product's rounding error, found exactly (Dekker's product), settles a tie the rounded
/// product only seems to be.
fn round_scaled(a: f64, b: f64, scaled: f64) -> f64 {
    let down = scaled.floor();
    if scaled - down != 0.5 {
        return scaled.round();
    }
    match product_error(a, b, scaled) {
        e if e < 0.0 => down,
        e if e > 0.0 => down + 1.0,
        _ => scaled.round_ties_even(),
    }
}

/// The exact `a * b - p`, where `p` is the rounded product (Dekker's TwoProduct, with
/// Veltkamp's split; exact while nothing overflows, as for the figures here).
fn product_error(a: f64, b: f64, p: f64) -> f64 {
    let (a1, a2) = split(a);
    let (b1, b2) = split(b);
    ((a1 * b1 - p) + a1 * b2 + a2 * b1) + a2 * b2
}

fn split(a: f64) -> (f64, f64) {
    let c = 134_217_729.0 * a; // 2^27 + 1
    let high = c - (c - a);
    (high, a - high)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn fixed_writes_what_rust_writes_at_ties_and_edges() {
        for x in [0.25, 0.35, 2.5, 0.125, 1.5, -0.04, -0.0, 0.0, 0.5, 3.5, 1e15, 12.345, 0.045, 1.005, 99.995] {
            for d in 0..4 {
                assert_eq!(Fixed(x, d).to_string(), format!("{x:.d$}"), "{x} to {d}");
            }
        }
        assert_eq!(Fixed(f64::NAN, 1).to_string(), "NaN");
        assert_eq!(Fixed(f64::NEG_INFINITY, 1).to_string(), "-inf");
    }

    #[test]
    fn plain_writes_every_form_without_an_exponent() {
        for (text, want) in [
            ("1e+21", "1000000000000000000000"),
            ("-1.5e-7", "-0.00000015"),
            ("12.5", "12.5"),
            ("0.001", "0.001"),
            ("5e-324", &format!("{}", 5e-324)),
            ("1.7976931348623157e+308", &format!("{}", f64::MAX)),
            ("123456789", "123456789"),
            ("0", "0"),
        ] {
            assert_eq!(plain(text), want, "{text}");
        }
    }

    proptest! {
        /// Figures as the lab shows them: up to a million, 0 to 3 decimals.
        #[test]
        fn fixed_matches_rust(x in -1e6f64..1e6, d in 0usize..4) {
            prop_assert_eq!(Fixed(x, d).to_string(), format!("{x:.d$}"));
        }

        /// Any double, as the exponent form a browser may write: the digits come back plain.
        #[test]
        fn plain_matches_rusts_shortest(bits in any::<u64>()) {
            let x = f64::from_bits(bits);
            prop_assume!(x.is_finite() && x != 0.0);
            prop_assert_eq!(plain(&format!("{x:e}")), format!("{x}"));
        }
    }
}
