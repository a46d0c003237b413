//! "Check this lesson", in the lesson page: plays every step's `try` headless, as
//! `lbsim lesson check` does, and shows the same report line for line ([`lbcore::lesson::Check`]
//! words it for both): the heading, a step's line as each step ends, then the verdict.
//!
//! Two halves. The lesson build carries only [`LessonCheck`], a button: pressed, it loads the
//! check bundle (`src/bin/lesson_check.rs`, through `static/check-loader.js`) and hands it the
//! lesson's setting and value. The bundle carries [`show`]: it reads the lesson again with the
//! page's reader (a built-in one from lbcore, one in the link as it is, a file fetched again
//! within the player's bounds), plays it and writes the report under the button. In the lesson
//! build's first load the player and the report cost 10.2 KB gzip, past its gate.
//!
//! Each step is held to the check's own bounds (1,000,000 events for its `try`, as many left
//! alone, 2,000,000 replayed; docs/limits.md), and the page draws between steps: one step per
//! turn of the event loop. Pressing the button again starts the check again.

use std::cell::RefCell;

use gloo::timers::callback::Timeout;
use js_sys::{Function, Reflect};
use lbcore::lesson::{Check, Lesson, refused};
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use crate::settings::LessonSource;

/// The id of the element the report is written into.
pub const REPORT_ID: &str = "lesson-check-report";

thread_local! {
    /// The check bundle's load, once asked for (lesson build).
    static LOAD: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
    /// The check under way and the run it belongs to (check bundle): a new run drops the last.
    static RUN: RefCell<(u32, Option<Check>)> = const { RefCell::new((0, None)) };
}

/// How the report names the lesson of `source`, as `lbsim lesson check` names its lesson: a
/// built-in one by its name, a file by its path between quotes, one in the link as the setting.
pub fn shown(key: &str, value: &str) -> String {
    if key == "lesson-data" {
        key.to_string()
    } else if lbcore::lesson::builtin::json(value).is_some() {
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
/// as `value`, writing the report into the element [`REPORT_ID`] a step at a time.
pub fn show(key: String, value: String) {
    let run = RUN.with_borrow_mut(|(n, check)| {
        *n += 1;
        *check = None;
        *n
    });
    wasm_bindgen_futures::spawn_local(async move {
        let shown = shown(&key, &value);
        let json = match (key.as_str(), lbcore::lesson::builtin::json(&value)) {
            ("lesson-data", _) => value,
            (_, Some(json)) => json.to_string(),
            _ => {
                let max = lbcore::lesson::MAX_LESSON_BYTES;
                let ms = crate::lesson_player::FETCH_SECONDS * 1000;
                match crate::lesson_player::fetch_text(&value, max, ms).await {
                    Ok(json) => json,
                    Err(_) => {
                        return write(&[format!("{shown} could not be read again: reload the page to try again")]);
                    }
                }
            }
        };
        let mut lines = Vec::new();
        match Lesson::parse(&json) {
            Ok(lesson) => {
                let check = Check::new(lesson);
                lines.push(check.heading());
                RUN.with_borrow_mut(|r| r.1 = Some(check));
            }
            Err(problems) => lines.extend(refused(&shown, &problems).lines().map(String::from)),
        }
        write(&lines);
        step(run, shown, lines);
    });
}

/// Plays the next step of run `run` after the page has drawn, and the one after, to the verdict.
fn step(run: u32, shown: String, mut lines: Vec<String>) {
    Timeout::new(0, move || {
        let next = RUN.with_borrow_mut(|(n, under_way)| {
            let check = under_way.as_mut().filter(|_| *n == run)?;
            if let Some(line) = check.next_line() {
                return Some((line, true));
            }
            let verdict = match check.verdict() {
                Ok(passed) => passed.to_string(),
                Err(why) => format!("{shown}: {why}"),
            };
            *under_way = None;
            Some((verdict, false))
        });
        let Some((line, more)) = next else { return };
        lines.push(line);
        write(&lines);
        if more {
            step(run, shown, lines);
        }
    })
    .forget();
}

/// Adds `static/check-loader.js` to the page: a promise of the check bundle's exports (the
/// promise the loader leaves in `lbvizCheck`), rejected if the loader does not load. (The
/// lab's `on_demand::start` does the same for its bundle; a loader shared by both cost the lab's
/// first load 169 bytes of wasm, and the lab has none to spare.)
fn load() -> js_sys::Promise {
    js_sys::Promise::new(&mut |resolve: Function, reject: Function| {
        let document = web_sys::window().and_then(|w| w.document());
        let Some((script, head)) = document.and_then(|d| Some((d.create_element("script").ok()?, d.head()?))) else {
            let _ = reject.call0(&JsValue::NULL);
            return;
        };
        let _ = script.set_attribute("src", "check-loader.js");
        let loaded = wasm_bindgen::closure::Closure::once_into_js(move || {
            let exports = web_sys::window().and_then(|w| Reflect::get(&w, &"lbvizCheck".into()).ok());
            let _ = resolve.call1(&JsValue::NULL, &exports.unwrap_or(JsValue::UNDEFINED));
        });
        let failed = wasm_bindgen::closure::Closure::once_into_js(move || {
            let _ = reject.call0(&JsValue::NULL);
        });
        let _ = script.add_event_listener_with_callback("load", loaded.unchecked_ref());
        let _ = script.add_event_listener_with_callback("error", failed.unchecked_ref());
        let _ = head.append_child(&script);
    })
}

/// The button's inputs.
#[derive(Properties, PartialEq)]
pub struct LessonCheckProps {
    /// Where the lesson came from.
    pub source: LessonSource,
}

/// The lesson build's side: the button, and the element the bundle writes the report into.
#[function_component]
pub fn LessonCheck(props: &LessonCheckProps) -> Html {
    let onclick = {
        let source = props.source.clone();
        Callback::from(move |_: MouseEvent| {
            let (key, value) = source.pair();
            let (key, value) = (JsValue::from_str(key), JsValue::from_str(value));
            let load = LOAD.with_borrow_mut(|l| l.get_or_insert_with(load).clone());
            wasm_bindgen_futures::spawn_local(async move {
                let exports = wasm_bindgen_futures::JsFuture::from(load).await;
                let show = exports.ok().and_then(|e| Reflect::get(&e, &"show_check".into()).ok());
                match show.and_then(|f| f.dyn_into::<Function>().ok()) {
                    Some(f) => {
                        let _ = f.call2(&JsValue::NULL, &key, &value);
                    }
                    None => write(&["The check could not load. Reload the page to try again.".into()]),
                }
            });
        })
    };
    html! {
        <div class="lesson-check">
            <button type="button" class="quiet" data-testid="lesson-check" {onclick}>{ "Check this lesson" }</button>
            <div id={REPORT_ID} role="status" data-testid="lesson-check-report"></div>
        </div>
    }
}
