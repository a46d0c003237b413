//! Hostile input: 10,000 generated URL queries and 10,000 generated scenario JSON texts
//! (huge and negative numbers, NaN, empty values, repeated and unknown keys, long strings,
//! HTML in names) never panic. A query always yields a valid scenario plus a problem for
//! each bad parameter; JSON is either a valid scenario or a clear error. Whatever comes out
//! must start an engine that runs.

use lbcore::scenario::{Allowed, FIELDS, Limits, SETTINGS};
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
        fault_schedule(),
    ]
}

/// Texts shaped like a fault schedule, `SERVER:KIND@START-END` entries: well formed or nearly,
/// with numbers in and out of range, names that may not exist, and schedules past the 256
/// entries allowed.
fn fault_schedule() -> impl Strategy<Value = String> {
    let entry =
        "(server[0-9]{1,2}|[a-z]{0,3}):(down|up|slow=[0-9.e-]{0,6}|errors=[0-9.e-]{0,5})@[0-9.e-]{0,8}-[0-9.e-]{0,11}";
    prop_oneof![
        proptest::collection::vec(entry, 1..6).prop_map(|e| e.join(",")),
        (250usize..260, entry).prop_map(|(n, e)| vec![e; n].join(",")),
    ]
}

fn hostile_key() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => proptest::sample::select(FIELDS).prop_map(str::to_string),
        1 => proptest::sample::select(lbcore::scenario::OLDER_NAMES).prop_map(str::to_string),
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
            if p.field == "faults" {
                // what is allowed, the form expected, or the server missing
                let clear = ["allowed", "each item must be SERVER:KIND@START-END", "no server is named"];
                prop_assert!(clear.iter().any(|c| p.message.contains(c)), "{p}");
                prop_assert!(p.value.chars().count() <= lbcore::scenario::QUOTE_CHARS + 1, "{p}");
            }
            prop_assert!(p.field == "query" || p.field == "vnodes" || p.field == "backoff-cap" || p.field == "error-latency" || pairs.iter().any(|(k, _)| *k == p.field), "problem names {} which was not given", p.field);
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

/// The values at the edges of a row's range: its least and most (a hair above the least when
/// that is excluded), every choice, both booleans, the shortest and longest name; a list
/// setting gets one item at each edge.
fn edges(allowed: &Allowed, ids: &[&str]) -> Vec<String> {
    match *allowed {
        Allowed::Whole { min, max } => vec![min.to_string(), max.to_string()],
        Allowed::Number { min, above, max } => {
            let low = if above { min + (max - min) * 1e-9 } else { min };
            vec![low.to_string(), max.to_string()]
        }
        Allowed::Prime { min, max, .. } => vec![min.to_string(), max.to_string()],
        Allowed::OneOf => ids.iter().map(|id| id.to_string()).collect(),
        Allowed::Bool => vec!["true".into(), "false".into()],
        Allowed::Name { max_chars } => vec!["a".into(), "n".repeat(max_chars)],
        Allowed::Each(inner) => edges(inner, ids),
        // one entry of each kind at its numbers' edges, and 256 entries (every kind, all in
        // progress together over the clock's whole range) on the first server
        Allowed::Faults => {
            let most: Vec<String> = (0..lbcore::scenario::faults::MAX_FAULTS)
                .map(|k| {
                    let kind = ["down", "slow=0.000000001", "slow=1000", "errors=1", "errors=0"][k % 5];
                    format!("server1:{kind}@{}-1000000000", k as f64 / 1000.0)
                })
                .collect();
            vec![
                String::new(),
                "server1:slow=0.000000001@0-1000000000".into(),
                "server1:errors=1@0-0.000000001".into(),
                most.join(","),
            ]
        }
        Allowed::NumberOr(inner, word) => [edges(inner, ids), vec![word.to_string()]].concat(),
    }
}

/// Wall time one accepted scenario may take to start and handle [`EVENTS`] events, in a debug
/// build: the largest construction allowed is a Maglev table of 5,000,011 slots (1.4 s in a
/// release build, 5 to 10 times that in debug) or a ring of 10 million points; the events
/// themselves take milliseconds.
const WALL: std::time::Duration = std::time::Duration::from_secs(20);

/// Events handled per accepted scenario: five of the web app's frames.
const EVENTS: u64 = 100_000;

proptest! {
    // Each case may build a large table or ring: few cases, about 60 s in a debug build.
    #![proptest_config(ProptestConfig { cases: 64, max_shrink_iters: 16, ..ProptestConfig::default() })]

    #[test]
    fn accepted_values_at_the_edges_run_in_bounded_work(
        picks in proptest::collection::vec(proptest::option::weighted(0.4, any::<proptest::sample::Index>()), SETTINGS.len()),
        browser in any::<bool>(),
    ) {
        let limits = if browser { Limits::BROWSER } else { Limits::CLI };
        let mut scenario = Scenario::default();
        let mut given = Vec::new();
        for (row, pick) in SETTINGS.iter().zip(&picks) {
            let Some(pick) = pick else { continue };
            let values = edges(&row.allowed, &row.ids());
            let value = pick.get(&values);
            // every edge is inside its own row
            prop_assert!(scenario.set(row.name, value).is_ok(), "{}={value}", row.name);
            given.push((row.name, value.clone()));
        }
        let (from_query, problems) = Scenario::from_pairs_within(given.iter().map(|(k, v)| (*k, v.as_str())), &limits);
        prop_assert_eq!(from_query.validate_within(&limits), Ok(()));
        let was_given = |field: &str| given.iter().any(|(k, _)| *k == field);
        for p in &problems {
            // a refusal names a setting given (or the query), or the setting whose rule reads
            // the ones given (requests held at once are named by the queue), and says why
            let reads_given = match p.field.as_str() {
                "queue" => was_given("servers") || was_given("workers"),
                "vnodes" => was_given("servers") || was_given("weights") || was_given("algo"),
                "burst-on" => was_given("rate") || was_given("burst-off") || was_given("arrivals"),
                "table-size" => was_given("servers") || was_given("algo"),
                // requests waiting for an errors fault's answer: the rate times the latency
                "error-latency" => ["rate", "requests", "retries", "faults"].iter().any(|f| was_given(f)),
                // a fault names server1, which the names given may call otherwise
                "faults" => was_given("names") || was_given("servers"),
                // requests waiting out a backoff: the rate times the longest wait
                "backoff-cap" => ["rate", "requests", "retries", "backoff", "backoff-base", "jitter"].iter().any(|f| was_given(f)),
                _ => false,
            };
            prop_assert!(p.field == "query" || was_given(&p.field) || reads_given, "{p}");
            prop_assert!(!p.message.is_empty() && !p.message.contains('–'), "{p}");
        }
        if scenario.validate_within(&limits).is_err() {
            // refused as a whole: what the front end runs is the fitted scenario
            scenario = from_query;
        }
        let held = scenario.held_at_most();
        prop_assert!(held <= limits.held);
        let start = std::time::Instant::now();
        let mut engine = Engine::new(scenario.clone()).expect("an accepted scenario starts");
        if scenario.completions == lbcore::scenario::Completions::Manual || scenario.arrivals == lbcore::scenario::Arrivals::Off {
            engine.fire(1_000);
        }
        engine.run_until_within(u64::MAX / 4, EVENTS);
        let took = start.elapsed();
        if took > std::time::Duration::from_secs(2) {
            println!("{took:?}: {:?}", scenario.to_pairs());
        }
        prop_assert!(took < WALL, "{:?} took {took:?}", scenario.to_pairs());
        // what the engine holds is bounded by its servers' room (fired requests that do not fit
        // are rejected), which the limits bound in turn (with the run's requests, when fewer)
        let room = u64::from(scenario.servers) * (u64::from(scenario.workers) + u64::from(scenario.queue));
        let held: u64 = engine.servers().iter().map(|s| u64::from(s.connections())).sum();
        prop_assert!(held <= room, "{held} held, room for {room}");
        // a request in flight and held by no server waits out a backoff, which an event sent it to
        prop_assert!(engine.in_system() <= held + EVENTS, "{} in flight", engine.in_system());
        prop_assert!(engine.check_invariant().is_ok());
    }
}

/// Whether `text` holds a control byte other than a new line: what could move a terminal's
/// cursor, clear its screen or set its title.
fn has_control(text: &str) -> bool {
    text.bytes().any(|b| (b < 0x20 && b != b'\n') || b == 0x7f)
}

#[test]
fn a_query_of_a_megabyte_of_unknown_keys_names_twenty_and_how_many_more() {
    // As in a lesson: 95,000 unknown parameters were 95,000 problems, each kept and shown.
    use lbcore::scenario::MAX_PROBLEMS;
    let keys: Vec<String> = (0..95_000).map(|k| format!("k{k:05}")).collect();
    let pairs = keys.iter().map(|k| (k.as_str(), "1")).chain([("servers", "0"), ("rate", "5")]);
    for limits in [Limits::BROWSER, Limits::CLI] {
        let (scenario, problems) = Scenario::from_pairs_within(pairs.clone(), &limits);
        assert_eq!(scenario.rate, 5.0, "good parameters still apply");
        assert_eq!(problems.len(), MAX_PROBLEMS + 1, "the first 20, and one for the rest");
        assert_eq!(problems[0].to_string(), "k00000=\"1\": unknown parameter");
        // 94,980 unknown keys past the first 20, and servers=0 out of range
        assert_eq!(problems[MAX_PROBLEMS].to_string(), "query=\"\": and 94981 more problems");
        let shown = lbcore::Problems(problems).to_string();
        assert!(shown.len() < 1_000, "{} bytes", shown.len());
    }
}

#[test]
fn hostile_keys_in_a_query_or_a_scenario_file_are_quoted_short_and_escaped() {
    let esc = "\u{1b}[2J\u{1b}]0;pwned\u{7}";
    let long = "x".repeat(900_000);
    for key in [esc.to_string(), long.clone(), format!("{esc}{long}")] {
        let (_, problems) = Scenario::from_pairs([(key.as_str(), key.as_str())]);
        let shown = problems[0].to_string();
        assert!(!has_control(&shown) && shown.chars().count() < 200, "{shown}");
        if key.len() < 1_000 {
            let json = format!("{{{}: 1}}", serde_json::to_string(&key).expect("a JSON string"));
            let shown = Scenario::from_json(&json).expect_err("an unknown key").to_string();
            assert!(!has_control(&shown) && shown.chars().count() < 300, "{shown}");
            assert!(shown.contains(r#"there is no setting called "\u{1b}[2J"#), "{shown}");
        }
    }
}
