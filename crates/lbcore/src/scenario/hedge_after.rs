//! The value of `hedge-after`: how long a request waits unanswered before a second copy of it
//! is sent to another server, a number of seconds or `p95`, the running 95th percentile of
//! response time. Its text form (`0.05`, `p95`) is the URL's, the flag's and the JSON file's
//! (where a number may also be written as a JSON number). What the engine does with it is
//! [`engine::hedge`](crate::engine::hedge)'s.

use super::codec::{ParseError, Value};
use super::setting::{Allowed, Kind};

/// When a request still unanswered gets its hedge: a fixed delay, or the running p95.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum HedgeAfter {
    /// This many seconds after its first attempt was sent.
    Seconds(f64),
    /// The 95th percentile of the latest response times (Dean and Barroso's choice): about
    /// one request in twenty is still unanswered then.
    P95,
}

/// The keyword for the running p95, as written in a URL, a flag or a file.
pub const P95: &str = "p95";

/// What a text that is neither a number nor the keyword is told.
const FORM: &str = "a number of seconds or p95";

impl Value for HedgeAfter {
    const KIND: Kind = Kind::Number;
    fn parse(text: &str) -> Result<Self, ParseError> {
        match text.trim() {
            P95 => Ok(HedgeAfter::P95),
            t => f64::parse(t).map(HedgeAfter::Seconds).map_err(|_| ParseError::Form(FORM)),
        }
    }
    fn format(&self) -> String {
        match self {
            HedgeAfter::Seconds(s) => s.format(),
            HedgeAfter::P95 => P95.to_string(),
        }
    }
    fn allowed(&self, allowed: &Allowed) -> bool {
        match self {
            HedgeAfter::Seconds(s) => allowed.allows_number(*s),
            HedgeAfter::P95 => true,
        }
    }
}

impl serde::Serialize for HedgeAfter {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            HedgeAfter::Seconds(x) => s.serialize_f64(*x),
            HedgeAfter::P95 => s.serialize_str(P95),
        }
    }
}

impl<'de> serde::Deserialize<'de> for HedgeAfter {
    /// A JSON number of seconds, or a string the text form reads (`"p95"`, `"0.05"`).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl serde::de::Visitor<'_> for Visit {
            type Value = HedgeAfter;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(FORM)
            }
            fn visit_f64<E: serde::de::Error>(self, x: f64) -> Result<HedgeAfter, E> {
                Ok(HedgeAfter::Seconds(x))
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<HedgeAfter, E> {
                Ok(HedgeAfter::Seconds(n as f64))
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<HedgeAfter, E> {
                Ok(HedgeAfter::Seconds(n as f64))
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<HedgeAfter, E> {
                HedgeAfter::parse(text).map_err(|_| E::invalid_value(serde::de::Unexpected::Str(text), &self))
            }
        }
        d.deserialize_any(Visit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scenario;

    #[test]
    fn seconds_and_p95_round_trip_through_text_and_json() {
        for (text, value) in
            [("p95", HedgeAfter::P95), ("0.05", HedgeAfter::Seconds(0.05)), ("3600", HedgeAfter::Seconds(3600.0))]
        {
            assert_eq!(HedgeAfter::parse(text), Ok(value));
            assert_eq!(value.format(), text);
            let mut s = Scenario::default();
            s.set("hedge-after", text).expect("allowed");
            assert_eq!((s.hedge_after, s.get("hedge-after").as_deref()), (Some(value), Some(text)));
            let json = serde_json::to_string(&s).expect("serialises");
            assert_eq!(Scenario::from_json(&json), Ok(s.clone()), "{json}");
        }
        let from_file = Scenario::from_json(r#"{"hedge-after": 2}"#).expect("a JSON number");
        assert_eq!(from_file.hedge_after, Some(HedgeAfter::Seconds(2.0)));
        assert_eq!(Scenario::from_json(r#"{"hedge-after": "p95"}"#).map(|s| s.hedge_after), Ok(Some(HedgeAfter::P95)));
        assert_eq!(Scenario::default().hedge_after, None, "no hedging by default");
    }

    #[test]
    fn anything_else_is_refused_naming_hedge_after_and_what_it_allows() {
        let allowed = "allowed: above 0 up to 3600 seconds, or p95";
        for (bad, message) in [
            ("p99", "not a number of seconds or p95; allowed: above 0 up to 3600 seconds, or p95"),
            ("P95 please", "not a number of seconds or p95; allowed: above 0 up to 3600 seconds, or p95"),
            ("NaN", "not a number of seconds or p95; allowed: above 0 up to 3600 seconds, or p95"),
            ("-1", allowed),
            ("0", allowed),
            ("3600.5", allowed),
            ("1e300", allowed),
        ] {
            let mut s = Scenario::default();
            let problem = s.set("hedge-after", bad).err().or_else(|| s.validate().err().map(|p| p.0[0].clone()));
            let p = problem.unwrap_or_else(|| panic!("hedge-after={bad} accepted"));
            assert_eq!((p.field.as_str(), p.value.as_str(), p.message.as_str()), ("hedge-after", bad, message));
        }
        // a file's error says where it is, as every other one does: the key is just before
        let err = Scenario::from_json(r#"{"hedge-after": "soon"}"#).expect_err("not a value");
        assert!(err.to_string().contains(r#"string "soon" where a number of seconds or p95 is expected"#), "{err}");
        let err = Scenario::from_json(r#"{"hedge-after": -3}"#).expect_err("negative");
        assert_eq!(err.0[0].to_string(), "hedge-after=\"-3\": allowed: above 0 up to 3600 seconds, or p95");
    }
}
