//! The on-demand bundle: the `experiments` binary, its own wasm loaded through
//! `static/experiments-loader.js`, holds what few readers use (the Experiments view, the
//! scenario file's JSON, read and written, the hashing view, the embed builder, compare mode's
//! checkboxes and summary table, predict mode's guesses), so that the first load does not carry
//! it. The first [`exports`] adds the loader to the page; every later call shares that load.
//! A view the bundle draws runs in another wasm instance, whose Yew the lab's does not hear:
//! where it takes the reader's input, the slot it is drawn into hears the DOM's click
//! ([`crate::components::on_demand_slot`]).

use std::cell::RefCell;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The id of the script element that loads the bundle.
const LOADER_ID: &str = "experiments-loader";

/// The loader's file, beside the page.
const LOADER_SRC: &str = "experiments-loader.js";

/// The global the loader sets: a promise of the bundle's exports, once its wasm has started.
const GLOBAL: &str = "lbvizOnDemand";

thread_local! {
    /// The load under way or done, shared by every caller.
    static LOAD: RefCell<Option<Promise>> = const { RefCell::new(None) };
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

/// Adds the loader to the page: a promise of the exports, rejected with a sentence if the
/// loader cannot load.
fn start() -> Promise {
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
        script.set_id(LOADER_ID);
        let _ = script.set_attribute("src", LOADER_SRC);
        let onload = Closure::once_into_js(move || {
            let exports = web_sys::window().and_then(|w| Reflect::get(&w, &JsValue::from_str(GLOBAL)).ok());
            let _ = resolve.call1(&JsValue::NULL, &exports.unwrap_or(JsValue::UNDEFINED));
        });
        let reject_later = reject.clone();
        let onerror = Closure::once_into_js(move || {
            let why = JsValue::from_str(&format!("{LOADER_SRC} did not load"));
            let _ = reject_later.call1(&JsValue::NULL, &why);
        });
        let _ = script.add_event_listener_with_callback("load", onload.unchecked_ref());
        let _ = script.add_event_listener_with_callback("error", onerror.unchecked_ref());
        if head.append_child(&script).is_err() {
            fail("its script could not be added to the page");
        }
    })
}

/// The bundle's exports, loading it the first time; the error says why it did not load.
pub async fn exports() -> Result<JsValue, String> {
    let load = LOAD.with(|cell| cell.borrow_mut().get_or_insert_with(start).clone());
    let exports = JsFuture::from(load).await.map_err(|e| describe(&e))?;
    // The no-modules bundle hangs its exports on its init function.
    if exports.is_object() || exports.is_function() {
        Ok(exports)
    } else {
        Err(format!("{LOADER_SRC} gave no exports"))
    }
}

/// Calls the export `name` of the bundle with these texts; `Err` holds why the bundle did
/// not load or what the export threw (its own message).
pub async fn call(name: &str, texts: &[&str]) -> Result<JsValue, Failure> {
    let exports = exports().await.map_err(Failure::NotLoaded)?;
    let function: Function = Reflect::get(&exports, &JsValue::from_str(name))
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| Failure::NotLoaded(format!("it has no function {name}")))?;
    let args: js_sys::Array = texts.iter().map(|t| JsValue::from_str(t)).collect();
    function.apply(&JsValue::NULL, &args).map_err(|e| Failure::Refused(describe(&e)))
}

/// Why a call into the bundle gave no answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    /// The bundle did not load (the reason in words); reloading the page may help.
    NotLoaded(String),
    /// The bundle refused the input, with its message.
    Refused(String),
}
