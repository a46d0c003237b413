//! A labelled range input that shows its value, or takes a typed one in a box: the one form
//! every numeric control takes.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::format;

/// A slider's inputs.
pub struct SliderProps {
    /// The input's id (the label points at it).
    pub id: AttrValue,
    /// What it sets, in words.
    pub label: AttrValue,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Step between values.
    pub step: f64,
    /// The value now.
    pub value: f64,
    /// The value as shown beside the label (and read out by screen readers).
    pub display: AttrValue,
    /// Called with the new value while the slider moves.
    pub on_change: Callback<f64>,
    /// The `data-testid`, if tests look for it.
    pub testid: Option<AttrValue>,
    /// A line of help under the slider.
    pub hint: Option<AttrValue>,
    /// The value as text in a box that takes a typed one, in place of the shown value.
    pub typed: Option<AttrValue>,
    /// Called with the box's text when a typed value is entered; answers why it is refused,
    /// which the box then says (and keeps the text to mend), or `None`.
    pub on_typed: Option<Callback<String, Option<String>>>,
}

/// A labelled slider with its value shown. A plain function, not a component: its callers are
/// memoised panels, and a component type of its own would cost the first load its share of
/// Yew's machinery.
pub fn slider(props: SliderProps) -> Html {
    let oninput = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let v = input.value_as_number();
            if v.is_finite() {
                on_change.emit(v);
            }
        })
    };
    let hint_id = format!("{}-hint", props.id);
    let shown = match (&props.typed, &props.on_typed) {
        (Some(text), Some(on_typed)) => {
            let on_typed = on_typed.clone();
            let onchange = Callback::from(move |e: Event| {
                let input: HtmlInputElement = e.target_unchecked_into();
                let refused = on_typed.emit(input.value());
                input.set_custom_validity(refused.as_deref().unwrap_or(""));
                input.report_validity();
            });
            html! {
                <input class="typed" type="text" inputmode="decimal" value={text.clone()} {onchange}
                       aria-label={format!("{}, typed", props.label)} data-testid={format!("{}-typed", props.id)} />
            }
        }
        _ => html! { <output for={props.id.clone()}>{ props.display.clone() }</output> },
    };
    html! {
        <div class="field slider" data-field={props.id.clone()}>
            <div class="field-head">
                <label for={props.id.clone()}>{ props.label.clone() }</label>
                { shown }
            </div>
            <input type="range" id={props.id.clone()} min={format::shortest(props.min)} max={format::shortest(props.max)}
                   step={format::shortest(props.step)} value={format::shortest(props.value)}
                   aria-valuetext={props.display.clone()} data-testid={props.testid.clone()}
                   aria-describedby={props.hint.as_ref().map(|_| hint_id.clone())} {oninput} />
            if let Some(hint) = &props.hint {
                <p class="hint" id={hint_id}>{ hint.clone() }</p>
            }
        </div>
    }
}
