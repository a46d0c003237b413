//! The callbacks that set one scenario field from a control, written as the URL writes it,
//! shared by every panel of sliders and selects (not a component).

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::format;
use crate::state::Action;

/// A slider's value as a whole number (a slider's own minimum keeps it in range).
pub fn whole(on: &Callback<Action>, field: &'static str) -> Callback<f64> {
    on.reform(move |v: f64| Action::SetScenarioField(field, format!("{}", v.round().max(0.0) as u64)))
}

/// A slider's value to 3 significant digits.
pub fn decimal(on: &Callback<Action>, field: &'static str) -> Callback<f64> {
    on.reform(move |v: f64| Action::SetScenarioField(field, format::number(v, 3)))
}

/// A select's chosen option's value.
pub fn select(on: &Callback<Action>, field: &'static str) -> Callback<Event> {
    on.reform(move |e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        Action::SetScenarioField(field, select.value())
    })
}
