//! A lesson's check, in words: the report `lbsim lesson check` prints and the page's "Check
//! this lesson" shows, line for line. [`Check`] plays the lesson a step at a time ([`Playing`],
//! each step within [`MAX_STEP_EVENTS`](super::MAX_STEP_EVENTS) events for its `try`, as many
//! left alone and [`MAX_REPLAY_EVENTS`](super::MAX_REPLAY_EVENTS) replayed), gives each step's
//! line as it ends, and the verdict once every step is played; [`refused`] words the problems of
//! a lesson that is not valid. The caller says which lesson it is (`"mine.json"`, `built-in
//! course`) and where the lines go; the words are all here.

use super::play::{Playing, said};
use super::{Lesson, LessonProblems, Outcome, Start, StepReport};
use crate::scenario::MAX_PROBLEMS;

/// The last line of a lesson whose every task can be done, and only by the learner.
pub const PASSED: &str = "ok: every task can be done, and only by the learner";

/// `n what`, with an `s` past one.
fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// The report of a lesson that is not valid, called `shown`: how many problems, then each
/// on its own line, indented (at most [`MAX_PROBLEMS`] and a line counting the rest).
pub fn refused(shown: &str, problems: &LessonProblems) -> String {
    let n = match problems.0.len() {
        1 => "1 problem".to_string(),
        n if n > MAX_PROBLEMS => format!("more than {MAX_PROBLEMS} problems"),
        n => format!("{n} problems"),
    };
    let lines: Vec<String> = problems.0.iter().map(|p| format!("  {p}")).collect();
    format!("{shown}: {n}:\n{}", lines.join("\n"))
}

/// A valid lesson's check under way: its heading, then a line a step as each is played.
pub struct Check {
    playing: Playing,
    /// The steps whose task their `try` does not do, and those done before the learner acts.
    failed: Vec<usize>,
    early: Vec<usize>,
}

impl Check {
    /// The check of `lesson`, no step played yet.
    pub fn new(lesson: Lesson) -> Check {
        Check { playing: Playing::new(lesson), failed: Vec::new(), early: Vec::new() }
    }

    /// The report's first line: the title, the steps and the questions.
    pub fn heading(&self) -> String {
        let lesson = self.playing.lesson();
        let (steps, questions) = (plural(lesson.steps().len(), "step"), plural(lesson.questions(), "question"));
        // the title between double quotes, escaped as a condition's words are (it holds no
        // control or invisible character: the reader refuses them)
        format!("\"{}\": {steps}, {questions}", said(&lesson.title))
    }

    /// Whether every step is played.
    pub fn finished(&self) -> bool {
        self.playing.finished()
    }

    /// Plays the next step and gives its line; `None` once every step is played.
    pub fn next_line(&mut self) -> Option<String> {
        let report = self.playing.next()?;
        let line = self.line(&report);
        match report.outcome {
            Outcome::NotDone { .. } => self.failed.push(report.step),
            Outcome::Early { .. } => self.early.push(report.step),
            Outcome::Done { .. } | Outcome::NoTask => {}
        }
        Some(line)
    }

    /// A step's line: how it starts, how its task went, where its requests went and its answer.
    fn line(&self, r: &StepReport) -> String {
        let step = &self.playing.lesson().steps()[r.step - 1];
        let start = match &step.start {
            Start::Fresh { query, .. } if query.is_empty() => "starts: defaults".to_string(),
            Start::Fresh { query, .. } => format!("starts: {query}"),
            Start::Continue => "continues".to_string(),
        };
        let what = match &r.outcome {
            Outcome::Done { actions } => format!(
                "task done after {actions} of {} actions, at most {} events, {} simulated s; not done when left \
                 alone {} s",
                step.try_actions.len(),
                r.events,
                crate::words::number(r.seconds, 3),
                crate::words::number(r.left_alone, 3)
            ),
            Outcome::NoTask => "no task".to_string(),
            Outcome::NotDone { why } => format!("NOT DONE: {why}"),
            Outcome::Early { why } => format!("EARLY: {why}"),
        };
        let mut line = format!("step {}: {start}; {what}", r.step);
        if !r.routed.is_empty() {
            line.push_str("; routed ");
            line.push_str(&r.routed.join(" "));
        }
        if !r.watched.is_empty() {
            line.push_str("; watched: ");
            line.push_str(&r.watched.join(", "));
        }
        if let Some(answer) = &r.answer {
            line.push_str("; answer: ");
            line.push_str(answer);
        }
        line
    }

    /// The verdict on the steps played: [`PASSED`], or why not, naming the steps (for the
    /// caller to put after the lesson's name).
    pub fn verdict(&self) -> Result<&'static str, String> {
        if self.failed.is_empty() && self.early.is_empty() {
            return Ok(PASSED);
        }
        let list = |steps: &[usize]| steps.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
        let s = |steps: &[usize]| if steps.len() == 1 { "" } else { "s" };
        let mut why = Vec::new();
        if !self.failed.is_empty() {
            let failed = &self.failed;
            why.push(format!("the task of step{} {} cannot be done as its try says", s(failed), list(failed)));
        }
        if !self.early.is_empty() {
            let early = &self.early;
            let (tasks, are) = if early.len() == 1 { ("task", "is") } else { ("tasks", "are") };
            why.push(format!("the {tasks} of step{} {} {are} done before the learner acts", s(early), list(early)));
        }
        Err(why.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(json: &str) -> (Vec<String>, Result<&'static str, String>) {
        let mut check = Check::new(Lesson::parse(json).unwrap_or_else(|p| panic!("{p}")));
        let mut lines = vec![check.heading()];
        lines.extend(std::iter::from_fn(|| check.next_line()));
        assert!(check.finished());
        (lines, check.verdict())
    }

    #[test]
    fn a_line_a_step_then_the_verdict_naming_the_steps() {
        let (lines, verdict) = report(
            r#"{"title": "Say \"hi\"", "steps": [
              {"text": "Fire two.", "scenario": "servers=2&mode=manual",
               "task": {"when": [{"arrived": {"at_least": 2}}]}, "try": [{"fire": 2}]},
              {"text": "Fire one.", "scenario": "continue",
               "task": {"when": [{"arrived": {"at_least": 5}}]}, "try": [{"fire": 1}]},
              {"text": "Nothing.", "scenario": "servers=2&mode=manual",
               "task": {"when": [{"arrived": {"at_most": 3}}, {"arrived": {"at_least": 1}}]}, "try": [{"fire": 1}]}
            ]}"#,
        );
        assert_eq!(lines.len(), 4, "{lines:#?}");
        assert_eq!(lines[0], "\"Say \\\"hi\\\"\": 3 steps, 0 questions");
        assert!(
            lines[1].starts_with("step 1: starts: servers=2&mode=manual; task done after 1 of 1 actions"),
            "{}",
            lines[1]
        );
        assert!(lines[1].ends_with("; routed server1 server2"), "{}", lines[1]);
        assert!(lines[2].starts_with("step 2: continues; NOT DONE: "), "{}", lines[2]);
        assert!(lines[3].starts_with("step 3: starts: servers=2&mode=manual; EARLY: task.when[0]"), "{}", lines[3]);
        assert_eq!(
            verdict,
            Err(
                "the task of step 2 cannot be done as its try says; the task of step 3 is done before the learner acts"
                    .into()
            )
        );
    }

    #[test]
    fn every_built_in_lesson_passes() {
        for name in super::super::builtin::NAMES {
            let (lines, verdict) = report(super::super::builtin::json(name).expect("built in"));
            assert_eq!(verdict, Ok(PASSED), "{name}: {lines:#?}");
        }
    }
}
