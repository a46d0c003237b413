//! Hostile input: 10,000 generated URL queries and 10,000 generated scenario JSON texts
//! (huge and negative numbers, NaN, empty values, repeated and unknown keys, long strings,
//! HTML in names) never panic. A query always yields a valid scenario plus a problem for
//! each bad parameter; JSON is either a valid scenario or a clear error. Whatever comes out
//! must start an engine that runs.

use lbcore::scenario::FIELDS;
use lbcore::time::from_secs;
use lbcore::{Engine, Scenario};
use proptest::prelude::*;

fn hostile_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("NaN".to_string()),
        Just("inf".to_string()),
        Just("-inf".to_string()),
        Just("1e308".to_string()),
        Just("-1".to_string()),
        Just("0".to_string()),
        Just("99999999999999999999999".to_string()),
        Just("18446744073709551616".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        Just("a,b,,c".to_string()),
        Just(",,,".to_string()),
        Just("\u{fffd}\u{0}\u{7}".to_string()),
        Just("1,2,3,4,5,6,7,8,9,10,11,12".to_string()),
        "[a-z0-9.,-]{0,12}",
        "\\PC{0,40}",
        (0usize..20_000).prop_map(|n| "x".repeat(n)),
        any::<f64>().prop_map(|f| f.to_string()),
        any::<i64>().prop_map(|i| i.to_string()),
        (1u32..200).prop_map(|i| i.to_string()),
    ]
}

fn hostile_key() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => proptest::sample::select(FIELDS).prop_map(str::to_string),
        1 => "\\PC{0,12}",
        1 => Just("__proto__".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, ..ProptestConfig::default() })]

    #[test]
    fn any_query_gives_a_valid_scenario_and_named_problems(
        pairs in proptest::collection::vec((hostile_key(), hostile_value()), 0..12)
    ) {
        let (scenario, problems) = Scenario::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        prop_assert_eq!(scenario.validate(), Ok(()));
        for p in &problems {
            prop_assert!(!p.message.is_empty());
            prop_assert!(p.field == "query" || p.field == "vnodes" || pairs.iter().any(|(k, _)| *k == p.field), "problem names {} which was not given", p.field);
        }
        // Small scenarios are run briefly to prove the result is usable.
        if scenario.servers <= 64 && scenario.rate <= 5_000.0 && scenario.keys <= 10_000 {
            let mut e = Engine::new(scenario).unwrap();
            e.fire(3);
            e.run_until(from_secs(0.05));
            prop_assert!(e.check_invariant().is_ok());
        }
    }
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        hostile_value().prop_map(Value::String),
    ];
    leaf.prop_recursive(2, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec((hostile_key(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, ..ProptestConfig::default() })]

    #[test]
    fn any_json_is_a_valid_scenario_or_a_clear_error(
        fields in proptest::collection::vec((hostile_key(), json_value()), 0..8),
        raw in "\\PC{0,60}",
    ) {
        let object = serde_json::Value::Object(fields.into_iter().collect());
        for text in [object.to_string(), raw] {
            match Scenario::from_json(&text) {
                Ok(s) => prop_assert_eq!(s.validate(), Ok(())),
                Err(problems) => prop_assert!(!problems.0.is_empty() && !problems.to_string().is_empty()),
            }
        }
    }
}
