//! The lessons that ship with lbviz: JSON files in `lessons/` at the repository's root,
//! compiled in so that `lbsim` and the web app share them (`lesson=NAME` in the URL,
//! `lbsim lesson check --builtin NAME`). Each is played headless by a test.

use super::Lesson;

/// Each built-in lesson: its name and its JSON.
pub const BUILTIN: [(&str, &str); 5] = [
    ("course", include_str!("../../../../lessons/course.json")),
    ("slow-server", include_str!("../../../../lessons/slow-server.json")),
    ("power-of-two", include_str!("../../../../lessons/power-of-two.json")),
    ("caches", include_str!("../../../../lessons/caches.json")),
    ("failures", include_str!("../../../../lessons/failures.json")),
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
