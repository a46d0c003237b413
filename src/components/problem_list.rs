//! A list of problems as the page shows it: the first [`SHOWN`] in full, then one line that
//! counts the rest, so that a link or a lesson with 95,000 problems draws a few lines, not
//! 95,000 (it held the page at 5 frames a second).

use lbcore::scenario::{MAX_PROBLEMS, more_problems};
use yew::prelude::*;

/// Most problems listed one by one; the rest are counted. lbcore's lists already stop at
/// [`MAX_PROBLEMS`] and a line counting the rest, which this shows whole; the page's own
/// list (a link's interface settings, repeated keys, then the scenario's) is cut the same way.
pub const SHOWN: usize = MAX_PROBLEMS + 1;

/// The list's inputs.
#[derive(Properties, PartialEq)]
pub struct ProblemListProps {
    /// The first problems' lines, in order: at most [`SHOWN`] are drawn (build no more than
    /// that: [`first_lines`]).
    pub lines: Vec<Html>,
    /// How many problems there are in all.
    pub total: usize,
}

/// The lines of the first [`SHOWN`] of `items`, each drawn by `line`: the work of a list of
/// any length is that of [`SHOWN`].
pub fn first_lines<T>(items: &[T], line: impl Fn(&T) -> Html) -> Vec<Html> {
    items.iter().take(SHOWN).map(line).collect()
}

/// `<ul>` of the first [`SHOWN`] lines and, past them, "and N more".
#[function_component]
pub fn ProblemList(props: &ProblemListProps) -> Html {
    let more = props.total.saturating_sub(props.lines.len().min(SHOWN));
    html! {
        <ul>
            { for props.lines.iter().take(SHOWN).cloned().map(|line| html! { <li>{ line }</li> }) }
            if more > 0 {
                <li data-testid="more-problems">{ more_problems(more) }</li>
            }
        </ul>
    }
}
