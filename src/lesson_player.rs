//! The guided-lesson player: a card above the lab that reads a lesson (`lesson=NAME`, a file
//! on this site, or `lesson-data=`), starts each step's scenario, checks its task against the
//! running engine, asks its question, gives feedback, and moves on with Next or Skip to a
//! final score; the host page hears each step and the end ([`crate::host`]).
//!
//! Only the lesson build carries it (`src/bin/lesson.rs`, loaded by `static/loader.js` when the
//! URL names a lesson): the lab's own first load holds none of this code nor the lessons' JSON
//! reader. The rules (reading, checking, scoring) are lbcore's ([`lbcore::lesson`]); this
//! module only draws them and wires them to the app's actions.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use lbcore::Engine;
use lbcore::lesson::{Answer, Kind, Lesson, Mark, Progress, Start, Style, Task, Text, Verdict, View, builtin};
use yew::prelude::*;

use crate::components::lesson_problems;
use crate::host;
use crate::lesson_check::LessonCheck;
use crate::lesson_show as show;
use crate::settings::{Control, LessonSource, Mode};
use crate::state::{Action, AppState};

/// The player's inputs: the app's state and its actions.
#[derive(Properties, PartialEq)]
pub struct LessonPlayerProps {
    /// The app's state (the running engine and its settings).
    pub state: UseReducerHandle<AppState>,
    /// The app's actions.
    pub on: Callback<Action>,
}

/// What the app draws for the lesson build: the player, when the URL names a lesson.
pub fn view(state: &UseReducerHandle<AppState>, on: &Callback<Action>) -> Html {
    if state.settings.lesson.is_none() {
        return Html::default();
    }
    html! { <LessonPlayer state={state.clone()} on={on.clone()} /> }
}

/// The lesson as read: still loading (a file on this site), unusable (its problems), not
/// reached (why: the file never came, so there is nothing to check), or ready.
#[derive(Clone, PartialEq)]
enum Loaded {
    Loading,
    Failed(Rc<[String]>),
    Unreached(Rc<str>),
    Ready(Rc<Lesson>),
}

/// Where `lesson=` points: a built-in lesson, or a path on this site ending in `.json` (no
/// scheme, no host, no `..` and no `%`, which the browser would decode into one: `%2e%2e`
/// is `..` to it), fetched; anything else is refused, saying what is allowed.
#[derive(Clone, Debug, PartialEq)]
enum Named {
    Builtin(&'static str),
    Path(String),
}

/// Where the site keeps built-in lesson `name`: `lessons/NAME.json` beside the page (the build
/// copies the repository's `lessons/` there).
pub fn builtin_path(name: &str) -> String {
    format!("lessons/{name}.json")
}

impl Named {
    /// The file to fetch: a built-in lesson's is [`builtin_path`] (so that the lesson build
    /// carries no lesson's JSON).
    fn path(&self) -> String {
        match self {
            Named::Builtin(name) => builtin_path(name),
            Named::Path(path) => path.clone(),
        }
    }
}

fn named(value: &str) -> Result<Named, String> {
    if let Some(name) = builtin::names().into_iter().find(|n| *n == value) {
        return Ok(Named::Builtin(name));
    }
    let odd = |c: char| c.is_control() || c.is_whitespace() || matches!(c, '\\' | ':' | '?' | '#' | '%');
    let on_this_site = !value.starts_with("//") && !value.split('/').any(|part| part == "..") && !value.contains(odd);
    if value.ends_with(".json") && on_this_site {
        return Ok(Named::Path(value.to_string()));
    }
    Err(format!(
        "lesson {}: allowed: a built-in lesson ({}) or the path of a .json lesson file on this site, such as \
         ./lessons/mine.json (without .., %, \\, :, ?, # or spaces)",
        lbcore::scenario::quote_short(value),
        builtin::names().join(", ")
    ))
}

/// Reads a lesson given in the URL; a built-in lesson or a file on this site is
/// [`Loaded::Loading`] until fetched.
fn read(source: &LessonSource) -> Loaded {
    let parsed = match source {
        LessonSource::Named(value) => match named(value) {
            Ok(_) => return Loaded::Loading,
            Err(why) => return Loaded::Failed(Rc::from(vec![why])),
        },
        LessonSource::Data(json) => Lesson::parse(json),
    };
    match parsed {
        Ok(lesson) => Loaded::Ready(Rc::new(lesson)),
        Err(problems) => {
            let mut lines: Vec<String> = problems.0.iter().map(|p| p.to_string()).collect();
            // JSON cut by the URL's own &, # or +: say so first, as the address came
            if let (LessonSource::Data(_), Some(location)) = (source, web_sys::window().map(|w| w.location())) {
                let (query, hash) = (location.search().unwrap_or_default(), location.hash().unwrap_or_default());
                lines.splice(0..0, lbcore::lesson::unencoded(&query, &hash).map(|p| p.to_string()));
            }
            Loaded::Failed(lines.into())
        }
    }
}

/// Seconds a lesson file has to arrive, whole, before the player gives up on it: a server
/// that never answered left "Loading the lesson…" up for good.
pub const FETCH_SECONDS: u32 = 15;

/// Fetches a lesson file from this site and reads it.
async fn fetch(path: &str) -> Loaded {
    let failed = |why: String| Loaded::Failed(Rc::from(vec![why]));
    let unreached = |why: String| Loaded::Unreached(why.into());
    let max = lbcore::lesson::MAX_LESSON_BYTES;
    let json = match fetch_text(path, max, FETCH_SECONDS * 1000).await {
        Ok(json) => json,
        Err(Unfetched::TimedOut) => {
            return unreached(format!(
                "{path} did not arrive within {FETCH_SECONDS} seconds: the site did not answer in time. Reload the \
                 page to try again; if it still does not load, the site may be down or the file moved: ask whoever \
                 gave you the link."
            ));
        }
        Err(Unfetched::Failed(why)) => return unreached(format!("{path} could not be fetched: {why}")),
        Err(Unfetched::Status(status)) => {
            return unreached(format!("{path} could not be fetched: the server answered {status}"));
        }
        Err(Unfetched::TooLarge(bytes)) => {
            return failed(format!("{path} is {bytes} bytes; allowed: a lesson file of at most {} KB", max / 1024));
        }
        Err(Unfetched::Unread(Unread::TooLong)) => {
            return failed(format!("{path} is over {max} bytes; allowed: a lesson file of at most {} KB", max / 1024));
        }
        Err(Unfetched::Unread(Unread::NotText)) => return failed(format!("{path} could not be read as text")),
    };
    match Lesson::parse(&json) {
        Ok(lesson) => Loaded::Ready(Rc::new(lesson)),
        Err(problems) => Loaded::Failed(problems.0.iter().map(|p| p.to_string()).collect()),
    }
}

/// Why a file's text did not arrive.
#[derive(Debug, PartialEq)]
pub enum Unfetched {
    /// No answer, or not the whole file, within the time allowed; the fetch was aborted.
    TimedOut,
    /// The request failed (the network, the browser), for this reason.
    Failed(String),
    /// The server answered with this status, not a success.
    Status(u16),
    /// The server said the file has this many bytes, past the limit; it was not read.
    TooLarge(u64),
    /// The body was not read.
    Unread(Unread),
}

/// The text of the file at `path` on this site: at most `max` bytes (refused unread when the
/// server declares more), within `ms` milliseconds from asking to its last byte, after which
/// the request is aborted, however far it got.
pub async fn fetch_text(path: &str, max: usize, ms: u32) -> Result<String, Unfetched> {
    use wasm_bindgen_futures::JsFuture;
    let failed = |e: wasm_bindgen::JsValue| Unfetched::Failed(crate::on_demand::describe(&e));
    let window = web_sys::window().ok_or_else(|| Unfetched::Failed("there is no window to fetch it".into()))?;
    let controller = web_sys::AbortController::new().map_err(failed)?;
    let signal = controller.signal();
    let init = web_sys::RequestInit::new();
    init.set_signal(Some(&signal));
    // Dropped at the end of the fetch, which cancels it.
    let timer = gloo::timers::callback::Timeout::new(ms, move || controller.abort());
    let fetched = async {
        let response = JsFuture::from(window.fetch_with_str_and_init(path, &init)).await.map_err(failed)?;
        let response: web_sys::Response = wasm_bindgen::JsCast::unchecked_into(response);
        if !response.ok() {
            return Err(Unfetched::Status(response.status()));
        }
        // A file larger than a lesson may be is refused before its body is read when the
        // server says its length, and read no further than the limit when it does not.
        let declared =
            response.headers().get("content-length").ok().flatten().and_then(|v| v.trim().parse::<u64>().ok());
        if let Some(bytes) = declared.filter(|&b| b > max as u64) {
            return Err(Unfetched::TooLarge(bytes));
        }
        read_at_most(&response, max).await.map_err(Unfetched::Unread)
    }
    .await;
    drop(timer);
    // An aborted fetch or read fails as any other would: the signal says it was the timer.
    fetched.map_err(|why| if signal.aborted() { Unfetched::TimedOut } else { why })
}

/// Why a body was not read.
#[derive(Debug, PartialEq)]
pub enum Unread {
    /// It went on past the limit; reading stopped there and the stream was cancelled.
    TooLong,
    /// It could not be read, or is not UTF-8 text.
    NotText,
}

/// The body of `response` as text, read chunk by chunk and given up as soon as it passes
/// `max` bytes, whatever length the server declared (or did not): memory stays bounded by
/// the limit plus one chunk.
pub async fn read_at_most(response: &web_sys::Response, max: usize) -> Result<String, Unread> {
    use js_sys::{Reflect, Uint8Array};
    use wasm_bindgen::{JsCast, JsValue};
    let Some(body) = response.body() else { return Ok(String::new()) };
    let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut bytes = Vec::new();
    loop {
        let chunk = wasm_bindgen_futures::JsFuture::from(reader.read()).await.map_err(|_| Unread::NotText)?;
        if Reflect::get(&chunk, &JsValue::from_str("done")).ok().and_then(|d| d.as_bool()).unwrap_or(true) {
            break;
        }
        let value = Reflect::get(&chunk, &JsValue::from_str("value")).map_err(|_| Unread::NotText)?;
        let value: Uint8Array = value.dyn_into().map_err(|_| Unread::NotText)?;
        if bytes.len() + value.length() as usize > max {
            let _ = reader.cancel();
            return Err(Unread::TooLong);
        }
        let start = bytes.len();
        bytes.resize(start + value.length() as usize, 0);
        value.copy_to(&mut bytes[start..]);
    }
    String::from_utf8(bytes).map_err(|_| Unread::NotText)
}

/// Where the learner stands.
struct Place {
    /// The step shown (from 0).
    step: usize,
    /// Whether that step's scenario was started.
    started: bool,
    /// The engine's counters and clock when the step began.
    mark: Mark,
    /// The learner's progress and score.
    progress: Progress,
    /// The verdict on this step's question, once answered.
    verdict: Option<Verdict>,
    /// The predict-mode guesses made when this step's prediction opened: the next guess is
    /// the answer.
    guesses_before: Option<u32>,
    /// The choice picked for this step's question.
    chosen: Option<usize>,
    /// Every answer so far, in words, for the host page.
    answers: Vec<Rc<str>>,
    /// Each step's first answer, in words, for the score.
    first: Vec<Option<Rc<str>>>,
    /// The lesson is over.
    finished: bool,
    /// What "Show me" has still to play of this step's `try`, while it plays.
    showing: Option<VecDeque<show::Move>>,
    /// Counts showings begun and stopped, so that a beat of a stopped one plays nothing.
    showings: u32,
    /// A showing played its whole script and the task is still to do: the lab had moved on
    /// from where the step began, and the card offers the step's restart.
    show_ended: bool,
    /// What was last saved of this place ([`crate::lesson_saved`]): saved again on a change.
    saved: Option<(usize, bool, Vec<lbcore::lesson::StepState>)>,
    /// The lab's clock when the card was last drawn: what a showing's beat reads (the
    /// engines behind it are replaced when the learner starts again).
    clock: lbcore::time::Nanos,
    /// Which run the card last drew (the address of the app's race): a new one (Reset, Back
    /// to the lesson, a new step) ends a showing, which was for the run left behind.
    run: usize,
}

impl Place {
    fn new(lesson: &Lesson) -> Place {
        Place {
            step: 0,
            started: false,
            mark: Mark::default(),
            progress: Progress::new(lesson),
            verdict: None,
            guesses_before: None,
            chosen: None,
            answers: Vec::new(),
            first: vec![None; lesson.steps().len()],
            finished: false,
            showing: None,
            showings: 0,
            show_ended: false,
            saved: None,
            clock: 0,
            run: 0,
        }
    }
}

/// Starts step `i`: a fresh scenario through the app's own link loader (the engine starts
/// at time zero, so its counters start at the mark), or the engine as it stands.
fn start(place: &mut Place, lesson: &Lesson, i: usize, engine: &Engine, on: &Callback<Action>) {
    place.step = i;
    place.started = true;
    place.verdict = None;
    place.guesses_before = None;
    place.chosen = None;
    place.showing = None;
    place.showings += 1;
    place.show_ended = false;
    match &lesson.steps()[i].start {
        Start::Fresh { query, .. } => {
            place.mark = Mark::default();
            // Where the lab's state came from: still true in the steps that continue this one.
            let about = format!("The scenario of the lesson's step {}, at time zero.", i + 1);
            on.emit(Action::LoadQuery(query.as_str().into(), about.into()));
        }
        Start::Continue => place.mark = Mark::of(engine),
    }
    on.emit(Action::StepControls(Some(lesson.steps()[i].controls())));
}

/// Where a learner who left at step `i` starts again: that step, or the step before it that
/// starts its own scenario when it continues the one before (its lab cannot be rebuilt).
fn resume_at(lesson: &Lesson, i: usize) -> usize {
    (0..=i).rev().find(|&j| matches!(lesson.steps()[j].start, Start::Fresh { .. })).unwrap_or(0)
}

/// The place kept for this lesson from before a reload, or a new one.
fn place_for(lesson: &Lesson, id: &str) -> (Place, usize) {
    let mut p = Place::new(lesson);
    let Some((saved, progress)) = crate::lesson_saved::load(id, lesson) else { return (p, 0) };
    p.progress = progress;
    p.first = saved.first.into_iter().map(|a| a.map(Rc::from)).collect();
    p.finished = saved.finished;
    (p, resume_at(lesson, saved.step))
}

/// Saves the place when it changed since it was last saved.
fn keep(p: &mut Place, lesson: &Lesson, id: &str) {
    let now = (p.step, p.finished, p.progress.states().to_vec());
    if p.saved.as_ref() != Some(&now) {
        let saved = crate::lesson_saved::Saved {
            title: lesson.title.clone(),
            step: p.step,
            finished: p.finished,
            states: now.2.clone(),
            first: p.first.iter().map(|a| a.as_deref().map(str::to_string)).collect(),
        };
        crate::lesson_saved::save(id, &saved);
        p.saved = Some(now);
    }
}

/// Where the page draws `control`, most precise first: the fields of the settings in `used`
/// (the step's, [`lbcore::lesson::Step::settings_used`]) that belong to it, then the element
/// that says it is that control (`data-control`), then the field of any setting it changes
/// or its own (`data-field`: the speed spread's slider, a rate's).
fn selectors(control: Control, used: &[&'static str]) -> Vec<String> {
    let field = |name: &str| format!("[data-field=\"{name}\"]");
    let mine = |name: &str| Control::of_setting(name) == Some(control);
    let fields = lbcore::scenario::SETTINGS.iter().map(|s| s.name).filter(|n| mine(n)).chain([control.id()]);
    used.iter()
        .filter(|n| mine(n))
        .map(|n| field(n))
        .chain([format!("[data-control=\"{}\"]", control.id())])
        .chain(fields.map(field))
        .collect()
}

/// Marks the controls step `i` names beyond those every step has (`data-named` in the
/// page), each by the field the step is about where it has one (the Algorithm select, not
/// the whole picker), and brings the last of them into view, a moment after the step's
/// controls are drawn (and again once the layout has settled).
fn mark_named(lesson: &Lesson, i: usize) {
    let step = &lesson.steps()[i];
    let used = step.settings_used();
    let named: Vec<Vec<String>> = step
        .controls()
        .iter()
        .filter(|c| !lbcore::lesson::EVERY_STEP.contains(c))
        .map(|c| selectors(c, &used))
        .collect();
    gloo::timers::callback::Timeout::new(60, move || {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        if let Ok(old) = document.query_selector_all("[data-named]") {
            for k in 0..old.length() {
                if let Some(e) = old.get(k).and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok()) {
                    let _ = e.remove_attribute("data-named");
                }
            }
        }
        let first = |s: &Vec<String>| s.iter().find_map(|s| document.query_selector(s).ok().flatten());
        let found: Vec<web_sys::Element> = named.iter().filter_map(first).collect();
        for e in &found {
            let _ = e.set_attribute("data-named", "");
        }
        let show = move || {
            if let Some(last) = found.last() {
                scroll_into_its_scroller(last);
            }
        };
        show();
        gloo::timers::callback::Timeout::new(400, show).forget();
    })
    .forget();
}

/// Scrolls the nearest scrolling ancestor of `e` (the controls panel) just enough to show it,
/// and nothing else: `scrollIntoView` would also scroll the frame's clipped boxes, moving the
/// lesson card's head out of sight.
fn scroll_into_its_scroller(e: &web_sys::Element) {
    let Some(window) = web_sys::window() else { return };
    let mut a = e.parent_element();
    while let Some(p) = a {
        let overflow =
            window.get_computed_style(&p).ok().flatten().and_then(|s| s.get_property_value("overflow-y").ok());
        if matches!(overflow.as_deref(), Some("auto" | "scroll")) && p.scroll_height() > p.client_height() {
            let (r, c) = (e.get_bounding_client_rect(), p.get_bounding_client_rect());
            let below = r.bottom() - c.bottom();
            let above = c.top() - r.top();
            if above > 0.0 || r.height() > c.height() {
                p.set_scroll_top(p.scroll_top() - above.ceil() as i32);
            } else if below > 0.0 {
                p.set_scroll_top(p.scroll_top() + below.ceil() as i32);
            }
            return;
        }
        a = p.parent_element();
    }
}

thread_local! {
    /// Whether the host has heard what the lesson read as ([`host::LESSON_READ`]).
    static READ_SAID: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The player.
#[function_component]
fn LessonPlayer(props: &LessonPlayerProps) -> Html {
    let state = &props.state;
    let source = state.settings.lesson.clone();
    let loaded = use_state(|| source.as_ref().map_or(Loaded::Failed(Rc::from(Vec::new())), read));
    {
        // The host hears what the lesson read as (the embed builder's preview shows the author).
        let origin = state.settings.origin.clone();
        let read = match &*loaded {
            Loaded::Loading | Loaded::Unreached(_) => None,
            Loaded::Failed(problems) => Some(host::lesson_read(None, 0, problems)),
            Loaded::Ready(lesson) => Some(host::lesson_read(Some(&lesson.title), lesson.steps().len(), &[])),
        };
        use_effect_with(read, move |read| {
            // once a page: the player may be drawn anew, the lesson is the same
            if let Some(read) = read
                && !READ_SAID.replace(true)
            {
                host::post(origin.as_deref(), read);
            }
        });
    }
    {
        let loaded = loaded.clone();
        use_effect_with((), move |_| {
            if let (Loaded::Loading, Some(LessonSource::Named(value))) = (&*loaded, source)
                && let Ok(named) = named(&value)
            {
                wasm_bindgen_futures::spawn_local(async move { loaded.set(fetch(&named.path()).await) });
            }
        });
    }
    let place = use_mut_ref(|| None::<Place>);
    let redraw = use_force_update();
    let body = use_node_ref();
    let card = use_node_ref();
    // The moment last drawn (step, task done, answered, finished): focus follows its changes.
    let moment_drawn = use_mut_ref(|| None::<Moment>);
    // Hooks below the early returns come in the same order whenever they run (a prefix of
    // the full list), as Yew requires.
    let lesson = match &*loaded {
        Loaded::Loading => {
            return html! {
                <section class="lesson" data-testid="lesson" aria-label="Lesson">
                    <p class="loading">{ "Loading the lesson…" }</p>
                </section>
            };
        }
        Loaded::Failed(problems) => return failed(state, problems, true),
        Loaded::Unreached(why) => return failed(state, &[why.to_string()], false),
        Loaded::Ready(lesson) => lesson.clone(),
    };
    // The first step starts once the lesson is read (after this render, as the app's
    // actions must not run while it draws).
    {
        let place = place.clone();
        let lesson = lesson.clone();
        let state = state.clone();
        let on = props.on.clone();
        let id = state.settings.lesson.as_ref().map_or("", |s| s.id()).to_string();
        use_effect_with(Rc::as_ptr(&lesson) as usize, move |_| {
            let (mut p, at) = place_for(&lesson, &id);
            start(&mut p, &lesson, at, &state.engine(), &on);
            *place.borrow_mut() = Some(p);
        });
    }
    let mut borrowed = place.borrow_mut();
    let Some(p) = borrowed.as_mut().filter(|p| p.started) else {
        return html! { <section class="lesson" data-testid="lesson" aria-label="Lesson"><p class="loading">{ "Starting the lesson…" }</p></section> };
    };
    let engine = state.engine();
    // The learner started again (Reset, Back to the lesson): count from the new start, and
    // stop showing what was being shown on the run that was left.
    if engine.now() < p.mark.at() {
        p.mark = Mark::default();
    }
    let run = Rc::as_ptr(&state.race) as usize;
    if run != p.run {
        p.showing = None;
        p.run = run;
    }
    p.clock = engine.now();
    let n = lesson.steps().len();
    let id: Rc<str> = state.settings.lesson.as_ref().map_or("", |s| s.id()).into();
    let origin = state.settings.origin.clone();

    keep(p, &lesson, &id);
    let restart = {
        let place = place.clone();
        let lesson = lesson.clone();
        let state = state.clone();
        let on = props.on.clone();
        let redraw = redraw.clone();
        Callback::from(move |_: MouseEvent| {
            let mut guard = place.borrow_mut();
            let Some(p) = guard.as_mut() else { return };
            let i = p.step;
            start(p, &lesson, i, &state.engine(), &on);
            drop(guard);
            redraw.force_update();
        })
    };

    if p.finished {
        let score = p.progress.score();
        let again = {
            let place = place.clone();
            let lesson = lesson.clone();
            let state = state.clone();
            let on = props.on.clone();
            Callback::from(move |_: MouseEvent| {
                let mut p = Place::new(&lesson);
                start(&mut p, &lesson, 0, &state.engine(), &on);
                *place.borrow_mut() = Some(p);
            })
        };
        follow_focus(&moment_drawn, (p.step, true, true, true), &card, "[data-testid=lesson-score]");
        return html! {
            <section class="lesson done" data-testid="lesson" aria-labelledby="lesson-title" ref={card}>
                <div class="lesson-head">
                    <h2 id="lesson-title">{ lesson.title.clone() }</h2>
                    <div class="lesson-nav">
                        <span class="lesson-count" data-testid="lesson-step">{ "Finished" }</span>
                        <button type="button" class="primary" data-testid="lesson-again" onclick={again}>{ "Start again" }</button>
                    </div>
                </div>
                <div class="lesson-body" tabindex="0" role="status" data-testid="lesson-score"
                     data-right={score.right.to_string()} data-questions={score.questions.to_string()}>
                    <p class="lesson-text"><strong>{ "Lesson complete." }</strong>{ " " }{ score_words(&score) }</p>
                    { answers_view(&lesson, p) }
                </div>
            </section>
        };
    }

    let i = p.step;
    let step = &lesson.steps()[i];
    let last_routed = state.last_guess.as_ref().map(|(_, answer)| answer.clone()).filter(|a| !a.is_empty());
    let view = View::new(&engine, p.mark).with_last_routed(last_routed.as_deref());
    let task_done = step.task.as_ref().is_none_or(|t| t.is_done(&view));
    if task_done && step.task.is_some() {
        p.progress.task_done(i);
    }
    let task_done = p.progress.state(i).is_some_and(|s| s.done) || step.task.is_none();
    // A showing ends with the task: the rest of its script is not needed.
    if task_done {
        p.showing = None;
        p.show_ended = false;
    }
    // A prediction opens once the task is done; the next guess is its answer.
    if let Some(q) =
        step.question.as_ref().filter(|q| task_done && p.verdict.is_none() && q.kind == Kind::PredictNextServer)
    {
        let before = *p.guesses_before.get_or_insert(state.score.1);
        if state.score.1 > before
            && let Some((guess, _)) = &state.last_guess
        {
            let verdict = q.check(&Answer::Server(guess.to_string()), &view);
            p.progress.answered(i, &verdict);
            p.answers.push(guess.clone());
            p.first[i].get_or_insert_with(|| guess.clone());
            p.verdict = Some(verdict);
        }
    }
    let can_advance = p.progress.can_advance(i);
    let last = i + 1 == n;

    let advance = |skip: bool| {
        let place = place.clone();
        let lesson = lesson.clone();
        let state = state.clone();
        let on = props.on.clone();
        let id = id.clone();
        let origin = origin.clone();
        let redraw = redraw.clone();
        Callback::from(move |_: MouseEvent| {
            let mut guard = place.borrow_mut();
            let Some(p) = guard.as_mut() else { return };
            let i = p.step;
            if skip {
                p.progress.skip(i);
            }
            let score = p.progress.score();
            let right_of = (score.right as u32, score.questions as u32);
            let message = if i + 1 == lesson.steps().len() { host::lesson_complete } else { host::lesson_step };
            host::post(origin.as_deref(), &message(&id, i as u32 + 1, &p.answers, right_of));
            if i + 1 == lesson.steps().len() {
                p.finished = true;
            } else {
                start(p, &lesson, i + 1, &state.engine(), &on);
            }
            drop(guard);
            redraw.force_update();
        })
    };

    // "Show me" plays the step's `try` in the lab while the task is to do.
    let show_me = (!task_done && !step.try_actions.is_empty()).then(|| {
        let showing = p.showing.is_some();
        let onclick = {
            let place = place.clone();
            let lesson = lesson.clone();
            let on = props.on.clone();
            let redraw = redraw.clone();
            Callback::from(move |_: MouseEvent| toggle_showing(&place, &lesson, &on, &redraw))
        };
        html! {
            <button type="button" class="quiet show-me" data-testid="lesson-show" aria-pressed={showing.to_string()} {onclick}
                    title="Plays the task in the lab, step by step, for you to watch">
                { if showing { "Stop showing" } else { "Show me" } }</button>
        }
    });
    let task = step.task.as_ref().map(|t| task_view(t, &view, task_done, show_me));
    // The figures the step asks the learner to read, live, where the metrics panel may give way.
    let watch = (!step.watch.is_empty()).then(|| {
        html! {
            <p class="lesson-watch" data-testid="lesson-watch">
                { for step.watch.iter().map(|q| html! { <span data-quantity={q.name()}>{ q.watch_words(&view) }</span> }) }
            </p>
        }
    });
    // Show me played its whole script from where the learner was, and the task is still to
    // do: say so, and offer the step's start again (from which the script does finish it).
    // Or, without Show me, the step's faults are over with its task to do, past the time the
    // step's `try` takes from its start: the run can no longer show what the step is about
    // (the backoff lesson's outage, for a learner who pressed Play before typing the rate).
    // Both are short, so that the button stays in view in a 720x480 frame beside the task.
    let over = (!task_done && p.showing.is_none()).then(|| faults_over(&engine, p.mark.at(), &step.try_actions));
    let stuck = match (p.show_ended && !task_done, over.flatten()) {
        (true, _) => Some(("Show me cannot finish from here: the lab has moved on. ".to_string(), " and Show me again.")),
        (false, Some(end)) => Some((
            format!("The faults ended at {} s. ", lbcore::decimal::shortest(end)),
            " to see them again.",
        )),
        (false, None) => None,
    }
    .map(|(said, then)| {
        html! {
            <p class="notice stuck" role="alert" data-testid="lesson-stuck">
                { said }
                <button type="button" class="quiet" data-testid="lesson-stuck-restart" onclick={restart.clone()}>{ "Restart this step" }</button>
                { then }
            </p>
        }
    });
    // A new step shows its choices from the top.
    {
        let body = body.clone();
        use_effect_with(i, move |_| {
            if let Some(list) =
                body.cast::<web_sys::Element>().and_then(|b| b.query_selector(".choices").ok().flatten())
            {
                list.set_scroll_top(0);
            }
        });
    }
    let question = step.question.as_ref().filter(|_| task_done).map(|q| {
        let answered = p.verdict.clone();
        let body = match &q.kind {
            Kind::Choose(choices) => {
                let buttons = choices.iter().enumerate().map(|(c, choice)| {
                    let onclick = {
                        let place = place.clone();
                        let redraw = redraw.clone();
                        let lesson = lesson.clone();
                        let words: Rc<str> = choice.text.plain().into();
                        Callback::from(move |_: MouseEvent| {
                            let mut guard = place.borrow_mut();
                            let Some(p) = guard.as_mut() else { return };
                            let Some(q) = lesson.steps()[p.step].question.as_ref() else { return };
                            if q.kind == Kind::PredictNextServer {
                                return;
                            }
                            let verdict = q.choice_verdict(c);
                            if p.verdict.is_none() {
                                p.answers.push(words.clone());
                            }
                            let i = p.step;
                            p.first[i].get_or_insert_with(|| words.clone());
                            p.progress.answered(i, &verdict);
                            p.verdict = Some(verdict);
                            p.chosen = Some(c);
                            drop(guard);
                            redraw.force_update();
                        })
                    };
                    let chosen = p.chosen == Some(c);
                    html! {
                        <li><button type="button" class={classes!("choice", chosen.then_some("chosen"))}
                                    data-testid="lesson-choice" aria-pressed={chosen.to_string()} {onclick}>
                            { text(&choice.text) }</button></li>
                    }
                });
                html! { <ul class="choices">{ for buttons }</ul> }
            }
            Kind::PredictNextServer if state.settings.mode == Mode::Predict => html! {
                <p class="hint">{ "Click your guess under the chart: one request is fired and checked." }</p>
            },
            Kind::PredictNextServer => {
                let buttons = engine.servers().iter().map(|s| {
                    let name: Rc<str> = Rc::from(&*s.name);
                    let onclick = props.on.reform({
                        let name = name.clone();
                        move |_: MouseEvent| Action::Predict(name.clone())
                    });
                    html! { <li><button type="button" class="choice" data-testid="lesson-guess" {onclick}
                    disabled={answered.is_some()}>{ name.to_string() }</button></li> }
                });
                html! { <ul class="choices servers">{ for buttons }</ul> }
            }
        };
        let feedback = answered.map(|v| {
            html! {
                <p class={classes!("feedback", if v.right { "right" } else { "wrong" })} data-testid="lesson-feedback"
                   data-right={v.right.to_string()}>
                    <strong>{ if v.right { "Right. " } else { "Not quite. " } }</strong>{ v.feedback }
                </p>
            }
        });
        html! {
            <fieldset class="question" data-testid="lesson-question">
                <legend>{ text(&q.ask) }</legend>
                { body }
                <div role="status" class="feedback-slot">{ for feedback }</div>
            </fieldset>
        }
    });
    let predicts = step.question.as_ref().is_some_and(|q| q.kind == Kind::PredictNextServer);
    let next_label = if last { "Finish" } else { "Next" };
    // The hint names the button as it reads: Finish on the last step.
    let waiting = match (can_advance, task_done, last) {
        (true, _, _) => None,
        (false, false, false) => Some("Next opens when the task is done."),
        (false, false, true) => Some("Finish opens when the task is done."),
        (false, true, false) => Some("Next opens when you answer."),
        (false, true, true) => Some("Finish opens when you answer."),
    };
    let restart_title = match step.start {
        Start::Fresh { .. } => "Start this step again: its scenario from time zero, its task to do",
        Start::Continue => "Start this step's task again: its counts from now",
    };
    // Focus follows the lesson: a new step's words, the question once the task is done, Next
    // once answered (so that Tab goes on from there, not from the top of the page).
    let moment = (i, task_done, p.verdict.is_some(), false);
    let focus_to = if p.verdict.is_some() && can_advance {
        "[data-testid=lesson-next]"
    } else if task_done && step.question.is_some() {
        ".question button:not([disabled]), .question legend"
    } else if task_done {
        "[data-testid=lesson-next]"
    } else {
        ".lesson-body"
    };
    let new_step = moment_drawn.borrow().is_none_or(|m| m.0 != i || m.3);
    follow_focus(&moment_drawn, moment, &card, focus_to);
    if new_step {
        mark_named(&lesson, i);
    }

    html! {
        // A step that asks for a prediction counts its requests one by one and fires the answer's
        // own: lesson.css hides the burst, and every fire button while the prediction is open.
        <section class={classes!("lesson", predicts.then_some("predicts"))} data-testid="lesson" data-step={(i + 1).to_string()} aria-labelledby="lesson-title" ref={card}>
            <div class="lesson-head">
                <h2 id="lesson-title">{ lesson.title.clone() }</h2>
                <div class="lesson-nav">
                    <span class="lesson-count" data-testid="lesson-step">{ format!("Step {} of {n}", i + 1) }</span>
                    <button type="button" class="quiet restart" data-testid="lesson-restart" title={restart_title}
                            onclick={restart}>{ "Restart" }</button>
                    if !can_advance {
                        <button type="button" class="quiet" data-testid="lesson-skip" onclick={advance(true)}>{ "Skip" }</button>
                    }
                    <button type="button" class="primary" data-testid="lesson-next" disabled={!can_advance}
                            title={waiting} onclick={advance(false)}>{ next_label }</button>
                </div>
            </div>
            <div class="lesson-body" tabindex="-1" aria-label="This step" ref={body}>
                <p class="lesson-text">{ text(&step.text) }</p>
                { for watch }
                { for task }
                { for stuck }
                { for question }
                if let Some(why) = waiting {
                    <p class="hint">{ why }</p>
                }
                // for the author who opened their lesson's link; not in a learner's frame
                if let (false, Some(source)) = (state.settings.embed, &state.settings.lesson) {
                    <LessonCheck source={source.clone()} />
                }
            </div>
        </section>
    }
}

/// A moment of the lesson, as focus follows it: the step, its task done, its question
/// answered, the lesson finished.
type Moment = (usize, bool, bool, bool);

/// Moves focus to the first element matching `to` in the card when the lesson's moment
/// changed since it was last drawn and focus was on the card or lost to the page (a control
/// the learner is using elsewhere keeps it). Not on the lesson's first drawing: a page that
/// opens does not jump to its frame.
fn follow_focus(drawn: &Rc<RefCell<Option<Moment>>>, moment: Moment, card: &NodeRef, to: &'static str) {
    let before = drawn.borrow_mut().replace(moment);
    if before.is_none_or(|b| b == moment) {
        return;
    }
    let card = card.clone();
    gloo::timers::callback::Timeout::new(0, move || {
        let Some(card) = card.cast::<web_sys::HtmlElement>() else { return };
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let lost = document.active_element().is_none_or(|a| {
            document.body().is_some_and(|b| b.is_same_node(Some(&a))) || card.contains(Some(&a)) || !a.is_connected()
        });
        let target = card.query_selector(to).ok().flatten();
        if let Some(target) =
            target.filter(|_| lost).and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(t).ok())
        {
            if !target.has_attribute("tabindex") && target.tag_name() == "LEGEND" {
                let _ = target.set_attribute("tabindex", "-1");
            }
            let _ = target.focus();
        }
    })
    .forget();
}

/// Each question of the lesson with the learner's first answer, right or not (or skipped).
fn answers_view(lesson: &Lesson, p: &Place) -> Html {
    let rows = lesson.steps().iter().enumerate().filter_map(|(i, step)| {
        let q = step.question.as_ref()?;
        let state = p.progress.state(i).unwrap_or_default();
        let (mark, class, said) = match (state.first_answer, p.first.get(i).cloned().flatten()) {
            (Some(true), Some(a)) => ("✓", "right", format!("you said {a}: right")),
            (Some(false), Some(a)) => ("✗", "wrong", format!("you said {a}: not right")),
            (Some(right), None) => {
                (if right { "✓" } else { "✗" }, if right { "right" } else { "wrong" }, String::new())
            }
            (None, _) if state.skipped => ("–", "skipped", "skipped".to_string()),
            (None, _) => ("–", "skipped", "not answered".to_string()),
        };
        Some(html! {
            <li class={class} data-testid="lesson-answer" data-step={(i + 1).to_string()}>
                <span class="mark" aria-hidden="true">{ mark }</span>
                <span>{ format!("Step {}: ", i + 1) }{ text(&q.ask) }{ " — " }<em>{ said }</em></span>
            </li>
        })
    });
    html! { <ol class="answers" aria-label="Your answers">{ for rows }</ol> }
}

/// When the running scenario's scheduled faults ended, in seconds, if they all have and the
/// time the step's `try` script runs for (its `run`s) has passed since the step's start
/// (`from`): from the start the script finishes the task in that time (`lbsim lesson check`
/// proves it), so a run past both with the task to do has gone another way, which the faults
/// can no longer come back to.
fn faults_over(engine: &Engine, from: lbcore::time::Nanos, tries: &[lbcore::lesson::Action]) -> Option<f64> {
    let end = engine.scenario().faults.0.iter().map(|f| f.end).reduce(f64::max)?;
    let runs: f64 = tries.iter().map(|a| if let lbcore::lesson::Action::Run(s) = a { *s } else { 0.0 }).sum();
    let now = lbcore::time::to_secs(engine.now());
    (now > end && now > lbcore::time::to_secs(from) + runs).then_some(end)
}

/// Starts showing the current step's task (its `try`, played a beat at a time on the lab),
/// or stops the showing under way. The task counts as shown in the score.
fn toggle_showing(
    place: &Rc<RefCell<Option<Place>>>,
    lesson: &Rc<Lesson>,
    on: &Callback<Action>,
    redraw: &UseForceUpdateHandle,
) {
    let mut guard = place.borrow_mut();
    let Some(p) = guard.as_mut() else { return };
    p.showings += 1;
    if p.showing.take().is_some() {
        drop(guard);
        return redraw.force_update();
    }
    p.progress.shown(p.step);
    p.show_ended = false;
    p.showing = Some(show::moves(&lesson.steps()[p.step].try_actions));
    let this = p.showings;
    drop(guard);
    redraw.force_update();
    let (place, on, redraw) = (place.clone(), on.clone(), redraw.clone());
    wasm_bindgen_futures::spawn_local(async move {
        loop {
            show::beat().await;
            let more = {
                let mut guard = place.borrow_mut();
                // Stopped, begun again, or the step changed: this showing is over.
                let Some(p) = guard.as_mut().filter(|p| p.showings == this) else { return };
                let now = p.clock;
                let Some(moves) = p.showing.as_mut() else { return };
                let more = show::play_next(moves, now, &on);
                if !more {
                    p.showing = None;
                    p.show_ended = true;
                }
                more
            };
            redraw.force_update();
            if !more {
                return;
            }
        }
    });
}

/// The card of a lesson that cannot be played: its heading here, and its body (the problems
/// `lbsim lesson check` would report too when `read`, the lesson was read, else why the file
/// never came) drawn by the small views' bundle ([`lesson_problems`]); the lab below still works.
fn failed(state: &AppState, problems: &[String], read: bool) -> Html {
    let which = lbcore::scenario::quote_short(state.settings.lesson.as_ref().map_or("", |s| s.id()));
    let heading = if read { "This lesson could not be used" } else { "This lesson could not be loaded" };
    html! {
        <section class="lesson failed" data-testid="lesson" aria-labelledby="lesson-title">
            <div class="lesson-head"><h2 id="lesson-title">{ heading }</h2></div>
            { lesson_problems::slot(&which, read, problems) }
        </section>
    }
}

/// A lesson's text as spans: emphasis and code marks, never markup.
fn text(t: &Text) -> Html {
    t.spans()
        .into_iter()
        .map(|s| match s.style {
            Style::Plain => html! { <>{ s.text }</> },
            Style::Emphasis => html! { <em>{ s.text }</em> },
            Style::Code => html! { <code>{ s.text }</code> },
        })
        .collect()
}

/// The task as a checklist: each condition in words with its value now, done or to do, and
/// the "Show me" button (`show_me`) in its head while it is to do.
fn task_view(task: &Task, view: &View, done: bool, show_me: Option<Html>) -> Html {
    let items = task.when.iter().map(|c| {
        let holds = done || c.holds(view);
        html! {
            <li class={classes!(holds.then_some("met"))} data-met={holds.to_string()}>
                <span class="mark" aria-hidden="true">{ if holds { "✓" } else { "○" } }</span>
                { c.words(view) }
                <span class="visually-hidden">{ if holds { " (done)" } else { " (to do)" } }</span>
            </li>
        }
    });
    html! {
        <div class={classes!("task", done.then_some("done"))} data-testid="lesson-task" data-done={done.to_string()}>
            <p class="task-head"><span class="task-label">{ if done { "✓ Task done." } else { "Your task:" } }</span>{ for show_me }</p>
            if !done {
                <ul>{ for items }</ul>
            }
        </div>
    }
}

fn score_words(s: &lbcore::lesson::Score) -> String {
    let mut parts = Vec::new();
    if s.questions > 0 {
        parts.push(format!("{} of {} questions right the first time", s.right, s.questions));
    }
    if s.tasks > 0 {
        let shown = if s.tasks_shown > 0 { format!(" ({} shown)", s.tasks_shown) } else { String::new() };
        parts.push(format!("{} of {} tasks done{shown}", s.tasks_done, s.tasks));
    }
    if s.skipped > 0 {
        parts.push(format!("{} skipped", s.skipped));
    }
    if parts.is_empty() { "Well done.".to_string() } else { format!("{}.", parts.join(", ")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_steps_faults_are_over_once_they_ended_and_its_try_would_have_finished() {
        // The backoff lesson's first step: every attempt fails from 10 s to 12 s; its `try`
        // sets the rate and runs 25 s.
        let (scenario, problems) = lbcore::Scenario::from_pairs([
            ("servers", "3"),
            ("rate", "0"),
            ("faults", "server1:errors=1@10-12,server2:errors=1@10-12"),
        ]);
        assert!(problems.is_empty(), "{problems:?}");
        let mut engine = Engine::new(scenario).expect("a valid scenario");
        let tries = [lbcore::lesson::Action::Set(vec![("rate", "24".into())]), lbcore::lesson::Action::Run(25.0)];
        let at = |engine: &mut Engine, s: f64| {
            engine.run_until(lbcore::time::from_secs(s));
            faults_over(engine, lbcore::time::from_secs(2.0), &tries)
        };
        assert_eq!(at(&mut engine, 11.0), None, "in the outage");
        assert_eq!(at(&mut engine, 20.0), None, "after it, but Show me from the start (2 s) would still be running");
        assert_eq!(at(&mut engine, 27.5), Some(12.0), "past 2 + 25 s");
        // a scenario without faults is never over
        let mut calm = Engine::new(lbcore::Scenario::from_pairs([("servers", "3")]).0).expect("valid");
        assert_eq!(at(&mut calm, 40.0), None);
    }

    #[test]
    fn a_lesson_path_stays_on_this_site_however_it_is_escaped() {
        assert_eq!(named("course"), Ok(Named::Builtin("course")));
        assert_eq!(named("course").map(|n| n.path()), Ok("lessons/course.json".to_string()));
        assert_eq!(named("./lessons/mine.json"), Ok(Named::Path("./lessons/mine.json".into())));
        assert_eq!(named("lessons/très.json"), Ok(Named::Path("lessons/très.json".into())));
        // The URL decodes `%252e%252e` once, to `%2e%2e`, which the browser's fetch takes for
        // `..`: any `%` is refused, as `..` is.
        for bad in ["%2e%2e/x.json", ".%2E/x.json", "a/%2e%2e/%2e%2e/x.json", "../x.json", "//evil.example/x.json"] {
            let why = named(bad).expect_err(bad);
            assert!(why.ends_with("such as ./lessons/mine.json (without .., %, \\, :, ?, # or spaces)"), "{why}");
        }
        let p = crate::url::parse("lesson=%252e%252e/secret.json");
        let Some(LessonSource::Named(value)) = p.settings.lesson else { panic!("a lesson source") };
        assert_eq!(&*value, "%2e%2e/secret.json");
        assert!(named(&value).is_err(), "refused before anything is fetched");
    }
}
