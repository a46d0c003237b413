//! What a setting is: the descriptor every row of the settings table becomes ([`Setting`]),
//! its group, unit, allowed values and slider hints, and the `settings!` and `choices!`
//! macros that turn the table into the [`Scenario`](super::Scenario) type and its codec.
//!
//! Everything a front end says about a setting (a flag's help, a slider's bounds, a
//! problem's message, docs/settings.md) is derived from these fields, so it is written
//! once, in `table.rs`.

use std::fmt::Write as _;

/// The part of the engine a setting is handed to when it changes on a running engine
/// ([`Engine::reconfigure`](crate::Engine::reconfigure) asks the table which parts differ).
/// Finer than [`Group`]: arrivals, costs and keys are three parts of the workload, so that a
/// new cost does not redraw the next arrival.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    /// The balancer, rebuilt when a parameter its algorithm reads changes
    /// ([`Scenario::params`](super::Scenario::params) says which it reads).
    Balancer,
    /// The servers themselves: how many, their names, weights and speeds.
    Pool,
    /// Each server's workers and queue limit.
    Capacity,
    /// The arrival process.
    Arrivals,
    /// The request cost distribution.
    Costs,
    /// The key distribution.
    Keys,
    /// The caches, made anew (what they held is lost).
    Caches,
    /// Whether requests complete by themselves or by hand.
    Completions,
    /// Finagle's retry budget, made anew (its deposits are lost, its reserve is full).
    RetryBucket,
    /// The schedule of faults: its events scheduled anew (see
    /// [`Engine::reconfigure`](crate::Engine::reconfigure)).
    Faults,
    /// Read where it is used, each time: nothing to hand over.
    Live,
    /// The run's length and seed: they take effect on a new engine.
    NewRun,
}

/// The part of the lab a setting belongs to, as help texts and docs/settings.md group them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Group {
    /// The balancing algorithm and its parameters.
    Algorithm,
    /// The servers: how many, their names, weights, speeds, workers and queues.
    Pool,
    /// The traffic: arrivals, request costs and keys.
    Workload,
    /// Caches in front of or on the servers.
    Cache,
    /// Health checks, retries and completions.
    Health,
    /// How long a run lasts, its warm-up and its seed.
    Run,
}

impl Group {
    /// Every group, in the order the table lists them.
    pub const ALL: [Group; 6] =
        [Group::Algorithm, Group::Pool, Group::Workload, Group::Cache, Group::Health, Group::Run];

    /// The heading under which help texts list the group's settings.
    pub fn heading(self) -> &'static str {
        match self {
            Group::Algorithm => "Algorithm",
            Group::Pool => "Servers",
            Group::Workload => "Workload",
            Group::Cache => "Cache",
            Group::Health => "Health",
            Group::Run => "Run length",
        }
    }
}

/// The unit a setting's number is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A pure number, an id, a list or a flag.
    None,
    /// Seconds of simulated time.
    Seconds,
    /// Events per second.
    PerSecond,
    /// A multiple of something (speed, load).
    Factor,
}

impl Unit {
    /// The unit as written after a number in a message (`3600 seconds`), empty for none.
    pub fn suffix(self) -> &'static str {
        match self {
            Unit::Seconds => " seconds",
            Unit::PerSecond => " per second",
            Unit::None | Unit::Factor => "",
        }
    }
}

/// What values a setting allows (checked by [`Scenario::validate`](super::Scenario::validate)).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Allowed {
    /// A whole number from `min` to `max`.
    Whole {
        /// Smallest allowed.
        min: u64,
        /// Largest allowed.
        max: u64,
    },
    /// A number from `min` (excluded when `above`) to `max`.
    Number {
        /// Smallest allowed (or the bound it must be above).
        min: f64,
        /// Whether `min` itself is excluded.
        above: bool,
        /// Largest allowed.
        max: f64,
    },
    /// A prime from `min` to `max`; `examples` are the sizes a picker offers.
    Prime {
        /// Smallest allowed.
        min: u64,
        /// Largest allowed.
        max: u64,
        /// The primes a user is offered, smallest first.
        examples: &'static [u64],
    },
    /// One of the ids of a [`Choice`] type (listed by [`Setting::ids`]).
    OneOf,
    /// true or false.
    Bool,
    /// A name: 1 to `max_chars` characters, no control characters.
    Name {
        /// Most characters.
        max_chars: usize,
    },
    /// A comma-separated list, each item allowed by the inner rule; at most one per server.
    Each(&'static Allowed),
    /// A schedule of faults (see [`FAULTS_ALLOWED`](super::faults::FAULTS_ALLOWED)).
    Faults,
    /// A number the inner rule allows, or one keyword (`hedge-after`: seconds, or `p95`).
    NumberOr(&'static Allowed, &'static str),
}

/// Formats a bound without float noise: `0.000001`, `3600`, `1000000000`.
fn bound(x: f64) -> String {
    crate::decimal::shortest(x)
}

impl Allowed {
    /// What is allowed, in words (`1 to 100000`, `above 0 up to 3600 seconds`), for a setting
    /// in `unit` whose choices (for [`Allowed::OneOf`]) are `ids`.
    pub fn describe(&self, unit: Unit, ids: &[&str]) -> String {
        let u = unit.suffix();
        match *self {
            Allowed::Whole { min, max } => format!("{min} to {max}{u}"),
            Allowed::Number { min, above: true, max } => format!("above {} up to {}{u}", bound(min), bound(max)),
            Allowed::Number { min, above: false, max } => format!("{} to {}{u}", bound(min), bound(max)),
            Allowed::Prime { min, max, examples } => {
                let shown: Vec<String> =
                    examples.iter().take(examples.len().saturating_sub(1)).map(u64::to_string).collect();
                format!("a prime from {min} to {max}, such as {}", or_list(&shown))
            }
            Allowed::OneOf => ids.join(", "),
            Allowed::Bool => "true or false (1 or 0, on or off)".to_string(),
            Allowed::Name { max_chars } => {
                format!("1 to {max_chars} characters, no commas and no control or text-direction characters")
            }
            Allowed::Each(inner) => format!("each {}", inner.describe(unit, ids)),
            Allowed::Faults => super::faults::FAULTS_ALLOWED.to_string(),
            Allowed::NumberOr(inner, word) => format!("{}, or {word}", inner.describe(unit, ids)),
        }
    }

    /// Whether the whole number `n` is allowed.
    pub fn allows_whole(&self, n: u64) -> bool {
        match *self {
            Allowed::Whole { min, max } => (min..=max).contains(&n),
            Allowed::Prime { min, max, .. } => (min..=max).contains(&n) && is_prime(n),
            Allowed::Each(inner) => inner.allows_whole(n),
            _ => false,
        }
    }

    /// Whether the number `x` is allowed.
    pub fn allows_number(&self, x: f64) -> bool {
        match *self {
            Allowed::Number { min, above, max } => {
                x.is_finite() && (if above { x > min } else { x >= min }) && x <= max
            }
            Allowed::Each(inner) | Allowed::NumberOr(inner, _) => inner.allows_number(x),
            _ => false,
        }
    }

    /// Whether the text `s` is allowed as a name.
    pub fn allows_name(&self, s: &str) -> bool {
        match *self {
            Allowed::Name { max_chars } => {
                !s.is_empty() && s.chars().count() <= max_chars && !s.chars().any(|c| c == ',' || is_hidden(c))
            }
            Allowed::Each(inner) => inner.allows_name(s),
            _ => false,
        }
    }

    /// The largest allowed value, where there is one (the number a "too large" message gives).
    pub fn max(&self) -> Option<f64> {
        match *self {
            Allowed::Whole { max, .. } | Allowed::Prime { max, .. } => Some(max as f64),
            Allowed::Number { max, .. } => Some(max),
            Allowed::Each(inner) | Allowed::NumberOr(inner, _) => inner.max(),
            _ => None,
        }
    }
}

/// Whether `c` is a control, invisible or text-direction character: the one rule for what a
/// server name, a page's title and caption and a lesson's words may not hold, and what a
/// message shows as an escape. One could make a log line read backwards, or two names that
/// look alike differ. They are:
///
/// - the control characters (C0, DEL, C1);
/// - the text-direction ones: the bidi marks (LRM, RLM, ALM), embeddings, overrides and
///   isolates;
/// - the invisible ones: what Unicode says to draw as nothing (Default_Ignorable_Code_Point:
///   the soft hyphen, zero-width space, joiners and word joiner, the Mongolian vowel separator
///   and variation selectors, the Hangul fillers, the byte order mark, the tag characters),
///   and the line and paragraph separators and interlinear annotation marks.
///
/// A list of ranges rather than Unicode's tables, which the web app would carry.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'..='\u{1160}'
                | '\u{17B4}'..='\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFFB}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

/// What [`is_hidden`] refuses, as a message names it after "no".
pub const HIDDEN_CHARACTERS: &str = "control, invisible or text-direction characters";

fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// Whether `n` is prime (trial division: table sizes are at most a few million).
pub fn is_prime(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    let mut d = 2u64;
    while d * d <= n {
        if n.is_multiple_of(d) {
            return false;
        }
        d += 1;
    }
    true
}

/// How a slider shows a setting in the web app.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ui {
    /// The slider's label.
    pub label: &'static str,
    /// The slider's left end.
    pub min: f64,
    /// The slider's right end (a larger value from elsewhere widens it).
    pub max: f64,
    /// The step between positions: in the setting's unit, or in decades when `log`.
    pub step: f64,
    /// Whether the slider moves in powers of ten.
    pub log: bool,
    /// What the slider shows for 0, when 0 means something special ("never expires").
    pub zero: Option<&'static str>,
    /// A line of help under the slider.
    pub hint: Option<&'static str>,
    /// Whether a box beside the slider takes a typed value too (for a wide range whose
    /// useful part depends on the lesson).
    pub typed: bool,
}

impl Ui {
    /// A linear slider from `min` to `max` in `step`s.
    pub const fn linear(label: &'static str, min: f64, max: f64, step: f64) -> Ui {
        Ui { label, min, max, step, log: false, zero: None, hint: None, typed: false }
    }

    /// A slider in powers of ten from `min` to `max`, `step` decades a notch.
    pub const fn log(label: &'static str, min: f64, max: f64, step: f64) -> Ui {
        Ui { label, min, max, step, log: true, zero: None, hint: None, typed: false }
    }

    /// The same slider, showing `text` for 0.
    pub const fn zero(self, text: &'static str) -> Ui {
        Ui { zero: Some(text), ..self }
    }

    /// The same slider, with a box for a typed value beside it.
    pub const fn typed(self) -> Ui {
        Ui { typed: true, ..self }
    }

    /// The same slider, with a hint under it.
    pub const fn hint(self, text: &'static str) -> Ui {
        Ui { hint: Some(text), ..self }
    }
}

/// The kind of value a setting holds, as its codec reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A whole number.
    Whole,
    /// A real number.
    Number,
    /// true or false.
    Bool,
    /// One id of a list.
    Choice,
    /// A comma-separated list.
    List,
    /// Text.
    Text,
}

/// One row of the settings table: everything said about a setting, in one place.
#[derive(Clone, Copy, Debug)]
pub struct Setting {
    /// Its name: the URL parameter, the `lbsim` flag (without `--`) and the JSON key.
    pub name: &'static str,
    /// The group it belongs to.
    pub group: Group,
    /// The kind of value.
    pub kind: Kind,
    /// What it allows.
    pub allowed: Allowed,
    /// The unit of its number.
    pub unit: Unit,
    /// The placeholder in the flag's help (`SECONDS`, `N`, `LIST`).
    pub value_name: &'static str,
    /// What it is, in one line, for `lbsim --help` and docs/settings.md (empty without the
    /// `cli-help` feature, as in the web app, which never shows it: 0.6 KB gzip of each build).
    pub help: &'static str,
    /// More on it, for `lbsim --help` (may be empty; empty without the `cli-help` feature, as in the web app).
    pub details: &'static str,
    /// How the web app's slider shows it, if it has one.
    pub ui: Option<Ui>,
    /// The ids and one-line descriptions of its choices, for a choice setting.
    pub choices: fn() -> Vec<(&'static str, &'static str)>,
}

impl Setting {
    /// The ids a choice setting allows (empty for others).
    pub fn ids(&self) -> Vec<&'static str> {
        (self.choices)().into_iter().map(|(id, _)| id).collect()
    }

    /// What is allowed, in words, with the unit: `1 to 100000`, `0 to 86400 seconds`.
    pub fn describe_allowed(&self) -> String {
        self.allowed.describe(self.unit, &self.ids())
    }

    /// The message of a problem with this setting's value: `allowed: 1 to 100000`.
    pub fn allowed_message(&self) -> String {
        format!("allowed: {}", self.describe_allowed())
    }

    /// The default as text (`""` when the default is "none" or an empty list).
    pub fn default_text(&self) -> String {
        super::Scenario::default().get(self.name).unwrap_or_default()
    }

    /// The flag's long help: what it is, more, what is allowed, the default.
    pub fn long_help(&self) -> String {
        let mut out = String::from(self.help);
        if !self.details.is_empty() {
            let _ = write!(out, ". {}", self.details);
        }
        let _ = write!(out, "\n\nAllowed: {}.", self.describe_allowed());
        out
    }
}

/// The row named `name`, if there is one.
pub fn setting(name: &str) -> Option<&'static Setting> {
    super::SETTINGS.iter().find(|s| s.name == name)
}

/// The table of docs/settings.md of every setting, generated from the table (one row each).
pub fn markdown_table() -> String {
    let mut out = String::from("| setting | group | default | allowed | what it is |\n|---|---|---|---|---|\n");
    for s in super::SETTINGS {
        let default = match s.default_text() {
            d if d.is_empty() => "none".to_string(),
            d => format!("`{d}`"),
        };
        let allowed = s.describe_allowed().replace('|', "\\|");
        let _ = writeln!(out, "| `{}` | {} | {default} | {allowed} | {} |", s.name, s.group.heading(), s.help);
    }
    out
}

/// A set of choices with ids, in the table's words: implemented by every enum a setting takes.
pub trait Choice: Sized + Copy + PartialEq + 'static {
    /// Every choice, in the order pickers list them.
    fn all() -> &'static [Self];
    /// Its id (URL, flag, JSON).
    fn id(self) -> &'static str;
    /// What it means, in one line (a picker's label).
    fn label(self) -> &'static str;
    /// The choice with this id.
    fn from_id(id: &str) -> Option<Self> {
        Self::all().iter().copied().find(|c| c.id() == id)
    }
    /// Every `(id, label)` pair.
    fn pairs() -> Vec<(&'static str, &'static str)> {
        Self::all().iter().map(|c| (c.id(), c.label())).collect()
    }
}

/// Declares a [`Choice`] enum: each variant with its id and its one-line label. Serde reads
/// and writes the ids.
macro_rules! choices {
    ($(#[$meta:meta])* pub enum $name:ident { $( $(#[doc = $doc:literal])* $variant:ident = $id:literal, $label:literal; )* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $( $(#[doc = $doc])* #[serde(rename = $id)] $variant, )*
        }

        impl $crate::scenario::setting::Choice for $name {
            fn all() -> &'static [Self] {
                &[$($name::$variant),*]
            }
            fn id(self) -> &'static str {
                match self { $($name::$variant => $id,)* }
            }
            fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)* }
            }
            // (a table copied, rather than the trait's walk over `all` compiled once per enum:
            // 0.8 KB less wasm, 0.1 KB gzip)
            fn pairs() -> Vec<(&'static str, &'static str)> {
                const PAIRS: &[(&str, &str)] = &[$(($id, $label)),*];
                PAIRS.to_vec()
            }
        }
    };
}

/// Declares the [`Scenario`](super::Scenario) struct, its `Default`, the `SETTINGS` table and
/// the per-field codec (`set_field`, `get_field`, `check_field`) from one list of rows:
///
/// ```text
/// /// doc
/// field: Type = default; "name", Group/Part, allowed, Unit, "VALUE_NAME", "help", "details", ui;
/// ```
///
/// A name may be followed by more serde attributes in brackets, `"retries" [alias = "retry"]`,
/// for a setting that reads an older name in files.
macro_rules! settings {
    ($( $(#[doc = $doc:literal])* $field:ident : $ty:ty = $default:expr ;
        $name:literal $([$($serde:tt)*])?, $group:ident / $part:ident, $allowed:expr, $unit:ident, $value_name:literal,
        $help:literal, $details:literal, $ui:expr ; )*) => {
        /// The whole configuration of a run: one field per row of the settings table.
        #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(default, deny_unknown_fields)]
        pub struct Scenario {
            $( $(#[doc = $doc])* #[serde(rename = $name $(, $($serde)*)?)] pub $field: $ty, )*
        }

        impl Default for Scenario {
            fn default() -> Self {
                Scenario { $($field: $default,)* }
            }
        }

        /// Every setting's name, in table order (the order [`Scenario::to_pairs`] writes them).
        pub const FIELDS: &[&str] = &[$($name),*];

        /// Every setting, in the order URLs, help texts and docs/settings.md list them.
        pub static SETTINGS: &[$crate::scenario::setting::Setting] = &[
            $( $crate::scenario::setting::Setting {
                name: $name,
                group: $crate::scenario::setting::Group::$group,
                kind: <$ty as $crate::scenario::codec::Value>::KIND,
                allowed: $allowed,
                unit: $crate::scenario::setting::Unit::$unit,
                value_name: $value_name,
                help: if cfg!(any(test, feature = "cli-help")) { $help } else { "" },
                // Only lbsim's help shows them (and docs/settings.md the help, which lbcore's
                // tests compare with the table): the web app's bundles leave them out.
                details: if cfg!(feature = "cli-help") { $details } else { "" },
                ui: $ui,
                choices: <$ty as $crate::scenario::codec::Value>::choices,
            }, )*
        ];

        /// A setting of the table, by its field: what the per-field codec matches on, once the
        /// name is found ([`Field::named`]), so that a name is compared in one loop rather than
        /// in each of `set_field`, `get_field` and `check_field` (1.2 KB less wasm, 0.3 KB gzip).
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy)]
        enum Field {
            $( $field, )*
        }

        impl Field {
            /// Every field, in table order.
            const ALL: &[Field] = &[$(Field::$field),*];

            /// The field of the setting named `name`.
            fn named(name: &str) -> Option<Field> {
                FIELDS.iter().position(|f| *f == name).map(|i| Field::ALL[i])
            }
        }

        impl Scenario {
            /// Parses `value` into the field named `name`; `None` when no field has that name.
            pub(super) fn set_field(&mut self, name: &str, value: &str) -> Option<Result<(), $crate::scenario::codec::ParseError>> {
                Some(match Field::named(name)? {
                    $( Field::$field => <$ty as $crate::scenario::codec::Value>::parse(value).map(|v| self.$field = v), )*
                })
            }

            /// The field named `name` as text.
            pub(super) fn get_field(&self, name: &str) -> Option<String> {
                Some(match Field::named(name)? {
                    $( Field::$field => $crate::scenario::codec::Value::format(&self.$field), )*
                })
            }

            /// Whether the field named `name` is within what its row allows.
            pub(super) fn check_field(&self, name: &str, allowed: &$crate::scenario::setting::Allowed) -> bool {
                match Field::named(name) {
                    $( Some(Field::$field) => $crate::scenario::codec::Value::allowed(&self.$field, allowed), )*
                    None => true,
                }
            }

            /// Whether `self` and `other` differ in any setting of `group`.
            pub fn differs_in(&self, other: &Scenario, group: $crate::scenario::setting::Group) -> bool {
                $( ($crate::scenario::setting::Group::$group == group && self.$field != other.$field) || )* false
            }

            /// Whether `self` and `other` differ in any setting handed to `part`.
            pub fn differs_for(&self, other: &Scenario, part: $crate::scenario::setting::Part) -> bool {
                $( ($crate::scenario::setting::Part::$part == part && self.$field != other.$field) || )* false
            }

            /// The part each setting is handed to, by name.
            pub fn part_of(name: &str) -> Option<$crate::scenario::setting::Part> {
                const PARTS: &[$crate::scenario::setting::Part] = &[$($crate::scenario::setting::Part::$part),*];
                FIELDS.iter().position(|f| *f == name).map(|i| PARTS[i])
            }
        }
    };
}
