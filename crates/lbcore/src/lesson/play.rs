//! Playing a lesson headless, as `lbsim lesson check` does: each step starts its engine
//! (or continues the last), plays its `try` actions one by one until the task is done,
//! and answers its question: a prediction fires one request and the engine's pick is the
//! answer. Every step's work is bounded: at most [`MAX_STEP_EVENTS`] events (requests
//! fired, completions, simulation events, and the ring points or table slots a `set`
//! rebuilds, together); a task not done by then is reported. So is its memory: where each
//! request went is kept only for a step of at most [`MAX_ROUTED`] requests.
//! [`play_each`] hands over each step's report as it ends; [`Playing`] plays a step at a time.
//!
//! A task must wait for the learner (issue 18: a checklist ticked on arrival, or while the
//! learner only watches, teaches nothing and says "done" of what they did not do). A step
//! whose `try` does its task is refused ([`Outcome::Early`]) when
//! - one of its conditions holds as the step starts (its counters at the step's [`Mark`], as
//!   the page counts them): the page would show it ticked before the learner does anything;
//! - left alone (no action, only time: the step's scenario or the engine it continues,
//!   replayed to the step's start) for as long as its `try` took, and at least
//!   [`MIN_LEFT_ALONE_SECONDS`], the task is done, or a condition holds that no waiting
//!   should bring (anything but a count from the step's start that only grows, bounded
//!   below, such as "2,000 requests arrived"): the page would tick it while the learner
//!   watches. A task on the time alone is refused when the lesson is read: it is done by
//!   waiting, whatever the step.

use serde::Serialize;

use super::action::Action;
use super::question::{Answer, Kind};
use super::task::{Mark, Task, View};
use super::{Lesson, Start};
use crate::race::{Op, OpError, Race, Reply};
use crate::scenario::{Limits, Part, Problems, Scenario};
use crate::time::{from_secs, to_secs};

/// Most events one step may take to complete its task when played headless.
pub const MAX_STEP_EVENTS: u64 = 1_000_000;

/// Most requests a step may fire for its report to say where each went: `lbsim lesson check`
/// prints them, and a step may fire a million.
pub const MAX_ROUTED: usize = 12;

/// Events handled per slice of a `run`, between checks of the task.
const SLICE: u64 = 256;

/// The least time, in simulated seconds, a step is left alone to see that its task waits for
/// the learner: half a minute, about what a learner takes to read a step of a few lines and
/// reach for the control it names (the built-in steps' texts are 150 to 400 characters). A
/// `try` that takes longer to do the task sets the time instead: a learner doing what it does
/// takes at least as long, and whatever the step does alone in that time, they see. A manual
/// step's `try` takes no simulated time, yet the page's clock runs on while the learner reads.
pub const MIN_LEFT_ALONE_SECONDS: f64 = 30.0;

/// Most events replayed to find a continued step's start again, to leave it alone: those of
/// the steps since the last fresh start (an engine is not copied: it holds its balancer as a
/// trait object). With the step's own [`MAX_STEP_EVENTS`] for its `try` and as many for the
/// time left alone, a step's check handles at most 4,000,000 events.
pub const MAX_REPLAY_EVENTS: u64 = 2 * MAX_STEP_EVENTS;

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
    /// The `try` does the task, but the task, or one of its conditions, holds before the
    /// learner acts: as the step starts, or with the step left alone.
    Early {
        /// Which condition and when, naming the step's field (`task.when[2]`, or `task`).
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
    /// Simulated seconds the step was left alone with its task not done (0 when it was not:
    /// no task, or a task its `try` does not do).
    pub left_alone: f64,
    /// The step's watched figures as its end shows them ([`Quantity::watch_words`]), what the
    /// learner reads in the card after doing what the `try` does.
    ///
    /// [`Quantity::watch_words`]: super::Quantity::watch_words
    pub watched: Vec<String>,
}

impl StepReport {
    /// Whether the step passed: its task done by its `try` and only then, or no task.
    pub fn passed(&self) -> bool {
        matches!(self.outcome, Outcome::Done { .. } | Outcome::NoTask)
    }
}

/// A race and the operations that brought it from its scenario to where it stands, so that
/// a step's start can be found again by playing them anew (the engine is deterministic).
struct Played {
    race: Race,
    scenario: Scenario,
    log: Vec<Op>,
    /// Events the logged operations took, counted as [`StepReport::events`] counts them.
    work: u64,
    /// Whether the last logged operation is a run that stopped short of its time: the next
    /// slice toward the same time goes on from it, and is logged as part of it.
    open_run: bool,
}

impl Played {
    fn new(scenario: &Scenario) -> Result<Played, Problems> {
        let race = Race::new(scenario, &[])?;
        Ok(Played { race, scenario: scenario.clone(), log: Vec::new(), work: 0, open_run: false })
    }

    /// Applies `op`, which takes `work` events, and logs it when it changed the race.
    fn apply(&mut self, op: Op, work: u64) -> Result<Reply, OpError> {
        let reply = self.race.apply(op.clone())?;
        let short = matches!(reply, Reply::Reached(false));
        match (op, self.log.last_mut()) {
            // Slices toward one time, each stopped by its count of events, handle what one
            // run with their counts together handles: logged as one.
            (Op::RunWithin(t, n), Some(Op::RunWithin(last, m))) if self.open_run && t == *last => *m += n,
            (op, _) => self.log.push(op),
        }
        self.open_run = short;
        self.work += work;
        Ok(reply)
    }

    /// A new race where this one stood after its first `ops` logged operations.
    fn replay(&self, ops: usize) -> Race {
        let mut race = Race::new(&self.scenario, &[]).expect("the scenario it started from");
        for op in &self.log[..ops] {
            // each was applied once without error, from the same state
            let _ = race.apply(op.clone());
        }
        race
    }
}

/// Plays every step of `lesson` in order and reports each.
pub fn play(lesson: &Lesson) -> Vec<StepReport> {
    Playing::new(lesson.clone()).collect()
}

/// Plays every step of `lesson` in order, handing each step's report to `each` as the step
/// ends; stops at the first error `each` returns, and returns it.
pub fn play_each<E>(lesson: &Lesson, mut each: impl FnMut(StepReport) -> Result<(), E>) -> Result<(), E> {
    Playing::new(lesson.clone()).try_for_each(&mut each)
}

/// A lesson played a step at a time: each [`Iterator::next`] plays the next step, within the
/// bounds of a step (module documentation), and reports it, so that a caller can show each
/// line as it ends and do other work between steps (the page draws between them).
pub struct Playing {
    lesson: Lesson,
    /// The next step, counting from 0.
    next: usize,
    played: Option<Played>,
}

impl Playing {
    /// `lesson`, no step played yet.
    pub fn new(lesson: Lesson) -> Playing {
        Playing { lesson, next: 0, played: None }
    }

    /// The lesson played.
    pub fn lesson(&self) -> &Lesson {
        &self.lesson
    }

    /// Whether every step is played.
    pub fn finished(&self) -> bool {
        self.next >= self.lesson.steps().len()
    }
}

impl Iterator for Playing {
    type Item = StepReport;

    fn next(&mut self) -> Option<StepReport> {
        let i = self.next;
        let step = self.lesson.steps().get(i)?;
        self.next += 1;
        let mut report = StepReport {
            step: i + 1,
            outcome: Outcome::NoTask,
            events: 0,
            seconds: 0.0,
            fired: 0,
            routed: Vec::new(),
            answer: None,
            left_alone: 0.0,
            watched: Vec::new(),
        };
        if let Start::Fresh { scenario, .. } = &step.start {
            self.played = match Played::new(scenario) {
                Ok(p) => Some(p),
                Err(p) => {
                    report.outcome = Outcome::NotDone { why: format!("scenario: {p}") };
                    return Some(report);
                }
            };
        }
        let Some(played) = self.played.as_mut() else {
            report.outcome = Outcome::NotDone { why: "scenario: no engine to continue".into() };
            return Some(report);
        };
        let mark = Mark::of(played.race.leader());
        // where the step starts, to find it again and leave it alone
        let (from, replay_work) = (played.log.len(), played.work);
        played.open_run = false;
        if let Some(task) = &step.task {
            let at_start = held_at_start(task, &View::new(played.race.leader(), mark));
            report.outcome = play_task(played, mark, task, &step.try_actions, &mut report);
            if matches!(report.outcome, Outcome::Done { .. }) {
                if let Some(why) = at_start {
                    report.outcome = Outcome::Early { why };
                } else {
                    let took = to_secs(played.race.leader().now().saturating_sub(mark.at()));
                    let seconds = took.max(MIN_LEFT_ALONE_SECONDS);
                    match left_alone(played, from, replay_work, mark, task, seconds) {
                        Some(outcome) => report.outcome = outcome,
                        None => report.left_alone = seconds,
                    }
                }
            }
        }
        if let Some(q) = &step.question {
            report.answer = match &q.kind {
                Kind::Choose(choices) => q.right_choice().map(|k| choices[k].text.plain()),
                Kind::PredictNextServer => {
                    let went = fire(played, 1, &mut report);
                    let view = View::new(played.race.leader(), mark).with_last_routed(went.as_deref());
                    // the engine's answer is right by definition; checking it proves the path works
                    debug_assert!(went.as_ref().is_none_or(|w| q.check(&Answer::Server(w.clone()), &view).right));
                    Some(went.unwrap_or_else(|| "-".into()))
                }
            };
        }
        report.seconds = to_secs(played.race.leader().now().saturating_sub(mark.at()));
        let view = View::new(played.race.leader(), mark);
        report.watched = step.watch.iter().map(|q| q.watch_words(&view)).collect();
        Some(report)
    }
}

/// A condition's words between double quotes in a message, `"` and `\\` escaped (whole: the
/// words are lbcore's, and a server's name holds no control or invisible character).
pub(super) fn said(words: &str) -> String {
    words.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Why `task` is early as the step starts, seen through `view`: every condition holds (the
/// task is done), or these do (each would show ticked); `None` when none holds.
fn held_at_start(task: &Task, view: &View) -> Option<String> {
    let held: Vec<String> = task
        .when
        .iter()
        .enumerate()
        .filter(|(_, c)| c.holds(view))
        .map(|(k, c)| format!("task.when[{k}] \"{}\"", said(&c.words(view))))
        .collect();
    if held.is_empty() {
        None
    } else if held.len() == task.when.len() {
        Some("task: done as the step starts, before the learner does anything; nothing to do".into())
    } else {
        Some(format!(
            "{}: {} as the step starts; the page would show {} ticked before the learner does anything; ask \
             for what the learner's action makes true (a count from the step's start, a bound the start does \
             not meet)",
            held.join(", "),
            if held.len() == 1 { "holds" } else { "hold" },
            if held.len() == 1 { "it" } else { "them" },
        ))
    }
}

/// Plays the step that started after `from` logged operations (which took `replay_work`
/// events) again from its start, with no action, only time, for `seconds`, checking `task`
/// after every event; `None` when nothing ticks. What may tick is a count from the step's start
/// that only grows, bounded below ([`Condition::grows_by_waiting`]): "play on until 2,000
/// have arrived" is what the learner watches while the rest waits for them.
///
/// [`Condition::grows_by_waiting`]: super::Condition::grows_by_waiting
fn left_alone(
    played: &Played,
    from: usize,
    replay_work: u64,
    mark: Mark,
    task: &Task,
    seconds: f64,
) -> Option<Outcome> {
    if replay_work > MAX_REPLAY_EVENTS {
        return Some(Outcome::NotDone {
            why: format!(
                "task: the check leaves the step alone from its start, replayed from the last step with a \
                 scenario: {replay_work} events since then, past the {MAX_REPLAY_EVENTS} it replays; give this \
                 step a scenario, or do less before it"
            ),
        });
    }
    let mut race = played.replay(from);
    debug_assert!(Mark::of(race.leader()) == mark, "the replay stands where the step started");
    let until = mark.at().saturating_add(from_secs(seconds));
    let mut events = 0;
    loop {
        // One event at a time, and a tenth of a second at most, as the page's checklist reads
        // the engine at every frame: a ratio over a step's first lookups may tick for a
        // moment (one hit in one is 1), and a tick is told within a tenth of a second.
        events += 1;
        let next = race.leader().now().saturating_add(from_secs(0.1)).min(until);
        let reached = matches!(race.apply(Op::RunWithin(next, 1)), Ok(Reply::Reached(true))) && next == until;
        let view = View::new(race.leader(), mark);
        let after = crate::words::number(view.quantity(super::Quantity::Time), 3);
        if task.is_done(&view) {
            return Some(Outcome::Early {
                why: format!(
                    "task: done after {after} s with the step left alone (no action, only time); the page would \
                     tick it while the learner watches; a step to watch needs no task (give it a question), or \
                     ask for what the learner does"
                ),
            });
        }
        let ticked = task.when.iter().enumerate().find(|(_, c)| !c.grows_by_waiting() && c.holds(&view));
        if let Some((k, c)) = ticked {
            return Some(Outcome::Early {
                why: format!(
                    "task.when[{k}] \"{}\": holds after {after} s with the step left alone (no action, only time); \
                     the page would tick it before the learner does what the step asks; ask for what only the \
                     learner's action brings",
                    said(&c.words(&view))
                ),
            });
        }
        if reached {
            return None;
        }
        if events > MAX_STEP_EVENTS {
            return Some(Outcome::NotDone {
                why: format!(
                    "task: left alone, the step passes {MAX_STEP_EVENTS} events before {} s, so the check cannot \
                     show that its task waits for the learner; ask for less traffic",
                    crate::words::number(seconds, 3)
                ),
            });
        }
    }
}

/// Fires `n` requests and notes where they went (while the step has fired at most
/// [`MAX_ROUTED`]); returns where the last went, `None` for a rejected one.
fn fire(played: &mut Played, n: u32, report: &mut StepReport) -> Option<String> {
    report.events += u64::from(n);
    report.fired += u64::from(n);
    let Ok(Reply::Fired(decisions)) = played.apply(Op::Fire(n), u64::from(n)) else { return None };
    let name = |d: &crate::Decision| d.chosen_name().map(str::to_string);
    if report.fired <= MAX_ROUTED as u64 {
        report.routed.extend(decisions.iter().map(|d| name(d).unwrap_or_else(|| "-".into())));
    } else {
        report.routed = Vec::new();
    }
    decisions.last().and_then(name)
}

/// Plays `actions` until `task` is done.
fn play_task(played: &mut Played, mark: Mark, task: &Task, actions: &[Action], report: &mut StepReport) -> Outcome {
    if actions.is_empty() {
        return Outcome::NotDone { why: "try: missing, so the check cannot show the task can be done".into() };
    }
    for (k, action) in actions.iter().enumerate() {
        let at = format!("try[{k}]");
        let done = match action {
            Action::Run(seconds) => {
                let until = played.race.leader().now().saturating_add(from_secs(*seconds));
                loop {
                    report.events += SLICE;
                    let reached = matches!(played.apply(Op::RunWithin(until, SLICE), SLICE), Ok(Reply::Reached(true)));
                    if task.is_done(&View::new(played.race.leader(), mark)) {
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
                fire(played, *n, report);
                task.is_done(&View::new(played.race.leader(), mark))
            }
            other => {
                let ops = match other.ops(played.race.leader().scenario()) {
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
                        let now = played.race.leader().scenario();
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
                    if let Err(e) = played.apply(op, work) {
                        return Outcome::NotDone { why: format!("{at}: {e}") };
                    }
                }
                task.is_done(&View::new(played.race.leader(), mark))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The outcome of each step of a lesson of these steps (JSON objects, comma-separated).
    fn outcomes(steps: &str) -> Vec<Outcome> {
        let json = format!(r#"{{"title": "t", "steps": [{steps}]}}"#);
        let lesson = Lesson::parse(&json).unwrap_or_else(|p| panic!("{p}"));
        play(&lesson).into_iter().map(|r| r.outcome).collect()
    }

    fn early(o: &Outcome) -> &str {
        match o {
            Outcome::Early { why } => why,
            other => panic!("not early: {other:?}"),
        }
    }

    #[test]
    fn a_condition_that_holds_as_the_step_starts_is_refused_by_name() {
        // The course's step as a learner found it: "server2 holds at most 1 (now 0) ✓" on
        // arrival, before firing anything.
        let step = |bound: &str| {
            format!(
                r#"{{"text": "Fire nine, complete two on server2.", "scenario": "algo=least-connections&mode=manual",
                    "task": {{"when": [{{"arrived": {{"at_least": 9}}}}, {{"completed": {{"at_least": 2}}}},
                                       {{"server": "server2", "connections": {bound}}}]}},
                    "try": [{{"fire": 9}}, {{"complete": "server2", "times": 2}}]}}"#
            )
        };
        let o = outcomes(&step(r#"{"at_most": 1}"#));
        assert_eq!(
            early(&o[0]),
            "task.when[2] \"server2 holds at most 1 connection (now 0)\": holds as the step starts; the page would \
             show it ticked before the learner does anything; ask for what the learner's action makes true (a count \
             from the step's start, a bound the start does not meet)"
        );
        // as the course now asks it: exactly 1, which the start (0) does not meet
        assert_eq!(outcomes(&step(r#"{"at_least": 1, "at_most": 1}"#))[0], Outcome::Done { actions: 2 });
    }

    #[test]
    fn a_task_done_as_the_step_starts_is_refused_and_each_condition_named_when_some_hold() {
        let o = outcomes(
            r#"{"text": "a", "scenario": "mode=manual", "task": {"when": [{"rejected": {"at_most": 0}}]},
                "try": [{"fire": 1}]}"#,
        );
        assert_eq!(early(&o[0]), "task: done as the step starts, before the learner does anything; nothing to do");
        // A continued step: its counters start at the mark (3 arrived before it), as in the page.
        let o = outcomes(
            r#"{"text": "a", "scenario": "mode=manual", "task": {"when": [{"arrived": {"at_least": 3}}]},
                "try": [{"fire": 3}]},
               {"text": "b", "scenario": "continue",
                "task": {"when": [{"arrived": {"at_most": 2}}, {"server": "server1", "connections": {"at_least": 1}},
                                  {"setting": "retry", "is": "on"}]},
                "try": [{"set": {"retry": true}}]}"#,
        );
        assert_eq!(o[0], Outcome::Done { actions: 1 });
        assert!(
            early(&o[1]).starts_with(
                "task.when[0] \"requests arrived: at most 2 (now 0)\", task.when[1] \"server1 holds at least 1 \
                 connection (now 1)\": hold as the step starts; the page would show them ticked"
            ),
            "{o:?}"
        );
    }

    #[test]
    fn a_task_the_step_does_alone_is_refused() {
        // The failures lesson's second step as it was: the health check notices the failed
        // server on its own a few seconds after the step opens.
        let o = outcomes(
            r#"{"text": "Fail server1.", "scenario": "servers=3&rate=20&health-interval=5",
                "task": {"when": [{"server": "server1", "health": "down"}]}, "try": [{"fail": "server1"}]},
               {"text": "Play until the check notices.", "scenario": "continue",
                "task": {"when": [{"failed": {"at_least": 1}}, {"server": "server1", "eligible": false}]},
                "try": [{"run": 6}]}"#,
        );
        assert_eq!(o[0], Outcome::Done { actions: 1 });
        let why = early(&o[1]);
        // the check at 5 s, and the next one 5 s later sees it down twice: within the try's 6 s
        assert!(why.starts_with("task: done after "), "{why}");
        assert!(
            why.ends_with(
                " s with the step left alone (no action, only time); the page would tick it while the learner \
                 watches; a step to watch needs no task (give it a question), or ask for what the learner does"
            ),
            "{why}"
        );
    }

    #[test]
    fn a_condition_time_brings_alone_is_refused_but_a_count_the_learner_watches_grow_is_not() {
        // Round robin piles requests onto a slow server: "server3 holds at least 10" ticks on
        // its own within seconds, while the task asks the learner to pick random first.
        let step = |condition: &str| {
            format!(
                r#"{{"text": "a", "scenario": "algo=round-robin&speeds=1,1,0.3&rate=18",
                    "task": {{"when": [{{"setting": "algo", "is": "random"}}, {condition}]}},
                    "try": [{{"set": {{"algo": "random"}}}}, {{"run": 60}}]}}"#
            )
        };
        let o = outcomes(&step(r#"{"server": "server3", "connections": {"at_least": 10}}"#));
        let why = early(&o[0]);
        assert!(
            why.starts_with("task.when[1] \"server3 holds at least 10 connections (now 10)\": holds after "),
            "{why}"
        );
        assert!(why.contains("the page would tick it before the learner does what the step asks"), "{why}");
        // 300 arrivals tick alone too, as the learner watches them come: that is what it says
        assert_eq!(outcomes(&step(r#"{"arrived": {"at_least": 300}}"#))[0], Outcome::Done { actions: 2 });
    }

    #[test]
    fn a_step_is_left_alone_at_least_half_a_minute_however_quick_its_try() {
        // Weight 0 takes server1 out of the rotation at once (the try: 0 s); left alone, the
        // health check notices it failed 5 s into the step and does the same. A check as
        // long as the try alone would not see it.
        let o = outcomes(
            r#"{"text": "a", "scenario": "servers=3&health-interval=5&mode=manual",
                "task": {"when": [{"server": "server1", "health": "down"}]}, "try": [{"fail": "server1"}]},
               {"text": "b", "scenario": "continue",
                "task": {"when": [{"arrived": {"at_least": 1}}, {"server": "server1", "eligible": false}]},
                "try": [{"set": {"weights": "0,1,1"}}, {"fire": 1}]}"#,
        );
        assert_eq!(o[0], Outcome::Done { actions: 1 });
        let why = early(&o[1]);
        assert!(why.starts_with("task.when[1] \"the balancer sends server1 no requests\": holds after 5 s"), "{why}");
    }

    #[test]
    fn a_replay_stands_where_the_step_started() {
        // Runs stopped short by their task, fires, completions and a set: played anew from
        // the scenario, the log gives the same engine (its counters, clock and connections).
        let json = r#"{"title": "t", "steps": [
            {"text": "a", "scenario": "algo=least-connections&speeds=1,1,0.3&rate=18",
             "task": {"when": [{"arrived": {"at_least": 123}}]}, "try": [{"run": 60}]},
            {"text": "b", "scenario": "continue",
             "task": {"when": [{"setting": "algo", "is": "round-robin"}, {"arrived": {"at_least": 57}}]},
             "try": [{"set": {"algo": "round-robin"}}, {"fire": 7}, {"run": 30}]}]}"#;
        let lesson = Lesson::parse(json).unwrap_or_else(|p| panic!("{p}"));
        let scenario = lesson.scenario_at(0).expect("a scenario").clone();
        let mut played = Played::new(&scenario).expect("valid");
        let mut report = play(&lesson).remove(0);
        for step in lesson.steps() {
            let mark = Mark::of(played.race.leader());
            let task = step.task.as_ref().expect("a task");
            assert!(matches!(play_task(&mut played, mark, task, &step.try_actions, &mut report), Outcome::Done { .. }));
        }
        let (a, b) = (played.race.leader(), played.replay(played.log.len()));
        let b = b.leader();
        assert_eq!(Mark::of(a), Mark::of(b));
        assert!(a.totals().arrived >= 180, "{}", a.totals().arrived);
        let held = |e: &crate::Engine| e.servers().iter().map(|s| s.connections()).collect::<Vec<_>>();
        assert_eq!(held(a), held(b));
        assert_eq!(a.scenario(), b.scenario());
        assert!(played.log.len() < 12, "slices of one run are logged as one: {} ops", played.log.len());
    }
}
