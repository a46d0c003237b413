//! The host-page API: what the lab in an iframe and the page that embeds it say to each other
//! over `postMessage`, defined once here (docs/embedding.md, "Talking to the frame (postMessage)"
//! documents it for course authors).
//!
//! Every message is a plain object `{ "lbviz": 1, "type": "...", ... }`: [`VERSION`] lets a
//! host tell lbviz's messages from others and from later versions. The frame posts
//! [`READY`], [`RESIZE`] (and Canvas's `lti.frameResize`), [`PREDICTION`], [`STATE`],
//! [`ERROR`], and for the guided lessons [`LESSON_STEP`] and [`LESSON_COMPLETE`]. It accepts
//! the [`Command`]s: each incoming message is read field by field against this schema
//! ([`parse`]) and only ever turned into one of the reducer's actions; nothing in it runs.
//!
//! Origins: the frame posts to the `origin=` URL parameter when given, else to the origin of
//! `document.referrer` when known ([`target_origin`]); with neither it posts only [`READY`]
//! and [`RESIZE`], which carry no learner data, to any origin. It listens only to messages
//! whose source is its parent window and, when it knows the host's origin, whose origin is
//! that one.

use std::rc::Rc;

use lbcore::{Problem, Summary};

use crate::url;

/// The protocol's version, the value of every message's `lbviz` field.
pub const VERSION: u32 = 1;
/// The field that marks a message as lbviz's and carries [`VERSION`].
pub const KEY: &str = "lbviz";

/// Frame to host, once listening: `version`, `query` (the scenario as its URL query).
pub const READY: &str = "ready";
/// Frame to host, on load and whenever the content's height changes: `height` in CSS pixels.
pub const RESIZE: &str = "resize";
/// Frame to host, after each guess in predict mode: `guess`, `answer` (the server the
/// balancer chose), `correct`, and the score so far as `right` of `total`.
pub const PREDICTION: &str = "prediction";
/// Frame to host, the answer to `get-state`: `query`, `mode`, `paused`, `time` (simulated
/// seconds) and `summary` (`arrived`, `completed`, `rejected`, `failed`, `inFlight`, `p95`
/// in seconds or null, `servers`: `[{ name, connections }]`).
pub const STATE: &str = "state";
/// Frame to host, the answer to a command with a bad value: `command`, `field`, `value`
/// (quoted, at most 40 characters) and `message` (what is allowed).
pub const ERROR: &str = "error";
/// Frame to host, when the learner finishes a step of a guided lesson: `lesson`, `step`
/// (counted from 1), `answers` (the learner's answers so far, in step order), and the score
/// as `right` of `total`.
pub const LESSON_STEP: &str = "lesson-step";
/// Frame to host, once the lesson player has read its lesson: its `title` and number of
/// `steps`, or its `problems` (each line of the card's list), so that the embed builder's
/// preview can tell the author what the page made of their lesson.
pub const LESSON_READ: &str = "lesson-read";
/// Frame to host, when the learner finishes a guided lesson: the fields of [`LESSON_STEP`]
/// for its last step.
pub const LESSON_COMPLETE: &str = "lesson-complete";
/// Canvas's message asking the course page to give the frame this `height`
/// (`{ subject: "lti.frameResize", height }`), posted beside every [`RESIZE`].
pub const CANVAS_RESIZE: &str = "lti.frameResize";

/// Most requests one `fire` command may send (the burst button sends 10; the error message
/// writes the number out, checked by a test).
pub const MAX_FIRE: u32 = 100;
/// Longest query a `load-scenario` command may carry, in UTF-16 units as JavaScript counts.
pub const MAX_QUERY: u32 = 8192;

/// What the host may ask of the frame (the `type` of an incoming message).
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// `reset`: back to time zero with the same scenario (the Reset button).
    Reset,
    /// `load-scenario` with `query`: start again from this URL query, already checked.
    LoadScenario(String),
    /// `play`: run the clock (nothing if it runs).
    Play,
    /// `pause`: stop the clock (nothing if it stands).
    Pause,
    /// `fire` with `count` (1 to [`MAX_FIRE`], 1 when absent): send requests now.
    Fire(u32),
    /// `get-state`: answer with a [`STATE`] message.
    GetState,
}

/// The command names, in the order the error message lists them (written out there,
/// checked by a test).
pub const COMMANDS: [&str; 6] = ["reset", "load-scenario", "play", "pause", "fire", "get-state"];

/// One field of an incoming message, as read from the JavaScript object.
#[derive(Clone, Debug, PartialEq)]
pub enum Field {
    /// Absent or undefined.
    Missing,
    /// A number.
    Num(f64),
    /// A string (at most [`MAX_QUERY`] long).
    Text(String),
    /// A string longer than [`MAX_QUERY`], not copied.
    Long,
    /// Anything else: null, a boolean, an object.
    Other,
}

/// A value of an outgoing message, turned into a JavaScript value when posted.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A number; not finite becomes null.
    Num(f64),
    /// A string.
    Text(Rc<str>),
    /// A boolean.
    Bool(bool),
    /// An array.
    List(Vec<Value>),
    /// A plain object, its fields in order.
    Object(Vec<(&'static str, Value)>),
}

impl Value {
    /// The field `key` of an object (`None` for other values or no such field).
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(fields) => fields.iter().find(|(k, _)| *k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

fn num(n: impl Into<f64>) -> Value {
    Value::Num(n.into())
}

/// An lbviz message of this type with these fields after `lbviz` and `type`.
pub fn message(kind: &'static str, fields: impl IntoIterator<Item = (&'static str, Value)>) -> Value {
    let mut all = vec![(KEY, num(VERSION)), ("type", text(kind))];
    all.extend(fields);
    Value::Object(all)
}

/// Whether a message may go to any origin: only [`READY`], [`RESIZE`] and Canvas's resize,
/// which say nothing about the learner.
pub fn is_public(message: &Value) -> bool {
    matches!(message.get("type"), Some(Value::Text(t)) if [READY, RESIZE].contains(&&**t))
        || matches!(message.get("subject"), Some(Value::Text(t)) if &**t == CANVAS_RESIZE)
}

/// [`READY`] for a lab showing `query`.
pub fn ready(query: &str) -> Value {
    message(READY, [("version", num(VERSION)), ("query", text(query))])
}

/// [`RESIZE`] and Canvas's `lti.frameResize` for a content `height` in CSS pixels.
pub fn resize(height: f64) -> [Value; 2] {
    [
        message(RESIZE, [("height", num(height))]),
        Value::Object(vec![("subject", text(CANVAS_RESIZE)), ("height", num(height))]),
    ]
}

/// [`PREDICTION`]: the learner guessed `guess`, the balancer chose `answer`; `score` is
/// (right, total) after this guess.
pub fn prediction(guess: &str, answer: &str, score: (u32, u32)) -> Value {
    message(
        PREDICTION,
        [
            ("guess", text(guess)),
            ("answer", text(answer)),
            ("correct", Value::Bool(guess == answer)),
            ("right", num(score.0)),
            ("total", num(score.1)),
        ],
    )
}

/// What [`STATE`] reports about the lab.
pub struct StateView<'a> {
    /// The scenario and settings as a URL query.
    pub query: &'a str,
    /// The mode's id.
    pub mode: &'a str,
    /// Whether the clock stands still.
    pub paused: bool,
    /// Simulated seconds.
    pub time: f64,
    /// The engine's summary.
    pub summary: &'a Summary,
    /// Each server's name and the connections it holds now, in server order.
    pub servers: Vec<(Rc<str>, u32)>,
}

/// [`STATE`] for this view of the lab.
pub fn state(view: &StateView) -> Value {
    let s = view.summary;
    let p95 = if s.completed + s.cache_hits > 0 { s.p95_response_s } else { f64::NAN };
    let servers = view
        .servers
        .iter()
        .map(|(name, c)| Value::Object(vec![("name", Value::Text(name.clone())), ("connections", num(*c))]))
        .collect();
    let summary = Value::Object(vec![
        ("arrived", num(s.arrived as f64)),
        ("completed", num(s.completed as f64)),
        ("rejected", num(s.rejected as f64)),
        ("failed", num(s.failed as f64)),
        ("inFlight", num(s.in_system as f64)),
        ("p95", num(p95)),
        ("servers", Value::List(servers)),
    ]);
    message(
        STATE,
        [
            ("query", text(view.query)),
            ("mode", text(view.mode)),
            ("paused", Value::Bool(view.paused)),
            ("time", num(view.time)),
            ("summary", summary),
        ],
    )
}

/// [`ERROR`]: the `command` was refused for this problem.
pub fn error(command: &str, problem: &Problem) -> Value {
    message(
        ERROR,
        [
            ("command", text(command)),
            ("field", text(&problem.field)),
            ("value", text(&problem.value)),
            ("message", text(&problem.message)),
        ],
    )
}

fn lesson(kind: &'static str, lesson: &str, step: u32, answers: &[Rc<str>], score: (u32, u32)) -> Value {
    message(
        kind,
        [
            ("lesson", text(lesson)),
            ("step", num(step)),
            ("answers", Value::List(answers.iter().map(|a| Value::Text(a.clone())).collect())),
            ("right", num(score.0)),
            ("total", num(score.1)),
        ],
    )
}

/// [`LESSON_STEP`]: the learner finished `step` (from 1) of `lesson`, having answered
/// `answers`, with `score` (right, total) so far.
pub fn lesson_step(lesson_id: &str, step: u32, answers: &[Rc<str>], score: (u32, u32)) -> Value {
    lesson(LESSON_STEP, lesson_id, step, answers, score)
}

/// [`LESSON_READ`]: a lesson read, with this `title` and `steps`, or not usable, with these
/// `problems` (when `title` is `None`).
pub fn lesson_read(title: Option<&str>, steps: usize, problems: &[String]) -> Value {
    let fields = match title {
        Some(title) => vec![("title", text(title)), ("steps", num(steps as f64))],
        None => vec![("problems", Value::List(problems.iter().map(|p| text(p)).collect()))],
    };
    message(LESSON_READ, fields)
}

/// [`LESSON_COMPLETE`]: the learner finished `lesson` at its last `step`.
pub fn lesson_complete(lesson_id: &str, step: u32, answers: &[Rc<str>], score: (u32, u32)) -> Value {
    lesson(LESSON_COMPLETE, lesson_id, step, answers, score)
}

/// Reads an incoming message through `get` (its fields by name): `None` when it is not an
/// lbviz message (no `lbviz` number), else the command or, for a bad value, the problem to
/// answer with (named by [`Problem::field`]). Nothing in the message is run: a query is
/// parsed as the page's URL would be, with the browser's limits, and refused with its first
/// problem.
pub fn parse(get: impl Fn(&str) -> Field) -> Option<Result<Command, Problem>> {
    let Field::Num(version) = get(KEY) else { return None };
    if version != f64::from(VERSION) {
        return Some(Err(Problem::new(KEY, &lbcore::decimal::shortest(version), "allowed: 1")));
    }
    let kind = match get("type") {
        Field::Text(kind) => kind,
        other => return Some(Err(Problem::new("type", &quote(&other), allowed_commands()))),
    };
    Some(match kind.as_str() {
        "reset" => Ok(Command::Reset),
        "play" => Ok(Command::Play),
        "pause" => Ok(Command::Pause),
        "get-state" => Ok(Command::GetState),
        "fire" => match get("count") {
            Field::Missing => Ok(Command::Fire(1)),
            Field::Num(n) if n.fract() == 0.0 && (1.0..=f64::from(MAX_FIRE)).contains(&n) => {
                Ok(Command::Fire(n as u32))
            }
            other => {
                Err(Problem::new("count", &quote(&other), format!("allowed: a whole number from 1 to {MAX_FIRE}")))
            }
        },
        "load-scenario" => load_scenario(get("query")),
        _ => Err(Problem::new("type", &kind, allowed_commands())),
    })
}

fn allowed_commands() -> &'static str {
    "allowed: reset, load-scenario, play, pause, fire, get-state"
}

/// A field's value as an error message quotes it.
fn quote(field: &Field) -> String {
    match field {
        Field::Missing => "(missing)".into(),
        Field::Num(n) => lbcore::decimal::shortest(*n),
        Field::Text(t) => t.clone(),
        Field::Long => "(a longer string)".into(),
        Field::Other => "(not a number or string)".into(),
    }
}

fn load_scenario(query: Field) -> Result<Command, Problem> {
    let Field::Text(query) = query else {
        return Err(Problem::new(
            "query",
            &quote(&query),
            "allowed: a URL query of at most 8192 characters, such as mode=manual&servers=4",
        ));
    };
    if url::split(&query).iter().any(|(k, _)| k == "origin") {
        return Err(Problem::new("origin", &query, "set only by the frame's own address, not by a message"));
    }
    url::check(&query)?;
    Ok(Command::LoadScenario(query))
}

use crate::origin::target_origin;

pub use link::{Link, post, use_host};

/// The browser side: posting [`Value`]s to the parent window and reading its messages.
mod link {
    use std::cell::Cell;

    use gloo::events::EventListener;
    use js_sys::{Array, Object, Reflect};
    use wasm_bindgen::prelude::*;
    use web_sys::{MessageEvent, ResizeObserver, Window};
    use yew::prelude::*;

    use super::{Command, Field, MAX_QUERY, StateView, Value, is_public, parse, resize, target_origin};
    use crate::state::{Action, AppState};
    use lbcore::Problem;

    /// Links the app to its host page while it is framed: each command becomes the action
    /// its button sends (`play` and `pause` toggle only when the clock is the other way),
    /// `get-state` is answered from the state last drawn, and each predict-mode guess is
    /// posted as a `prediction`. It connects on the first render and needs no effect: the
    /// link lives as long as the app, and a changed score is seen when the app draws it.
    #[hook]
    pub fn use_host(state: &UseReducerHandle<AppState>, on: &Callback<Action>) {
        let latest = use_mut_ref(|| state.clone());
        *latest.borrow_mut() = state.clone();
        let link = use_mut_ref(|| {
            let on = on.clone();
            let answer = move |command| {
                let state = latest.borrow().clone();
                let action = match command {
                    Command::Reset => Action::Reset,
                    Command::Play | Command::Pause if state.settings.paused == (command == Command::Pause) => {
                        return None;
                    }
                    Command::Play | Command::Pause => Action::TogglePause,
                    Command::Fire(n) => Action::Fire(n),
                    Command::LoadScenario(q) => {
                        Action::LoadQuery(q.into(), "The lesson page loaded a scenario.".into())
                    }
                    Command::GetState => return Some(state_of(&state)),
                };
                on.emit(action);
                None
            };
            Link::connect(state.settings.origin.as_deref(), &state.query(), answer)
        });
        if let Some(link) = &*link.borrow()
            && link.score.replace(state.score) != state.score
            && let (Some((guess, answer)), true) = (&state.last_guess, state.score.1 > 0)
        {
            link.post(&super::prediction(guess, answer, state.score));
        }
    }

    fn state_of(state: &AppState) -> Value {
        let engine = state.engine();
        let summary = engine.summary();
        let query = state.query();
        super::state(&StateView {
            query: &query,
            mode: state.settings.mode.id(),
            paused: state.settings.paused,
            time: lbcore::time::to_secs(engine.now()),
            summary: &summary,
            servers: engine.servers().iter().map(|s| (std::rc::Rc::from(&*s.name), s.connections())).collect(),
        })
    }

    fn to_js(value: &Value) -> JsValue {
        match value {
            Value::Num(n) if n.is_finite() => JsValue::from_f64(*n),
            Value::Num(_) => JsValue::NULL,
            Value::Text(t) => JsValue::from_str(t),
            Value::Bool(b) => JsValue::from_bool(*b),
            Value::List(items) => items.iter().map(to_js).collect::<Array>().into(),
            Value::Object(fields) => {
                let object = Object::new();
                for (k, v) in fields {
                    let _ = Reflect::set(&object, &JsValue::from_str(k), &to_js(v));
                }
                object.into()
            }
        }
    }

    fn read(data: &JsValue, key: &str) -> Field {
        let Ok(v) = Reflect::get(data, &JsValue::from_str(key)) else { return Field::Other };
        if v.is_undefined() {
            Field::Missing
        } else if let Some(n) = v.as_f64() {
            Field::Num(n)
        } else if let Some(s) = v.dyn_ref::<js_sys::JsString>() {
            if s.length() > MAX_QUERY { Field::Long } else { Field::Text(String::from(s)) }
        } else {
            Field::Other
        }
    }

    /// The frame's link to its host page while the app runs: the message listener and the
    /// resize observer, both gone when it is dropped.
    pub struct Link {
        /// The predict-mode score last seen, to post each new guess once.
        score: Cell<(u32, u32)>,
        parent: Window,
        target: Option<String>,
        _listener: EventListener,
        observer: ResizeObserver,
        _on_resize: Closure<dyn FnMut()>,
    }

    impl Drop for Link {
        fn drop(&mut self) {
            self.observer.disconnect();
        }
    }

    /// Posts `message` to the host page, if the lab is framed, under the origin rule (module
    /// documentation) with `origin` the `origin=` setting: for what the lab says outside a
    /// command's answer, such as the guided lessons' steps.
    pub fn post(origin: Option<&str>, message: &Value) {
        let Some(window) = web_sys::window() else { return };
        let Some(parent) = window.parent().ok().flatten() else { return };
        if JsValue::from(&parent) == JsValue::from(&window) {
            return;
        }
        let referrer = window.document().map(|d| d.referrer()).unwrap_or_default();
        post_to(&parent, target_origin(origin, &referrer).as_deref(), message);
    }

    fn post_to(parent: &Window, target: Option<&str>, message: &Value) {
        let target = match target {
            Some(t) => t,
            None if is_public(message) => "*",
            None => return,
        };
        let _ = parent.post_message(&to_js(message), target);
    }

    impl Link {
        /// Connects when the page is framed (`None` at the top level): posts `ready` with
        /// `query`, watches the height, and hands each valid command to `on_command`, whose
        /// reply, if any, goes back to the host; a bad value is answered with an `error`.
        pub fn connect(
            origin: Option<&str>,
            query: &str,
            on_command: impl Fn(Command) -> Option<Value> + 'static,
        ) -> Option<Link> {
            if !cfg!(target_arch = "wasm32") {
                return None;
            }
            let window = web_sys::window()?;
            let parent = window.parent().ok()??;
            if JsValue::from(&parent) == JsValue::from(&window) {
                return None;
            }
            let document = window.document()?;
            let target = target_origin(origin, &document.referrer());
            let listener = {
                let parent = parent.clone();
                let target = target.clone();
                EventListener::new(&window, "message", move |event| {
                    let Some(event) = event.dyn_ref::<MessageEvent>() else { return };
                    let from_parent = event.source().is_some_and(|s| JsValue::from(s) == JsValue::from(&parent));
                    if !from_parent || target.as_ref().is_some_and(|t| *t != event.origin()) {
                        return;
                    }
                    let data = event.data();
                    if !data.is_object() {
                        return;
                    }
                    let kind = read(&data, "type");
                    let reply = match parse(|key| read(&data, key)) {
                        None => return,
                        Some(Ok(command)) => on_command(command),
                        Some(Err(problem)) => Some(error_for(&kind, &problem)),
                    };
                    if let Some(reply) = reply {
                        post_to(&parent, target.as_deref(), &reply);
                    }
                })
            };
            let html = document.document_element()?;
            let on_resize = {
                let parent = parent.clone();
                let target = target.clone();
                let html = html.clone();
                let last = Cell::new(-1.0);
                Closure::<dyn FnMut()>::new(move || {
                    let height = html.get_bounding_client_rect().height().ceil();
                    if height != last.get() {
                        last.set(height);
                        for m in resize(height) {
                            post_to(&parent, target.as_deref(), &m);
                        }
                    }
                })
            };
            let observer = ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok()?;
            observer.observe(&html);
            let link =
                Link { score: Cell::new((0, 0)), parent, target, _listener: listener, observer, _on_resize: on_resize };
            link.post(&super::ready(query));
            Some(link)
        }

        /// Posts `message` to the host under the origin rule (module documentation).
        pub fn post(&self, message: &Value) {
            post_to(&self.parent, self.target.as_deref(), message);
        }
    }

    fn error_for(kind: &Field, problem: &Problem) -> Value {
        let command = if let Field::Text(k) = kind { lbcore::scenario::quote_short(k) } else { String::new() };
        super::error(&command, problem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields<'a>(pairs: &'a [(&'a str, Field)]) -> impl Fn(&str) -> Field + 'a {
        move |key| pairs.iter().find(|(k, _)| *k == key).map_or(Field::Missing, |(_, v)| v.clone())
    }

    fn cmd(pairs: &[(&str, Field)]) -> Option<Result<Command, Problem>> {
        parse(fields(pairs))
    }

    fn t(s: &str) -> Field {
        Field::Text(s.into())
    }

    #[test]
    fn commands_are_read_and_everything_else_is_ignored_or_refused() {
        let v = ("lbviz", Field::Num(1.0));
        assert_eq!(cmd(&[]), None, "no lbviz field: not ours");
        assert_eq!(cmd(&[("lbviz", t("1")), ("type", t("reset"))]), None);
        assert_eq!(cmd(&[v.clone(), ("type", t("reset"))]), Some(Ok(Command::Reset)));
        assert_eq!(cmd(&[v.clone(), ("type", t("play"))]), Some(Ok(Command::Play)));
        assert_eq!(cmd(&[v.clone(), ("type", t("pause"))]), Some(Ok(Command::Pause)));
        assert_eq!(cmd(&[v.clone(), ("type", t("get-state"))]), Some(Ok(Command::GetState)));
        assert_eq!(cmd(&[v.clone(), ("type", t("fire"))]), Some(Ok(Command::Fire(1))));
        assert_eq!(cmd(&[v.clone(), ("type", t("fire")), ("count", Field::Num(100.0))]), Some(Ok(Command::Fire(100))));
        for bad in [Field::Num(1000.0), Field::Num(0.0), Field::Num(2.5), Field::Num(f64::NAN), t("3"), Field::Other] {
            let Some(Err(p)) = cmd(&[v.clone(), ("type", t("fire")), ("count", bad.clone())]) else {
                panic!("{bad:?} accepted")
            };
            assert_eq!(p.field, "count");
            assert!(p.message.contains("1 to 100"), "{}", p.message);
        }
        let Some(Err(p)) = cmd(&[v.clone(), ("type", t("fire")), ("count", Field::Num(1000.0))]) else { panic!() };
        assert_eq!(p.value, "1000");
        let Some(Err(p)) = cmd(&[v.clone(), ("type", t("eval"))]) else { panic!() };
        assert_eq!((p.field.as_str(), p.value.as_str()), ("type", "eval"));
        assert_eq!(p.message, format!("allowed: {}", COMMANDS.join(", ")), "every command, in order");
        let Some(Err(p)) = cmd(&[v.clone(), ("type", t("fire")), ("count", Field::Num(0.0))]) else { panic!() };
        assert!(p.message.ends_with(&format!("from 1 to {MAX_FIRE}")), "{}", p.message);
        let Some(Err(p)) = cmd(&[("lbviz", Field::Num(2.0)), ("type", t("reset"))]) else { panic!() };
        assert_eq!((p.field.as_str(), p.value.as_str()), ("lbviz", "2"));
    }

    #[test]
    fn a_scenario_is_checked_as_the_address_would_be() {
        let v = ("lbviz", Field::Num(1.0));
        let load = |q: Field| cmd(&[v.clone(), ("type", t("load-scenario")), ("query", q)]);
        assert_eq!(load(t("mode=manual&servers=4")), Some(Ok(Command::LoadScenario("mode=manual&servers=4".into()))));
        let Some(Err(p)) = load(t("servers=500")) else { panic!() };
        assert_eq!((p.field.as_str(), p.value.as_str()), ("servers", "500"));
        // nothing loads, so the page says what is allowed and not that it uses 64
        assert_eq!(p.message, "allowed in the browser: 1 to 64");
        let Some(Err(p)) = load(t("servers=4&servers=5")) else { panic!() };
        assert_eq!(p.to_string(), "servers=\"4\": given more than once");
        let Some(Err(p)) = load(t("servers=3&origin=https://evil.example")) else { panic!() };
        assert_eq!(p.field, "origin");
        let long = "x".repeat(200);
        let Some(Err(p)) = load(t(&format!("{long}=1"))) else { panic!() };
        assert!(p.field.chars().count() <= 41, "quoted short: {}", p.field);
        for bad in [Field::Long, Field::Missing, Field::Num(3.0)] {
            let Some(Err(p)) = load(bad) else { panic!() };
            assert_eq!(p.field, "query");
            assert!(p.message.contains(&format!("at most {MAX_QUERY} characters")), "{}", p.message);
        }
    }

    #[test]
    fn outgoing_messages_have_their_documented_shape() {
        let m = prediction("server1", "server2", (3, 5));
        assert_eq!(m.get("lbviz"), Some(&Value::Num(1.0)));
        assert_eq!(m.get("type"), Some(&text("prediction")));
        assert_eq!(m.get("correct"), Some(&Value::Bool(false)));
        assert_eq!((m.get("right"), m.get("total")), (Some(&num(3)), Some(&num(5))));
        assert!(!is_public(&m), "the learner's answers go only to a known origin");
        let [ours, canvas] = resize(412.0);
        assert_eq!(ours.get("height"), Some(&num(412)));
        assert_eq!(canvas, Value::Object(vec![("subject", text("lti.frameResize")), ("height", num(412))]));
        assert!(is_public(&ours) && is_public(&canvas) && is_public(&ready("mode=manual")));

        let answers: Vec<Rc<str>> = vec!["server1".into(), "b".into()];
        let step = lesson_step("least-connections", 2, &answers, (1, 2));
        assert_eq!(
            step,
            Value::Object(vec![
                ("lbviz", num(1)),
                ("type", text("lesson-step")),
                ("lesson", text("least-connections")),
                ("step", num(2)),
                ("answers", Value::List(vec![text("server1"), text("b")])),
                ("right", num(1)),
                ("total", num(2)),
            ])
        );
        let done = lesson_complete("least-connections", 3, &answers, (2, 3));
        assert_eq!(done.get("type"), Some(&text("lesson-complete")));
        assert_eq!(done.get("step"), Some(&num(3)));
        assert!(!is_public(&step) && !is_public(&done));

        let err = error("fire", &Problem::new("count", "1000", "allowed: a whole number from 1 to 100"));
        assert_eq!(err.get("field"), Some(&text("count")));
        assert_eq!(err.get("value"), Some(&text("1000")));
    }

    #[test]
    fn state_reports_the_scenario_and_a_summary() {
        let engine = lbcore::Engine::new(lbcore::Scenario::default()).expect("valid");
        let summary = engine.summary();
        let m = state(&StateView {
            query: "mode=manual",
            mode: "manual",
            paused: false,
            time: 0.0,
            summary: &summary,
            servers: vec![("server1".into(), 2)],
        });
        let s = m.get("summary").expect("a summary");
        assert_eq!(s.get("arrived"), Some(&num(0)));
        assert!(matches!(s.get("p95"), Some(Value::Num(n)) if n.is_nan()), "no completions: null");
        let Some(Value::List(servers)) = s.get("servers") else { panic!() };
        assert_eq!(servers[0].get("connections"), Some(&num(2)));
    }
}
