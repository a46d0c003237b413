//! A step's question: multiple choice (one right answer, feedback for each choice), or
//! predict the next server, whose answer the engine gives: the learner names a server,
//! one request is fired, and the prediction is right when it went there.

use serde::Serialize;
use serde_json::Value;

use super::read::{Reader, shown};
use super::task::View;
use super::text::Text;

/// Most choices a question offers.
pub const MAX_CHOICES: usize = 8;
/// Longest question, choice or feedback, in characters.
pub const MAX_SHORT_TEXT: usize = 500;

/// One choice of a multiple-choice question.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Choice {
    /// What the learner reads.
    pub text: Text,
    /// Whether it is the right answer (exactly one is).
    pub right: bool,
    /// What the learner reads after picking it.
    pub feedback: Text,
}

/// What is asked.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Pick one of these; answered by its index.
    Choose(Vec<Choice>),
    /// Name the server the next request goes to; answered by a server's name, checked
    /// after the front end fires one request.
    PredictNextServer,
}

/// A question.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Question {
    /// The question as the learner reads it.
    pub ask: Text,
    /// Its kind.
    pub kind: Kind,
}

/// A learner's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// The index of a choice.
    Choice(usize),
    /// A server's name, for a prediction.
    Server(String),
}

/// Whether an answer was right, and what to tell the learner.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    /// Right or not.
    pub right: bool,
    /// The feedback: the choice's own, or for a prediction where the request went.
    pub feedback: String,
}

impl Question {
    /// Checks `answer`. For a prediction, `view` must know where the request fired after
    /// the answer went ([`View::with_last_routed`]); an answer of the wrong kind, or a choice
    /// that is not there, is wrong.
    pub fn check(&self, answer: &Answer, view: &View) -> Verdict {
        match (&self.kind, answer) {
            (Kind::Choose(_), Answer::Choice(i)) => self.choice_verdict(*i),
            (Kind::PredictNextServer, Answer::Server(guess)) => match view.last_routed() {
                Some(went) if went == guess => {
                    Verdict { right: true, feedback: format!("The request went to {went}.") }
                }
                Some(went) => Verdict {
                    right: false,
                    feedback: format!("The request went to {went}, not {}.", crate::scenario::quoted(guess)),
                },
                None => Verdict { right: false, feedback: "No server took the request: it was rejected.".into() },
            },
            _ => Verdict { right: false, feedback: "That answer does not fit this question.".into() },
        }
    }

    /// The verdict on choice `i` of a multiple-choice question (no view needed): the choice's
    /// feedback, and after a wrong one the right answer, so that no learner leaves a question
    /// without it (the choices give way to the feedback once answered, and there is no second
    /// try).
    pub fn choice_verdict(&self, i: usize) -> Verdict {
        let Kind::Choose(choices) = &self.kind else {
            return Verdict { right: false, feedback: "That answer does not fit this question.".into() };
        };
        match (choices.get(i), self.right_choice().and_then(|r| choices.get(r))) {
            (Some(c), _) if c.right => Verdict { right: true, feedback: c.feedback.plain() },
            (Some(c), Some(right)) => {
                let mut feedback = c.feedback.plain();
                if !feedback.ends_with(['.', '!', '?', ':']) {
                    feedback.push('.');
                }
                feedback.push_str(" The answer: ");
                feedback.push_str(right.text.plain().trim_end_matches('.'));
                feedback.push('.');
                Verdict { right: false, feedback }
            }
            (Some(c), None) => Verdict { right: false, feedback: c.feedback.plain() },
            (None, _) => Verdict { right: false, feedback: format!("There is no choice {}.", i + 1) },
        }
    }

    /// The right answer of a multiple-choice question (a prediction's is the engine's).
    pub fn right_choice(&self) -> Option<usize> {
        match &self.kind {
            Kind::Choose(choices) => choices.iter().position(|c| c.right),
            Kind::PredictNextServer => None,
        }
    }

    /// Reads a question at `path`.
    pub(super) fn read(r: &mut Reader, v: &Value, path: &str) -> Option<Question> {
        let map = r.object(v, path, &["ask", "choices", "predict"], &["ask"])?;
        let ask = r.text(map.get("ask")?, &format!("{path}.ask"), MAX_SHORT_TEXT);
        let kind = match (map.get("choices"), map.get("predict")) {
            (Some(c), None) => Kind::Choose(read_choices(r, c, &format!("{path}.choices"))?),
            (None, Some(p)) if p.as_str() == Some("next-server") => Kind::PredictNextServer,
            (None, Some(p)) => {
                r.problem(&format!("{path}.predict"), &shown(p), "allowed: next-server");
                return None;
            }
            _ => {
                r.problem(path, "", "a question has either choices or predict, not both or neither");
                return None;
            }
        };
        Some(Question { ask: ask?, kind })
    }
}

fn read_choices(r: &mut Reader, v: &Value, path: &str) -> Option<Vec<Choice>> {
    let items = r.array(v, path, 2, MAX_CHOICES)?;
    let mut out = Vec::new();
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let Some(m) = r.object(item, &at, &["text", "right", "feedback"], &["text", "feedback"]) else {
            ok = false;
            continue;
        };
        let text = m.get("text").and_then(|t| r.text(t, &format!("{at}.text"), MAX_SHORT_TEXT));
        let feedback = m.get("feedback").and_then(|t| r.text(t, &format!("{at}.feedback"), MAX_SHORT_TEXT));
        let right = match m.get("right") {
            Some(b) => r.boolean(b, &format!("{at}.right")),
            None => Some(false),
        };
        match (text, feedback, right) {
            (Some(text), Some(feedback), Some(right)) => out.push(Choice { text, right, feedback }),
            _ => ok = false,
        }
    }
    if !ok {
        return None;
    }
    let rights = out.iter().filter(|c| c.right).count();
    if rights != 1 {
        r.problem(path, &format!("{rights} right"), "exactly one choice must have \"right\": true");
        return None;
    }
    Some(out)
}
