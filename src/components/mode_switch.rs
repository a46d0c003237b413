//! Automatic, manual, compare or predict: a radio group.

use yew::prelude::*;

use super::pure::View;

use crate::settings::Mode;
use crate::state::Action;

/// The mode radio group, drawn from these inputs (a [`View`]: memoised).
#[derive(PartialEq)]
pub struct ModeSwitch {
    /// The mode now.
    pub mode: Mode,
    /// Where actions go.
    pub on: Callback<Action>,
}

/// The mode radio group.
impl View for ModeSwitch {
    fn view(&self) -> Html {
        let option = |mode: Mode, label: &str| {
            let on = self.on.clone();
            let id = format!("mode-{}", mode.id());
            html! {
                <label for={id.clone()} class={classes!("segment", (self.mode == mode).then_some("on"))}>
                    <input type="radio" name="mode" id={id} value={mode.id()} checked={self.mode == mode}
                           onchange={Callback::from(move |_: Event| on.emit(Action::SetMode(mode)))} />
                    { label.to_string() }
                </label>
            }
        };
        html! {
            <fieldset class="mode-switch" data-control="mode">
                <legend>{ "Mode" }</legend>
                { option(Mode::Auto, "Automatic") }
                { option(Mode::Manual, "Manual") }
                { option(Mode::Compare, "Compare") }
                { option(Mode::Predict, "Predict") }
            </fieldset>
        }
    }
}
