//! Guided lessons: a short sequence of steps, each with text, the scenario it starts from,
//! an optional task the engine checks and an optional question. Pure data and rules, no
//! web dependency: the browser's lesson player and `lbsim lesson check` both build on it.
//!
//! - [`Lesson::parse`] reads and validates a lesson's JSON (the format is in docs/lessons.md,
//!   "The format"), reporting every problem by step and field ([`LessonProblem`]).
//! - [`Lesson::steps`]: each [`Step`] has its [`Text`], its [`Start`] (a scenario query or
//!   `continue`), an optional [`Task`] ([`Task::is_done`] over a [`View`] of the engine), an
//!   optional `try` script of [`Action`]s that completes the task, and an optional
//!   [`Question`] ([`Question::check`] gives a [`Verdict`]).
//! - [`Progress`] follows a learner through the steps and gives the [`Score`].
//! - [`play`] runs a lesson headless: each step's `try` until its task is done, within a
//!   bounded number of events, and each prediction's answer; a task done before the learner
//!   acts (as the step starts, or with the step left alone) is refused ([`Outcome::Early`]).
//! - [`builtin`]: the lessons that ship with lbviz, in `lessons/*.json` at the repository's root.
//! - [`Check`]: the report `lbsim lesson check` prints and the page's "Check this lesson"
//!   shows, a step's line at a time ([`refused`] for a lesson that is not valid).
//! - [`unencoded`]: why a `lesson-data=` link that does not parse looks written without
//!   percent-encoding (an `&`, `#`, `+` or `%` of its JSON read as the URL's own).
//!
//! Module files: `read.rs` (the JSON walker), `problem.rs`, `text.rs`, `task.rs`,
//! `wording.rs` (a condition in words), `question.rs`, `action.rs`, `score.rs`, `play.rs`,
//! `shown.rs`, `builtin.rs`, `check.rs`, `link.rs`.

mod action;
pub mod builtin;
mod check;
mod link;
mod play;
mod problem;
mod question;
mod read;
mod score;
mod shown;
mod task;
mod text;
mod wording;

pub use action::{Action, MAX_ACTIONS, MAX_FIRE, MAX_RUN_SECONDS, MAX_TIMES};
pub use check::{Check, PASSED, refused};
pub use link::unencoded;
pub use play::{
    MAX_REPLAY_EVENTS, MAX_ROUTED, MAX_STEP_EVENTS, MIN_LEFT_ALONE_SECONDS, Outcome, Playing, StepReport, play,
    play_each,
};
pub use problem::{LessonProblem, LessonProblems};
pub use question::{Answer, Choice, Kind, MAX_CHOICES, MAX_SHORT_TEXT, Question, Verdict};
pub use score::{Progress, Score, StepState};
pub use shown::{EVERY_STEP, used};
pub use task::{Bound, Condition, MAX_CONDITIONS, Mark, Quantity, ServerFact, Task, View};
pub use text::{Span, Style, Text};
pub use wording::setting_value;

use serde::Serialize;
use serde_json::Value;

use crate::controls::ControlSet;
use crate::scenario::json_error;
use crate::scenario::query::{self, split};
use crate::scenario::{Limits, MAX_SCENARIO_BYTES, Scenario, quoted};
use read::Reader;

/// Largest lesson file, in bytes: 1 MiB, as for a scenario.
pub const MAX_LESSON_BYTES: usize = MAX_SCENARIO_BYTES;
/// Most steps in a lesson.
pub const MAX_STEPS: usize = 50;
/// Longest title, in characters.
pub const MAX_TITLE: usize = 100;
/// Longest step text, in characters.
pub const MAX_TEXT: usize = 2_000;
/// Longest step scenario query, in characters.
pub const MAX_QUERY: usize = 2_000;

/// How the page runs a step: the web app's modes a lesson may use (compare mode races
/// several engines and a task reads one, so it is not among them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Requests arrive and complete on their own.
    Auto,
    /// Requests arrive when fired and complete by hand.
    Manual,
    /// Manual, and the learner predicts where each request goes.
    Predict,
}

impl Mode {
    /// The mode with this id (`auto`, `manual`, `predict`).
    pub fn from_id(id: &str) -> Option<Mode> {
        [("auto", Mode::Auto), ("manual", Mode::Manual), ("predict", Mode::Predict)]
            .into_iter()
            .find(|(i, _)| *i == id.trim())
            .map(|(_, m)| m)
    }

    /// Its id.
    pub fn id(self) -> &'static str {
        match self {
            Mode::Auto => "auto",
            Mode::Manual => "manual",
            Mode::Predict => "predict",
        }
    }

    /// The scenario as the mode runs it: manual and predict have no arrivals of their own
    /// and complete by hand (the web app's rule for its manual modes).
    pub fn shape(self, scenario: &mut Scenario) {
        if self != Mode::Auto {
            scenario.by_hand();
        }
    }
}

/// Where a step starts.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Start {
    /// A new engine on this scenario, in this mode.
    Fresh {
        /// The scenario, shaped by the mode.
        scenario: Box<Scenario>,
        /// The page's mode.
        mode: Mode,
        /// Whether the step starts with the clock stopped, for the learner to set something
        /// before time runs (a fault scheduled at 10 s is then always after it).
        paused: bool,
        /// The query the web app reads for it: the scenario's settings, `mode` and `paused`.
        query: String,
    },
    /// The engine as the last step left it.
    Continue,
}

/// One step of a lesson.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Step {
    /// What the learner reads.
    pub text: Text,
    /// Where it starts.
    pub start: Start,
    /// What the learner must do, checked by the engine; `None`: nothing to do.
    pub task: Option<Task>,
    /// A script that does the task (for `lbsim lesson check` and a "show me" button).
    #[serde(rename = "try")]
    pub try_actions: Vec<Action>,
    /// A question, if any.
    pub question: Option<Question>,
    /// The controls its `controls` names, if given ([`Step::controls`] says what shows).
    #[serde(rename = "controls", skip_serializing_if = "Option::is_none")]
    pub shown: Option<ControlSet>,
    /// Figures the card shows live while the step is on (`"watch": ["p99"]`), at most
    /// [`MAX_WATCH`]: what its words or question ask the learner to read, in every frame,
    /// where the metrics panel may give way to the bars.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub watch: Vec<Quantity>,
}

/// Most figures a step may watch.
pub const MAX_WATCH: usize = 3;

/// A lesson: a title and its steps.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Lesson {
    /// Its title, plain text.
    pub title: String,
    /// Its steps, at least one.
    steps: Vec<Step>,
}

impl Lesson {
    /// Reads and validates a lesson's JSON, reporting every problem at once (the first
    /// [`MAX_PROBLEMS`](crate::scenario::MAX_PROBLEMS), then how many more), each naming
    /// its step and field, quoting the value short and saying what is allowed. Step
    /// scenarios are held to the browser's [`Limits`], since lessons run there.
    pub fn parse(json: &str) -> Result<Lesson, LessonProblems> {
        let refuse =
            |value: &str, message: &str| Err(LessonProblems(vec![LessonProblem::new("lesson", value, message)]));
        if json.len() > MAX_LESSON_BYTES {
            return refuse(
                &format!("{} bytes", json.len()),
                &format!("is too large: at most {} KB", MAX_LESSON_BYTES / 1024),
            );
        }
        if !json.trim_start().starts_with('{') {
            return refuse(json.trim_start(), "must be a JSON object: {\"title\": ..., \"steps\": [...]}");
        }
        let value: Value = serde_json::from_str(json).map_err(|e| not_json(json, &e))?;
        let mut r = Reader::default();
        let lesson = read_lesson(&mut r, &value);
        match lesson {
            Some(lesson) if r.problems.is_empty() => Ok(lesson),
            _ => Err(LessonProblems(r.into_problems())),
        }
    }

    /// The steps, in order.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The scenario step `i` starts from: its own, or for `continue` the last one before it
    /// (as given; the learner's changes in between are the engine's to carry).
    pub fn scenario_at(&self, i: usize) -> Option<&Scenario> {
        self.steps[..=i.min(self.steps.len().saturating_sub(1))].iter().rev().find_map(|s| match &s.start {
            Start::Fresh { scenario, .. } => Some(&**scenario),
            Start::Continue => None,
        })
    }

    /// The number of questions.
    pub fn questions(&self) -> usize {
        self.steps.iter().filter(|s| s.question.is_some()).count()
    }
}

/// A lesson's JSON, validated, written without spaces: what `lesson-data=` carries in a URL
/// (percent-encoded with [`query::encode`]).
pub fn compact(json: &str) -> Result<String, LessonProblems> {
    Lesson::parse(json)?;
    let value: Value = serde_json::from_str(json).map_err(|e| not_json(json, &e))?;
    Ok(crate::json_text::compact(&value))
}

/// A lesson that is not JSON: the text where the error is, quoted short, and its line and
/// column, always whole, in the message.
fn not_json(json: &str, e: &serde_json::Error) -> LessonProblems {
    let (here, message) = json_error::located(json, e, "lesson");
    LessonProblems(vec![LessonProblem::new("lesson", &here, format!("is not valid JSON at {message}"))])
}

fn read_lesson(r: &mut Reader, v: &Value) -> Option<Lesson> {
    let map = r.object(v, "", &["title", "steps"], &["title", "steps"])?;
    let title = map.get("title").and_then(|t| r.string(t, "title", MAX_TITLE, false));
    let steps = r.array(map.get("steps")?, "steps", 1, MAX_STEPS)?;
    // The servers each step starts with, when known: a continued step has the last one's,
    // unless a `set` on the way may have changed them.
    let mut names: Option<Vec<String>> = None;
    // The mode each step runs in: a continued step keeps the last one's.
    let mut mode = Mode::Auto;
    let mut out = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        r.step = Some(i);
        let read = read_step(r, step, &mut names);
        if let Some(s) = read {
            if let Start::Fresh { mode: m, .. } = &s.start {
                mode = *m;
            }
            if s.task.as_ref().is_some_and(Task::only_time) {
                // Done by waiting in any mode: nothing for the learner to do.
                r.problem(
                    "task",
                    "time",
                    "counts only the time: the learner completes it by waiting, which is not a task; a step to \
                     watch needs no task (give it a question), or ask also for what the learner does",
                );
            } else if mode != Mode::Auto && s.task.as_ref().is_some_and(Task::reads_time) {
                // The page's clock runs on in a manual step whatever the learner does, where
                // `lbsim lesson check` moves it only by a `run`: a task on the time would be
                // done by waiting in one and need a run in the other.
                r.problem(
                    "task",
                    "time",
                    "a manual or predict step's clock runs on in the page while the learner waits: a task \
                     there cannot count on the time; count requests, or make the step auto",
                );
            }
            out.push(s);
        }
    }
    r.step = None;
    (out.len() == steps.len()).then_some(Lesson { title: title?, steps: out })
}

fn read_step(r: &mut Reader, v: &Value, names: &mut Option<Vec<String>>) -> Option<Step> {
    let map =
        r.object(v, "", &["text", "scenario", "task", "try", "question", "controls", "watch"], &["text", "scenario"])?;
    let text = map.get("text").and_then(|t| r.text(t, "text", MAX_TEXT));
    let start = map.get("scenario").map(|s| read_start(r, s));
    match &start {
        Some(Ok(Start::Fresh { scenario, .. })) => {
            *names = Some((0..scenario.servers as usize).map(|k| scenario.name(k)).collect());
        }
        Some(Ok(Start::Continue)) if r.step == Some(0) => {
            r.problem("scenario", "continue", "the first step has nothing to continue: give it a scenario query");
        }
        Some(Ok(Start::Continue)) => {}
        Some(Err(known)) => *names = known.clone(),
        None => *names = None,
    }
    let start = start.and_then(Result::ok);
    let known = names.as_deref();
    let task = map.get("task").map(|t| Task::read(r, t, "task", known));
    let actions = map.get("try").map(|a| {
        let items = r.array(a, "try", 1, MAX_ACTIONS)?;
        let read: Vec<Option<Action>> =
            items.iter().enumerate().map(|(i, x)| Action::read(r, x, &format!("try[{i}]"), known)).collect();
        read.into_iter().collect::<Option<Vec<Action>>>()
    });
    let question = map.get("question").map(|q| Question::read(r, q, "question"));
    let shown = map.get("controls").map(|c| shown::read(r, c));
    let watch = map.get("watch").map(|w| read_watch(r, w));
    if actions.as_ref().is_some_and(|a| {
        a.iter()
            .flatten()
            .any(|a| matches!(a, Action::Set(p) if p.iter().any(|(k, _)| matches!(*k, "servers" | "names"))))
    }) {
        *names = None;
    }
    if task.is_none() && actions.is_some() {
        r.problem("try", "", "a step without a task has nothing to try");
    }
    let task = match task {
        Some(t) => Some(t?),
        None => None,
    };
    let question = match question {
        Some(q) => Some(q?),
        None => None,
    };
    let shown = match shown {
        Some(s) => Some(s?),
        None => None,
    };
    let try_actions = actions.unwrap_or(Some(Vec::new()))?;
    if let Some(given) = shown {
        shown::check(r, given, task.as_ref(), &try_actions);
    }
    let watch = watch.unwrap_or(Some(Vec::new()))?;
    Some(Step { text: text?, start: start?, task, try_actions, question, shown, watch })
}

/// Reads a step's `watch`: 1 to [`MAX_WATCH`] quantity names, as a task's conditions name them.
fn read_watch(r: &mut Reader, v: &Value) -> Option<Vec<Quantity>> {
    let items = r.array(v, "watch", 1, MAX_WATCH)?;
    let mut watch = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = format!("watch[{i}]");
        let name = r.string(item, &at, 40, false)?;
        match Quantity::ALL.iter().find(|(n, _)| *n == name) {
            Some((_, q)) => watch.push(*q),
            None => {
                let allowed: Vec<&str> = Quantity::ALL.iter().map(|(n, _)| *n).collect();
                r.problem(&at, &name, format!("is not a figure a step can watch; allowed: {}", allowed.join(", ")));
                return None;
            }
        }
    }
    Some(watch)
}

/// Reads a step's `scenario`: `continue`, or a query of scenario settings, `mode` and `paused`. When
/// it is refused, the error holds the servers it names all the same, unless the problem is
/// with them, so that the step's other fields are checked against them.
fn read_start(r: &mut Reader, v: &Value) -> Result<Start, Option<Vec<String>>> {
    let text = r.string(v, "scenario", MAX_QUERY, false).ok_or(None)?;
    if text.trim() == "continue" {
        return Ok(Start::Continue);
    }
    let pairs = split(&text);
    let mut mode = Mode::Auto;
    let mut paused = false;
    let mut settings = Vec::new();
    let mut ok = true;
    for (k, value) in &pairs {
        if k == "mode" {
            match Mode::from_id(value) {
                Some(m) => mode = m,
                None => {
                    r.problem("scenario.mode", value, "allowed in a lesson: auto, manual, predict");
                    ok = false;
                }
            }
        } else if k == "paused" {
            match value.as_str() {
                "1" => paused = true,
                "0" => paused = false,
                _ => {
                    r.problem("scenario.paused", value, "allowed: 1 (the step starts with the clock stopped) or 0");
                    ok = false;
                }
            }
        } else {
            settings.push((k.as_str(), value.as_str()));
        }
    }
    let (mut scenario, problems) = Scenario::from_pairs_within(settings, &Limits::BROWSER);
    let mut servers_known = true;
    for p in problems {
        servers_known &= !matches!(p.field.as_str(), "servers" | "names" | "query");
        // the page's range, not lbsim's, as the page's own URL notice says it
        let message = match p.field.as_str() {
            "servers" => format!("allowed in the browser: 1 to {}", Limits::BROWSER.servers),
            _ => p.message,
        };
        r.problem(&format!("scenario.{}", quoted(&p.field)), &p.value, message);
        ok = false;
    }
    if !ok {
        let names = (0..scenario.servers as usize).map(|k| scenario.name(k)).collect();
        return Err(servers_known.then_some(names));
    }
    mode.shape(&mut scenario);
    let mut query = query::of_scenario(&scenario);
    if mode != Mode::Auto {
        // as the web app writes a manual mode: the mode, not the settings it implies
        let pairs: Vec<_> =
            scenario.to_pairs().into_iter().filter(|(k, _)| !matches!(*k, "arrivals" | "completions")).collect();
        query = query::join(&[pairs, vec![("mode", mode.id().to_string())]].concat());
    }
    if paused {
        // as the web app writes a stopped clock
        query = if query.is_empty() { "paused=1".to_string() } else { format!("{query}&paused=1") };
    }
    Ok(Start::Fresh { scenario: Box::new(scenario), mode, paused, query })
}
