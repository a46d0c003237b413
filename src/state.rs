//! The whole app state and every change to it: [`AppState`] holds the engine and the UI
//! settings, [`Action`] lists what a user (or the animation clock) can do, and
//! [`AppState::reduce`] is the only place where either changes. It turns each action into
//! engine calls and bumps [`AppState::version`] so that Yew draws again.

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use lbcore::race::{OpError, Reply};
use lbcore::scenario::{Arrivals, Limits};
use lbcore::time::{NANOS_PER_SEC, to_secs};
use lbcore::{Algorithm, Completion, Engine, Op, Problem, Race, Scenario};
use yew::Reducible;

use crate::format;
use crate::scale;
use crate::settings::{MAX_COMPARE, MAX_SPEED, MAX_UI_SERVERS, MIN_COMPARE, Mode, Settings, default_algos};
use crate::snapshot::ServerView;
use crate::url;

/// Decisions the log keeps.
pub const LOG_DECISIONS: usize = 20;
/// Time between two samples of the time series.
pub const SAMPLE_PERIOD_NS: u64 = NANOS_PER_SEC / 4;
/// Samples kept: 30 seconds of history.
pub const SAMPLES: usize = 120;
/// Longest simulated step one tick may take, in milliseconds (100 ms of wall time at 10x).
pub const MAX_TICK_MS: f64 = 100.0 * MAX_SPEED;
/// Most events the leading engine handles in one frame (compare mode's others follow it to
/// the same time): about 5 ms of work in the release build, so a frame never freezes the tab
/// however high the rate; what does not fit is carried to the next frame, and [`AppState::pace`]
/// says how far behind the clock the simulation runs.
pub const FRAME_EVENTS: u64 = 20_000;
/// Widest server speed spread: the slowest server keeps a tenth of the speed.
pub const MAX_SPREAD: f64 = 0.9;

/// Everything the UI can do.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// The clock advanced by this many simulated milliseconds.
    Tick(f64),
    /// Fire this many requests now.
    Fire(u32),
    /// Run the simulation this many simulated seconds ahead at once, paused or not, within a
    /// frame's work budget ([`FRAME_EVENTS`]; what does not fit is left undone, and the caller
    /// asks again): a lesson's "Show me" plays a step's `run` so.
    Advance(f64),
    /// Pause and fire one request, explaining the decision.
    Step,
    /// Complete the oldest request in service on the named server.
    Complete(Rc<str>),
    /// Drain the named server.
    Drain(Rc<str>),
    /// Fail the named server.
    Fail(Rc<str>),
    /// Bring the named server back up.
    Heal(Rc<str>),
    /// Add a server at the end.
    AddServer,
    /// Remove the last server (it drains first).
    RemoveServer,
    /// Remove the named server (it drains first).
    Remove(Rc<str>),
    /// Set one scenario field from its text form, as in the URL.
    SetScenarioField(&'static str, String),
    /// Schedules a fault from now: `SERVER:KIND@SECONDS` (the Resilience panel's "for N s
    /// from now"), appended to `faults` as `SERVER:KIND@NOW-END`.
    FaultFromNow(String),
    /// Spread server speeds linearly from 1 down to 1 - spread.
    SetSpread(f64),
    /// Switch between automatic and manual.
    SetMode(Mode),
    /// Set the simulation speed.
    SetSpeed(f64),
    /// Race these algorithms in compare mode (2 to 4); the race starts again.
    SetAlgos(Vec<Algorithm>),
    /// Predict mode: the learner guesses this server gets the next request; one is fired.
    Predict(Rc<str>),
    /// Start again from this URL query (a preset, an uploaded file, a host's scenario),
    /// keeping the embed layout and controls, and say this about it.
    LoadQuery(Rc<str>, Rc<str>),
    /// A file could not be read as a scenario: why.
    FileProblem(String),
    /// Play or pause.
    TogglePause,
    /// Start again at time zero with the current scenario.
    Reset,
    /// Start again from the URL the page was opened with (the lesson's link).
    BackToLesson,
    /// Open the named server's panel, or close it (`None`).
    Pick(Option<Rc<str>>),
    /// Show only these controls (a lesson step's), or every one the link allows (`None`).
    StepControls(Option<crate::settings::ControlSet>),
}

/// The app state: the engines plus the UI's settings.
#[derive(Clone)]
pub struct AppState {
    /// The simulator, shared by every version of the state: compare mode's race of one
    /// engine per algorithm on the same traffic, a race of one in the other modes, so that
    /// every action moves the engines one way.
    pub race: Rc<RefCell<Race>>,
    /// Predict mode: guesses that were right, and guesses made.
    pub score: (u32, u32),
    /// Predict mode: the last guess and the server the balancer chose.
    pub last_guess: Option<(Rc<str>, Rc<str>)>,
    /// Why the last uploaded file was not used, until a file or preset loads.
    pub file_problem: Option<Rc<str>>,
    /// The UI settings.
    pub settings: Settings,
    /// What was wrong with the URL's parameters.
    pub problems: Rc<Vec<Problem>>,
    /// The sentence explaining the last thing the user did (announced to screen readers).
    pub explanation: Option<Rc<str>>,
    /// The bar chart's axis maximum.
    pub axis_max: u32,
    /// Bumped on every change.
    pub version: u64,
    /// The arrivals the automatic modes had before a manual mode switched them off, to give
    /// back on the way out (constant and bursty stay what they were).
    pub auto_arrivals: Arrivals,
    /// How much of the simulated time asked for the last frames got (1 keeps up with the
    /// clock; 0.03 runs at 3% of it because a frame's work budget ran out first), smoothed.
    pub pace: f64,
    /// The last change that started a new measurement window: when, and what it was
    /// ("switched to least-connections"). Stale once the engines' window starts elsewhere.
    pub window: Option<(u64, Rc<str>)>,
    /// The query the page was opened with, which [`Action::BackToLesson`] restores.
    pub lesson: Rc<str>,
    /// The server whose panel is open.
    pub picked: Option<Rc<str>>,
    /// The learner's last change of the pool's size at its end (add a server, remove the
    /// last, the servers slider): servers before and after, for the hashing view's "your
    /// change". A server removed from the middle clears it: the key space's model names
    /// servers 1 to n.
    pub pool_change: Option<(u32, u32)>,
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.race, &other.race) && self.version == other.version
    }
}

/// The engines a state runs: `scenario` under each of `algos` in compare mode (the
/// scenario's own algorithm first), under its own algorithm alone otherwise, with the app's
/// log and time series switched on. A scenario that is not valid gives way to the default.
fn new_race(scenario: Scenario, settings: &Settings) -> (Race, Vec<Problem>) {
    let mut algos = vec![scenario.algo];
    if settings.mode == Mode::Compare {
        algos.extend(settings.algos.iter().skip(1));
    }
    let (mut race, problems) = match Race::new(&scenario, &algos) {
        Ok(race) => (race, Vec::new()),
        Err(problems) => match Race::new(&Scenario::default(), &algos) {
            Ok(race) => (race, problems.0),
            // The default scenario is valid for every algorithm: lbcore's tests say so.
            Err(_) => unreachable!("the default scenario is valid"),
        },
    };
    // Every later change, whoever asks for it (a control, a lesson's set, Show me, a host
    // page's message), is held to the page's limits by the race itself.
    race.hold_to(Limits::BROWSER);
    race.keep_decisions(LOG_DECISIONS);
    race.enable_series(SAMPLE_PERIOD_NS, SAMPLES);
    (race, problems)
}

/// The speed spread a scenario's speeds show: 1 minus the slowest server's speed.
pub fn spread_of(scenario: &Scenario) -> f64 {
    let slowest = (0..scenario.servers as usize).map(|i| scenario.speed(i)).fold(1.0, f64::min);
    (1.0 - slowest).clamp(0.0, MAX_SPREAD)
}

/// Whether a scenario's speeds are the spread slider's own: all 1, or an even ramp from 1. Speeds
/// set by hand (`speeds=1,1,1,0.3`, a server's panel, an added server at 1x) are not, and only
/// a move of the slider replaces them.
pub fn is_ramp(scenario: &Scenario) -> bool {
    scenario.speeds.is_empty() || scenario.speeds == speeds_for(scenario.servers as usize, spread_of(scenario))
}

/// Speeds for `n` servers from 1 down to 1 - `spread` in even steps (empty for no spread).
pub fn speeds_for(n: usize, spread: f64) -> Vec<f64> {
    let spread = if spread.is_finite() { spread.clamp(0.0, MAX_SPREAD) } else { 0.0 };
    if spread <= 0.0 || n < 2 {
        return Vec::new();
    }
    (0..n).map(|i| ((1.0 - spread * i as f64 / (n - 1) as f64) * 1000.0).round() / 1000.0).collect()
}

impl AppState {
    /// The state for a scenario, settings and the problems found reading them.
    pub fn new(scenario: Scenario, settings: Settings, mut problems: Vec<Problem>) -> Self {
        let (race, more) = new_race(scenario, &settings);
        problems.extend(more);
        let mut state = AppState {
            race: Rc::new(RefCell::new(race)),
            score: (0, 0),
            last_guess: None,
            file_problem: None,
            settings,
            problems: Rc::new(problems),
            explanation: None,
            axis_max: scale::MIN_AXIS,
            version: 0,
            auto_arrivals: Arrivals::Poisson,
            pace: 1.0,
            window: None,
            lesson: Rc::from(""),
            picked: None,
            pool_change: None,
        };
        state.rescale();
        state
    }

    /// The state a URL query describes.
    pub fn from_query(query: &str) -> Self {
        let parsed = url::parse(query);
        let mut state = AppState::new(parsed.scenario, parsed.settings, parsed.problems);
        state.lesson = query.into();
        state
    }

    /// The query that restores this state.
    pub fn query(&self) -> String {
        url::to_query(self.engine().scenario(), &self.settings)
    }

    /// The engine the app shows: the race's leader, the first panel in compare mode.
    pub fn engine(&self) -> Ref<'_, Engine> {
        Ref::map(self.race.borrow(), Race::leader)
    }

    /// A copy of the scenario as it stands.
    pub fn scenario(&self) -> Scenario {
        self.engine().scenario().clone()
    }

    fn rescale(&mut self) {
        let race = self.race.borrow();
        let peak = race.engines().iter().flat_map(|e| e.servers().iter().map(|s| s.connections())).max();
        let axis_max = scale::next_axis_max(self.axis_max, peak.unwrap_or(0));
        drop(race);
        self.axis_max = axis_max;
    }

    fn explain(&mut self, text: impl Into<Rc<str>>) {
        self.explanation = Some(text.into());
    }

    /// Applies `op` to every engine: the leader's reply, or the sentence saying why not.
    fn apply(&mut self, op: Op) -> Result<Reply, String> {
        let result = self.race.borrow_mut().apply(op);
        result.map_err(|e| match e {
            OpError::NoSuchServer(name) => format!("There is no server called {name}."),
            OpError::Invalid(problems) => format!("Not changed: {problems}."),
        })
    }

    fn fire(&mut self, n: u32) {
        let Ok(Reply::Fired(decisions)) = self.apply(Op::Fire(n)) else { return };
        let Some(last) = decisions.last() else { return };
        let text = if n == 1 {
            format!("{last}.")
        } else {
            let mut counts: Vec<(String, u32)> = Vec::new();
            for d in &decisions {
                let name = d.chosen_name().unwrap_or("nowhere").to_string();
                match counts.iter_mut().find(|(n, _)| *n == name) {
                    Some((_, c)) => *c += 1,
                    None => counts.push((name, 1)),
                }
            }
            let spread: Vec<String> = counts.iter().map(|(n, c)| format!("{c} to {n}")).collect();
            format!("Fired {n} requests: {}. The last: {last}.", spread.join(", "))
        };
        self.explain(text);
    }

    fn advance(&mut self, seconds: f64) {
        if seconds.is_nan() || seconds <= 0.0 {
            return;
        }
        let from = self.engine().now();
        let _ = self.apply(Op::RunWithin(from.saturating_add(lbcore::time::from_secs(seconds)), FRAME_EVENTS));
        let ran = lbcore::time::to_secs(self.engine().now() - from);
        self.explain(format!("Ran {} s ahead.", lbcore::decimal::Fixed(ran, 1)));
    }

    fn complete(&mut self, name: &str) {
        let text = match self.apply(Op::Complete(name.to_string())) {
            Ok(Reply::Completed(Completion::Completed { response })) => format!(
                "{name} completed its oldest request, {} after it arrived.",
                crate::format::seconds(to_secs(response))
            ),
            Ok(_) => format!("{name} holds no request in service: nothing to complete."),
            Err(why) => why,
        };
        self.explain(text);
    }

    fn health(&mut self, action: &Action) {
        let (op, text) = match action {
            Action::Drain(name) => (
                Op::Drain(name.to_string()),
                format!("{name} is draining: it takes no new requests and finishes what it holds."),
            ),
            Action::Fail(name) => (
                Op::Fail(name.to_string()),
                format!(
                    "{name} failed: what it held failed, and requests sent to it fail until a health check notices."
                ),
            ),
            // a draining server was never down: its button says Stop draining, and so does this
            Action::Heal(name)
                if self
                    .engine()
                    .servers()
                    .iter()
                    .any(|s| *s.name == **name && s.health == lbcore::Health::Draining) =>
            {
                (Op::Heal(name.to_string()), format!("{name} stopped draining: it takes new requests again."))
            }
            Action::Heal(name) => (Op::Heal(name.to_string()), format!("{name} is up again.")),
            _ => return,
        };
        let said = match self.apply(op) {
            Err(why) => why,
            Ok(_) if matches!(action, Action::Heal(name) if self.healed_unseen(name)) => {
                format!("{text} The balancer sends it requests once a health check notices.")
            }
            Ok(_) => text,
        };
        self.explain(said);
    }

    /// Whether `name` is up while the health checks still see it down
    /// ([`ServerView::healed_unseen`]).
    fn healed_unseen(&self, name: &str) -> bool {
        let engine = self.engine();
        engine.servers().iter().any(|s| &*s.name == name && ServerView::of(s).healed_unseen())
    }

    fn staying(&self) -> Vec<usize> {
        let engine = self.engine();
        (0..engine.servers().len()).filter(|&i| !engine.servers()[i].removing).collect()
    }

    fn add_server(&mut self) {
        if self.staying().len() >= MAX_UI_SERVERS as usize {
            self.explain(format!("The lab holds at most {MAX_UI_SERVERS} servers."));
            return;
        }
        let before = self.staying().len() as u32;
        let text = match self.apply(Op::AddServer) {
            Ok(Reply::Added(name)) => {
                self.pool_change = Some((before, before + 1));
                self.note_window(format!("added {name}"));
                format!("Added {name}.")
            }
            Ok(_) => return,
            Err(why) => why,
        };
        self.explain(text);
    }

    /// Removes the named server, or the last one staying.
    fn remove_server(&mut self, name: Option<&str>) {
        let staying = self.staying();
        let engine = self.engine();
        let chosen = match name {
            Some(name) => staying.iter().rev().find(|&&i| &*engine.servers()[i].name == name),
            None => staying.last(),
        };
        drop(engine);
        let (Some(&last), true) = (chosen, staying.len() > 1) else {
            self.explain("At least one server stays.");
            return;
        };
        let (name, held) = {
            let engine = self.engine();
            (engine.servers()[last].name.to_string(), engine.servers()[last].connections())
        };
        let result = self.apply(Op::RemoveServer(name.clone()));
        if result.is_ok() {
            let n = staying.len() as u32;
            self.pool_change = (staying.last() == Some(&last)).then_some((n, n - 1));
            self.note_window(format!("removed {name}"));
        }
        self.explain(match (result, held) {
            (Err(why), _) => why,
            (Ok(_), 0) => format!("Removed {name}."),
            (Ok(_), 1) => format!("Removing {name}: it takes nothing new and leaves once its 1 connection finishes."),
            (Ok(_), n) => format!("Removing {name}: it takes nothing new and leaves once its {n} connections finish."),
        });
    }

    /// Applies `change` to a copy of the scenario and moves every engine to it.
    fn reconfigure(&mut self, change: impl FnOnce(&mut Scenario) -> Result<(), Problem>) {
        let mut next = self.scenario();
        let result = match change(&mut next) {
            Ok(()) => self.apply(Op::Reconfigure(Box::new(next))),
            Err(problem) => Err(format!("Not changed: {problem}.")),
        };
        match result {
            Err(why) => self.explain(why),
            Ok(Reply::NewWindow(why)) => self.note_window(why),
            Ok(_) => {}
        }
    }

    /// Notes why the engines started a new measurement window (the race starts it:
    /// [`lbcore::Race::apply`]), for the metrics' "since" line.
    fn note_window(&mut self, why: String) {
        let at = self.engine().window_start();
        self.window = Some((at, why.into()));
    }

    /// Since when the figures count, and why from then: "since t = 12.3 s (switched to
    /// least-connections)", or "since the start".
    pub fn window_note(&self) -> String {
        let start = self.engine().window_start();
        match &self.window {
            Some((at, why)) if *at == start => format!("since t = {} s ({why})", format::Fixed(to_secs(start), 1)),
            _ if start > 0 => format!("since t = {} s (the end of warm-up)", format::Fixed(to_secs(start), 1)),
            _ => "since the start".to_string(),
        }
    }

    /// The spread slider moved: speeds fall evenly from 1 to 1 - `spread`; speeds that were set
    /// by hand are replaced, and the explanation says which they were.
    fn set_spread(&mut self, spread: f64) {
        let before = self.scenario();
        self.reconfigure(|s| {
            s.speeds = speeds_for(s.servers as usize, spread);
            Ok(())
        });
        let after = self.scenario();
        if before.speeds != after.speeds {
            let words = |s: &Scenario| {
                (0..s.servers as usize).map(|i| format::factor(s.speed(i))).collect::<Vec<_>>().join(", ")
            };
            let mut text = format!("Server speeds now fall evenly: {}.", words(&after));
            if !is_ramp(&before) {
                text.push_str(&format!(" They replace the speeds the servers had ({}).", words(&before)));
            }
            self.explain(text);
        }
    }

    /// Appends to `faults` the fault `entry` (`SERVER:KIND@SECONDS`) from now for that many
    /// seconds, leaving out the entries already over, so that a class scheduling faults one
    /// after another never meets the schedule's bound of 256 with faults that are past.
    fn fault_from_now(&mut self, entry: &str) {
        let Some((what, seconds)) = entry.rsplit_once('@') else { return };
        let Some(seconds) = lbcore::decimal::read(seconds).filter(|s| *s > 0.0 && *s <= 3600.0) else {
            let quoted: String = seconds.chars().take(12).collect();
            return self
                .explain(format!("Not scheduled: a fault for \"{quoted}\" seconds; allowed: above 0 up to 3600."));
        };
        let now = lbcore::time::to_secs(self.engine().now());
        let mut kept = self.scenario();
        kept.faults.0.retain(|f| f.end > now);
        let kept = kept.get("faults").unwrap_or_default();
        let (from, to) = (lbcore::decimal::shortest(now), lbcore::decimal::shortest(now + seconds));
        let new = format!("{what}@{from}-{to}");
        let text = if kept.is_empty() { new } else { format!("{kept},{new}") };
        self.set_field("faults", &text);
    }

    fn set_field(&mut self, field: &str, value: &str) {
        let before = self.scenario().servers;
        self.reconfigure(|next| {
            let spread = spread_of(next);
            let ramp = is_ramp(next);
            next.set(field, value)?;
            match field {
                "servers" => {
                    let n = next.servers as usize;
                    next.names.truncate(n);
                    next.weights.truncate(n);
                    // The slider's ramp spans the new pool; speeds set by hand stay, a new
                    // server at 1x.
                    if ramp {
                        next.speeds = if spread > 0.0 { speeds_for(n, spread) } else { Vec::new() };
                    } else {
                        next.speeds.resize(n, 1.0);
                    }
                }
                "dist" => next.fit_cv_to_dist(),
                _ => {}
            }
            Ok(())
        });
        let after = self.scenario().servers;
        if field == "servers" && after != before {
            self.pool_change = Some((before, after));
        }
    }

    fn set_mode(&mut self, mode: Mode) {
        let was = self.settings.mode;
        self.settings.mode = mode;
        self.score = (0, 0);
        let arrivals = self.scenario().arrivals;
        if arrivals != Arrivals::Off {
            self.auto_arrivals = arrivals;
        }
        let restore = self.auto_arrivals;
        self.reconfigure(|next| {
            mode.shape(next, Some(restore));
            Ok(())
        });
        if mode == Mode::Compare && was != Mode::Compare {
            if self.settings.algos.len() < MIN_COMPARE {
                self.settings.algos = default_algos(self.scenario().algo);
            }
            let first = self.settings.algos[0];
            self.reconfigure(|next| {
                next.algo = first;
                Ok(())
            });
            self.restart();
        } else if mode != Mode::Compare {
            self.settings.algos.clear();
            self.race.borrow_mut().keep_leader();
        }
        self.explain(match mode {
            Mode::Manual => "Manual mode: requests arrive when you fire them and stay until you complete them.",
            Mode::Auto => "Automatic mode: requests arrive at the arrival rate and complete when their work is done.",
            Mode::Compare => {
                "Compare mode: each panel runs its own algorithm on the same arrivals, costs and keys, from time zero."
            }
            Mode::Predict => {
                "Predict mode: click the server you think gets the next request, then see if you were right."
            }
        });
    }

    fn set_algos(&mut self, algos: &[Algorithm]) {
        let mut chosen: Vec<Algorithm> = Vec::new();
        for &a in algos {
            if !chosen.contains(&a) && chosen.len() < MAX_COMPARE {
                chosen.push(a);
            }
        }
        if chosen.len() < MIN_COMPARE {
            self.explain(format!("Compare races {MIN_COMPARE} to {MAX_COMPARE} algorithms."));
            return;
        }
        self.settings.algos = chosen;
        let first = self.settings.algos[0];
        self.reconfigure(|next| {
            next.algo = first;
            Ok(())
        });
        self.restart();
        self.explain("New race: every panel starts again at time zero on the same traffic.");
    }

    /// Predict mode: scores the guess against where the next request goes, and explains.
    fn predict(&mut self, guess: &str) {
        let Ok(Reply::Fired(decisions)) = self.apply(Op::Fire(1)) else { return };
        let Some(d) = decisions.last() else { return };
        let right = d.chosen_name() == Some(guess);
        self.last_guess = Some((guess.into(), d.chosen_name().unwrap_or("").into()));
        self.score.1 += 1;
        if right {
            self.score.0 += 1;
        }
        let (r, t) = self.score;
        self.explain(format!(
            "{} You guessed {guess}; {d}. Score: {r} of {t}.",
            if right { "Right!" } else { "Not this time." }
        ));
    }

    /// The state a preset or an uploaded file starts; `None` for other actions.
    fn load(&self, action: &Action) -> Option<AppState> {
        let keep = |mut settings: Settings| {
            settings.embed = self.settings.embed;
            settings.controls = self.settings.controls.clone();
            settings.step_controls = self.settings.step_controls;
            settings.origin = self.settings.origin.clone();
            settings.lesson = self.settings.lesson.clone();
            // A lesson's title and instruction stay unless the new link gives its own.
            settings.title = settings.title.or_else(|| self.settings.title.clone());
            settings.caption = settings.caption.or_else(|| self.settings.caption.clone());
            settings
        };
        let mut next = match action {
            Action::LoadQuery(query, about) => {
                let parsed = url::parse(query);
                let mut settings = keep(parsed.settings);
                // The pace the reader watches at is theirs (a lesson link's `speed=4`, the
                // slider), unless the new link sets its own.
                if !url::split(query).iter().any(|(k, _)| k == "speed") {
                    settings.speed = self.settings.speed;
                }
                let mut next = AppState::new(parsed.scenario, settings, parsed.problems);
                next.explain(about.clone());
                next
            }
            Action::FileProblem(why) => {
                let mut next = self.clone();
                next.file_problem = Some(why.as_str().into());
                next
            }
            Action::BackToLesson => {
                let mut next = AppState::from_query(&self.lesson);
                next.explain("Back to the lesson: its scenario and settings, at time zero.");
                next
            }
            _ => return None,
        };
        next.lesson = self.lesson.clone();
        next.version = self.version + 1;
        Some(next)
    }

    /// Every engine back to time zero with the current scenario (no explanation).
    fn restart(&mut self) {
        let (race, _) = new_race(self.scenario(), &self.settings);
        self.race = Rc::new(RefCell::new(race));
        self.axis_max = scale::MIN_AXIS;
    }

    fn reset(&mut self) {
        let (race, problems) = new_race(self.scenario(), &self.settings);
        self.race = Rc::new(RefCell::new(race));
        if !problems.is_empty() {
            let mut all = (*self.problems).clone();
            all.extend(problems);
            self.problems = Rc::new(all);
        }
        self.axis_max = scale::MIN_AXIS;
        self.score = (0, 0);
        self.explain("Reset: time zero, no requests, same scenario.");
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        if let Some(next) = self.load(&action) {
            return Rc::new(next);
        }
        let mut pace = self.pace;
        if let Action::Tick(ms) = action {
            if self.settings.paused || ms.is_nan() || ms <= 0.0 {
                return self;
            }
            let from = self.engine().now();
            let asked = (ms.min(MAX_TICK_MS) * 1e6) as u64;
            let reply = self.race.borrow_mut().apply(Op::RunWithin(from.saturating_add(asked), FRAME_EVENTS));
            let got = if matches!(reply, Ok(Reply::Reached(false))) {
                (self.engine().now() - from) as f64 / asked.max(1) as f64
            } else {
                1.0
            };
            pace = 0.8 * pace + 0.2 * got;
        }
        let mut next = (*self).clone();
        next.pace = pace;
        match &action {
            Action::Tick(_) => {}
            Action::StepControls(controls) => next.settings.step_controls = *controls,
            Action::Fire(n) => next.fire(*n),
            Action::Advance(seconds) => next.advance(*seconds),
            Action::Step => {
                next.settings.paused = true;
                next.fire(1);
            }
            Action::Complete(name) => next.complete(name),
            Action::Drain(_) | Action::Fail(_) | Action::Heal(_) => next.health(&action),
            Action::SetAlgos(algos) => next.set_algos(algos),
            Action::Predict(guess) => next.predict(guess),
            // Handled by `load` before this match.
            Action::LoadQuery(..) | Action::FileProblem(_) | Action::BackToLesson => {}
            Action::AddServer => next.add_server(),
            Action::RemoveServer => next.remove_server(None),
            Action::Remove(name) => next.remove_server(Some(name)),
            Action::SetScenarioField(field, value) => next.set_field(field, value),
            Action::FaultFromNow(entry) => next.fault_from_now(entry),
            Action::SetSpread(spread) => next.set_spread(*spread),
            Action::SetMode(mode) => next.set_mode(*mode),
            Action::SetSpeed(speed) => {
                if let Some(s) = Settings::clamp_speed(*speed) {
                    next.settings.speed = s;
                }
            }
            Action::TogglePause => next.settings.paused = !next.settings.paused,
            Action::Pick(name) => next.picked = name.clone(),
            Action::Reset => next.reset(),
        }
        next.rescale();
        next.version += 1;
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(state: Rc<AppState>, actions: impl IntoIterator<Item = Action>) -> Rc<AppState> {
        actions.into_iter().fold(state, |s, a| s.reduce(a))
    }

    #[test]
    fn a_loaded_link_keeps_the_readers_speed_unless_it_sets_its_own() {
        // A lesson link's speed=4 (the author's pace for a class) held for the first step only:
        // each step loads its scenario as a link, which said nothing of speed.
        let lesson = Rc::new(AppState::from_query("lesson=backoff&embed=1&speed=4"));
        let about: Rc<str> = "a step".into();
        let step = lesson.clone().reduce(Action::LoadQuery("paused=1&servers=3&rate=0".into(), about.clone()));
        assert_eq!(step.settings.speed, 4.0);
        assert!(step.settings.paused, "the rest of the link is the step's");
        let own = lesson.reduce(Action::LoadQuery("servers=3&speed=0.5".into(), about));
        assert_eq!(own.settings.speed, 0.5);
    }

    #[test]
    fn advance_runs_ahead_paused_or_not_within_a_frames_budget() {
        let state = Rc::new(AppState::from_query("servers=3&rate=20&paused=1"));
        let state = state.reduce(Action::Advance(5.0));
        assert_eq!(state.engine().now(), lbcore::time::from_secs(5.0), "paused, it still runs ahead");
        let arrived = state.engine().totals().arrived;
        assert!((60..=140).contains(&arrived), "about 100 arrivals in 5 s at 20 /s: {arrived}");
        // A million requests a second: 60 s would be 60 million events; one call does a frame's worth.
        let busy = Rc::new(AppState::from_query("servers=64&rate=1000000&paused=1")).reduce(Action::Advance(60.0));
        assert!(busy.engine().now() < lbcore::time::from_secs(60.0), "the budget stops it short");
        assert!(busy.engine().totals().arrived <= FRAME_EVENTS, "{}", busy.engine().totals().arrived);
        assert!(
            busy.explanation.as_deref().is_some_and(|e| e.starts_with("Ran 0.0")),
            "says how far it ran: {:?}",
            busy.explanation
        );
    }

    #[test]
    fn a_frame_does_a_bounded_amount_of_work_and_says_how_far_behind_it_runs() {
        // 64 servers at a billion requests a second froze the tab: a frame of 16 ms at 10x
        // asked for 160 ms of simulated time, 160 million arrivals.
        let state = Rc::new(AppState::from_query("servers=64&rate=1000000000&speed=10"));
        let state = apply(state, (0..30).map(|_| Action::Tick(16.0)));
        let arrived = state.engine().totals().arrived;
        assert!(arrived > 0 && arrived <= 30 * FRAME_EVENTS, "{arrived} arrivals in 30 frames");
        // Smoothed over frames (0.8 old, 0.2 new): after 30 frames the start weighs 0.8^30 = 0.1%.
        assert!(state.pace < 0.01, "far behind the clock: {}", state.pace);
        // At the default 20 a second it keeps up.
        let state = apply(Rc::new(AppState::from_query("")), (0..10).map(|_| Action::Tick(16.0)));
        assert_eq!(state.pace, 1.0);
    }

    #[test]
    fn a_fault_from_now_is_scheduled_at_the_clock_and_past_ones_are_dropped() {
        let state = Rc::new(AppState::from_query("servers=3&rate=20&paused=1"));
        let state = state.reduce(Action::Advance(5.0));
        let state = state.reduce(Action::FaultFromNow("server2:slow=0.2@10".into()));
        assert_eq!(state.scenario().get("faults").as_deref(), Some("server2:slow=0.2@5-15"));
        let state = state.reduce(Action::Advance(12.0));
        let state = state.reduce(Action::FaultFromNow("server1:down@3".into()));
        // the first is over at 15 s: only the new one stays, and the run goes on from 17 s
        assert_eq!(state.scenario().get("faults").as_deref(), Some("server1:down@17-20"));
        assert_eq!(state.engine().now(), lbcore::time::from_secs(17.0));
        let state = state.reduce(Action::Advance(1.0));
        assert!(state.engine().servers()[0].health != lbcore::Health::Up, "server1 is down from 17 s");
        // a length out of bounds is refused, naming the value and what is allowed
        let state = state.reduce(Action::FaultFromNow("server1:down@0".into()));
        assert_eq!(
            state.explanation.as_deref(),
            Some("Not scheduled: a fault for \"0\" seconds; allowed: above 0 up to 3600.")
        );
        assert_eq!(state.scenario().get("faults").as_deref(), Some("server1:down@17-20"));
    }

    #[test]
    fn compare_panels_see_identical_arrivals() {
        let state = Rc::new(AppState::from_query(
            "mode=compare&algos=round-robin,least-connections,power-of-two&servers=4&rate=300&spread=0&seed=9",
        ));
        assert_eq!(state.race.borrow().engines().len(), 3);
        let state = apply(state, (0..40).map(|_| Action::Tick(50.0)));
        let state = apply(state, [Action::Fail("server2".into()), Action::SetScenarioField("rate", "500".into())]);
        let state = apply(state, (0..40).map(|_| Action::Tick(50.0)));
        let first = state.engine().totals().arrived;
        assert!(first > 500, "{first}");
        for peer in &state.race.borrow().engines()[1..] {
            assert_eq!(peer.totals().arrived, first, "{}", peer.scenario().algo);
            assert_eq!(peer.scenario().rate, 500.0);
            assert!(peer.servers()[1].health != lbcore::Health::Up, "fail by name applies to every panel");
        }
        let algos = state.race.borrow().algorithms();
        assert_eq!(algos, [Algorithm::RoundRobin, Algorithm::LeastConnections, Algorithm::PowerOfTwo]);
        assert_eq!(
            state.query(),
            "servers=4&rate=500&seed=9&mode=compare&algos=round-robin,least-connections,power-of-two"
        );
    }

    #[test]
    fn changing_the_race_restarts_every_panel() {
        let state = Rc::new(AppState::from_query("mode=compare"));
        let state = apply(state, (0..10).map(|_| Action::Tick(50.0)));
        let state = state.reduce(Action::SetAlgos(vec![Algorithm::Random, Algorithm::Maglev, Algorithm::HashMod]));
        assert_eq!(state.engine().now(), 0);
        assert_eq!(state.race.borrow().algorithms(), [Algorithm::Random, Algorithm::Maglev, Algorithm::HashMod]);
        let state = state.reduce(Action::SetAlgos(vec![Algorithm::Random]));
        assert_eq!(state.settings.algos.len(), 3, "one algorithm is no race");
        let state = state.reduce(Action::SetMode(Mode::Auto));
        assert_eq!(state.race.borrow().engines().len(), 1, "a race of one out of compare mode");
    }

    #[test]
    fn a_setting_one_panel_refuses_changes_no_panel() {
        // Round robin has no ring; bounded load's would need 9000 vnodes x 3000 weight =
        // 27,000,000 points, above its 10,000,000. Before the race, the first panel took the
        // weights and the second silently kept its own, so the panels ran different pools.
        let state = Rc::new(AppState::from_query("mode=compare&algos=round-robin,bounded-load&vnodes=9000"));
        let state = state.reduce(Action::SetScenarioField("weights", "1000,1000,1000".into()));
        let text = state.explanation.clone().unwrap_or_default();
        assert!(text.starts_with("Not changed: ") && text.contains("ring points"), "{text}");
        assert!(state.race.borrow().engines().iter().all(|e| e.scenario().weights.is_empty()));
    }

    #[test]
    fn a_trip_through_manual_mode_keeps_bursty_arrivals() {
        let state = Rc::new(AppState::from_query("arrivals=bursty&rate=40"));
        let state = state.reduce(Action::SetMode(Mode::Manual));
        assert_eq!(state.engine().scenario().arrivals, Arrivals::Off);
        let state = state.reduce(Action::SetMode(Mode::Predict));
        let state = state.reduce(Action::SetMode(Mode::Auto));
        assert_eq!(state.engine().scenario().arrivals, Arrivals::Bursty);
        let state = Rc::new(AppState::from_query("mode=manual"));
        let state = state.reduce(Action::SetMode(Mode::Auto));
        assert_eq!(state.engine().scenario().arrivals, Arrivals::Poisson, "opened in manual mode");
    }

    #[test]
    fn predict_scores_right_and_wrong_guesses() {
        let state = Rc::new(AppState::from_query("mode=predict&servers=3&algo=round-robin"));
        let state = state.reduce(Action::Predict("server1".into()));
        assert_eq!(state.score, (1, 1));
        let state = state.reduce(Action::Predict("server3".into()));
        assert_eq!(state.score, (1, 2));
        let text = state.explanation.clone().unwrap_or_default();
        assert!(text.contains("Not this time") && text.contains("chose server2") && text.contains("1 of 2"), "{text}");
    }

    #[test]
    fn back_to_the_lesson_restores_the_link_the_page_opened_with() {
        // Reset keeps a changed rate; the lesson's link does not.
        let state = Rc::new(AppState::from_query("embed=1&rate=30&servers=4"));
        let state = apply(state, [Action::SetScenarioField("rate", "90".into()), Action::RemoveServer, Action::Reset]);
        assert_eq!(state.scenario().rate, 90.0, "Reset keeps the changed rate");
        let state = apply(state, [Action::Tick(500.0), Action::BackToLesson]);
        assert_eq!((state.scenario().rate, state.scenario().servers), (30.0, 4));
        assert_eq!((state.engine().now(), state.query().as_str()), (0, "servers=4&rate=30&embed=1"));
        let state = apply(state, [Action::Remove("server2".into()), Action::BackToLesson]);
        assert_eq!(state.scenario().servers, 4, "remembered across a first return");
    }

    #[test]
    fn a_named_server_can_be_removed() {
        let state = apply(Rc::new(AppState::from_query("servers=3")), [Action::Remove("server2".into())]);
        let names: Vec<String> = state.engine().servers().iter().map(|s| s.name.to_string()).collect();
        assert_eq!(names, ["server1", "server3"]);
    }

    #[test]
    fn a_server_removed_with_one_connection_says_it_in_the_singular() {
        let said = |state: &AppState| state.explanation.as_deref().unwrap_or_default().to_string();
        let state = apply(Rc::new(AppState::from_query("servers=3&mode=manual&algo=round-robin")), [Action::Fire(2)]);
        let state = apply(state, [Action::Remove("server2".into())]);
        assert_eq!(said(&state), "Removing server2: it takes nothing new and leaves once its 1 connection finishes.");
    }

    #[test]
    fn speeds_spread_linearly() {
        assert_eq!(speeds_for(3, 0.5), [1.0, 0.75, 0.5]);
        assert!(speeds_for(3, 0.0).is_empty());
        assert!(speeds_for(1, 0.5).is_empty());
        assert_eq!(speeds_for(2, 5.0), [1.0, 0.1]);
        let s = Scenario { servers: 3, speeds: speeds_for(3, 0.4), ..Scenario::default() };
        assert!((spread_of(&s) - 0.4).abs() < 1e-9);
    }

    #[test]
    fn speeds_set_by_hand_stay_until_the_spread_slider_moves() {
        // The case: `speeds=1,1,1,0.3`. Adding and removing servers keeps them.
        let state = Rc::new(AppState::from_query("servers=4&speeds=1,1,1,0.3"));
        assert!(!is_ramp(&state.scenario()));
        let state = apply(state, [Action::AddServer]);
        assert_eq!(state.scenario().speeds, [1.0, 1.0, 1.0, 0.3, 1.0], "a new server at 1x, the rest kept");
        let state = apply(state, [Action::RemoveServer, Action::Tick(60_000.0)]);
        assert_eq!(state.scenario().speeds[..4], [1.0, 1.0, 1.0, 0.3]);
        // Moving the slider replaces them with an even fall, and says what it replaced.
        let state = apply(state, [Action::SetSpread(0.3)]);
        assert_eq!(state.scenario().speeds, speeds_for(state.scenario().servers as usize, 0.3));
        let text = state.explanation.clone().unwrap_or_default();
        assert!(text.contains("fall evenly") && text.contains("the servers had (1×, 1×, 1×, 0.3×"), "{text}");
        // The servers slider keeps a ramp a ramp; an added server comes at 1x, and the slider
        // then says the speeds are uneven rather than claim an even fall.
        let state = apply(state, [Action::SetScenarioField("servers", "6".into())]);
        assert_eq!(state.scenario().speeds, speeds_for(6, 0.3));
        let state = apply(state, [Action::AddServer]);
        assert_eq!(state.scenario().speeds.last(), Some(&1.0));
        assert!(!is_ramp(&state.scenario()));
    }

    #[test]
    fn a_heal_says_when_the_balancer_sends_the_server_requests_again() {
        let said = |state: &AppState| state.explanation.as_deref().unwrap_or_default().to_string();
        // health checks every second: a failure at 0 is noticed at 1 s
        let state = Rc::new(AppState::from_query("servers=3&rate=20&paused=1"));
        let state = apply(state, [Action::Fail("server2".into()), Action::Heal("server2".into())]);
        assert_eq!(said(&state), "server2 is up again.", "healed before a check noticed: nothing to wait for");
        let state =
            apply(state, [Action::Fail("server2".into()), Action::Advance(1.5), Action::Heal("server2".into())]);
        assert_eq!(
            said(&state),
            "server2 is up again. The balancer sends it requests once a health check notices.",
            "healed after a check noticed: it waits for the next"
        );
        let state =
            apply(state, [Action::Advance(1.0), Action::Drain("server2".into()), Action::Heal("server2".into())]);
        assert_eq!(said(&state), "server2 stopped draining: it takes new requests again.", "a drain ends at once");
    }
}
