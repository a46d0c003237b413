//! The failures panel: how often health checks run (how long a failed server keeps getting
//! requests that fail), whether a failed (or timed-out) request is retried on another server,
//! and with a timeout, whether an attempt its client gave up on is cancelled; and,
//! one click further, the Resilience panel ([`super::resilience`]): timeouts, retries, backoff
//! and jitter, loaded when first opened. Fail, drain and heal themselves are the buttons under
//! each bar.

use std::rc::Rc;

use lbcore::Scenario;
use yew::prelude::*;

use super::controls::setter;
use super::resilience;
use super::setting_slider::setting_slider;
use crate::format;
use crate::state::Action;

/// The panel's inputs.
#[derive(Properties, PartialEq)]
pub struct FailuresPanelProps {
    /// The scenario as it stands.
    pub scenario: Rc<Scenario>,
    /// The run's failed, retried and timed-out requests so far (only these: the panel is drawn
    /// again when one of them changes, not at every frame).
    pub counts: [u64; 3],
    /// Where actions go.
    pub on: Callback<Action>,
}

/// Health-check interval and retry.
#[function_component]
pub fn FailuresPanel(props: &FailuresPanelProps) -> Html {
    let s = &*props.scenario;
    let retry = {
        let on = props.on.clone();
        let next = if s.retries > 0 { "0" } else { "1" };
        Callback::from(move |_: Event| on.emit(Action::SetScenarioField("retries", next.to_string())))
    };
    let cancel = {
        let on = props.on.clone();
        let next = (!s.cancel).to_string();
        Callback::from(move |_: Event| on.emit(Action::SetScenarioField("cancel", next.clone())))
    };
    let timeouts = s.timeout.is_some();
    let retry_label = match (timeouts, s.retries) {
        (false, 0 | 1) => "Retry a failed request once on another server".to_string(),
        (true, 0 | 1) => "Retry a failed or timed-out request once, on another server".to_string(),
        (false, n) => format!("Retry a failed request on another server, up to {n} times"),
        (true, n) => format!("Retry a failed or timed-out request on another server, up to {n} times"),
    };
    let [failed, retried, timed_out] = props.counts;
    let mut counts = format!("{} failed · {} retried", format::count(failed), format::count(retried));
    if timeouts {
        counts = format!("{counts} · {} timed out", format::count(timed_out));
    }
    let opened = use_state_eq(|| false);
    let ontoggle = {
        let opened = opened.clone();
        Callback::from(move |e: Event| opened.set(e.target_unchecked_into::<web_sys::HtmlDetailsElement>().open()))
    };
    html! {
        <section class="failures-panel" data-testid="failures-panel" data-control="failures" aria-labelledby="failures-title">
            <h3 id="failures-title">{ "Failures" }</h3>
            { setting_slider("health-interval", &props.scenario, &setter(&props.on)) }
            <label class="check" for="retry" data-field="retries">
                <input type="checkbox" id="retry" data-testid="retry" checked={s.retries > 0} onchange={retry} />
                { retry_label }
            </label>
            if timeouts {
                <label class="check" for="cancel" data-field="cancel">
                    <input type="checkbox" id="cancel" data-testid="cancel" checked={s.cancel} onchange={cancel} />
                    { "Cancel an attempt its client gave up on" }
                </label>
            }
            <p class="hint" data-testid="failure-counts">{ counts }</p>
            <details class="more-settings" data-testid="resilience-panel" {ontoggle}>
                <summary>{ "Resilience: timeouts, retries, budgets, hedging, breakers, faults" }</summary>
                if *opened {
                    { resilience::slot(s, &props.on) }
                }
            </details>
        </section>
    }
}
