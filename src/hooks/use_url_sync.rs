//! Keeps the address bar's query equal to the state's, with history.replaceState (no new
//! history entries), at most once every [`THROTTLE_MS`] while something keeps changing. The URL
//! the page was opened with stays as it is until the first change.

use gloo::timers::callback::Timeout;
use wasm_bindgen::JsValue;
use yew::prelude::*;

/// Least time between two URL writes, in milliseconds.
pub const THROTTLE_MS: u32 = 300;

fn replace_query(query: &str) {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    let path = location.pathname().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    let url = if query.is_empty() { format!("{path}{hash}") } else { format!("{path}?{query}{hash}") };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

/// Writes `query` to the address bar, throttled.
#[hook]
pub fn use_url_sync(query: AttrValue) {
    let written = use_mut_ref(|| query.clone());
    let pending = use_mut_ref(|| None::<AttrValue>);
    let scheduled = use_mut_ref(|| false);
    use_effect_with(query, move |query| {
        *pending.borrow_mut() = Some(query.clone());
        if !*scheduled.borrow() {
            *scheduled.borrow_mut() = true;
            Timeout::new(THROTTLE_MS, move || {
                *scheduled.borrow_mut() = false;
                if let Some(q) = pending.borrow_mut().take()
                    && q != *written.borrow()
                {
                    replace_query(&q);
                    *written.borrow_mut() = q;
                }
            })
            .forget();
        }
    });
}
