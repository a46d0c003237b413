//! One server's panel, opened by clicking its bar or its name: its weight and speed (rows
//! `weights` and `speeds` of the settings table, set through the same action a URL's
//! `weights=`/`speeds=` takes), and complete, drain, fail, heal and remove. Previous and Next
//! reach every server from the keyboard, named or not under the bars.

use std::rc::Rc;

use yew::prelude::*;

use super::server_actions::{ServerCallbacks, health_buttons};
use super::slider::{SliderProps, slider};
use crate::format;
use crate::snapshot::ServerView;
use crate::state::Action;

/// Largest weight the slider offers (the setting allows up to 1000, from a URL).
const WEIGHT_MAX: f64 = 10.0;
/// Speeds the slider offers, as a factor of 1.
const SPEED_RANGE: (f64, f64) = (0.1, 4.0);

/// The panel's inputs: [`server_panel`] draws it each frame (its server's counts change).
#[derive(PartialEq)]
pub struct ServerPanel {
    /// Every server in order (the panel's list of weights and speeds is theirs).
    pub servers: Rc<Vec<ServerView>>,
    /// The server shown.
    pub index: usize,
    /// Where actions go.
    pub on: Callback<Action>,
    /// Complete, drain, fail and heal.
    pub actions: ServerCallbacks,
}

/// The list setting `field` with server `i`'s value replaced: the URL's form.
fn list(servers: &[ServerView], i: usize, value: &str, of: impl Fn(&ServerView) -> String) -> String {
    let each = servers.iter().enumerate().map(|(j, s)| if j == i { value.to_string() } else { of(s) });
    each.collect::<Vec<_>>().join(",")
}

/// The controls of one server.
pub fn server_panel(props: &ServerPanel) -> Html {
    let servers = &props.servers;
    let n = servers.len();
    let i = props.index.min(n.saturating_sub(1));
    let s = &servers[i];
    let name = s.name.clone();
    let health = health_buttons(&name, s.health, &props.actions);
    let set = |field: &'static str, of: fn(&ServerView) -> String| {
        let (on, servers) = (props.on.clone(), servers.clone());
        Callback::from(move |v: f64| {
            let value = format::number(v, 3);
            on.emit(Action::SetScenarioField(field, list(&servers, i, &value, of)))
        })
    };
    let go = |to: Option<usize>| {
        let name = to.map(|j| servers[j % n].name.clone());
        props.on.reform(move |_: MouseEvent| Action::Pick(name.clone()))
    };
    let complete = props.actions.complete.reform({
        let name = name.clone();
        move |_: MouseEvent| name.clone()
    });
    let remove = props.on.reform({
        let name = name.clone();
        move |_: MouseEvent| Action::Remove(name.clone())
    });
    html! {
        <section class="server-panel" data-testid="server-panel" aria-label={format!("{name} controls")}>
            <div class="server-panel-head">
                <h3>{ &*name }</h3>
                <div class="button-row">
                    <button type="button" class="quiet" onclick={go(Some(i + n - 1))} aria-label="Previous server">{ "‹" }</button>
                    <button type="button" class="quiet" onclick={go(Some(i + 1))} aria-label="Next server">{ "›" }</button>
                    <button type="button" class="quiet" data-testid="server-panel-close" onclick={go(None)}>{ "Close" }</button>
                </div>
            </div>
            <div class="server-panel-body">
                { slider(SliderProps {
                    id: "server-weight".into(),
                    label: format!("Weight of {name}").into(),
                    min: 0.0,
                    max: WEIGHT_MAX.max(s.weight as f64),
                    step: 1.0,
                    value: s.weight as f64,
                    display: s.weight.to_string().into(),
                    on_change: set("weights", |s| s.weight.to_string()),
                    testid: Some("server-weight".into()),
                    hint: Some("Weighted algorithms send it this share; 0 takes it out of rotation.".into()),
                    typed: None,
                    on_typed: None,
                }) }
                { slider(SliderProps {
                    id: "server-speed".into(),
                    label: format!("Speed of {name}").into(),
                    min: SPEED_RANGE.0,
                    max: SPEED_RANGE.1.max(s.speed),
                    step: 0.05,
                    value: s.speed,
                    display: format::factor(s.speed).into(),
                    on_change: set("speeds", |s| format::number(s.speed, 3)),
                    testid: Some("server-speed".into()),
                    hint: None,
                    typed: None,
                    on_typed: None,
                }) }
                <div class="button-row">
                    <button type="button" data-testid="server-panel-complete" onclick={complete}>{ "Complete one" }</button>
                    { health }
                    <button type="button" class="quiet" data-testid="server-panel-remove" onclick={remove}>{ "Remove" }</button>
                </div>
            </div>
        </section>
    }
}
