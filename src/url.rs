//! The URL query and the app's state: the query holds the whole scenario (its field names, as
//! `lbsim` flags and [`lbcore::scenario::FIELDS`] name them) plus the UI settings (`mode`,
//! `algos`, `speed`, `paused`, `embed`, `controls`, `title`, `caption`, `origin`; see [`crate::settings`]).
//!
//! [`parse`] never fails: each bad parameter keeps its default and comes back as a
//! [`Problem`] for the notice. [`check`] reads a query the host page sends, which is refused
//! whole at its first problem. [`to_query`] writes only what differs from the defaults, so
//! that `parse(to_query(x))` gives `x` back and a default lab has an empty query. Every limit
//! a message quotes is the page's ([`Limits::BROWSER`]), never `lbsim`'s.

use lbcore::scenario::{HIDDEN_CHARACTERS, Limits, is_hidden};
use lbcore::{Algorithm, Problem, Scenario};

use crate::format;
use crate::settings::{
    CAPTION_CHARS, Control, LESSON_PATH_CHARS, LessonSource, MAX_COMPARE, MAX_SPEED, MAX_UI_SERVERS, MIN_COMPARE,
    MIN_SPEED, Mode, Settings, TITLE_CHARS, default_algos,
};

/// What a query says: the scenario, the UI settings and every problem found.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    /// The scenario, with defaults for the bad parameters.
    pub scenario: Scenario,
    /// The UI settings, with defaults for the bad parameters.
    pub settings: Settings,
    /// Each bad parameter and why.
    pub problems: Vec<Problem>,
}

/// The UI parameter names (the rest are scenario fields).
pub const UI_PARAMS: [&str; 11] =
    ["mode", "algos", "speed", "paused", "embed", "controls", "title", "caption", "origin", "lesson", "lesson-data"];

fn problem(field: &str, value: &str, message: &str) -> Problem {
    Problem::new(field, value, message)
}

/// What is done with a query that has problems: the page's address keeps each bad
/// parameter's default and the notice says what the page uses instead; a host page's command
/// is refused whole, so its message says only what is allowed (nothing is used).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reading {
    /// The page's own address: bad parameters are replaced.
    Address,
    /// A command's query: refused at its first problem.
    Command,
}

impl Reading {
    /// `rule`, followed by `; instead` when the page goes on with a replacement.
    fn says(self, rule: &str, instead: &str) -> String {
        match self {
            Reading::Address => format!("{rule}; {instead}"),
            Reading::Command => rule.to_string(),
        }
    }
}

fn parse_flag(field: &str, value: &str) -> Result<bool, Problem> {
    match value.trim() {
        "1" | "true" | "on" | "yes" | "" => Ok(true),
        "0" | "false" | "off" | "no" => Ok(false),
        _ => Err(problem(field, value, "allowed: 1 or 0")),
    }
}

/// A lesson's line of text: at most `max` characters, no control, invisible or
/// text-direction characters ([`is_hidden`], the rule for names and a lesson's words too;
/// the page shows it as text, never as markup); empty is none.
fn parse_text(field: &str, value: &str, max: usize) -> Result<Option<String>, Problem> {
    if value.chars().count() > max || value.chars().any(is_hidden) {
        return Err(problem(field, value, &format!("allowed: 1 to {max} characters, no {HIDDEN_CHARACTERS}")));
    }
    let value = value.trim();
    Ok((!value.is_empty()).then(|| value.to_string()))
}

/// Applies one UI parameter to `settings`.
fn set_ui(settings: &mut Settings, field: &str, value: &str, reading: Reading) -> Result<(), Problem> {
    match field {
        "mode" => {
            settings.mode =
                Mode::from_id(value).ok_or_else(|| problem(field, value, "allowed: auto, manual, compare, predict"))?
        }
        "algos" => {
            let mut chosen = Vec::new();
            let mut unknown = Vec::new();
            let mut repeated = Vec::new();
            for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                match Algorithm::from_id(name) {
                    Some(a) if !chosen.contains(&a) => chosen.push(a),
                    Some(_) => repeated.push(name),
                    None => unknown.push(name),
                }
            }
            let extra = chosen.len() > MAX_COMPARE;
            chosen.truncate(MAX_COMPARE);
            settings.algos = chosen;
            if !unknown.is_empty() {
                let names: Vec<&str> = Algorithm::ALL.iter().map(|a| a.id()).collect();
                return Err(problem(
                    field,
                    value,
                    &format!("unknown algorithm {}; allowed: {}", unknown.join(", "), names.join(", ")),
                ));
            }
            if !repeated.is_empty() {
                let rule = format!("{} named more than once; each races once", repeated.join(", "));
                return Err(problem(field, value, &reading.says(&rule, "the repeats are left out")));
            }
            if extra {
                let rule = format!("allowed: at most {MAX_COMPARE} algorithms");
                return Err(problem(field, value, &reading.says(&rule, &format!("the first {MAX_COMPARE} race"))));
            }
        }
        "speed" => {
            let bad = || {
                problem(
                    field,
                    value,
                    &format!(
                        "allowed: a number from {} to {}",
                        format::shortest(MIN_SPEED),
                        format::shortest(MAX_SPEED)
                    ),
                )
            };
            let v = lbcore::decimal::read(value.trim()).ok_or_else(bad)?;
            if !(MIN_SPEED..=MAX_SPEED).contains(&v) {
                return Err(bad());
            }
            settings.speed = Settings::clamp_speed(v).ok_or_else(bad)?;
        }
        "paused" => settings.paused = parse_flag(field, value)?,
        "embed" => settings.embed = parse_flag(field, value)?,
        "title" => settings.title = parse_text(field, value, TITLE_CHARS)?,
        "caption" => settings.caption = parse_text(field, value, CAPTION_CHARS)?,
        "lesson" | "lesson-data" => {
            // Read by the lesson player (the lesson build), which names each problem; here
            // only the size is bounded: a path in characters, as its message counts them, and
            // the JSON in bytes, as the lesson reader does.
            let max = lbcore::lesson::MAX_LESSON_BYTES;
            let (size, most, allowed) = if field == "lesson" {
                (value.chars().count(), LESSON_PATH_CHARS, format!("allowed: 1 to {LESSON_PATH_CHARS} characters"))
            } else {
                (value.len(), max, format!("allowed: 1 to {} KB", max / 1024))
            };
            if size > most || value.trim().is_empty() {
                return Err(problem(field, value, &allowed));
            }
            let value = value.trim().into();
            settings.lesson =
                Some(if field == "lesson" { LessonSource::Named(value) } else { LessonSource::Data(value) });
        }
        "origin" => {
            settings.origin = None;
            if !crate::origin::is_origin(value) {
                return Err(problem(
                    field,
                    value,
                    "allowed: a web origin, scheme and host with an optional port, such as https://lms.example.edu",
                ));
            }
            settings.origin = Some(value.into());
        }
        "controls" => {
            let mut shown = Vec::new();
            let mut unknown = Vec::new();
            for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                match Control::from_id(name) {
                    Some(c) if !shown.contains(&c) => shown.push(c),
                    Some(_) => {}
                    None => unknown.push(name),
                }
            }
            settings.controls = Some(shown);
            if !unknown.is_empty() {
                let names: Vec<&str> = Control::ALL.iter().map(|c| c.id()).collect();
                return Err(problem(
                    field,
                    value,
                    &format!("unknown control {}; allowed: {}", unknown.join(", "), names.join(", ")),
                ));
            }
        }
        _ => return Err(problem(field, value, "unknown parameter")),
    }
    Ok(())
}

/// Reads a query string (with or without the leading `?`) as the page's address.
pub fn parse(query: &str) -> Parsed {
    read(query, Reading::Address)
}

/// Reads a query a host page sends to load (`load-scenario`, [`crate::host`]): `Ok` when the
/// page would take it as it is, else its first problem, which says what is allowed and not
/// what the page would use instead, since a refused query loads nothing.
pub fn check(query: &str) -> Result<(), Problem> {
    match read(query, Reading::Command).problems.into_iter().next() {
        Some(problem) => Err(problem),
        None => Ok(()),
    }
}

/// More servers than the page draws, within what `lbsim` takes, become the page's 64: the
/// last `servers` pair is set to 64 and the problem says so. Done before the scenario is
/// read, so that the requests the servers may hold are judged with the servers the page runs.
fn cap_servers<'a>(pairs: &mut [(&'a str, &'a str)], most: &'a str, reading: Reading) -> Option<Problem> {
    let (_, value) = pairs.iter_mut().rev().find(|(k, _)| *k == "servers")?;
    let mut given = Scenario::default();
    given.set("servers", value).ok()?;
    if !(MAX_UI_SERVERS + 1..=Limits::CLI.servers).contains(&given.servers) {
        return None;
    }
    let capped = problem(
        "servers",
        value,
        &reading.says(&format!("allowed in the browser: 1 to {MAX_UI_SERVERS}"), &format!("using {MAX_UI_SERVERS}")),
    );
    *value = most;
    Some(capped)
}

/// Each key's last value, in the order of those last values, and one problem for each key
/// given more than once, at its first value: linear in the pairs, so a link of 120,000
/// `a=1` is read at once and named in one line. (Sets of keys only, the kind lbcore already
/// has: a map from key to counts cost the lesson build a hash table of its own.)
fn last_of_each(pairs: Vec<(String, String)>, reading: Reading) -> (Vec<(String, String)>, Vec<Problem>) {
    // a pair is kept when no later pair has its key
    let mut later = rustc_hash::FxHashSet::default();
    let mut keep: Vec<bool> = pairs.iter().rev().map(|(k, _)| later.insert(k.as_str())).collect();
    keep.reverse();
    let mut earlier = rustc_hash::FxHashSet::default();
    let mut problems = Vec::new();
    for ((k, v), kept) in pairs.iter().zip(&keep) {
        if earlier.insert(k.as_str()) && !kept {
            problems.push(problem(k, v, &reading.says("given more than once", "the last value wins")));
        }
    }
    let pairs = pairs.into_iter().zip(keep).filter_map(|(pair, keep)| keep.then_some(pair)).collect();
    (pairs, problems)
}

fn read(query: &str, reading: Reading) -> Parsed {
    let (pairs, mut problems) = last_of_each(split(query), reading);
    let mut settings = Settings::default();
    let mut scenario_pairs = Vec::new();
    for (k, v) in &pairs {
        if UI_PARAMS.contains(&k.as_str()) {
            if let Err(p) = set_ui(&mut settings, k, v, reading) {
                problems.push(p);
            }
        } else {
            scenario_pairs.push((k.as_str(), v.as_str()));
        }
    }
    let most = MAX_UI_SERVERS.to_string();
    problems.extend(cap_servers(&mut scenario_pairs, &most, reading));
    let (mut scenario, scenario_problems) = Scenario::from_pairs_within(scenario_pairs, &Limits::BROWSER);
    problems.extend(scenario_problems.into_iter().map(|mut p| {
        match p.field.as_str() {
            // the page's range, whatever rule refused the number
            "servers" => p.message = format!("allowed in the browser: 1 to {MAX_UI_SERVERS}"),
            "query" => {
                p.message = reading.says("these parameters cannot be combined in the browser", "using the defaults")
            }
            _ => {}
        }
        p
    }));
    settings.mode.shape(&mut scenario, None);
    if settings.mode == Mode::Compare {
        for a in default_algos(scenario.algo) {
            if settings.algos.len() < MIN_COMPARE && !settings.algos.contains(&a) {
                settings.algos.push(a);
            }
        }
        scenario.algo = settings.algos[0];
    } else {
        settings.algos.clear();
    }
    Parsed { scenario, settings, problems }
}

/// The query (without `?`) that [`parse`] turns back into this scenario and these settings.
pub fn to_query(scenario: &Scenario, settings: &Settings) -> String {
    let manual = settings.mode.is_manual();
    let compare = settings.mode == Mode::Compare;
    let mut pairs: Vec<(&str, String)> = scenario
        .to_pairs()
        .into_iter()
        .filter(|(k, _)| !(manual && matches!(*k, "arrivals" | "completions")))
        .filter(|(k, _)| !(compare && *k == "algo"))
        .collect();
    if settings.mode != Mode::Auto {
        pairs.push(("mode", settings.mode.id().to_string()));
    }
    if compare {
        pairs.push(("algos", settings.algos.iter().map(|a| a.id()).collect::<Vec<_>>().join(",")));
    }
    if settings.speed != 1.0 {
        pairs.push(("speed", lbcore::decimal::shortest(settings.speed)));
    }
    if settings.paused {
        pairs.push(("paused", "1".to_string()));
    }
    if settings.embed {
        pairs.push(("embed", "1".to_string()));
    }
    if let Some(controls) = &settings.controls {
        pairs.push(("controls", controls.iter().map(|c| c.id()).collect::<Vec<_>>().join(",")));
    }
    for (key, text) in [("title", &settings.title), ("caption", &settings.caption)] {
        if let Some(text) = text {
            pairs.push((key, text.clone()));
        }
    }
    if let Some(origin) = &settings.origin {
        pairs.push(("origin", origin.to_string()));
    }
    if let Some(lesson) = &settings.lesson {
        let (key, value) = lesson.pair();
        pairs.push((key, value.to_string()));
    }
    pairs.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&")
}

/// The query's text form (percent-encoding, splitting into pairs), defined once in lbcore and
/// shared with `lbsim url` and the lessons' step scenarios.
pub use lbcore::scenario::query::{decode, encode, split};

#[cfg(test)]
mod tests {
    use lbcore::Algorithm;

    use super::*;
    use lbcore::scenario::{Arrivals, Completions};

    #[test]
    fn empty_query_is_the_default_lab() {
        let p = parse("");
        assert_eq!(p.scenario, Scenario::default());
        assert_eq!(p.settings, Settings::default());
        assert!(p.problems.is_empty());
        assert_eq!(to_query(&p.scenario, &p.settings), "");
    }

    #[test]
    fn round_trips_scenario_and_settings() {
        let q = "algo=least-connections&servers=5&names=a%20b,c&rate=250&mode=manual&speed=2.5&paused=1&embed=1&controls=rate,servers,algo";
        let p = parse(q);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.scenario.algo, Algorithm::LeastConnections);
        assert_eq!(p.scenario.names, ["a b", "c"]);
        assert_eq!(p.scenario.arrivals, Arrivals::Off);
        assert_eq!(p.settings.controls, Some(vec![Control::Rate, Control::Servers, Control::Algo]));
        let back = parse(&to_query(&p.scenario, &p.settings));
        assert_eq!(back, p);
    }

    #[test]
    fn bad_parameters_are_named_and_defaulted() {
        let p = parse("?rate=abc&speed=abc&mode=zzz&controls=rate,bogus&servers=4&paused=maybe");
        let fields: Vec<&str> = p.problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["speed", "mode", "controls", "paused", "rate"]);
        assert_eq!(p.settings.speed, 1.0);
        assert_eq!(p.settings.mode, Mode::Auto);
        assert_eq!(p.settings.controls, Some(vec![Control::Rate]));
        assert_eq!(p.scenario.servers, 4);
        assert_eq!(p.scenario.rate, Scenario::default().rate);
        assert!(p.problems[2].to_string().contains("bogus"), "{}", p.problems[2]);
    }

    #[test]
    fn the_host_origin_is_kept_and_a_bad_one_refused() {
        let p = parse("embed=1&origin=https%3A%2F%2Flms.example.edu%3A8443");
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.settings.origin.as_deref(), Some("https://lms.example.edu:8443"));
        assert_eq!(parse(&to_query(&p.scenario, &p.settings)).settings, p.settings);
        for bad in ["*", "https://lms.example.edu/course", "javascript:alert(1)", ""] {
            let p = parse(&format!("origin={}", encode(bad)));
            assert_eq!(p.settings.origin, None, "{bad}");
            assert_eq!(p.problems.len(), 1, "{bad}");
            assert_eq!(p.problems[0].field, "origin");
            assert!(p.problems[0].message.contains("https://lms.example.edu"), "{}", p.problems[0].message);
        }
    }

    #[test]
    fn compare_algos_round_trip() {
        let q = "servers=4&mode=compare&algos=round-robin,least-connections,power-of-two";
        let p = parse(q);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.settings.mode, Mode::Compare);
        assert_eq!(p.settings.algos, [Algorithm::RoundRobin, Algorithm::LeastConnections, Algorithm::PowerOfTwo]);
        assert_eq!(p.scenario.algo, Algorithm::RoundRobin);
        assert_eq!(to_query(&p.scenario, &p.settings), q);
        assert_eq!(parse(&to_query(&p.scenario, &p.settings)), p);
    }

    #[test]
    fn repeats_are_named() {
        let p = parse("mode=compare&algos=random,random,random");
        assert!(p.problems[0].message.contains("random named more than once"), "{:?}", p.problems);
        let p = parse("servers=5&servers=7");
        assert_eq!(p.scenario.servers, 7);
        assert_eq!(p.problems[0].to_string(), "servers=\"5\": given more than once; the last value wins");
    }

    /// A key given 120,000 times (480 KB, within what a link may carry) is named once, and
    /// read in linear time: it took 8.4 s in the page when each key was compared with every
    /// later one. 200 ms is far above linear work here and far below quadratic.
    #[test]
    fn a_key_given_many_times_is_named_once_in_linear_time() {
        let query = |n: usize| "a=1&".repeat(n) + "servers=4&rate=30&servers=5";
        // Judged by how the time grows, not by a clock limit that a busy machine misses: ten
        // times the keys takes about ten times as long when each repeat is found once, a
        // hundred times when each is looked for among the others. Each size's best of three
        // runs, so that one run slowed by the machine does not decide it; 30 lies between.
        let best = |n: usize| {
            let q = query(n);
            (0..3)
                .map(|_| {
                    let start = std::time::Instant::now();
                    std::hint::black_box(parse(&q));
                    start.elapsed()
                })
                .min()
                .unwrap_or_default()
        };
        let (small, large) = (best(12_000), best(120_000));
        assert!(large < small * 30, "12,000 keys {small:?}, 120,000 keys {large:?}");
        let p = parse(&query(120_000));
        assert_eq!(p.scenario.servers, 5);
        assert_eq!(p.scenario.rate, 30.0);
        let texts: Vec<String> = p.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            texts,
            [
                "a=\"1\": given more than once; the last value wins",
                "servers=\"4\": given more than once; the last value wins",
                "a=\"1\": unknown parameter",
            ]
        );
    }

    #[test]
    fn bad_algos_are_named_and_compare_keeps_two_panels() {
        let p = parse("mode=compare&algos=maglev,bogus,nope");
        assert_eq!(p.problems.len(), 1, "{:?}", p.problems);
        let text = p.problems[0].to_string();
        assert!(p.problems[0].field == "algos" && text.contains("bogus") && text.contains("nope"), "{text}");
        assert_eq!(p.settings.algos, [Algorithm::Maglev, Algorithm::RoundRobin]);
        let p = parse("mode=compare&algos=random,maglev,hash-mod,round-robin,peak-ewma");
        assert_eq!(p.settings.algos.len(), 4);
        assert_eq!(p.problems.len(), 1);
        let p = parse("mode=compare&algo=least-connections");
        assert_eq!(p.settings.algos, [Algorithm::LeastConnections, Algorithm::RoundRobin]);
        let p = parse("algos=random,maglev");
        assert!(p.settings.algos.is_empty(), "algos only matter in compare mode");
    }

    #[test]
    fn predict_is_manual() {
        let p = parse("mode=predict&servers=5");
        assert_eq!(p.scenario.arrivals, Arrivals::Off);
        assert_eq!(p.scenario.completions, Completions::Manual);
        assert_eq!(to_query(&p.scenario, &p.settings), "servers=5&mode=predict");
    }

    #[test]
    fn decoding_is_lenient() {
        assert_eq!(decode("a%2Cb+c%"), "a,b c%");
        assert_eq!(decode("%zz%4"), "%zz%4");
        assert_eq!(decode("%C3%A9"), "é");
        assert_eq!(encode("a b&c=d,é"), "a%20b%26c%3Dd,%C3%A9");
    }

    #[test]
    fn a_lesson_title_and_caption_round_trip_and_long_ones_are_refused() {
        let p =
            parse("embed=1&title=Round%20robin%20%3Cb%3E&caption=Fire+ten+requests%3A+which+server+gets+the+tenth%3F");
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.settings.title.as_deref(), Some("Round robin <b>"));
        assert_eq!(p.settings.caption.as_deref(), Some("Fire ten requests: which server gets the tenth?"));
        assert_eq!(parse(&to_query(&p.scenario, &p.settings)), p);
        let long = "x".repeat(TITLE_CHARS + 1);
        let p = parse(&format!("title={long}&caption=a%0Ab"));
        assert_eq!((p.settings.title.clone(), p.settings.caption.clone()), (None, None));
        let said: Vec<String> = p.problems.iter().map(ToString::to_string).collect();
        assert!(
            said[0].starts_with("title=\"xxxx") && said[0].contains("…\": allowed: 1 to 80 characters"),
            "{said:?}"
        );
        assert!(said[1].starts_with("caption=\"a\\nb\": allowed: 1 to 280"), "{said:?}");
    }

    #[test]
    fn a_title_or_caption_refuses_what_names_refuse() {
        // LRM, RLM, ALM, the zero-width space, the byte order mark, the word joiner, the soft
        // hyphen, a tag character, the Hangul filler: invisible in a heading, refused in a name.
        for c in
            ['\u{200e}', '\u{200f}', '\u{061c}', '\u{200b}', '\u{feff}', '\u{2060}', '\u{ad}', '\u{e0041}', '\u{3164}']
        {
            let text = format!("Round{c} robin");
            let p = parse(&format!("title={}&caption={}", encode(&text), encode(&text)));
            assert_eq!((p.settings.title.as_deref(), p.settings.caption.as_deref()), (None, None), "{c:?}");
            let said: Vec<String> = p.problems.iter().map(ToString::to_string).collect();
            let escaped = format!("\"Round\\u{{{:x}}} robin\"", u32::from(c));
            assert_eq!(
                said,
                [
                    format!(
                        "title={escaped}: allowed: 1 to 80 characters, no control, invisible or text-direction characters"
                    ),
                    format!(
                        "caption={escaped}: allowed: 1 to 280 characters, no control, invisible or text-direction characters"
                    ),
                ]
            );
        }
        assert_eq!(parse("title=Tr%C3%A8s%20bien%20%F0%9F%9A%A6").settings.title.as_deref(), Some("Très bien 🚦"));
    }

    #[test]
    fn a_lesson_path_is_counted_in_characters_as_its_message_says() {
        // 105 é are 210 bytes: refused before as over 200 characters.
        let path = format!("./lessons/{}.json", "é".repeat(105));
        let p = parse(&format!("lesson={}", encode(&path)));
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.settings.lesson, Some(LessonSource::Named(path.as_str().into())));
        let long = "é".repeat(LESSON_PATH_CHARS + 1);
        let p = parse(&format!("lesson={}", encode(&long)));
        assert_eq!(p.settings.lesson, None);
        assert_eq!(p.problems[0].message, "allowed: 1 to 200 characters");
        let at_most = "é".repeat(LESSON_PATH_CHARS);
        assert!(parse(&format!("lesson={}", encode(&at_most))).problems.is_empty());
    }

    #[test]
    fn more_servers_than_the_page_can_draw_are_capped_with_a_notice() {
        let parsed = parse("servers=500&weights=1,2,3");
        assert_eq!(parsed.scenario.servers, MAX_UI_SERVERS);
        assert_eq!(parsed.scenario.weights, [1, 2, 3]);
        assert_eq!(parsed.problems.len(), 1);
        assert_eq!(parsed.problems[0].field, "servers");
        assert!(parsed.problems[0].message.contains("1 to 64; using 64"), "{}", parsed.problems[0]);
        let zero = parse("servers=0");
        assert_eq!(zero.scenario.servers, 3);
        assert_eq!(zero.problems[0].message, "allowed in the browser: 1 to 64");
    }

    #[test]
    fn the_requests_held_are_judged_with_the_servers_the_page_runs() {
        // 500 x 10,001 = 5 million held is past the page's million, but the page runs 64
        // servers: 640,064 held, which it takes.
        let p = parse("servers=500&queue=10000");
        assert_eq!((p.scenario.servers, p.scenario.queue), (64, 10_000));
        assert_eq!(p.problems.len(), 1, "{:?}", p.problems);
        let p = parse("servers=500&queue=100000");
        assert_eq!((p.scenario.servers, p.scenario.queue), (64, Scenario::default().queue));
        assert_eq!(p.problems[1].field, "queue");
        assert!(p.problems[1].message.contains("= 6400064 requests"), "{}", p.problems[1]);
        assert!(p.problems[1].message.ends_with("allowed in the browser: at most 1000000 (about 40 MB)"));
    }

    #[test]
    fn a_refused_command_says_what_is_allowed_not_what_the_page_would_use() {
        assert_eq!(check("mode=manual&servers=4"), Ok(()));
        let said = |q: &str| check(q).map_err(|p| p.to_string()).expect_err(q);
        assert_eq!(said("servers=500"), "servers=\"500\": allowed in the browser: 1 to 64");
        assert_eq!(said("rate=1&rate=2"), "rate=\"1\": given more than once");
        let five = "mode=compare&algos=random,maglev,hash-mod,round-robin,peak-ewma";
        assert!(said(five).ends_with("allowed: at most 4 algorithms"), "{}", said(five));
        assert!(said("mode=compare&algos=random,random").ends_with("each races once"));
        // the address itself goes on, and says with what
        assert!(parse(five).problems[0].message.ends_with("the first 4 race"));
        let twice = parse("mode=compare&algos=random,random").problems[0].message.clone();
        assert!(twice.ends_with("each races once; the repeats are left out"), "{twice}");
    }
}
