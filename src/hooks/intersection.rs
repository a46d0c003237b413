//! Whether an element is near the viewport: an IntersectionObserver on one element, handing
//! each change to a callback, and disconnected when the watch is dropped. The animation clock
//! uses it to stop when an embed is scrolled away, and the history to load when it comes near.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};

/// An element watched; dropping it stops the watch.
pub struct Watch {
    observer: IntersectionObserver,
    _callback: Closure<dyn FnMut(js_sys::Array)>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// Watches `element`, the viewport grown by `margin` (CSS, as `"200px"`; `"0px"` for the
/// viewport itself), calling `on` with whether the element intersects it, for each change in
/// the order the browser reports them. `None` where the browser has no IntersectionObserver.
pub fn watch(element: &Element, margin: &str, mut on: impl FnMut(bool) + 'static) -> Option<Watch> {
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        for entry in entries.iter() {
            on(entry.unchecked_into::<IntersectionObserverEntry>().is_intersecting());
        }
    });
    let options = IntersectionObserverInit::new();
    options.set_root_margin(margin);
    let observer = IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &options).ok()?;
    observer.observe(element);
    Some(Watch { observer, _callback: callback })
}
