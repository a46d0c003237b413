//! A labelled range input that shows its value: the one form every numeric control takes.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::format;

/// A slider's inputs.
#[derive(Properties, PartialEq)]
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
    #[prop_or_default]
    pub testid: Option<AttrValue>,
    /// A line of help under the slider.
    #[prop_or_default]
    pub hint: Option<AttrValue>,
}

/// A labelled slider with its value shown.
#[function_component]
pub fn Slider(props: &SliderProps) -> Html {
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
    html! {
        <div class="field slider">
            <div class="field-head">
                <label for={props.id.clone()}>{ props.label.clone() }</label>
                <output for={props.id.clone()}>{ props.display.clone() }</output>
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
