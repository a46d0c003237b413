//! A learner's way through a lesson: which tasks are done or skipped, the first answer to
//! each question (only the first counts), when Next unlocks, and the final [`Score`] the
//! host page hears.

use serde::Serialize;

use super::Lesson;
use super::question::Verdict;

/// Where a learner stands in one step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct StepState {
    /// The task was done (the engine said so).
    pub done: bool,
    /// The learner skipped the step.
    pub skipped: bool,
    /// The task was shown: the learner asked the front end to play the step's `try`.
    pub shown: bool,
    /// Whether the first answer to the question was right (`None`: not answered yet).
    pub first_answer: Option<bool>,
}

/// The score: questions answered right the first time, and tasks done.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Score {
    /// Questions answered right the first time.
    pub right: usize,
    /// Questions in the lesson.
    pub questions: usize,
    /// Tasks done, by the learner or shown.
    pub tasks_done: usize,
    /// Of those, tasks the learner had shown (the step's `try` played for them).
    pub tasks_shown: usize,
    /// Tasks in the lesson.
    pub tasks: usize,
    /// Steps skipped.
    pub skipped: usize,
}

/// A learner's progress through one lesson.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Progress {
    has_task: Vec<bool>,
    has_question: Vec<bool>,
    states: Vec<StepState>,
}

impl Progress {
    /// At the start of `lesson`: nothing done.
    pub fn new(lesson: &Lesson) -> Progress {
        let steps = lesson.steps();
        Progress {
            has_task: steps.iter().map(|s| s.task.is_some()).collect(),
            has_question: steps.iter().map(|s| s.question.is_some()).collect(),
            states: vec![StepState::default(); steps.len()],
        }
    }

    /// Progress through `lesson` as saved ([`Progress::states`]): `None` when `states` is not
    /// one per step (saved for another lesson), or says a step without a task had its task
    /// done, or one without a question answered.
    pub fn restored(lesson: &Lesson, states: Vec<StepState>) -> Option<Progress> {
        let mut p = Progress::new(lesson);
        let fits = |(i, s): (usize, &StepState)| {
            (p.has_task[i] || !(s.done || s.shown)) && (p.has_question[i] || s.first_answer.is_none())
        };
        (states.len() == p.states.len() && states.iter().enumerate().all(fits)).then(|| {
            p.states = states;
            p
        })
    }

    /// Every step's state, in order: what a front end saves to restore with [`Progress::restored`].
    pub fn states(&self) -> &[StepState] {
        &self.states
    }

    /// Step `i`'s state.
    pub fn state(&self, i: usize) -> Option<StepState> {
        self.states.get(i).copied()
    }

    /// Step `i`'s task is done.
    pub fn task_done(&mut self, i: usize) {
        if let Some(s) = self.states.get_mut(i) {
            s.done = true;
        }
    }

    /// The learner had step `i`'s task shown (its `try` played): it counts as done once the
    /// engine says so, and the score says it was shown.
    pub fn shown(&mut self, i: usize) {
        if let Some(s) = self.states.get_mut(i) {
            s.shown = true;
        }
    }

    /// The learner skips step `i` (its task and question).
    pub fn skip(&mut self, i: usize) {
        if let Some(s) = self.states.get_mut(i) {
            s.skipped = true;
        }
    }

    /// The learner answered step `i`'s question; only the first answer counts.
    pub fn answered(&mut self, i: usize, verdict: &Verdict) {
        if let Some(s) = self.states.get_mut(i)
            && s.first_answer.is_none()
        {
            s.first_answer = Some(verdict.right);
        }
    }

    /// Whether Next is open at step `i`: skipped, or its task done (if any) and its
    /// question answered (if any).
    pub fn can_advance(&self, i: usize) -> bool {
        let Some(s) = self.states.get(i) else { return false };
        s.skipped || ((!self.has_task[i] || s.done) && (!self.has_question[i] || s.first_answer.is_some()))
    }

    /// The score so far.
    pub fn score(&self) -> Score {
        let count =
            |f: &dyn Fn(usize, &StepState) -> bool| self.states.iter().enumerate().filter(|(i, s)| f(*i, s)).count();
        Score {
            right: count(&|_, s| s.first_answer == Some(true)),
            questions: count(&|i, _| self.has_question[i]),
            tasks_done: count(&|i, s| self.has_task[i] && s.done),
            tasks_shown: count(&|i, s| self.has_task[i] && s.done && s.shown),
            tasks: count(&|i, _| self.has_task[i]),
            skipped: count(&|_, s| s.skipped),
        }
    }
}
