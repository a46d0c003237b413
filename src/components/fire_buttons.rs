//! Fire one request, or a burst of ten: the manual lesson's main buttons.

use yew::prelude::*;

use super::pure::View;

use crate::state::Action;

/// Fire 1 and fire 10, drawn from these inputs (a [`View`]: memoised).
#[derive(PartialEq)]
pub struct FireButtons {
    /// Where actions go.
    pub on: Callback<Action>,
    /// Draw them large (manual mode).
    pub big: bool,
}

/// Fire 1 and fire 10.
impl View for FireButtons {
    fn view(&self) -> Html {
        let fire = |n: u32| {
            let on = self.on.clone();
            Callback::from(move |_: MouseEvent| on.emit(Action::Fire(n)))
        };
        html! {
            <div class={classes!("button-row", "fire", self.big.then_some("big"))} role="group" aria-label="Send requests" data-control="fire">
                <button type="button" class="primary" data-testid="fire" onclick={fire(1)}>{ "Fire 1 request" }</button>
                <button type="button" data-testid="fire-burst" onclick={fire(10)}>{ "Fire a burst of 10" }</button>
            </div>
        }
    }
}
