//! Fire one request, or a burst of ten: the manual lesson's main buttons.

use yew::prelude::*;

use crate::state::Action;

/// The buttons' inputs.
#[derive(Properties, PartialEq)]
pub struct FireButtonsProps {
    /// Where actions go.
    pub on: Callback<Action>,
    /// Draw them large (manual mode).
    #[prop_or_default]
    pub big: bool,
}

/// Fire 1 and fire 10.
#[function_component]
pub fn FireButtons(props: &FireButtonsProps) -> Html {
    let fire = |n: u32| {
        let on = props.on.clone();
        Callback::from(move |_: MouseEvent| on.emit(Action::Fire(n)))
    };
    html! {
        <div class={classes!("button-row", "fire", props.big.then_some("big"))} role="group" aria-label="Send requests" data-control="fire">
            <button type="button" class="primary" data-testid="fire" onclick={fire(1)}>{ "Fire 1 request" }</button>
            <button type="button" data-testid="fire-burst" onclick={fire(10)}>{ "Fire a burst of 10" }</button>
        </div>
    }
}
