//! The Resilience panel: what clients do when an attempt is slow or fails (timeout, retries,
//! backoff and jitter, cancelling what they gave up on), each a row of lbcore's settings table
//! with its bounds and choices read from there.
//!
//! Few readers open it, so the on-demand bundle ([`crate::on_demand`]) draws the form, into
//! [`slot`], the first time the panel is opened; the lab hands it the settings as they stand
//! ([`query`]) and hears each change of a field (its `data-setting`), which it applies as if a
//! link had said it, refused with the standard message when out of bounds.

use lbcore::Scenario;
use lbcore::decimal::shortest;
use lbcore::scenario::{Allowed, setting};
use yew::prelude::*;

use super::on_demand_slot::OnDemandSlot;
use crate::export;
use crate::state::Action;

/// The panel's settings, in the order it shows them: the name (a row of the table), the
/// label, and a line on what it does (empty when the label says it).
pub const ROWS: &[(&str, &str, &str)] = &[
    ("timeout", "Timeout (seconds)", "How long a client waits for one attempt. Empty: for ever."),
    ("retries", "Retries", "Further attempts after a timeout or a failure, each to another server."),
    ("backoff", "Backoff before a retry", ""),
    ("backoff-base", "Backoff base (seconds)", "Exponential waits base × 2ⁿ before the n-th retry."),
    ("backoff-cap", "Backoff cap (seconds)", ""),
    ("jitter", "Jitter", "Spreads retries out, so they do not arrive together."),
    ("cancel", "Cancel an attempt given up on", "Off: its server still does the work, wasted."),
];

/// The element the form is drawn into.
pub const ROOT_ID: &str = "resilience-root";

/// The panel's settings of `s` as a scenario query: the rest at their defaults, so that the
/// form is drawn again only when one of its own settings changes.
pub fn query(s: &Scenario) -> String {
    export::scenario_query(&Scenario {
        timeout: s.timeout,
        retries: s.retries,
        backoff: s.backoff,
        backoff_base: s.backoff_base,
        backoff_cap: s.backoff_cap,
        jitter: s.jitter,
        cancel: s.cancel,
        ..Scenario::default()
    })
}

/// The slot the bundle draws the form into, for the settings of `s`; a changed field sets
/// its setting.
pub fn slot(s: &Scenario, on: &Callback<Action>) -> Html {
    let on = on.clone();
    let on_setting = Callback::from(move |(name, value): (String, String)| {
        // the table's own name for it (a field names one of its rows)
        if let Some(row) = setting(&name) {
            on.emit(Action::SetScenarioField(row.name, value));
        }
    });
    html! {
        <OnDemandSlot export="show_resilience" id={ROOT_ID} name="resilience-slot" loading="Loading the settings…"
            what="The resilience settings" texts={vec![AttrValue::from(query(s))]} {on_setting} />
    }
}

/// The form's inputs.
#[derive(Properties, PartialEq)]
pub struct ResilienceProps {
    /// The settings as they stand (a [`query`]).
    pub query: AttrValue,
}

/// One field: a box for a number, a list for a choice, a checkbox for a switch, with its
/// setting's name in `data-setting`.
fn field(s: &Scenario, (name, label, hint): (&'static str, &'static str, &'static str)) -> Html {
    let Some(row) = setting(name) else { return Html::default() };
    let value = s.get(name).unwrap_or_default();
    let id = format!("res-{name}");
    let hint_id = format!("{id}-hint");
    let described = (!hint.is_empty()).then(|| hint_id.clone());
    let hint = (!hint.is_empty()).then(|| html! { <p class="hint" id={hint_id}>{ hint }</p> });
    let input = match row.allowed {
        Allowed::Bool => {
            return html! {
                <div class="field check" data-field={name}>
                    <label for={id.clone()}>
                        <input type="checkbox" id={id} data-setting={name} checked={value == "true"} aria-describedby={described} />
                        { label }
                    </label>
                    { for hint }
                </div>
            };
        }
        Allowed::Whole { min, max } => html! {
            <input type="number" id={id.clone()} data-setting={name} inputmode="numeric" min={min.to_string()}
                max={max.to_string()} step="1" value={value} aria-describedby={described} />
        },
        Allowed::Number { min, max, .. } => html! {
            <input type="number" id={id.clone()} data-setting={name} inputmode="decimal" min={shortest(min)}
                max={shortest(max)} step="any" value={value} placeholder={row.default_text().is_empty().then_some("none")}
                aria-describedby={described} />
        },
        _ => html! {
            <select id={id.clone()} data-setting={name} aria-describedby={described}>
                { for (row.choices)().into_iter().map(|(v, text)| html! {
                    <option value={v} selected={v == value}>{ text }</option>
                }) }
            </select>
        },
    };
    html! {
        <div class="field" data-field={name}>
            <label for={id}>{ label }</label>
            { input }
            { for hint }
        </div>
    }
}

/// The form (drawn by the on-demand bundle).
#[function_component]
pub fn Resilience(props: &ResilienceProps) -> Html {
    let s = export::scenario_of(&props.query);
    html! {
        <div class="resilience" data-testid="resilience">
            { for ROWS.iter().map(|&row| field(&s, row)) }
        </div>
    }
}
