//! Reading a lesson's JSON by hand, field by field, so that every problem is collected
//! (serde's derive stops at the first) and named by its place: objects only, unknown
//! fields refused, each value checked against what its field allows.

use serde_json::{Map, Value};

use super::problem::{LessonProblem, place};
use super::text::Text;
use crate::scenario::{HIDDEN_CHARACTERS, MAX_PROBLEMS, is_hidden, more_problems, quoted};

/// The problems found so far, and the step being read (`None` at the top).
#[derive(Debug, Default)]
pub(super) struct Reader {
    /// The first [`MAX_PROBLEMS`] problems.
    pub problems: Vec<LessonProblem>,
    /// How many more were found.
    pub more: usize,
    pub step: Option<usize>,
}

/// A value as a message quotes it: a string as it is, anything else as compact JSON
/// ([`crate::json_text`], the text serde_json's `Display` gives, without its float writer).
pub(super) fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => crate::json_text::compact(other),
    }
}

impl Reader {
    /// Notes a problem at `path` (in the current step) with `value`.
    /// Past [`MAX_PROBLEMS`], only counted.
    pub fn problem(&mut self, path: &str, value: &str, message: impl Into<String>) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(LessonProblem::new(place(self.step, path), value, message));
        } else {
            self.more += 1;
        }
    }

    /// The problems found: the first [`MAX_PROBLEMS`], and one for the lesson saying how
    /// many more there are, if any.
    pub fn into_problems(self) -> Vec<LessonProblem> {
        let mut problems = self.problems;
        if self.more > 0 {
            problems.push(LessonProblem::new("lesson", "", more_problems(self.more)));
        }
        problems
    }

    /// `v` as an object whose keys are among `known`; each other key is a problem, and the
    /// fields in `required` must be there.
    pub fn object<'v>(
        &mut self,
        v: &'v Value,
        path: &str,
        known: &[&str],
        required: &[&str],
    ) -> Option<&'v Map<String, Value>> {
        let Some(map) = v.as_object() else {
            self.problem(path, &shown(v), format!("must be an object with {}", known.join(", ")));
            return None;
        };
        for key in map.keys().filter(|k| !known.contains(&k.as_str())) {
            let key = quoted(key);
            let at = if path.is_empty() { key.to_string() } else { format!("{path}.{key}") };
            self.problem(&at, "", format!("unknown field; allowed here: {}", known.join(", ")));
        }
        for key in required.iter().filter(|k| !map.contains_key(**k)) {
            let at = if path.is_empty() { key.to_string() } else { format!("{path}.{key}") };
            self.problem(&at, "", "is missing");
        }
        Some(map)
    }

    /// `v` as an array of `min` to `max` items.
    pub fn array<'v>(&mut self, v: &'v Value, path: &str, min: usize, max: usize) -> Option<&'v [Value]> {
        match v.as_array() {
            Some(items) if (min..=max).contains(&items.len()) => Some(items),
            Some(items) => {
                self.problem(path, &format!("{} items", items.len()), format!("allowed: {min} to {max} items"));
                None
            }
            None => {
                self.problem(path, &shown(v), format!("must be a list of {min} to {max} items"));
                None
            }
        }
    }

    /// `v` as a string of 1 to `max_chars` characters with no control, invisible or
    /// text-direction characters ([`is_hidden`]; a new line is allowed when `lines`).
    pub fn string(&mut self, v: &Value, path: &str, max_chars: usize, lines: bool) -> Option<String> {
        let Some(s) = v.as_str() else {
            self.problem(path, &shown(v), "must be a string");
            return None;
        };
        let count = s.chars().count();
        let hidden = s.chars().any(|c| is_hidden(c) && !(lines && c == '\n'));
        if count == 0 || count > max_chars || hidden {
            let what = if lines { "new lines but no other" } else { "no" };
            self.problem(path, s, format!("allowed: 1 to {max_chars} characters, {what} {HIDDEN_CHARACTERS}"));
            return None;
        }
        Some(s.to_string())
    }

    /// `v` as a whole number from `min` to `max`.
    pub fn whole(&mut self, v: &Value, path: &str, min: u64, max: u64) -> Option<u64> {
        match v.as_u64() {
            Some(n) if (min..=max).contains(&n) => Some(n),
            _ => {
                self.problem(path, &shown(v), format!("allowed: a whole number from {min} to {max}"));
                None
            }
        }
    }

    /// `v` as a number from `min` (excluded when `above`) to `max`.
    pub fn number(&mut self, v: &Value, path: &str, min: f64, above: bool, max: f64) -> Option<f64> {
        let ok = |x: f64| x <= max && if above { x > min } else { x >= min };
        match v.as_f64() {
            Some(x) if ok(x) => Some(x),
            _ => {
                // (crate::decimal rather than `{min}`: the lesson build then carries none of
                // Rust's float formatting)
                let (min, max) = (crate::decimal::shortest(min), crate::decimal::shortest(max));
                let from = if above { format!("above {min} up") } else { format!("from {min}") };
                self.problem(path, &shown(v), format!("allowed: a number {from} to {max}"));
                None
            }
        }
    }

    /// `v` as true or false.
    pub fn boolean(&mut self, v: &Value, path: &str) -> Option<bool> {
        let b = v.as_bool();
        if b.is_none() {
            self.problem(path, &shown(v), "allowed: true or false");
        }
        b
    }

    /// Text with marks at `path`: a string of 1 to `max` characters whose marks close.
    pub fn text(&mut self, v: &Value, path: &str, max: usize) -> Option<Text> {
        let text = Text(self.string(v, path, max, true)?);
        if let Some(mark) = text.open_mark() {
            self.problem(path, &text.0, format!("a {mark} mark is not closed (marks: *emphasis*, `code`)"));
            return None;
        }
        Some(text)
    }
}
