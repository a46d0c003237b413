//! A slot of the page that the on-demand bundle ([`crate::on_demand`]) draws a view into: the
//! element, saying the view is loading until the bundle has drawn it there, and the call that
//! draws it again whenever its inputs change. The hashing view, compare mode's summary table,
//! predict mode's guesses and the history's charts are drawn this way, one component for all, so that each costs the
//! first load only its inputs.
//!
//! The view runs in the bundle's own wasm instance, whose Yew the lab's does not hear: a view
//! that takes the reader's input marks the element that does with `data-answer`, and the slot
//! hears the click and hands that text to [`OnDemandSlotProps::on_answer`], as it does the
//! detail of an [`ANSWER_EVENT`] the view sends from inside it (when its own work ends, as a
//! file read does); or a form field with `data-setting`, whose changes the slot hands to
//! [`OnDemandSlotProps::on_setting`].

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::on_demand::{self, Failure};

/// The event (a `CustomEvent` that bubbles, its detail a text) by which a view drawn in a slot
/// hands the lab an answer of its own accord.
pub const ANSWER_EVENT: &str = "lbviz-answer";

/// The slot's inputs.
#[derive(Properties, PartialEq)]
pub struct OnDemandSlotProps {
    /// The bundle's export that draws the view: called with the element's id, then `texts`.
    pub export: &'static str,
    /// The element's id.
    pub id: &'static str,
    /// The element's class and test id (`hashing-slot`).
    pub name: &'static str,
    /// What the element says while the view loads (`Loading the hashing view…`).
    pub loading: &'static str,
    /// What the view is, before "could not load" (`The hashing view`).
    pub what: &'static str,
    /// The view's inputs, as texts: new texts draw it again.
    pub texts: Vec<AttrValue>,
    /// Takes the `data-answer` of an element the reader clicks in the view, if the view takes
    /// input.
    #[prop_or_default]
    pub on_answer: Option<Callback<String>>,
    /// Takes `(setting, value)` when the reader changes a form field of the view that names a
    /// setting in `data-setting` (a box's value, or a checkbox's `true` or `false`).
    #[prop_or_default]
    pub on_setting: Option<Callback<(String, String)>>,
}

/// The setting a changed field names (`data-setting`) and its value as text.
fn setting_of(e: &Event) -> Option<(String, String)> {
    let field = e.target()?.dyn_into::<web_sys::Element>().ok()?;
    let name = field.get_attribute("data-setting")?;
    if let Some(input) = field.dyn_ref::<web_sys::HtmlInputElement>() {
        let value = if input.type_() == "checkbox" { input.checked().to_string() } else { input.value() };
        return Some((name, value));
    }
    Some((name, field.dyn_ref::<web_sys::HtmlSelectElement>()?.value()))
}

/// The element, and the call that (re)draws the view in it whenever its texts change; if the
/// bundle does not load, it says so there.
#[function_component]
pub fn OnDemandSlot(props: &OnDemandSlotProps) -> Html {
    let slot = use_node_ref();
    {
        let on_answer = props.on_answer.clone();
        use_effect_with(slot.clone(), move |slot| {
            let listeners = on_answer.zip(slot.cast::<web_sys::Element>()).map(|(on_answer, element)| {
                let told = on_answer.clone();
                let clicked = EventListener::new(&element, "click", move |e| {
                    let target = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
                    let answering = target.and_then(|t| t.closest("[data-answer]").ok().flatten());
                    if let Some(answer) = answering.and_then(|a| a.get_attribute("data-answer")) {
                        on_answer.emit(answer);
                    }
                });
                let answered = EventListener::new(&element, ANSWER_EVENT, move |e| {
                    if let Some(answer) = e.dyn_ref::<web_sys::CustomEvent>().and_then(|c| c.detail().as_string()) {
                        told.emit(answer);
                    }
                });
                (clicked, answered)
            });
            move || drop(listeners)
        });
    }
    {
        let on_setting = props.on_setting.clone();
        use_effect_with(slot.clone(), move |slot| {
            let listener = on_setting.zip(slot.cast::<web_sys::Element>()).map(|(on_setting, element)| {
                EventListener::new(&element, "change", move |e| {
                    if let Some(change) = setting_of(e) {
                        on_setting.emit(change);
                    }
                })
            });
            move || drop(listener)
        });
    }
    let (export, id, what) = (props.export, props.id, props.what);
    use_effect_with(props.texts.clone(), move |texts| {
        let texts: Vec<String> = std::iter::once(id.to_string()).chain(texts.iter().map(|t| t.to_string())).collect();
        wasm_bindgen_futures::spawn_local(async move {
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            if let Err(Failure::NotLoaded(why) | Failure::Refused(why)) = on_demand::call(export, &texts).await {
                on_demand::show_failure(id, what, &why);
            }
        });
    });
    html! {
        <div id={props.id} class={props.name} data-testid={props.name} ref={slot}>
            <p class="loading">{ props.loading }</p>
        </div>
    }
}
