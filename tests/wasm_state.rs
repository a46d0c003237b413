//! The state reducer in a real browser (headless Chromium): actions become engine calls, the
//! manual lesson's numbers, health changes, settings, and the URL the state writes.
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! cargo test --target wasm32-unknown-unknown --test wasm_state`

#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use lbcore::Health;
use lbviz::settings::Mode;
use lbviz::state::{Action, AppState};
use wasm_bindgen_test::*;
use yew::Reducible;

wasm_bindgen_test_configure!(run_in_browser);

fn apply(state: Rc<AppState>, actions: impl IntoIterator<Item = Action>) -> Rc<AppState> {
    actions.into_iter().fold(state, |s, a| s.reduce(a))
}

fn connections(state: &AppState) -> Vec<u32> {
    state.engine().servers().iter().map(|s| s.connections()).collect()
}

fn name(n: &str) -> Rc<str> {
    n.into()
}

#[wasm_bindgen_test]
fn round_robin_manual_gives_4_3_3() {
    let state = Rc::new(AppState::from_query("mode=manual&algo=round-robin&servers=3"));
    let state = apply(state, (0..10).map(|_| Action::Fire(1)));
    assert_eq!(connections(&state), [4, 3, 3]);
    let explanation = state.explanation.as_deref().unwrap_or_default();
    assert!(explanation.starts_with("round-robin chose server1"), "{explanation}");
    assert_eq!(state.engine().decisions().len(), 10);
    // Time passes, nothing completes by itself.
    let state = apply(state, (0..20).map(|_| Action::Tick(100.0)));
    assert_eq!(connections(&state), [4, 3, 3]);
}

#[wasm_bindgen_test]
fn least_connections_refills_the_server_completed_by_hand() {
    let state = Rc::new(AppState::from_query("mode=manual&algo=least-connections&servers=3"));
    let state = apply(state, [Action::Fire(9), Action::Complete(name("server2")), Action::Complete(name("server2"))]);
    assert_eq!(connections(&state), [3, 1, 3]);
    let state = apply(state, [Action::Fire(2)]);
    assert_eq!(connections(&state), [3, 3, 3]);
    let text = state.explanation.as_deref().unwrap_or_default();
    assert!(text.starts_with("Fired 2 requests: 2 to server2."), "{text}");
}

#[wasm_bindgen_test]
fn completing_an_empty_server_says_so() {
    let state = Rc::new(AppState::from_query("mode=manual"));
    let state = apply(state, [Action::Complete(name("server1"))]);
    assert_eq!(connections(&state), [0, 0, 0]);
    assert!(state.explanation.as_deref().unwrap_or_default().contains("nothing to complete"));
    let state = apply(state, [Action::Complete(name("nobody"))]);
    assert!(state.explanation.as_deref().unwrap_or_default().contains("no server called nobody"));
}

#[wasm_bindgen_test]
fn fail_drain_and_heal() {
    let state = Rc::new(AppState::from_query("mode=manual&health-interval=0"));
    let state = apply(state, [Action::Fire(3), Action::Fail(name("server2")), Action::Drain(name("server3"))]);
    let health: Vec<Health> = state.engine().servers().iter().map(|s| s.health).collect();
    assert_eq!(health, [Health::Up, Health::Down, Health::Draining]);
    assert_eq!(connections(&state), [1, 0, 1]);
    let state = apply(state, [Action::Fire(2)]);
    assert_eq!(connections(&state), [3, 0, 1], "only server1 takes new requests");
    let state = apply(state, [Action::Heal(name("server2")), Action::Heal(name("server3"))]);
    assert!(state.engine().servers().iter().all(|s| s.health == Health::Up));
}

#[wasm_bindgen_test]
fn servers_and_fields_change_the_engine_and_the_url() {
    let state = Rc::new(AppState::from_query(""));
    let state = apply(
        state,
        [
            Action::SetScenarioField("servers", "5".into()),
            Action::SetScenarioField("algo", "least-connections".into()),
            Action::SetScenarioField("rate", "250".into()),
            Action::SetSpeed(2.5),
            Action::TogglePause,
        ],
    );
    assert_eq!(state.engine().servers().len(), 5);
    assert_eq!(state.query(), "algo=least-connections&servers=5&rate=250&speed=2.5&paused=1");
    let state = apply(state, [Action::AddServer, Action::RemoveServer, Action::RemoveServer]);
    assert_eq!(state.scenario().servers, 4);
    let bad = apply(state.clone(), [Action::SetScenarioField("rate", "-3".into())]);
    assert_eq!(bad.scenario().rate, 250.0, "a bad value changes nothing");
    assert!(bad.explanation.as_deref().unwrap_or_default().starts_with("Not changed"));
}

#[wasm_bindgen_test]
fn spread_sets_speeds_and_follows_the_server_count() {
    let state = Rc::new(AppState::from_query("servers=3"));
    let state = apply(state, [Action::SetSpread(0.5)]);
    assert_eq!(state.scenario().speeds, [1.0, 0.75, 0.5]);
    let state = apply(state, [Action::SetScenarioField("servers", "5".into())]);
    assert_eq!(state.scenario().speeds, [1.0, 0.875, 0.75, 0.625, 0.5]);
}

#[wasm_bindgen_test]
fn ticks_advance_time_unless_paused_and_are_clamped() {
    let state = Rc::new(AppState::from_query("rate=100"));
    let state = apply(state, [Action::Tick(50.0)]);
    assert_eq!(state.engine().now(), 50_000_000);
    let state = apply(state, [Action::Tick(1e9)]);
    assert_eq!(state.engine().now(), 1_050_000_000, "one tick takes at most a second");
    let paused = apply(state.clone(), [Action::TogglePause]);
    let after = apply(paused.clone(), [Action::Tick(100.0)]);
    assert!(Rc::ptr_eq(&paused, &after), "a paused tick changes nothing");
    assert!(state.engine().totals().arrived > 50, "about 105 arrivals in 1.05 s");
}

#[wasm_bindgen_test]
fn step_pauses_and_explains_and_mode_switches() {
    let state = Rc::new(AppState::from_query(""));
    let state = apply(state, [Action::Step]);
    assert!(state.settings.paused);
    assert!(state.explanation.as_deref().unwrap_or_default().contains("round-robin chose"));
    let state = apply(state, [Action::SetMode(Mode::Manual)]);
    assert_eq!(state.query(), "mode=manual&paused=1");
    let state = apply(state, [Action::SetMode(Mode::Auto), Action::Reset]);
    assert_eq!(state.engine().now(), 0);
    assert_eq!(state.engine().totals().arrived, 0);
    assert_eq!(state.query(), "paused=1");
}
