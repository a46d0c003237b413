//! Reading a fetched file in a real browser (headless Chromium): a lesson file served without a
//! length is read chunk by chunk and given up once past the limit, so that a file of any size
//! takes bounded memory; one within the limit is read whole; a server that does not answer,
//! or stops halfway, is given up after the time allowed.
//!
//! Run as tests/wasm_url.rs says.

#![cfg(target_arch = "wasm32")]

use js_sys::Function;
use lbviz::lesson_player::{Unfetched, Unread, fetch_text, read_at_most};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CHUNK: u32 = 64 * 1024;

/// A response streaming `total` bytes of `byte` in 64 KiB chunks, with no declared length,
/// and a counter of the chunks the reader pulled (`window.pulled`).
fn streamed(total: f64, byte: u8) -> web_sys::Response {
    let make = Function::new_with_args(
        "total, chunk, byte",
        "window.pulled = 0; let sent = 0;
         return new Response(new ReadableStream({ pull(c) {
           if (sent >= total) { c.close(); return; }
           const n = Math.min(chunk, total - sent);
           c.enqueue(new Uint8Array(n).fill(byte)); sent += n; window.pulled += 1;
         } }));",
    );
    let response = make
        .call3(&JsValue::NULL, &JsValue::from_f64(total), &JsValue::from(CHUNK), &JsValue::from(byte))
        .expect("a response");
    response.unchecked_into()
}

fn pulled() -> u32 {
    let window = web_sys::window().expect("a window");
    js_sys::Reflect::get(&window, &JsValue::from_str("pulled")).ok().and_then(|v| v.as_f64()).unwrap_or(0.0) as u32
}

#[wasm_bindgen_test]
async fn a_body_past_the_limit_is_given_up_after_the_limit_and_a_chunk_or_two() {
    let max = lbcore::lesson::MAX_LESSON_BYTES;
    // A gigabyte would be produced if the reader asked for it.
    let response = streamed(1e9, b' ');
    assert_eq!(read_at_most(&response, max).await, Err(Unread::TooLong));
    // The stream may pull one chunk ahead of the reader (its high-water mark).
    let limit_chunks = max as u32 / CHUNK + 2;
    assert!(pulled() <= limit_chunks, "{} chunks pulled, at most {limit_chunks} expected", pulled());
}

#[wasm_bindgen_test]
async fn a_body_within_the_limit_is_read_whole() {
    let response = streamed(100_000.0, b'x');
    let text = read_at_most(&response, lbcore::lesson::MAX_LESSON_BYTES).await.expect("read");
    assert_eq!(text.len(), 100_000);
    assert!(text.bytes().all(|b| b == b'x'));
}

#[wasm_bindgen_test]
async fn a_body_that_is_not_utf8_is_not_text() {
    let response = streamed(10.0, 0xff);
    assert_eq!(read_at_most(&response, 1024).await, Err(Unread::NotText));
}

/// Replaces the page's `fetch` with a server's answer: `never` gives no answer, `stalls`
/// gives the headers and then no byte more, `json` answers at once. Like the browser's own, a
/// request that is aborted fails (the answer, or the body's read) with an AbortError.
fn serve(how: &str) {
    let install = Function::new_with_args(
        "how",
        "window.realFetch ??= window.fetch;
         window.fetch = (url, init) => new Promise((resolve, reject) => {
           const aborted = () => new DOMException('The user aborted a request.', 'AbortError');
           if (how === 'json') { resolve(new Response('{\"title\": \"t\"}')); return; }
           if (how === 'never') { init.signal.addEventListener('abort', () => reject(aborted())); return; }
           resolve(new Response(new ReadableStream({ start(c) {
             c.enqueue(new Uint8Array([123]));
             init.signal.addEventListener('abort', () => c.error(aborted()));
           } })));
         });",
    );
    install.call1(&JsValue::NULL, &JsValue::from_str(how)).expect("fetch replaced");
}

fn real_fetch() {
    Function::new_no_args("if (window.realFetch) window.fetch = window.realFetch;")
        .call0(&JsValue::NULL)
        .expect("restored");
}

#[wasm_bindgen_test]
async fn a_server_that_never_answers_or_stops_halfway_is_given_up_in_time() {
    for how in ["never", "stalls"] {
        serve(how);
        let start = js_sys::Date::now();
        let got = fetch_text("lessons/slow.json", 1024, 300).await;
        real_fetch();
        let took = js_sys::Date::now() - start;
        assert_eq!(got, Err(Unfetched::TimedOut), "{how}");
        assert!((290.0..3_000.0).contains(&took), "{how}: given up after {took} ms, 300 allowed");
    }
}

#[wasm_bindgen_test]
async fn an_answer_within_the_time_is_read_and_the_timer_left_behind_does_nothing() {
    serve("json");
    let got = fetch_text("lessons/quick.json", 1024, 50).await;
    real_fetch();
    assert_eq!(got.as_deref(), Ok("{\"title\": \"t\"}"));
    assert_eq!(lbviz::lesson_player::FETCH_SECONDS, 15);
}
