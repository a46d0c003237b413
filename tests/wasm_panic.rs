//! The panic hook hands its message to the page's notice: it calls the function the loader
//! (static/loader.js) puts on `window`, once per panic, and does nothing without it. The notice
//! itself (an alert with the message and a reload link, written once) is the loader's, checked
//! in a real page by tests/e2e/bounded.test.mjs.
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! cargo test --target wasm32-unknown-unknown --test wasm_panic`

#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Function, Reflect};
use lbviz::panic::{SHOW_NOTICE, show_notice};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn a_panic_hands_its_message_to_the_loaders_notice() {
    let window = web_sys::window().expect("a window");
    let key = JsValue::from_str(SHOW_NOTICE);
    assert_eq!(show_notice("before the loader"), None, "no loader: nothing to call, no failure");
    let seen = Array::new();
    Reflect::set(&window, &JsValue::from_str("seen"), &seen).expect("set");
    let record = Function::new_with_args("message", "window.seen.push(message)");
    Reflect::set(&window, &key, &record).expect("set");
    assert_eq!(show_notice("boom at src/state.rs"), Some(()));
    assert_eq!(seen.length(), 1);
    assert_eq!(seen.get(0).as_string().as_deref(), Some("boom at src/state.rs"));
}
