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

/// A field: the setting's name, its label, and a line on what it does.
pub type Row = (&'static str, &'static str, &'static str);

/// The panel's settings in groups, in the order it shows them: each a name (a row of the
/// table), the label, and a line on what it does (empty when the label says it).
pub const GROUPS: &[(&str, &[Row])] = &[
    (
        "Clients",
        &[
            ("timeout", "Timeout (seconds)", "How long a client waits for one attempt. Empty: for ever."),
            ("retries", "Retries", "Further attempts after a timeout or a failure, each to another server."),
            ("backoff", "Backoff before a retry", ""),
            ("backoff-base", "Backoff base (seconds)", "Exponential waits base × 2ⁿ before the n-th retry."),
            ("backoff-cap", "Backoff cap (seconds)", ""),
            ("jitter", "Jitter", "Spreads retries out, so they do not arrive together."),
            ("cancel", "Cancel an attempt given up on", "Off: its server still does the work, wasted."),
        ],
    ),
    (
        "Retry budgets",
        &[
            ("retry-budget", "Envoy's budget (% of requests in flight)", "Empty: none."),
            ("retry-min", "Retries it always allows", ""),
            ("retry-bucket", "Finagle's bucket (% of requests)", "Empty: none."),
            ("retry-bucket-ttl", "Deposits last (seconds)", ""),
            ("retry-bucket-min", "Reserve (retries a second)", ""),
        ],
    ),
    (
        "Hedging and queues",
        &[
            ("hedge-after", "Hedge after (seconds, or p95)", "A second copy to another server; the first answer wins."),
            ("queue-order", "Queue order", "LIFO serves the newest first once a queue has stood 100 ms."),
        ],
    ),
    (
        "Circuit breakers",
        &[
            ("max-pending", "Most attempts queued, over the pool", "Beyond it, refused at once. Empty: none."),
            ("max-requests", "Most attempts held, over the pool", ""),
        ],
    ),
    (
        "Faults",
        &[
            ("faults", "Schedule", "SERVER:KIND@START-END, KIND down, slow=F or errors=P."),
            ("error-latency", "An error takes (seconds)", ""),
        ],
    ),
];

/// The faults the panel schedules from now: the `faults` KIND, and its name.
const FAULT_KINDS: [(&str, &str); 3] = [("down", "down"), ("slow=0.2", "slow, x0.2"), ("errors=0.5", "50% errors")];

/// The element the form is drawn into.
pub const ROOT_ID: &str = "resilience-root";

/// The panel's settings of `s` as a scenario query: the rest at their defaults, so that the
/// form is drawn again only when one of its own settings changes.
pub fn query(s: &Scenario) -> String {
    export::scenario_query(&Scenario {
        servers: s.servers,
        names: s.names.clone(),
        timeout: s.timeout,
        retries: s.retries,
        backoff: s.backoff,
        backoff_base: s.backoff_base,
        backoff_cap: s.backoff_cap,
        jitter: s.jitter,
        cancel: s.cancel,
        retry_budget: s.retry_budget,
        retry_min: s.retry_min,
        retry_bucket: s.retry_bucket,
        retry_bucket_ttl: s.retry_bucket_ttl,
        retry_bucket_min: s.retry_bucket_min,
        hedge_after: s.hedge_after,
        queue_order: s.queue_order,
        max_pending: s.max_pending,
        max_requests: s.max_requests,
        faults: s.faults.clone(),
        error_latency: s.error_latency,
        ..Scenario::default()
    })
}

/// The slot the bundle draws the form into, for the settings of `s`; a changed field sets
/// its setting, and the fault scheduled from now is appended to `faults`.
pub fn slot(s: &Scenario, on: &Callback<Action>) -> Html {
    let on_answer = on.reform(Action::FaultFromNow);
    let on = on.clone();
    let on_setting = Callback::from(move |(name, value): (String, String)| {
        // the table's own name for it (a field names one of its rows)
        if let Some(row) = setting(&name) {
            on.emit(Action::SetScenarioField(row.name, value));
        }
    });
    html! {
        <OnDemandSlot export="show_resilience" id={ROOT_ID} name="resilience-slot" loading="Loading the settings…"
            what="The resilience settings" texts={vec![AttrValue::from(query(s))]} {on_setting} {on_answer} />
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
fn field(s: &Scenario, (name, label, hint): Row) -> Html {
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
        Allowed::NumberOr(..) | Allowed::Faults => html! {
            <input type="text" id={id.clone()} data-setting={name} value={value} placeholder="none"
                spellcheck="false" autocomplete="off" aria-describedby={described} />
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

/// "For N seconds from now": a server, a kind of fault and a length, and the button whose
/// `data-answer` (`SERVER:KIND@SECONDS`) the lab hears.
#[function_component]
fn FaultFromNow(props: &ResilienceProps) -> Html {
    let s = export::scenario_of(&props.query);
    let names: Vec<String> = (0..s.servers as usize).map(|i| s.name(i).to_string()).collect();
    let server = use_state(|| names.first().cloned().unwrap_or_default());
    let kind = use_state(|| FAULT_KINDS[0].0);
    let seconds = use_state(|| "5".to_string());
    let pick = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = e.target_dyn_into::<web_sys::HtmlInputElement>().map(|i| i.value()) {
                state.set(v);
            } else if let Some(v) = e.target_dyn_into::<web_sys::HtmlSelectElement>().map(|i| i.value()) {
                state.set(v);
            }
        })
    };
    let on_kind = {
        let kind = kind.clone();
        Callback::from(move |e: Event| {
            let v = e.target_dyn_into::<web_sys::HtmlSelectElement>().map(|i| i.value()).unwrap_or_default();
            kind.set(FAULT_KINDS.iter().find(|(k, _)| *k == v).map_or(FAULT_KINDS[0].0, |(k, _)| k));
        })
    };
    let server_now = if names.contains(&*server) { (*server).clone() } else { names[0].clone() };
    html! {
        <div class="fault-now" data-testid="fault-now" role="group" aria-labelledby="fault-now-title">
            <span class="fault-now-title" id="fault-now-title">{ "Start a fault now:" }</span>
            <select aria-label="Server" onchange={pick(&server)}>
                { for names.iter().map(|n| html! { <option value={n.clone()} selected={*n == server_now}>{ n }</option> }) }
            </select>
            <select aria-label="Fault" onchange={on_kind}>
                { for FAULT_KINDS.iter().map(|&(k, text)| html! { <option value={k} selected={k == *kind}>{ text }</option> }) }
            </select>
            <label>{ "for " }<input type="number" aria-label="Seconds" min="1" max="3600" step="any" inputmode="decimal"
                value={(*seconds).clone()} onchange={pick(&seconds)} />{ " s" }</label>
            <button type="button" data-answer={format!("{server_now}:{}@{}", *kind, *seconds)}>{ "Start now" }</button>
        </div>
    }
}

/// The form (drawn by the on-demand bundle).
#[function_component]
pub fn Resilience(props: &ResilienceProps) -> Html {
    let s = export::scenario_of(&props.query);
    html! {
        <div class="resilience" data-testid="resilience">
            { for GROUPS.iter().map(|&(title, rows)| html! {
                <fieldset>
                    <legend>{ title }</legend>
                    { for rows.iter().map(|&row| field(&s, row)) }
                    if title == "Faults" {
                        <FaultFromNow query={props.query.clone()} />
                    }
                </fieldset>
            }) }
        </div>
    }
}
