//! The last routing decisions, newest first, each as the engine's one-sentence explanation.

use std::rc::Rc;

use yew::prelude::*;

/// The log's inputs: [`decision_log`] draws them each frame (the log is 20 lines).
#[derive(PartialEq)]
pub struct DecisionLog {
    /// `(seconds, sentence)`, newest first.
    pub decisions: Rc<Vec<(f64, String)>>,
    /// Whose decisions they are, when the page shows several (compare mode: the first panel's).
    pub of: Option<AttrValue>,
}

/// The decision log.
pub fn decision_log(props: &DecisionLog) -> Html {
    html! {
        <section class="decision-log" aria-labelledby="log-title">
            <h2 id="log-title">{ "Decisions" }<span class="hint">{
                match &props.of {
                    Some(of) => format!(" {of}: the last 20, newest first"),
                    None => " the last 20, newest first".to_string(),
                }
            }</span></h2>
            if props.decisions.is_empty() {
                <p class="hint">{ "No request routed yet." }</p>
            } else {
                <ol tabindex="0" aria-label="Decisions, newest first">
                    { for props.decisions.iter().map(|(at, text)| html! {
                        <li data-testid="decision"><time>{ format!("{} s", lbcore::decimal::Fixed(*at, 2)) }</time>{ text.clone() }</li>
                    }) }
                </ol>
            }
        </section>
    }
}
