//! A picker for one choice setting (algorithm, cost distribution, cache, Maglev table size),
//! its options read from its row of lbcore's settings table.

use std::rc::Rc;

use lbcore::Scenario;
use lbcore::scenario::{Allowed, Limits, setting};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::format;

/// The picker's inputs.
pub struct SettingSelectProps<'a> {
    /// The setting's name (a row whose values are choices, or primes with examples).
    pub name: &'static str,
    /// The label.
    pub label: &'static str,
    /// The scenario as it stands.
    pub scenario: &'a Rc<Scenario>,
    /// Called with the setting's name and the chosen value.
    pub on_set: &'a Callback<(&'static str, String)>,
    /// Show each option's id rather than its description (for long descriptions).
    pub ids: bool,
    /// The `data-testid`, when tests know it by another name than the setting's.
    pub testid: Option<&'static str>,
    /// The id of an element that describes the choice.
    pub describedby: Option<&'static str>,
}

/// The `(value, text)` options of a row: its choices, or the example primes the browser
/// allows (plus the current value when it is not one of them).
fn options(name: &str, current: &str, ids: bool) -> Vec<(String, String)> {
    let Some(row) = setting(name) else { return Vec::new() };
    let mut out: Vec<(String, String)> = match row.allowed {
        Allowed::Prime { examples, .. } => examples
            .iter()
            .filter(|&&p| p <= u64::from(Limits::BROWSER.table_size))
            .map(|p| (p.to_string(), format::count(*p)))
            .collect(),
        _ => (row.choices)()
            .into_iter()
            .map(|(id, label)| (id.to_string(), if ids { id } else { label }.to_string()))
            .collect(),
    };
    if !out.iter().any(|(v, _)| v == current) {
        let shown = current.parse().map(format::count).unwrap_or_else(|_| current.to_string());
        out.push((current.to_string(), shown));
    }
    out
}

/// A labelled select for the setting `name` (a plain function: its callers are memoised panels).
pub fn setting_select(props: SettingSelectProps) -> Html {
    let current = props.scenario.get(props.name).unwrap_or_default();
    let onchange = {
        let (on_set, name) = (props.on_set.clone(), props.name);
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            on_set.emit((name, select.value()));
        })
    };
    html! {
        <div class="field" data-field={props.name}>
            <label for={props.name}>{ props.label }</label>
            <select id={props.name} data-testid={props.testid.unwrap_or(props.name)} aria-describedby={props.describedby} {onchange}>
                { for options(props.name, &current, props.ids).into_iter().map(|(value, text)| html! {
                    <option selected={value == current} value={value.clone()}>{ text }</option>
                }) }
            </select>
        </div>
    }
}
