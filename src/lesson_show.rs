//! "Show me" for a guided lesson: plays a step's `try` script in the live lab, one move per
//! beat, so that the learner watches the task being done: nine fires are nine requests
//! landing one after another, a `run` is a fast-forward in a few jumps. Every move is an
//! action the lab's own buttons send (fire, complete, fail, heal, drain, a setting), and a
//! `run` is [`Action::Advance`], which does at most a frame's work per beat.

use std::collections::VecDeque;

use lbcore::lesson::Action as Try;
use lbcore::time::{Nanos, from_secs, to_secs};
use yew::Callback;

use crate::state::Action;

/// Milliseconds between two moves.
pub const BEAT_MS: i32 = 300;

/// Waits a beat ([`BEAT_MS`]): a promise the browser's timer resolves (at once outside a
/// browser window).
pub async fn beat() {
    let wait = js_sys::Promise::new(&mut |resolve, _| {
        let timer = web_sys::window()
            .map(|w| w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, BEAT_MS).is_ok());
        if timer != Some(true) {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(wait).await;
}

/// A `run` is shown as this many jumps ahead (more when a jump is cut short by the frame's
/// work budget).
const RUN_JUMPS: f64 = 8.0;

/// Fires and completions up to this many are shown one at a time; more go in one beat.
const ONE_BY_ONE: u32 = 12;

/// One beat of a showing.
#[derive(Clone, Debug, PartialEq)]
pub enum Move {
    /// These actions, at once.
    Do(Vec<Action>),
    /// Run `seconds` ahead of the time the move begins (`until`, once it has).
    Run { seconds: f64, until: Option<Nanos> },
}

/// The moves that play `script`.
pub fn moves(script: &[Try]) -> VecDeque<Move> {
    let one = |a: Action| Move::Do(vec![a]);
    let mut out = VecDeque::new();
    for action in script {
        match action {
            Try::Fire(n) if *n <= ONE_BY_ONE => out.extend((0..*n).map(|_| one(Action::Fire(1)))),
            Try::Fire(n) => out.push_back(one(Action::Fire(*n))),
            Try::Complete { server, times } => {
                let complete = Action::Complete(server.as_str().into());
                if *times <= ONE_BY_ONE {
                    out.extend((0..*times).map(|_| one(complete.clone())));
                } else {
                    out.push_back(Move::Do(vec![complete; *times as usize]));
                }
            }
            Try::Fail(s) => out.push_back(one(Action::Fail(s.as_str().into()))),
            Try::Heal(s) => out.push_back(one(Action::Heal(s.as_str().into()))),
            Try::Drain(s) => out.push_back(one(Action::Drain(s.as_str().into()))),
            Try::Run(seconds) => out.push_back(Move::Run { seconds: *seconds, until: None }),
            Try::Set(pairs) => {
                out.push_back(Move::Do(pairs.iter().map(|(k, v)| Action::SetScenarioField(k, v.clone())).collect()))
            }
        }
    }
    out
}

/// Plays the next beat of `moves` on the lab whose clock reads `now`, through `on`; `false`
/// once nothing is left to play.
pub fn play_next(moves: &mut VecDeque<Move>, now: Nanos, on: &Callback<Action>) -> bool {
    loop {
        match moves.front_mut() {
            None => return false,
            Some(Move::Do(actions)) => {
                for action in std::mem::take(actions) {
                    on.emit(action);
                }
                moves.pop_front();
                return true;
            }
            Some(Move::Run { seconds, until }) => {
                let until = *until.get_or_insert(now.saturating_add(from_secs(*seconds)));
                if now >= until {
                    moves.pop_front();
                    continue;
                }
                on.emit(Action::Advance(to_secs(until - now).min(*seconds / RUN_JUMPS)));
                return true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::rc::Rc;

    use super::*;

    #[test]
    fn a_few_fires_are_shown_one_by_one_and_many_at_once() {
        let shown = moves(&[Try::Fire(3), Try::Fire(500), Try::Complete { server: "s2".into(), times: 2 }]);
        let fire1 = Move::Do(vec![Action::Fire(1)]);
        let complete = Move::Do(vec![Action::Complete("s2".into())]);
        let expected =
            [fire1.clone(), fire1.clone(), fire1, Move::Do(vec![Action::Fire(500)]), complete.clone(), complete];
        assert_eq!(shown, VecDeque::from(expected));
    }

    #[test]
    fn a_run_jumps_ahead_until_its_time_has_passed() {
        let sent = Rc::new(RefCell::new(Vec::new()));
        let on = {
            let sent = sent.clone();
            Callback::from(move |a: Action| sent.borrow_mut().push(a))
        };
        let mut m = moves(&[Try::Run(8.0), Try::Fail("s1".into())]);
        let start = from_secs(2.0);
        assert!(play_next(&mut m, start, &on));
        assert_eq!(sent.borrow().last(), Some(&Action::Advance(1.0)), "an eighth of the run");
        // Cut short by the frame's budget: the next beat asks for what is left, at most a jump.
        assert!(play_next(&mut m, start + from_secs(7.5), &on));
        assert_eq!(sent.borrow().last(), Some(&Action::Advance(0.5)));
        // Its time has passed (the lab's own clock ran too): the next move plays at once.
        assert!(play_next(&mut m, start + from_secs(9.0), &on));
        assert_eq!(sent.borrow().last(), Some(&Action::Fail("s1".into())));
        assert!(!play_next(&mut m, start + from_secs(9.0), &on), "nothing left");
    }
}
