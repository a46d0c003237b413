//! The scenario's sliders: servers, arrival rate, mean request cost, cost variability, server
//! speed spread, workers, queue limit and simulation speed. Each shows only when `controls=`
//! lets it (see [`crate::settings`]).

use std::rc::Rc;

use lbcore::Scenario;
use lbcore::scenario::{CostDist, UNIFORM_MAX_CV};
use yew::prelude::*;

use super::pool_buttons::{PoolButtons, pool_buttons};
use super::pure::View;
use super::setting_select::{SettingSelectProps, setting_select};
use super::setting_slider::{SettingSliderProps, setting_slider, setting_slider_with};
use super::slider::{SliderProps, slider};
use crate::format;
use crate::settings::{Control, MAX_SPEED, MIN_SPEED, Settings};
use crate::state::{Action, MAX_SPREAD, is_ramp, spread_of};

/// The scenario's sliders, drawn from these inputs (a [`View`]: memoised).
#[derive(PartialEq)]
pub struct Controls {
    /// The scenario as it stands.
    pub scenario: Rc<Scenario>,
    /// The UI settings.
    pub settings: Settings,
    /// The offered load in words, under the arrival rate (see [`format::offered_load`]).
    pub load_note: AttrValue,
    /// Where actions go.
    pub on: Callback<Action>,
}

/// The narrow callback a setting's control takes: set this setting to this text.
pub fn setter(on: &Callback<Action>) -> Callback<(&'static str, String)> {
    on.reform(|(field, value)| Action::SetScenarioField(field, value))
}

/// The scenario sliders.
impl View for Controls {
    fn view(&self) -> Html {
        let s = &*self.scenario;
        let shows = |c| self.settings.shows(c);
        let on = &self.on;
        let on_set = setter(on);
        let scenario = &self.scenario;
        let setting = |name: &'static str| setting_slider(name, scenario, &on_set);
        let manual = self.settings.mode.is_manual();

        let servers = shows(Control::Servers).then(|| {
        html! {
            <div class="servers-field" data-control="servers">
            { setting("servers") }
            { pool_buttons(&PoolButtons { onadd: on.reform(|()| Action::AddServer), onremove: on.reform(|()| Action::RemoveServer) }) }
            </div>
        }
    });
        let rate = (shows(Control::Rate) && !manual).then(|| {
            setting_slider_with(SettingSliderProps {
                name: "rate",
                scenario,
                on_set: &on_set,
                hint: Some(self.load_note.clone()),
                max: None,
            })
        });
        let cost = shows(Control::Cost).then(|| setting("cost"));
        let dist = shows(Control::Dist).then(|| {
            let cv = matches!(s.dist, CostDist::Uniform | CostDist::Lognormal | CostDist::Pareto).then(|| {
                let max = (s.dist == CostDist::Uniform).then_some(UNIFORM_MAX_CV);
                setting_slider_with(SettingSliderProps { name: "cv", scenario, on_set: &on_set, hint: None, max })
            });
            html! {
                <>
                    { setting_select(SettingSelectProps {
                        name: "dist",
                        label: "Request cost distribution",
                        scenario,
                        on_set: &on_set,
                        ids: false,
                        testid: None,
                        describedby: None,
                    }) }
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
            slider(SliderProps {
                id: "spread".into(),
                label: "Server speed spread".into(),
                min: 0.0,
                max: MAX_SPREAD,
                step: 0.05,
                value,
                display: display.into(),
                on_change: Callback::from(move |v| on.emit(Action::SetSpread(v))),
                testid: None,
                hint: Some(hint.into()),
                typed: None,
                on_typed: None,
            })
        });
        let workers = shows(Control::Workers).then(|| setting("workers"));
        let queue = shows(Control::Queue).then(|| setting("queue"));
        let speed = shows(Control::Speed).then(|| {
            let on = on.clone();
            let value = self.settings.speed;
            slider(SliderProps {
                id: "speed".into(),
                label: "Simulation speed".into(),
                min: MIN_SPEED,
                max: MAX_SPEED,
                step: 0.1,
                value,
                display: format::factor(value).into(),
                on_change: Callback::from(move |v| on.emit(Action::SetSpeed(v))),
                testid: Some("speed".into()),
                hint: None,
                typed: None,
                on_typed: None,
            })
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
}
