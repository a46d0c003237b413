//! The routing scene drawn over the bar chart: a balancer above the bars, and each request it
//! routes travelling as a dot from it to the top of the chosen server's bar, which it then
//! joins; the chosen bar flashes and the decision is said beside it in a few words
//! ([`lbcore::Decision::short`]). When requests come too fast for one dot each to be read
//! (automatic mode, running, above [`DOTS_UP_TO`] a wall second), the scene draws the flow
//! instead: a stream from the balancer to each server, as wide as the requests per second
//! that server has been taking lately, with its scale in the legend.
//!
//! Cheap by design: CSS moves the dots (`static/style.css`, `trip-fly`: a keyframe from the
//! balancer to the circle's own `cx`/`cy`, so that no per-frame Rust work and no inline
//! style, which the page's Content-Security-Policy forbids, is needed); at most [`MAX_TRIPS`]
//! dots live at once, each for its animation's length of wall time; the flow costs
//! O(servers) a frame. What the scene keeps between frames is [`Scene`], moved on by
//! [`Scene::update`] from the engine's decision log and counters, a function of those and of
//! the wall clock alone, tested natively on real engines.

use std::cell::RefCell;
use std::rc::Rc;

use lbcore::{Engine, Outcome, Race};
use yew::prelude::*;

use super::bar_chart::{PLOT_H, PLOT_W, geometry};
use crate::format;
use crate::snapshot::ServerView;

/// Most dots on the chart at once; the oldest goes first.
pub const MAX_TRIPS: usize = 32;
/// Requests per wall second up to which automatic mode draws one dot per request (at 20 a
/// second about 10 are in the air at once); above it, the flow.
pub const DOTS_UP_TO: f64 = 20.0;
/// How long a dot lives, in wall milliseconds: its flight and its fade (`trip-fly`,
/// `trip-fade` in `static/style.css`), plus a margin.
pub const TRIP_MS: f64 = 800.0;
/// Delay between the dots of one frame (a burst of 10), in wall milliseconds: each is drawn
/// that much after the one before, up to [`MAX_LAG`] delays.
pub const LAG_MS: f64 = 70.0;
/// The most delays a dot of a burst waits.
pub const MAX_LAG: usize = 7;
/// The widest stream, in CSS px.
pub const MAX_STREAM_PX: f64 = 10.0;
/// Streams are drawn in steps of this many px (`flow` writes them so), so that noise below
/// it redraws nothing.
const STREAM_STEP_PX: f64 = 0.5;
/// Time constant of the servers' recent rates, in simulated seconds.
const RATE_TAU_S: f64 = 1.0;

/// Whether the chart draws one dot per request (else the flow): always when asked for `every`
/// request (manual, predict and lesson modes) or while paused (requests then come one Step
/// at a time), else while `per_wall_s`, the requests a second of wall time (the rate times
/// the speed), is at most [`DOTS_UP_TO`].
pub fn one_dot_each(every: bool, paused: bool, per_wall_s: f64) -> bool {
    every || paused || per_wall_s <= DOTS_UP_TO
}

// === impl Scene ===

/// The app's engines, of which the scene draws the leader's routing: equal when they are the
/// same engines (the chart's `version` says when they moved on).
#[derive(Clone)]
pub struct Engines(pub Rc<RefCell<Race>>);

impl PartialEq for Engines {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// A dot on its way from the balancer to a server, or the newest decision said beside its
/// server.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Trip {
    /// The decision's number in the run (unique: Yew keeps the element, and so its
    /// animation, by it).
    pub key: u64,
    /// The server's position.
    pub server: usize,
    /// When it sets off, in wall milliseconds: the frame's time, plus [`LAG_MS`] for each
    /// dot of the frame before it (it is drawn from then, and its animation starts then).
    pub born_ms: f64,
    /// Whether the request joined the server's connections (started or queued), rather than
    /// being turned away, failing, or being served by the server's cache.
    pub joins: bool,
}

/// What the scene keeps between frames.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scene {
    /// Decisions made at the last update; `None` before the first.
    seen: Option<u64>,
    /// Dots in flight, oldest first.
    pub trips: Vec<Trip>,
    /// The newest decision's trip, its server's name and its words, said beside the server
    /// (named, so that the words go when the servers move).
    pub said: Option<(Trip, Rc<str>, Rc<str>)>,
    /// The flow is drawn instead of dots.
    pub streams: bool,
    /// The simulated time of the last update.
    last_s: f64,
    /// Per server, its requests taken (see [`Scene::update`]) at the last update and its
    /// recent rate, requests per second.
    rates: Vec<(u64, f64)>,
    /// Requests per second one px of stream width stands for.
    pub per_px: f64,
    /// The wall clock at the last update, in milliseconds.
    now_ms: f64,
}

impl Scene {
    /// Moves the scene to `engine`'s state at `wall_ms` (`servers` its view): each decision
    /// logged since the last update sets off a dot when `dots` (see [`one_dot_each`]), else
    /// the flow is drawn from the servers' recent rates; dots older than [`TRIP_MS`] and
    /// beyond [`MAX_TRIPS`] go. The engine makes one decision per arrival and one per retry,
    /// and logs each: their count says how many of the log's are new. O(log + servers).
    pub fn update(&mut self, engine: &Engine, servers: &[ServerView], dots: bool, wall_ms: f64) {
        self.streams = !dots;
        self.now_ms = wall_ms;
        self.measure(engine);
        self.trips.retain(|t| wall_ms - t.born_ms <= TRIP_MS);
        let totals = engine.totals();
        let made = totals.arrived + totals.retried;
        // The first look finds nothing new: what was decided before the chart was drawn is not news.
        let Some(seen) = self.seen.replace(made) else { return };
        let new = if made < seen {
            // A new run: its keys start again, and no old dot may stay to share one.
            self.trips.clear();
            self.said = None;
            made
        } else {
            made - seen
        };
        let log = engine.decisions();
        let fresh = log.len().min(new as usize);
        let Some(newest) = log.back().filter(|_| fresh > 0) else { return };
        let mut last: Option<Trip> = None;
        for (i, logged) in log.iter().skip(log.len() - fresh).enumerate() {
            let d = &logged.decision;
            let Some(server) = d.chosen_name().and_then(|name| servers.iter().position(|s| &*s.name == name)) else {
                continue;
            };
            let trip = Trip {
                key: made - (fresh - i) as u64,
                server,
                // the burst's dots leave one after another
                born_ms: last.map_or(wall_ms, |t| (t.born_ms + LAG_MS).min(wall_ms + MAX_LAG as f64 * LAG_MS)),
                joins: matches!(d.outcome, Some(Outcome::Started | Outcome::Queued)),
            };
            last = Some(trip);
            if dots {
                self.trips.push(trip);
            }
        }
        // The newest decision is said; one that chose no server leaves nothing said.
        self.said = match last {
            Some(trip) if dots && newest.decision.chosen.is_some() => {
                Some((trip, servers[trip.server].name.clone(), Rc::from(newest.decision.short().unwrap_or_default())))
            }
            _ => None,
        };
        let over = self.trips.len().saturating_sub(MAX_TRIPS);
        self.trips.drain(..over);
    }

    /// Each server's recent rate: a moving average over [`RATE_TAU_S`] of simulated time of
    /// the requests it took, and the flow's scale.
    fn measure(&mut self, engine: &Engine) {
        let now_s = lbcore::time::to_secs(engine.now());
        let dt = now_s - self.last_s;
        self.last_s = now_s;
        // Requests a server has taken into its connections: those it completed in the
        // measurement window and those it holds.
        let taken = engine.servers().iter().map(|s| s.stats.completed + u64::from(s.connections()));
        if self.rates.len() != engine.servers().len() {
            self.rates = taken.map(|t| (t, 0.0)).collect();
            return;
        }
        // dt / (tau + dt): within 1% of 1 - exp(-dt / tau) at a frame's dt, no exp in the wasm
        let alpha = dt / (RATE_TAU_S + dt);
        let mut busiest: f64 = 0.0;
        for ((last, rate), taken) in self.rates.iter_mut().zip(taken) {
            // a count that fell (the measurement window began again) is a new baseline
            if dt > 0.0 && taken >= *last {
                *rate += alpha * ((taken - *last) as f64 / dt - *rate);
            }
            *last = taken;
            busiest = busiest.max(*rate);
        }
        // The requests/s a full-width stream stands for follow the bars' own axis rule
        // (src/scale.rs: round, up at once, down only well below), in thousandths.
        let full = (self.per_px * MAX_STREAM_PX * 1e3).round() as u32;
        let full = crate::scale::next_axis_max(full, (busiest * 1e3).ceil() as u32);
        self.per_px = f64::from(full) / 1e3 / MAX_STREAM_PX;
    }
}

/// A stream's width for `per_s` requests a second at `per_px`, in steps of [`STREAM_STEP_PX`].
pub fn stream_steps(per_s: f64, per_px: f64) -> u32 {
    if per_s.is_nan() || per_s <= 0.0 || per_px.is_nan() || per_px <= 0.0 {
        return 0;
    }
    ((per_s / per_px).min(MAX_STREAM_PX) / STREAM_STEP_PX).round() as u32
}

// === the scene's layers ===

/// A percentage of the plot, as an SVG length.
fn pct(x: f64) -> String {
    format!("{}%", lbcore::decimal::Fixed(x, 2))
}

/// Where bar `i` of `servers` is: its centre and top as percentages of the plot, and its left
/// edge and width.
fn spot(i: usize, servers: &[ServerView], axis_max: u32) -> (f64, f64, f64, f64) {
    let g = geometry(i, servers.len(), &servers[i], axis_max, PLOT_H);
    let x = |v: f64| v / PLOT_W * 100.0;
    (x(g.x + g.width / 2.0), g.erring_y / PLOT_H * 100.0, x(g.x), x(g.width))
}

/// The dots and the decision said beside its server, over the bars.
pub fn trips(scene: &Scene, servers: &[ServerView], axis_max: u32) -> Html {
    // A dot of a burst waiting its turn is not drawn yet.
    let dots = scene.trips.iter().filter(|t| t.born_ms <= scene.now_ms).filter_map(|t| {
        servers.get(t.server)?;
        let (cx, cy, _, _) = spot(t.server, servers, axis_max);
        Some(html! {
            <circle key={t.key} class={if t.joins { "trip" } else { "trip lost" }} cx={pct(cx)} cy={pct(cy)} />
        })
    });
    let said = scene.said.as_ref().and_then(|(said, name, words)| {
        let i = said.server;
        servers.get(i).filter(|s| s.name == *name && said.born_ms <= scene.now_ms)?;
        let (cx, top, left, width) = spot(i, servers, axis_max);
        // The words sit above the bar, inside it when the bar reaches the top; they start at
        // the bar's left edge near the left side, end at its right edge near the right side
        // (the classes say which: `static/style.css`).
        let inside = usize::from(top < 12.0);
        let (x, class) = match cx {
            c if c < 30.0 => (left, ["said start", "said start inside"][inside]),
            c if c > 70.0 => (left + width, ["said end", "said end inside"][inside]),
            c => (c, ["said", "said inside"][inside]),
        };
        // The flash outlines the bar; one of 0 gets a strip at its foot.
        let flash_top = top.min(96.0);
        Some(html! {
            <g key={said.key} {class}>
                <rect x={pct(left)} width={pct(width)} y={pct(flash_top)} height={pct(100.0 - flash_top)} />
                <text x={pct(x)} y={pct(top)}>{ words.to_string() }</text>
            </g>
        })
    });
    html! {
        <svg class="trips" aria-hidden="true">
            { for dots }
            { for said }
        </svg>
    }
}

/// The streams from the balancer to each server's foot, in the bars' own coordinates (drawn
/// under them, so a stream shows down to the top of its bar), each as wide as the server's
/// recent rate at the scene's scale (the stylesheet keeps the width in px however the plot
/// stretches: `vector-effect`); and the legend's words for them.
pub fn flow(scene: &Scene) -> (Html, String) {
    // From the top centre, (500, 0), to each slot's centre on the baseline, y = 400.
    const _: () = assert!(PLOT_W == 1000.0 && PLOT_H == 400.0, "the streams' ends are written for this plot");
    let n = scene.rates.len();
    let streams =
        scene.rates.iter().enumerate().filter_map(|(i, &(_, rate))| {
            let w = stream_steps(rate, scene.per_px);
            let x = (2 * i + 1) * 500 / n;
            (w > 0).then(|| html! {
            <line x1="500" y1="0" x2={x.to_string()} y2="400" stroke-width={format!("{}.{}", w / 2, w % 2 * 5)} />
        })
        });
    (
        html! { <g class="flow">{ for streams }</g> },
        format!("flow: width is requests/s, 1 px = {}", format::rate(scene.per_px)),
    )
}

#[cfg(test)]
mod tests {
    use lbcore::scenario::{Arrivals, Completions};
    use lbcore::time::from_secs;
    use lbcore::{Algorithm, Scenario};

    use super::*;
    use crate::snapshot;

    /// A manual-mode engine with the app's decision log.
    fn manual(algo: Algorithm, servers: u32) -> Engine {
        let scenario = Scenario {
            algo,
            servers,
            arrivals: Arrivals::Off,
            completions: Completions::Manual,
            ..Scenario::default()
        };
        let mut engine = Engine::new(scenario).expect("a valid scenario");
        engine.keep_decisions(20);
        engine
    }

    fn update(scene: &mut Scene, engine: &Engine, dots: bool, wall_ms: f64) {
        scene.update(engine, &snapshot::servers(engine), dots, wall_ms);
    }

    fn to(scene: &Scene) -> Vec<(usize, f64)> {
        scene.trips.iter().map(|t| (t.server, t.born_ms)).collect()
    }

    #[test]
    fn each_request_fired_sets_off_one_dot_to_the_server_the_engine_chose() {
        let mut engine = manual(Algorithm::RoundRobin, 3);
        engine.fire(1);
        let mut scene = Scene::default();
        update(&mut scene, &engine, true, 0.0);
        assert!(scene.trips.is_empty(), "what was decided before the chart was drawn is not news");
        engine.fire(2);
        update(&mut scene, &engine, true, 16.0);
        // Round robin: server1 had the first, server2 and server3 these two, one after the other.
        assert_eq!(to(&scene), [(1, 16.0), (2, 16.0 + LAG_MS)], "a burst's dots leave one after another");
        assert_eq!(scene.trips.iter().map(|t| t.key).collect::<Vec<_>>(), [1, 2], "keyed by decision number");
        let (said, name, words) = scene.said.clone().expect("the newest decision is said");
        assert_eq!((said.server, &*name, &*words), (2, "server3", "→ server3: next in turn"));
        update(&mut scene, &engine, true, 32.0);
        assert_eq!(scene.trips.len(), 2, "nothing new, no new dot");
        update(&mut scene, &engine, true, 16.0 + LAG_MS + TRIP_MS + 1.0);
        assert!(scene.trips.is_empty(), "dots go when their animation is over");
        assert!(scene.said.is_some(), "the words stay until the next decision");
    }

    #[test]
    fn dots_are_bounded_and_a_request_no_server_takes_is_not_said() {
        let mut engine = manual(Algorithm::LeastConnections, 2);
        let mut scene = Scene::default();
        update(&mut scene, &engine, true, 0.0);
        engine.fire(20);
        update(&mut scene, &engine, true, 1.0);
        // 30 more fired in one frame, of which the log holds the last 20.
        engine.fire(30);
        update(&mut scene, &engine, true, 2.0);
        assert_eq!(scene.trips.len(), MAX_TRIPS, "at most {MAX_TRIPS} dots");
        let keys: Vec<_> = scene.trips.iter().map(|t| t.key).collect();
        // 20 then 20 of 30 (decisions 20 to 29 left the log unseen): 40, less the 8 oldest.
        assert_eq!(
            (keys[0], keys[11], keys[12], keys[MAX_TRIPS - 1]),
            (8, 19, 30, 49),
            "the oldest went first: {keys:?}"
        );
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "keys are unique and in order: {keys:?}");
        assert!(scene.trips.iter().all(|t| t.joins), "all started or queued");
        // Both servers fail; before the health checks notice, requests still go to them and
        // fail (the dot does not join); once they noticed, none is chosen and nothing is said.
        engine.fail(0).expect("server1");
        engine.fail(1).expect("server2");
        engine.fire(1);
        update(&mut scene, &engine, true, 3.0);
        let failed = scene.trips.last().expect("a dot to the failed server");
        assert!(!failed.joins, "the request failed: its dot does not join");
        assert!(scene.said.as_ref().is_some_and(|(_, _, w)| w.ends_with("; failed")), "{:?}", scene.said);
        engine.run_until(from_secs(1.5));
        engine.fire(1);
        update(&mut scene, &engine, true, 4.0);
        assert_eq!(scene.said, None, "a request no server takes leaves nothing said");
        // A new run makes fewer decisions than were seen: no old dot stays to share a key.
        let mut again = manual(Algorithm::LeastConnections, 2);
        again.fire(1);
        update(&mut scene, &again, true, 5.0);
        assert_eq!(to(&scene), [(0, 5.0)]);
    }

    #[test]
    fn a_fast_automatic_run_draws_streams_as_wide_as_each_servers_rate() {
        // Weighted round robin at weights 3 and 1 sends server1 three requests in four: at
        // 2,000 a second, 1,500 and 500 (a short cost keeps the queues from filling).
        let scenario = Scenario {
            algo: Algorithm::WeightedRoundRobin,
            servers: 2,
            weights: vec![3, 1],
            rate: 2000.0,
            cost: 0.0001,
            ..Scenario::default()
        };
        let mut engine = Engine::new(scenario).expect("a valid scenario");
        engine.keep_decisions(20);
        assert!(!one_dot_each(false, false, 2000.0));
        let mut scene = Scene::default();
        // 5 s (five time constants) at 60 frames a second.
        for frame in 0..=300u32 {
            let t = f64::from(frame) / 60.0;
            engine.run_until(from_secs(t));
            update(&mut scene, &engine, false, t * 1e3);
        }
        assert!(scene.streams && scene.trips.is_empty() && scene.said.is_none(), "streams, no dot: {scene:?}");
        // Poisson arrivals: the rates are 1500 and 500 within a few percent, the scale the round
        // number that puts 1500 at most 10 px wide (200 /s a px), the streams 7.5 and 2.5 px.
        assert_eq!(scene.per_px, 200.0);
        let widths: Vec<_> = scene.rates.iter().map(|r| stream_steps(r.1, scene.per_px)).collect();
        assert!(widths[0].abs_diff(15) <= 1 && widths[1].abs_diff(5) <= 1, "{widths:?} half px, {scene:?}");
        let (streams, caption) = flow(&scene);
        assert_eq!(caption, "flow: width is requests/s, 1 px = 200 /s");
        let count = match streams {
            Html::VTag(group) => match group.children() {
                Some(Html::VList(list)) => list.len(),
                other => panic!("streams: {other:?}"),
            },
            other => panic!("streams: {other:?}"),
        };
        assert_eq!(count, 2, "a stream per server");
    }

    #[test]
    fn one_dot_each_when_asked_paused_or_slow() {
        assert!(one_dot_each(true, false, 2000.0), "manual, predict, lessons");
        assert!(one_dot_each(false, true, 2000.0), "paused: requests come one Step at a time");
        assert!(one_dot_each(false, false, 20.0), "20 a wall second");
        assert!(!one_dot_each(false, false, 20.5));
    }

    #[test]
    fn stream_widths_are_rates_at_the_scale_capped_at_10_px() {
        assert_eq!(stream_steps(1500.0, 200.0), 15);
        assert_eq!(stream_steps(5000.0, 200.0), 20, "capped at 10 px");
        assert_eq!(stream_steps(0.0, 200.0), 0);
        assert_eq!(stream_steps(f64::NAN, 200.0), 0);
    }
}
