//! The chart: one SVG bar per server, its height the server's connections, split into in
//! service (solid), waiting (light) and, above, erring (an `errors` fault's error on its way
//! back); a dashed line marks where the queue is full. Draining
//! bars are hatched; a down server's bar is what it holds (nothing: its requests failed with
//! it) over a dashed red foot. Both states are named in words under the bar, so that the
//! state never rests on colour alone. Bars glide only when told changes come one at a time;
//! while requests flow a bar is always the number under it.
//!
//! Given the engine's routing, a balancer sits above the bars and each request travels from it
//! to its server, or the flow is drawn at high rates ([`super::scene`]).
//!
//! Labels never overlap: the chart is a CSS container, and for each width tier ([`TIERS`])
//! [`label_classes`] says whether a slot holds the whole label (name, count, weight and speed),
//! the name alone in small type, or only every k-th name. A click on a bar or a name opens that
//! server's panel.

use std::rc::Rc;

use lbcore::Health;
use yew::prelude::*;

use super::pure::{View, pure_keyed};
use super::scene::{self, Engines, Scene};
use crate::format;
use crate::scale;
use crate::snapshot::ServerView;

/// Width of the plot in SVG units; each server gets an equal slot of it.
pub const PLOT_W: f64 = 1000.0;
/// Height of the plot in SVG units. The SVG stretches to the box CSS gives it (taller on
/// phones, flatter in embeds); lines keep their width with `vector-effect`.
pub const PLOT_H: f64 = 400.0;

/// The chart's inputs.
#[derive(Properties, PartialEq)]
pub struct BarChartProps {
    /// The servers in order.
    pub servers: Rc<Vec<ServerView>>,
    /// The value at the top of the axis.
    pub axis_max: u32,
    /// Whether bars glide to new heights: only while changes come one at a time (manual
    /// mode, or paused), since a glide longer than the time between changes leaves a bar
    /// showing another number than the one under it.
    #[prop_or_default]
    pub glide: bool,
    /// Opens a server's panel, given its name; without it bars and names are not buttons.
    #[prop_or_default]
    pub on_pick: Option<Callback<Rc<str>>>,
    /// The app's engines, the leader's routing drawn: with them, the balancer and the
    /// requests' trips to their servers are drawn over the bars (compare mode's panels go
    /// without).
    #[prop_or_default]
    pub race: Option<Engines>,
    /// The app state's version: the scene moves on at each (the race is the same one).
    #[prop_or_default]
    pub version: u64,
    /// One dot per request ([`scene::one_dot_each`]); otherwise the flow.
    #[prop_or_default]
    pub dots: bool,
}

/// The container widths, in CSS px, where label and button layouts change (`static/style.css`
/// has one `@container` block per tier, named t0 to t6): a tier's layout must fit its
/// narrowest width. The third starts at 280, under the chart of a phone's frame: a frame 320 to
/// 328 px wide has a chart of 285 to 293 px, where three servers keep their whole labels (81 px
/// a slot) and their buttons. The last three are compare mode's panels side by side in a frame:
/// two in a 328 px frame are about 150 px wide, three about 90 and four about 62; four in a
/// 720 px frame about 105.
pub const TIERS: [f64; 7] = [720.0, 480.0, 280.0, 170.0, 130.0, 100.0, 60.0];
/// Width of the y axis beside the bars, in CSS px (2.25rem).
const AXIS_PX: f64 = 36.0;
/// A whole label (name, count, `w 1 · 0.35×`) needs this many px.
const FULL_PX: f64 = 70.0;
/// A name alone in small type (`server64`, 0.68rem) needs this many px with its gap.
const NAME_PX: f64 = 54.0;
/// Complete, and Drain beside or above Fail, need this many px.
const ACTIONS_PX: f64 = 80.0;
/// A count in small type needs this many px: two digits at 0.68rem measure 15.2 (a third
/// digit, past 99 connections, overhangs its slot where slots are narrower).
const COUNT_PX: f64 = 15.2;
/// Strides of names and counts: every k-th.
const STRIDES: [usize; 9] = [1, 2, 3, 4, 6, 8, 12, 16, 32];

fn slot(tier: f64, n: usize) -> f64 {
    (tier - AXIS_PX) / n.max(1) as f64
}

/// For each tier where a slot holds the whole label, `tI-full`; in the others each label is
/// its name and count in small type, for the bars [`label_shows`] says.
pub fn label_classes(n: usize) -> String {
    let full = |(i, &tier): (usize, &f64)| (slot(tier, n) >= FULL_PX).then(|| format!("t{i}-full"));
    TIERS.iter().enumerate().filter_map(full).collect::<Vec<_>>().join(" ")
}

/// The smallest stride at which every k-th label of `width` px fits slots of `slot` px; where
/// none does (64 servers in a 60 px panel), only the first label shows.
fn stride(slot: f64, width: f64) -> usize {
    STRIDES.into_iter().find(|&k| k as f64 * slot >= width).unwrap_or(usize::MAX)
}

/// Where labels are small (not `tI-full`), which parts label `i` of `n` shows in each tier:
/// `nI` its name (every k-th) and `cI` its count (every bar whose slot holds two digits, else
/// every k-th), so that a phone still reads each bar's number where it can. The last bar's
/// name, centred, would hang past the chart's right edge: where it is a k-th it ends at the
/// edge instead (`eI`), if it then clears the name before it (that one centred, half its
/// overhang to the right of its slot, this one its whole overhang to the left: together
/// 1.5 times a name's width less 1.5 slots, within the k - 1 slots between them); else it is
/// left out. The hedging lesson's `server10`, the last of ten, is the server its steps are about.
pub fn label_shows(i: usize, n: usize) -> String {
    let mut out = Vec::new();
    for (t, &tier) in TIERS.iter().enumerate() {
        let slot = slot(tier, n);
        if slot >= FULL_PX {
            continue;
        }
        let k = stride(slot, NAME_PX);
        let at_the_edge = k > 1 && n > 1 && i + 1 == n;
        let clears = (k as f64 + 0.5) * slot >= 1.5 * NAME_PX;
        if i.is_multiple_of(k) && (!at_the_edge || clears) {
            out.push(format!("n{t}"));
            if at_the_edge {
                out.push(format!("e{t}"));
            }
        }
        if i.is_multiple_of(stride(slot, COUNT_PX)) {
            out.push(format!("c{t}"));
        }
    }
    out.join(" ")
}

/// For each tier where a row of buttons fits under `n` bars, `fitI`.
pub fn fits(n: usize) -> String {
    let fit = |(i, &tier): (usize, &f64)| (slot(tier, n) >= ACTIONS_PX).then(|| format!("fit{i}"));
    TIERS.iter().enumerate().filter_map(fit).collect::<Vec<_>>().join(" ")
}

/// Geometry of one bar, in SVG units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BarGeometry {
    /// Left edge of the bar.
    pub x: f64,
    /// Width of the bar.
    pub width: f64,
    /// Top of the in-service part.
    pub service_y: f64,
    /// Height of the in-service part.
    pub service_h: f64,
    /// Top of the waiting part.
    pub waiting_y: f64,
    /// Height of the waiting part.
    pub waiting_h: f64,
    /// Top of the erring part (the top of the bar).
    pub erring_y: f64,
    /// Height of the erring part.
    pub erring_h: f64,
}

/// Where bar `i` of `n` goes for this server, with `axis_max` at the top of a plot `height` high.
pub fn geometry(i: usize, n: usize, server: &ServerView, axis_max: u32, height: f64) -> BarGeometry {
    let slot = PLOT_W / n.max(1) as f64;
    let width = (slot * 0.62).min(140.0);
    let unit = height / axis_max.max(1) as f64;
    let service_h = (server.in_service as f64 * unit).min(height);
    let held_h = ((server.in_service + server.waiting) as f64 * unit).min(height);
    let total_h = (server.connections() as f64 * unit).min(height);
    BarGeometry {
        x: i as f64 * slot + (slot - width) / 2.0,
        width,
        service_y: height - service_h,
        service_h,
        waiting_y: height - held_h,
        waiting_h: held_h - service_h,
        erring_y: height - total_h,
        erring_h: total_h - held_h,
    }
}

fn describe(s: &ServerView) -> String {
    let state = s.state_words().unwrap_or_else(|| "up".to_string());
    let erring = if s.erring > 0 { format!(", {} answering with an error", s.erring) } else { String::new() };
    format!(
        "{}: {} ({} in service, {} waiting{erring}), {state}, weight {}, speed {}",
        s.name,
        lbcore::words::connections(s.connections()),
        s.in_service,
        s.waiting,
        s.weight,
        format::factor(s.speed)
    )
}

/// One bar's inputs: a bar redraws only when its server, its slot or the scale changes, so a
/// frame where a few of 64 servers changed touches only their bars.
#[derive(PartialEq)]
struct Bar {
    server: ServerView,
    index: usize,
    n: usize,
    axis_max: u32,
    on_pick: Option<Callback<Rc<str>>>,
}

/// A callback that opens `name`'s panel, if bars are buttons.
fn pick(on_pick: &Option<Callback<Rc<str>>>, name: &Rc<str>) -> Option<Callback<MouseEvent>> {
    let name = name.clone();
    on_pick.as_ref().map(|on| on.reform(move |_: MouseEvent| name.clone()))
}

/// One server's bar: in service, waiting, erring, the queue's limit, and a dashed foot when down.
impl View for Bar {
    fn view(&self) -> Html {
        let s = &self.server;
        let height = PLOT_H;
        let g = geometry(self.index, self.n, s, self.axis_max, height);
        let state = s.state_label().unwrap_or("up");
        let limit = s.capacity();
        // A down server holds what it holds (nothing: its requests failed with it); a dashed foot
        // marks it where its bar would stand.
        let down_mark = matches!(s.health, Health::Down).then(|| {
            let y = fmt(height);
            html! { <line class="down-mark" x1={fmt(g.x)} x2={fmt(g.x + g.width)} y1={y.clone()} y2={y}
            vector-effect="non-scaling-stroke" /> }
        });
        let limit_mark = (limit <= self.axis_max).then(|| {
            let y = fmt(height - limit as f64 * height / self.axis_max as f64);
            html! {
                <line class="limit" x1={fmt(g.x - g.width * 0.15)} x2={fmt(g.x + g.width * 1.15)}
                      y1={y.clone()} y2={y} vector-effect="non-scaling-stroke" />
            }
        });
        html! {
            <g class={classes!("bar", state)} data-testid="server-bar"
               data-server={s.name.clone()} data-connections={s.connections().to_string()}
               data-in-service={s.in_service.to_string()} data-waiting={s.waiting.to_string()}
               data-erring={s.erring.to_string()}
               data-health={state} data-noticed={s.noticed_down.map(format::shortest)} onclick={pick(&self.on_pick, &s.name)}>
                <title>{ describe(s) }</title>
                <rect class="in-service" x={fmt(g.x)} width={fmt(g.width)}
                      y={fmt(g.service_y)} height={fmt(g.service_h)} />
                <rect class="waiting" x={fmt(g.x)} width={fmt(g.width)}
                      y={fmt(g.waiting_y)} height={fmt(g.waiting_h)} />
                <rect class="erring" x={fmt(g.x)} width={fmt(g.width)}
                      y={fmt(g.erring_y)} height={fmt(g.erring_h)} />
                { for limit_mark }
                { for down_mark }
            </g>
        }
    }
}

/// One label's inputs.
#[derive(PartialEq)]
struct Label {
    server: ServerView,
    /// What it shows where labels are small ([`label_shows`]).
    shows: AttrValue,
    on_pick: Option<Callback<Rc<str>>>,
}

/// The label under a bar: its name (a button when bars open panels), count, weight and
/// speed, and its state in words.
impl View for Label {
    fn view(&self) -> Html {
        let s = &self.server;
        let state =
            s.state_words().map(|words| html! { <span class={classes!("state", s.state_label())}>{ words }</span> });
        html! {
            <li class={classes!(s.state_label(), self.shows.to_string())} title={describe(s)}>
                if let Some(onclick) = pick(&self.on_pick, &s.name) {
                    <button type="button" class="name" {onclick} data-testid={format!("pick-{}", s.name)}
                            aria-label={format!("{} controls", s.name)}>{ s.name.clone() }</button>
                } else {
                    <span class="name">{ s.name.clone() }</span>
                }
                <span class="count">{ s.connections() }</span>
                <span class="meta">{ format!("w {} · {}", s.weight, format::factor(s.speed)) }</span>
                { for state }
            </li>
        }
    }
}

/// The bar chart with its axis, labels and legend.
#[function_component]
pub fn BarChart(props: &BarChartProps) -> Html {
    let servers = &props.servers;
    let n = servers.len();
    let height = PLOT_H;
    let axis_max = props.axis_max.max(1);
    let y_of = |v: u32| height - (v.min(axis_max) as f64 * height / axis_max as f64);
    let ticks = scale::ticks(axis_max);
    let on_pick = &props.on_pick;
    let bars = servers
        .iter()
        .enumerate()
        .map(|(index, s)| pure_keyed(&s.name, Bar { server: s.clone(), index, n, axis_max, on_pick: on_pick.clone() }));
    let gridlines = ticks.iter().map(|&t| {
        let y = fmt(y_of(t));
        html! { <line class="grid" x1="0" x2={fmt(PLOT_W)} y1={y.clone()} y2={y} vector-effect="non-scaling-stroke" /> }
    });
    // The ticks are evenly spaced from 0 to the top, so CSS spaces the labels evenly too (no
    // style attributes: the page stays within a strict Content-Security-Policy).
    let tick_labels = ticks.iter().map(|&t| html! { <span>{ scale::tick_label(t) }</span> });
    let labels = servers.iter().enumerate().map(|(i, s)| {
        pure_keyed(&s.name, Label { server: s.clone(), shows: label_shows(i, n).into(), on_pick: on_pick.clone() })
    });
    // The scene moves on every render that has the routing; its memory lives with the chart.
    let memory = use_mut_ref(Scene::default);
    let (trips, flow) = match &props.race {
        Some(race) => {
            let mut scene = memory.borrow_mut();
            scene.update(race.0.borrow().leader(), servers, props.dots, wall_ms());
            (Some(scene::trips(&scene, servers, axis_max)), scene.streams.then(|| scene::flow(&scene)))
        }
        None => (None, None),
    };
    let (streams, flow_note) = match flow {
        Some((streams, note)) => (Some(streams), Some(html! { <li class="flow-note">{ note }</li> })),
        None => (None, None),
    };
    let limit_note = match servers.first() {
        Some(s) if s.capacity() > axis_max => format!("queue full at {} (off the scale)", s.capacity()),
        Some(s) => format!("queue full at {}", s.capacity()),
        None => String::new(),
    };

    html! {
        <figure class={classes!("bar-chart", props.glide.then_some("glide"), props.on_pick.is_some().then_some("pickable"))} >
            <figcaption class="visually-hidden">{ "Connections per server" }</figcaption>
            <div class={classes!("plot", trips.is_some().then_some("with-scene"))}>
                <div class="y-axis" aria-hidden="true">{ for tick_labels }</div>
                <svg class="bars" viewBox={format!("0 0 {} {}", fmt(PLOT_W), fmt(height))} preserveAspectRatio="none" role="img"
                     aria-label={format!("Connections per server, scale 0 to {axis_max}; each count is in the list of servers below")}>
                    <defs>
                        <pattern id="hatch-draining" width="14" height="14" patternUnits="userSpaceOnUse"
                                 patternTransform="rotate(45)">
                            <rect class="hatch-bg" width="14" height="14" />
                            <rect class="hatch-line" width="5" height="14" />
                        </pattern>
                    </defs>
                    { for gridlines }
                    { for streams }
                    { for bars }
                </svg>
                { for trips }
            </div>
            <ol class={classes!("bar-labels", label_classes(n))} aria-label="Servers">{ for labels }</ol>
            <ul class="legend" aria-label="Legend">
                <li><span class="key in-service"></span>{ "in service" }</li>
                <li><span class="key waiting"></span>{ "waiting" }</li>
                if servers.iter().any(|s| s.erring > 0) {
                    <li><span class="key erring"></span>{ "answering with an error" }</li>
                }
                <li><span class="key limit"></span>{ limit_note }</li>
                if servers.iter().any(|s| s.health == Health::Draining || s.removing) {
                    <li><span class="key draining"></span>{ "draining" }</li>
                }
                if servers.iter().any(|s| s.health == Health::Down) {
                    <li><span class="key down"></span>{ "down" }</li>
                }
                { for flow_note }
            </ul>
        </figure>
    }
}

/// The wall clock in milliseconds (the scene's dots live by it); 0 off the browser, where
/// the chart is drawn once (tests/ssr_components.rs).
fn wall_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    return js_sys::Date::now();
    #[cfg(not(target_arch = "wasm32"))]
    0.0
}

/// An SVG coordinate with at most two decimals.
fn fmt(v: f64) -> String {
    let s = lbcore::decimal::Fixed(v, 2).to_string();
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(in_service: u32, waiting: u32) -> ServerView {
        erring_server(in_service, waiting, 0)
    }

    fn erring_server(in_service: u32, waiting: u32, erring: u32) -> ServerView {
        ServerView {
            name: "s".into(),
            weight: 1,
            speed: 1.0,
            health: Health::Up,
            removing: false,
            in_service,
            waiting,
            erring,
            workers: 1,
            queue_limit: 100,
            noticed_down: None,
            fault: None,
        }
    }

    #[test]
    fn heights_are_proportional_and_stack() {
        let g = geometry(1, 4, &server(1, 3), 10, 400.0);
        assert_eq!((g.service_h, g.waiting_h), (40.0, 120.0));
        assert_eq!((g.service_y, g.waiting_y), (360.0, 240.0));
        assert_eq!(g.x + g.width / 2.0, 375.0, "centred in its slot");
        // the erring part sits above the waiting one, the bar as tall as the connections
        let g = geometry(1, 4, &erring_server(1, 3, 2), 10, 400.0);
        assert_eq!((g.waiting_y, g.waiting_h, g.erring_y, g.erring_h), (240.0, 120.0, 160.0, 80.0));
        assert_eq!(geometry(1, 4, &server(1, 3), 10, 400.0).erring_h, 0.0);
    }

    #[test]
    fn labels_thin_out_as_slots_narrow() {
        // 8 servers in the widest tier: (720 - 36) / 8 = 85.5 px each, whole labels; in the
        // 280 px tier 30.5 px, so every second name (61 px >= 54) and every count (30.5 >= 15.2).
        assert_eq!(label_classes(8), "t0-full");
        assert_eq!(label_shows(0, 8), "n1 c1 n2 c2 n3 c3 n4 c4 n5 c5 n6 c6");
        assert_eq!(label_shows(1, 8), "n1 c1 c2 c3", "in the 170 px tier 16.75 px a slot");
        assert_eq!(label_shows(7, 8), "n1 c1 c2 c3", "every name where each fits, the last too");
        assert!(!label_shows(8, 9).contains("n2"), "the last of every 2nd would hang past the edge");
        // 10 servers in the 280 px tier (a 720x480 frame's stage): 24.4 px a slot, every 3rd
        // name; the last, a 3rd, ends at the edge: 3.5 x 24.4 = 85 px clears 1.5 x 54 = 81.
        assert_eq!(label_shows(9, 10), "n0 c0 c1 n2 e2 c2 c5");
        assert!(!label_shows(8, 10).contains("n2"));
        // 16 servers on a phone (the 280 px tier): 15.25 px a slot, every count, every 4th name.
        assert_eq!(label_shows(1, 16), "c0 c1 c2");
        assert_eq!(label_shows(4, 16), "n0 c0 n1 c1 n2 c2 c3 c5");
        // 64 servers at 170 px: 2.1 px a slot, every 32nd name (67 px) and every 8th count.
        assert_eq!(label_classes(64), "");
        assert_eq!(label_shows(8, 64), "c0 n1 c2 c3");
        // 3 servers in the 280 px tier, a phone's frame: 81.3 px each, whole labels and buttons.
        assert_eq!(label_classes(3), "t0-full t1-full t2-full");
        assert_eq!(fits(3), "fit0 fit1 fit2");
        assert_eq!(fits(12), "");
    }

    #[test]
    fn compare_panels_side_by_side_label_without_overlap() {
        // What label i of n shows in the panels' tiers (130, 100 and 60 px).
        let panels = |i, n| {
            let all = label_shows(i, n);
            all.split(' ').filter(|c| c.ends_with(['4', '5', '6'])).collect::<Vec<_>>().join(" ")
        };
        // Four servers: at 130 px (two panels in a 328 px frame) 23.5 px a slot, every count
        // and every 3rd name, the last ending at the edge (3.5 x 23.5 = 82 clears 1.5 x 54);
        // at 100 px (four panels in a 720 px frame) 16 px, every count (16 >= 15.2) and the
        // first name alone (its 54 px would reach the third's); at 60 px (four panels at 328)
        // 6 px, every 3rd count (18 >= 15.2).
        assert_eq!(panels(0, 4), "n4 c4 n5 c5 n6 c6");
        assert_eq!(panels(1, 4), "c4 c5");
        assert_eq!(panels(2, 4), "c4 c5");
        assert_eq!(panels(3, 4), "n4 e4 c4 c5 c6");
        // 64 servers at 60 px: 0.375 px a slot; no stride fits a name or a count, so only the
        // first of each shows.
        assert_eq!(panels(0, 64), "n4 c4 n5 c5 n6 c6");
        assert!(!panels(32, 64).contains('6'), "{}", panels(32, 64));
    }

    #[test]
    fn a_bar_says_its_connections_in_words() {
        assert!(
            describe(&server(1, 0)).contains(": 1 connection (1 in service, 0 waiting), up,"),
            "{}",
            describe(&server(1, 0))
        );
        assert!(describe(&server(1, 2)).contains(": 3 connections (1 in service, 2 waiting)"));
        let erring = describe(&erring_server(3, 2, 40));
        assert!(erring.contains(": 45 connections (3 in service, 2 waiting, 40 answering with an error)"), "{erring}");
    }

    #[test]
    fn bars_above_the_scale_are_clipped() {
        let g = geometry(0, 1, &server(1, 30), 10, 400.0);
        assert_eq!(g.waiting_y, 0.0);
        let g = geometry(0, 1, &erring_server(1, 3, 30), 10, 400.0);
        assert_eq!((g.erring_y, g.erring_h), (0.0, 240.0));
        assert_eq!(fmt(12.5), "12.5");
        assert_eq!(fmt(400.0), "400");
    }
}
