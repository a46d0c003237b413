//! The sentence that explains the last thing you did (a routing decision, a completion, a
//! failure), in an aria-live region so that screen readers announce it.

use std::rc::Rc;

use yew::prelude::*;

/// The explanation's inputs.
#[derive(Properties, PartialEq)]
pub struct ExplanationProps {
    /// The sentence, if any yet.
    pub text: Option<Rc<str>>,
    /// What to say before anything happened.
    pub placeholder: AttrValue,
}

/// The live explanation.
#[function_component]
pub fn Explanation(props: &ExplanationProps) -> Html {
    html! {
        <p class={classes!("explanation", props.text.is_none().then_some("empty"))} data-testid="explanation"
           role="status" aria-live="polite" aria-atomic="true">
            { props.text.as_deref().map(str::to_string).unwrap_or_else(|| props.placeholder.to_string()) }
        </p>
    }
}
