//! Small inline SVG icons for buttons (drawn, not font glyphs, so that every system shows them).
//! They are decorative: the button's text or aria-label says what it does.

use yew::prelude::*;

/// The path data of each icon on a 16 x 16 grid.
fn path(name: &str) -> &'static str {
    match name {
        "play" => "M4 2.5v11l9-5.5z",
        "pause" => "M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z",
        "step" => "M2.5 2.5v11l7.5-5.5zM11 2.5h2.5v11H11z",
        "reset" => "M8 2.5a5.5 5.5 0 1 1-5.2 3.7l1.8.6A3.6 3.6 0 1 0 8 4.4V6.5L4.5 3.5 8 .5z",
        "plus" => "M7 2.5h2v4.5h4.5v2H9v4.5H7V9H2.5V7H7z",
        "minus" => "M2.5 7h11v2h-11z",
        "share" => {
            "M11.5 1.5a2.5 2.5 0 1 1-1.9 4.1L6.4 7.3a2.5 2.5 0 0 1 0 1.4l3.2 1.7a2.5 2.5 0 1 1-.6 1.3L5.8 10a2.5 2.5 0 1 1 0-4L9 4.3a2.5 2.5 0 0 1 2.5-2.8z"
        }
        _ => "",
    }
}

/// One icon, sized to the text: `play`, `pause`, `step`, `reset`, `plus`, `minus` or `share`.
pub fn icon(name: &str) -> Html {
    html! {
        <svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
            <path d={path(name)} />
        </svg>
    }
}
