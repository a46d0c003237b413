//! The notice that names each bad URL parameter and why; the app runs on with the defaults.
//!
//! Only a link with a bad parameter shows it, so the on-demand bundle ([`crate::on_demand`])
//! draws it, into [`slot`]: the lab hands it the first problems' fields and lines as text
//! ([`texts`]), and the notice keeps its own Dismiss.

use lbcore::Problem;
use yew::prelude::*;

use super::on_demand_slot::OnDemandSlot;
use super::problem_list::{ProblemList, SHOWN, first_lines};

/// The element the notice is drawn into.
pub const ROOT_ID: &str = "param-root";

/// What separates the notice's texts: a control character, which a problem's line never holds
/// (a value it quotes has them escaped).
const SEP: char = '\u{1f}';

/// The notice's inputs as one text: how many problems, then the field and the line of each of
/// the first [`SHOWN`], all separated by [`SEP`].
pub fn texts(problems: &[Problem]) -> String {
    let mut out = problems.len().to_string();
    for p in problems.iter().take(SHOWN) {
        out.push(SEP);
        // (a field the link named itself may hold anything)
        out.push_str(&p.field.replace(SEP, " "));
        out.push(SEP);
        out.push_str(&p.to_string().replace(SEP, " "));
    }
    out
}

/// The slot the bundle draws the notice into; nothing when the URL was fine.
pub fn slot(problems: &[Problem]) -> Html {
    if problems.is_empty() {
        return Html::default();
    }
    html! {
        <OnDemandSlot export="show_param_notice" id={ROOT_ID} name="param-slot" loading="Some parameters in the link were not used: loading which…"
            what="The notice on this link's parameters" texts={vec![AttrValue::from(texts(problems))]} />
    }
}

/// The notice's inputs (drawn by the on-demand bundle).
#[derive(Properties, PartialEq)]
pub struct ParamNoticeProps {
    /// The problems as [`texts`] writes them.
    pub texts: AttrValue,
}

/// The notice (nothing once dismissed).
#[function_component]
pub fn ParamNotice(props: &ParamNoticeProps) -> Html {
    let hidden = use_state(|| false);
    let mut parts = props.texts.split(SEP);
    let total: usize = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
    let lines: Vec<(&str, &str)> = std::iter::from_fn(|| Some((parts.next()?, parts.next()?))).collect();
    if total == 0 || *hidden {
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
                lines={first_lines(&lines, |(field, line)| html! { <><code>{ *field }</code>{ format!(" — {line}") }</> })}
                {total} />
            <button type="button" class="quiet" onclick={dismiss} aria-label="Dismiss this notice">{ "Dismiss" }</button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_texts_carry_the_count_and_the_first_lines() {
        let problems = crate::url::parse("rate=abc&servers=0").problems;
        let text = texts(&problems);
        let parts: Vec<&str> = text.split(SEP).collect();
        assert_eq!(parts[0], problems.len().to_string());
        assert_eq!(parts.len(), 1 + 2 * problems.len());
        assert_eq!((parts[1], parts[2]), (problems[0].field.as_str(), problems[0].to_string().as_str()));
        assert!(!problems.iter().any(|p| p.to_string().contains(SEP)));
    }
}
