//! The URL round trip in a real browser (headless Chromium): a query becomes a state whose
//! query is the same again, bad parameters are reported and defaulted, and the browser's own
//! URLSearchParams reads what `to_query` writes.
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! cargo test --target wasm32-unknown-unknown --test wasm_url`

#![cfg(target_arch = "wasm32")]

use lbcore::Scenario;
use lbviz::settings::{Control, Mode};
use lbviz::state::AppState;
use lbviz::url;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn queries_round_trip_through_the_state() {
    for query in [
        "",
        "algo=least-connections&servers=4&rate=120&seed=7&speed=2&paused=1",
        "algo=maglev&table-size=251&servers=6&names=a,b,c&weights=5,1,1&speeds=1,0.5",
        "algo=bounded-load&vnodes=40&load-factor=1.5&dist=pareto&cv=2&cache=shared&retries=1",
        "servers=4&mode=manual&embed=1&controls=rate,servers,algo",
        "algo=peak-ewma&decay=3&arrivals=bursty&burst-on=0.5&burst-off=4&requests=1000&duration=30",
        "servers=4&mode=compare&algos=round-robin,least-connections,power-of-two,maglev",
        "servers=5&mode=predict&embed=1",
        "keys=5000&zipf=0.9&cache=per-server&cache-size=50&health-interval=5&retries=1&controls=cache,failures,files",
        "servers=2&timeout=0.5&retries=3&backoff=exponential&backoff-base=0.05&backoff-cap=2&jitter=decorrelated&cancel=true",
    ] {
        let state = AppState::from_query(query);
        assert!(state.problems.is_empty(), "{query}: {:?}", state.problems);
        assert_eq!(state.query(), query, "the state writes back the query it was opened with");
    }
    // an old link's retry=true is one retry, and is written back by the setting's name now
    let state = AppState::from_query("health-interval=5&retry=true");
    assert!(state.problems.is_empty(), "{:?}", state.problems);
    assert_eq!(state.query(), "health-interval=5&retries=1");
}

#[wasm_bindgen_test]
fn the_browser_reads_what_we_write() {
    let mut scenario = Scenario::default();
    scenario.set("names", "web a,web&b,ü").expect("names");
    scenario.set("servers", "3").expect("servers");
    let settings = lbviz::settings::Settings { mode: Mode::Manual, ..Default::default() };
    let query = url::to_query(&scenario, &settings);
    let params = web_sys::UrlSearchParams::new_with_str(&query).expect("a query the browser reads");
    assert_eq!(params.get("names").as_deref(), Some("web a,web&b,ü"));
    assert_eq!(params.get("mode").as_deref(), Some("manual"));
    let back = url::parse(&query);
    assert_eq!(back.scenario.names, ["web a", "web&b", "ü"]);
    assert_eq!(back.settings.mode, Mode::Manual);
}

#[wasm_bindgen_test]
fn bad_parameters_never_break_the_state() {
    let state = AppState::from_query("rate=abc&servers=0&algo=nope&speed=abc&mode=zzz&controls=rate,bogus&x=1");
    let fields: Vec<&str> = state.problems.iter().map(|p| p.field.as_str()).collect();
    for f in ["rate", "servers", "algo", "speed", "mode", "controls", "x"] {
        assert!(fields.contains(&f), "{f} is reported: {fields:?}");
    }
    assert_eq!(state.engine().servers().len(), 3);
    assert_eq!(state.settings.speed, 1.0);
    assert_eq!(state.settings.controls, Some(vec![Control::Rate]));
    assert_eq!(state.query(), "controls=rate", "only the good parameters stay");
}

/// The browser's reader of the decimals lbcore's fast path leaves (the feature `host-float`)
/// gives the double `str::parse` gives, bit for bit: shortest texts of doubles across the
/// range, 17-digit ones, and the edges (subnormal, largest, beyond).
#[wasm_bindgen_test]
fn the_browsers_decimal_reader_agrees_with_rusts() {
    let mut texts: Vec<String> = [
        "0.30000000000000004",
        "123456789012345678901234",
        "1e308",
        "1.7976931348623157e308",
        "1e309",
        "5e-324",
        "2.2250738585072014e-308",
        "1e-400",
        "9007199254740993",
        "0.1e23",
        "1e23",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Doubles spread over every exponent: a fixed walk of bit patterns.
    let mut bits: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..2_000 {
        bits = bits.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let x = f64::from_bits(bits >> 1);
        if x.is_finite() {
            texts.push(format!("{x}"));
            texts.push(format!("{x:e}"));
        }
    }
    for t in &texts {
        let want: f64 = t.parse().unwrap();
        let got = lbcore::decimal::read(t).unwrap();
        assert_eq!(got.to_bits(), want.to_bits(), "{t}");
    }
}

/// The browser's shortest text of a double, written out by lbcore, reads back to the same
/// double and is as short as Rust's `{}` text, digit for digit except where two shortest
/// texts exist (`162214972029042.12` against Rust's `.13`: both read back to the same double):
/// the same doubles as above, and the forms the browser writes with an exponent (1e21 and
/// up, below 1e-6).
#[wasm_bindgen_test]
fn the_browsers_shortest_text_reads_back_and_is_as_short_as_rusts() {
    let mut xs = vec![1e21, 1.5e-7, 0.1, 0.30000000000000004, 5e-324, f64::MAX, 123456789.0, 1e-6, 2.5e-6, -0.0];
    let mut bits: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..2_000 {
        bits = bits.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        xs.push(f64::from_bits(bits >> 1));
    }
    let mut same = 0;
    let finite: Vec<f64> = xs.into_iter().filter(|x| x.is_finite()).collect();
    for &x in &finite {
        let (ours, rusts) = (lbcore::decimal::shortest(x), format!("{x}"));
        assert_eq!(ours.parse::<f64>().map(f64::to_bits), Ok(x.to_bits()), "{x:e}: {ours}");
        assert_eq!(ours.len(), rusts.len(), "{x:e}: {ours} against {rusts}");
        same += usize::from(ours == rusts);
    }
    // Two shortest texts are rare: at least 95% of these doubles get Rust's very text.
    assert!(same * 100 >= finite.len() * 95, "{same} of {} the same text", finite.len());
}
