//! The notice that names each bad URL parameter and why; the app runs on with the defaults.

use std::rc::Rc;

use lbcore::Problem;
use yew::prelude::*;

use super::problem_list::{ProblemList, first_lines};

/// The notice's inputs.
#[derive(Properties, PartialEq)]
pub struct ParamNoticeProps {
    /// The problems found reading the URL.
    pub problems: Rc<Vec<Problem>>,
}

/// The notice (nothing when the URL was fine).
#[function_component]
pub fn ParamNotice(props: &ParamNoticeProps) -> Html {
    let hidden = use_state(|| false);
    if props.problems.is_empty() || *hidden {
        return Html::default();
    }
    let dismiss = {
        let hidden = hidden.clone();
        Callback::from(move |_: MouseEvent| hidden.set(true))
    };
    html! {
        <div class="notice warning" data-testid="param-warning" role="alert">
            <p><strong>{ "Some parameters in the link were not used." }</strong>
               { " The lab runs with the defaults for these:" }</p>
            <ProblemList
                lines={first_lines(&props.problems, |p| html! { <><code>{ p.field.clone() }</code>{ format!(" — {p}") }</> })}
                total={props.problems.len()} />
            <button type="button" class="quiet" onclick={dismiss} aria-label="Dismiss this notice">{ "Dismiss" }</button>
        </div>
    }
}
