//! The animation clock: a requestAnimationFrame loop that calls back with each frame's wall
//! time in milliseconds, clamped to [`MAX_FRAME_MS`] so that a tab coming back does not stall
//! catching up. It runs only while asked to, while the document is visible and while the app's
//! root element is on screen (an IntersectionObserver watches it, for embeds scrolled away).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::render::{AnimationFrame, request_animation_frame};
use yew::prelude::*;

/// The longest wall time one frame may account for, in milliseconds.
pub const MAX_FRAME_MS: f64 = 100.0;

/// A frame's wall time given this frame's and the last frame's timestamps.
pub fn frame_delta(last: Option<f64>, now: f64) -> f64 {
    match last {
        Some(prev) if now > prev => (now - prev).min(MAX_FRAME_MS),
        _ => 0.0,
    }
}

/// A running loop: the pending frame, the last timestamp, and whom to call.
struct Loop {
    frame: RefCell<Option<AnimationFrame>>,
    last: Cell<Option<f64>>,
    on_frame: Rc<RefCell<Callback<f64>>>,
}

fn schedule(l: Rc<Loop>) {
    let next = l.clone();
    let frame = request_animation_frame(move |ts| {
        let dt = frame_delta(next.last.replace(Some(ts)), ts);
        // Clone first: the callback may re-render, which replaces the stored callback.
        let on_frame = next.on_frame.borrow().clone();
        schedule(next);
        frame_started();
        on_frame.emit(dt);
    });
    *l.frame.borrow_mut() = Some(frame);
}

/// The performance mark set when a frame starts, and the measure from it to the end of the
/// render that frame caused (the engine step plus Yew's render), named for the frame-time
/// budget (tests/e2e/budget_frame.test.mjs reads them with a PerformanceObserver).
const FRAME_START: &str = "lbviz-frame-start";
/// The measure of one frame's work (see [`FRAME_START`]).
pub const FRAME_MEASURE: &str = "lbviz-frame";

fn performance() -> Option<web_sys::Performance> {
    web_sys::window().and_then(|w| w.performance())
}

fn frame_started() {
    if let Some(p) = performance() {
        let _ = p.mark(FRAME_START);
    }
}

/// Ends the measure of the frame whose render just finished. Marks and measures are cleared at
/// once (an observer has already been handed them), so a lab left open all day does not
/// collect them.
fn frame_rendered() {
    if let Some(p) = performance()
        && p.measure_with_start_mark(FRAME_MEASURE, FRAME_START).is_ok()
    {
        p.clear_marks_with_mark_name(FRAME_START);
        p.clear_measures_with_measure_name(FRAME_MEASURE);
    }
}

fn document_visible() -> bool {
    web_sys::window().and_then(|w| w.document()).is_none_or(|d| !d.hidden())
}

/// Calls `on_frame` with each frame's wall milliseconds while `running`, the page is visible
/// and `root` is in view.
#[hook]
pub fn use_animation_frame(running: bool, root: NodeRef, on_frame: Callback<f64>) {
    let latest = use_mut_ref(|| on_frame.clone());
    *latest.borrow_mut() = on_frame;
    // Both start true: the browser is asked only in effects (never while rendering on a server).
    let visible = use_state_eq(|| true);
    let in_view = use_state_eq(|| true);

    {
        let visible = visible.clone();
        use_effect_with((), move |_| {
            visible.set(document_visible());
            let listener = web_sys::window().and_then(|w| w.document()).map(|document| {
                EventListener::new(&document, "visibilitychange", move |_| visible.set(document_visible()))
            });
            move || drop(listener)
        });
    }
    {
        let in_view = in_view.clone();
        use_effect_with(root, move |root| {
            let watch = root
                .cast::<web_sys::Element>()
                .and_then(|e| super::intersection::watch(&e, "0px", move |v| in_view.set(v)));
            move || drop(watch)
        });
    }

    // Runs after every render of the component that uses this hook (the app): the end of a
    // frame's work.
    use_effect(frame_rendered);

    let active = running && *visible && *in_view;
    use_effect_with(active, move |&active| {
        let l = Rc::new(Loop { frame: RefCell::new(None), last: Cell::new(None), on_frame: latest });
        if active {
            schedule(l.clone());
        }
        // Dropping the pending frame cancels it and frees the loop.
        move || drop(l.frame.borrow_mut().take())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_clamped() {
        assert_eq!(frame_delta(None, 1000.0), 0.0);
        assert_eq!(frame_delta(Some(1000.0), 1016.0), 16.0);
        assert_eq!(frame_delta(Some(1000.0), 9000.0), MAX_FRAME_MS);
        assert_eq!(frame_delta(Some(1000.0), 900.0), 0.0);
    }
}
