//! The Experiments view's own wasm, loaded on demand (see `components::experiments_slot`).
//! On the page it draws the view into `#experiments-root`; in its Web Worker (no window) it
//! registers the sweep worker instead. One binary for both, so the worker needs no download
//! of its own.

use lbviz::components::experiments::Experiments;
use lbviz::components::experiments_slot::ROOT_ID;
use lbviz::experiments::worker;

fn main() {
    if worker::in_worker() {
        console_error_panic_hook::set_once();
        worker::register();
        return;
    }
    lbviz::panic::install();
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(ROOT_ID));
    if let Some(root) = root {
        root.set_inner_html("");
        yew::Renderer::<Experiments>::with_root(root).render();
    }
}
