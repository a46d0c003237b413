//! The README's quick-starts work as written: every relative link in README.md and docs/
//! leads to a file of the repository, every `lbsim` command in a `sh` block of README.md runs
//! and exits 0 (quickly: a newcomer pastes them), and every repository path the README and
//! docs/ name exists.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The repository's root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("the repository's root")
}

/// README.md and every page of docs/, as (path from the root, text).
fn pages() -> Vec<(String, String)> {
    let root = root();
    let mut names = vec!["README.md".to_string()];
    let mut docs: Vec<String> = std::fs::read_dir(root.join("docs"))
        .expect("docs/")
        .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .map(|n| format!("docs/{n}"))
        .collect();
    docs.sort();
    names.extend(docs);
    names.into_iter().map(|n| (n.clone(), std::fs::read_to_string(root.join(&n)).expect("a page"))).collect()
}

/// `doc` without its fenced code blocks and code spans: what Markdown renders as text.
fn prose(doc: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in doc.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            // code spans: every other piece between backticks
            out.extend(line.split('`').step_by(2).flat_map(|piece| [piece, " "]));
            out.push('\n');
        }
    }
    out
}

/// The targets of the Markdown links and images in `doc` (`[text](target)`), in order.
fn link_targets(doc: &str) -> Vec<String> {
    let text = prose(doc);
    text.match_indices("](")
        .filter_map(|(at, _)| {
            let rest = &text[at + 2..];
            let end = rest.find(')')?;
            let target = rest[..end].split_whitespace().next()?.trim_matches(|c| c == '<' || c == '>');
            Some(target.to_string())
        })
        .collect()
}

/// Whether `target` leaves the repository (a URL, a mail address) or stays on the page.
fn is_outside_or_anchor(target: &str) -> bool {
    target.contains("://") || target.starts_with("mailto:") || target.starts_with('#')
}

/// The relative links of `doc` (at `page`, a path from the root) whose file does not exist.
fn broken_links(page: &str, doc: &str) -> Vec<String> {
    let dir = root().join(page).parent().expect("a folder").to_path_buf();
    link_targets(doc)
        .into_iter()
        .filter(|t| !is_outside_or_anchor(t))
        .filter(|t| {
            let file = t.split(['#', '?']).next().unwrap_or_default();
            !dir.join(file).exists()
        })
        .collect()
}

/// The words of one shell command line, as a POSIX shell splits them: blanks separate words,
/// single quotes keep everything, double quotes keep all but `\"` and `\\`, a backslash
/// escapes the next character, and a word starting with `#` begins a comment.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                if let Some(w) = word.take() {
                    words.push(w);
                }
            }
            '#' if word.is_none() => break,
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    w.push(q);
                }
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                while let Some(q) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' if matches!(chars.peek(), Some('"' | '\\')) => w.push(chars.next().expect("peeked")),
                        _ => w.push(q),
                    }
                }
            }
            '\\' => {
                if let Some(next) = chars.next() {
                    word.get_or_insert_with(String::new).push(next);
                }
            }
            _ => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    words
}

/// The commands of each ```sh block of `doc`, continuation lines (ending in `\`) joined.
fn sh_commands(doc: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut inside = false;
    let mut pending = String::new();
    for line in doc.lines() {
        let trimmed = line.trim();
        if let Some(info) = trimmed.strip_prefix("```") {
            inside = !inside && info.trim() == "sh";
            continue;
        }
        if !inside {
            continue;
        }
        if let Some(head) = trimmed.strip_suffix('\\') {
            pending.push_str(head);
            pending.push(' ');
            continue;
        }
        pending.push_str(trimmed);
        if !pending.trim().is_empty() {
            commands.push(std::mem::take(&mut pending));
        }
        pending.clear();
    }
    commands
}

/// The arguments of `command` when it runs lbsim (`lbsim ...`, `target/release/lbsim ...`).
fn lbsim_args(command: &str) -> Option<Vec<String>> {
    let words = shell_words(command);
    let program = words.first()?;
    (Path::new(program).file_name()? == "lbsim").then(|| words[1..].to_vec())
}

/// The repository paths `doc` names (`scripts/serve.sh`, `crates/lbcore/src/...`, `tests/wasm_*.rs`).
fn repo_paths(doc: &str) -> Vec<String> {
    const TOP: [&str; 8] = ["scripts/", "src/", "crates/", "static/", "tests/", "docs/", "lessons/", ".ci/"];
    let is_path_char = |c: char| c.is_ascii_alphanumeric() || "_./*-".contains(c);
    let mut found = Vec::new();
    for top in TOP {
        for (at, _) in doc.match_indices(top) {
            if doc[..at].chars().next_back().is_some_and(|c| is_path_char(c) || c == '=') {
                continue; // inside a longer path or a URL's query
            }
            let rest = &doc[at..];
            let end = rest.find(|c: char| !is_path_char(c)).unwrap_or(rest.len());
            if rest[end..].starts_with('<') {
                continue; // a placeholder such as `docs/<page>`
            }
            found.push(rest[..end].trim_end_matches(['.', ',']).to_string());
        }
    }
    found
}

/// Whether `path` (from the root; `*` matches within one name) names something that exists.
fn exists(path: &str) -> bool {
    let root = root();
    let Some((dir, name)) = path.trim_end_matches('/').rsplit_once('/').filter(|_| path.contains('*')) else {
        return root.join(path).exists();
    };
    let (head, tail) = name.split_once('*').expect("a wildcard");
    std::fs::read_dir(root.join(dir)).is_ok_and(|entries| {
        entries.filter_map(Result::ok).any(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.len() >= head.len() + tail.len() && n.starts_with(head) && n.ends_with(tail)
        })
    })
}

#[test]
fn every_relative_link_leads_to_a_file() {
    let mut checked = 0;
    let mut broken = Vec::new();
    for (page, doc) in pages() {
        checked += link_targets(&doc).iter().filter(|t| !is_outside_or_anchor(t)).count();
        broken.extend(broken_links(&page, &doc).into_iter().map(|t| format!("{page}: ({t})")));
    }
    assert!(checked >= 20, "too few relative links found: {checked}");
    assert!(broken.is_empty(), "links to files that do not exist:\n{}", broken.join("\n"));
}

#[test]
fn every_lbsim_command_in_the_readme_runs() {
    let readme = &pages()[0].1;
    let commands: Vec<String> = sh_commands(readme).into_iter().filter(|c| lbsim_args(c).is_some()).collect();
    assert!(commands.len() >= 4, "too few lbsim commands found in README.md's sh blocks: {commands:?}");
    for command in commands {
        let code = command.split(" #").next().unwrap_or_default();
        assert!(
            !code.contains(['|', '>', '<', ';', '$', '`', '&']),
            "`{command}`: keep the README's commands plain (no pipes, redirections or variables), so that this test runs them as written"
        );
        let args = lbsim_args(&command).expect("an lbsim command");
        let start = Instant::now();
        let out =
            Command::new(env!("CARGO_BIN_EXE_lbsim")).args(&args).current_dir(root()).output().expect("lbsim runs");
        let took = start.elapsed();
        assert!(
            out.status.success(),
            "`{command}` exited with {}:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.stdout.is_empty(), "`{command}` printed nothing");
        assert!(took < Duration::from_secs(10), "`{command}` took {took:?}: keep the README's commands quick");
    }
}

#[test]
fn every_path_the_readme_and_docs_name_exists() {
    let mut checked = 0;
    let mut missing = Vec::new();
    for (page, doc) in pages() {
        for path in repo_paths(&doc) {
            checked += 1;
            if !exists(&path) {
                missing.push(format!("{page}: {path}"));
            }
        }
    }
    let readme_scripts = repo_paths(&pages()[0].1).iter().filter(|p| p.starts_with("scripts/")).count();
    assert!(readme_scripts >= 3, "README.md names too few scripts: {readme_scripts}");
    assert!(checked >= 50, "too few paths found: {checked}");
    assert!(missing.is_empty(), "paths that do not exist:\n{}", missing.join("\n"));
}

#[test]
fn the_checks_catch_what_they_are_for() {
    // a broken link, a link inside code (not a link), an anchor and a URL
    let doc = "[a](docs/nothing-here.md) `[b](nowhere.md)` [c](#top) [d](https://example.org/x.md) [e](docs/cli.md#x)";
    assert_eq!(broken_links("README.md", doc), ["docs/nothing-here.md"]);
    // shell words, comments and continuations
    assert_eq!(
        shell_words(r#"lbsim url --base 'a b' "c\"d" e\ f # comment"#),
        ["lbsim", "url", "--base", "a b", "c\"d", "e f"]
    );
    let block = "```sh\ncargo build\ntarget/release/lbsim route \\\n    --servers 3 # x\n```\n";
    let commands = sh_commands(block);
    assert_eq!(commands.len(), 2);
    assert_eq!(lbsim_args(&commands[1]).expect("lbsim"), ["route", "--servers", "3"]);
    assert_eq!(lbsim_args(&commands[0]), None);
    // a failing command fails
    let out = Command::new(env!("CARGO_BIN_EXE_lbsim")).args(["route", "--servers", "0"]).output().expect("runs");
    assert!(!out.status.success());
    // paths: present, missing, globbed, in a query
    assert_eq!(
        repo_paths("`scripts/serve.sh`, scripts/nope.sh. `tests/wasm_*.rs` ?lesson=./lessons/x.json"),
        ["scripts/serve.sh", "scripts/nope.sh", "tests/wasm_*.rs"]
    );
    assert!(exists("scripts/serve.sh") && !exists("scripts/nope.sh") && exists("tests/wasm_*.rs"));
    assert!(!exists("tests/nothing_*.rs"));
}
