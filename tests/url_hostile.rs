//! Hostile URLs against the app's own parser ([`lbviz::url`]): 10,000 generated queries that
//! mix the UI parameters (`mode`, `speed`, `paused`, `embed`, `controls`, `algos`), scenario
//! fields and unknown keys, repeated keys, huge, negative and NaN numbers, long strings, HTML,
//! and every way of writing them in a query (raw, percent-encoded, `+`, broken escapes such as
//! `%4`, and bytes that are not UTF-8 such as `%FF` or a lone `%C3`). The parser never panics,
//! every unknown parameter comes back as a problem (the page's notice), what it returns is a
//! lab that starts, and writing it back gives a query that parses to the same lab with no
//! problem. lbcore's tests/hostile_input.rs covers the scenario fields and JSON themselves;
//! here the upload path ([`lbviz::export::read_scenario`]) gets hostile files too.
#![cfg(not(target_arch = "wasm32"))]

use lbcore::scenario::FIELDS;
use lbviz::settings::{MAX_COMPARE, MAX_SPEED, MIN_COMPARE, MIN_SPEED, Mode};
use lbviz::state::AppState;
use lbviz::url::{self, UI_PARAMS};
use proptest::prelude::*;

fn hostile_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("NaN".to_string()),
        Just("inf".to_string()),
        Just("-1".to_string()),
        Just("1e308".to_string()),
        Just("0.0000001".to_string()),
        Just("99999999999999999999999".to_string()),
        Just("<script>window.pwned=1</script>".to_string()),
        Just("<img src=x onerror=alert(1)>".to_string()),
        Just("compare".to_string()),
        Just("predict".to_string()),
        Just("manual".to_string()),
        Just("1".to_string()),
        Just("round-robin,maglev,random,hash-mod,peak-ewma,maglev".to_string()),
        Just("rate,servers,algo,bogus,,rate".to_string()),
        Just("a,b,,c".to_string()),
        "[a-z0-9.,-]{0,16}",
        "\\PC{0,40}",
        (0usize..20_000).prop_map(|n| "9".repeat(n)),
        any::<f64>().prop_map(|f| f.to_string()),
        any::<i64>().prop_map(|i| i.to_string()),
    ]
}

fn hostile_key() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => proptest::sample::select(UI_PARAMS.to_vec()).prop_map(str::to_string),
        3 => proptest::sample::select(FIELDS).prop_map(str::to_string),
        1 => "\\PC{0,12}",
        1 => Just(String::new()),
    ]
}

/// How one component is written into the query.
#[derive(Clone, Debug)]
enum Spelling {
    Raw,
    Encoded,
    PlusForSpace,
    /// Each byte as `%XX`, with random bytes (often not UTF-8) and broken escapes mixed in.
    Mangled(Vec<u8>),
}

fn spelling() -> impl Strategy<Value = Spelling> {
    prop_oneof![
        3 => Just(Spelling::Raw),
        3 => Just(Spelling::Encoded),
        1 => Just(Spelling::PlusForSpace),
        2 => proptest::collection::vec(any::<u8>(), 0..6).prop_map(Spelling::Mangled),
    ]
}

fn write(text: &str, how: &Spelling) -> String {
    match how {
        Spelling::Raw => text.to_string(),
        Spelling::Encoded => url::encode(text),
        Spelling::PlusForSpace => url::encode(text).replace("%20", "+"),
        Spelling::Mangled(bytes) => {
            let mut out = url::encode(text);
            for b in bytes {
                out.push_str(&match b % 4 {
                    0 => format!("%{b:02X}"),
                    1 => format!("%{:X}", b % 16),
                    2 => "%".to_string(),
                    _ => format!("%C3%{b:02x}"),
                });
            }
            out
        }
    }
}

fn hostile_query() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec((hostile_key(), spelling(), hostile_value(), spelling(), any::<bool>()), 0..10),
        any::<bool>(),
    )
        .prop_map(|(pieces, question)| {
            let body = pieces
                .iter()
                .map(
                    |(k, kh, v, vh, with_eq)| {
                        if *with_eq { format!("{}={}", write(k, kh), write(v, vh)) } else { write(k, kh) }
                    },
                )
                .collect::<Vec<_>>()
                .join(if question { "&" } else { "&&" });
            if question { format!("?{body}") } else { body }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, ..ProptestConfig::default() })]

    #[test]
    fn any_query_gives_a_working_lab_and_a_notice_for_each_bad_part(query in hostile_query()) {
        let parsed = url::parse(&query);
        prop_assert_eq!(parsed.scenario.validate(), Ok(()));
        let s = &parsed.settings;
        prop_assert!((MIN_SPEED..=MAX_SPEED).contains(&s.speed), "speed {}", s.speed);
        if s.mode == Mode::Compare {
            prop_assert!((MIN_COMPARE..=MAX_COMPARE).contains(&s.algos.len()), "{:?}", s.algos);
            prop_assert_eq!(parsed.scenario.algo, s.algos[0]);
        } else {
            prop_assert!(s.algos.is_empty());
        }
        for p in &parsed.problems {
            prop_assert!(!p.message.is_empty() && !p.to_string().is_empty());
        }
        // Every key that names nothing is answered with a problem that names it.
        for (key, _) in url::split(&query) {
            if !UI_PARAMS.contains(&key.as_str()) && !FIELDS.contains(&key.as_str()) {
                prop_assert!(parsed.problems.iter().any(|p| p.field == key || p.field == "query"),
                    "unknown key {key:?} has no problem in {:?}", parsed.problems);
            }
        }
        // What came out is a lab the URL can hold: written back, it reads the same, cleanly.
        let back = url::parse(&url::to_query(&parsed.scenario, &parsed.settings));
        prop_assert!(back.problems.is_empty(), "{:?}", back.problems);
        prop_assert_eq!(&back.scenario, &parsed.scenario);
        prop_assert_eq!(&back.settings, &parsed.settings);
        // And it starts: the app's state (engine included) for small labs.
        if parsed.scenario.servers <= 64 && parsed.scenario.keys <= 10_000 {
            let state = AppState::from_query(&query);
            prop_assert!(state.problems.len() >= parsed.problems.len());
        }
    }

    #[test]
    fn any_uploaded_file_is_a_scenario_or_a_reason(
        text in prop_oneof![
            "\\PC{0,200}",
            hostile_query(),
            proptest::collection::vec((hostile_key(), hostile_value()), 0..8).prop_map(|kv| {
                let fields: Vec<String> = kv.iter().map(|(k, v)| format!("{k:?}: {v}")).collect();
                format!("{{{}}}", fields.join(", "))
            }),
        ]
    ) {
        match lbviz::export::read_scenario(&text) {
            Ok(s) => prop_assert_eq!(s.validate_within(&lbcore::scenario::Limits::BROWSER), Ok(())),
            Err(why) => prop_assert!(!why.trim().is_empty()),
        }
    }
}
