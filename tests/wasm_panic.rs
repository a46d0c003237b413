//! The panic notice in a real browser: a visible alert with the message and a reload link to
//! the same address, written once however many panics follow.
//!
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! cargo test --target wasm32-unknown-unknown --test wasm_panic`

#![cfg(target_arch = "wasm32")]

use lbviz::panic::{NOTICE_ID, show_notice};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn a_panic_writes_a_notice_with_a_reload_link() {
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    assert_eq!(show_notice("boom at src/state.rs"), Some(()));
    assert_eq!(show_notice("a second panic"), Some(()));
    let notice = document.get_element_by_id(NOTICE_ID).expect("the notice is in the page");
    assert_eq!(notice.get_attribute("role").as_deref(), Some("alert"));
    let text = notice.text_content().unwrap_or_default();
    assert!(text.contains("boom at src/state.rs"), "{text}");
    assert!(!text.contains("a second panic"), "written once: {text}");
    let reload = notice.query_selector("a[data-testid=panic-reload]").ok().flatten().expect("a reload link");
    let href = reload.get_attribute("href").unwrap_or_default();
    assert_eq!(href, document.location().and_then(|l| l.href().ok()).unwrap_or_default());
    assert_eq!(document.query_selector_all("#panic-notice").map(|l| l.length()).unwrap_or(0), 1);
}
