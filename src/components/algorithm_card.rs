//! The algorithm card beside the chart: what the current algorithm does, its rule as
//! pseudo-code with the line that decided the last pick highlighted, its cost per pick, and
//! where nginx, HAProxy and Envoy offer it (the facts live in [`crate::algorithm_card_data`]).

use lbcore::{Algorithm, Decision, Outcome};
use yew::prelude::*;

use crate::algorithm_card_data::card;

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
    let c = card(props.algo);
    // A decision made by another algorithm (before a switch) highlights nothing.
    let last = props.last.as_ref().filter(|d| d.algorithm == props.algo);
    // The shared cache answers before the balancer: that request was not picked for at all,
    // so no line of the rule (least of all "reject") decided it.
    let cached = last.is_some_and(|d| matches!(d.outcome, Some(Outcome::SharedCacheHit { .. })));
    let line = last.filter(|_| !cached).and_then(|d| c.deciding_line(d.chosen.as_ref().map(|x| &x.score)));
    let note = match (last, line) {
        (Some(d), Some(l)) => format!("Line {} decided the last pick: {d}.", l + 1),
        (Some(_), None) if cached => {
            "The shared cache answered the last request: the balancer was not asked, so no line decided it.".to_string()
        }
        _ => "Fire a request to see which line decides it.".to_string(),
    };
    html! {
        <section class="algorithm-card" data-testid="algorithm-card" data-algo={props.algo.id()}
                 aria-labelledby="card-title">
            <h3 id="card-title">{ format!("How {} picks", props.algo.id()) }</h3>
            <p class="what">{ c.what }</p>
            <ol class="rule" aria-label="Rule in pseudo-code">
                { for c.rule.iter().enumerate().map(|(i, text)| {
                    let here = line == Some(i);
                    html! {
                        <li class={classes!(here.then_some("decided"))} data-testid={here.then_some("decided-line")}
                            aria-current={here.then_some("step")}>
                            <code>{ *text }</code>
                            if here { <span class="decided-mark">{ "← last pick" }</span> }
                        </li>
                    }
                }) }
            </ol>
            <p class="hint" data-testid="card-note">{ note }</p>
            <dl class="card-facts">
                <dt>{ "Cost per pick" }</dt>
                <dd><strong data-testid="card-cost">{ c.cost }</strong>{ " — " }{ c.cost_note }</dd>
                <dt>{ "nginx" }</dt><dd><code>{ c.nginx }</code></dd>
                <dt>{ "HAProxy" }</dt><dd><code>{ c.haproxy }</code></dd>
                <dt>{ "Envoy lb_policy" }</dt><dd><code>{ c.envoy }</code></dd>
            </dl>
        </section>
    }
}
