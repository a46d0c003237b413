//! Reading a decimal number (`25`, `0.3`, `-1.5e-3`) exactly: the form is checked here, the
//! common case (at most 15 significant digits, a power of ten up to 22) is computed here
//! exactly, and only the rare rest goes to a full correctly rounded reader (the browser's
//! `parseFloat` in the web app, `str::parse` elsewhere).

/// The number `text` writes, the double `str::parse` gives, or `None` when it is not a decimal number: an optional sign,
/// digits with at most one point (at least one digit), an optional exponent (`e` or `E`, an
/// optional sign, digits). No spaces, no `inf` or `nan`, no `_` or hexadecimal.
pub fn read(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let (negative, body) = match bytes.first() {
        Some(b'-') => (true, &bytes[1..]),
        Some(b'+') => (false, &bytes[1..]),
        _ => (false, bytes),
    };
    let (mantissa, exponent_text) = match body.iter().position(|&b| b == b'e' || b == b'E') {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let exponent = match exponent_text {
        Some(e) => small_exponent(e)?,
        None => 0,
    };
    // Significant digits into a u64, and where the point falls.
    let mut digits: u64 = 0;
    let mut significant = 0u32;
    let mut seen_digit = false;
    let mut seen_point = false;
    let mut scale: i64 = 0; // the power of ten the digits read so far must be multiplied by
    for &b in mantissa {
        match b {
            b'0'..=b'9' => {
                seen_digit = true;
                if significant == 0 && b == b'0' {
                    if seen_point {
                        scale -= 1;
                    }
                    continue;
                }
                if significant < 19 {
                    digits = digits * 10 + u64::from(b - b'0');
                    significant += 1;
                    if seen_point {
                        scale -= 1;
                    }
                } else {
                    // Digits beyond 19 only shift the scale; the slow reader takes these.
                    significant += 1;
                    if !seen_point {
                        scale += 1;
                    }
                }
            }
            b'.' if !seen_point => seen_point = true,
            _ => return None,
        }
    }
    if !seen_digit {
        return None;
    }
    let sign = if negative { -1.0 } else { 1.0 };
    if digits == 0 {
        return Some(sign * 0.0);
    }
    let power = exponent.saturating_add(scale);
    // Exact: both the digits (below 2^53) and 10^|power| (up to 10^22) are exact doubles, so
    // one multiplication or division rounds once, correctly (Clinger's fast path).
    if significant <= 15 && (-22..=22).contains(&power) {
        let ten = POWERS_OF_TEN[power.unsigned_abs() as usize];
        let value = if power >= 0 { digits as f64 * ten } else { digits as f64 / ten };
        return Some(sign * value);
    }
    slow(text)
}

/// An exponent's digits, kept within ±100,000 (beyond that every value is 0 or infinite, and
/// the slow reader says which).
fn small_exponent(text: &[u8]) -> Option<i64> {
    let (negative, digits) = match text.first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let value = digits.iter().fold(0i64, |v, &d| (v * 10 + i64::from(d - b'0')).min(100_000));
    Some(if negative { -value } else { value })
}

const POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

#[cfg(not(all(target_arch = "wasm32", feature = "host-float")))]
fn slow(text: &str) -> Option<f64> {
    text.parse().ok()
}

#[cfg(all(target_arch = "wasm32", feature = "host-float"))]
fn slow(text: &str) -> Option<f64> {
    Some(super::host::lbcore_read_decimal(text))
}

#[cfg(test)]
mod tests {
    use super::read;
    use proptest::prelude::*;

    fn same(text: &str) {
        let want: Option<f64> = text.parse().ok();
        let got = read(text);
        assert_eq!(got.map(f64::to_bits), want.map(f64::to_bits), "{text}");
    }

    #[test]
    fn reads_what_the_controls_and_links_write() {
        for t in [
            "0",
            "-0",
            "25",
            "0.3",
            "1.",
            ".5",
            "+1",
            "1e5",
            "1E-5",
            "1e+5",
            "0.000001",
            "1e-7",
            "2000",
            "0.30000000000000004",
            "123456789012345678901234",
            "1e308",
            "1e309",
            "5e-324",
            "1e-400",
            "9007199254740993",
            "0.1e23",
            "1000000000",
            "3600",
            "0.577",
        ] {
            same(t);
        }
    }

    #[test]
    fn refuses_what_is_not_a_decimal_number() {
        for t in ["", "-", ".", "e5", "1e", "1e+", "1..2", "1.2.3", " 1", "1 ", "inf", "NaN", "0x10", "1_0", "--1"] {
            assert_eq!(read(t), None, "{t}");
        }
    }

    proptest! {
        /// Every double's shortest text, and its exponent form, read back to the same double.
        #[test]
        fn round_trips_every_double(bits in any::<u64>()) {
            let x = f64::from_bits(bits);
            prop_assume!(x.is_finite());
            same(&format!("{x}"));
            same(&format!("{x:e}"));
        }

        /// Typed numbers of a few digits, with the point anywhere and any exponent.
        #[test]
        fn reads_typed_numbers(digits in "[0-9]{1,20}", point in 0usize..21, exp in -330i32..330) {
            let point = point.min(digits.len());
            let text = format!("{}.{}e{exp}", &digits[..point], &digits[point..]);
            same(&text);
        }
    }
}
