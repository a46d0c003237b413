//! Add a server at the end of the pool, or remove the last one (it drains first).

use yew::prelude::*;

use super::icon::icon;

/// The buttons' inputs ([`pool_buttons`] draws them inside the memoised controls).
#[derive(PartialEq)]
pub struct PoolButtons {
    /// Add a server at the end.
    pub onadd: Callback<()>,
    /// Remove the last server.
    pub onremove: Callback<()>,
}

/// Add server and remove server.
pub fn pool_buttons(props: &PoolButtons) -> Html {
    let send = |to: &Callback<()>| to.reform(|_: MouseEvent| ());
    html! {
        <div class="button-row pool" role="group" aria-label="Servers">
            <button type="button" data-testid="add-server" onclick={send(&props.onadd)}>
                { icon("plus") }{ "Add server" }
            </button>
            <button type="button" data-testid="remove-server" onclick={send(&props.onremove)}>
                { icon("minus") }{ "Remove server" }
            </button>
        </div>
    }
}
