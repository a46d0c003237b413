//! The algorithm card beside the chart: what the current algorithm does, its rule as
//! pseudo-code with the line that decided the last pick highlighted, its cost per pick, and
//! where nginx, HAProxy and Envoy offer it. Those words are not in the lab's wasm: they are the
//! static file [`CARDS_FILE`] (written by [`crate::algorithm_card_data::cards_html`]), which the
//! card fetches the first time it is drawn, once for the page. Yew draws the heading and an
//! empty body; [`fill`] copies the algorithm's section of the file into the body, marks the
//! line whose `data-decides` names the last pick's score kind and writes the note. While the
//! file loads the body says so, and if it cannot be had it says why.

use std::cell::RefCell;

use lbcore::{Algorithm, Decision, Outcome};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlTemplateElement};
use yew::prelude::*;

use crate::algorithm_card_data::{CARDS_FILE, score_kind};
use crate::on_demand::{describe, show_failure};

/// The id of the card's body, which [`fill`] writes.
const BODY_ID: &str = "card-body";
/// The body's class while the words load: it holds about the height they will take.
const LOADING_CLASS: &str = "card-loading";

/// The card's body in the page.
fn body() -> Option<Element> {
    web_sys::window()?.document()?.get_element_by_id(BODY_ID)
}

thread_local! {
    /// The file once fetched, parsed into an inert `<template>`, or why it could not be had;
    /// `None` until then.
    static WORDS: RefCell<Option<Result<HtmlTemplateElement, String>>> = const { RefCell::new(None) };
}

/// Fetches [`CARDS_FILE`] beside the page and parses it into a `<template>` (nothing in it
/// runs or loads).
async fn fetch_words() -> Result<HtmlTemplateElement, String> {
    let failed = |e: JsValue| describe(&e);
    let window = web_sys::window().ok_or("there is no window")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(CARDS_FILE))
        .await
        .map_err(|e| format!("{CARDS_FILE} did not load ({})", describe(&e)))?
        .unchecked_into();
    if !response.ok() {
        return Err(format!("the server answered {} for {CARDS_FILE}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(failed)?).await.map_err(failed)?;
    let template: HtmlTemplateElement =
        window.document().ok_or("there is no page")?.create_element("template").map_err(failed)?.unchecked_into();
    template.set_inner_html(&text.as_string().unwrap_or_default());
    Ok(template)
}

/// What the card says of the last pick by its algorithm: the [`score_kind`] of its chosen
/// server (`none`: rejected), or no kind when the shared cache answered; and the pick in words.
#[derive(Clone, Debug, PartialEq)]
pub struct LastPick {
    /// The score kind, whose line decided the pick.
    pub kind: Option<&'static str>,
    /// The decision, as the decision log writes it.
    pub text: String,
}

impl LastPick {
    /// The last pick `d` as the card of `algo` reads it; none for a decision made by another
    /// algorithm (before a switch), which highlights nothing. The shared cache answers before
    /// the balancer: that request was not picked for at all, so no line of the rule (least of
    /// all "reject") decided it.
    pub fn of(d: &Decision, algo: Algorithm) -> Option<LastPick> {
        let kind = match &d.outcome {
            Some(Outcome::SharedCacheHit { .. }) => None,
            _ => Some(d.chosen.as_ref().map_or("none", |c| score_kind(&c.score))),
        };
        (d.algorithm == algo).then(|| LastPick { kind, text: d.to_string() })
    }

    /// The card's note under the rule, for the `last` pick and the number (from 1) of the line
    /// that decided it.
    pub fn note(last: Option<&LastPick>, line: Option<u32>) -> String {
        match (last, line) {
            (Some(last), Some(n)) => format!("Line {n} decided the last pick: {}.", last.text),
            (Some(LastPick { kind: None, .. }), _) => {
                "The shared cache answered the last request: the balancer was not asked, so no line decided it.".into()
            }
            _ => "Fire a request to see which line decides it.".to_string(),
        }
    }
}

/// Writes the card's body for `algo` from the fetched `words`, marking the line that decided
/// the `last` pick and saying so in the note; `Err` says why it could not.
fn fill(words: &HtmlTemplateElement, algo: Algorithm, last: Option<&LastPick>) -> Result<(), String> {
    let failed = |e: JsValue| describe(&e);
    let document = web_sys::window().and_then(|w| w.document()).ok_or("there is no page")?;
    let body = body().ok_or("the card has no body")?;
    let section: Element = words
        .content()
        .query_selector(&format!("section[data-algo=\"{}\"]", algo.id()))
        .ok()
        .flatten()
        .and_then(|s| s.clone_node_with_deep(true).ok())
        .ok_or_else(|| format!("{CARDS_FILE} has no card for {algo}"))?
        .unchecked_into();
    // The line whose data-decides lists the kind (`~=`: one of its space-separated words),
    // and its number, counted from 1.
    let decided = last.and_then(|l| l.kind).and_then(|kind| {
        let li = section.query_selector(&format!("ol.rule > li[data-decides~=\"{kind}\"]")).ok()??;
        let (mut n, mut before) = (1, li.previous_element_sibling());
        while let Some(b) = before {
            (n, before) = (n + 1, b.previous_element_sibling());
        }
        Some((n, li))
    });
    if let Some((_, li)) = &decided {
        li.set_class_name("decided");
        let _ = li.set_attribute("data-testid", "decided-line");
        let _ = li.set_attribute("aria-current", "step");
        let mark = document.create_element("span").map_err(failed)?;
        mark.set_class_name("decided-mark");
        mark.set_text_content(Some("← last pick"));
        li.append_child(&mark).map_err(failed)?;
    }
    let note = LastPick::note(last, decided.as_ref().map(|(n, _)| *n));
    if let Ok(Some(p)) = section.query_selector("[data-testid=card-note]") {
        p.set_text_content(Some(&note));
    }
    body.set_text_content(None);
    body.set_class_name("");
    body.append_child(&section).map_err(failed)?;
    Ok(())
}

/// The card's inputs.
#[derive(Properties, PartialEq)]
pub struct AlgorithmCardProps {
    /// The algorithm now.
    pub algo: Algorithm,
    /// The last decision, if any (its score picks the highlighted line).
    pub last: Option<Decision>,
}

/// The card.
#[function_component]
pub fn AlgorithmCard(props: &AlgorithmCardProps) -> Html {
    let algo = props.algo;
    let last = props.last.as_ref().and_then(|d| LastPick::of(d, algo));
    let fetched = use_state(|| false);
    let asked = use_mut_ref(|| false);
    use_effect_with((algo, last, *fetched), move |(algo, last, _)| {
        let drawn = WORDS.with_borrow(|words| match words {
            Some(Ok(words)) => Some(fill(words, *algo, last.as_ref())),
            Some(Err(why)) => Some(Err(why.clone())),
            None => None,
        });
        match drawn {
            Some(Err(why)) => {
                if let Some(body) = body() {
                    body.set_class_name("");
                }
                show_failure(BODY_ID, "The algorithm's card", &why)
            }
            Some(Ok(())) => {}
            None => {
                // The place the words will take, held while they load (style.css), so that
                // what is below the card does not jump when they come: the history below would
                // otherwise be near the viewport for a moment at start and load its bundle.
                if let Some(body) = body() {
                    body.set_class_name(LOADING_CLASS);
                    body.set_text_content(Some("Loading the algorithm's card…"));
                }
                if !asked.replace(true) {
                    wasm_bindgen_futures::spawn_local(async move {
                        let words = fetch_words().await;
                        WORDS.set(Some(words));
                        fetched.set(true);
                    });
                }
            }
        }
    });
    html! {
        <section class="algorithm-card" data-testid="algorithm-card" data-algo={algo.id()}
                 aria-labelledby="card-title">
            <h3 id="card-title">{ format!("How {} picks", algo.id()) }</h3>
            <div id={BODY_ID}></div>
        </section>
    }
}
