//! The Experiments view's bundle (see `lbviz::on_demand::EXPERIMENTS`), loaded through
//! `static/experiments-loader.js` the first time a reader opens the view: on the page it draws
//! the view into `#experiments-root`; in its Web Worker (no window) it registers the sweep
//! worker instead. One binary for both, so the worker needs no download of its own. The small
//! views are another bundle's (`src/bin/views.rs`).

use std::cell::Cell;

use lbviz::components::experiments::Experiments;
use lbviz::experiments::worker;
use wasm_bindgen::prelude::wasm_bindgen;

fn main() {
    if worker::in_worker() {
        // (the release build stops at a panic without a hook: src/panic.rs)
        #[cfg(not(panic = "immediate-abort"))]
        console_error_panic_hook::set_once();
        worker::register();
        return;
    }
    lbviz::panic::install();
    // the page's app is subtree 0 (lbviz::on_demand::skip_subtree_ids): the view is 1
    lbviz::on_demand::skip_subtree_ids(1);
}

thread_local! {
    /// Whether the view is drawn already (the section may be opened again).
    static SHOWN: Cell<bool> = const { Cell::new(false) };
}

/// Draws the Experiments view into the element with id `root`, once.
#[wasm_bindgen]
pub fn show_experiments(root: &str) {
    if SHOWN.get() {
        return;
    }
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(root));
    if let Some(root) = root {
        SHOWN.set(true);
        root.set_inner_html("");
        yew::Renderer::<Experiments>::with_root(root).render();
    }
}
