//! The app: the state from the URL, the animation clock and the URL sync, and the layout that
//! places the components. The chart is the biggest thing on the page; the metrics sit beside it,
//! the controls beside them on wide screens and below on narrow ones.

use std::rc::Rc;

use lbcore::scenario::CacheMode;
use yew::prelude::*;

use crate::components::decision_log::decision_log;
use crate::components::metrics_panel::metrics_panel;
use crate::components::pure::pure;
use crate::components::server_actions::server_actions;
use crate::components::server_panel::server_panel;
use crate::components::{
    AlgorithmPicker, BarChart, CachePanel, Controls, DecisionLog, Explanation, FailuresPanel, FireButtons,
    MetricsPanel, ModeSwitch, PanelView, Playback, RaceRow, ServerActions, ServerCallbacks, ServerPanel, TimeSeries,
};
use crate::components::{compare, param_notice, predict, scene};
use crate::format;
use crate::hooks::{use_animation_frame, use_drawn, use_url_sync};
pub use crate::lab_tools::Slot;
use crate::settings::{Control, Mode};
use crate::snapshot;
use crate::state::{Action, AppState, SAMPLE_PERIOD_NS, SAMPLES};

/// The app's inputs.
#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// The URL query the page was opened with (with or without `?`).
    #[prop_or_default]
    pub query: AttrValue,
}

/// A part drawn above the lab from the app's state and actions.
pub type Above = fn(&UseReducerHandle<AppState>, &Callback<Action>) -> Html;

/// Compare mode's panels: the panels, the shared axis maximum, what opens a server's panel.
pub type Race = fn(Rc<Vec<PanelView>>, u32, Option<Callback<Rc<str>>>) -> Html;

/// The lab's tools, drawn in a slot of the page from the app's state and actions.
pub type Tools = fn(&UseReducerHandle<AppState>, &Callback<Action>, Slot, &Drawn) -> Html;

/// What the app has already worked out for this frame, handed to the lab's tools so that
/// they do not work it out again (the link of a 64-server scenario is long).
pub use crate::hooks::use_drawn::Drawn;

/// The parts of the page that only some builds carry, each a plain function drawn from the
/// app's state and actions, so that a build that has none links none of its code: the lesson
/// player stays out of the lab's first load, and the lab's tools out of a lesson's. Each build
/// has its own component ([`App`], [`LessonApp`]) that passes its parts as constants to the
/// one page ([`page`]), so that the branches a build never takes (the lesson's layout in the
/// lab, compare mode's panels in a lesson) are left out of its wasm too.
#[derive(Clone, Copy)]
pub struct Build {
    /// Drawn above the lab: the lesson build's player ([`crate::lesson_player::view`]).
    pub above: Option<Above>,
    /// The lab's tools, in their slots: the lab build's [`crate::lab_tools::view`].
    pub tools: Option<Tools>,
    /// Compare mode's panels: the lab build's ([`compare::panels`]); without them (a lesson,
    /// which never races) a link's `mode=compare` draws the first algorithm's run alone.
    pub race: Option<Race>,
}

impl Build {
    /// The lab's build: its tools, no lesson player.
    pub const LAB: Build = Build { above: None, tools: Some(crate::lab_tools::view), race: Some(compare::panels) };

    /// The lesson build: the player above the lab, none of the lab's tools.
    pub const LESSON: Build = Build { above: Some(crate::lesson_player::view), tools: None, race: None };
}

/// Starts a build of the lab: installs the panic notice and renders its app `C` ([`App`] or
/// [`LessonApp`]) into `#app` (the page's body if there is none) with the page's query. Both
/// entry points call it: `src/main.rs` (the lab, with its tools) and `src/bin/lesson.rs` (with
/// the player).
pub fn start<C: BaseComponent<Properties = AppProps>>() {
    crate::panic::install();
    let window = web_sys::window().expect("a browser window");
    let query = window.location().search().unwrap_or_default();
    let props = AppProps { query: query.into() };
    match window.document().and_then(|d| d.get_element_by_id("app")) {
        Some(root) => {
            root.set_inner_html("");
            yew::Renderer::<C>::with_root_and_props(root, props).render();
        }
        None => {
            yew::Renderer::<C>::with_props(props).render();
        }
    }
}

/// Seconds of history the time-series charts span.
const HISTORY_S: f64 = (SAMPLE_PERIOD_NS as f64 * SAMPLES as f64) / 1e9;

/// The whole lab, as the lab's build draws it (`src/main.rs`).
#[function_component]
pub fn App(props: &AppProps) -> Html {
    page(use_page(&props.query), Build::LAB)
}

/// The lab with a guided lesson's player above it, as the lesson build draws it
/// (`src/bin/lesson.rs`).
#[function_component]
pub fn LessonApp(props: &AppProps) -> Html {
    page(use_page(&props.query), Build::LESSON)
}

/// What the page keeps between frames and hands its parts: the state and its callbacks.
struct Page {
    state: UseReducerHandle<AppState>,
    on: Callback<Action>,
    server_callbacks: ServerCallbacks,
    pick_server: Callback<Rc<str>>,
    root: NodeRef,
    over_time: UseStateHandle<bool>,
    drawn: Drawn,
    moved_away: bool,
}

/// The page's state from the URL `query` it opened with, its animation clock, its URL sync and
/// its host-page messages.
#[hook]
fn use_page(query: &AttrValue) -> Page {
    let state = {
        let query = query.clone();
        use_reducer(move || AppState::from_query(&query))
    };
    let on: Callback<Action> = {
        let dispatcher = state.dispatcher();
        (*use_memo((), move |_| Callback::from(move |a: Action| dispatcher.dispatch(a)))).clone()
    };
    let server_callbacks = {
        let on = on.clone();
        (*use_memo((), move |_| ServerCallbacks {
            complete: on.reform(Action::Complete),
            drain: on.reform(Action::Drain),
            fail: on.reform(Action::Fail),
            heal: on.reform(Action::Heal),
        }))
        .clone()
    };
    // One callback for the whole run, so that a bar whose server did not change is not drawn again.
    let pick_server = {
        let on = on.clone();
        (*use_memo((), move |_| on.reform(|name| Action::Pick(Some(name))))).clone()
    };
    let root = use_node_ref();
    let over_time = use_state_eq(|| false);
    let speed = state.settings.speed;
    let on_frame = {
        let on = on.clone();
        Callback::from(move |ms: f64| on.emit(Action::Tick(ms * speed)))
    };
    use_animation_frame(!state.settings.paused, root.clone(), on_frame);
    let drawn = use_drawn(state.engine().scenario(), &state.settings);
    use_url_sync(drawn.query.clone());
    // The link the page opened with, as the page writes it: "Back to the lesson" shows once
    // the learner has moved away from it (nothing to go back to before).
    let opened = use_memo(state.lesson.clone(), |q| AppState::from_query(q).query());
    let moved_away = drawn.query.as_str() != opened.as_str();
    crate::host::use_host(&state, &on);
    Page { state, on, server_callbacks, pick_server, root, over_time, drawn, moved_away }
}

/// The page drawn from its state, with the parts this `build` carries. Inlined into each
/// build's component, whose `build` is a constant: a build's wasm holds only the branches it
/// can take.
#[inline(always)]
fn page(page: Page, build: Build) -> Html {
    let Page { state, on, server_callbacks, pick_server, root, over_time, drawn, moved_away } = page;
    let speed = state.settings.speed;
    let settings = &state.settings;
    let tools = build.tools;
    // A build without the lab's tools shows none of them, whatever the link says.
    let shows = |c: Control| settings.shows(c) && (tools.is_some() || !c.is_lab_tool());
    // A guided lesson is laid out as an embed is, to fit its window, whether framed or not.
    let lesson = settings.lesson.is_some() && build.above.is_some();
    let embed = settings.embed || lesson;
    let manual = settings.mode.is_manual();
    let race = build.race;
    let compare = settings.mode == Mode::Compare && race.is_some();
    let predict = settings.mode == Mode::Predict;
    let engine = state.engine();
    let servers = snapshot::servers(&engine);
    let panels = compare.then(|| {
        let race = state.race.borrow();
        let rivals = race.engines()[1..].iter().map(|e| PanelView {
            algo: e.scenario().algo,
            servers: snapshot::servers(e),
            summary: Rc::new(e.summary()),
        });
        let leader =
            PanelView { algo: engine.scenario().algo, servers: servers.clone(), summary: Rc::new(engine.summary()) };
        Rc::new(std::iter::once(leader).chain(rivals).collect::<Vec<_>>())
    });
    let summary = Rc::new(engine.summary());
    let totals = (engine.totals(), engine.in_system());
    let recent = snapshot::recent(&engine, HISTORY_S);
    let decisions = snapshot::decisions(&engine);
    // With no cache the panel shows no figures: zeros, so that it is not drawn again each frame.
    let cache_on = engine.scenario().cache != CacheMode::Off;
    let hit_ratio = if cache_on { engine.cache_hit_ratio() } else { 0.0 };
    let cache_traffic = if cache_on { (summary.arrived, summary.cache_hits) } else { (0, 0) };
    let per_server_hits: Rc<Vec<(Rc<str>, f64)>> = Rc::new(if engine.scenario().cache == CacheMode::PerServer {
        engine.servers().iter().map(|s| (Rc::from(&*s.name), s.cache_hit_ratio())).collect()
    } else {
        Vec::new()
    });
    let load_note = AttrValue::from(format::offered_load(
        engine.rate_past_cache(),
        engine.serving_capacity(),
        cache_on.then_some(hit_ratio),
    ));
    let scenario = drawn.scenario.clone();
    let now_s = lbcore::time::to_secs(engine.now());
    let window_age = (engine.window_start() > 0).then(|| now_s - lbcore::time::to_secs(engine.window_start()));
    drop(engine);

    let algos_text = if compare {
        settings.algos.iter().map(|a| a.id()).collect::<Vec<_>>().join(" vs ")
    } else {
        scenario.algo.to_string()
    };
    let time = format!("{} s", lbcore::decimal::Fixed(now_s, 1));
    let clock = format!(
        "t = {time} · {} · {} servers{}",
        algos_text,
        scenario.servers,
        if predict {
            " · predict".to_string()
        } else if manual {
            " · manual".to_string()
        } else {
            format!(" · {}", format::rate(scenario.rate))
        }
    );
    let placeholder = if predict {
        "Guess which server gets the next request; the balancer's reason appears here."
    } else if manual {
        "Fire a request and the balancer's decision appears here. Complete requests by hand under each bar."
    } else {
        "Requests are flowing and the decision log explains each one. Step pauses and fires a single request, explained here."
    };
    let any_controls = [Control::Mode, Control::Algo, Control::Servers, Control::Share]
        .into_iter()
        .chain([Control::Rate, Control::Cost, Control::Dist, Control::Spread, Control::Workers, Control::Queue])
        .chain([Control::Speed, Control::Cache, Control::Failures, Control::Files])
        .any(shows);
    // Compare mode's history and log are the first panel's: said so, not left to be read as all.
    let of = compare.then(|| AttrValue::from(format!("{} (the first panel)", scenario.algo)));
    let answers = scenario.timeout.is_some();
    // A lesson's stage draws the bars or, at the learner's word, the one chart of the history the
    // bars cannot show (answers per second when clients have a timeout: throughput against
    // goodput; else connections per server), so that a frame too small for the history beside
    // the bars (under 600x600, lesson.css) still shows what happened over time.
    let over_time_shown = lesson && !manual && !compare && !predict;
    let over_time_on = over_time_shown && *over_time;
    let over_time_toggle = over_time_shown.then(|| {
        let flip = {
            let over_time = over_time.clone();
            Callback::from(move |_: MouseEvent| over_time.set(!*over_time))
        };
        html! {
            <button type="button" class="over-time" data-testid="over-time" aria-pressed={if over_time_on { "true" } else { "false" }}
                    onclick={flip}>
                { "Over time" }
            </button>
        }
    });
    // One history: in the stage while it is over time, else in its own place.
    let history = html! { <TimeSeries recent={recent} {window_age} of={of.clone()} {answers} one={over_time_on} /> };
    let (stage_history, history) = if over_time_on { (Some(history), None) } else { (None, Some(history)) };
    let log = decision_log(&DecisionLog { decisions, of });
    let pickable = shows(Control::ServerActions);
    // Bars and names open a server's panel when per-server actions show.
    let bar_pick = pickable.then_some(pick_server);
    let picked = state.picked.as_ref().filter(|_| pickable);
    let server_panel = picked.and_then(|name| servers.iter().position(|s| s.name == *name)).map(|index| {
        server_panel(&ServerPanel {
            servers: servers.clone(),
            index,
            on: on.clone(),
            actions: server_callbacks.clone(),
        })
    });
    let pick_hint = pickable.then(
        || html! { <p class="hint">{ "Click a bar or its name for that server's weight, speed and actions." }</p> },
    );
    let title = settings.title.clone().unwrap_or_else(|| "Load-balancing lab".to_string());
    let caption = settings.caption.as_ref().map(|c| html! { <p class="caption" data-testid="caption">{ c }</p> });

    let stage = html! {
        <section class="stage" aria-labelledby="stage-title" tabindex={embed.then_some("0")}>
            <div class="stage-head">
                <h2 id="stage-title">{ "Servers" }</h2>
                <p class="clock">{ clock }</p>
                // A guided lesson has its own steps; its card starts them again.
                if embed && settings.lesson.is_none() && moved_away {
                    <button type="button" class="quiet back" data-testid="back-to-lesson" onclick={on.reform(|_| Action::BackToLesson)}
                            title="The lesson's scenario and settings, as the page opened, at time zero">{ "Back to the lesson" }</button>
                }
            </div>
            <div class="actions">
                { pure(Playback { settings: settings.clone(), pace: state.pace, on: on.clone() }) }
                { for over_time_toggle }
                // A lesson's frame under 560 px tall or 600 wide hides the clock's line
                // (lesson.css): the time alone takes what the buttons leave of their row, so that
                // a step that speaks of seconds ("from 10 s to 12 s") has its clock in view.
                if lesson && !manual {
                    <p class="clock-short" data-testid="clock-short">{ time }</p>
                }
                if shows(Control::Fire) && !predict {
                    { pure(FireButtons { on: on.clone(), big: manual }) }
                }
            </div>
            if state.explanation.is_some() || [Control::Step, Control::Fire, Control::ServerActions].into_iter().any(shows) {
                { pure(Explanation { text: state.explanation.clone(), placeholder: placeholder.into() }) }
            }
            if let (Some(panels), Some(race)) = (panels, race) {
                <div class="chart-area compare">
                    { race(panels.clone(), state.axis_max, bar_pick) }
                    if shows(Control::ServerActions) {
                        <p class="hint">{ "Complete, drain, fail and heal act on the server of that name in every panel." }</p>
                        { server_actions(&ServerActions { servers, manual, on: server_callbacks.clone(), named: true }) }
                        { for pick_hint }
                    }
                    { for server_panel }
                </div>
                <div class="metrics-area">
                    { compare::table_slot(&panels.iter().map(|p| RaceRow::of(p.algo, &p.summary)).collect::<Vec<_>>(), scenario.cache != CacheMode::Off, scenario.timeout.is_some() || scenario.retries > 0 || scenario.hedge_after.is_some()) }
                </div>
            } else {
                <div class="chart-area">
                    if predict {
                        { predict::slot(&servers, state.score, &on) }
                    }
                    // Over time, the history's chart takes the bars' place (lesson.css hides them).
                    { for stage_history }
                    <BarChart servers={servers.clone()} axis_max={state.axis_max} glide={manual || settings.paused} on_pick={bar_pick}
                        race={scene::Engines(state.race.clone())} version={state.version}
                        dots={scene::one_dot_each(manual || settings.lesson.is_some(), settings.paused, scenario.rate * speed)} />
                    if shows(Control::ServerActions) {
                        { server_actions(&ServerActions { servers: servers.clone(), manual, on: server_callbacks.clone(), named: false }) }
                        { for pick_hint }
                    }
                    { for server_panel }
                    if !embed {
                        { for tools.map(|tools| tools(&state, &on, Slot::Chart, &drawn)) }
                    }
                </div>
                <div class="metrics-area">
                    { metrics_panel(&MetricsPanel {
                        summary: summary.clone(),
                        since: state.window_note().into(),
                        totals,
                        timeouts: scenario.timeout.is_some(),
                    }) }
                </div>
            }
        </section>
    };
    let aside = any_controls.then(|| {
        html! {
            <aside class="panel controls-panel" aria-label="Controls" tabindex={embed.then_some("0")}>
                if shows(Control::Mode) {
                    { pure(ModeSwitch { mode: settings.mode, on: on.clone() }) }
                }
                if shows(Control::Algo) {
                    if compare {
                        { compare::picker_slot(&settings.algos, &on) }
                    } else {
                        { pure(AlgorithmPicker { scenario: scenario.clone(), on: on.clone() }) }
                    }
                }
                { pure(Controls { scenario: scenario.clone(), settings: settings.clone(), load_note, on: on.clone() }) }
                if shows(Control::Cache) {
                    { pure(CachePanel {
                        scenario: scenario.clone(),
                        traffic: cache_traffic,
                        hit_ratio,
                        per_server: per_server_hits,
                        figures: !compare,
                        on: on.clone(),
                    }) }
                }
                if shows(Control::Failures) {
                    <FailuresPanel scenario={scenario.clone()} counts={[summary.failed, summary.retried, summary.timed_out]} on={on.clone()} />
                }
                { for tools.map(|tools| tools(&state, &on, Slot::Controls, &drawn)) }
            </aside>
        }
    });
    let more = if embed {
        html! {
            <details class="panel more">
                <summary>{ "History and decision log" }</summary>
                { for history }
                { log }
            </details>
        }
    } else {
        html! {
            <>
                <section class="panel history" aria-label="History">{ for history }</section>
                <section class="panel log">{ log }</section>
            </>
        }
    };
    let layout = classes!("layout", any_controls.then_some("with-controls"), compare.then_some("comparing"));

    html! {
        <div class={classes!("app", embed.then_some("embed"), manual.then_some("manual"))} ref={root}>
            if embed {
                <header class={classes!("embed-head", settings.title.is_none().then_some("untitled"))}>
                    <h1 data-testid="title">{ title }</h1>
                    { for caption }
                </header>
            } else {
                <header class="masthead">
                    <h1 data-testid="title">{ title }</h1>
                    { for caption }
                    <p class="tagline">{ "Watch a balancer spread requests over servers. Fire requests, fail servers, change the algorithm: the link always holds the whole experiment." }</p>
                </header>
            }
            { param_notice::slot(&state.problems) }
            if let Some(above) = lesson.then_some(build.above).flatten() {
                // A lesson: its card and the step's controls in a column beside the stage (above
                // it on a phone), so that the step's words and the bars are in view together.
                // The controls are one child whether drawn or not (an empty one when the step
                // shows none): Yew matches unkeyed children from the end, so a panel that
                // appeared between steps would otherwise replace the lesson card, which then
                // started again from its saved place (the failures lesson's step 3 went back to
                // step 1).
                <main class={classes!(layout, "lesson-layout")}>
                    <div class="side">
                        { above(&state, &on) }
                        { aside.unwrap_or_default() }
                        { more }
                    </div>
                    { stage }
                </main>
            } else {
                <main class={layout}>
                    { stage }
                    { aside.unwrap_or_default() }
                    { more }
                    { for tools.map(|tools| tools(&state, &on, Slot::End, &drawn)) }
                </main>
            }
            if !embed {
                <footer class="colophon">
                    <p>{ "Every change is in the address bar: copy it, or use Share, to hand someone this exact experiment. Keyboard: Tab moves between controls, arrow keys move sliders." }</p>
                </footer>
            }
        </div>
    }
}
