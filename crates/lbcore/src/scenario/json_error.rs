//! A JSON file's error in plain words: where it is (line and column) and what is wrong
//! there, as a learner can act on it ("line 1, column 44: a key must be a string in double
//! quotes"), never the parser's own dump (which lists every setting's name). A scenario file
//! and a lesson both read their errors here. The position always shows whole, in the
//! message; only the quoted text from it on is cut short.

use super::{Problem, quoted};

/// The problem `e` found in `text`, read as a scenario file: the bit of text where it is,
/// quoted short, and what is wrong there.
pub fn json_problem(text: &str, e: &serde_json::Error) -> Problem {
    let (here, message) = located(text, e, "scenario");
    Problem::new("scenario", &here, message)
}

/// Where `e` is in `text`, read as a `what` (`scenario`, `lesson`): the text from there to
/// the end of its line (for the caller to quote short), and `line L, column C: what is
/// wrong`, the column counted in characters.
pub(crate) fn located(text: &str, e: &serde_json::Error, what: &str) -> (String, String) {
    let raw = e.to_string();
    let line = e.line();
    // serde_json's Display ends the message with its position; a suffix is cut without the
    // substring searcher a `rsplit_once(" at line ")` would bring into the web app.
    let position = format!(" at line {line} column {}", e.column());
    let wrong = raw.strip_suffix(position.as_str()).unwrap_or(&raw);
    let on_line = text.lines().nth(line.saturating_sub(1)).unwrap_or("");
    // serde_json counts the column in bytes; a message counts characters.
    let mut byte = e.column().saturating_sub(1).min(on_line.len());
    while !on_line.is_char_boundary(byte) {
        byte -= 1;
    }
    let column = on_line[..byte].chars().count() + 1;
    let here = on_line[byte..].trim_end().to_string();
    (here, format!("line {line}, column {column}: {}", plain(wrong, what)))
}

/// serde_json's message `what` (without its position) in plain words, for a `noun`'s file.
fn plain(what: &str, noun: &str) -> String {
    let quoted = |rest: &str| quoted(rest.split('`').next().unwrap_or("")).to_string();
    if let Some(rest) = what.strip_prefix("unknown field `") {
        return format!("there is no setting called \"{}\" (`lbsim settings` lists them)", quoted(rest));
    }
    if let Some(rest) = what.strip_prefix("unknown variant `") {
        return format!("\"{}\" is not one of the allowed values", quoted(rest));
    }
    if let Some(rest) = what.strip_prefix("duplicate field `") {
        return format!("\"{}\" is given twice", quoted(rest));
    }
    let mistyped = what.strip_prefix("invalid type: ").or_else(|| what.strip_prefix("invalid value: "));
    if let Some((found, expected)) = mistyped.and_then(split_expected) {
        return format!("a value is {} where {} is expected", found_short(found), kind(expected));
    }
    match what {
        "key must be a string" => "a key must be a string in double quotes".to_string(),
        "trailing comma" => "a comma stands before a closing bracket".to_string(),
        "expected `:`" => "a key must be followed by a colon".to_string(),
        "expected `,` or `}`" => "a comma or a closing brace is missing".to_string(),
        "expected `,` or `]`" => "a comma or a closing bracket is missing".to_string(),
        "expected value" | "expected ident" => {
            "this is not a JSON value (text goes in double quotes; true, false, null and numbers do not)".to_string()
        }
        "trailing characters" => format!("there is more after the {noun}'s closing brace"),
        "recursion limit exceeded" => "lists and objects are nested more than 128 deep".to_string(),
        w if w.starts_with("EOF while parsing") => format!("the JSON ends before the {noun} does"),
        w if w.starts_with("control character") => "a string holds a control character (a line break?)".to_string(),
        w if w.starts_with("invalid escape") => "a backslash starts an escape JSON does not know".to_string(),
        w if w.starts_with("invalid number") || w.starts_with("number out of range") => {
            "a number is not one JSON can read".to_string()
        }
        other => quoted(other).to_string(),
    }
}

/// `found, expected what` split at its first `, expected `, as `split_once` would, by a
/// byte scan: a `&str` pattern would bring the substring searcher into the web app (2 KB).
fn split_expected(t: &str) -> Option<(&str, &str)> {
    const SEP: &str = ", expected ";
    let at = (0..t.len()).find(|&i| t.as_bytes()[i..].starts_with(SEP.as_bytes()))?;
    Some((&t[..at], &t[at + SEP.len()..]))
}

/// serde's words for the value found (`string "x"`, already escaped as `{:?}` does), cut short.
fn found_short(found: &str) -> String {
    super::quote_short(&found.replace('`', ""))
}

/// serde's name of an expected type in words.
fn kind(expected: &str) -> &str {
    match expected {
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number",
        "f32" | "f64" => "a number",
        "a boolean" => "true or false",
        other if other.starts_with("a sequence") => "a list in square brackets",
        other if other.starts_with("option") => "a value or null",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use crate::Scenario;

    fn message(text: &str) -> String {
        Scenario::from_json(text).expect_err("not a scenario").to_string()
    }

    #[test]
    fn syntax_errors_say_where_and_what_in_plain_words() {
        let m = message(r#"{"servers": 3, "rate": 20, "cost": 0.1, 5: 1}"#);
        assert_eq!(m, "scenario=\"5: 1}\": line 1, column 41: a key must be a string in double quotes");
        assert!(message("{\"servers\": 3,}").contains("line 1, column 15: a comma stands before a closing bracket"));
        assert!(message("{\"servers\": 3").contains("the JSON ends before the scenario does"));
        assert!(message("{\"servers\": tru}").contains("not a JSON value"));
        assert!(
            message("{\n  \"servers\": 3\n  \"rate\": 20\n}").contains("line 3, column 3: a comma or a closing brace")
        );
    }

    #[test]
    fn the_position_shows_whole_in_characters_when_the_quote_is_cut() {
        // 200 lists deep is past serde_json's 128: the error's text from there is cut to 40
        // characters, never its line and column.
        let deep = format!("{{\"servers\": 3,\n\"names\": [\"é\", {}{}]}}", "[".repeat(200), "]".repeat(200));
        let p = super::json_problem(&deep, &serde_json::from_str::<serde_json::Value>(&deep).unwrap_err());
        assert_eq!(p.value, format!("{}…", "[".repeat(40)));
        // column 142 in bytes: the é is two
        assert_eq!(p.message, "line 2, column 141: lists and objects are nested more than 128 deep");
    }

    #[test]
    fn wrong_names_and_types_are_named_without_the_parsers_list() {
        let m = message(r#"{"colour": "blue"}"#);
        assert!(m.contains("there is no setting called \"colour\""), "{m}");
        assert!(!m.contains("expected one of"), "no list of every setting: {m}");
        let m = message(r#"{"servers": "x"}"#);
        assert!(m.contains("a value is string \"x\" where a whole number is expected"), "{m}");
        let m = message(r#"{"algo": "fastest"}"#);
        assert!(m.contains("\"fastest\" is not one of the allowed values"), "{m}");
        assert!(message(r#"{"servers": 3, "servers": 4}"#).contains("\"servers\" is given twice"));
        assert!(message(r#"{"cancel": 1}"#).contains("where true or false is expected"));
    }
}
