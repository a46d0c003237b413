//! What a sweep varies besides the algorithm, as `lbsim sweep --over SETTING=SPEC` and the web
//! app's Experiments view write it: the offered load, the arrival rate, or any numeric setting
//! of the settings table (a row that allows a whole number or a number, such as `retries` or
//! `timeout`), over a list or an inclusive range in [`super::range`]'s syntax.

use super::range;
use crate::scenario::{Allowed, SETTINGS, Scenario, Setting, quoted};

/// Most dimensions one sweep has besides the algorithm (each `--over`, `--loads` or `--rates`
/// is one): enough for a load x retries x timeout grid.
pub const MAX_DIMS: usize = 3;

/// Most runs one sweep makes for each algorithm (the product of every dimension's values), as
/// a load sweep alone has at most [`range::MAX_POINTS`]: at lbsim's default of 60 simulated
/// seconds a run is well under a second at 20 arrivals a second, so a grid stays within hours,
/// and a typo such as `--over seed=0:1e6:1 --over retries=0:100:1` is refused at once.
pub const MAX_RUNS: usize = range::MAX_POINTS;

/// One dimension of a sweep: what it varies (`load`, `rate` or a setting's name) and the values
/// it takes, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Dim {
    /// `load`, `rate`, or the name of a setting [`sweepable`] allows.
    pub name: &'static str,
    /// The values, in the order the runs take them.
    pub values: Vec<f64>,
}

/// Whether a sweep may vary the setting of `row`: one that allows a whole number or a number
/// (not a prime, a choice, a switch, a list or text).
pub fn sweepable(row: &Setting) -> bool {
    matches!(row.allowed, Allowed::Whole { .. } | Allowed::Number { .. })
}

/// Every name `--over` takes: `load`, then the sweepable settings in table order.
pub fn names() -> Vec<&'static str> {
    std::iter::once("load").chain(SETTINGS.iter().filter(|r| sweepable(r)).map(|r| r.name)).collect()
}

impl Dim {
    /// Reads `SETTING=SPEC`. The error says what is wrong, without the flag's name: an unknown
    /// or unsweepable name lists the names allowed.
    pub fn parse(text: &str) -> Result<Dim, String> {
        let Some((name, spec)) = text.split_once('=') else {
            return Err("give SETTING=SPEC, such as retries=0,1,2,3 or timeout=0.2:2:0.2".into());
        };
        let name = name.trim();
        let Some(name) = names().into_iter().find(|n| *n == name) else {
            return Err(format!("\"{}\" cannot be swept; allowed: {}", quoted(name), names().join(", ")));
        };
        let values = range::parse(spec).map_err(|why| format!("{name}: {why}"))?;
        Ok(Dim { name, values })
    }

    /// Whether it is the arrival rate or the offered load: the sweep's points, not a setting.
    pub fn is_point(&self) -> bool {
        matches!(self.name, "load" | "rate")
    }

    /// `base` with this setting at `value`, checked by the settings table: an error names the
    /// setting and the value, and says what is allowed (or which other setting it clashes with).
    pub fn apply(&self, base: &Scenario, value: f64) -> Result<Scenario, String> {
        let text = crate::decimal::shortest(value);
        let mut s = base.clone();
        let problems = match s.set(self.name, &text) {
            Err(p) => vec![p],
            Ok(()) => s.validate().err().map_or_else(Vec::new, |p| p.0),
        };
        match problems.first() {
            None => Ok(s),
            Some(p) if p.field == self.name => Err(format!("{} \"{}\": {}", self.name, quoted(&text), p.message)),
            Some(p) => Err(format!(
                "{} \"{}\" makes {} \"{}\": {}",
                self.name,
                quoted(&text),
                quoted(&p.field),
                quoted(&p.value),
                p.message
            )),
        }
    }
}

/// How many runs each algorithm makes over `dims`: the product of their values' counts. It
/// cannot overflow (each is at most [`range::MAX_POINTS`] and there are at most [`MAX_DIMS`]
/// that count, so 10^12 at most; it saturates past that), so a count past [`MAX_RUNS`] is said
/// as it is. (u64, not u128: the web app's bundle carries no u128 formatting.)
pub fn runs(dims: &[Dim]) -> u64 {
    dims.iter().fold(1, |n: u64, d| n.saturating_mul(d.values.len() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_rows_qualify_and_others_do_not() {
        let n = names();
        for name in ["load", "rate", "retries", "timeout", "servers", "cost", "backoff-base", "seed", "requests"] {
            assert!(n.contains(&name), "{name}");
        }
        for name in ["algo", "table-size", "names", "speeds", "arrivals", "cancel", "backoff", "jitter"] {
            assert!(!n.contains(&name), "{name}");
        }
    }

    #[test]
    fn a_dim_is_a_name_and_a_list_or_range() {
        assert_eq!(Dim::parse("retries=0,1,2,3").unwrap(), Dim { name: "retries", values: vec![0.0, 1.0, 2.0, 3.0] });
        let d = Dim::parse("timeout=0.2:2:0.2").unwrap();
        assert_eq!(d.values.len(), 10, "0.2 to 2 inclusive: {:?}", d.values);
        assert_eq!((d.values[2], d.values[9]), (0.6, 2.0), "printed as written, not 0.6000000000000001");
        assert!(Dim::parse("load=0.5,0.9").unwrap().is_point());
    }

    #[test]
    fn refusals_name_the_setting_the_value_and_what_is_allowed() {
        assert!(Dim::parse("retries").unwrap_err().starts_with("give SETTING=SPEC"));
        let e = Dim::parse("algo=1,2").unwrap_err();
        assert!(
            e.starts_with("\"algo\" cannot be swept; allowed: load, choices, vnodes,") && e.contains("retries"),
            "{e}"
        );
        assert_eq!(Dim::parse("retries=0:1e9:1").unwrap_err(), "retries: 1000000001 points; at most 10000");
        assert_eq!(Dim::parse("retries=1,x").unwrap_err(), "retries: \"x\" is not a number");
        let base = Scenario::default();
        let d = Dim::parse("retries=1,200").unwrap();
        assert_eq!(d.apply(&base, 1.0).unwrap().retries, 1);
        assert_eq!(d.apply(&base, 200.0).unwrap_err(), "retries \"200\": allowed: 0 to 100");
        assert_eq!(d.apply(&base, 1.5).unwrap_err(), "retries \"1.5\": not a whole number; allowed: 0 to 100");
        let t = Dim::parse("timeout=0,1").unwrap();
        assert_eq!(t.apply(&base, 1.0).unwrap().timeout, Some(1.0), "an optional number is set");
        assert_eq!(t.apply(&base, 0.0).unwrap_err(), "timeout \"0\": allowed: above 0 up to 3600 seconds");
        let named = Scenario { names: vec!["a".into(), "b".into(), "c".into()], ..base };
        let e = Dim::parse("servers=2").unwrap().apply(&named, 2.0).unwrap_err();
        assert_eq!(e, "servers \"2\" makes names \"a,b,c\": more names than servers");
    }

    #[test]
    fn runs_are_bounded() {
        let d = |n: usize| Dim { name: "seed", values: vec![0.0; n] };
        assert_eq!(runs(&[d(10), d(50)]), 500);
        assert_eq!(runs(&[]), 1);
    }
}
