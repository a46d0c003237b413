//! The algorithm picker: every lbcore algorithm with its one-line description, and the
//! algorithm's own parameters (choices, vnodes, decay, load factor, table size) where it has
//! any, each drawn from its row of the settings table.

use lbcore::Scenario;
use std::rc::Rc;
use yew::prelude::*;

use super::controls::setter;
use super::setting_select::SettingSelect;
use super::setting_slider::SettingSlider;
use crate::state::Action;

/// The picker's inputs.
#[derive(Properties, PartialEq)]
pub struct AlgorithmPickerProps {
    /// The scenario as it stands.
    pub scenario: Rc<Scenario>,
    /// Where actions go.
    pub on: Callback<Action>,
}

/// The algorithm select, its description and its parameters.
#[function_component]
pub fn AlgorithmPicker(props: &AlgorithmPickerProps) -> Html {
    let s = &props.scenario;
    let on_set = setter(&props.on);
    let param = |name: &'static str| match name {
        "table-size" => html! {
            <SettingSelect {name} label="Lookup table size" scenario={s.clone()} on_set={on_set.clone()} />
        },
        _ => html! { <SettingSlider {name} scenario={s.clone()} on_set={on_set.clone()} /> },
    };
    html! {
        <div class="algorithm" data-control="algo">
            <SettingSelect name="algo" label="Algorithm" ids=true describedby="algo-description" scenario={s.clone()}
                on_set={on_set.clone()} />
            <p class="hint" id="algo-description">{ s.algo.describe() }</p>
            { for s.algo.params().iter().map(|p| param(p)) }
        </div>
    }
}
