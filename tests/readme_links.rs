//! Every lab link the README gives (a `?query` in a link, a code span or an iframe snippet),
//! and every iframe snippet in docs/, is one the page reads with no problem reported: no
//! misspelt parameter, no value out of range, nothing past the browser's limits. A lesson
//! named in one is a built-in lesson.
#![cfg(not(target_arch = "wasm32"))]

use lbviz::settings::LessonSource;
use lbviz::url;

/// Each `?query` in `text` that follows a `/` (a URL) or a backtick (a code span): up to the
/// first character that ends a URL in Markdown or HTML. `&amp;` in an HTML attribute is `&`.
fn queries(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices('?') {
        let before = text[..at].chars().next_back();
        let after = text[at + 1..].chars().next();
        if !matches!(before, Some('/' | '`')) || !after.is_some_and(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        let rest = &text[at + 1..];
        let end = rest.find(|c: char| c.is_whitespace() || "`\"')<>".contains(c)).unwrap_or(rest.len());
        found.push(rest[..end].replace("&amp;", "&"));
    }
    found
}

/// The lines of each fenced block of `lang` in `doc`.
fn fenced(doc: &str, lang: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in doc.lines() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            inside = !inside && info.trim() == lang;
            continue;
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// What is wrong with the page opened at `query`, if anything.
fn problems_of(query: &str) -> Vec<String> {
    let parsed = url::parse(query);
    let mut problems: Vec<String> = parsed.problems.iter().map(|p| p.to_string()).collect();
    if let Some(LessonSource::Named(name)) = &parsed.settings.lesson {
        let is_path = name.contains('/') || name.ends_with(".json");
        if !is_path && lbcore::lesson::builtin::json(name).is_none() {
            problems.push(format!("lesson={name}: no built-in lesson of that name"));
        }
    }
    problems
}

fn root(path: &str) -> String {
    let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

#[test]
fn every_lab_link_in_the_readme_is_read_with_no_problem() {
    let found = queries(&root("README.md"));
    // the learner's tour (as code and as links), the iframe snippet
    assert!(found.len() >= 7, "too few lab links found in README.md: {found:?}");
    let bad: Vec<String> = found
        .iter()
        .map(|q| (q, problems_of(q)))
        .filter(|(_, problems)| !problems.is_empty())
        .map(|(q, problems)| format!("?{q}: {}", problems.join("; ")))
        .collect();
    assert!(bad.is_empty(), "README.md has lab links the page reports problems with:\n{}", bad.join("\n"));
}

#[test]
fn every_iframe_snippet_in_the_docs_is_read_with_no_problem() {
    let dir = format!("{}/docs", env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("docs/") {
        let path = entry.expect("an entry").path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let doc = std::fs::read_to_string(&path).expect("a page");
        for q in queries(&fenced(&doc, "html")) {
            let problems = problems_of(&q);
            assert!(problems.is_empty(), "{}: ?{q}: {problems:?}", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 2, "too few iframe snippets found in docs/: {checked}");
}

#[test]
fn a_bad_link_is_caught() {
    // The checks above can fail: a misspelt parameter, a value out of range and an unknown
    // built-in lesson are each reported.
    let found =
        queries("see [`?mode=manul`](http://127.0.0.1:8080/?servers=65&lesson=cours) or `?algo=least-connections`");
    assert_eq!(found, ["mode=manul", "servers=65&lesson=cours", "algo=least-connections"]);
    assert!(!problems_of(&found[0]).is_empty());
    assert_eq!(problems_of(&found[1]).len(), 2, "{:?}", problems_of(&found[1]));
    assert!(problems_of(&found[2]).is_empty());
    let snippet = "<iframe src=\"https://your.site/lbviz/?embed=1&amp;controls=fire,nope\"></iframe>";
    assert_eq!(queries(snippet), ["embed=1&controls=fire,nope"]);
    assert!(!problems_of("embed=1&controls=fire,nope").is_empty());
}
