//! The text form of every type a setting holds: how `servers=4`, `speeds=1,1,0.5`,
//! `algo=maglev` or `retry=on` are read and written, and how each value is checked against
//! its row's [`Allowed`]. A URL query, a flag and the app's controls all go through here.

use super::setting::{Allowed, Choice, Kind};
use crate::balancer::Algorithm;

/// Why a text did not parse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// Not of the form the setting takes; the words say which ("a whole number").
    Form(&'static str),
    /// A whole number larger than the type holds.
    TooLarge,
    /// Not one of the choices.
    Unknown,
}

/// A type a setting may hold.
pub trait Value: Sized {
    /// What kind of value it is.
    const KIND: Kind;
    /// Reads the text form.
    fn parse(text: &str) -> Result<Self, ParseError>;
    /// Writes the text form [`Value::parse`] reads back to the same value.
    fn format(&self) -> String;
    /// Whether the value is within `allowed`.
    fn allowed(&self, allowed: &Allowed) -> bool;
    /// The `(id, label)` pairs of a choice type; empty for the others.
    fn choices() -> Vec<(&'static str, &'static str)> {
        Vec::new()
    }
}

fn whole(text: &str) -> Result<u64, ParseError> {
    let t = text.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        t.parse::<u64>().map_err(|_| ParseError::TooLarge)
    } else {
        Err(ParseError::Form("a whole number"))
    }
}

impl Value for u64 {
    const KIND: Kind = Kind::Whole;
    fn parse(text: &str) -> Result<Self, ParseError> {
        whole(text)
    }
    fn format(&self) -> String {
        self.to_string()
    }
    fn allowed(&self, allowed: &Allowed) -> bool {
        allowed.allows_whole(*self)
    }
}

impl Value for u32 {
    const KIND: Kind = Kind::Whole;
    fn parse(text: &str) -> Result<Self, ParseError> {
        u32::try_from(whole(text)?).map_err(|_| ParseError::TooLarge)
    }
    fn format(&self) -> String {
        self.to_string()
    }
    fn allowed(&self, allowed: &Allowed) -> bool {
        allowed.allows_whole(u64::from(*self))
    }
}

impl Value for f64 {
    const KIND: Kind = Kind::Number;
    fn parse(text: &str) -> Result<Self, ParseError> {
        match crate::decimal::read(text.trim()) {
            Some(v) if v.is_finite() => Ok(v),
            Some(_) => Err(ParseError::Form("a finite number")),
            None => Err(ParseError::Form("a number")),
        }
    }
    /// The shortest text that reads back to the same number; exponent form beyond 1e16 or
    /// below 1e-6, so no figure is written as hundreds of digits.
    fn format(&self) -> String {
        let a = self.abs();
        let plain = crate::decimal::shortest(*self);
        if a != 0.0 && !(1e-6..1e16).contains(&a) { exponent_form(&plain) } else { plain }
    }
    fn allowed(&self, allowed: &Allowed) -> bool {
        allowed.allows_number(*self)
    }
}

impl Value for bool {
    const KIND: Kind = Kind::Bool;
    fn parse(text: &str) -> Result<Self, ParseError> {
        match text.trim() {
            "1" | "true" | "on" | "yes" => Ok(true),
            "0" | "false" | "off" | "no" => Ok(false),
            _ => Err(ParseError::Unknown),
        }
    }
    fn format(&self) -> String {
        self.to_string()
    }
    fn allowed(&self, _: &Allowed) -> bool {
        true
    }
}

impl Value for String {
    const KIND: Kind = Kind::Text;
    fn parse(text: &str) -> Result<Self, ParseError> {
        Ok(text.trim().to_string())
    }
    fn format(&self) -> String {
        self.clone()
    }
    fn allowed(&self, allowed: &Allowed) -> bool {
        allowed.allows_name(self)
    }
}

/// A comma-separated list; empty text is the empty list.
impl<T: Value> Value for Vec<T> {
    const KIND: Kind = Kind::List;
    fn parse(text: &str) -> Result<Self, ParseError> {
        if text.trim().is_empty() {
            return Ok(Vec::new());
        }
        text.split(',').map(T::parse).collect()
    }
    fn format(&self) -> String {
        self.iter().map(T::format).collect::<Vec<_>>().join(",")
    }
    fn allowed(&self, allowed: &Allowed) -> bool {
        self.iter().all(|v| v.allowed(allowed))
    }
}

/// A value or none; empty text is none.
impl<T: Value> Value for Option<T> {
    const KIND: Kind = T::KIND;
    fn parse(text: &str) -> Result<Self, ParseError> {
        if text.trim().is_empty() { Ok(None) } else { T::parse(text).map(Some) }
    }
    fn format(&self) -> String {
        self.as_ref().map(T::format).unwrap_or_default()
    }
    fn allowed(&self, allowed: &Allowed) -> bool {
        self.as_ref().is_none_or(|v| v.allowed(allowed))
    }
}

/// The shortest decimal text of a number (`1000...0`, `0.000...05`) in exponent form (`1e308`,
/// `5e-324`), moving the point in the text itself so the digits, and the value, stay exact.
fn exponent_form(plain: &str) -> String {
    let (sign, digits) = plain.strip_prefix('-').map_or(("", plain), |d| ("-", d));
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let all = format!("{int}{frac}");
    let lead = all.len() - all.trim_start_matches('0').len();
    let significant = all.trim_matches('0');
    // The first significant digit's power of ten: digits before the point, less the zeros.
    let exponent = int.len() as i64 - 1 - lead as i64;
    let (first, rest) = significant.split_at(1);
    let dot = if rest.is_empty() { "" } else { "." };
    format!("{sign}{first}{dot}{rest}e{exponent}")
}

/// Reads and writes a [`Choice`] by its id.
macro_rules! choice_value {
    ($($t:ty),*) => {$(
        impl Value for $t {
            const KIND: Kind = Kind::Choice;
            fn parse(text: &str) -> Result<Self, ParseError> {
                <$t as Choice>::from_id(text.trim()).ok_or(ParseError::Unknown)
            }
            fn format(&self) -> String {
                Choice::id(*self).to_string()
            }
            fn allowed(&self, _: &Allowed) -> bool {
                true
            }
            fn choices() -> Vec<(&'static str, &'static str)> {
                <$t as Choice>::pairs()
            }
        }
    )*};
}

choice_value!(
    Algorithm,
    super::Arrivals,
    super::CostDist,
    super::CacheMode,
    super::Completions,
    super::Backoff,
    super::Jitter,
    super::QueueOrder
);

impl Choice for Algorithm {
    fn all() -> &'static [Self] {
        &Algorithm::ALL
    }
    fn id(self) -> &'static str {
        Algorithm::id(self)
    }
    fn label(self) -> &'static str {
        self.describe()
    }
}

/// Reads `retries` from a scenario file: a whole number, or `true` and `false` under its older
/// name, `retry` (retry once, or not at all).
pub(super) fn retries_or_switch<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    struct Retries;
    impl serde::de::Visitor<'_> for Retries {
        type Value = u32;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a whole number of retries (or true or false, as retry)")
        }
        fn visit_bool<E: serde::de::Error>(self, on: bool) -> Result<u32, E> {
            Ok(u32::from(on))
        }
        fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<u32, E> {
            u32::try_from(n).map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(n), &self))
        }
        fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<u32, E> {
            u32::try_from(n).map_err(|_| E::invalid_value(serde::de::Unexpected::Signed(n), &self))
        }
    }
    d.deserialize_any(Retries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_through_their_text() {
        for x in [0.1, 1e-7, 123.5, 1e308, 5e-324, 0.30000000000000004, 1e15, 1e16] {
            assert_eq!(<f64 as Value>::parse(&x.format()), Ok(x), "{x}");
        }
        assert_eq!(1e308.format(), "1e308", "never three hundred digits");
        assert_eq!((-1.5e20).format(), "-1.5e20");
        assert_eq!(5e-324.format(), "5e-324");
        assert_eq!(1.25e-7.format(), "1.25e-7");
        assert_eq!(0.000001.format(), "0.000001");
    }

    #[test]
    fn whole_numbers_say_too_large_rather_than_malformed() {
        assert_eq!(<u32 as Value>::parse("4294967296"), Err(ParseError::TooLarge));
        assert_eq!(<u32 as Value>::parse("4294967295"), Ok(u32::MAX));
        assert_eq!(<u64 as Value>::parse("1.5"), Err(ParseError::Form("a whole number")));
        assert_eq!(<u64 as Value>::parse("-1"), Err(ParseError::Form("a whole number")));
        assert_eq!(<u64 as Value>::parse(" 7 "), Ok(7));
    }

    #[test]
    fn lists_and_options() {
        assert_eq!(<Vec<f64> as Value>::parse("1, 1,0.5"), Ok(vec![1.0, 1.0, 0.5]));
        assert_eq!(<Vec<u32> as Value>::parse(""), Ok(vec![]));
        assert_eq!(<Option<u64> as Value>::parse(""), Ok(None));
        assert_eq!(vec![5u32, 1, 1].format(), "5,1,1");
    }
}
