//! Add a server at the end of the pool, or remove the last one (it drains first).

use yew::prelude::*;

use super::icon::Icon;

/// The buttons' inputs.
#[derive(Properties, PartialEq)]
pub struct PoolButtonsProps {
    /// Add a server at the end.
    pub onadd: Callback<()>,
    /// Remove the last server.
    pub onremove: Callback<()>,
}

/// Add server and remove server.
#[function_component]
pub fn PoolButtons(props: &PoolButtonsProps) -> Html {
    let send = |to: &Callback<()>| to.reform(|_: MouseEvent| ());
    html! {
        <div class="button-row pool" role="group" aria-label="Servers">
            <button type="button" data-testid="add-server" onclick={send(&props.onadd)}>
                <Icon name="plus" />{ "Add server" }
            </button>
            <button type="button" data-testid="remove-server" onclick={send(&props.onremove)}>
                <Icon name="minus" />{ "Remove server" }
            </button>
        </div>
    }
}
