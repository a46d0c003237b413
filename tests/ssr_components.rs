//! Component tests rendered natively with Yew's server-side renderer: the bar chart's bars and
//! their data attributes and heights, the notice for bad URL parameters, `controls=`, and the
//! words that name a down or draining server. Native only (the wasm tests are tests/wasm_*.rs).

#![cfg(not(target_arch = "wasm32"))]

use std::rc::Rc;

use lbcore::{Algorithm, Engine};
use lbviz::App;
use lbviz::app::AppProps;
use lbviz::components::BarChart;
use lbviz::components::bar_chart::{BarChartProps, PLOT_H};
use lbviz::components::hashing_slot::{hashing_props, hashing_query};
use lbviz::components::hashing_view::HashingView;
use lbviz::components::param_notice::{ParamNotice, ParamNoticeProps, texts};
use lbviz::snapshot;
use lbviz::url;
use yew::{BaseComponent, Html, Properties, ServerRenderer, function_component};

/// Renders `C` with the props `make` builds (on the renderer's thread), without hydration marks.
async fn render<C: BaseComponent>(make: impl FnOnce() -> C::Properties + Send + 'static) -> String {
    ServerRenderer::<C>::with_props(make).hydratable(false).render().await
}

/// What `draw` draws, rendered as a component's view is: for the views that are plain
/// functions or [`lbviz::components::pure::View`]s, not components of their own.
async fn render_view(draw: impl Fn() -> Html + Send + 'static) -> String {
    render::<Drawing>(move || DrawingProps { draw: Rc::new(draw) }).await
}

#[derive(Properties)]
struct DrawingProps {
    draw: Rc<dyn Fn() -> Html>,
}

impl PartialEq for DrawingProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.draw, &other.draw)
    }
}

#[function_component]
fn Drawing(props: &DrawingProps) -> Html {
    (props.draw)()
}

/// The bar chart's inputs for `servers`: an axis of 5, no glide, no picking, no scene.
fn bars(servers: Rc<Vec<lbviz::snapshot::ServerView>>) -> BarChartProps {
    BarChartProps { servers, axis_max: 5, glide: false, on_pick: None, race: None, version: 0, dots: false }
}

/// A manual-mode engine with three servers after `fires` round-robin requests.
fn manual_engine(fires: u32) -> Engine {
    let parsed = url::parse("mode=manual&servers=3&algo=round-robin");
    let mut engine = Engine::new(parsed.scenario).expect("a valid scenario");
    engine.fire(fires);
    engine
}

/// The markup of the `server-bar` group for `name`.
fn bar<'a>(html: &'a str, name: &str) -> &'a str {
    let start = html.find(&format!("data-server=\"{name}\"")).unwrap_or_else(|| panic!("no bar for {name}: {html}"));
    let tag_start = html[..start].rfind("<g").expect("the bar's <g>");
    let end = html[start..].find("</g>").expect("the bar's </g>") + start;
    &html[tag_start..end]
}

fn count(html: &str, needle: &str) -> usize {
    html.matches(needle).count()
}

#[tokio::test]
async fn bar_chart_draws_one_bar_per_server_with_data_and_heights() {
    let html = render::<BarChart>(|| {
        let engine = manual_engine(10);
        bars(snapshot::servers(&engine))
    })
    .await;
    assert_eq!(count(&html, "data-testid=\"server-bar\""), 3, "{html}");
    let unit = PLOT_H / 5.0;
    for (name, connections) in [("server1", 4), ("server2", 3), ("server3", 3)] {
        let g = bar(&html, name);
        assert!(g.contains(&format!("data-connections=\"{connections}\"")), "{g}");
        assert!(g.contains("data-in-service=\"1\""), "one worker serves one request: {g}");
        assert!(g.contains(&format!("data-waiting=\"{}\"", connections - 1)), "{g}");
        let service_h = unit;
        let waiting_h = unit * (connections - 1) as f64;
        assert!(g.contains("class=\"in-service\""), "{g}");
        assert!(g.contains(&format!("height=\"{service_h}\"")), "in-service height {service_h}: {g}");
        assert!(g.contains(&format!("height=\"{waiting_h}\"")), "waiting height {waiting_h}: {g}");
        assert!(g.contains(&format!("y=\"{}\"", PLOT_H - service_h - waiting_h)), "the bar's top: {g}");
    }
}

#[tokio::test]
async fn bar_heights_follow_the_axis() {
    let html = render::<BarChart>(|| {
        let engine = manual_engine(10);
        BarChartProps {
            servers: snapshot::servers(&engine),
            axis_max: 10,
            glide: false,
            on_pick: None,
            race: None,
            version: 0,
            dots: false,
        }
    })
    .await;
    let g = bar(&html, "server1");
    assert!(g.contains(&format!("height=\"{}\"", PLOT_H * 3.0 / 10.0)), "3 waiting of 10: {g}");
}

#[tokio::test]
async fn down_and_draining_servers_are_named_in_words() {
    let chart = |noticed: bool| {
        render::<BarChart>(move || {
            let mut engine = manual_engine(6);
            engine.fail(1).expect("server2 exists");
            engine.drain(2).expect("server3 exists");
            if noticed {
                // the health check every second (the default interval) notices it at 1 s
                engine.run_until(lbcore::time::from_secs(1.5));
            }
            bars(snapshot::servers(&engine))
        })
    };
    let html = chart(false).await;
    let down = bar(&html, "server2");
    assert!(down.contains("data-connections=\"0\""), "a down server holds nothing: {down}");
    assert!(down.contains("<title>") && down.contains(", failed, not yet noticed,"), "{down}");
    assert!(bar(&html, "server3").contains(", draining,"), "{html}");
    assert!(html.contains(">failed, not yet noticed</span>"), "a visible label says so: {html}");
    assert!(html.contains(">draining</span>"), "a visible label says draining: {html}");
    assert!(!bar(&html, "server1").contains("down"), "server1 is up");
    let html = chart(true).await;
    assert!(html.contains(">down, noticed at 1.0 s</span>"), "once a health check noticed: {html}");
    assert!(bar(&html, "server2").contains("data-noticed=\"1\""), "{html}");
}

#[tokio::test]
async fn a_down_server_is_drawn_as_what_it_holds_over_a_dashed_foot() {
    let html = render::<BarChart>(|| {
        let mut engine = manual_engine(6);
        engine.fail(1).expect("server2 exists");
        bars(snapshot::servers(&engine))
    })
    .await;
    let down = bar(&html, "server2");
    // It holds nothing (its requests failed with it): no part of its bar is taller than 0,
    // where a full-height hatched box used to stand over the number 0.
    assert!(down.contains("data-connections=\"0\""), "{down}");
    assert_eq!(count(down, "height=\"0\""), 3, "in service, waiting and erring all 0 high: {down}");
    assert!(!down.contains(&format!("height=\"{PLOT_H}\"")), "no full-height box: {down}");
    assert!(down.contains("class=\"down-mark\""), "a dashed foot marks it down: {down}");
    assert!(!bar(&html, "server1").contains("down-mark"), "server1 is up");
}

#[tokio::test]
async fn an_erring_server_s_bar_draws_its_errors_on_their_way_above_the_rest() {
    let chart = |faults: &'static str| {
        render::<BarChart>(move || {
            let query = format!("mode=manual&servers=3&algo=round-robin&error-latency=1{faults}");
            let mut engine = Engine::new(url::parse(&query).scenario).expect("a valid scenario");
            engine.fire(6); // two to each server; server1's two err, their errors a second away
            bars(snapshot::servers(&engine))
        })
    };
    let html = chart("&faults=server1:errors=1@0-100").await;
    let erring = bar(&html, "server1");
    assert!(erring.contains("data-connections=\"2\""), "{erring}");
    assert!(erring.contains("data-erring=\"2\""), "{erring}");
    // two connections of five over 400 units: 160 high, from 240 to the foot
    assert!(erring.contains("y=\"240\" height=\"160\" class=\"erring\""), "{erring}");
    assert!(erring.contains("(0 in service, 0 waiting, 2 answering with an error)"), "{erring}");
    assert!(bar(&html, "server2").contains("data-erring=\"0\""), "{html}");
    assert!(html.contains("key erring"), "the legend names it while a server has one: {html}");
    let html = chart("").await;
    assert!(!html.contains("key erring"), "and not otherwise: {html}");
}

#[tokio::test]
async fn the_balancer_is_drawn_only_over_the_app_s_own_chart() {
    let chart = |with_engines: bool| {
        render::<BarChart>(move || {
            let race = lbcore::Race::new(&url::parse("mode=manual&servers=3").scenario, &[Algorithm::RoundRobin])
                .expect("a valid scenario");
            let engines = lbviz::components::scene::Engines(Rc::new(std::cell::RefCell::new(race)));
            let servers = snapshot::servers(engines.0.borrow().leader());
            BarChartProps {
                servers,
                axis_max: 5,
                glide: false,
                on_pick: None,
                race: with_engines.then_some(engines),
                version: 0,
                dots: true,
            }
        })
    };
    let html = chart(true).await;
    assert!(html.contains("plot with-scene"), "the balancer's band: {html}");
    assert!(html.contains("class=\"trips\""), "the dots' layer: {html}");
    let html = chart(false).await;
    assert!(!html.contains("with-scene") && !html.contains("trips"), "compare mode's panels go without: {html}");
}

#[tokio::test]
async fn a_server_healed_after_its_failure_was_noticed_says_so_until_a_check_sees_it_up() {
    // server2 fails at 0, the check at 1 s notices, it heals at 1.5 s, the check at 2 s sees it up
    let chart = |until: f64| {
        render::<BarChart>(move || {
            let mut engine = manual_engine(3);
            engine.fail(1).expect("server2 exists");
            engine.run_until(lbcore::time::from_secs(1.5));
            engine.heal(1).expect("server2 exists");
            engine.run_until(lbcore::time::from_secs(until));
            bars(snapshot::servers(&engine))
        })
    };
    let html = chart(1.5).await;
    assert!(html.contains(">healed, not yet noticed</span>"), "the balancer still sees it down: {html}");
    assert!(bar(&html, "server2").contains(", healed, not yet noticed,"), "{html}");
    let html = chart(2.5).await;
    assert!(!html.contains("noticed"), "a check saw it up: it reads as any server that is up: {html}");
}

#[tokio::test]
async fn param_notice_lists_each_problem() {
    let html = render::<ParamNotice>(|| {
        let parsed = url::parse("rate=abc&servers=0&algo=nope&speed=zz&mode=zzz");
        ParamNoticeProps { texts: texts(&parsed.problems).into() }
    })
    .await;
    assert!(html.contains("data-testid=\"param-warning\""), "{html}");
    assert_eq!(count(&html, "<li>"), 5, "{html}");
    for field in ["rate", "servers", "algo", "speed", "mode"] {
        assert!(html.contains(&format!("<code>{field}</code>")), "names {field}: {html}");
    }
    assert!(html.contains("not a number"), "says why: {html}");
    assert!(html.contains("allowed: auto, manual"), "says what is allowed: {html}");
}

#[tokio::test]
async fn param_notice_is_absent_for_a_good_url() {
    let html = render::<ParamNotice>(|| ParamNoticeProps { texts: texts(&url::parse("rate=5").problems).into() }).await;
    assert!(!html.contains("param-warning"), "{html}");
}

#[tokio::test]
async fn controls_show_only_what_controls_names() {
    let html = render::<App>(|| AppProps { query: "embed=1&controls=rate,algo".into() }).await;
    for shown in ["rate", "algo"] {
        assert!(html.contains(&format!("data-testid=\"{shown}\"")), "{shown} shows: {html}");
    }
    for hidden in ["servers", "add-server", "speed", "play-pause", "step", "fire", "share", "complete-server1"] {
        assert!(!html.contains(&format!("data-testid=\"{hidden}\"")), "{hidden} is hidden");
    }
    assert_eq!(count(&html, "data-testid=\"server-bar\""), 3, "the chart always shows");
    assert!(!html.contains("data-testid=\"experiments\""), "the Experiments view is a control like the others");
}

#[tokio::test]
async fn every_control_shows_without_controls() {
    let html = render::<App>(|| AppProps { query: "".into() }).await;
    for id in [
        "rate",
        "algo",
        "servers",
        "add-server",
        "remove-server",
        "speed",
        "play-pause",
        "step",
        "reset",
        "fire",
        "fire-burst",
        "share",
        "complete-server1",
        "drain-server1",
        "fail-server1",
        "metric-arrived",
        "metric-completed",
        "metric-rejected",
        "metric-failed",
        "metric-p95",
        "experiments",
    ] {
        assert!(html.contains(&format!("data-testid=\"{id}\"")), "{id} shows");
    }
    assert!(!html.contains("param-warning"));
}

#[tokio::test]
async fn app_reads_the_scenario_from_the_query() {
    let html = render::<App>(|| AppProps { query: "?servers=5&algo=maglev&rate=oops".into() }).await;
    assert_eq!(count(&html, "data-testid=\"server-bar\""), 5, "{html}");
    // (the on-demand bundle draws the notice into its slot)
    assert!(html.contains("data-testid=\"param-slot\""), "rate=oops is reported");
    assert!(html.contains(lbcore::Algorithm::Maglev.describe()), "the picker describes maglev");
    assert!(html.contains("id=\"table-size\""), "maglev's parameter shows");
}

#[tokio::test]
async fn compare_mode_draws_a_panel_and_a_table_row_per_algorithm() {
    let html =
        render::<App>(|| AppProps { query: "mode=compare&algos=random,maglev,peak-ewma&servers=2".into() }).await;
    assert_eq!(count(&html, "data-testid=\"compare-panel\""), 3, "{html}");
    assert_eq!(count(&html, "data-testid=\"server-bar\""), 6, "two bars in each of three panels");
    // the table and the checkboxes are the on-demand bundle's: the page holds their slots
    assert!(html.contains("data-testid=\"compare-table-slot\""), "{html}");
    assert!(html.contains("data-testid=\"algos-slot\""), "{html}");
    assert!(!html.contains("data-testid=\"algo\""), "compare mode picks algorithms with checkboxes");
}

#[tokio::test]
async fn the_race_table_has_a_row_per_algorithm_and_the_checkboxes_tick_the_racers() {
    use lbviz::components::compare::{AlgosPicker, AlgosPickerProps, CompareTable, CompareTableProps, RaceRow};
    let summary = Engine::new(lbcore::Scenario::default()).expect("the default scenario").summary();
    let algos = [Algorithm::Random, Algorithm::Maglev, Algorithm::PeakEwma];
    let rows: Vec<RaceRow> = algos.iter().map(|&a| RaceRow::of(a, &summary)).collect();
    // the rows as the lab hands them to the bundle, and back
    let rows = RaceRow::read(&RaceRow::write(&rows));
    let (plain, rows2) = (rows.clone(), rows.clone());
    let html =
        render::<CompareTable>(move || CompareTableProps { rows: Rc::new(plain), cache: false, resilience: false })
            .await;
    assert!(html.contains("data-testid=\"compare-table\""), "{html}");
    for algo in ["random", "maglev", "peak-ewma"] {
        assert!(html.contains(&format!("<tr data-algo=\"{algo}\"")), "a table row for {algo}");
    }
    assert!(!html.contains("cell-goodput"), "no client columns without timeouts, retries or hedges");
    // with clients that time out, retry or hedge, goodput, attempts per request and timed out,
    // a cell per row each, and the highest goodput is the best
    let mut resilient = rows2;
    resilient.iter_mut().for_each(|r| r.answered = true);
    resilient[1].goodput = 70.0;
    let html =
        render::<CompareTable>(move || CompareTableProps { rows: Rc::new(resilient), cache: false, resilience: true })
            .await;
    for column in ["goodput", "amplification", "timed-out"] {
        assert_eq!(count(&html, &format!("data-testid=\"cell-{column}\"")), 3, "{column}: {html}");
    }
    assert!(html.contains("data-testid=\"cell-goodput\" data-value=\"70\" data-best=\"true\""), "{html}");
    let html = render::<AlgosPicker>(|| AlgosPickerProps { algos: vec![Algorithm::Random, Algorithm::Maglev] }).await;
    // a box answers with the racers after its click: maglev's without maglev (disabled: two is
    // the fewest), least connections' with it last
    assert!(html.contains("id=\"race-maglev\" data-answer=\"random\" disabled"), "{html}");
    assert!(html.contains("id=\"race-least-connections\" data-answer=\"random,maglev,least-connections\""), "{html}");
}

#[tokio::test]
async fn predict_mode_offers_a_guess_per_server_and_no_fire_button() {
    let html = render::<App>(|| AppProps { query: "mode=predict&servers=3".into() }).await;
    // the guesses are the on-demand bundle's: the page holds their slot
    assert!(html.contains("data-testid=\"predict-slot\""), "{html}");
    assert!(!html.contains("data-testid=\"fire\"") && !html.contains("data-testid=\"step\""), "{html}");
    let servers = snapshot::servers(&Engine::new(lbcore::Scenario { servers: 3, ..Default::default() }).unwrap());
    let text = lbviz::components::predict::guesses_text(&servers);
    let html = render::<lbviz::components::predict::Predict>(move || lbviz::components::predict::PredictProps {
        guesses: Rc::new(lbviz::components::predict::read_guesses(&text)),
        score: (1, 2),
    })
    .await;
    for name in ["server1", "server2", "server3"] {
        assert!(html.contains(&format!("data-testid=\"guess-{name}\" data-answer=\"{name}\"")), "{html}");
    }
    assert!(html.contains("aria-live=\"polite\""), "{html}");
}

#[tokio::test]
async fn caches_and_failures_panels_show_their_controls() {
    let html = render::<App>(|| AppProps { query: "cache=per-server&servers=2&controls=cache,failures".into() }).await;
    for id in ["cache-mode", "cache-size", "keys", "zipf", "cache-hit-ratio", "health-interval", "retry"] {
        assert!(html.contains(&format!("data-testid=\"{id}\"")), "{id}: {html}");
    }
    assert_eq!(count(&html, "data-testid=\"server-hit-ratio\""), 2, "{html}");
    let html = render::<App>(|| AppProps { query: "controls=cache".into() }).await;
    assert!(!html.contains("data-testid=\"cache-size\""), "no capacity without a cache");
}

#[tokio::test]
async fn the_hashing_view_shows_for_hash_based_algorithms_only() {
    // The app holds the slot the on-demand bundle draws the view into, with what it needs...
    let html = render::<App>(|| AppProps { query: "algo=maglev&servers=4&table-size=251".into() }).await;
    assert_eq!(count(&html, "data-testid=\"hashing-slot\""), 1, "{html}");
    let query = hashing_query(Algorithm::Maglev, &url::parse("table-size=251").scenario.params(), 4, None);
    let props = hashing_props(&query);
    assert_eq!((props.algo, props.servers, props.params.table_size), (Algorithm::Maglev, 4, 251));
    // ...and the view itself compares every hash-based algorithm.
    let html = render::<HashingView>(move || hashing_props(&query)).await;
    for algo in ["hash-mod", "consistent-hash", "maglev", "bounded-load"] {
        assert!(html.contains(&format!("data-testid=\"moved-{algo}\"")), "{algo}: {html}");
    }
    assert!(html.contains("when a server joins (4 → 5)"), "{html}");
    // After the learner's own remove (5 servers to 4) the view shows that change: hash-mod
    // moves most keys, Maglev about the removed server's fifth. Tolerance 0.08: 2,000 keys
    // leave a sampling error of 0.009 on a share of 0.2, and Maglev's table of 251 slots moves
    // a few slots beyond the ideal when its permutations refill (the Maglev paper's
    // near-minimal disruption).
    let yours = hashing_query(Algorithm::Maglev, &url::parse("table-size=251").scenario.params(), 4, Some((5, 4)));
    assert_eq!(hashing_props(&yours).change, Some((5, 4)));
    let html = render::<HashingView>(move || hashing_props(&yours)).await;
    assert!(html.contains("moved with your change (5 → 4 servers)"), "{html}");
    let moved = |algo: &str| -> f64 {
        let key = format!("data-testid=\"moved-{algo}\" data-value=\"");
        let at = html.find(&key).expect(algo) + key.len();
        html[at..].split('"').next().unwrap().parse().unwrap()
    };
    assert!(moved("hash-mod") > 0.6, "hash-mod moves most keys: {}", moved("hash-mod"));
    assert!((moved("maglev") - 0.2).abs() < 0.08, "Maglev moves about 1/5: {}", moved("maglev"));
    let html = render::<App>(|| AppProps { query: "algo=round-robin".into() }).await;
    assert!(!html.contains("data-testid=\"hashing-slot\""));
    assert!(html.contains("data-testid=\"algorithm-card\""), "the card shows for every algorithm");
}

#[tokio::test]
async fn the_experiments_section_starts_closed_and_carries_the_live_query() {
    let html = render::<App>(|| AppProps { query: "servers=6&seed=9".into() }).await;
    let start = html.find("data-testid=\"experiments\"").expect("the section");
    let tag = &html[html[..start].rfind("<details").expect("a details element")..start + 200];
    assert!(!tag.contains(" open"), "closed until opened, so nothing of it loads at first: {tag}");
    assert!(tag.contains("data-query=\"servers=6&amp;seed=9\""), "{tag}");
    assert!(html.contains("id=\"experiments-root\""));
}

#[tokio::test]
async fn the_sweep_chart_draws_a_dot_per_run_and_the_mm1k_curve() {
    use lbcore::sweep::Row;
    use lbcore::{Algorithm, Scenario};
    use lbviz::components::sweep_chart::{Figure, SweepChart, SweepChartProps};
    use lbviz::experiments::plan;
    use lbviz::experiments::theory::Mm1k;

    let html = render::<SweepChart>(|| {
        let algos = [Algorithm::RoundRobin, Algorithm::LeastConnections];
        let sweep = plan::sweep(&Scenario::default(), &algos, 200, &None).expect("a sweep");
        let mut rows: Vec<Option<Row>> = vec![None; sweep.len()];
        // Round robin's runs all done, least connections' first three.
        for i in (0..18).chain(18..21) {
            let (scenario, point) = sweep.run(i).expect("a run");
            rows[i] = Some(Row::new(point, &Engine::new(scenario).expect("valid").run()));
        }
        SweepChartProps {
            figure: Figure::P99,
            algorithms: Rc::new(algos.to_vec()),
            rows: Rc::new(rows),
            theory: Mm1k::of_random_routing(&Scenario::default()),
            second: None,
        }
    })
    .await;
    assert_eq!(count(&html, "data-algo=\"round-robin\""), 18, "{html}");
    assert_eq!(count(&html, "data-algo=\"least-connections\""), 3, "runs not back yet are not drawn");
    assert!(html.contains("data-figure=\"p99\""));
    assert_eq!(count(&html, "class=\"theory\""), 1);
    assert!(html.contains("M/M/1/101: random routing in theory"), "the default queue of 100 makes K = 101");
    assert!(html.contains("data-load=\"0.95\""));
}

#[tokio::test]
async fn with_a_second_setting_the_sweep_chart_draws_a_line_per_algorithm_and_value() {
    use lbcore::sweep::Row;
    use lbcore::{Algorithm, Scenario};
    use lbviz::components::sweep_chart::{Figure, SweepChart, SweepChartProps};
    use lbviz::experiments::plan;

    let html = render::<SweepChart>(|| {
        let algos = [Algorithm::RoundRobin, Algorithm::LeastConnections];
        let second = Some(("retries".to_string(), "0,2".to_string()));
        let scenario = Scenario { timeout: Some(0.3), ..Scenario::default() };
        let sweep = plan::sweep(&scenario, &algos, 200, &second).expect("a sweep");
        let rows: Vec<Option<Row>> = (0..sweep.len())
            .map(|i| sweep.run(i).expect("a run"))
            .map(|(s, point)| Some(Row::new(point, &Engine::new(s).expect("valid").run())))
            .collect();
        SweepChartProps {
            figure: Figure::Goodput,
            algorithms: Rc::new(algos.to_vec()),
            rows: Rc::new(rows),
            theory: None,
            second: sweep.over.first().cloned().map(Rc::new),
        }
    })
    .await;
    // 2 algorithms x 2 values: four lines (c0 to c3) of 18 loads each
    assert_eq!(count(&html, "class=\"line\""), 4, "{html}");
    assert_eq!(count(&html, "data-second=\"2\""), 36);
    assert_eq!(count(&html, "data-algo=\"least-connections\""), 36);
    assert!(html.contains("<g class=\"c3\">") && html.contains("data-figure=\"goodput\""));
    assert!(html.contains("least-connections, retries 2 at load 0.95: "), "{html}");
    // What the plot is for: clients that give up after 0.3 s (3 mean costs) and retry twice
    // tip the pool into a retry storm well below full load (this seed: round robin past 0.45,
    // least connections past 0.55), while without retries goodput follows the load up (15.8/s
    // and 19.8/s at 0.95 of 20/s); at 0.95 the storm leaves under a tenth of it.
    for algo in ["round-robin", "least-connections"] {
        let at = |second: &str| -> f64 {
            let needle = format!("data-algo=\"{algo}\" data-load=\"0.95\" data-value=\"");
            html.match_indices(&needle)
                .map(|(i, _)| &html[i + needle.len()..])
                .find(|rest| rest.split('"').nth(2) == Some(second))
                .and_then(|rest| rest.split('"').next())
                .expect("a dot")
                .parse()
                .expect("a number")
        };
        assert!(at("2") < at("0") / 10.0, "{algo}: {} against {}", at("2"), at("0"));
    }
}

/// The `<input>` tag whose id is `id`.
fn input<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id}: {html}"));
    let start = html[..at].rfind('<').expect("the tag's start");
    let end = html[at..].find('>').expect("the tag's end") + at;
    &html[start..=end]
}

#[tokio::test]
async fn sliders_take_their_bounds_labels_and_options_from_the_settings_table() {
    use lbcore::scenario::{UNIFORM_MAX_CV, setting};
    use lbviz::components::Controls;
    use lbviz::components::pure::View;
    let html = render_view(|| {
        let parsed = url::parse("dist=uniform&cv=0.3&queue=50");
        Controls {
            scenario: Rc::new(parsed.scenario),
            settings: parsed.settings,
            load_note: Default::default(),
            on: Default::default(),
        }
        .view()
    })
    .await;
    for name in ["servers", "rate", "workers", "queue"] {
        let ui = setting(name).and_then(|row| row.ui).expect("a slider row");
        let tag = input(&html, name);
        let max = if ui.log { ui.max.log10() } else { ui.max };
        assert!(tag.contains(&format!("max=\"{max}\"")) && tag.contains(&format!("step=\"{}\"", ui.step)), "{tag}");
        assert!(html.contains(ui.label), "{name}'s label {:?}", ui.label);
    }
    assert!(input(&html, "cv").contains(&format!("max=\"{UNIFORM_MAX_CV}\"")), "uniform's bound, once: {html}");
    for label in ["constant", "exponential", "log-normal", "Pareto (heavy tail)"] {
        assert!(html.contains(&format!(">{label}</option>")), "{label}: {html}");
    }
    assert!(html.contains("data-testid=\"rate-typed\""), "the rate takes a typed value too: {html}");
    let cost = input(&html, "cost");
    assert!(
        cost.contains("min=\"-3\"") && cost.contains("value=\"-1\""),
        "the cost slider is in decades of seconds: {cost}"
    );
}

#[tokio::test]
async fn a_lesson_title_and_caption_are_text_and_an_embed_has_one_h1() {
    let html = render::<App>(|| AppProps {
        query: "embed=1&title=%3Cscript%3Ex%3C%2Fscript%3E&caption=Which+server+gets+the+tenth%3F".into(),
    })
    .await;
    assert!(html.contains("&lt;script&gt;x&lt;/script&gt;") && !html.contains("<script"), "text, not markup: {html}");
    assert!(html.contains("Which server gets the tenth?"), "{html}");
    assert_eq!(count(&html, "<h1"), 1, "{html}");
    let untitled = render::<App>(|| AppProps { query: "embed=1".into() }).await;
    assert_eq!(count(&untitled, "<h1"), 1, "an embed without a title still has its h1, for screen readers");
    // As it opens, the embed is its link: there is nothing to go back to yet (the e2e test
    // embed_fit changes the rate and goes back).
    assert!(!untitled.contains("back-to-lesson"), "no way back before the learner has moved away: {untitled}");
}

/// The card's words are fetched and its line marked in the page's DOM (tests/e2e/algorithm_card
/// marks and reads it); what it reads of the last pick is tested here, on the engine's own log.
#[test]
fn the_algorithm_card_lights_no_line_for_a_request_the_shared_cache_answered() {
    use lbviz::algorithm_card_data::card;
    use lbviz::components::algorithm_card::LastPick;
    // One key and a shared cache: once the first request is answered, the cache holds the key.
    let parsed = url::parse("servers=3&algo=round-robin&cache=shared&keys=1&rate=50");
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let mut engine = Engine::new(parsed.scenario).expect("a valid scenario");
    engine.keep_decisions(1000);
    engine.run_until(lbcore::time::from_secs(2.0));
    let find = |hit: bool| {
        let mut logged = engine.decisions().iter().rev().map(|l| &l.decision);
        logged.find(|d| matches!(d.outcome, Some(lbcore::Outcome::SharedCacheHit { .. })) == hit).cloned()
    };
    let (picked, cached) = (find(false).expect("a pick"), find(true).expect("a cache hit"));
    let pick = LastPick::of(&picked, Algorithm::RoundRobin).expect("round robin's pick");
    // round robin decides a pick by turn on its fourth line (src/algorithm_card_data.rs)
    assert_eq!(pick.kind, Some("turn"));
    assert_eq!(card(Algorithm::RoundRobin).deciding_line(picked.chosen.as_ref().map(|c| &c.score)), Some(3));
    assert!(LastPick::note(Some(&pick), Some(4)).starts_with("Line 4 decided the last pick: "));
    let hit = LastPick::of(&cached, Algorithm::RoundRobin).expect("the cache hit is the last request");
    assert_eq!(hit.kind, None, "a cache hit names no score kind, so no line is lit");
    assert!(LastPick::note(Some(&hit), None).starts_with("The shared cache answered the last request"));
    assert_eq!(LastPick::of(&picked, Algorithm::Random), None, "another algorithm's pick lights nothing");
}

#[tokio::test]
async fn a_draining_server_offers_stop_draining_and_a_failed_one_heal() {
    use lbviz::components::ServerActions;
    use lbviz::components::server_actions::{ServerCallbacks, server_actions};
    let html = render_view(|| {
        let mut engine = manual_engine(3);
        engine.fail(1).expect("server2 exists");
        engine.drain(2).expect("server3 exists");
        let noop = yew::Callback::noop;
        let on = ServerCallbacks { complete: noop(), drain: noop(), fail: noop(), heal: noop() };
        server_actions(&ServerActions { servers: snapshot::servers(&engine), manual: true, on, named: false })
    })
    .await;
    let card = |name: &str| {
        let at = html.find(&format!("data-testid=\"complete-{name}\"")).unwrap_or_else(|| panic!("{name}: {html}"));
        let end = html[at..].find("</li>").expect("the card's end") + at;
        &html[at..end]
    };
    // A draining server is not broken: its undo button says what it undoes.
    assert!(card("server3").contains(">Stop draining</button>"), "{}", card("server3"));
    assert!(card("server3").contains("aria-label=\"Stop draining server3\""), "{}", card("server3"));
    assert!(!card("server3").contains(">Heal<"), "{}", card("server3"));
    assert!(card("server2").contains(">Heal</button>"), "a failed server heals: {}", card("server2"));
    assert!(card("server1").contains(">Drain</button>") && !card("server1").contains(">Heal<"), "{}", card("server1"));
}

/// The history charts of an engine run `seconds` with its series sampled as the page samples
/// it, as the small views' bundle draws them from the text the lab hands it.
async fn history(query: &'static str, seconds: f64) -> String {
    use lbviz::components::time_series::{HistoryInput, HistoryView, HistoryViewProps};
    use lbviz::state::{SAMPLE_PERIOD_NS, SAMPLES};
    render::<HistoryView>(move || {
        let parsed = url::parse(query);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let mut engine = Engine::new(parsed.scenario).expect("a valid scenario");
        engine.enable_series(SAMPLE_PERIOD_NS, SAMPLES);
        engine.run_until(lbcore::time::from_secs(seconds));
        let sent = HistoryInput::of(&snapshot::recent(&engine, 30.0), None, None, false).write();
        HistoryViewProps { input: std::rc::Rc::new(HistoryInput::read(&sent)) }
    })
    .await
}

#[tokio::test]
async fn the_connections_history_names_its_lines_and_draws_at_most_eight() {
    let html = history("servers=3&rate=20", 5.0).await;
    let legend = &html[html.find("data-testid=\"series-legend\"").expect("a legend")..];
    for (i, name) in ["server1", "server2", "server3"].iter().enumerate() {
        let key = legend.split(&format!("<li class=\"c{i}\">")).nth(1).expect("a key per colour");
        assert!(key.starts_with(&format!("{name}</li>")), "{legend}");
        assert_eq!(count(&html, &format!("class=\"line c{i}\"")), 1, "line {i}: {html}");
    }
    assert!(!html.contains("not drawn"), "three servers, three lines: {html}");
    assert!(html.contains(">30 s ago</p>"), "the time axis starts 30 s ago (CSS ends it at now): {html}");

    // 20 servers: 8 lines, 8 names, and the caption and legend say the rest are not drawn
    let html = history("servers=20&rate=300", 5.0).await;
    assert_eq!(count(&html, "class=\"line c"), 8, "{html}");
    assert!(!html.contains("line c8"), "no colour is used twice: {html}");
    assert!(html.contains("Connections per server, the 8 busiest of 20, last 30 s"), "{html}");
    assert!(html.contains(">12 more not drawn</li>"), "{html}");
}

#[tokio::test]
async fn the_connections_axis_fits_the_tallest_line_and_is_labelled() {
    // A slow server under round robin: its queue grows to dozens, the axis with it.
    let html = history("servers=3&speeds=1,1,0.3&rate=18&algo=round-robin", 20.0).await;
    let top = html.split("scale 0 to ").nth(1).and_then(|t| t.split('"').next()).expect("the scale in the label");
    let top: u32 = top.parse().expect("a number");
    assert!(top >= 20, "server3's queue grows by about 3 a second: scale 0 to {top}");
    let y = &html[html.find("class=\"series-y\"").expect("a y axis")..];
    let y = &y[..y.find("</div>").expect("its end")];
    let labels: Vec<u32> = y.split("<span>").skip(1).map(|s| s.split('<').next().unwrap().parse().unwrap()).collect();
    assert_eq!(labels.first(), Some(&0));
    assert_eq!(labels.last(), Some(&top), "the top label is the scale's top: {y}");
    assert!(labels.windows(2).all(|w| w[1] - w[0] == labels[1] - labels[0]), "even steps: {labels:?}");
}

#[tokio::test]
async fn the_p95_history_says_how_many_responses_each_point_is_of() {
    // manual mode: no arrivals on their own, so nothing has been answered
    let html = history("servers=3&mode=manual", 1.0).await;
    assert!(html.contains("p95 response time of the last 200 responses, last 30 s"), "{html}");
    assert!(html.contains("latest no responses yet"), "{html}");
    // 20 a second for 2 s: about 40 answered, fewer than 200
    let html = history("servers=3&rate=20&seed=3", 2.0).await;
    let n: u32 = html
        .split("p95 response time of the responses so far (")
        .nth(1)
        .and_then(|t| t.split(')').next())
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("a count of responses so far: {html}"));
    assert!((15..80).contains(&n), "{n}");
    // 20 s: past 200
    let html = history("servers=3&rate=20&seed=3", 20.0).await;
    assert!(html.contains("p95 response time of the last 200 responses, last 30 s"), "{html}");
}
