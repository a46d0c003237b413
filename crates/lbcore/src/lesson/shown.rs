//! Which of the page's controls a lesson step shows: the ones its `controls` names, or, by
//! default, the few its task and `try` use (with play and reset, which every step
//! has). A lesson so shows a learner what the step is about and nothing else of the lab: a
//! step that says "pick least connections" shows the algorithm picker, not the Mode switch,
//! the presets and the Experiments view.

use super::read::Reader;
use super::task::{Condition, ServerFact, Task};
use super::{Action, Step};
use crate::controls::{Control, ControlSet};
use crate::server::Health;

/// What every step shows unless its `controls` says otherwise: the clock's play and pause
/// and the way back to the step's start.
pub const EVERY_STEP: [Control; 2] = [Control::Play, Control::Reset];

impl Step {
    /// The controls this step shows, in the page's order: its `controls` when given, else
    /// [`EVERY_STEP`] and those its task and `try` use ([`used`]), or, for a task without a
    /// `try`, every control but the lab's tools.
    pub fn controls(&self) -> ControlSet {
        self.shown.unwrap_or_else(|| match (&self.task, self.try_actions.is_empty()) {
            // A task with no script says nothing of how it is done: the learner gets the whole
            // lab, but for its tools.
            (Some(_), true) => {
                ControlSet::of(&Control::ALL.into_iter().filter(|c| !c.is_lab_tool()).collect::<Vec<_>>())
            }
            _ => ControlSet::of(&EVERY_STEP).union(used(self.task.as_ref(), &self.try_actions)),
        })
    }
}

impl Step {
    /// The settings this step's task names and its `try` changes, in that order, each once:
    /// of a control the step names, these are the fields the learner is to change (the page
    /// marks them rather than the whole control).
    pub fn settings_used(&self) -> Vec<&'static str> {
        let named = self.task.as_ref().map_or(&[][..], |t| &t.when).iter().filter_map(|c| match c {
            Condition::Setting { name, .. } => Some(*name),
            _ => None,
        });
        let set = self.try_actions.iter().flat_map(|a| match a {
            Action::Set(pairs) => pairs.iter().map(|(k, _)| *k).collect(),
            _ => Vec::new(),
        });
        let mut out: Vec<&'static str> = Vec::new();
        for name in named.chain(set) {
            if !out.contains(&name) {
                out.push(name);
            }
        }
        out
    }
}

/// The controls a learner needs to do what `try` does and what `task` asks: fire for
/// fired requests, each server's actions for complete, drain, fail and heal (and a task on a
/// server's health), and for a setting the control that changes it
/// ([`Control::of_setting`]).
pub fn used(task: Option<&Task>, actions: &[Action]) -> ControlSet {
    let mut used = ControlSet::default();
    for a in actions {
        match a {
            Action::Fire(_) => used = used.with(Control::Fire),
            Action::Complete { .. } | Action::Fail(_) | Action::Heal(_) | Action::Drain(_) => {
                used = used.with(Control::ServerActions);
            }
            Action::Set(pairs) => {
                for c in pairs.iter().filter_map(|(k, _)| Control::of_setting(k)) {
                    used = used.with(c);
                }
            }
            Action::Run(_) => {}
        }
    }
    for c in task.map_or(&[][..], |t| &t.when) {
        match c {
            Condition::Setting { name, .. } => used = Control::of_setting(name).map_or(used, |c| used.with(c)),
            Condition::Server { fact: ServerFact::Health(h), .. } if *h != Health::Up => {
                used = used.with(Control::ServerActions);
            }
            _ => {}
        }
    }
    used
}

/// Reads a step's `controls`: a list of control names (as in `controls=`), each once.
pub(super) fn read(r: &mut Reader, v: &serde_json::Value) -> Option<ControlSet> {
    let items = r.array(v, "controls", 0, Control::ALL.len())?;
    let mut out = ControlSet::default();
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let path = format!("controls[{i}]");
        match item.as_str().and_then(Control::from_id) {
            Some(c) if c.is_lab_tool() => {
                r.problem(&path, c.id(), format!("not offered in a lesson; allowed: {}", Control::lesson_ids()));
                ok = false;
            }
            Some(c) if !out.contains(c) => out = out.with(c),
            Some(c) => {
                r.problem(&path, c.id(), "named twice; each control once");
                ok = false;
            }
            None => {
                r.problem(&path, &super::read::shown(item), format!("allowed: {}", Control::lesson_ids()));
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

/// The problem with a step whose `controls` hide one its task needs: the learner could not
/// do it (`lbsim lesson check` and the page both refuse such a lesson).
pub(super) fn check(r: &mut Reader, given: ControlSet, task: Option<&Task>, actions: &[Action]) {
    for c in used(task, actions).iter().filter(|&c| !given.contains(c)) {
        r.problem(
            "controls",
            c.id(),
            format!("the step's task or try needs {c}, which these controls hide: add it, or leave controls out"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Lesson, builtin};
    use crate::controls::Control::{self, *};

    fn controls(lesson: &str) -> Vec<Vec<Control>> {
        builtin::lesson(lesson).expect(lesson).steps().iter().map(|s| s.controls().iter().collect()).collect()
    }

    #[test]
    fn a_built_in_step_shows_what_its_task_needs_and_no_more() {
        // "Fire nine requests"; a question; "complete two requests on server2"; "fire two"; a question
        assert_eq!(
            controls("course"),
            [
                vec![Play, Reset, Fire],
                vec![Play, Reset],
                vec![Play, Reset, Fire, ServerActions],
                vec![Play, Reset, Fire],
                vec![Play, Reset],
            ]
        );
        // "pick round robin" and watch the slow server fill; "pick least connections again"
        assert_eq!(controls("slow-server"), [vec![Play, Reset, Algo], vec![Play, Reset, Algo]]);
        // fail server1 and watch the health check notice; a question; heal, turn retry on, fail it again
        assert_eq!(
            controls("failures"),
            [vec![Play, Reset, ServerActions], vec![Play, Reset], vec![Play, Reset, ServerActions, Failures]]
        );
        for name in builtin::names() {
            for (i, c) in controls(name).iter().enumerate() {
                assert!(
                    !c.contains(&Mode) && !c.contains(&Experiments) && !c.contains(&Files),
                    "{name} step {i}: {c:?}"
                );
            }
        }
    }

    #[test]
    fn a_step_names_the_settings_its_task_asks_for_then_those_its_try_sets() {
        let used = |lesson: &str| -> Vec<Vec<&str>> {
            builtin::lesson(lesson).expect(lesson).steps().iter().map(|s| s.settings_used()).collect()
        };
        // "pick round robin"; "pick least connections again"
        assert_eq!(used("slow-server"), [vec!["algo"], vec!["algo"]]);
        // heal, turn retry on, fail it again: the retry box is the field to mark
        assert_eq!(used("failures")[2], ["retries"]);
        assert!(used("course").iter().all(|s| s.is_empty()), "the course's steps fire and complete");
    }

    fn lesson_with(controls: &str, task: &str, try_: &str) -> Result<Lesson, String> {
        let json = format!(
            r#"{{"title": "t", "steps": [{{"text": "x", "scenario": "servers=3&mode=manual", "controls": {controls},
                 "task": {task}, "try": {try_}}}]}}"#
        );
        Lesson::parse(&json).map_err(|p| p.to_string())
    }

    #[test]
    fn a_step_names_its_controls_and_may_not_hide_what_its_task_needs() {
        let fire = r#"{"when": [{"arrived": {"at_least": 2}}]}"#;
        let lesson = lesson_with(r#"["fire", "play"]"#, fire, r#"[{"fire": 2}]"#).expect("a lesson");
        assert_eq!(
            lesson.steps()[0].controls().iter().collect::<Vec<_>>(),
            [Play, Fire],
            "as given, in the page's order"
        );
        let hidden = lesson_with(r#"["play"]"#, fire, r#"[{"fire": 2}]"#).expect_err("fire hidden");
        assert!(
            hidden.contains("step 1, controls") && hidden.contains("needs fire, which these controls hide"),
            "{hidden}"
        );
        let unknown = lesson_with(r#"["fire", "bogus"]"#, fire, r#"[{"fire": 2}]"#).expect_err("no such control");
        assert!(unknown.contains("controls[1]=\"\\\"bogus\\\"\"") || unknown.contains("bogus"), "{unknown}");
        assert!(unknown.contains("allowed: play, step, reset, fire, servers"), "{unknown}");
        let tool = lesson_with(r#"["fire", "share"]"#, fire, r#"[{"fire": 2}]"#).expect_err("a lab tool");
        assert!(tool.contains("not offered in a lesson; allowed: play, step,"), "{tool}");
        assert!(!tool.contains("allowed: play, step, reset, fire, servers, server-actions, algo, rate, cost, dist, spread, workers, queue, speed, mode, share"), "{tool}");
        let twice = lesson_with(r#"["fire", "fire"]"#, fire, r#"[{"fire": 2}]"#).expect_err("named twice");
        assert!(twice.contains("named twice"), "{twice}");
        let algo = r#"{"when": [{"setting": "algo", "is": "least-connections"}]}"#;
        let set = r#"[{"set": {"algo": "least-connections"}}]"#;
        assert!(lesson_with(r#"["play"]"#, algo, set).expect_err("algo hidden").contains("needs algo"));
    }
}
