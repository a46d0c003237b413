//! `lbsim lesson`: an author's tools for guided lessons. `check FILE` (or `--builtin NAME`)
//! validates a lesson and plays each step's `try` script headless to prove its task can be
//! done, and only by the learner (not as the step starts, nor with the step left alone);
//! `list` names the built-in lessons. A lesson that is not valid is bad input (every problem
//! on its own line, status 2); a valid lesson whose task cannot be done, or is done before
//! the learner acts, fails the check (status 1).

use std::io::{Read, Write};
use std::path::Path;

use lbcore::lesson::{Lesson, MAX_LESSON_BYTES, Outcome, Start, builtin, play_each};
use lbcore::scenario::{MAX_PROBLEMS, quoted};

use crate::cli::{LessonArgs, LessonCommand};
use crate::error::Failure;

/// Runs a `lesson` subcommand.
pub fn lesson(args: &LessonArgs, out: &mut dyn Write) -> Result<(), Failure> {
    match &args.command {
        LessonCommand::List => {
            for name in builtin::names() {
                let title = builtin::lesson(name).map(|l| l.title).unwrap_or_default();
                writeln!(out, "{name}\t{title}")?;
            }
            Ok(())
        }
        LessonCommand::Check { file, builtin: name } => {
            let (shown, json) = match (file, name) {
                (Some(path), None) => (format!("\"{}\"", quoted(&path.display().to_string())), read(path)?),
                (None, Some(name)) => {
                    let json = builtin::json(name).ok_or_else(|| {
                        Failure::Usage(format!(
                            "--builtin \"{}\": no such lesson; allowed: {}",
                            quoted(name),
                            builtin::names().join(", ")
                        ))
                    })?;
                    (format!("built-in {name}"), json.to_string())
                }
                _ => return Err(Failure::Usage("lesson check needs a FILE or --builtin NAME, not both".into())),
            };
            check(&shown, &json, out)
        }
    }
}

/// Reads a lesson file of at most [`MAX_LESSON_BYTES`].
fn read(path: &Path) -> Result<String, Failure> {
    let path_text = path.display().to_string();
    let shown = quoted(&path_text);
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_LESSON_BYTES as u64 + 1).read_to_string(&mut text))
        .map_err(|e| Failure::Usage(format!("\"{shown}\": cannot read it: {e}")))?;
    if text.len() > MAX_LESSON_BYTES {
        return Err(Failure::Usage(format!(
            "\"{shown}\": larger than {} KB; a lesson is at most that",
            MAX_LESSON_BYTES / 1024
        )));
    }
    Ok(text)
}

/// Validates and plays a lesson, printing each step's line as the step ends.
fn check(shown: &str, json: &str, out: &mut dyn Write) -> Result<(), Failure> {
    let lesson = Lesson::parse(json).map_err(|problems| {
        let n = match problems.0.len() {
            1 => "1 problem".to_string(),
            n if n > MAX_PROBLEMS => format!("more than {MAX_PROBLEMS} problems"),
            n => format!("{n} problems"),
        };
        let lines: Vec<String> = problems.0.iter().map(|p| format!("  {p}")).collect();
        Failure::Usage(format!("{shown}: {n}:\n{}", lines.join("\n")))
    })?;
    let steps = lesson.steps();
    let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    let (n_steps, n_questions) = (plural(steps.len(), "step"), plural(lesson.questions(), "question"));
    writeln!(out, "{:?}: {n_steps}, {n_questions}", lesson.title)?;
    out.flush()?;
    let (mut failed, mut early) = (Vec::new(), Vec::new());
    play_each(&lesson, |r| -> Result<(), Failure> {
        let step = &steps[r.step - 1];
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
                lbcore::words::number(r.seconds, 3),
                lbcore::words::number(r.left_alone, 3)
            ),
            Outcome::NoTask => "no task".to_string(),
            Outcome::NotDone { why } => format!("NOT DONE: {why}"),
            Outcome::Early { why } => format!("EARLY: {why}"),
        };
        write!(out, "step {}: {start}; {what}", r.step)?;
        if !r.routed.is_empty() {
            write!(out, "; routed {}", r.routed.join(" "))?;
        }
        if let Some(answer) = &r.answer {
            write!(out, "; answer: {answer}")?;
        }
        writeln!(out)?;
        // each step's line as it ends: a lesson of 50 steps may take a minute
        out.flush()?;
        match r.outcome {
            Outcome::NotDone { .. } => failed.push(r.step.to_string()),
            Outcome::Early { .. } => early.push(r.step.to_string()),
            Outcome::Done { .. } | Outcome::NoTask => {}
        }
        Ok(())
    })?;
    if failed.is_empty() && early.is_empty() {
        writeln!(out, "ok: every task can be done, and only by the learner")?;
        return Ok(());
    }
    out.flush()?;
    let plural_s = |list: &[String]| if list.len() == 1 { "" } else { "s" };
    let steps = |list: &[String]| format!("the task of step{} {}", plural_s(list), list.join(", "));
    let mut why = Vec::new();
    if !failed.is_empty() {
        why.push(format!("{} cannot be done as its try says", steps(&failed)));
    }
    if !early.is_empty() {
        let (tasks, are) = if early.len() == 1 { ("task", "is") } else { ("tasks", "are") };
        why.push(format!(
            "the {tasks} of step{} {} {are} done before the learner acts",
            plural_s(&early),
            early.join(", ")
        ));
    }
    Err(Failure::Check(format!("{shown}: {}", why.join("; "))))
}
