//! The query codec ([`lbcore::scenario::query`], which the page, `lbsim url` and the lessons
//! share) carries any text through a query and back, and for any scenario the link `lbsim
//! url` prints is the query the page writes for that scenario opened from a file, which the
//! page reads back as the same scenario with no problem.
#![cfg(not(target_arch = "wasm32"))]

use lbcore::Scenario;
use lbcore::scenario::query;
use lbviz::settings::{Mode, Settings};
use lbviz::url;
use proptest::prelude::*;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("a b&c=d,é+%".to_string()),
        Just("%zz%4%C3%FF+".to_string()),
        Just("mode=manual&&=&x".to_string()),
        "\\PC{0,40}",
        "[a-z%&=+,. 0-9A-F]{0,40}",
    ]
}

/// A scenario from a few settings, each value from its own small list (invalid ones skipped).
fn scenario() -> impl Strategy<Value = Scenario> {
    let pick = |k: &'static str, vs: &'static [&'static str]| prop::sample::select(vs).prop_map(move |v| (k, v));
    (
        pick("algo", &["round-robin", "least-connections", "maglev", "power-of-two"]),
        pick("servers", &["1", "3", "8", "64"]),
        pick("names", &["", "web 1,b&c", "ü,x=y"]),
        pick("speeds", &["", "1,1,0.3", "0.5"]),
        pick("rate", &["20", "0.5", "1000"]),
        pick("arrivals", &["poisson", "off", "bursty"]),
        pick("completions", &["auto", "manual"]),
        pick("retry", &["false", "true"]),
    )
        .prop_map(|pairs| {
            let (a, b, c, d, e, f, g, h) = pairs;
            let mut s = Scenario::default();
            for (k, v) in [a, b, c, d, e, f, g, h] {
                let mut next = s.clone();
                if next.set(k, v).is_ok() && next.validate().is_ok() {
                    s = next;
                }
            }
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn any_text_survives_the_query(k in text(), v in text()) {
        prop_assert_eq!(query::decode(&query::encode(&v)), v.clone());
        // a pair written into a query is split back out of it, whatever it holds
        let written = format!("{}={}", query::encode(&k), query::encode(&v));
        let pairs = query::split(&written);
        if k.is_empty() && v.is_empty() {
            prop_assert_eq!(pairs, vec![(String::new(), String::new())]);
        } else {
            prop_assert_eq!(pairs, vec![(k, v)]);
        }
    }

    #[test]
    fn the_link_lbsim_prints_is_the_query_the_page_writes_and_reads(s in scenario(), embed in any::<bool>()) {
        let settings = Settings { mode: Mode::of_scenario(&s), embed, ..Settings::default() };
        let page = url::to_query(&s, &settings);
        prop_assert_eq!(&query::link(&s, embed), &page);
        let parsed = url::parse(&page);
        prop_assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        prop_assert_eq!(parsed.scenario, s);
        prop_assert_eq!(parsed.settings, settings);
    }
}
