//! The README's example lesson is a lesson: it parses, and playing it headless does every
//! task, with the answers the README's sample output of `lbsim lesson check` shows.

use lbcore::lesson::{Lesson, play};

#[test]
fn the_readme_example_lesson_parses_and_every_task_is_done() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).expect("README.md");
    let start = "<!-- lesson-example:start -->\n```json\n";
    let end = "```\n<!-- lesson-example:end -->";
    let from = readme.find(start).expect("the README marks the example's start") + start.len();
    let to = readme[from..].find(end).expect("the README marks the example's end") + from;
    let lesson = Lesson::parse(&readme[from..to]).unwrap_or_else(|p| panic!("the README's example:\n{p}"));
    let reports = play(&lesson);
    assert!(reports.iter().all(|r| r.passed()), "{reports:?}");
    // nginx's smooth weighted round robin for weights 5, 1, 1
    assert_eq!(reports[0].routed, ["a", "a", "b", "a", "c", "a", "a"]);
    assert_eq!(reports[0].answer.as_deref(), Some("a"));
    assert!(readme.contains("routed a a b a c a a; answer: a\n"), "the README's sample output shows the same");
}
