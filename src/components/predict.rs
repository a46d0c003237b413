//! Predict mode: "which server gets the next request?" A button per server; a click is the
//! guess, the app fires one request, and the explanation reveals the engine's choice. The
//! score (right of total) sits in a live region, so screen readers announce it.

use std::rc::Rc;

use lbcore::Health;
use yew::prelude::*;

use crate::snapshot::ServerView;
use crate::state::Action;

/// The quiz's inputs.
#[derive(Properties, PartialEq)]
pub struct PredictProps {
    /// The servers in order.
    pub servers: Rc<Vec<ServerView>>,
    /// Guesses right, and guesses made.
    pub score: (u32, u32),
    /// Where actions go.
    pub on: Callback<Action>,
}

/// The guess buttons and the score.
#[function_component]
pub fn Predict(props: &PredictProps) -> Html {
    let (right, total) = props.score;
    let score = if total == 0 { "No guesses yet.".to_string() } else { format!("Score: {right} of {total} right.") };
    html! {
        <section class="predict" data-testid="predict" aria-labelledby="predict-title">
            <h3 id="predict-title">{ "Which server gets the next request?" }</h3>
            <p class="hint">{ "Click your guess: one request is fired and the balancer's reason is shown." }</p>
            <div class="button-row guesses">
                { for props.servers.iter().filter(|s| !s.removing).map(|s| {
                    let on = props.on.clone();
                    let name = s.name.clone();
                    let down = s.health == Health::Down;
                    html! {
                        <button type="button" class="guess" data-testid={format!("guess-{}", s.name)}
                                onclick={Callback::from(move |_: MouseEvent| on.emit(Action::Predict(name.clone())))}
                                aria-label={format!("Guess {}", s.name)}>
                            { s.name.to_string() }
                            if down { <span class="state down">{ "down" }</span> }
                        </button>
                    }
                }) }
            </div>
            <p class="score" data-testid="predict-score" data-right={right.to_string()} data-total={total.to_string()}
               role="status" aria-live="polite">{ score }</p>
        </section>
    }
}
