//! The last 30 seconds as two small SVG line charts: connections per server, and the p95
//! response time of the requests completed in each quarter second, with a dashed line where
//! the metrics' count starts (the last change of experiment) if it is in view.

use std::rc::Rc;

use yew::prelude::*;

use crate::format;
use crate::scale;
use crate::snapshot::Recent;

const W: f64 = 600.0;
const H: f64 = 120.0;
/// The drawing's coordinates: [`W`] and [`H`] in tenths (a test checks they agree).
const VIEW_W: &str = "6000";
const VIEW_H: &str = "1200";
const VIEW_BOX: &str = "0 0 6000 1200";
/// Line colours, in server order, repeating.
pub const PALETTE: usize = 8;

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
}

/// The points in tenths of a viewBox unit, as whole numbers: formatting integers is far cheaper
/// than formatting floats, and 64 lines of 120 points are written each time a sample is taken.
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

fn chart(title: &str, top: String, lines: Html, label: String, mark: &Html) -> Html {
    html! {
        <figure class="series">
            <figcaption>{ title.to_string() }<span class="series-max">{ top }</span></figcaption>
            <svg viewBox={VIEW_BOX} preserveAspectRatio="none" role="img" aria-label={label}>
                <line class="grid" x1="0" x2={VIEW_W} y1={VIEW_H} y2={VIEW_H} vector-effect="non-scaling-stroke" />
                <line class="grid" x1="0" x2={VIEW_W} y1="0" y2="0" vector-effect="non-scaling-stroke" />
                { lines }
                { mark.clone() }
            </svg>
        </figure>
    }
}

/// Connections per server and p95 over time.
#[function_component]
pub fn TimeSeries(props: &TimeSeriesProps) -> Html {
    let r = &*props.recent;
    let span = r.span_s.max(1.0);
    let peak = r.lines.iter().flat_map(|l| l.points.iter().map(|p| p.1)).fold(0.0, f64::max);
    let conn_top = scale::nice_ceiling(peak);
    let conn_max = conn_top as f64;
    let lines = r.lines.iter().enumerate().map(|(i, l)| {
        html! {
            <polyline class={format!("line c{}", i % PALETTE)} points={polyline(&l.points, span, conn_max)}
                      vector-effect="non-scaling-stroke"><title>{ l.name.to_string() }</title></polyline>
        }
    });
    let p95_peak = r.p95.iter().map(|p| p.1).fold(0.0, f64::max);
    let p95_max = if p95_peak > 0.0 { nice_seconds(p95_peak) } else { 1.0 };
    let p95_line = html! {
        <polyline class="line p95" points={polyline(&r.p95, span, p95_max)} vector-effect="non-scaling-stroke" />
    };
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
    let latest = r.p95.last().map(|p| format::seconds(p.1)).unwrap_or_else(|| "no completions".to_string());
    let whose = props.of.as_ref().map(|of| format!(", {of}")).unwrap_or_default();
    html! {
        <div class="time-series">
            { chart(
                &format!("Connections per server, last {} s{}", lbcore::decimal::Fixed(span, 0), whose),
                format!("scale 0–{conn_top}"),
                html! { <>{ for lines }</> },
                format!("Connections per server over the last {} seconds, scale 0 to {conn_top}", lbcore::decimal::Fixed(span, 0)),
                &mark,
            ) }
            { chart(
                &format!("p95 response time, last {} s{}", lbcore::decimal::Fixed(span, 0), whose),
                format!("scale 0–{}", format::seconds(p95_max)),
                p95_line,
                format!("p95 response time over the last {} seconds; latest {latest}", lbcore::decimal::Fixed(span, 0)),
                &mark,
            ) }
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
}
