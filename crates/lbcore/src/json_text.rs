//! A JSON value written compactly, byte for byte as serde_json's `Display` writes it
//! (`{"a":[1,2.5,"x\n"]}`), with little code: the lesson reader quotes a value that is not a
//! string in its messages this way, and the lesson player saves a learner's place.
//!
//! Why not `value.to_string()`: serde_json's writer brings its serializer and its float
//! formatter, whose tables of powers of ten and exponents cost a lesson's first load about
//! 7 KB gzip, for a value that is almost never a float. Here a float's shortest digits come
//! from [`crate::decimal::shortest`] (which the web builds carry already) and are laid out as
//! serde_json lays them out: plainly from 1e-5 up to below 1e16 (`0.00001`, `100.0`), with an
//! exponent outside (`1e+16`, `1.5e-7`). The tests compare the two on many values.

use serde_json::Value;

/// `v` as compact JSON, the text `v.to_string()` gives.
pub fn compact(v: &Value) -> String {
    let mut out = String::new();
    write(v, &mut out);
    out
}

/// Appends `v` as compact JSON to `out`.
pub fn write(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => out.push_str(&u.to_string()),
            (None, Some(i), _) => out.push_str(&i.to_string()),
            (None, None, Some(x)) => float(x, out),
            // (serde_json's numbers are one of the three)
            (None, None, None) => out.push_str("null"),
        },
        Value::String(s) => string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(key, out);
                out.push(':');
                write(item, out);
            }
            out.push('}');
        }
    }
}

/// `s` in double quotes, escaped as serde_json escapes it: `"` and `\` behind a backslash,
/// the control characters with a short escape as such (`\n`), the others as `\u00XX`.
pub fn string(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 0xf] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A finite float as serde_json writes it: its shortest digits, with `.0` when whole, plain
/// for a decimal exponent from -5 to 15, else `D.DDDe+N` / `De-N`.
fn float(x: f64, out: &mut String) {
    if x.is_sign_negative() {
        out.push('-');
    }
    if x == 0.0 {
        out.push_str("0.0");
        return;
    }
    let (digits, exp) = even_on_a_tie(x.abs(), digits(&crate::decimal::shortest(x.abs())));
    let len = digits.len() as i32;
    if (-5..=15).contains(&exp) {
        if len - 1 <= exp {
            out.push_str(&digits);
            out.extend(std::iter::repeat_n('0', (exp + 1 - len) as usize));
            out.push_str(".0");
        } else if exp >= 0 {
            out.push_str(&digits[..=exp as usize]);
            out.push('.');
            out.push_str(&digits[exp as usize + 1..]);
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-exp - 1) as usize));
            out.push_str(&digits);
        }
    } else {
        out.push_str(&digits[..1]);
        if len > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        out.push_str(&exp.unsigned_abs().to_string());
    }
}

/// The shortest `digits` of `x` (positive), as serde_json chooses them when two of that length
/// are equally near: the one ending in an even digit (Rust's writer may take the other, as for
/// 1658206780088562.25, written `…562.3` by Rust and `…562.2` by serde_json). Such a tie needs
/// the exact value to have one digit more than the shortest, a 5; for a double that happens
/// only when eight times it is a whole number below 2^64 (a double with 4 or more bits after
/// the point has 19 or more significant digits, and one of 2^61 or more, too many factors of
/// 2 for a tail of 5 and zeros), so the exact value is computed only there.
fn even_on_a_tie(x: f64, (digits, exp): (String, i32)) -> (String, i32) {
    let eight = x * 8.0;
    if !(eight < 18_446_744_073_709_551_616.0 && eight.fract() == 0.0) {
        return (digits, exp);
    }
    let n = eight as u64;
    let exact = self::digits(&format!("{}.{:03}", n >> 3, (n & 7) * 125));
    let tie = exact.1 == exp && exact.0.len() == digits.len() + 1 && exact.0.ends_with('5');
    let below = &exact.0[..digits.len().min(exact.0.len())];
    if !tie || below == digits || below.as_bytes().last().is_some_and(|d| d % 2 != 0) {
        return (digits, exp);
    }
    // the shortest taken is the one above; the even one is below
    (below.trim_end_matches('0').to_string(), exp)
}

/// The significant digits of a positive decimal `text` (`0.00015`, `1500`, `1.5e-7`), without
/// leading or trailing zeros, and the decimal exponent of the first (`15`, -4).
fn digits(text: &str) -> (String, i32) {
    let (mantissa, exp) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.trim_start_matches('+').parse().unwrap_or(0)),
        None => (text, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all: String = whole.chars().chain(fraction.chars()).collect();
    let leading = all.len() - all.trim_start_matches('0').len();
    let significant = all[leading..].trim_end_matches('0').to_string();
    (significant, whole.len() as i32 - leading as i32 - 1 + exp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn same(v: &Value) {
        assert_eq!(compact(v), v.to_string(), "{v:?}");
    }

    #[test]
    fn values_of_every_kind_are_written_as_serde_json_writes_them() {
        same(&json!(null));
        same(&json!({"title": "t", "steps": [{"n": 3, "neg": -7, "big": u64::MAX, "small": i64::MIN}]}));
        same(&json!([true, false, [], {}, "", [[1]]]));
        // every control character, quotes, backslashes, and text beyond ASCII
        let controls: String = (0u8..0x20).map(char::from).collect();
        same(&json!(format!("{controls}\"\\/\u{7f}é\u{202e}😀")));
        same(&json!({"a\nb": "c\u{1}"}));
    }

    #[test]
    fn floats_take_serde_json_s_layout_at_every_exponent() {
        for x in [
            0.0,
            -0.0,
            0.5,
            -2.5,
            100.0,
            1.0,
            0.1,
            0.3,
            2.0 / 3.0,
            1e15,
            1e16,
            1.5e16,
            9.999e15,
            1e-5,
            1e-6,
            1.5e-5,
            1.5e-6,
            123456.789,
            1e21,
            1e22,
            1e-7,
            1.5e-7,
            5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
            1e100,
            1.234e-100,
            4503599627370496.5,
            9007199254740993.0,
        ] {
            same(&json!(x));
        }
    }

    #[test]
    fn floats_with_few_bits_after_the_point_agree_with_serde_json() {
        // where two shortest texts can tie (eight times the value whole): every quarter and
        // eighth over a stretch of each binade from 2^48 to 2^53
        for binade in 48..53 {
            let base = f64::from(1u32 << 24) * f64::from(1u32 << (binade - 24));
            for i in 0..4_000 {
                same(&json!(base + f64::from(i) * 0.125 + 12_345.0));
            }
        }
    }

    #[test]
    fn floats_from_their_bits_agree_with_serde_json() {
        // 20,000 doubles spread over every exponent, from a fixed xorshift stream: the shortest
        // digits of the two writers (Rust's and serde_json's) must agree on each.
        let mut s: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let x = f64::from_bits(s);
            if x.is_finite() {
                same(&json!(x));
            }
        }
    }
}
