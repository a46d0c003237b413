//! Automatic, manual, compare or predict: a radio group.

use yew::prelude::*;

use crate::settings::Mode;
use crate::state::Action;

/// The switch's inputs.
#[derive(Properties, PartialEq)]
pub struct ModeSwitchProps {
    /// The mode now.
    pub mode: Mode,
    /// Where actions go.
    pub on: Callback<Action>,
}

/// The mode radio group.
#[function_component]
pub fn ModeSwitch(props: &ModeSwitchProps) -> Html {
    let option = |mode: Mode, label: &str| {
        let on = props.on.clone();
        let id = format!("mode-{}", mode.id());
        html! {
            <label for={id.clone()} class={classes!("segment", (props.mode == mode).then_some("on"))}>
                <input type="radio" name="mode" id={id} value={mode.id()} checked={props.mode == mode}
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
