//! Predict mode: "which server gets the next request?" A button per server; a click is the
//! guess, the app fires one request, and the explanation reveals the engine's choice. The
//! score (right of total) sits in a live region, so screen readers announce it.
//!
//! The buttons and the score are drawn by the on-demand bundle ([`crate::on_demand`], loaded
//! the first time predict mode is shown): [`slot`] hands it the servers one may guess
//! ([`guesses_text`]) and the score, and a click on a button (its `data-answer`, the server's
//! name) is the guess.

use std::rc::Rc;

use lbcore::Health;
use yew::prelude::*;

use super::on_demand_slot::OnDemandSlot;
use crate::snapshot::ServerView;
use crate::state::Action;

/// A server one may guess: its name, and whether it is down.
pub type Guess = (Rc<str>, bool);

/// The servers one may guess (those not being removed) as text, a line each: `1` for a server
/// that is down or `0`, then its name (a name holds no control character, so no line break).
pub fn guesses_text(servers: &[ServerView]) -> String {
    let line = |s: &ServerView| format!("{}{}", u8::from(s.health == Health::Down), s.name);
    servers.iter().filter(|s| !s.removing).map(line).collect::<Vec<_>>().join("\n")
}

/// The guesses [`guesses_text`] wrote.
pub fn read_guesses(text: &str) -> Vec<Guess> {
    text.lines().filter_map(|l| Some((Rc::from(l.get(1..).filter(|n| !n.is_empty())?), l.starts_with('1')))).collect()
}

/// The quiz's inputs.
#[derive(Properties, PartialEq)]
pub struct PredictProps {
    /// The servers one may guess, in order.
    pub guesses: Rc<Vec<Guess>>,
    /// Guesses right, and guesses made.
    pub score: (u32, u32),
}

/// The guess buttons, each with its server's name in `data-answer`, and the score (drawn by the
/// on-demand bundle, into [`slot`], which hears the clicks).
#[function_component]
pub fn Predict(props: &PredictProps) -> Html {
    let (right, total) = props.score;
    let score = if total == 0 { "No guesses yet.".to_string() } else { format!("Score: {right} of {total} right.") };
    html! {
        <section class="predict" data-testid="predict" aria-labelledby="predict-title">
            <h3 id="predict-title">{ "Which server gets the next request?" }</h3>
            <p class="hint">{ "Click your guess: one request is fired and the balancer's reason is shown." }</p>
            <div class="button-row guesses">
                { for props.guesses.iter().map(|(name, down)| {
                    html! {
                        <button type="button" class="guess" data-testid={format!("guess-{name}")} data-answer={name.clone()}
                                aria-label={format!("Guess {name}")}>
                            { name.to_string() }
                            if *down { <span class="state down">{ "down" }</span> }
                        </button>
                    }
                }) }
            </div>
            <p class="score" data-testid="predict-score" data-right={right.to_string()} data-total={total.to_string()}
               role="status" aria-live="polite">{ score }</p>
        </section>
    }
}

/// The element the on-demand bundle draws the guesses into.
pub const ROOT_ID: &str = "predict-root";

/// The slot the on-demand bundle draws the guesses for `servers` and the `score` into; a
/// click on a guess sends [`Action::Predict`] to `on`.
pub fn slot(servers: &[ServerView], score: (u32, u32), on: &Callback<Action>) -> Html {
    let texts = vec![guesses_text(servers).into(), score.0.to_string().into(), score.1.to_string().into()];
    let on_answer = on.reform(|name: String| Action::Predict(name.into()));
    html! {
        <OnDemandSlot export="show_predict" id={ROOT_ID} name="predict-slot" loading="Loading the guesses…" what="The guesses" {texts} {on_answer} />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_servers_one_may_guess_cross_as_text() {
        let text = "0server1\n1a b\n0\u{e9}t\u{e9}";
        assert_eq!(
            read_guesses(text),
            [(Rc::from("server1"), false), (Rc::from("a b"), true), (Rc::from("\u{e9}t\u{e9}"), false)]
        );
        assert_eq!(read_guesses("0\n"), [], "a line without a name is no server");
    }
}
