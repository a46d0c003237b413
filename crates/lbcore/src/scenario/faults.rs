//! A schedule of faults, the `faults` setting: which server goes down, slows down or answers
//! part of its attempts with errors, from when to when, in simulated seconds. Its text form,
//! the same in a URL, on the command line and in a scenario file, is comma-separated entries
//! `SERVER:KIND@START-END`, KIND one of `down`, `slow=F` (the server's speed times F) and
//! `errors=P` (a fraction P of the attempts placed on it fail fast, after `error-latency`):
//! `server1:down@5-10,server2:slow=0.2@10-30`. What the engine does with it is
//! [`engine::faults`](crate::engine)'s.

use super::codec::{ParseError, Value};
use super::limits::MAX_SIM_SECONDS;
use super::setting::{Allowed, Kind};
use super::table::MAX_NAME;

/// Most entries a schedule holds.
pub const MAX_FAULTS: usize = 256;
/// Longest schedule text, in bytes: 256 entries of a 40-character name (up to 4 bytes each)
/// and three numbers fit.
pub const MAX_FAULTS_BYTES: usize = 64 * 1024;
/// Largest slow-down factor F (a speed-up, above 1, is allowed too).
pub const MAX_SLOW_FACTOR: f64 = 1000.0;

/// What a schedule allows, in words: every rule [`FaultSchedule`]'s check applies.
pub const FAULTS_ALLOWED: &str = "at most 256 comma-separated entries SERVER:KIND@START-END (64 KB), KIND down, \
slow=F (F above 0 up to 1000) or errors=P (P 0 to 1), 0 <= START < END <= 1000000000 seconds, SERVER the name of \
one of the servers";

/// What a fault does to its server while it lasts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FaultKind {
    /// The server is down, as [`Engine::fail`](crate::Engine::fail) takes it down, and up
    /// again at the end, as [`Engine::heal`](crate::Engine::heal) brings it back.
    Down,
    /// The server's speed times this factor, for the attempts it starts meanwhile.
    Slow(f64),
    /// This fraction of the attempts placed on the server fail fast, after `error-latency`.
    Errors(f64),
}

/// One entry of a schedule: a server (by name), what happens to it, and from when to when
/// (seconds of simulated time, `start < end`).
#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    /// The server's name.
    pub server: String,
    /// What happens to it.
    pub kind: FaultKind,
    /// When it starts, in seconds.
    pub start: f64,
    /// When it ends, in seconds.
    pub end: f64,
}

/// A schedule of faults, in the order given (empty: none).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FaultSchedule(pub Vec<Fault>);

impl Fault {
    /// Reads `SERVER:KIND@START-END`; `Err` says what form is expected.
    fn read(text: &str) -> Result<Fault, ParseError> {
        const FORM: ParseError = ParseError::Form("SERVER:KIND@START-END, KIND down, slow=F or errors=P");
        let (who_what, when) = text.trim().rsplit_once('@').ok_or(FORM)?;
        let (server, kind) = who_what.rsplit_once(':').ok_or(FORM)?;
        let number = |t: &str| <f64 as Value>::parse(t).map_err(|_| FORM);
        let kind = match kind.trim().split_once('=') {
            None if kind.trim() == "down" => FaultKind::Down,
            Some(("slow", f)) => FaultKind::Slow(number(f)?),
            Some(("errors", p)) => FaultKind::Errors(number(p)?),
            _ => return Err(FORM),
        };
        // START-END: the dash between them is the first not at the start nor in an exponent
        let bytes = when.trim().as_bytes();
        let dash = (1..bytes.len()).find(|&k| bytes[k] == b'-' && !matches!(bytes[k - 1], b'e' | b'E')).ok_or(FORM)?;
        let when = when.trim();
        let (start, end) = (number(&when[..dash])?, number(&when[dash + 1..])?);
        Ok(Fault { server: server.trim().to_string(), kind, start, end })
    }

    /// The entry as [`Fault::read`] reads it.
    fn write(&self) -> String {
        let kind = match self.kind {
            FaultKind::Down => "down".to_string(),
            FaultKind::Slow(f) => ["slow=", &f.format()].concat(),
            FaultKind::Errors(p) => ["errors=", &p.format()].concat(),
        };
        [&self.server, ":", &kind, "@", &self.start.format(), "-", &self.end.format()].concat()
    }

    /// Whether its numbers and its server's name are within [`FAULTS_ALLOWED`] (that the
    /// server exists is checked against the scenario's).
    fn allowed(&self) -> bool {
        let kind = match self.kind {
            FaultKind::Down => true,
            FaultKind::Slow(f) => f > 0.0 && f <= MAX_SLOW_FACTOR,
            FaultKind::Errors(p) => (0.0..=1.0).contains(&p),
        };
        let name = Allowed::Name { max_chars: MAX_NAME };
        kind && name.allows_name(&self.server)
            && 0.0 <= self.start
            && self.start < self.end
            && self.end <= MAX_SIM_SECONDS
    }
}

impl FaultSchedule {
    /// Whether there is no fault.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Value for FaultSchedule {
    const KIND: Kind = Kind::List;
    /// Reads the entries, refusing a text over [`MAX_FAULTS_BYTES`] or of more than
    /// [`MAX_FAULTS`] entries unread (too large: the message says what is allowed).
    fn parse(text: &str) -> Result<Self, ParseError> {
        if text.len() > MAX_FAULTS_BYTES {
            return Err(ParseError::TooLarge);
        }
        if text.trim().is_empty() {
            return Ok(FaultSchedule::default());
        }
        let entries = text.split(',');
        if entries.clone().nth(MAX_FAULTS).is_some() {
            return Err(ParseError::TooLarge);
        }
        entries.map(Fault::read).collect::<Result<_, _>>().map(FaultSchedule)
    }
    fn format(&self) -> String {
        self.0.iter().map(Fault::write).collect::<Vec<_>>().join(",")
    }
    fn allowed(&self, _: &Allowed) -> bool {
        self.0.len() <= MAX_FAULTS && self.0.iter().all(Fault::allowed)
    }
}

/// In a scenario file, the same text as in a URL: `"faults": "server1:down@5-10"`.
impl serde::Serialize for FaultSchedule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.format())
    }
}

impl<'de> serde::Deserialize<'de> for FaultSchedule {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <String as serde::Deserialize>::deserialize(d)?;
        // (a message is quoted at 40 characters: these are shorter)
        <FaultSchedule as Value>::parse(&text).map_err(|e| {
            serde::de::Error::custom(match e {
                ParseError::TooLarge => "faults: at most 256 entries, 64 KB",
                _ => "faults: each is SERVER:KIND@START-END",
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scenario;

    fn schedule(text: &str) -> FaultSchedule {
        <FaultSchedule as Value>::parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"))
    }

    #[test]
    fn a_schedule_round_trips_through_its_text_the_url_and_json() {
        let text = "server1:down@5-10,server2:slow=0.2@10-30,server3:errors=0.5@0-60,a:b@c:errors=1@1e-7-1000000000";
        let s = schedule(text);
        assert_eq!(s.0.len(), 4);
        assert_eq!(s.0[1], Fault { server: "server2".into(), kind: FaultKind::Slow(0.2), start: 10.0, end: 30.0 });
        assert_eq!((s.0[3].server.as_str(), s.0[3].start, s.0[3].end), ("a:b@c", 1e-7, 1e9));
        assert_eq!(schedule(&s.format()), s);
        assert_eq!(schedule(" server1 : down @ 5 - 10 ").format(), "server1:down@5-10");
        let mut scenario = Scenario { servers: 3, names: vec![], ..Scenario::default() };
        scenario.set("faults", "server1:down@5-10,server2:slow=0.2@10-30").expect("parses");
        assert_eq!(scenario.validate(), Ok(()));
        let pairs = scenario.to_pairs();
        assert_eq!(pairs, [("faults", "server1:down@5-10,server2:slow=0.2@10-30".to_string())]);
        let json = serde_json::to_string(&scenario).expect("JSON");
        assert!(json.contains(r#""faults":"server1:down@5-10,server2:slow=0.2@10-30""#), "{json}");
        assert_eq!(Scenario::from_json(&json), Ok(scenario));
    }

    /// The problem `faults=text` gets, with three servers.
    fn refusal(text: &str) -> String {
        let mut s = Scenario::default();
        let p = match s.set("faults", text) {
            Err(p) => p,
            Ok(()) => s.validate().expect_err(text).0.remove(0),
        };
        assert_eq!(p.field, "faults");
        p.to_string()
    }

    #[test]
    fn bad_schedules_are_refused_naming_the_setting_the_value_and_what_is_allowed() {
        let many = vec!["server1:down@1-2"; MAX_FAULTS + 1].join(",");
        let said = refusal(&many);
        assert!(
            said.starts_with("faults=\"server1:down@1-2,server1:down@1-2,server…\": allowed: at most 256"),
            "{said}"
        );
        let at_most = vec!["server1:down@1-2"; MAX_FAULTS].join(",");
        assert_eq!(Scenario::from_pairs([("faults", at_most.as_str())]).1, []);
        for (bad, says) in [
            ("server1:up@5-10", "faults=\"server1:up@5-10\": each item must be SERVER:KIND@START-END"),
            ("server1:down@10-5", "faults=\"server1:down@10-5\": allowed: at most 256"),
            ("server1:down@5-5", "allowed: at most 256"),
            ("server1:errors=1.5@0-1", "faults=\"server1:errors=1.5@0-1\": allowed:"),
            ("server1:slow=0@0-1", "allowed:"),
            ("server1:slow=1001@0-1", "allowed:"),
            ("server1:down@0-2000000000", "allowed:"),
            ("server1:down@-1-2", "allowed:"),
            ("server1:down@5", "SERVER:KIND@START-END"),
            ("server1:slow=x@5-6", "SERVER:KIND@START-END"),
            ("down@5-6", "SERVER:KIND@START-END"),
            ("server9:down@5-10", "faults=\"server9:down@5-10\": no server is named \"server9\""),
            (":down@5-10", "allowed:"),
        ] {
            let said = refusal(bad);
            assert!(said.contains(says), "{bad}: {said}");
        }
        assert!(refusal("server1:down@10-5").contains(FAULTS_ALLOWED));
        let long = "x".repeat(MAX_FAULTS_BYTES + 1);
        assert!(refusal(&long).contains("(64 KB)"));
        // in a file, the message names the setting too
        let err = Scenario::from_json(r#"{"faults": "server1:sideways@1-2"}"#).expect_err("a bad kind").to_string();
        assert!(err.contains("faults: each is SERVER:KIND@START-END"), "{err}");
        let err = Scenario::from_json(r#"{"faults": "server7:down@1-2"}"#).expect_err("no server7").to_string();
        assert!(err.starts_with("faults=\"server7:down@1-2\": no server is named"), "{err}");
    }

    #[test]
    fn a_fault_names_a_server_of_the_scenario_by_its_name_or_default_name() {
        let named = |names: &[&str], text: &str| {
            let s = Scenario {
                servers: 3,
                names: names.iter().map(|n| n.to_string()).collect(),
                faults: schedule(text),
                ..Scenario::default()
            };
            s.validate().is_ok()
        };
        assert!(named(&["a", "b"], "a:down@1-2,b:down@1-2,server3:down@1-2"));
        assert!(!named(&["a", "b"], "server1:down@1-2"), "server1 is called a");
        assert!(!named(&[], "server4:down@1-2"), "three servers");
    }
}
