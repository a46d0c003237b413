//! The algorithm picker: every lbcore algorithm with its one-line description, and the
//! algorithm's own parameters (choices, vnodes, decay, load factor, table size) where it has any.

use lbcore::{Algorithm, Scenario};
use std::rc::Rc;
use yew::prelude::*;

use super::set_field;
use super::slider::Slider;
use crate::format;
use crate::state::Action;

/// Maglev table sizes offered (primes).
const TABLE_SIZES: [u32; 5] = [251, 4093, 65_537, 655_373, 5_000_011];

/// The picker's inputs.
#[derive(Properties, PartialEq)]
pub struct AlgorithmPickerProps {
    /// The scenario as it stands.
    pub scenario: Rc<Scenario>,
    /// Where actions go.
    pub on: Callback<Action>,
}

/// One parameter's control.
fn param(field: &str, s: &Scenario, on: &Callback<Action>) -> Html {
    match field {
        "choices" => html! {
            <Slider id="choices" label="Choices (d)" min={1.0} max={10.0_f64.max(s.choices as f64)} step={1.0}
                value={s.choices as f64} display={s.choices.to_string()} on_change={set_field::whole(on, "choices")}
                hint="Servers sampled per request." />
        },
        "vnodes" => html! {
            <Slider id="vnodes" label="Virtual nodes per server" min={1.0} max={500.0_f64.max(s.vnodes as f64)}
                step={1.0} value={s.vnodes as f64} display={s.vnodes.to_string()}
                on_change={set_field::whole(on, "vnodes")} />
        },
        "decay" => html! {
            <Slider id="decay" label="Decay time" min={0.1} max={60.0_f64.max(s.decay)} step={0.1} value={s.decay}
                display={format::seconds(s.decay)} on_change={set_field::decimal(on, "decay")} />
        },
        "load-factor" => html! {
            <Slider id="load-factor" label="Load factor" min={1.0} max={3.0_f64.max(s.load_factor)} step={0.05}
                value={s.load_factor} display={format::factor(s.load_factor)}
                on_change={set_field::decimal(on, "load-factor")}
                hint="Most load a server may take, times the average." />
        },
        "table-size" => html! {
            <div class="field">
                <label for="table-size">{ "Lookup table size" }</label>
                <select id="table-size" onchange={set_field::select(on, "table-size")}>
                    { for TABLE_SIZES.iter().chain((!TABLE_SIZES.contains(&s.table_size)).then_some(&s.table_size))
                        .map(|t| html! { <option value={t.to_string()} selected={*t == s.table_size}>{ format::count(*t as u64) }</option> }) }
                </select>
            </div>
        },
        _ => Html::default(),
    }
}

/// The algorithm select, its description and its parameters.
#[function_component]
pub fn AlgorithmPicker(props: &AlgorithmPickerProps) -> Html {
    let s = &*props.scenario;
    html! {
        <div class="algorithm">
            <div class="field">
                <label for="algo">{ "Algorithm" }</label>
                <select id="algo" data-testid="algo" aria-describedby="algo-description"
                        onchange={set_field::select(&props.on, "algo")}>
                    { for Algorithm::ALL.iter().map(|a| html! {
                        <option value={a.id()} selected={*a == s.algo}>{ a.id() }</option>
                    }) }
                </select>
                <p class="hint" id="algo-description">{ s.algo.describe() }</p>
            </div>
            { for s.algo.params().iter().map(|p| param(p, s, &props.on)) }
        </div>
    }
}
