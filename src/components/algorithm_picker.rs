//! The algorithm picker: every lbcore algorithm with its one-line description, and the
//! algorithm's own parameters (choices, vnodes, decay, load factor, table size) where it has
//! any, each drawn from its row of the settings table.

use lbcore::Scenario;
use std::rc::Rc;
use yew::prelude::*;

use super::controls::setter;
use super::pure::View;
use super::setting_select::{SettingSelectProps, setting_select};
use super::setting_slider::setting_slider;
use crate::state::Action;

/// The algorithm picker, drawn from these inputs (a [`View`]: memoised).
#[derive(PartialEq)]
pub struct AlgorithmPicker {
    /// The scenario as it stands.
    pub scenario: Rc<Scenario>,
    /// Where actions go.
    pub on: Callback<Action>,
}

/// The algorithm select, its description and its parameters.
impl View for AlgorithmPicker {
    fn view(&self) -> Html {
        let s = &self.scenario;
        let on_set = setter(&self.on);
        let param = |name: &'static str| match name {
            "table-size" => setting_select(SettingSelectProps {
                name,
                label: "Lookup table size",
                scenario: s,
                on_set: &on_set,
                ids: false,
                testid: None,
                describedby: None,
            }),
            _ => setting_slider(name, s, &on_set),
        };
        html! {
            <div class="algorithm" data-control="algo">
                { setting_select(SettingSelectProps {
                    name: "algo",
                    label: "Algorithm",
                    scenario: s,
                    on_set: &on_set,
                    ids: true,
                    testid: None,
                    describedby: Some("algo-description"),
                }) }
                <p class="hint" id="algo-description">{ s.algo.describe() }</p>
                { for s.algo.params().iter().map(|p| param(p)) }
            </div>
        }
    }
}
