//! The on-demand bundles: what few readers use, each its own wasm loaded the first time a reader
//! needs it, so that the first load does not carry it. [`EXPERIMENTS`] (`src/bin/experiments.rs`,
//! through `static/experiments-loader.js`) is the Experiments view, which is also its sweeps'
//! Web Worker; [`VIEWS`] (`src/bin/views.rs`, through `static/views-loader.js`) holds the small
//! views (the scenario file's JSON, read and written, the presets, the hashing view, the embed
//! builder, compare mode's checkboxes and summary table, predict mode's guesses, the Resilience
//! form, the notice on a link's bad parameters, the problems of a lesson that cannot be
//! played, the history's charts); [`CHECK`] is the lesson page's check. [`call`]
//! finds an export's bundle by its name;
//! the first call into a bundle adds its loader to the page, and every later call shares that load.
//! A view a bundle draws runs in another wasm instance, whose Yew the lab's does not hear:
//! where it takes the reader's input, the slot it is drawn into hears the DOM's click
//! ([`crate::components::on_demand_slot`]).

use std::cell::RefCell;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// An on-demand bundle: its loader's file, beside the page (also its script element's id, less
/// `.js`), and the global the loader sets, a promise of the bundle's exports once its wasm has
/// started.
pub struct Bundle {
    /// The loader's file.
    pub loader: &'static str,
    /// The global it sets.
    pub global: &'static str,
}

/// The Experiments view and its sweep worker (`show_experiments`).
pub const EXPERIMENTS: Bundle = Bundle { loader: "experiments-loader.js", global: "lbvizOnDemand" };

/// The small views and the scenario file's reader and writer: every other export.
pub const VIEWS: Bundle = Bundle { loader: "views-loader.js", global: "lbvizViews" };

/// The lesson page's "Check this lesson" (`src/bin/lesson_check.rs`, through
/// `static/check-loader.js`): `show_check` and `stop_check`.
pub const CHECK: Bundle = Bundle { loader: "check-loader.js", global: "lbvizCheck" };

/// The bundle whose export `name` is.
fn bundle_of(name: &str) -> (usize, &'static Bundle) {
    match name {
        "show_experiments" => (0, &EXPERIMENTS),
        "show_check" | "stop_check" => (2, &CHECK),
        _ => (1, &VIEWS),
    }
}

thread_local! {
    /// Each bundle's load under way or done (as [`bundle_of`] numbers them), shared by every caller.
    static LOAD: RefCell<[Option<Promise>; 3]> = const { RefCell::new([None, None, None]) };
}

/// Shows `why` the bundle gave no view as an alert inside the element with id `root`.
pub fn show_failure(root: &str, what: &str, why: &str) {
    let document = web_sys::window().and_then(|w| w.document());
    let Some((document, root)) = document.and_then(|d| d.get_element_by_id(root).map(|r| (d, r))) else { return };
    root.set_text_content(None);
    if let Ok(p) = document.create_element("p") {
        p.set_class_name("notice warning");
        let _ = p.set_attribute("role", "alert");
        p.set_text_content(Some(&format!("{what} could not load: {why}. Reload the page to try again.")));
        let _ = root.append_child(&p);
    }
}

/// A JavaScript error or value in words.
pub fn describe(error: &JsValue) -> String {
    if let Some(e) = error.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    error.as_string().unwrap_or_else(|| "an unknown error".to_string())
}

/// Adds the `bundle`'s loader to the page: a promise of its exports, rejected with a sentence
/// if the loader cannot load.
fn start(bundle: &'static Bundle) -> Promise {
    Promise::new(&mut |resolve: Function, reject: Function| {
        let fail = |why: &str| {
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(why));
        };
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return fail("there is no page to load it into");
        };
        let (Ok(script), Some(head)) = (document.create_element("script"), document.head()) else {
            return fail("the page has no head to add its script to");
        };
        let _ = script.set_attribute("src", bundle.loader);
        let onload = Closure::once_into_js(move || {
            let exports = web_sys::window().and_then(|w| Reflect::get(&w, &JsValue::from_str(bundle.global)).ok());
            let _ = resolve.call1(&JsValue::NULL, &exports.unwrap_or(JsValue::UNDEFINED));
        });
        let reject_later = reject.clone();
        let onerror = Closure::once_into_js(move || {
            let why = JsValue::from_str(&format!("{} did not load", bundle.loader));
            let _ = reject_later.call1(&JsValue::NULL, &why);
        });
        let _ = script.add_event_listener_with_callback("load", onload.unchecked_ref());
        let _ = script.add_event_listener_with_callback("error", onerror.unchecked_ref());
        if head.append_child(&script).is_err() {
            fail("its script could not be added to the page");
        }
    })
}

/// The exports of the bundle holding the export `name`, loading it the first time; the error
/// says why it did not load.
async fn exports(name: &str) -> Result<JsValue, String> {
    let (i, bundle) = bundle_of(name);
    let load = LOAD.with_borrow_mut(|loads| loads[i].get_or_insert_with(|| start(bundle)).clone());
    let exports = JsFuture::from(load).await.map_err(|e| describe(&e))?;
    // The no-modules bundle hangs its exports on its init function; the ES module's are an object.
    if exports.is_object() || exports.is_function() {
        Ok(exports)
    } else {
        Err(format!("{} gave no exports", bundle.loader))
    }
}

/// Calls the export `name` of its bundle with these texts; `Err` holds why the bundle did
/// not load or what the export threw (its own message).
pub async fn call(name: &str, texts: &[&str]) -> Result<JsValue, Failure> {
    let exports = exports(name).await.map_err(Failure::NotLoaded)?;
    let function: Function = Reflect::get(&exports, &JsValue::from_str(name))
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| Failure::NotLoaded(format!("it has no function {name}")))?;
    let args: js_sys::Array = texts.iter().map(|t| JsValue::from_str(t)).collect();
    function.apply(&JsValue::NULL, &args).map_err(|e| Failure::Refused(describe(&e)))
}

/// Nothing: the empty app [`skip_subtree_ids`] draws.
#[yew::function_component]
fn Nothing() -> yew::Html {
    yew::Html::default()
}

/// Makes this wasm instance's Yew skip its first `n` subtree ids, for a bundle whose views are
/// drawn inside the page's app. Yew brands each app's root element with a subtree id, counted
/// from 0 in each instance, and an instance handles every event under a root branded with one
/// of its ids. With the page's root and a bundle's first root both branded 0, a click in the
/// Experiments view reached the page's app as if on one of its own elements, and ran whichever
/// of its listeners had the same number (it switched the page to predict mode). So the ids are
/// shared out: the page's app is 0, the Experiments view 1 (it skips 1 and draws once), the
/// small views 2 and on (they skip 2). Each skipped id is an empty app drawn into an element
/// that is never attached.
pub fn skip_subtree_ids(n: usize) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    for _ in 0..n {
        if let Ok(detached) = document.create_element("div") {
            std::mem::forget(yew::Renderer::<Nothing>::with_root(detached).render());
        }
    }
}

/// Why a call into the bundle gave no answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    /// The bundle did not load (the reason in words); reloading the page may help.
    NotLoaded(String),
    /// The bundle refused the input, with its message.
    Refused(String),
}
