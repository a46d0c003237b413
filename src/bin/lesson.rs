//! The lesson build's entry point: the lab with the guided-lesson player above it
//! ([`lbviz::lesson_player`]). `static/loader.js` loads this build instead of the lab's when
//! the URL names a lesson (`lesson=` or `lesson-data=`), so the lab's own first load carries
//! neither the player nor the lessons' JSON reader.

use lbviz::app::{App, AppProps, Extra};

fn main() {
    lbviz::panic::install();
    let window = web_sys::window().expect("a browser window");
    let query = window.location().search().unwrap_or_default();
    let document = window.document().expect("a document");
    let props = AppProps { query: query.into(), extra: Some(Extra(lbviz::lesson_player::view)) };
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
