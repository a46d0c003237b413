//! `lbsim lesson`: an author's tools for guided lessons. `check FILE` (or `--builtin NAME`)
//! validates a lesson and plays each step's `try` script headless to prove its task can be
//! done, and only by the learner (not as the step starts, nor with the step left alone);
//! `list` names the built-in lessons. A lesson that is not valid is bad input (every problem
//! on its own line, status 2); a valid lesson whose task cannot be done, or is done before
//! the learner acts, fails the check (status 1).

use std::io::{Read, Write};
use std::path::Path;

use lbcore::lesson::{Check, Lesson, MAX_LESSON_BYTES, builtin, refused};
use lbcore::scenario::quoted;

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

/// Validates and plays a lesson, printing each step's line as the step ends: the report
/// lbcore words ([`Check`]), as the page's "Check this lesson" shows it.
fn check(shown: &str, json: &str, out: &mut dyn Write) -> Result<(), Failure> {
    let lesson = Lesson::parse(json).map_err(|problems| Failure::Usage(refused(shown, &problems)))?;
    let mut check = Check::new(lesson);
    writeln!(out, "{}", check.heading())?;
    out.flush()?;
    while let Some(line) = check.next_line() {
        writeln!(out, "{line}")?;
        // each step's line as it ends: a lesson of 50 steps may take a minute
        out.flush()?;
    }
    match check.verdict() {
        Ok(passed) => {
            writeln!(out, "{passed}")?;
            Ok(())
        }
        Err(why) => {
            out.flush()?;
            Err(Failure::Check(format!("{shown}: {why}")))
        }
    }
}
