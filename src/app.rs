//! The app: the state from the URL, the animation clock and the URL sync, and the layout that
//! places the components. The chart is the biggest thing on the page; the metrics sit beside it,
//! the controls beside them on wide screens and below on narrow ones.

use std::rc::Rc;

use lbcore::scenario::CacheMode;
use yew::prelude::*;

use crate::components::{
    AlgorithmCard, AlgorithmPicker, AlgosPicker, BarChart, CachePanel, ComparePanels, CompareTable, Controls,
    DecisionLog, ExperimentsSlot, Explanation, FailuresPanel, FilesPanel, FireButtons, HashingSlot, MetricsPanel,
    ModeSwitch, PanelView, ParamNotice, Playback, Predict, ServerActions, ServerCallbacks, ServerPanel, ShareButton,
    TimeSeries,
};
use crate::components::{hashing_slot, scene};
use crate::export;
use crate::format;
use crate::hooks::{use_animation_frame, use_url_sync};
use crate::settings::{Control, Mode};
use crate::snapshot;
use crate::state::{Action, AppState, SAMPLE_PERIOD_NS, SAMPLES};

/// The app's inputs.
#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// The URL query the page was opened with (with or without `?`).
    #[prop_or_default]
    pub query: AttrValue,
    /// What this build adds above the lab: the lesson build's player (`src/bin/lesson.rs`).
    #[prop_or_default]
    pub extra: Option<Extra>,
}

/// A part of the lab that only some builds carry, drawn above the lab from the app's state
/// and actions. A plain function, so that a build that passes none links none of its code:
/// the lesson player stays out of the lab's first load.
#[derive(Clone, Copy)]
pub struct Extra(pub fn(&UseReducerHandle<AppState>, &Callback<Action>) -> Html);

impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::fn_addr_eq(self.0, other.0)
    }
}

/// Starts a build of the lab: installs the panic notice and renders the app into `#app` (the
/// page's body if there is none) with the page's query and what this build adds (`extra`).
/// Both entry points call it: `src/main.rs` (the lab) and `src/bin/lesson.rs` (with the player).
pub fn start(extra: Option<Extra>) {
    crate::panic::install();
    let window = web_sys::window().expect("a browser window");
    let query = window.location().search().unwrap_or_default();
    let props = AppProps { query: query.into(), extra };
    match window.document().and_then(|d| d.get_element_by_id("app")) {
        Some(root) => {
            root.set_inner_html("");
            yew::Renderer::<App>::with_root_and_props(root, props).render();
        }
        None => {
            yew::Renderer::<App>::with_props(props).render();
        }
    }
}

/// Seconds of history the time-series charts span.
const HISTORY_S: f64 = (SAMPLE_PERIOD_NS as f64 * SAMPLES as f64) / 1e9;

/// The whole lab.
#[function_component]
pub fn App(props: &AppProps) -> Html {
    let state = {
        let query = props.query.clone();
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
    let speed = state.settings.speed;
    let on_frame = {
        let on = on.clone();
        Callback::from(move |ms: f64| on.emit(Action::Tick(ms * speed)))
    };
    use_animation_frame(!state.settings.paused, root.clone(), on_frame);
    let query = state.query();
    use_url_sync(query.clone());
    crate::host::use_host(&state, &on);

    let settings = &state.settings;
    let shows = |c| settings.shows(c);
    let embed = settings.embed;
    let manual = settings.mode.is_manual();
    let compare = settings.mode == Mode::Compare;
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
    let last_decision = engine.decisions().back().map(|d| d.decision.clone());
    let hit_ratio = engine.cache_hit_ratio();
    let per_server_hits: Rc<Vec<(Rc<str>, f64)>> = Rc::new(if engine.scenario().cache == CacheMode::PerServer {
        engine.servers().iter().map(|s| (Rc::from(&*s.name), s.cache_hit_ratio())).collect()
    } else {
        Vec::new()
    });
    let load_note = AttrValue::from(format::offered_load(
        engine.rate_past_cache(),
        engine.serving_capacity(),
        (engine.scenario().cache != CacheMode::Off).then_some(hit_ratio),
    ));
    let scenario = Rc::new(engine.scenario().clone());
    let now_s = lbcore::time::to_secs(engine.now());
    let window_age = (engine.window_start() > 0).then(|| now_s - lbcore::time::to_secs(engine.window_start()));
    drop(engine);
    let hashing = use_memo(
        (scenario.algo, scenario.params(), scenario.servers, state.pool_change),
        |(algo, params, servers, change)| {
            AttrValue::from(hashing_slot::hashing_query(*algo, params, *servers, *change))
        },
    );

    let algos_text = if compare {
        settings.algos.iter().map(|a| a.id()).collect::<Vec<_>>().join(" vs ")
    } else {
        scenario.algo.to_string()
    };
    let clock = format!(
        "t = {} s · {} · {} servers{}",
        lbcore::decimal::Fixed(now_s, 1),
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
    let on_csv = {
        let state = state.clone();
        Callback::from(move |()| {
            let all: Vec<_> = state.race.borrow().engines().iter().map(lbcore::Engine::summary).collect();
            export::download("lbviz-metrics.csv", "text/csv", &export::metrics_csv(&all));
        })
    };
    // Compare mode's history and log are the first panel's: said so, not left to be read as all.
    let of = compare.then(|| AttrValue::from(format!("{} (the first panel)", scenario.algo)));
    let history = html! { <TimeSeries recent={recent} {window_age} of={of.clone()} /> };
    let log = html! { <DecisionLog decisions={decisions} {of} /> };
    let pickable = shows(Control::ServerActions);
    // Bars and names open a server's panel when per-server actions show.
    let bar_pick = pickable.then_some(pick_server);
    let picked = state.picked.as_ref().filter(|_| pickable);
    let server_panel = picked.and_then(|name| servers.iter().position(|s| s.name == *name)).map(|index| {
        html! { <ServerPanel servers={servers.clone()} {index} on={on.clone()} actions={server_callbacks.clone()} /> }
    });
    let pick_hint = pickable.then(
        || html! { <p class="hint">{ "Click a bar or its name for that server's weight, speed and actions." }</p> },
    );
    let title = settings.title.clone().unwrap_or_else(|| "Load-balancing lab".to_string());
    let caption = settings.caption.as_ref().map(|c| html! { <p class="caption" data-testid="caption">{ c }</p> });

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
            <ParamNotice problems={state.problems.clone()} />
            { for props.extra.map(|extra| (extra.0)(&state, &on)) }
            <main class={classes!("layout", any_controls.then_some("with-controls"), compare.then_some("comparing"))}>
                <section class="stage" aria-labelledby="stage-title" tabindex={embed.then_some("0")}>
                    <div class="stage-head">
                        <h2 id="stage-title">{ "Servers" }</h2>
                        <p class="clock">{ clock }</p>
                        // A guided lesson has its own steps; its card starts them again.
                        if embed && settings.lesson.is_none() {
                            <button type="button" class="quiet back" data-testid="back-to-lesson" onclick={on.reform(|_| Action::BackToLesson)}
                                    title="The lesson's scenario and settings, as the page opened, at time zero">{ "Back to the lesson" }</button>
                        }
                    </div>
                    <div class="actions">
                        <Playback settings={settings.clone()} pace={state.pace} on={on.clone()} />
                        if shows(Control::Fire) && !predict {
                            <FireButtons on={on.clone()} big={manual} />
                        }
                    </div>
                    if state.explanation.is_some() || [Control::Step, Control::Fire, Control::ServerActions].into_iter().any(shows) {
                        <Explanation text={state.explanation.clone()} placeholder={placeholder} />
                    }
                    if let Some(panels) = panels {
                        <div class="chart-area compare">
                            <ComparePanels panels={panels.clone()} axis_max={state.axis_max} on_pick={bar_pick} />
                            if shows(Control::ServerActions) {
                                <p class="hint">{ "Complete, drain, fail and heal act on the server of that name in every panel." }</p>
                                <ServerActions servers={servers} manual={manual} on={server_callbacks.clone()} named=true />
                                { for pick_hint }
                            }
                            { for server_panel }
                        </div>
                        <div class="metrics-area">
                            <CompareTable panels={panels} cache={scenario.cache != CacheMode::Off} />
                        </div>
                    } else {
                        <div class="chart-area">
                            if predict {
                                <Predict servers={servers.clone()} score={state.score} on={on.clone()} />
                            }
                            <BarChart servers={servers.clone()} axis_max={state.axis_max} glide={manual || settings.paused} on_pick={bar_pick}
                                race={scene::Engines(state.race.clone())} version={state.version}
                                dots={scene::one_dot_each(manual || settings.lesson.is_some(), settings.paused, scenario.rate * speed)} />
                            if shows(Control::ServerActions) {
                                <ServerActions servers={servers.clone()} manual={manual} on={server_callbacks.clone()} />
                                { for pick_hint }
                            }
                            { for server_panel }
                            if !embed {
                                <AlgorithmCard algo={scenario.algo} last={last_decision} />
                            }
                            if !embed && scenario.algo.uses_key() {
                                <HashingSlot query={(*hashing).clone()} />
                            }
                        </div>
                        <div class="metrics-area">
                            <MetricsPanel summary={summary.clone()} since={AttrValue::from(state.window_note())} totals={totals} />
                        </div>
                    }
                </section>
                if any_controls {
                    <aside class="panel controls-panel" aria-label="Controls" tabindex={embed.then_some("0")}>
                        if shows(Control::Mode) {
                            <ModeSwitch mode={settings.mode} on={on.clone()} />
                        }
                        if shows(Control::Algo) {
                            if compare {
                                <AlgosPicker algos={settings.algos.clone()} on={on.clone()} />
                            } else {
                                <AlgorithmPicker scenario={scenario.clone()} on={on.clone()} />
                            }
                        }
                        <Controls scenario={scenario.clone()} settings={settings.clone()} {load_note} on={on.clone()} />
                        if shows(Control::Cache) {
                            <CachePanel scenario={scenario.clone()} summary={summary.clone()} hit_ratio={hit_ratio}
                                per_server={per_server_hits} figures={!compare} on={on.clone()} />
                        }
                        if shows(Control::Failures) {
                            <FailuresPanel scenario={scenario.clone()} summary={summary.clone()} on={on.clone()} />
                        }
                        if shows(Control::Files) {
                            <FilesPanel scenario={scenario.clone()} query={AttrValue::from(query.clone())}
                                file_problem={state.file_problem.clone()} on_csv={on_csv} on={on.clone()} />
                        }
                        if shows(Control::Share) {
                            <ShareButton query={AttrValue::from(query.clone())} />
                        }
                    </aside>
                }
                if embed {
                    <details class="panel more">
                        <summary>{ "History and decision log" }</summary>
                        { history }
                        { log }
                    </details>
                } else {
                    <section class="panel history" aria-label="History">{ history }</section>
                    <section class="panel log">{ log }</section>
                }
                if shows(Control::Experiments) {
                    <ExperimentsSlot query={AttrValue::from(query.clone())} />
                }
            </main>
            if !embed {
                <footer class="colophon">
                    <p>{ "Every change is in the address bar: copy it, or use Share, to hand someone this exact experiment. Keyboard: Tab moves between controls, arrow keys move sliders." }</p>
                </footer>
            }
        </div>
    }
}
