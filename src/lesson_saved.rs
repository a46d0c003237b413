//! A learner's place in a lesson, kept across a reload: the step they were on, their
//! progress (tasks done, shown, skipped, the first answer to each question) and the words of
//! those first answers, in the tab's session storage under the lesson's name. A reload, or
//! a frame the course page draws again, resumes there; a new tab starts afresh. A frame
//! that may not use storage (sandboxed without `allow-same-origin`) simply starts at step 1.
//!
//! Kept as a JSON object read through `serde_json::Value` (which the lesson reader links
//! already), not a derived type: typed deserializing would bring serde's error formatting,
//! and with it the standard library's Unicode tables, into a lesson's first load. Written by
//! [`lbcore::json_text`], not `Value`'s `Display`, whose float writer is 7 KB gzip.

use lbcore::lesson::{Lesson, Progress, StepState};
use serde_json::{Value, json};

/// Most bytes of a saved place read back: a lesson has at most 50 steps, and a first
/// answer's words at most 500 characters, so anything longer was not written by this page.
const MAX_BYTES: usize = 64 * 1024;

/// A place as saved.
pub struct Saved {
    /// The lesson's title: a place saved for another lesson of the same name is not used.
    pub title: String,
    /// The step the learner was on (from 0).
    pub step: usize,
    /// The lesson was over (its score showing).
    pub finished: bool,
    /// Each step's state ([`Progress::states`]).
    pub states: Vec<StepState>,
    /// Each step's first answer, in words.
    pub first: Vec<Option<String>>,
}

fn key(id: &str) -> String {
    format!("lbviz-lesson:{id}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// A step's state in a few letters: `d` done, `s` shown, `k` skipped, then `r` or `w` for a
/// first answer right or wrong.
fn letters(s: &StepState) -> String {
    let flags = [(s.done, 'd'), (s.shown, 's'), (s.skipped, 'k')];
    let answer = s.first_answer.map(|right| if right { 'r' } else { 'w' });
    flags.iter().filter(|(on, _)| *on).map(|(_, c)| *c).chain(answer).collect()
}

/// The state [`letters`] wrote, or `None` for a letter it never writes.
fn state_of(letters: &str) -> Option<StepState> {
    let mut s = StepState::default();
    for c in letters.chars() {
        match c {
            'd' => s.done = true,
            's' => s.shown = true,
            'k' => s.skipped = true,
            'r' | 'w' if s.first_answer.is_none() => s.first_answer = Some(c == 'r'),
            _ => return None,
        }
    }
    Some(s)
}

/// Keeps `saved` as the place in the lesson `id`.
pub fn save(id: &str, saved: &Saved) {
    let value = json!({
        "title": saved.title,
        "step": saved.step,
        "finished": saved.finished,
        "states": saved.states.iter().map(letters).collect::<Vec<_>>(),
        "first": saved.first,
    });
    if let Some(storage) = storage() {
        let _ = storage.set_item(&key(id), &lbcore::json_text::compact(&value));
    }
}

/// The place kept for the lesson `id`, if it is one in `lesson`, with the progress it holds.
pub fn load(id: &str, lesson: &Lesson) -> Option<(Saved, Progress)> {
    let json = storage()?.get_item(&key(id)).ok()??;
    let v: Value = (json.len() <= MAX_BYTES).then(|| serde_json::from_str(&json).ok()).flatten()?;
    let list = |k: &str| v.get(k).and_then(Value::as_array);
    let saved = Saved {
        title: v.get("title")?.as_str()?.to_string(),
        step: usize::try_from(v.get("step")?.as_u64()?).ok()?,
        finished: v.get("finished")?.as_bool()?,
        states: list("states")?.iter().map(|s| state_of(s.as_str()?)).collect::<Option<_>>()?,
        first: list("first")?
            .iter()
            .map(|a| if a.is_null() { Some(None) } else { a.as_str().map(|a| Some(a.to_string())) })
            .collect::<Option<_>>()?,
    };
    let n = lesson.steps().len();
    let fits = saved.title == lesson.title && saved.step < n && saved.first.len() == n;
    let progress = fits.then(|| Progress::restored(lesson, saved.states.clone())).flatten()?;
    Some((saved, progress))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_state_comes_back_from_its_letters_and_nothing_else_reads_as_one() {
        let every = [false, true];
        for done in every {
            for shown in every {
                for skipped in every {
                    for first_answer in [None, Some(true), Some(false)] {
                        let s = StepState { done, shown, skipped, first_answer };
                        assert_eq!(state_of(&letters(&s)), Some(s), "{}", letters(&s));
                    }
                }
            }
        }
        assert_eq!(state_of("dx"), None);
        assert_eq!(state_of("rw"), None, "one first answer");
    }
}
