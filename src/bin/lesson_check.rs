//! The check bundle: lbcore's lesson reader and headless player, and the little of the page
//! that writes their report, for the lesson page's "Check this lesson" (`lbviz::lesson_check`).
//! `static/check-loader.js` loads it when an author first presses the button: in the lesson
//! build's first load they cost 10.2 KB gzip, past its gate.

use wasm_bindgen::prelude::wasm_bindgen;

fn main() {}

/// Checks the lesson that the setting `key` (`lesson`, `lesson-data`) gives as `value`, as
/// `lbsim lesson check` does, writing the report under the button a step at a time; the
/// promise resolves when the check ends.
#[wasm_bindgen]
pub fn show_check(key: String, value: String) -> js_sys::Promise {
    lbviz::lesson_check::show(key, value)
}

/// Stops the check under way before its next step, saying so in the report.
#[wasm_bindgen]
pub fn stop_check() {
    lbviz::lesson_check::stop();
}
