//! docs/lessons.md's example lesson is a lesson: it parses, and playing it headless does every
//! task, with the answers the page's sample output of `lbsim lesson check` shows; and the sample
//! reports are what lesson::Check gives (lbsim and the page's Check this lesson), line for line.

use lbcore::lesson::{Check, Lesson, Outcome, play};

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

#[test]
fn the_docs_early_lesson_is_refused_as_its_sample_output_says() {
    // docs/lessons.md, "A task waits for the learner": each EARLY line of the sample output
    // is what the check says of the lesson shown above it.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/lessons.md");
    let doc = std::fs::read_to_string(path).expect("docs/lessons.md");
    let start = "<!-- lesson-early:start -->\n```json\n";
    let end = "```\n<!-- lesson-early:end -->";
    let from = doc.find(start).expect("docs/lessons.md marks the early example's start") + start.len();
    let to = doc[from..].find(end).expect("docs/lessons.md marks its end") + from;
    let lesson = Lesson::parse(&doc[from..to]).unwrap_or_else(|p| panic!("docs/lessons.md's early example:\n{p}"));
    let reports = play(&lesson);
    let early: Vec<usize> =
        reports.iter().filter(|r| matches!(r.outcome, Outcome::Early { .. })).map(|r| r.step).collect();
    assert_eq!(early, [1, 3]);
    for r in &reports {
        if let Outcome::Early { why } = &r.outcome {
            assert!(doc.contains(&format!("; EARLY: {why}")), "docs/lessons.md shows step {}'s line: {why}", r.step);
        }
    }
}

/// The lines of the report [`Check`] gives for `json`, and its verdict.
fn report(json: &str) -> (Vec<String>, Result<&'static str, String>) {
    let mut check = Check::new(Lesson::parse(json).unwrap_or_else(|p| panic!("{p}")));
    let mut lines = vec![check.heading()];
    lines.extend(std::iter::from_fn(|| check.next_line()));
    (lines, check.verdict())
}

/// The JSON between docs/lessons.md's `<!-- NAME:start -->` and `<!-- NAME:end -->`.
fn example(doc: &str, name: &str) -> String {
    let start = format!("<!-- {name}:start -->\n```json\n");
    let end = format!("```\n<!-- {name}:end -->");
    let from = doc.find(&start).expect("marked") + start.len();
    doc[from..from + doc[from..].find(&end).expect("marked")].to_string()
}

#[test]
fn the_docs_sample_reports_are_the_check_line_for_line() {
    // `lbsim lesson check` and the page's "Check this lesson" print what lesson::Check gives:
    // docs/lessons.md shows it whole, for the example and for the early lesson.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/lessons.md");
    let doc = std::fs::read_to_string(path).expect("docs/lessons.md");
    let (mut lines, verdict) = report(&example(&doc, "lesson-example"));
    lines.push(verdict.expect("passes").to_string());
    let sample = format!("```\n{}\n```", lines.join("\n"));
    assert!(doc.contains(&sample), "docs/lessons.md shows the example's report whole:\n{sample}");
    let (mut lines, verdict) = report(&example(&doc, "lesson-early"));
    lines.push(format!("lbsim: \"early.json\": {}", verdict.expect_err("early")));
    let sample = format!("```\n{}\n```", lines.join("\n"));
    assert!(doc.contains(&sample), "docs/lessons.md shows the early lesson's report whole:\n{sample}");
}
