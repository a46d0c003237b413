//! Playing a lesson headless, as `lbsim lesson check` does: each step starts its engine
//! (or continues the last), plays its `try` actions one by one until the task is done,
//! and answers its question: a prediction fires one request and the engine's pick is the
//! answer. Every step's work is bounded: at most [`MAX_STEP_EVENTS`] events (requests
//! fired, completions, simulation events, and the ring points or table slots a `set`
//! rebuilds, together); a task not done by then is reported. So is its memory: where each
//! request went is kept only for a step of at most [`MAX_ROUTED`] requests.
//! [`play_each`] hands over each step's report as it ends.

use serde::Serialize;

use super::action::Action;
use super::question::{Answer, Kind};
use super::task::{Mark, View};
use super::{Lesson, Start};
use crate::race::{Op, Race, Reply};
use crate::scenario::{Limits, Part};
use crate::time::from_secs;

/// Most events one step may take to complete its task when played headless.
pub const MAX_STEP_EVENTS: u64 = 1_000_000;

/// Most requests a step may fire for its report to say where each went: `lbsim lesson check`
/// prints them, and a step may fire a million.
pub const MAX_ROUTED: usize = 12;

/// Events handled per slice of a `run`, between checks of the task.
const SLICE: u64 = 256;

/// How a step's play ended.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Outcome {
    /// The task was done after this many of its `try` actions.
    Done {
        /// Actions played.
        actions: usize,
    },
    /// The step has no task.
    NoTask,
    /// The task was not done: why.
    NotDone {
        /// What went wrong, naming the step's field.
        why: String,
    },
}

/// What playing one step showed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StepReport {
    /// The step, counting from 1.
    pub step: usize,
    /// How it ended.
    pub outcome: Outcome,
    /// Events it took, at most (fires and completions count one each, a run's slices
    /// [`SLICE`] each, a `set` that rebuilds the balancer its [`Scenario::balancer_work`]).
    ///
    /// [`Scenario::balancer_work`]: crate::Scenario::balancer_work
    pub events: u64,
    /// Simulated seconds the step ran.
    pub seconds: f64,
    /// Requests fired in the step, the prediction's included.
    pub fired: u64,
    /// Where each request fired in the step went, in order ("-" for a rejected one), the
    /// prediction's included; empty when the step fired more than [`MAX_ROUTED`].
    pub routed: Vec<String>,
    /// The question's answer: the right choice's text, or the server the engine picked
    /// for a prediction.
    pub answer: Option<String>,
}

impl StepReport {
    /// Whether the step passed: its task done, or no task.
    pub fn passed(&self) -> bool {
        !matches!(self.outcome, Outcome::NotDone { .. })
    }
}

/// Plays every step of `lesson` in order and reports each.
pub fn play(lesson: &Lesson) -> Vec<StepReport> {
    let mut reports = Vec::new();
    let _ = play_each(lesson, |report| {
        reports.push(report);
        Ok::<(), std::convert::Infallible>(())
    });
    reports
}

/// Plays every step of `lesson` in order, handing each step's report to `each` as the step
/// ends; stops at the first error `each` returns, and returns it.
pub fn play_each<E>(lesson: &Lesson, mut each: impl FnMut(StepReport) -> Result<(), E>) -> Result<(), E> {
    let mut race: Option<Race> = None;
    for (i, step) in lesson.steps().iter().enumerate() {
        let mut report = StepReport {
            step: i + 1,
            outcome: Outcome::NoTask,
            events: 0,
            seconds: 0.0,
            fired: 0,
            routed: Vec::new(),
            answer: None,
        };
        if let Start::Fresh { scenario, .. } = &step.start {
            race = match Race::new(scenario, &[]) {
                Ok(r) => Some(r),
                Err(p) => {
                    report.outcome = Outcome::NotDone { why: format!("scenario: {p}") };
                    each(report)?;
                    continue;
                }
            };
        }
        let Some(race) = race.as_mut() else {
            report.outcome = Outcome::NotDone { why: "scenario: no engine to continue".into() };
            each(report)?;
            continue;
        };
        let mark = Mark::of(race.leader());
        if let Some(task) = &step.task {
            report.outcome = play_task(race, mark, task, &step.try_actions, &mut report);
        }
        if let Some(q) = &step.question {
            report.answer = match &q.kind {
                Kind::Choose(choices) => q.right_choice().map(|k| choices[k].text.plain()),
                Kind::PredictNextServer => {
                    let went = fire(race, 1, &mut report);
                    let view = View::new(race.leader(), mark).with_last_routed(went.as_deref());
                    // the engine's answer is right by definition; checking it proves the path works
                    debug_assert!(went.as_ref().is_none_or(|w| q.check(&Answer::Server(w.clone()), &view).right));
                    Some(went.unwrap_or_else(|| "-".into()))
                }
            };
        }
        report.seconds = crate::time::to_secs(race.leader().now().saturating_sub(mark.at()));
        each(report)?;
    }
    Ok(())
}

/// Fires `n` requests and notes where they went (while the step has fired at most
/// [`MAX_ROUTED`]); returns where the last went, `None` for a rejected one.
fn fire(race: &mut Race, n: u32, report: &mut StepReport) -> Option<String> {
    report.events += u64::from(n);
    report.fired += u64::from(n);
    let Ok(Reply::Fired(decisions)) = race.apply(Op::Fire(n)) else { return None };
    let name = |d: &crate::Decision| d.chosen_name().map(str::to_string);
    if report.fired <= MAX_ROUTED as u64 {
        report.routed.extend(decisions.iter().map(|d| name(d).unwrap_or_else(|| "-".into())));
    } else {
        report.routed = Vec::new();
    }
    decisions.last().and_then(name)
}

/// Plays `actions` until `task` is done.
fn play_task(race: &mut Race, mark: Mark, task: &super::Task, actions: &[Action], report: &mut StepReport) -> Outcome {
    if task.is_done(&View::new(race.leader(), mark)) {
        return Outcome::NotDone { why: "task: done before the learner does anything; nothing to do".into() };
    }
    if actions.is_empty() {
        return Outcome::NotDone { why: "try: missing, so the check cannot show the task can be done".into() };
    }
    for (k, action) in actions.iter().enumerate() {
        let at = format!("try[{k}]");
        let done = match action {
            Action::Run(seconds) => {
                let until = race.leader().now().saturating_add(from_secs(*seconds));
                loop {
                    report.events += SLICE;
                    let reached = matches!(race.apply(Op::RunWithin(until, SLICE)), Ok(Reply::Reached(true)));
                    if task.is_done(&View::new(race.leader(), mark)) {
                        break true;
                    }
                    if reached {
                        break false;
                    }
                    if report.events > MAX_STEP_EVENTS {
                        return Outcome::NotDone {
                            why: format!(
                                "{at}.run: not done within {MAX_STEP_EVENTS} events; run for less or ask for less"
                            ),
                        };
                    }
                }
            }
            Action::Fire(n) => {
                fire(race, *n, report);
                task.is_done(&View::new(race.leader(), mark))
            }
            other => {
                let ops = match other.ops(race.leader().scenario()) {
                    Ok(ops) => ops,
                    Err(p) => return Outcome::NotDone { why: format!("{at}: {p}") },
                };
                for op in ops {
                    let mut work = 1;
                    if let Op::Reconfigure(next) = &op {
                        if let Err(p) = next.validate_within(&Limits::BROWSER) {
                            return Outcome::NotDone { why: format!("{at}.set: {p}") };
                        }
                        // a new balancer, or a new pool, builds its ring or table again
                        let now = race.leader().scenario();
                        if now.differs_for(next, Part::Balancer) || now.differs_for(next, Part::Pool) {
                            work = next.balancer_work().max(1);
                        }
                        if report.events.saturating_add(work) > MAX_STEP_EVENTS {
                            return Outcome::NotDone {
                                why: format!(
                                    "{at}.set: builds the balancer again, {work} events of work (ring points, table \
                                     slots or servers), past the step's {MAX_STEP_EVENTS} with the {} before it; \
                                     ask for a smaller ring or table",
                                    report.events
                                ),
                            };
                        }
                    }
                    report.events += work;
                    if let Err(e) = race.apply(op) {
                        return Outcome::NotDone { why: format!("{at}: {e}") };
                    }
                }
                task.is_done(&View::new(race.leader(), mark))
            }
        };
        if report.events > MAX_STEP_EVENTS {
            return Outcome::NotDone { why: format!("{at}: past {MAX_STEP_EVENTS} events") };
        }
        if done {
            return Outcome::Done { actions: k + 1 };
        }
    }
    Outcome::NotDone { why: format!("try: all {} actions played and the task is not done", actions.len()) }
}
