//! The history: the last 30 seconds as small SVG line charts, each with its axes: connections
//! per server (at most [`PALETTE`] lines, each in its own colour and named in a legend; with
//! more servers, the busiest of the 30 seconds, said so), and the p95 response time of the
//! latest [`P95_OF_LAST`] responses at each sample, with a dashed line where the metrics'
//! count starts (the last change of experiment) if it is in view; and, when clients have a
//! timeout, answers per second: throughput (every answer sent) against goodput (the answers a
//! client still waited for), which part when servers work for clients who have given up.
//!
//! No reader sees the history at start (below the fold on the full page, inside the closed
//! "History and decision log" in a frame), so its view is not in the first load: the lab
//! hands the samples it draws as text ([`HistoryInput`]) and the small views' bundle words and
//! draws them ([`HistoryView`], through [`crate::components::on_demand_slot`]). Handing it
//! finished texts instead kept the wording's code in the lab and saved nothing (lab wasm
//! 217,803 -> 218,398 gzip bytes). [`TimeSeries`] holds the place and asks for the bundle
//! only when the place first comes near the viewport, and writes nothing until then.

use std::rc::Rc;

use lbcore::decimal::Fixed;
use lbcore::metrics::P95_OF_LAST;
use yew::prelude::*;

use crate::components::on_demand_slot::OnDemandSlot;
use crate::format;
use crate::hooks::intersection;
use crate::scale;
use crate::snapshot::{Line, Recent};

const W: f64 = 600.0;
const H: f64 = 120.0;
/// The drawing's coordinates: [`W`] and [`H`] in tenths (a test checks they agree).
const VIEW_W: &str = "6000";
const VIEW_H: &str = "1200";
const VIEW_BOX: &str = "0 0 6000 1200";
/// Line colours: the connections chart draws at most this many lines, one colour each.
pub const PALETTE: usize = 8;
/// Each drawn line's class and its legend key's, by colour (static: no formatting in texts
/// written four times a simulated second).
const LINE_CLASSES: [&str; PALETTE] =
    ["line c0", "line c1", "line c2", "line c3", "line c4", "line c5", "line c6", "line c7"];
const KEY_CLASSES: [&str; PALETTE] = ["c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7"];
/// How far outside the viewport the history's place starts loading its view: a few wheel
/// steps ahead, so that a reader scrolling down finds it drawn, yet short of where the full page
/// puts it at 1280x800 (its top 1,147 px down, below the 800 px fold: 400 px loaded it at start).
const LOAD_MARGIN: &str = "200px";

/// The history's inputs.
#[derive(Properties, PartialEq)]
pub struct TimeSeriesProps {
    /// The recent samples.
    pub recent: Rc<Recent>,
    /// Seconds ago the metrics' measurement window started, if after time zero.
    #[prop_or_default]
    pub window_age: Option<f64>,
    /// Whose run it is, when the page shows several (compare mode: the first panel's).
    #[prop_or_default]
    pub of: Option<AttrValue>,
    /// Whether to draw answers per second too, throughput and goodput (when clients have a
    /// timeout, and the two can part).
    #[prop_or_default]
    pub answers: bool,
    /// Whether to draw only the one chart a lesson's stage has room for ([`HistoryInput::one`]).
    #[prop_or_default]
    pub one: bool,
}

/// The points in tenths of a viewBox unit, as whole numbers: formatting integers is far cheaper
/// than formatting floats, and 8 lines of 120 points are written each time a sample is taken.
fn polyline(points: &[(f64, f64)], span: f64, max: f64) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(points.len() * 10);
    for (age, v) in points {
        let x = ((W - age / span * W) * 10.0).round() as i64;
        let y = ((H - (v / max).min(1.0) * H) * 10.0).round() as i64;
        let _ = write!(out, "{}{x},{y}", if out.is_empty() { "" } else { " " });
    }
    out
}

/// The lines the connections chart draws, in server order: every server's when they are at most
/// [`PALETTE`], else the [`PALETTE`] with the most connections at any sample in view (ties to
/// the first), so that each has a colour of its own. Picked by [`PALETTE`] scans rather than a
/// sort, which would add a sort's code to the wasm for 64 numbers.
pub fn shown_lines(lines: &[Line]) -> Vec<&Line> {
    let peaks: Vec<f64> = lines.iter().map(|l| l.points.iter().map(|p| p.1).fold(0.0, f64::max)).collect();
    let mut keep = vec![lines.len() <= PALETTE; lines.len()];
    for _ in 0..if lines.len() > PALETTE { PALETTE } else { 0 } {
        let mut best: Option<usize> = None;
        for (i, &p) in peaks.iter().enumerate() {
            if !keep[i] && best.is_none_or(|b| p > peaks[b]) {
                best = Some(i);
            }
        }
        keep[best.expect("more lines than colours")] = true;
    }
    lines.iter().zip(keep).filter_map(|(l, k)| k.then_some(l)).collect()
}

/// What the history draws: the samples of the lines in view, as the lab hands them to the small
/// views' bundle, written and read as one text ([`HistoryInput::write`], [`HistoryInput::read`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HistoryInput {
    /// The recent samples, with only the connections lines drawn ([`shown_lines`]).
    pub recent: Recent,
    /// How many servers there are: more than the lines drawn when they are more than [`PALETTE`].
    pub servers: usize,
    /// The most connections of any server at any sample in view, drawn or not (the scale's top).
    pub peak: f64,
    /// Seconds ago the metrics' measurement window started, if after time zero.
    pub window_age: Option<f64>,
    /// Whose run it is, when the page shows several.
    pub of: Option<String>,
    /// Whether to chart answers per second, throughput against goodput.
    pub answers: bool,
    /// Whether to draw one chart only, in a lesson's stage in place of the bars: answers per
    /// second when they are charted (what the bars cannot show: throughput against goodput),
    /// else connections per server.
    pub one: bool,
}

/// A number as the decimal of its bits: exact both ways, and integer formatting only, cheap
/// enough for the samples written four times a simulated second.
fn write_number(x: f64, out: &mut String) {
    use std::fmt::Write;
    let _ = write!(out, "{}", x.to_bits());
}

/// The number [`write_number`] wrote.
fn read_number(text: &str) -> Option<f64> {
    text.parse().ok().map(f64::from_bits)
}

/// `(age, value)` pairs as [`write_number`] writes them, `age,value` space-separated.
fn write_points(points: &[(f64, f64)], out: &mut String) {
    for (i, (age, v)) in points.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        write_number(*age, out);
        out.push(',');
        write_number(*v, out);
    }
}

/// The points [`write_points`] wrote; `None` if any is not one.
fn read_points(text: &str) -> Option<Vec<(f64, f64)>> {
    text.split(' ')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (age, v) = p.split_once(',')?;
            Some((read_number(age)?, read_number(v)?))
        })
        .collect()
}

impl HistoryInput {
    /// What the history of `recent` draws: `window_age` seconds ago the metrics' count started
    /// (if after time zero), `of` whose run it is (when the page shows several), and `answers`
    /// whether to chart throughput against goodput.
    pub fn of(recent: &Recent, window_age: Option<f64>, of: Option<&str>, answers: bool) -> HistoryInput {
        let lines = shown_lines(&recent.lines).into_iter().cloned().collect();
        HistoryInput {
            recent: Recent { lines, ..recent.clone() },
            servers: recent.lines.len(),
            peak: recent.lines.iter().flat_map(|l| l.points.iter().map(|p| p.1)).fold(0.0, f64::max),
            window_age,
            of: of.map(str::to_string),
            answers,
            one: false,
        }
    }

    /// The input as one text: a record a line, its fields tab-separated, texts escaped, numbers
    /// as [`write_number`] writes them: `span`, `servers`, `peak`, `p95of`, `answers`, `one`, `window`
    /// and `of` if set, a `line name points` each, `p95`, `throughput` and `goodput points`, and
    /// a `fault from to what` each.
    pub fn write(&self) -> String {
        let r = &self.recent;
        let points: usize = r.lines.iter().map(|l| l.points.len()).sum::<usize>() + r.p95.len() * 3;
        let mut out = String::with_capacity(64 + points * 40);
        let number = |key: &str, x: f64, out: &mut String| {
            out.push_str(key);
            out.push('\t');
            write_number(x, out);
            out.push('\n');
        };
        number("span", r.span_s, &mut out);
        number("servers", self.servers as f64, &mut out);
        number("peak", self.peak, &mut out);
        number("p95of", f64::from(r.p95_of), &mut out);
        number("answers", f64::from(u8::from(self.answers)), &mut out);
        number("one", f64::from(u8::from(self.one)), &mut out);
        if let Some(age) = self.window_age {
            number("window", age, &mut out);
        }
        if let Some(of) = &self.of {
            out.push_str("of\t");
            escape(of, &mut out);
            out.push('\n');
        }
        for l in &r.lines {
            out.push_str("line\t");
            escape(&l.name, &mut out);
            out.push('\t');
            write_points(&l.points, &mut out);
            out.push('\n');
        }
        for (key, points) in [("p95", &r.p95), ("throughput", &r.throughput), ("goodput", &r.goodput)] {
            out.push_str(key);
            out.push('\t');
            write_points(points, &mut out);
            out.push('\n');
        }
        for (from, to, what) in &r.faults {
            out.push_str("fault\t");
            write_number(*from, &mut out);
            out.push('\t');
            write_number(*to, &mut out);
            out.push('\t');
            escape(what, &mut out);
            out.push('\n');
        }
        out
    }

    /// The input [`HistoryInput::write`] wrote; a record that is not one is left out.
    pub fn read(text: &str) -> HistoryInput {
        let mut h = HistoryInput::default();
        for line in text.split('\n') {
            let fields: Vec<&str> = line.split('\t').collect();
            let r = &mut h.recent;
            match fields.as_slice() {
                [key, x] if read_number(x).is_some() && !matches!(*key, "p95" | "throughput" | "goodput") => {
                    let x = read_number(x).unwrap_or_default();
                    match *key {
                        "span" => r.span_s = x,
                        "servers" => h.servers = x as usize,
                        "peak" => h.peak = x,
                        "p95of" => r.p95_of = x as u32,
                        "answers" => h.answers = x == 1.0,
                        "one" => h.one = x == 1.0,
                        "window" => h.window_age = Some(x),
                        _ => {}
                    }
                }
                ["of", of] => h.of = Some(unescape(of)),
                ["line", name, points] => {
                    if let Some(points) = read_points(points) {
                        r.lines.push(Line { name: unescape(name).into(), points });
                    }
                }
                [key @ ("p95" | "throughput" | "goodput"), points] => {
                    let points = read_points(points).unwrap_or_default();
                    match *key {
                        "p95" => r.p95 = points,
                        "throughput" => r.throughput = points,
                        _ => r.goodput = points,
                    }
                }
                ["fault", from, to, what] => {
                    if let (Some(from), Some(to)) = (read_number(from), read_number(to)) {
                        r.faults.push((from, to, unescape(what)));
                    }
                }
                _ => {}
            }
        }
        h
    }
}

/// A legend under a chart: its test id (`series-legend`, `answers-legend`) and its keys,
/// `(class, text)` each.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LegendTexts {
    /// Its test id.
    pub id: String,
    /// Its keys: the class that colours the key, and the text.
    pub keys: Vec<(String, String)>,
}

/// One chart of the history as finished texts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChartTexts {
    /// The caption.
    pub title: String,
    /// The drawing's accessible label.
    pub label: String,
    /// The y axis' labels, bottom to top, evenly spaced like the grid lines.
    pub y_labels: Vec<String>,
    /// The grid lines' heights in the drawing's coordinates.
    pub grid: Vec<String>,
    /// The lines drawn: class and points (as `polyline` writes them).
    pub lines: Vec<(String, String)>,
    /// Whether the fault bands are drawn under the lines.
    pub bands: bool,
    /// Whether the window's mark is drawn over them.
    pub mark: bool,
    /// The legend under it, if any.
    pub legend: Option<LegendTexts>,
}

/// The history as finished texts, worded from a [`HistoryInput`] in the small views' bundle.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HistoryTexts {
    /// Where the x axis starts (`30 s ago`; CSS writes "now" at its end).
    pub from: String,
    /// Where the metrics' count starts, in the drawing's coordinates, if in view.
    pub mark: Option<String>,
    /// The scheduled faults in view: `(x, width, title)`, in the drawing's coordinates.
    pub bands: Vec<(String, String, String)>,
    /// The charts, top to bottom.
    pub charts: Vec<ChartTexts>,
}

/// A field of a written record: `\`, tab and newline escaped, so that any name stays one field.
fn escape(field: &str, out: &mut String) {
    for c in field.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
}

/// The field [`escape`] wrote.
fn unescape(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            },
            (c, false) => out.push(c),
        }
    }
    out
}

impl HistoryTexts {
    /// The history of `input`.
    pub fn of(input: &HistoryInput) -> HistoryTexts {
        let (r, window_age, of, answers) = (&input.recent, input.window_age, input.of.as_deref(), input.answers);
        let span = r.span_s.max(1.0);
        let secs = Fixed(span, 0);
        let whose = of.map(|of| format!(", {of}")).unwrap_or_default();
        let mark =
            window_age.filter(|&age| age <= span).map(|age| (((W - age / span * W) * 10.0).round() as i64).to_string());
        // the scheduled faults in view, a band each from its start to its end (or now)
        let x_of = |age: f64| (W - age.min(span) / span * W) * 10.0;
        let bands = r
            .faults
            .iter()
            .map(|(from, to, what)| {
                let (x0, x1) = (x_of(*from).round() as i64, x_of(*to).round() as i64);
                (x0.to_string(), (x1 - x0).max(1).to_string(), format!("Scheduled fault: {what}"))
            })
            .collect();
        let faults_key = (!r.faults.is_empty()).then(|| ("fault".to_string(), "scheduled fault".to_string()));
        let grid_of = |fractions: &mut dyn Iterator<Item = f64>| {
            fractions.map(|f| (((1.0 - f) * H * 10.0).round() as i64).to_string()).collect::<Vec<_>>()
        };

        // Connections: the scale fits the tallest line in view, whichever are drawn.
        let shown = &r.lines;
        let conn_top = scale::nice_ceiling(input.peak);
        let ticks = scale::ticks(conn_top);
        let hidden = input.servers.saturating_sub(shown.len());
        let which = if hidden > 0 { format!(", the {PALETTE} busiest of {}", input.servers) } else { String::new() };
        let mut keys: Vec<(String, String)> =
            shown.iter().enumerate().map(|(i, l)| (KEY_CLASSES[i].to_string(), l.name.to_string())).collect();
        if hidden > 0 {
            keys.push(("more".to_string(), format!("{hidden} more not drawn")));
        }
        keys.extend(faults_key.clone());
        let connections = ChartTexts {
            title: format!("Connections per server{which}, last {secs} s{whose}"),
            label: format!("Connections per server{which} over the last {secs} seconds, scale 0 to {conn_top}"),
            y_labels: ticks.iter().map(|&t| scale::tick_label(t)).collect(),
            grid: grid_of(&mut ticks.iter().map(|&t| t as f64 / conn_top as f64)),
            lines: shown
                .iter()
                .enumerate()
                .map(|(i, l)| (LINE_CLASSES[i].to_string(), polyline(&l.points, span, conn_top as f64)))
                .collect(),
            bands: true,
            mark: true,
            legend: Some(LegendTexts { id: "series-legend".to_string(), keys }),
        };

        // p95: of the latest responses, fewer only at the start.
        let p95_peak = r.p95.iter().map(|p| p.1).fold(0.0, f64::max);
        let p95_max = if p95_peak > 0.0 { nice_seconds(p95_peak) } else { 1.0 };
        let of_what = if r.p95_of as usize >= P95_OF_LAST || r.p95.is_empty() {
            format!("of the last {P95_OF_LAST} responses")
        } else {
            format!("of the responses so far ({})", r.p95_of)
        };
        let latest = r.p95.last().map(|p| format::seconds(p.1)).unwrap_or_else(|| "no responses yet".to_string());
        let p95 = ChartTexts {
            title: format!("p95 response time {of_what}, last {secs} s{whose}"),
            label: format!("p95 response time {of_what}, over the last {secs} seconds; latest {latest}"),
            y_labels: [0.0, 0.5, 1.0].iter().map(|f| format::seconds(p95_max * f)).collect(),
            grid: grid_of(&mut [0.0, 0.5, 1.0].into_iter()),
            lines: vec![("line p95".to_string(), polyline(&r.p95, span, p95_max))],
            bands: false,
            mark: true,
            legend: None,
        };
        let mut charts = vec![connections, p95];
        if answers {
            let peak = r.throughput.iter().chain(&r.goodput).map(|p| p.1).fold(0.0, f64::max);
            let top = scale::nice_ceiling(peak);
            let ticks = scale::ticks(top);
            let latest = |v: &[(f64, f64)]| v.last().map_or(0.0, |p| p.1);
            let (t, g) = (format::rate(latest(&r.throughput)), format::rate(latest(&r.goodput)));
            // a lesson's stage words its keys short, so that they fit one line of a phone's stage
            let [served, answered] = if input.one {
                ["throughput: all answers", "goodput: in time"]
            } else {
                ["throughput: every answer", "goodput: answers a client waited for"]
            };
            let mut keys =
                vec![("served".to_string(), served.to_string()), ("answered".to_string(), answered.to_string())];
            keys.extend(faults_key);
            charts.push(ChartTexts {
                title: format!("Answers per second, last {secs} s{whose}"),
                label: format!(
                    "Answers per second over the last {secs} seconds: throughput, latest {t}; goodput, latest {g}"
                ),
                y_labels: ticks.iter().map(|&t| scale::tick_label(t)).collect(),
                grid: grid_of(&mut ticks.iter().map(|&t| t as f64 / top as f64)),
                lines: vec![
                    ("line served".to_string(), polyline(&r.throughput, span, top as f64)),
                    ("line answered".to_string(), polyline(&r.goodput, span, top as f64)),
                ],
                bands: true,
                mark: false,
                legend: Some(LegendTexts { id: "answers-legend".to_string(), keys }),
            });
        }
        if input.one {
            let kept = charts.swap_remove(if answers { charts.len() - 1 } else { 0 });
            charts = vec![kept];
        }
        HistoryTexts { from: format!("{secs} s ago"), mark, bands, charts }
    }
}

/// The drawn history's inputs.
#[derive(Properties, PartialEq)]
pub struct HistoryViewProps {
    /// What it draws.
    pub input: Rc<HistoryInput>,
}

/// The history's charts (in the small views' bundle). As few elements as will do: each costs
/// the bundle code.
#[function_component]
pub fn HistoryView(props: &HistoryViewProps) -> Html {
    let h = &HistoryTexts::of(&props.input);
    let mark = h.mark.as_ref().map(|x| {
        html! {
            <line class="window-mark" data-testid="window-mark" x1={x.clone()} x2={x.clone()} y1="0" y2={VIEW_H}
                  vector-effect="non-scaling-stroke"><title>{ "The metrics count from here" }</title></line>
        }
    });
    let bands = html! {
        <>{ for h.bands.iter().map(|(x, width, title)| html! {
            <rect class="fault-band" data-testid="fault-band" x={x.clone()} width={width.clone()}
                  y="0" height={VIEW_H}><title>{ title.clone() }</title></rect>
        }) }</>
    };
    let chart = |c: &ChartTexts| {
        let grid = c.grid.iter().map(|y| {
            html! { <line class="grid" x1="0" x2={VIEW_W} y1={y.clone()} y2={y.clone()} vector-effect="non-scaling-stroke" /> }
        });
        let lines = c.lines.iter().map(|(class, points)| {
            html! { <polyline class={class.clone()} points={points.clone()} vector-effect="non-scaling-stroke" /> }
        });
        let legend = c.legend.as_ref().map(|l| {
            html! {
                <ul class="series-legend" data-testid={l.id.clone()} aria-label="Lines">
                    { for l.keys.iter().map(|(class, text)| html! { <li class={class.clone()}>{ text.clone() }</li> }) }
                </ul>
            }
        });
        html! {
            <figure class="series">
                <figcaption>{ c.title.clone() }</figcaption>
                // the labels are evenly spaced, so CSS spaces them (no style attributes: the page
                // keeps a strict Content-Security-Policy)
                <div class="series-y" aria-hidden="true">{ for c.y_labels.iter().map(|t| html! { <span>{ t.clone() }</span> }) }</div>
                <svg viewBox={VIEW_BOX} preserveAspectRatio="none" role="img" aria-label={c.label.clone()}>
                    { for grid }
                    if c.bands { { bands.clone() } }
                    { for lines }
                    if c.mark { { for mark.clone() } }
                </svg>
                <p class="series-x" aria-hidden="true">{ h.from.clone() }</p>
                { for legend }
            </figure>
        }
    };
    html! { <div class="time-series">{ for h.charts.iter().map(chart) }</div> }
}

/// The history's place on the page: it says the history is loading until the place first comes
/// within [`LOAD_MARGIN`] of the viewport (never, inside a closed `<details>`), and from then on
/// hands the small views' bundle what the history draws, written only then, each time it changes.
#[function_component]
pub fn TimeSeries(props: &TimeSeriesProps) -> Html {
    let place = use_node_ref();
    let seen = use_state_eq(|| false);
    {
        let seen = seen.clone();
        use_effect_with((place.clone(), *seen), move |(place, already)| {
            let watch = place.cast::<web_sys::Element>().filter(|_| !*already).and_then(|e| {
                intersection::watch(&e, LOAD_MARGIN, move |near| {
                    if near {
                        seen.set(true);
                    }
                })
            });
            move || drop(watch)
        });
    }
    let slot = (*seen).then(|| {
        let input = HistoryInput {
            one: props.one,
            ..HistoryInput::of(&props.recent, props.window_age, props.of.as_deref(), props.answers)
        };
        html! {
            <OnDemandSlot export="show_history" id="history-root" name="history-slot" loading="Loading the history…"
                          what="The history" texts={vec![AttrValue::from(input.write())]} />
        }
    });
    html! {
        <div class="history-place" ref={place}>
            if let Some(slot) = slot { { slot } } else { <p class="loading">{ "Loading the history…" }</p> }
        </div>
    }
}

/// A round number of seconds at least `s`: 1, 2 or 5 times a power of ten.
fn nice_seconds(s: f64) -> f64 {
    let mut step = 1e-4;
    while step < 1e6 {
        for m in [1.0, 2.0, 5.0] {
            if step * m >= s {
                return step * m;
            }
        }
        step *= 10.0;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_view_box_is_the_drawing_in_tenths() {
        assert_eq!(VIEW_W, format!("{}", W * 10.0));
        assert_eq!(VIEW_H, format!("{}", H * 10.0));
        assert_eq!(VIEW_BOX, format!("0 0 {VIEW_W} {VIEW_H}"));
    }

    fn line(name: &str, peak: f64) -> Line {
        Line { name: name.into(), points: vec![(2.0, 0.0), (1.0, peak), (0.0, 1.0)] }
    }

    #[test]
    fn the_busiest_lines_are_drawn_in_server_order_when_they_are_more_than_the_colours() {
        let few: Vec<Line> = (0..3).map(|i| line(&format!("s{i}"), i as f64)).collect();
        assert_eq!(shown_lines(&few).len(), 3, "every line when each has a colour");
        // 12 servers: peaks 0, 1, ..., 11, except s2 which peaks at 50; ties go to the first
        let mut many: Vec<Line> = (0..12).map(|i| line(&format!("s{i}"), i as f64)).collect();
        many[2] = line("s2", 50.0);
        many[11] = line("s11", 4.0);
        let names: Vec<&str> = shown_lines(&many).iter().map(|l| &*l.name).collect();
        assert_eq!(names, ["s2", "s4", "s5", "s6", "s7", "s8", "s9", "s10"], "s11 ties s4 at 4 and comes after it");
    }

    #[test]
    fn the_history_reads_back_as_written_whatever_the_names_hold() {
        // names with every character the writing escapes, and markup; numbers that decimal
        // text would round (0.1 + 0.2, a third): the bundle must get the very same samples
        let names = ["a\tb", "c\nd\\", "<script>x</script>", "\\t", "", "e", "f", "g", "h", "i"];
        let lines = names.iter().enumerate().map(|(i, n)| line(n, i as f64)).collect();
        let recent = Recent {
            span_s: 30.0,
            lines,
            p95: vec![(1.0 / 3.0, 0.1 + 0.2), (0.0, 0.5)],
            p95_of: 40,
            throughput: vec![(0.0, 20.0)],
            goodput: vec![(0.0, 10.0)],
            faults: vec![(20.0, 10.0, "server2 slowed\tto 0.2×".to_string())],
        };
        let input = HistoryInput::of(&recent, Some(12.0), Some("round-robin (the first panel)"), true);
        assert_eq!((input.servers, input.recent.lines.len(), input.peak), (10, PALETTE, 9.0), "the 8 busiest of 10");
        let read = HistoryInput::read(&input.write());
        assert_eq!(read, input);
        assert_eq!(read.recent.p95[0], (1.0 / 3.0, 0.1 + 0.2), "bit for bit");
        assert_eq!(
            HistoryInput::read("p95\t1,x\nline\tname\t1\nnonsense"),
            HistoryInput::default(),
            "not records: left out"
        );

        let texts = HistoryTexts::of(&read);
        assert_eq!(texts.charts.len(), 3, "connections, p95, answers");
        assert!(
            texts.charts[0].title.starts_with("Connections per server, the 8 busiest of 10, last 30 s, round-robin")
        );
        let keys = &texts.charts[0].legend.as_ref().expect("a legend").keys;
        // peaks 0..9: the 8 busiest are the last 8, in server order, then the 2 not drawn
        let legend: Vec<&str> = keys.iter().map(|k| &k.1[..]).collect();
        assert_eq!(
            legend,
            ["<script>x</script>", "\\t", "", "e", "f", "g", "h", "i", "2 more not drawn", "scheduled fault"]
        );
        // 12 s ago of 30 s across 6000 tenths: 6000 - 12/30 * 6000 = 3600
        assert_eq!(texts.mark.as_deref(), Some("3600"));
        // a fault from 20 s ago to 10 s ago: from x = 2000, 2000 wide
        assert_eq!((&texts.bands[0].0[..], &texts.bands[0].1[..]), ("2000", "2000"));
        let without = HistoryTexts::of(&HistoryInput::of(&recent, Some(31.0), None, false));
        assert_eq!((without.charts.len(), without.mark), (2, None), "no answers chart; the mark out of view");
        // a lesson's stage: the one chart the bars cannot show, read back as written
        let one = |answers| HistoryInput { one: true, ..HistoryInput::of(&recent, None, None, answers) };
        let stage = HistoryTexts::of(&HistoryInput::read(&one(true).write()));
        assert_eq!(stage.charts.len(), 1);
        assert!(stage.charts[0].title.starts_with("Answers per second"), "throughput against goodput");
        let stage = HistoryTexts::of(&HistoryInput::read(&one(false).write()));
        assert!(stage.charts[0].title.starts_with("Connections per server"), "without a timeout");
    }
}
