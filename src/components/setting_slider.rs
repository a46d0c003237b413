//! A slider for one scenario setting, drawn from its row of lbcore's settings table: the
//! label, the bounds, the step, linear or in powers of ten, how the value reads (seconds,
//! rates, factors, counts, or a word for 0), the hint, and whether a box takes a typed
//! value. A control says only which setting.

use std::rc::Rc;

use lbcore::Scenario;
use lbcore::scenario::{Kind, Setting, Ui, Unit, setting};
use yew::prelude::*;

use super::slider::{SliderProps, slider};
use crate::format;

/// The slider's inputs.
pub struct SettingSliderProps<'a> {
    /// The setting's name (a row of the settings table that has a slider).
    pub name: &'static str,
    /// The scenario as it stands.
    pub scenario: &'a Rc<Scenario>,
    /// Called with the setting's name and its new value as text.
    pub on_set: &'a Callback<(&'static str, String)>,
    /// A hint that replaces the row's (one that depends on the scenario).
    pub hint: Option<AttrValue>,
    /// A right end that replaces the row's (a bound that depends on another setting).
    pub max: Option<f64>,
}

/// The value as the slider shows it, in the row's unit.
pub fn display(row: &Setting, ui: &Ui, v: f64) -> String {
    match (ui.zero, row.unit, row.kind) {
        (Some(word), _, _) if v == 0.0 => word.to_string(),
        (_, Unit::Seconds, _) => format::seconds(v),
        (_, Unit::PerSecond, _) => format::rate(v),
        (_, Unit::Factor, _) => format::factor(v),
        (_, Unit::None, Kind::Whole) => format::count(v.round().max(0.0) as u64),
        _ => format::number(v, 2),
    }
}

/// The value a slider position sets, as the text [`Scenario::set`] reads.
fn text(row: &Setting, ui: &Ui, position: f64) -> String {
    let v = if ui.log { libm::pow(10.0, position) } else { position };
    if row.kind == Kind::Whole {
        format!("{}", v.round().max(ui.min) as u64)
    } else {
        format::number(v, if ui.log { 2 } else { 3 })
    }
}

/// A slider for the setting `name`, with the row's hint and bounds.
pub fn setting_slider(name: &'static str, scenario: &Rc<Scenario>, on_set: &Callback<(&'static str, String)>) -> Html {
    setting_slider_with(SettingSliderProps { name, scenario, on_set, hint: None, max: None })
}

/// A slider for the setting `name`, with a hint or a right end of the caller's (a plain
/// function, as [`slider`] is).
pub fn setting_slider_with(props: SettingSliderProps) -> Html {
    let Some((row, ui)) = setting(props.name).and_then(|row| Some((row, row.ui?))) else {
        return Html::default();
    };
    let value: f64 = props.scenario.get(props.name).and_then(|t| lbcore::decimal::read(&t)).unwrap_or(ui.min);
    let max = props.max.unwrap_or(ui.max.max(value));
    let scale = |x: f64| if ui.log { libm::log10(x.max(f64::MIN_POSITIVE)) } else { x };
    let on_change = {
        let (on_set, name) = (props.on_set.clone(), props.name);
        Callback::from(move |p: f64| on_set.emit((name, text(row, &ui, p))))
    };
    let hint = props.hint.clone().or(ui.hint.map(AttrValue::Static));
    let typed = ui.typed.then(|| AttrValue::from(format::number(value, 6)));
    let on_typed = ui.typed.then(|| {
        let (on_set, name, scenario) = (props.on_set.clone(), props.name, props.scenario.clone());
        Callback::from(move |t: String| {
            let t = t.trim().to_string();
            // the words the reducer refuses it with, said at the box too (the page's notice may
            // be out of view on a phone)
            let mut next = Scenario::clone(&scenario);
            let refused = match next.set(name, &t) {
                Err(p) => Some(p.to_string()),
                Ok(()) => next.validate().err().map(|p| p.to_string()),
            };
            on_set.emit((name, t));
            refused.map(|p| format!("Not changed: {p}."))
        })
    });
    slider(SliderProps {
        id: AttrValue::Static(props.name),
        label: AttrValue::Static(ui.label),
        min: scale(ui.min),
        max: scale(max),
        step: ui.step,
        value: scale(value),
        display: display(row, &ui, value).into(),
        on_change,
        testid: Some(AttrValue::Static(props.name)),
        hint,
        typed,
        on_typed,
    })
}
