//! The URL query's text form: how `(setting, value)` pairs are written into a query and
//! read back out of one, and the query of the page's link for a scenario. `lbsim url` and
//! the lessons' step scenarios and the web app's `src/url.rs` use it; `tests/url_codec.rs`
//! at the repository's root proves the link `lbsim url` prints is the query the page writes
//! and reads.

use super::Scenario;

/// Percent-encodes a query component, keeping letters, digits, `-._~` and the `,` of lists.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b',') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-decodes a query component (`+` is a space); malformed escapes stay as they are.
pub fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Splits a query into decoded `(key, value)` pairs, in order; empty pieces are skipped.
pub fn split(query: &str) -> Vec<(String, String)> {
    let query = query.strip_prefix('?').unwrap_or(query);
    query
        .split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (k, v) = piece.split_once('=').unwrap_or((piece, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// Writes `(key, value)` pairs as a query, without the `?`.
pub fn join<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    pairs.iter().map(|(k, v)| format!("{}={}", encode(k.as_ref()), encode(v.as_ref()))).collect::<Vec<_>>().join("&")
}

/// The scenario's query: the settings that differ from the defaults ([`Scenario::to_pairs`]),
/// encoded; empty for the defaults.
pub fn of_scenario(scenario: &Scenario) -> String {
    join(&scenario.to_pairs())
}

/// The query (without `?`) of the page's link for `scenario`, as the page writes it for a
/// scenario file it opens: the settings that differ from the defaults; for a manual
/// scenario (no arrivals of its own, completions by hand) those two left out and
/// `mode=manual` instead; then `embed=1` when `embed`.
pub fn link(scenario: &Scenario, embed: bool) -> String {
    let is_manual = scenario.is_by_hand();
    let mut pairs: Vec<(&str, String)> = scenario
        .to_pairs()
        .into_iter()
        .filter(|(k, _)| !(is_manual && matches!(*k, "arrivals" | "completions")))
        .collect();
    if is_manual {
        pairs.push(("mode", "manual".into()));
    }
    if embed {
        pairs.push(("embed", "1".into()));
    }
    join(&pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scenario_comes_back_from_its_query() {
        let mut s = Scenario::default();
        for (k, v) in [("names", "web 1,ü&b=2,c"), ("servers", "3"), ("speeds", "1,1,0.3"), ("rate", "25")] {
            s.set(k, v).unwrap();
        }
        let q = of_scenario(&s);
        assert_eq!(q, "names=web%201,%C3%BC%26b%3D2,c&speeds=1,1,0.3&rate=25", "servers=3 is the default");
        let pairs = split(&format!("?{q}"));
        let (back, problems) = Scenario::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(back, s);
    }

    #[test]
    fn decoding_is_lenient() {
        assert_eq!(decode("a%2Cb+c%"), "a,b c%");
        assert_eq!(decode("%zz%4"), "%zz%4");
        assert_eq!(encode("a b&c=d,é"), "a%20b%26c%3Dd,%C3%A9");
    }
}
