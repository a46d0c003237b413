//! Where the Experiments view goes: a closed section of the lab that, opened the first time,
//! loads the view (the on-demand bundle, [`crate::on_demand`]: its own wasm, with the sweep
//! worker). The lab's first load stays small, and only a reader who opens the view pays for it.

use yew::prelude::*;

use crate::on_demand::{self, Failure};

/// The element the Experiments view renders into.
pub const ROOT_ID: &str = "experiments-root";

/// Loads the on-demand bundle and draws the view into [`ROOT_ID`]; if the bundle does not
/// load, says so there instead.
fn load_view() {
    wasm_bindgen_futures::spawn_local(async {
        if let Err(Failure::NotLoaded(why) | Failure::Refused(why)) =
            on_demand::call("show_experiments", &[ROOT_ID]).await
        {
            on_demand::show_failure(ROOT_ID, "The experiments", &why);
        }
    });
}

/// The section's inputs, drawn by [`experiments_slot`].
#[derive(PartialEq)]
pub struct ExperimentsSlot {
    /// The page's query as it stands: the view reads it from `data-query` when Run is pressed
    /// (the address bar lags by up to the URL sync's throttle).
    pub query: AttrValue,
}

/// The closed Experiments section.
pub fn experiments_slot(props: &ExperimentsSlot) -> Html {
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
