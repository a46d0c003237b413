//! The body of a lesson card whose lesson cannot be played: what the author reads when their
//! lesson has problems (each by step and field, as `lbsim lesson check` names them) or when
//! its file never came. A learner never sees it, so the small views' bundle
//! ([`crate::on_demand::VIEWS`]) draws it, into [`slot`]: the lesson build hands it the
//! lesson's name and the first problems' lines as one text ([`texts`]) and keeps only the
//! card's frame and heading. The problems themselves are still read by the lesson build
//! (lbcore's reader), before anything is drawn.

use yew::prelude::*;

use super::on_demand_slot::OnDemandSlot;
use super::problem_list::{ProblemList, SHOWN, first_lines};

/// The element the body is drawn into.
pub const ROOT_ID: &str = "lesson-problems-root";

/// What separates the texts: a control character, which a problem's line never holds (a
/// value it quotes has them escaped), nor a lesson's name as the page shows it.
const SEP: char = '\u{1f}';

/// The body's inputs as one text: `1` when the lesson was read (its problems follow) or `0`
/// when it never came (why follows), the lesson's name as shown, how many problems there are,
/// then the line of each of the first [`SHOWN`], all separated by [`SEP`].
pub fn texts(which: &str, read: bool, problems: &[String]) -> String {
    let mut out = String::from(if read { "1" } else { "0" });
    out.push(SEP);
    out.push_str(&which.replace(SEP, " "));
    out.push(SEP);
    out.push_str(&problems.len().to_string());
    for p in problems.iter().take(SHOWN) {
        out.push(SEP);
        out.push_str(&p.replace(SEP, " "));
    }
    out
}

/// The slot the bundle draws the body into, inside the card (`static/lesson.css` lays the
/// slot out as if the body were the card's own child).
pub fn slot(which: &str, read: bool, problems: &[String]) -> Html {
    html! {
        <OnDemandSlot export="show_lesson_problems" id={ROOT_ID} name="lesson-problems-slot"
            loading="Reading what is wrong with the lesson…" what="The lesson's problems"
            texts={vec![AttrValue::from(texts(which, read, problems))]} />
    }
}

/// The body's inputs (drawn by the on-demand bundle).
#[derive(Properties, PartialEq)]
pub struct LessonProblemsProps {
    /// The lesson and its problems as [`texts`] writes them.
    pub texts: AttrValue,
}

/// The body: what is wrong, each problem, and what to do.
#[function_component]
pub fn LessonProblems(props: &LessonProblemsProps) -> Html {
    let mut parts = props.texts.split(SEP);
    let read = parts.next() == Some("1");
    let which = parts.next().unwrap_or("");
    let total: usize = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
    let lines: Vec<&str> = parts.collect();
    let intro = if read {
        format!("The lesson {which} has {}:", plural(total))
    } else {
        format!("The lesson {which} did not load:")
    };
    html! {
        <div class="lesson-body notice warning" role="alert" tabindex="0" data-testid="lesson-problems">
            <p>{ intro }</p>
            <ProblemList lines={first_lines(&lines, |p| html! { { *p } })} {total} />
            <p>
                { "The lab below works as usual." }
                if read {
                    { " Fix them and load the lesson again: once it reads, " }<strong>{ "Check this lesson" }</strong>
                    { " in its card plays each step\u{2019}s try and reports as " }<code>{ "lbsim lesson check FILE" }</code>
                    { " does (which names these problems too); the lab\u{2019}s Share dialog reads a lesson as you paste it (Guided lesson: Your own lesson)." }
                }
            </p>
        </div>
    }
}

/// `a problem` or `N problems`.
fn plural(n: usize) -> String {
    if n == 1 { "a problem".to_string() } else { format!("{n} problems") }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The body as the page would show it, in text.
    fn drawn(texts: String) -> String {
        let html = tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(
            yew::LocalServerRenderer::<LessonProblems>::with_props(LessonProblemsProps { texts: texts.into() })
                .render(),
        );
        // tags out, so that the words read as a person reads them
        let mut text = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        text
    }

    #[test]
    fn every_problem_line_comes_through_whole_and_past_the_first_few_they_are_counted() {
        let problems: Vec<String> =
            (1..=30).map(|i| format!("step {i}, text: allowed: 1 to 2000 characters")).collect();
        let text = drawn(texts("./lessons/mine.json", true, &problems));
        assert!(text.contains("The lesson ./lessons/mine.json has 30 problems:"), "{text}");
        // the first SHOWN lines whole, then one line counting the rest
        for p in &problems[..SHOWN] {
            assert!(text.contains(p.as_str()), "{p} in {text}");
        }
        assert!(!text.contains(&problems[SHOWN]), "{text}");
        assert!(text.contains(&lbcore::scenario::more_problems(30 - SHOWN)), "{text}");
        assert!(text.contains("lbsim lesson check FILE"), "{text}");
    }

    #[test]
    fn a_lesson_that_never_came_says_why_and_offers_no_check() {
        let why = vec!["./lessons/slow.json did not arrive within 15 seconds".to_string()];
        let text = drawn(texts("./lessons/slow.json", false, &why));
        assert!(text.contains("The lesson ./lessons/slow.json did not load:"), "{text}");
        assert!(text.contains(why[0].as_str()), "{text}");
        assert!(!text.contains("lbsim lesson check"), "{text}");
    }

    #[test]
    fn a_separator_in_a_name_or_a_line_cannot_shift_the_texts() {
        let text = drawn(texts("a\u{1f}b", true, &["one\u{1f}two".to_string()]));
        assert!(text.contains("The lesson a b has a problem:"), "{text}");
        assert!(text.contains("one two"), "{text}");
    }
}
