//! The scenario's sliders: servers, arrival rate, mean request cost, cost variability, server
//! speed spread, workers, queue limit and simulation speed. Each shows only when `controls=`
//! lets it (see [`crate::settings`]).

use std::rc::Rc;

use lbcore::Scenario;
use lbcore::scenario::CostDist;
use yew::prelude::*;

use super::pool_buttons::PoolButtons;
use super::set_field;
use super::slider::Slider;
use crate::format;
use crate::settings::MAX_UI_SERVERS;
use crate::settings::{Control, MAX_SPEED, MIN_SPEED, Settings};
use crate::state::{Action, MAX_SPREAD, spread_of};

/// The controls' inputs.
#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    /// The scenario as it stands.
    pub scenario: Rc<Scenario>,
    /// The UI settings.
    pub settings: Settings,
    /// Where actions go.
    pub on: Callback<Action>,
}

const DISTRIBUTIONS: [(CostDist, &str, &str); 5] = [
    (CostDist::Const, "const", "constant"),
    (CostDist::Exp, "exp", "exponential"),
    (CostDist::Uniform, "uniform", "uniform"),
    (CostDist::Lognormal, "lognormal", "log-normal"),
    (CostDist::Pareto, "pareto", "Pareto (heavy tail)"),
];

/// The scenario sliders.
#[function_component]
pub fn Controls(props: &ControlsProps) -> Html {
    let s = &*props.scenario;
    let shows = |c| props.settings.shows(c);
    let on = &props.on;
    let manual = props.settings.mode.is_manual();
    let capacity = s.capacity();

    let servers = shows(Control::Servers).then(|| {
        html! {
            <div class="servers-field">
            <Slider id="servers" label="Servers" testid="servers" min={1.0}
                max={MAX_UI_SERVERS.max(s.servers) as f64} step={1.0} value={s.servers as f64}
                display={s.servers.to_string()} on_change={set_field::whole(on, "servers")} />
            <PoolButtons onadd={on.reform(|()| Action::AddServer)} onremove={on.reform(|()| Action::RemoveServer)} />
            </div>
        }
    });
    let rate = (shows(Control::Rate) && !manual).then(|| {
        let hint = format!("Offered load {:.0}% of capacity ({}).", s.load() * 100.0, format::rate(capacity));
        html! {
            <Slider id="rate" label="Arrival rate" testid="rate" min={0.0} max={2000.0_f64.max(s.rate)} step={1.0}
                value={s.rate} display={format::rate(s.rate)} on_change={set_field::decimal(on, "rate")} hint={hint} />
        }
    });
    let cost = shows(Control::Cost).then(|| {
        let on = on.clone();
        let on_change = Callback::from(move |p: f64| {
            let ms = 10f64.powf(p);
            on.emit(Action::SetScenarioField("cost", format::number(ms / 1000.0, 2)));
        });
        html! {
            <Slider id="cost" label="Mean request cost" min={0.0} max={3.3} step={0.01}
                value={(s.cost * 1000.0).max(1.0).log10()} display={format::seconds(s.cost)} {on_change}
                hint="Seconds of work at speed 1×." />
        }
    });
    let dist = shows(Control::Dist).then(|| {
        let onchange = set_field::select(on, "dist");
        let cv = matches!(s.dist, CostDist::Uniform | CostDist::Lognormal | CostDist::Pareto).then(|| {
            let (min, max) = if s.dist == CostDist::Uniform { (0.0, 0.57) } else { (0.05, 4.0) };
            html! {
                <Slider id="cv" label="Variability (coefficient of variation)" min={min} max={max} step={0.01}
                    value={s.cv} display={format::number(s.cv, 2)} on_change={set_field::decimal(on, "cv")} />
            }
        });
        html! {
            <>
                <div class="field">
                    <label for="dist">{ "Request cost distribution" }</label>
                    <select id="dist" {onchange}>
                        { for DISTRIBUTIONS.iter().map(|(d, id, label)| html! {
                            <option value={*id} selected={s.dist == *d}>{ *label }</option>
                        }) }
                    </select>
                </div>
                { for cv }
            </>
        }
    });
    let spread = shows(Control::Spread).then(|| {
        let value = spread_of(s);
        let on = on.clone();
        let display = if value > 0.0 {
            format!("{} to {}", format::factor(1.0), format::factor(1.0 - value))
        } else {
            "all 1×".to_string()
        };
        html! {
            <Slider id="spread" label="Server speed spread" min={0.0} max={MAX_SPREAD} step={0.05} value={value}
                display={display} on_change={Callback::from(move |v| on.emit(Action::SetSpread(v)))}
                hint="Speeds fall evenly from the first server to the last." />
        }
    });
    let workers = shows(Control::Workers).then(|| {
        html! {
            <Slider id="workers" label="Workers per server" min={1.0} max={16.0_f64.max(s.workers as f64)} step={1.0}
                value={s.workers as f64} display={s.workers.to_string()} on_change={set_field::whole(on, "workers")} />
        }
    });
    let queue = shows(Control::Queue).then(|| {
        html! {
            <Slider id="queue" label="Queue limit per server" min={0.0} max={200.0_f64.max(s.queue as f64)}
                step={1.0} value={s.queue as f64} display={s.queue.to_string()} on_change={set_field::whole(on, "queue")} />
        }
    });
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
