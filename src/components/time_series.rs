//! The last 30 seconds as two small SVG line charts, each with its axes: connections per
//! server (at most [`PALETTE`] lines, each in its own colour and named in a legend; with more
//! servers, the busiest of the 30 seconds, said so), and the p95 response time of the latest
//! [`P95_OF_LAST`] responses at each sample, with a dashed line where the metrics' count
//! starts (the last change of experiment) if it is in view; and, when clients have a timeout,
//! answers per second: throughput (every answer sent) against goodput (the answers a client
//! still waited for), which part when servers work for clients who have given up.

use std::rc::Rc;

use lbcore::decimal::Fixed;
use lbcore::metrics::P95_OF_LAST;
use yew::prelude::*;

use crate::format;
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
/// Each drawn line's class and its legend key's, by colour (static: no formatting in a view
/// drawn four times a simulated second).
const LINE_CLASSES: [&str; PALETTE] =
    ["line c0", "line c1", "line c2", "line c3", "line c4", "line c5", "line c6", "line c7"];
const KEY_CLASSES: [&str; PALETTE] = ["c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7"];

/// The charts' inputs.
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

/// A chart: its caption, the y axis' labels (bottom to top, evenly spaced like the grid lines
/// at `grid`, fractions of the height), where the x axis starts (`30 s ago`; CSS writes "now" at
/// its end), the drawing, its label, and what follows it (the legend). As few elements as
/// will do: each costs the wasm code in the view.
fn chart(
    title: String,
    y_labels: Vec<String>,
    grid: Vec<f64>,
    from: &str,
    plot: Html,
    label: String,
    after: Html,
) -> Html {
    let grid = grid.into_iter().map(|f| {
        let y = (((1.0 - f) * H * 10.0).round() as i64).to_string();
        html! { <line class="grid" x1="0" x2={VIEW_W} y1={y.clone()} y2={y} vector-effect="non-scaling-stroke" /> }
    });
    html! {
        <figure class="series">
            <figcaption>{ title }</figcaption>
            // the labels are evenly spaced, so CSS spaces them (no style attributes: the page
            // keeps a strict Content-Security-Policy)
            <div class="series-y" aria-hidden="true">{ for y_labels.into_iter().map(|t| html! { <span>{ t }</span> }) }</div>
            <svg viewBox={VIEW_BOX} preserveAspectRatio="none" role="img" aria-label={label}>
                { for grid }
                { plot }
            </svg>
            <p class="series-x" aria-hidden="true">{ from }</p>
            { after }
        </figure>
    }
}

/// Connections per server and p95 over time.
#[function_component]
pub fn TimeSeries(props: &TimeSeriesProps) -> Html {
    let r = &*props.recent;
    let span = r.span_s.max(1.0);
    let secs = Fixed(span, 0);
    let whose = props.of.as_ref().map(|of| format!(", {of}")).unwrap_or_default();
    let mark = match props.window_age {
        Some(age) if age <= span => {
            let x = (((W - age / span * W) * 10.0).round() as i64).to_string();
            html! {
                <line class="window-mark" data-testid="window-mark" x1={x.clone()} x2={x} y1="0" y2={VIEW_H}
                      vector-effect="non-scaling-stroke"><title>{ "The metrics count from here" }</title></line>
            }
        }
        _ => Html::default(),
    };
    let from = format!("{secs} s ago");
    // the scheduled faults in view, a band each from its start to its end (or now)
    let x_of = |age: f64| (W - age.min(span) / span * W) * 10.0;
    let bands = html! {
        <>{ for r.faults.iter().map(|(from, to, what)| {
            let (x0, x1) = (x_of(*from).round() as i64, x_of(*to).round() as i64);
            html! {
                <rect class="fault-band" data-testid="fault-band" x={x0.to_string()} width={(x1 - x0).max(1).to_string()}
                      y="0" height={VIEW_H}><title>{ format!("Scheduled fault: {what}") }</title></rect>
            }
        }) }</>
    };
    let faults_key = (!r.faults.is_empty()).then(|| html! { <li class="fault">{ "scheduled fault" }</li> });

    // Connections: the scale fits the tallest line in view, whichever are drawn.
    let shown = shown_lines(&r.lines);
    let peak = r.lines.iter().flat_map(|l| l.points.iter().map(|p| p.1)).fold(0.0, f64::max);
    let conn_top = scale::nice_ceiling(peak);
    let ticks = scale::ticks(conn_top);
    let lines = shown.iter().enumerate().map(|(i, l)| {
        html! {
            // named in the legend, by colour
            <polyline class={LINE_CLASSES[i]} points={polyline(&l.points, span, conn_top as f64)}
                      vector-effect="non-scaling-stroke" />
        }
    });
    let keys = shown.iter().enumerate().map(|(i, l)| {
        html! { <li class={KEY_CLASSES[i]}>{ l.name.to_string() }</li> }
    });
    let hidden = r.lines.len() - shown.len();
    let which = if hidden > 0 { format!(", the {PALETTE} busiest of {}", r.lines.len()) } else { String::new() };
    let legend = html! {
        <ul class="series-legend" data-testid="series-legend" aria-label="Lines">
            { for keys }
            if hidden > 0 {
                <li class="more">{ format!("{hidden} more not drawn") }</li>
            }
            { for faults_key.clone() }
        </ul>
    };
    let connections = chart(
        format!("Connections per server{which}, last {secs} s{whose}"),
        ticks.iter().map(u32::to_string).collect(),
        ticks.iter().map(|&t| t as f64 / conn_top as f64).collect(),
        &from,
        html! { <>{ bands.clone() }{ for lines }{ mark.clone() }</> },
        format!("Connections per server{which} over the last {secs} seconds, scale 0 to {conn_top}"),
        legend,
    );

    // p95: of the latest responses, fewer only at the start.
    let p95_peak = r.p95.iter().map(|p| p.1).fold(0.0, f64::max);
    let p95_max = if p95_peak > 0.0 { nice_seconds(p95_peak) } else { 1.0 };
    let of_what = if r.p95_of as usize >= P95_OF_LAST || r.p95.is_empty() {
        format!("of the last {P95_OF_LAST} responses")
    } else {
        format!("of the responses so far ({})", r.p95_of)
    };
    let latest = r.p95.last().map(|p| format::seconds(p.1)).unwrap_or_else(|| "no responses yet".to_string());
    let p95 = chart(
        format!("p95 response time {of_what}, last {secs} s{whose}"),
        [0.0, 0.5, 1.0].iter().map(|f| format::seconds(p95_max * f)).collect(),
        vec![0.0, 0.5, 1.0],
        &from,
        html! {
            <>
                <polyline class="line p95" points={polyline(&r.p95, span, p95_max)} vector-effect="non-scaling-stroke" />
                { mark }
            </>
        },
        format!("p95 response time {of_what}, over the last {secs} seconds; latest {latest}"),
        Html::default(),
    );
    let answers = props.answers.then(|| {
        let peak = r.throughput.iter().chain(&r.goodput).map(|p| p.1).fold(0.0, f64::max);
        let top = scale::nice_ceiling(peak);
        let ticks = scale::ticks(top);
        let latest = |v: &[(f64, f64)]| v.last().map_or(0.0, |p| p.1);
        let (t, g) = (format::rate(latest(&r.throughput)), format::rate(latest(&r.goodput)));
        chart(
            format!("Answers per second, last {secs} s{whose}"),
            ticks.iter().map(u32::to_string).collect(),
            ticks.iter().map(|&t| t as f64 / top as f64).collect(),
            &from,
            html! {
                <>
                    { bands }
                    <polyline class="line served" points={polyline(&r.throughput, span, top as f64)} vector-effect="non-scaling-stroke" />
                    <polyline class="line answered" points={polyline(&r.goodput, span, top as f64)} vector-effect="non-scaling-stroke" />
                </>
            },
            format!("Answers per second over the last {secs} seconds: throughput, latest {t}; goodput, latest {g}"),
            html! {
                <ul class="series-legend" data-testid="answers-legend" aria-label="Lines">
                    <li class="served">{ "throughput: every answer" }</li>
                    <li class="answered">{ "goodput: answers a client waited for" }</li>
                    { for faults_key }
                </ul>
            },
        )
    });
    html! { <div class="time-series">{ connections }{ p95 }{ for answers }</div> }
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
}
