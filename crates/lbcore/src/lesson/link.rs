//! A lesson carried in a link (`lesson-data=`) written without percent-encoding. Its JSON
//! reaches the page only as far as URL parsing lets it: an `&` in it starts a new setting, a
//! `#` ends the query (the rest is the page's fragment), a `+` reads as a space and a `%`
//! starts an escape. The lesson then fails as JSON, far from the cause. [`unencoded`] reads
//! the address as it came, finds the signs, and says what cut the lesson and what the link
//! needs instead.

use super::LessonProblem;
use crate::scenario::query::decode;

/// The setting that carries a lesson's JSON in a link.
const LESSON_DATA: &str = "lesson-data";

/// What the setting allows, as every message about it says.
pub const ALLOWED: &str = "allowed: the lesson's JSON percent-encoded, each & as %26, # as %23, + as %2B, % as %25 \
                           and space as %20 (encodeURIComponent in JavaScript; the link the Share dialog's builder \
                           writes is)";

/// Characters JSON writes that every percent-encoder escapes: one of them raw in the query
/// means the lesson went in unencoded.
fn raw_json(c: char) -> bool {
    matches!(c, '{' | '}' | '[' | ']' | '"')
}

/// A `%` that starts no escape (two hex digits): the URL decoder keeps it, but it shows the
/// text was not encoded, and `%` followed by hex digits has changed the lesson already.
fn bare_percent(raw: &str) -> bool {
    let b = raw.as_bytes();
    (0..b.len())
        .any(|i| b[i] == b'%' && !(i + 2 < b.len() && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit()))
}

/// Why the `lesson-data=` of this address (its query `query`, with or without `?`, and its
/// fragment `fragment`, with or without `#`, both as the address bar holds them, not decoded)
/// looks written without percent-encoding, naming the setting, quoting the value the page
/// read, what cut it, and what is allowed; `None` when the query carries no `lesson-data=` or
/// shows no sign of it. For a lesson that did not parse: a lesson that parses needs no word.
/// Linear in the address.
pub fn unencoded(query: &str, fragment: &str) -> Option<LessonProblem> {
    let query = query.strip_prefix('?').unwrap_or(query);
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let pieces: Vec<&str> = query.split('&').collect();
    // the last one, as the page reads a key given twice
    let at = pieces.iter().rposition(|p| decode(p.split_once('=').map_or(*p, |(k, _)| k)) == LESSON_DATA)?;
    let raw = pieces[at].split_once('=').map_or("", |(_, v)| v);
    // An `&` of the lesson's: the pieces after it that no setting would write (JSON's
    // characters in their names, or no `=` at all) were the lesson's.
    let cut_by_amp = pieces[at + 1..]
        .iter()
        .take_while(|p| p.contains(raw_json) || !p.contains('=') || decode(p).contains(raw_json))
        .any(|p| !p.is_empty());
    let cut_by_hash = fragment.contains(raw_json) || decode(fragment).contains(raw_json);
    let plus = raw.contains('+');
    let percent = bare_percent(raw);
    if !(raw.contains(raw_json) || cut_by_amp || cut_by_hash) {
        return None;
    }
    let mut why = Vec::new();
    if cut_by_amp {
        why.push("an & in the lesson began a new setting, so the lesson ends at it");
    }
    if cut_by_hash {
        why.push("a # in the lesson ended the address's query, so the rest of it was left out");
    }
    if plus {
        why.push("each + in it reads as a space");
    }
    if percent {
        why.push("a % in it is not written %25");
    }
    let message = if why.is_empty() {
        format!("is not percent-encoded; {ALLOWED}")
    } else {
        format!("is not percent-encoded: {}; {ALLOWED}", why.join(", "))
    };
    Some(LessonProblem::new(LESSON_DATA, &decode(raw), message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::query::encode;

    fn said(query: &str, fragment: &str) -> String {
        unencoded(query, fragment).map(|p| p.to_string()).unwrap_or_default()
    }

    #[test]
    fn an_ampersand_a_hash_a_plus_and_a_percent_are_each_named() {
        let m = said(r#"?lesson-data={"title":"Tom & Jerry","steps":[]}"#, "");
        assert!(m.starts_with("lesson-data \"{\\\"title\\\":\\\"Tom \": is not percent-encoded: an & in"), "{m}");
        assert!(m.contains("; allowed: the lesson's JSON percent-encoded, each & as %26"), "{m}");
        let m = said(r#"lesson-data={"title":"Step #1","steps":[]}"#, r#"#1","steps":[]}"#);
        assert!(m.contains("a # in the lesson ended the address's query") && !m.contains("an & in"), "{m}");
        let m = said(r#"lesson-data={"title":"1+1","steps":[]}"#, "");
        assert!(m.contains(": is not percent-encoded: each + in it reads as a space;"), "{m}");
        let m = said(r#"lesson-data={"title":"50% off","steps":[]}"#, "");
        assert!(m.contains("a % in it is not written %25"), "{m}");
        let m = said(r#"lesson-data={"title":"t","steps":[{"text":"x"}]"#, "");
        assert!(m.contains(": is not percent-encoded; allowed:"), "no cut named: {m}");
        // the settings after an & of the lesson's own are still the page's
        let m = said(r#"embed=1&lesson-data={"title":"A & B","steps":[]}&origin=https://x.example"#, "");
        assert!(m.contains("an & in the lesson"), "{m}");
    }

    #[test]
    fn an_encoded_lesson_or_none_says_nothing() {
        let json = r#"{"title":"Tom & Jerry #1 + 50%","steps":[]}"#;
        assert_eq!(unencoded(&format!("lesson-data={}&embed=1", encode(json)), ""), None);
        assert_eq!(unencoded("servers=3&lesson=course", "#x"), None);
        assert_eq!(unencoded("servers=3", r#"#{"a":1}"#), None, "no lesson-data at all");
    }

    #[test]
    fn a_long_value_is_quoted_short() {
        let m = said(&format!(r#"lesson-data={{"title":"{}","steps":[]}}"#, "x".repeat(5_000)), "");
        assert!(m.len() < 700, "{m}");
        assert!(m.contains("xxx…\": is not percent-encoded"), "{m}");
    }
}
