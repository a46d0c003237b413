//! The last routing decisions, newest first, each as the engine's one-sentence explanation.

use std::rc::Rc;

use yew::prelude::*;

/// The log's inputs.
#[derive(Properties, PartialEq)]
pub struct DecisionLogProps {
    /// `(seconds, sentence)`, newest first.
    pub decisions: Rc<Vec<(f64, String)>>,
}

/// The decision log.
#[function_component]
pub fn DecisionLog(props: &DecisionLogProps) -> Html {
    html! {
        <section class="decision-log" aria-labelledby="log-title">
            <h2 id="log-title">{ "Decisions" }<span class="hint">{ " the last 20, newest first" }</span></h2>
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
