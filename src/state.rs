//! The whole app state and every change to it: [`AppState`] holds the engine and the UI
//! settings, [`Action`] lists what a user (or the animation clock) can do, and
//! [`AppState::reduce`] is the only place where either changes. It turns each action into
//! engine calls and bumps [`AppState::version`] so that Yew draws again.

use std::cell::RefCell;
use std::rc::Rc;

use lbcore::scenario::{Arrivals, Completions, CostDist, UNIFORM_MAX_CV};
use lbcore::time::{NANOS_PER_SEC, to_secs};
use lbcore::{Algorithm, Completion, Engine, Problem, Scenario};
use yew::Reducible;

use crate::scale;
use crate::settings::{MAX_COMPARE, MAX_SPEED, MIN_COMPARE, Mode, Settings, default_algos};
use crate::url;

/// Decisions the log keeps.
pub const LOG_DECISIONS: usize = 20;
/// Time between two samples of the time series.
pub const SAMPLE_PERIOD_NS: u64 = NANOS_PER_SEC / 4;
/// Samples kept: 30 seconds of history.
pub const SAMPLES: usize = 120;
/// The most servers the app lets you add (the engine takes more from a URL).
pub const MAX_UI_SERVERS: u32 = lbcore::scenario::BROWSER_MAX_SERVERS;
/// Longest simulated step one tick may take, in milliseconds (100 ms of wall time at 10x).
pub const MAX_TICK_MS: f64 = 100.0 * MAX_SPEED;
/// Widest server speed spread: the slowest server keeps a tenth of the speed.
pub const MAX_SPREAD: f64 = 0.9;

/// Everything the UI can do.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// The clock advanced by this many simulated milliseconds.
    Tick(f64),
    /// Fire this many requests now.
    Fire(u32),
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
    /// Set one scenario field from its text form, as in the URL.
    SetScenarioField(&'static str, String),
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
    /// Start again from this URL query (a preset), keeping the embed layout and controls,
    /// and say this about it.
    LoadQuery(&'static str, &'static str),
    /// Start again from this scenario (an uploaded file).
    LoadScenario(Box<Scenario>),
    /// A file could not be read as a scenario: why.
    FileProblem(String),
    /// Play or pause.
    TogglePause,
    /// Start again at time zero with the current scenario.
    Reset,
}

/// The app state: the engine plus the UI's settings.
#[derive(Clone)]
pub struct AppState {
    /// The simulator, shared by every version of the state.
    pub engine: Rc<RefCell<Engine>>,
    /// Compare mode: one more engine per algorithm after the first, fed the same traffic
    /// (same scenario and seed), moved by the same actions. Empty in the other modes.
    pub peers: Rc<RefCell<Vec<Engine>>>,
    /// Predict mode: guesses that were right, and guesses made.
    pub score: (u32, u32),
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
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.engine, &other.engine) && self.version == other.version
    }
}

/// A new engine for `scenario` with the app's log and time series switched on.
fn new_engine(scenario: Scenario) -> (Engine, Vec<Problem>) {
    let (mut engine, problems) = match Engine::new(scenario) {
        Ok(e) => (e, Vec::new()),
        Err(problems) => match Engine::new(Scenario::default()) {
            Ok(e) => (e, problems.0),
            // The default scenario is valid: lbcore's tests say so.
            Err(_) => unreachable!("the default scenario is valid"),
        },
    };
    engine.keep_decisions(LOG_DECISIONS);
    engine.enable_series(SAMPLE_PERIOD_NS, SAMPLES);
    (engine, problems)
}

/// The speed spread a scenario's speeds show: 1 minus the slowest server's speed.
pub fn spread_of(scenario: &Scenario) -> f64 {
    let slowest = (0..scenario.servers as usize).map(|i| scenario.speed(i)).fold(1.0, f64::min);
    (1.0 - slowest).clamp(0.0, MAX_SPREAD)
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
        let (engine, more) = new_engine(scenario);
        problems.extend(more);
        let mut state = AppState {
            engine: Rc::new(RefCell::new(engine)),
            peers: Rc::new(RefCell::new(Vec::new())),
            score: (0, 0),
            file_problem: None,
            settings,
            problems: Rc::new(problems),
            explanation: None,
            axis_max: scale::MIN_AXIS,
            version: 0,
            auto_arrivals: Arrivals::Poisson,
        };
        state.rebuild_peers();
        state.rescale();
        state
    }

    /// A fresh engine for each compare panel after the first, at time zero like the first.
    fn rebuild_peers(&mut self) {
        let peers: Vec<Engine> = if self.settings.mode == Mode::Compare {
            let base = self.scenario();
            self.settings.algos.iter().skip(1).map(|&algo| new_engine(Scenario { algo, ..base.clone() }).0).collect()
        } else {
            Vec::new()
        };
        self.peers = Rc::new(RefCell::new(peers));
    }

    /// Moves every peer to the first engine's scenario, each keeping its own algorithm.
    fn sync_peers(&mut self) {
        let base = self.scenario();
        for peer in self.peers.borrow_mut().iter_mut() {
            let next = Scenario { algo: peer.scenario().algo, ..base.clone() };
            if next != *peer.scenario() {
                let _ = peer.reconfigure(next);
            }
        }
    }

    /// Applies `act` to each peer's server with this name (compare mode's shared buttons).
    fn each_peer_server(&self, name: &str, mut act: impl FnMut(&mut Engine, usize)) {
        for peer in self.peers.borrow_mut().iter_mut() {
            if let Some(i) = peer.position(name) {
                act(peer, i);
            }
        }
    }

    /// The state a URL query describes.
    pub fn from_query(query: &str) -> Self {
        let parsed = url::parse(query);
        AppState::new(parsed.scenario, parsed.settings, parsed.problems)
    }

    /// The query that restores this state.
    pub fn query(&self) -> String {
        url::to_query(self.engine.borrow().scenario(), &self.settings)
    }

    /// A copy of the scenario as it stands.
    pub fn scenario(&self) -> Scenario {
        self.engine.borrow().scenario().clone()
    }

    fn rescale(&mut self) {
        let peak = self.engine.borrow().servers().iter().map(|s| s.connections()).max().unwrap_or(0);
        let peers = self.peers.borrow().iter().flat_map(|e| e.servers().iter().map(|s| s.connections())).max();
        let peak = peak.max(peers.unwrap_or(0));
        self.axis_max = scale::next_axis_max(self.axis_max, peak);
    }

    fn explain(&mut self, text: impl Into<Rc<str>>) {
        self.explanation = Some(text.into());
    }

    /// The engine position of the server with this name, or an explanation why not.
    fn position(&mut self, name: &str) -> Option<usize> {
        let found = self.engine.borrow().position(name);
        if found.is_none() {
            self.explain(format!("There is no server called {name}."));
        }
        found
    }

    fn fire(&mut self, n: u32) {
        let decisions = self.engine.borrow_mut().fire(n);
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

    fn complete(&mut self, name: &str) {
        let Some(i) = self.position(name) else { return };
        let done = self.engine.borrow_mut().complete_oldest(i);
        self.explain(match done {
            Ok(Completion::Completed { response }) => {
                format!(
                    "{name} completed its oldest request, {} after it arrived.",
                    crate::format::seconds(to_secs(response))
                )
            }
            Ok(Completion::NothingToComplete) => format!("{name} holds no request in service: nothing to complete."),
            Err(e) => e.to_string(),
        });
    }

    fn health(&mut self, name: &str, action: &Action) {
        let Some(i) = self.position(name) else { return };
        let mut engine = self.engine.borrow_mut();
        let (result, text) = match action {
            Action::Drain(_) => {
                (engine.drain(i), format!("{name} is draining: it takes no new requests and finishes what it holds."))
            }
            Action::Fail(_) => (
                engine.fail(i),
                format!(
                    "{name} failed: what it held failed, and requests sent to it fail until a health check notices."
                ),
            ),
            _ => (engine.heal(i), format!("{name} is up again.")),
        };
        drop(engine);
        self.explain(match result {
            Ok(()) => text,
            Err(e) => e.to_string(),
        });
    }

    fn staying(&self) -> Vec<usize> {
        let engine = self.engine.borrow();
        (0..engine.servers().len()).filter(|&i| !engine.servers()[i].removing).collect()
    }

    fn add_server(&mut self) {
        if self.staying().len() >= MAX_UI_SERVERS as usize {
            self.explain(format!("The lab holds at most {MAX_UI_SERVERS} servers."));
            return;
        }
        let mut engine = self.engine.borrow_mut();
        let i = engine.add_server();
        let name = engine.servers()[i].name.to_string();
        drop(engine);
        self.explain(format!("Added {name}."));
    }

    fn remove_server(&mut self) {
        let staying = self.staying();
        let (Some(&last), true) = (staying.last(), staying.len() > 1) else {
            self.explain("At least one server stays.");
            return;
        };
        let mut engine = self.engine.borrow_mut();
        let name = engine.servers()[last].name.to_string();
        let held = engine.servers()[last].connections();
        let result = engine.remove_server(last);
        drop(engine);
        self.explain(match (result, held) {
            (Err(e), _) => e.to_string(),
            (Ok(()), 0) => format!("Removed {name}."),
            (Ok(()), n) => format!("Removing {name}: it takes nothing new and leaves once its {n} connections finish."),
        });
    }

    /// Applies `change` to a copy of the scenario and moves the engine to it.
    fn reconfigure(&mut self, change: impl FnOnce(&mut Scenario) -> Result<(), Problem>) {
        let mut next = self.scenario();
        let result = change(&mut next)
            .map_err(|p| p.to_string())
            .and_then(|()| self.engine.borrow_mut().reconfigure(next).map_err(|p| p.to_string()));
        if let Err(e) = result {
            self.explain(format!("Not changed: {e}."));
        }
    }

    fn set_field(&mut self, field: &str, value: &str) {
        self.reconfigure(|next| {
            let spread = spread_of(next);
            next.set(field, value)?;
            match field {
                "servers" => {
                    let n = next.servers as usize;
                    next.names.truncate(n);
                    next.weights.truncate(n);
                    next.speeds = if spread > 0.0 { speeds_for(n, spread) } else { Vec::new() };
                }
                "dist" => match next.dist {
                    CostDist::Uniform if next.cv > UNIFORM_MAX_CV => next.cv = 0.5,
                    CostDist::Lognormal | CostDist::Pareto if next.cv <= 0.0 => next.cv = 1.0,
                    _ => {}
                },
                _ => {}
            }
            Ok(())
        });
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
            match mode {
                Mode::Manual | Mode::Predict => {
                    next.arrivals = Arrivals::Off;
                    next.completions = Completions::Manual;
                }
                Mode::Auto | Mode::Compare => {
                    if next.arrivals == Arrivals::Off {
                        next.arrivals = restore;
                    }
                    next.completions = Completions::Auto;
                }
            }
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
            self.peers = Rc::new(RefCell::new(Vec::new()));
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
        let decisions = self.engine.borrow_mut().fire(1);
        let Some(d) = decisions.last() else { return };
        let right = d.chosen_name() == Some(guess);
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
            settings
        };
        let mut next = match action {
            Action::LoadQuery(query, about) => {
                let parsed = url::parse(query);
                let mut next = AppState::new(parsed.scenario, keep(parsed.settings), parsed.problems);
                next.explain(*about);
                next
            }
            Action::LoadScenario(scenario) => {
                let manual = scenario.arrivals == Arrivals::Off && scenario.completions == Completions::Manual;
                let mode = if manual { Mode::Manual } else { Mode::Auto };
                let settings = keep(Settings { mode, ..Settings::default() });
                let mut next = AppState::new((**scenario).clone(), settings, Vec::new());
                next.explain(format!("Loaded the scenario file: {}, {} servers.", scenario.algo, scenario.servers));
                next
            }
            Action::FileProblem(why) => {
                let mut next = self.clone();
                next.file_problem = Some(why.as_str().into());
                next
            }
            _ => return None,
        };
        next.version = self.version + 1;
        Some(next)
    }

    /// Every engine back to time zero with the current scenario (no explanation).
    fn restart(&mut self) {
        let (engine, _) = new_engine(self.scenario());
        self.engine = Rc::new(RefCell::new(engine));
        self.rebuild_peers();
        self.axis_max = scale::MIN_AXIS;
    }

    fn reset(&mut self) {
        let (engine, problems) = new_engine(self.scenario());
        self.engine = Rc::new(RefCell::new(engine));
        if !problems.is_empty() {
            let mut all = (*self.problems).clone();
            all.extend(problems);
            self.problems = Rc::new(all);
        }
        self.axis_max = scale::MIN_AXIS;
        self.rebuild_peers();
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
        if let Action::Tick(ms) = action {
            if self.settings.paused || ms.is_nan() || ms <= 0.0 {
                return self;
            }
            let mut engine = self.engine.borrow_mut();
            let t = engine.now().saturating_add((ms.min(MAX_TICK_MS) * 1e6) as u64);
            engine.run_until(t);
            for peer in self.peers.borrow_mut().iter_mut() {
                peer.run_until(t);
            }
        }
        let mut next = (*self).clone();
        match &action {
            Action::Tick(_) => {}
            Action::Fire(n) => {
                next.fire(*n);
                next.peers.borrow_mut().iter_mut().for_each(|p| drop(p.fire(*n)));
            }
            Action::Step => {
                next.settings.paused = true;
                next.fire(1);
                next.peers.borrow_mut().iter_mut().for_each(|p| drop(p.fire(1)));
            }
            Action::Complete(name) => {
                next.complete(name);
                next.each_peer_server(name, |p, i| drop(p.complete_oldest(i)));
            }
            Action::Drain(name) | Action::Fail(name) | Action::Heal(name) => {
                next.health(name, &action);
                next.each_peer_server(name, |p, i| {
                    let _ = match &action {
                        Action::Drain(_) => p.drain(i),
                        Action::Fail(_) => p.fail(i),
                        _ => p.heal(i),
                    };
                });
            }
            Action::SetAlgos(algos) => next.set_algos(algos),
            Action::Predict(guess) => next.predict(guess),
            // Handled by `load` before this match.
            Action::LoadQuery(..) | Action::LoadScenario(_) | Action::FileProblem(_) => {}
            Action::AddServer => next.add_server(),
            Action::RemoveServer => next.remove_server(),
            Action::SetScenarioField(field, value) => next.set_field(field, value),
            Action::SetSpread(spread) => next.reconfigure(|s| {
                s.speeds = speeds_for(s.servers as usize, *spread);
                Ok(())
            }),
            Action::SetMode(mode) => next.set_mode(*mode),
            Action::SetSpeed(speed) => {
                if let Some(s) = Settings::clamp_speed(*speed) {
                    next.settings.speed = s;
                }
            }
            Action::TogglePause => next.settings.paused = !next.settings.paused,
            Action::Reset => next.reset(),
        }
        if matches!(
            action,
            Action::AddServer
                | Action::RemoveServer
                | Action::SetScenarioField(..)
                | Action::SetSpread(_)
                | Action::SetMode(_)
        ) {
            next.sync_peers();
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
    fn compare_panels_see_identical_arrivals() {
        let state = Rc::new(AppState::from_query(
            "mode=compare&algos=round-robin,least-connections,power-of-two&servers=4&rate=300&spread=0&seed=9",
        ));
        assert_eq!(state.peers.borrow().len(), 2);
        let state = apply(state, (0..40).map(|_| Action::Tick(50.0)));
        let state = apply(state, [Action::Fail("server2".into()), Action::SetScenarioField("rate", "500".into())]);
        let state = apply(state, (0..40).map(|_| Action::Tick(50.0)));
        let first = state.engine.borrow().totals().arrived;
        assert!(first > 500, "{first}");
        for peer in state.peers.borrow().iter() {
            assert_eq!(peer.totals().arrived, first, "{}", peer.scenario().algo);
            assert_eq!(peer.scenario().rate, 500.0);
            assert!(peer.servers()[1].health != lbcore::Health::Up, "fail by name applies to every panel");
        }
        let algos: Vec<Algorithm> = state.peers.borrow().iter().map(|p| p.scenario().algo).collect();
        assert_eq!(algos, [Algorithm::LeastConnections, Algorithm::PowerOfTwo]);
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
        assert_eq!(state.engine.borrow().now(), 0);
        assert_eq!(state.peers.borrow().len(), 2);
        assert_eq!(state.engine.borrow().scenario().algo, Algorithm::Random);
        let state = state.reduce(Action::SetAlgos(vec![Algorithm::Random]));
        assert_eq!(state.settings.algos.len(), 3, "one algorithm is no race");
        let state = state.reduce(Action::SetMode(Mode::Auto));
        assert!(state.peers.borrow().is_empty());
    }

    #[test]
    fn a_trip_through_manual_mode_keeps_bursty_arrivals() {
        let state = Rc::new(AppState::from_query("arrivals=bursty&rate=40"));
        let state = state.reduce(Action::SetMode(Mode::Manual));
        assert_eq!(state.engine.borrow().scenario().arrivals, Arrivals::Off);
        let state = state.reduce(Action::SetMode(Mode::Predict));
        let state = state.reduce(Action::SetMode(Mode::Auto));
        assert_eq!(state.engine.borrow().scenario().arrivals, Arrivals::Bursty);
        let state = Rc::new(AppState::from_query("mode=manual"));
        let state = state.reduce(Action::SetMode(Mode::Auto));
        assert_eq!(state.engine.borrow().scenario().arrivals, Arrivals::Poisson, "opened in manual mode");
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
    fn speeds_spread_linearly() {
        assert_eq!(speeds_for(3, 0.5), [1.0, 0.75, 0.5]);
        assert!(speeds_for(3, 0.0).is_empty());
        assert!(speeds_for(1, 0.5).is_empty());
        assert_eq!(speeds_for(2, 5.0), [1.0, 0.1]);
        let s = Scenario { servers: 3, speeds: speeds_for(3, 0.4), ..Scenario::default() };
        assert!((spread_of(&s) - 0.4).abs() < 1e-9);
    }
}
