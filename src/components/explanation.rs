//! The sentence that explains the last thing you did (a routing decision, a completion, a
//! failure), in an aria-live region so that screen readers announce it.

use std::rc::Rc;

use yew::prelude::*;

use super::pure::View;

/// The live explanation, drawn from these inputs (a [`View`]: memoised).
#[derive(PartialEq)]
pub struct Explanation {
    /// The sentence, if any yet.
    pub text: Option<Rc<str>>,
    /// What to say before anything happened.
    pub placeholder: AttrValue,
}

/// The live explanation.
impl View for Explanation {
    fn view(&self) -> Html {
        html! {
            <p class={classes!("explanation", self.text.is_none().then_some("empty"))} data-testid="explanation"
               role="status" aria-live="polite" aria-atomic="true">
                { self.text.as_deref().map(str::to_string).unwrap_or_else(|| self.placeholder.to_string()) }
            </p>
        }
    }
}
