//! What is wrong with a lesson, and where: every problem names its place in the lesson
//! (`step 3, task.when[1].server`), quotes the value short and says what is allowed.

use std::fmt;

use crate::scenario::{quote_short, quoted};

/// One problem with a lesson.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LessonProblem {
    /// Where: `title`, `steps`, or `step 3, task.when[1].server` (steps count from 1); a key
    /// the lesson gave is written as [`quoted`] shows it.
    pub at: String,
    /// The value found there, cut to [`crate::scenario::QUOTE_CHARS`] characters (empty when
    /// the field is missing).
    pub value: String,
    /// What is wrong or what is allowed.
    pub message: String,
}

impl LessonProblem {
    /// A problem at `at` with `value` (quoted short).
    pub fn new(at: impl Into<String>, value: &str, message: impl Into<String>) -> LessonProblem {
        LessonProblem { at: at.into(), value: quote_short(value), message: message.into() }
    }
}

impl fmt::Display for LessonProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.value.is_empty() {
            write!(f, "{}: {}", self.at, self.message)
        } else {
            write!(f, "{} \"{}\": {}", self.at, quoted(&self.value), self.message)
        }
    }
}

/// The problems found in a lesson, at least one: the first [`MAX_PROBLEMS`], and past them
/// one more, at `lesson`, saying how many more there are.
///
/// [`MAX_PROBLEMS`]: crate::scenario::MAX_PROBLEMS
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonProblems(pub Vec<LessonProblem>);

impl fmt::Display for LessonProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LessonProblems {}

/// The place of a field: `step N, path` for a step's field (`n` counts from 0), or the
/// path alone at the top.
pub(super) fn place(step: Option<usize>, path: &str) -> String {
    match step {
        Some(n) => format!("step {}, {path}", n + 1),
        None => path.to_string(),
    }
}
