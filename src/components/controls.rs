//! The scenario's sliders: servers, arrival rate, mean request cost, cost variability, server
//! speed spread, workers, queue limit and simulation speed. Each shows only when `controls=`
//! lets it (see [`crate::settings`]).

use std::rc::Rc;

use lbcore::Scenario;
use lbcore::scenario::{CostDist, UNIFORM_MAX_CV};
use yew::prelude::*;

use super::pool_buttons::PoolButtons;
use super::setting_select::SettingSelect;
use super::setting_slider::SettingSlider;
use super::slider::Slider;
use crate::format;
use crate::settings::{Control, MAX_SPEED, MIN_SPEED, Settings};
use crate::state::{Action, MAX_SPREAD, is_ramp, spread_of};

/// The controls' inputs.
#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    /// The scenario as it stands.
    pub scenario: Rc<Scenario>,
    /// The UI settings.
    pub settings: Settings,
    /// The offered load in words, under the arrival rate (see [`format::offered_load`]).
    #[prop_or_default]
    pub load_note: AttrValue,
    /// Where actions go.
    pub on: Callback<Action>,
}

/// The narrow callback a setting's control takes: set this setting to this text.
pub fn setter(on: &Callback<Action>) -> Callback<(&'static str, String)> {
    on.reform(|(field, value)| Action::SetScenarioField(field, value))
}

/// The scenario sliders.
#[function_component]
pub fn Controls(props: &ControlsProps) -> Html {
    let s = &*props.scenario;
    let shows = |c| props.settings.shows(c);
    let on = &props.on;
    let on_set = setter(on);
    let scenario = &props.scenario;
    let slider =
        |name: &'static str| html! { <SettingSlider {name} scenario={scenario.clone()} on_set={on_set.clone()} /> };
    let manual = props.settings.mode.is_manual();

    let servers = shows(Control::Servers).then(|| {
        html! {
            <div class="servers-field" data-control="servers">
            { slider("servers") }
            <PoolButtons onadd={on.reform(|()| Action::AddServer)} onremove={on.reform(|()| Action::RemoveServer)} />
            </div>
        }
    });
    let rate = (shows(Control::Rate) && !manual).then(|| {
        html! {
            <SettingSlider name="rate" scenario={scenario.clone()} on_set={on_set.clone()} hint={props.load_note.clone()} />
        }
    });
    let cost = shows(Control::Cost).then(|| slider("cost"));
    let dist = shows(Control::Dist).then(|| {
        let cv = matches!(s.dist, CostDist::Uniform | CostDist::Lognormal | CostDist::Pareto).then(|| {
            let max = (s.dist == CostDist::Uniform).then_some(UNIFORM_MAX_CV);
            html! { <SettingSlider name="cv" scenario={scenario.clone()} on_set={on_set.clone()} {max} /> }
        });
        html! {
            <>
                <SettingSelect name="dist" label="Request cost distribution" scenario={scenario.clone()}
                    on_set={on_set.clone()} />
                { for cv }
            </>
        }
    });
    let spread = shows(Control::Spread).then(|| {
        let value = spread_of(s);
        let on = on.clone();
        let by_hand = !is_ramp(s);
        let display = if by_hand {
            "uneven".to_string()
        } else if value > 0.0 {
            format!("{} to {}", format::factor(1.0), format::factor(1.0 - value))
        } else {
            "all 1×".to_string()
        };
        let hint = if by_hand {
            "Each server has its own speed (its panel shows it); moving this sets an even fall from 1×."
        } else {
            "Speeds fall evenly from the first server to the last."
        };
        html! {
            <Slider id="spread" label="Server speed spread" min={0.0} max={MAX_SPREAD} step={0.05} value={value}
                display={display} on_change={Callback::from(move |v| on.emit(Action::SetSpread(v)))}
                hint={AttrValue::from(hint)} />
        }
    });
    let workers = shows(Control::Workers).then(|| slider("workers"));
    let queue = shows(Control::Queue).then(|| slider("queue"));
    let speed = shows(Control::Speed).then(|| {
        let on = on.clone();
        let value = props.settings.speed;
        html! {
            <Slider id="speed" label="Simulation speed" testid="speed" min={MIN_SPEED} max={MAX_SPEED} step={0.1}
                value={value} display={format::factor(value)}
                on_change={Callback::from(move |v| on.emit(Action::SetSpeed(v)))} />
        }
    });

    html! {
        <div class="controls">
            { for servers }
            { for rate }
            { for cost }
            { for dist }
            { for spread }
            { for workers }
            { for queue }
            { for speed }
        </div>
    }
}
