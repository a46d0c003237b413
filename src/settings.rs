//! The app's own settings beside the scenario: manual or automatic mode, simulation speed,
//! paused, the compact embed layout, and which controls show.
//!
//! In the URL they are `mode` (`auto`, `manual`, `compare` or `predict`), `algos` (compare
//! mode's 2 to 4 algorithms, comma-separated, which the Experiments view also ticks first), `speed` (0.1 to 10), `paused` (1 or 0),
//! `embed` (1 or 0), `title` and `caption` (a lesson's one-line title and instruction, shown
//! as text, at most [`TITLE_CHARS`] and [`CAPTION_CHARS`] characters) and `controls`, a
//! comma-separated list of the control names below. `lesson` (a built-in lesson's name, or a
//! lesson file's path on the same site) or `lesson-data` (a lesson's JSON) starts a guided
//! lesson ([`LessonSource`]); the page then loads the lesson build (`static/loader.js`). Without `controls` every control shows;
//! with it only the ones named (`controls=` shows none).
//!
//! | name | what it shows |
//! |---|---|
//! | `play` | play/pause |
//! | `step` | step: fire one request and explain the decision |
//! | `reset` | reset to time zero |
//! | `fire` | fire 1 request, fire a burst of 10 |
//! | `servers` | the servers slider, add and remove server |
//! | `server-actions` | complete, drain, fail and heal on each server, and its panel (weight, speed, remove) |
//! | `algo` | the algorithm picker and its parameters |
//! | `rate` | arrival rate |
//! | `cost` | mean request cost |
//! | `dist` | request-cost distribution and variability |
//! | `spread` | server speed spread |
//! | `workers` | workers per server |
//! | `queue` | queue limit |
//! | `speed` | simulation speed |
//! | `mode` | automatic or manual |
//! | `share` | the share button |
//! | `cache` | the caches panel: mode, capacity, TTL, keys, Zipf exponent, hit ratio |
//! | `failures` | the failures panel: health-check interval, retry |
//! | `files` | presets, download scenario JSON and metrics CSV, upload a scenario |
//! | `experiments` | the Experiments view: response time against load, swept in a Web Worker |

use lbcore::scenario::{Arrivals, Completions};
use lbcore::{Algorithm, Scenario};

/// The most servers the app lets you add (the engine takes more from a URL).
pub const MAX_UI_SERVERS: u32 = lbcore::scenario::BROWSER_MAX_SERVERS;
/// Longest `title=` a lesson may give, in characters: one line in a 360 px frame's heading.
pub const TITLE_CHARS: usize = 80;
/// Longest `caption=` a lesson may give, in characters: a two- or three-line instruction.
pub const CAPTION_CHARS: usize = 280;
/// Slowest simulation speed.
pub const MIN_SPEED: f64 = 0.1;
/// Fastest simulation speed.
pub const MAX_SPEED: f64 = 10.0;

/// How requests come and go.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Mode {
    /// As the scenario says: arrivals at the rate, completions when the work is done.
    #[default]
    Auto,
    /// Requests arrive when fired and stay until completed by hand.
    Manual,
    /// Several algorithms race on identical traffic, one panel each.
    Compare,
    /// Manual, and before each request the learner guesses the server it goes to.
    Predict,
}

impl Mode {
    /// The URL id.
    pub fn id(self) -> &'static str {
        match self {
            Mode::Auto => "auto",
            Mode::Manual => "manual",
            Mode::Compare => "compare",
            Mode::Predict => "predict",
        }
    }

    /// Whether requests arrive only when fired and complete only by hand.
    pub fn is_manual(self) -> bool {
        matches!(self, Mode::Manual | Mode::Predict)
    }

    /// The manual-mode rule, the one place it is written: in a manual mode requests arrive
    /// only when fired (arrivals off) and complete only by hand. Switching to another mode
    /// (`back_to` given) brings back `back_to` if arrivals were off and automatic
    /// completions; reading a URL (`None`) leaves the other modes' scenario as written.
    pub fn shape(self, scenario: &mut Scenario, back_to: Option<Arrivals>) {
        if self.is_manual() {
            scenario.by_hand();
        } else if let Some(arrivals) = back_to {
            if scenario.arrivals == Arrivals::Off {
                scenario.arrivals = arrivals;
            }
            scenario.completions = Completions::Auto;
        }
    }

    /// The mode a scenario file opens in: manual when it already follows the manual-mode
    /// rule ([`Mode::shape`] would change nothing), automatic otherwise.
    pub fn of_scenario(scenario: &Scenario) -> Mode {
        if scenario.is_by_hand() { Mode::Manual } else { Mode::Auto }
    }

    /// The mode with this URL id.
    pub fn from_id(id: &str) -> Option<Mode> {
        match id.trim() {
            "auto" => Some(Mode::Auto),
            "manual" => Some(Mode::Manual),
            "compare" => Some(Mode::Compare),
            "predict" => Some(Mode::Predict),
            _ => None,
        }
    }
}

pub use lbcore::controls::{Control, ControlSet};

/// What a control shows, in words: the embed builder's checkbox labels.
pub fn label(control: Control) -> &'static str {
    match control {
        Control::Play => "Play and pause",
        Control::Step => "Step: one request, explained",
        Control::Reset => "Reset",
        Control::Fire => "Fire 1 and fire 10",
        Control::Servers => "Servers: slider, add and remove",
        Control::ServerActions => "Each server's actions and panel",
        Control::Algo => "Algorithm picker",
        Control::Rate => "Arrival rate",
        Control::Cost => "Request cost",
        Control::Dist => "Cost distribution",
        Control::Spread => "Server speed spread",
        Control::Workers => "Workers per server",
        Control::Queue => "Queue limit",
        Control::Speed => "Simulation speed",
        Control::Mode => "Mode switch",
        Control::Share => "Share button",
        Control::Cache => "Caches panel",
        Control::Failures => "Failures panel",
        Control::Files => "Presets and files",
        Control::Experiments => "Experiments view",
    }
}

/// The UI settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Automatic or manual.
    pub mode: Mode,
    /// Simulated seconds per wall-clock second.
    pub speed: f64,
    /// Whether the clock stands still.
    pub paused: bool,
    /// The compact layout for an iframe.
    pub embed: bool,
    /// The controls to show; `None` shows all.
    pub controls: Option<Vec<Control>>,
    /// The controls the lesson's step shows (`lbcore`'s `Step::controls`), set by the
    /// lesson player and never written to the URL: a control shows when both this and
    /// [`controls`](Settings::controls) allow it.
    pub step_controls: Option<ControlSet>,
    /// The algorithms compare mode races, in panel order (the first is the scenario's).
    pub algos: Vec<Algorithm>,
    /// The lesson's title (`title=`), shown as the page's heading.
    pub title: Option<String>,
    /// The lesson's instruction (`caption=`), shown under the title.
    pub caption: Option<String>,
    /// The host page's origin (`origin=`), the only one the frame talks to over postMessage
    /// when given ([`crate::host`]).
    pub origin: Option<std::rc::Rc<str>>,
    /// The guided lesson the page plays (`lesson=` or `lesson-data=`).
    pub lesson: Option<LessonSource>,
}

/// Longest `lesson=` value, in characters: a built-in lesson's name or a path on this site.
pub const LESSON_PATH_CHARS: usize = 200;

/// Where a guided lesson comes from, as the URL gives it; the lesson player reads it
/// (`crate::lesson_player`), so that the lab's own build carries no lesson rules.
#[derive(Clone, Debug, PartialEq)]
pub enum LessonSource {
    /// `lesson=`: a built-in lesson's name (`course`), or a lesson file's path on this site
    /// (`./lessons/mine.json`), at most [`LESSON_PATH_CHARS`] characters.
    Named(std::rc::Rc<str>),
    /// `lesson-data=`: the lesson's JSON carried in the URL.
    Data(std::rc::Rc<str>),
}

impl LessonSource {
    /// The URL parameter and value that give this source.
    pub fn pair(&self) -> (&'static str, &str) {
        match self {
            LessonSource::Named(v) => ("lesson", v),
            LessonSource::Data(v) => ("lesson-data", v),
        }
    }

    /// What the lesson is called in messages to the host page: its name or path, or
    /// `lesson-data` for one carried in the URL.
    pub fn id(&self) -> &str {
        match self {
            LessonSource::Named(v) => v,
            LessonSource::Data(_) => "lesson-data",
        }
    }
}

/// Fewest panels compare mode shows.
pub const MIN_COMPARE: usize = 2;
/// Most panels compare mode shows.
pub const MAX_COMPARE: usize = 4;

/// The algorithms compare mode starts with when the URL names none: `first` and the one
/// that teaches most beside it.
pub fn default_algos(first: Algorithm) -> Vec<Algorithm> {
    let second = if first == Algorithm::LeastConnections { Algorithm::RoundRobin } else { Algorithm::LeastConnections };
    vec![first, second]
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            mode: Mode::Auto,
            speed: 1.0,
            paused: false,
            embed: false,
            controls: None,
            step_controls: None,
            algos: Vec::new(),
            title: None,
            caption: None,
            origin: None,
            lesson: None,
        }
    }
}

impl Settings {
    /// Whether `control` shows.
    pub fn shows(&self, control: Control) -> bool {
        self.controls.as_ref().is_none_or(|c| c.contains(&control))
            && self.step_controls.is_none_or(|c| c.contains(control))
    }

    /// A speed within range, rounded to a tenth; `None` for a value that is not a number.
    pub fn clamp_speed(speed: f64) -> Option<f64> {
        speed.is_finite().then(|| ((speed * 10.0).round() / 10.0).clamp(MIN_SPEED, MAX_SPEED))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manual_mode_rule_shapes_and_recognises_scenarios() {
        let mut s = Scenario { arrivals: Arrivals::Bursty, ..Scenario::default() };
        Mode::Predict.shape(&mut s, None);
        assert_eq!((s.arrivals, s.completions), (Arrivals::Off, Completions::Manual));
        assert_eq!(Mode::of_scenario(&s), Mode::Manual, "a file shaped for manual mode opens in it");
        Mode::Compare.shape(&mut s, None);
        assert_eq!(s.arrivals, Arrivals::Off, "a URL's auto-mode scenario stays as written");
        Mode::Auto.shape(&mut s, Some(Arrivals::Bursty));
        assert_eq!((s.arrivals, s.completions), (Arrivals::Bursty, Completions::Auto), "the arrivals come back");
        assert_eq!(Mode::of_scenario(&s), Mode::Auto);
        let half = Scenario { arrivals: Arrivals::Off, ..Scenario::default() };
        assert_eq!(Mode::of_scenario(&half), Mode::Auto, "arrivals off alone is not manual: work still completes");
    }

    #[test]
    fn control_names_round_trip() {
        for c in Control::ALL {
            assert_eq!(Control::from_id(c.id()), Some(c));
        }
        assert_eq!(Control::from_id("bogus"), None);
    }

    #[test]
    fn all_controls_show_by_default() {
        let s = Settings::default();
        assert!(Control::ALL.iter().all(|&c| s.shows(c)));
        let s = Settings { controls: Some(vec![Control::Rate]), ..Settings::default() };
        assert!(s.shows(Control::Rate) && !s.shows(Control::Algo));
    }

    #[test]
    fn speed_is_clamped_and_rounded() {
        assert_eq!(Settings::clamp_speed(0.0), Some(0.1));
        assert_eq!(Settings::clamp_speed(2.04), Some(2.0));
        assert_eq!(Settings::clamp_speed(50.0), Some(10.0));
        assert_eq!(Settings::clamp_speed(f64::NAN), None);
    }
}
