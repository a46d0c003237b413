//! Add a server at the end of the pool, or remove the last one (it drains first).

use yew::prelude::*;

use super::icon::Icon;
use crate::state::Action;

/// The buttons' inputs.
#[derive(Properties, PartialEq)]
pub struct PoolButtonsProps {
    /// Where actions go.
    pub on: Callback<Action>,
}

/// Add server and remove server.
#[function_component]
pub fn PoolButtons(props: &PoolButtonsProps) -> Html {
    let send = |a: Action| {
        let on = props.on.clone();
        Callback::from(move |_: MouseEvent| on.emit(a.clone()))
    };
    html! {
        <div class="button-row pool" role="group" aria-label="Servers">
            <button type="button" data-testid="add-server" onclick={send(Action::AddServer)}>
                <Icon name="plus" />{ "Add server" }
            </button>
            <button type="button" data-testid="remove-server" onclick={send(Action::RemoveServer)}>
                <Icon name="minus" />{ "Remove server" }
            </button>
        </div>
    }
}
