//! The values a sweep visits, as `lbsim sweep --rates/--loads` and the web app's Experiments view
//! write them: a list (`10,20,50`) or an inclusive range `FROM:TO:STEP` (`0.1:0.9:0.1`, nine
//! values), robust to steps that floats cannot represent exactly.

use crate::scenario::quoted;

/// Most points one `--rates` or `--loads` may name (a guard against a typo such as `0:1e6:1`).
pub const MAX_POINTS: usize = 10_000;

/// Parses a list or an inclusive range into its values. The error says what is wrong with
/// the text, without the flag's name.
pub fn parse(text: &str) -> Result<Vec<f64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("empty: give a list such as 10,20,50 or a range FROM:TO:STEP such as 10:90:10".into());
    }
    let values = if text.contains(':') { range(text)? } else { list(text)? };
    if values.len() > MAX_POINTS {
        return Err(format!("{} points; at most {MAX_POINTS}", values.len()));
    }
    Ok(values)
}

fn number(part: &str) -> Result<f64, String> {
    // (crate::decimal rather than `str::parse`: the web app's on-demand bundle then carries
    // none of Rust's float reading)
    match crate::decimal::read(part.trim()) {
        Some(v) if v.is_finite() => Ok(v),
        _ => Err(format!("\"{}\" is not a number", quoted(part.trim()))),
    }
}

fn list(text: &str) -> Result<Vec<f64>, String> {
    text.split(',').map(number).collect()
}

/// Digits after the decimal point as written (`0.25` has 2), or `None` in exponent form.
fn decimals(part: &str) -> Option<usize> {
    let part = part.trim();
    if part.contains(['e', 'E']) {
        return None;
    }
    Some(part.split_once('.').map_or(0, |(_, frac)| frac.len()))
}

fn range(text: &str) -> Result<Vec<f64>, String> {
    let parts: Vec<&str> = text.split(':').collect();
    let [from, to, step] = parts[..] else {
        return Err("a range is FROM:TO:STEP, such as 10:90:10".into());
    };
    let (lo, hi, step_v) = (number(from)?, number(to)?, number(step)?);
    if step_v <= 0.0 {
        return Err(format!("STEP ({}) must be above 0", quoted(step.trim())));
    }
    if lo > hi {
        return Err(format!("FROM ({}) is above TO ({})", quoted(from.trim()), quoted(to.trim())));
    }
    let steps = (hi - lo) / step_v;
    if steps >= MAX_POINTS as f64 {
        return Err(format!("{} points; at most {MAX_POINTS}", crate::decimal::Fixed(steps.floor() + 1.0, 0)));
    }
    // 0.1:0.9:0.1 is 7.999999999999999 steps in floats: allow for the rounding.
    let count = (steps + 1e-9 * steps.max(1.0)).floor() as usize + 1;
    let places = [from, to, step].into_iter().map(decimals).try_fold(0, |acc, d| d.map(|d| acc.max(d)));
    Ok((0..count)
        .map(|i| {
            let v = lo + i as f64 * step_v;
            // v to the places written, as the decimal nearest it (Fixed writes up to 15
            // places, and a value of more than 15 significant digits as it is)
            match places {
                Some(p) => crate::decimal::read(&crate::decimal::Fixed(v, p).to_string()).unwrap_or(v),
                None => v,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_ranges() {
        assert_eq!(parse("10,20, 50").unwrap(), [10.0, 20.0, 50.0]);
        assert_eq!(parse("10:50:10").unwrap(), [10.0, 20.0, 30.0, 40.0, 50.0]);
        assert_eq!(parse("1:2:0.4").unwrap(), [1.0, 1.4, 1.8]);
        assert_eq!(parse("5:5:1").unwrap(), [5.0]);
    }

    #[test]
    fn float_steps_include_the_end_and_print_cleanly() {
        let v = parse("0.1:0.9:0.1").unwrap();
        assert_eq!(v.len(), 9);
        assert_eq!(v[2], 0.3);
        assert_eq!(v[8], 0.9);
        assert_eq!(parse("0:1:0.05").unwrap().len(), 21);
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert_eq!(parse("5:1:1").unwrap_err(), "FROM (5) is above TO (1)");
        assert_eq!(parse("1:5:0").unwrap_err(), "STEP (0) must be above 0");
        assert_eq!(parse("1:5").unwrap_err(), "a range is FROM:TO:STEP, such as 10:90:10");
        assert_eq!(parse("1,x").unwrap_err(), "\"x\" is not a number");
        assert!(parse("0:1e9:1").unwrap_err().contains("at most"));
        assert!(parse("").is_err());
    }
}
