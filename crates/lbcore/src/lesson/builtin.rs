//! The lessons that ship with lbviz: JSON files in `lessons/` at the repository's root,
//! compiled in so that `lbsim` and the web app share them (`lesson=NAME` in the URL,
//! `lbsim lesson check --builtin NAME`). Each is played headless by a test.

use super::Lesson;

/// Each built-in lesson: its name and its JSON.
pub const BUILTIN: [(&str, &str); 11] = [
    ("course", include_str!("../../../../lessons/course.json")),
    ("slow-server", include_str!("../../../../lessons/slow-server.json")),
    ("power-of-two", include_str!("../../../../lessons/power-of-two.json")),
    ("caches", include_str!("../../../../lessons/caches.json")),
    ("failures", include_str!("../../../../lessons/failures.json")),
    ("retry-storm", include_str!("../../../../lessons/retry-storm.json")),
    ("amplification", include_str!("../../../../lessons/amplification.json")),
    ("stale-queue", include_str!("../../../../lessons/stale-queue.json")),
    ("hedging", include_str!("../../../../lessons/hedging.json")),
    ("breakers", include_str!("../../../../lessons/breakers.json")),
    ("backoff", include_str!("../../../../lessons/backoff.json")),
];

/// The built-in lessons' names, in order, taken from [`BUILTIN`] at compile time: a reader of
/// the names alone (the embed builder's lesson picker) does not carry the lessons' JSON.
pub const NAMES: [&str; BUILTIN.len()] = {
    let mut names = [""; BUILTIN.len()];
    let mut i = 0;
    while i < BUILTIN.len() {
        names[i] = BUILTIN[i].0;
        i += 1;
    }
    names
};

/// Most bytes of a built-in lesson's title that [`TITLES`] keeps (a longer one fails the build).
const TITLE_BYTES: usize = 64;

/// Each built-in lesson's title, read from its JSON at compile time into bytes of its own: a
/// reader of the titles alone (the embed builder, which titles a lesson's frame) carries
/// neither the lessons' JSON nor the lesson reader (19.7 KB gzip of the on-demand bundle).
/// Read as the first `"title"` of the file, the lesson's own (each file begins with it), a
/// string without escapes; a test holds each equal to the title [`lesson`] reads.
static TITLES: [([u8; TITLE_BYTES], usize); BUILTIN.len()] = {
    let mut titles = [([0; TITLE_BYTES], 0); BUILTIN.len()];
    let mut i = 0;
    while i < BUILTIN.len() {
        titles[i] = title_of(BUILTIN[i].1.as_bytes());
        i += 1;
    }
    titles
};

/// The first `"title": "..."` string of `json`, as bytes, at compile time.
const fn title_of(json: &[u8]) -> ([u8; TITLE_BYTES], usize) {
    const KEY: &[u8] = b"\"title\"";
    let mut at = 0;
    'find: while at + KEY.len() <= json.len() {
        let mut k = 0;
        while k < KEY.len() {
            if json[at + k] != KEY[k] {
                at += 1;
                continue 'find;
            }
            k += 1;
        }
        break;
    }
    // past the key, the colon and the value's opening quote
    at += KEY.len();
    while json[at] != b'"' {
        at += 1;
    }
    at += 1;
    let mut title = [0; TITLE_BYTES];
    let mut n = 0;
    while json[at + n] != b'"' {
        assert!(json[at + n] != b'\\', "a built-in title is written without escapes");
        assert!(n < TITLE_BYTES, "a built-in title is at most TITLE_BYTES bytes");
        title[n] = json[at + n];
        n += 1;
    }
    (title, n)
}

/// The title of the built-in lesson called `name`, without reading the lesson.
pub fn title(name: &str) -> Option<&'static str> {
    let i = NAMES.iter().position(|n| *n == name)?;
    let (bytes, n) = &TITLES[i];
    core::str::from_utf8(&bytes[..*n]).ok()
}

/// The built-in lessons' names, in order.
pub fn names() -> Vec<&'static str> {
    NAMES.to_vec()
}

/// The JSON of the built-in lesson called `name`.
pub fn json(name: &str) -> Option<&'static str> {
    BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, j)| *j)
}

/// The built-in lesson called `name`, parsed (the tests prove each is valid).
pub fn lesson(name: &str) -> Option<Lesson> {
    json(name).and_then(|j| Lesson::parse(j).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_title_read_at_compile_time_is_the_lessons_own() {
        for name in NAMES {
            let read = lesson(name).expect("a valid lesson").title;
            assert_eq!(title(name), Some(read.as_str()), "{name}");
        }
        assert_eq!(title("slow-server"), Some("A slow server"));
        assert_eq!(title("no-such-lesson"), None);
    }
}
