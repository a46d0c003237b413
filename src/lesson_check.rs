//! "Check this lesson", in the lesson page: plays every step's `try` headless, as
//! `lbsim lesson check` does, and shows the same report line for line ([`lbcore::lesson::Check`]
//! words it for both): the heading, a step's line as each step ends, then the verdict.
//!
//! Two halves. The lesson build carries only [`LessonCheck`], a button: pressed, it loads the
//! check bundle (`src/bin/lesson_check.rs`, through `static/check-loader.js`) and hands it the
//! lesson's setting and value ([`crate::on_demand::CHECK`]). The bundle carries [`show`]: it reads the lesson again with the
//! page's reader (a built-in one from lbcore, one in the link as it is, a file fetched again
//! within the player's bounds), plays it and writes the report under the button. In the lesson
//! build's first load the player and the report cost 10.2 KB gzip, past its gate.
//!
//! Each step is held to the check's own bounds (1,000,000 events for its `try`, as many left
//! alone, 2,000,000 replayed; docs/limits.md), and the page draws between steps: one step per
//! turn of the event loop. While a check runs the button reads "Stop the check": pressed, it
//! drops the check before its next step and says so under the lines so far ("Stopped at step
//! 3."); pressed again, it starts the check again.

use std::cell::RefCell;

use gloo::timers::callback::Timeout;
use js_sys::Function;
use lbcore::lesson::{Check, Lesson, refused};
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use crate::on_demand;
use crate::settings::LessonSource;

/// The id of the element the report is written into.
pub const REPORT_ID: &str = "lesson-check-report";

/// A check under way (check bundle).
struct Run {
    /// Which run: the steps and the read of a run stopped or replaced find another here.
    id: u32,
    /// The check, once the lesson is read.
    check: Option<Check>,
    /// The report so far.
    lines: Vec<String>,
    /// Resolves the promise [`show`] gave: the check has ended.
    ended: Function,
}

impl Run {
    /// Writes the report with `last` after its lines, and says the check has ended.
    fn end(self, last: Option<String>) {
        let mut lines = self.lines;
        lines.extend(last);
        write(&lines);
        let _ = self.ended.call0(&JsValue::NULL);
    }
}

thread_local! {
    /// The last run's id, and the check under way if there is one (check bundle).
    static RUN: RefCell<(u32, Option<Run>)> = const { RefCell::new((0, None)) };
}

/// The report's last line for a check stopped with `played` steps played (`None`: the lesson
/// was still being read): the step it stopped at, the first not played.
fn stopped(played: Option<usize>) -> String {
    match played {
        Some(played) => format!("Stopped at step {}.", played + 1),
        None => "Stopped while reading the lesson.".to_string(),
    }
}

/// How the report names the lesson of `source`, as `lbsim lesson check` names its lesson: a
/// built-in one by its name, a file by its path between quotes, one in the link as the setting.
pub fn shown(key: &str, value: &str) -> String {
    if key == "lesson-data" {
        key.to_string()
    } else if lbcore::lesson::builtin::NAMES.contains(&value) {
        format!("built-in {value}")
    } else {
        format!("\"{}\"", lbcore::scenario::quoted(value))
    }
}

/// Writes `lines` under the button, in place of what was there (a line each).
fn write(lines: &[String]) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(root) = document.get_element_by_id(REPORT_ID) else { return };
    root.set_text_content(None);
    for line in lines {
        if let Ok(div) = document.create_element("div") {
            div.set_text_content(Some(line));
            let _ = root.append_child(&div);
        }
    }
}

/// The check bundle's side: checks the lesson the setting `key` (`lesson`, `lesson-data`) gives
/// as `value`, writing the report into the element [`REPORT_ID`] a step at a time; the promise
/// it gives resolves when the check ends (its verdict, or stopped).
pub fn show(key: String, value: String) -> js_sys::Promise {
    let mut ended = None;
    let promise = js_sys::Promise::new(&mut |resolve, _| ended = Some(resolve));
    let Some(ended) = ended else { return promise };
    let run = RUN.with_borrow_mut(|(n, under_way)| {
        *n += 1;
        let last = under_way.replace(Run { id: *n, check: None, lines: Vec::new(), ended });
        if let Some(last) = last {
            let _ = last.ended.call0(&JsValue::NULL);
        }
        *n
    });
    start(run, key, value);
    promise
}

/// Stops the check under way, if there is one: no further step is played, and the report says
/// where it stopped.
pub fn stop() {
    if let Some(run) = RUN.with_borrow_mut(|(_, under_way)| under_way.take()) {
        // the lines so far: the heading, then one a step played
        let said = stopped(run.check.as_ref().map(|_| run.lines.len().saturating_sub(1)));
        run.end(Some(said));
    }
}

/// The run `run` under way, if it still is, given to `f`.
fn with_run<T>(run: u32, f: impl FnOnce(&mut Run) -> T) -> Option<T> {
    RUN.with_borrow_mut(|(_, under_way)| under_way.as_mut().filter(|r| r.id == run).map(f))
}

/// Ends run `run` with `last` as its report's last lines, if it is still under way.
fn finish(run: u32, last: Vec<String>) {
    let ended =
        RUN.with_borrow_mut(
            |(_, under_way)| {
                if under_way.as_ref().is_some_and(|r| r.id == run) { under_way.take() } else { None }
            },
        );
    if let Some(mut ended) = ended {
        ended.lines.extend(last);
        ended.end(None);
    }
}

/// Reads the lesson of run `run` again and plays its first step.
fn start(run: u32, key: String, value: String) {
    wasm_bindgen_futures::spawn_local(async move {
        let shown = shown(&key, &value);
        let json = match key.as_str() {
            "lesson-data" => value,
            _ => {
                let max = lbcore::lesson::MAX_LESSON_BYTES;
                let ms = crate::lesson_player::FETCH_SECONDS * 1000;
                let builtin = lbcore::lesson::builtin::NAMES.contains(&value.as_str());
                let path = if builtin { crate::lesson_player::builtin_path(&value) } else { value.clone() };
                match crate::lesson_player::fetch_text(&path, max, ms).await {
                    Ok(json) => json,
                    Err(_) => {
                        return finish(
                            run,
                            vec![format!("{shown} could not be read again: reload the page to try again")],
                        );
                    }
                }
            }
        };
        match Lesson::parse(&json) {
            Ok(lesson) => {
                let check = Check::new(lesson);
                let heading = check.heading();
                let lines = with_run(run, |r| {
                    r.check = Some(check);
                    r.lines.push(heading);
                    r.lines.clone()
                });
                if let Some(lines) = lines {
                    write(&lines);
                    step(run, shown);
                }
            }
            Err(problems) => finish(run, refused(&shown, &problems).lines().map(String::from).collect()),
        }
    });
}

/// Plays the next step of run `run` after the page has drawn, and the one after, to the verdict;
/// nothing once the run is stopped or replaced.
fn step(run: u32, shown: String) {
    Timeout::new(0, move || {
        let next = with_run(run, |r| {
            let check = r.check.as_mut()?;
            let line = check.next_line()?;
            r.lines.push(line);
            Some(r.lines.clone())
        });
        match next {
            None => {}
            Some(Some(lines)) => {
                write(&lines);
                step(run, shown);
            }
            Some(None) => {
                let verdict = with_run(run, |r| match r.check.as_ref()?.verdict() {
                    Ok(passed) => Some(passed.to_string()),
                    Err(why) => Some(format!("{shown}: {why}")),
                });
                finish(run, verdict.flatten().into_iter().collect());
            }
        }
    })
    .forget();
}

/// The button's inputs.
#[derive(Properties, PartialEq)]
pub struct LessonCheckProps {
    /// Where the lesson came from.
    pub source: LessonSource,
}

/// The lesson build's side: the button, and the element the bundle writes the report into.
/// While a check runs the button stops it.
#[function_component]
pub fn LessonCheck(props: &LessonCheckProps) -> Html {
    let running = use_state_eq(|| false);
    let onclick = {
        let (source, running) = (props.source.clone(), running.clone());
        Callback::from(move |_: MouseEvent| {
            let (key, value) = source.pair();
            let (key, value) = (key.to_string(), value.to_string());
            let (running, stopping) = (running.clone(), *running);
            running.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                if stopping {
                    // the stop resolves the promise the check gave, which sets the button back
                    let _ = on_demand::call("stop_check", &[]).await;
                    return;
                }
                match on_demand::call("show_check", &[&key, &value]).await {
                    Ok(ended) => {
                        if let Ok(ended) = ended.dyn_into::<js_sys::Promise>() {
                            let _ = wasm_bindgen_futures::JsFuture::from(ended).await;
                        }
                    }
                    Err(_) => write(&["The check could not load. Reload the page to try again.".into()]),
                }
                running.set(false);
            });
        })
    };
    html! {
        <div class="lesson-check">
            <button type="button" class="quiet" data-testid="lesson-check" {onclick}>
                { if *running { "Stop the check" } else { "Check this lesson" } }</button>
            <div id={REPORT_ID} role="status" data-testid="lesson-check-report"></div>
        </div>
    }
}
