//! docs/lessons.md's example lesson is a lesson: it parses, and playing it headless does every
//! task, with the answers the page's sample output of `lbsim lesson check` shows.

use lbcore::lesson::{Lesson, play};

#[test]
fn the_docs_example_lesson_parses_and_every_task_is_done() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/lessons.md");
    let doc = std::fs::read_to_string(path).expect("docs/lessons.md");
    let start = "<!-- lesson-example:start -->\n```json\n";
    let end = "```\n<!-- lesson-example:end -->";
    let from = doc.find(start).expect("docs/lessons.md marks the example's start") + start.len();
    let to = doc[from..].find(end).expect("docs/lessons.md marks the example's end") + from;
    let lesson = Lesson::parse(&doc[from..to]).unwrap_or_else(|p| panic!("docs/lessons.md's example:\n{p}"));
    let reports = play(&lesson);
    assert!(reports.iter().all(|r| r.passed()), "{reports:?}");
    // nginx's smooth weighted round robin for weights 5, 1, 1
    assert_eq!(reports[0].routed, ["a", "a", "b", "a", "c", "a", "a"]);
    assert_eq!(reports[0].answer.as_deref(), Some("a"));
    assert!(doc.contains("routed a a b a c a a; answer: a\n"), "docs/lessons.md's sample output shows the same");
}
