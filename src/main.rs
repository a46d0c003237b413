//! The wasm entry point: installs the panic notice and renders the app into `#app` with the
//! page's query.

use lbviz::app::{App, AppProps};

fn main() {
    lbviz::panic::install();
    let window = web_sys::window().expect("a browser window");
    let query = window.location().search().unwrap_or_default();
    let document = window.document().expect("a document");
    let props = AppProps { query: query.into(), extra: None };
    match document.get_element_by_id("app") {
        Some(root) => {
            root.set_inner_html("");
            yew::Renderer::<App>::with_root_and_props(root, props).render();
        }
        None => {
            yew::Renderer::<App>::with_props(props).render();
        }
    }
}
