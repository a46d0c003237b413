//! What a panic shows: besides the console message (console_error_panic_hook), the page's
//! notice with a reload link, so that a crash is never a blank or frozen page. The notice is
//! written once, by static/loader.js (`lbvizShowNotice`), which also shows it for the failures
//! no panic hook sees: a trap (out of memory, `unreachable`) or an error thrown after start.
//! The reload link is a plain `<a href>` to the same address: it works with the wasm instance
//! dead and under a Content-Security-Policy without inline script.
//!
//! The release build stops at a panic without calling the hook (-Cpanic=immediate-abort,
//! `release_wasm_env` in scripts/tools.sh, for about 18 KB gzip less): the panic is then a trap, and
//! the loader shows the notice with the trap's error. Tests and debug builds call the hook.

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// The function static/loader.js puts on `window` to write the notice.
pub const SHOW_NOTICE: &str = "lbvizShowNotice";

/// Installs the panic hook; in a build that stops at a panic without one (the release
/// build), there is nothing to install.
pub fn install() {
    #[cfg(not(panic = "immediate-abort"))]
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_notice(&info.to_string());
    }));
}

/// Has the loader write the notice with `message` (once); does nothing outside a page the
/// loader started (a worker, a test page without it).
pub fn show_notice(message: &str) -> Option<()> {
    let window = web_sys::window()?;
    let show: Function = Reflect::get(&window, &JsValue::from_str(SHOW_NOTICE)).ok()?.dyn_into().ok()?;
    show.call1(&JsValue::NULL, &JsValue::from_str(message)).ok().map(|_| ())
}
