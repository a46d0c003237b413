//! Where the Experiments view goes: a closed section of the lab that, opened the first time,
//! loads the view (the `experiments` binary: its own wasm, with the sweep worker) through
//! `static/experiments-loader.js`. The lab's first load stays small, and only a reader who
//! opens the view pays for it.

use yew::prelude::*;

/// The element the Experiments view renders into.
pub const ROOT_ID: &str = "experiments-root";

/// The id of the script element that loads the view, so that it is added once.
const LOADER_ID: &str = "experiments-loader";

/// Adds the loader script to the page, once.
fn load_view() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    if document.get_element_by_id(LOADER_ID).is_some() {
        return;
    }
    let Ok(script) = document.create_element("script") else { return };
    script.set_id(LOADER_ID);
    let _ = script.set_attribute("src", "experiments-loader.js");
    if let Some(head) = document.head() {
        let _ = head.append_child(&script);
    }
}

/// The section's inputs.
#[derive(Properties, PartialEq)]
pub struct ExperimentsSlotProps {
    /// The page's query as it stands: the view reads it from `data-query` when Run is pressed
    /// (the address bar lags by up to the URL sync's throttle).
    pub query: AttrValue,
}

/// The closed Experiments section.
#[function_component]
pub fn ExperimentsSlot(props: &ExperimentsSlotProps) -> Html {
    let ontoggle = Callback::from(|e: Event| {
        let open = e.target_dyn_into::<web_sys::HtmlDetailsElement>().is_some_and(|d| d.open());
        if open {
            load_view();
        }
    });
    html! {
        <details class="panel experiments" data-testid="experiments" data-query={props.query.clone()} {ontoggle}>
            <summary><h2>{ "Experiments: response time against load" }</h2></summary>
            <div id={ROOT_ID}>
                <p class="loading">{ "Loading the experiments…" }</p>
            </div>
        </details>
    }
}
