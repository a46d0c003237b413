//! One plot of a load sweep: a figure (mean or p99 response time, goodput) against offered
//! load, a line per algorithm (and per value of a second swept setting), and the M/M/1/K curve
//! of random routing where theory gives one.

use std::fmt::Write;
use std::rc::Rc;

use lbcore::Algorithm;
use lbcore::decimal::{Fixed, shortest};
use lbcore::sweep::Row;
use lbcore::sweep::over::Dim;
use yew::prelude::*;

use crate::experiments::theory::Mm1k;
use crate::format;

const W: f64 = 320.0;
const H: f64 = 200.0;
/// Room for the axis labels: left, right, top, bottom.
const LEFT: f64 = 46.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 30.0;

/// Which figure of a row a plot shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Figure {
    /// Mean response time.
    Mean,
    /// 99th percentile response time.
    P99,
    /// Requests answered while their client waited, per second.
    Goodput,
}

impl Figure {
    /// The figure's value in a row, seconds.
    pub fn of(self, row: &Row) -> f64 {
        match self {
            Figure::Mean => row.mean_response_s,
            Figure::P99 => row.p99_response_s,
            Figure::Goodput => row.goodput_rps,
        }
    }

    /// A value of it as the plot writes it: seconds, or a rate.
    pub fn show(self, v: f64) -> String {
        match self {
            Figure::Goodput => format::rate(v),
            _ => format::seconds(v),
        }
    }

    /// Its name in the plot's title.
    pub fn name(self) -> &'static str {
        match self {
            Figure::Mean => "Mean response time",
            Figure::P99 => "p99 response time",
            Figure::Goodput => "Goodput",
        }
    }

    /// Its id in `data-figure`.
    pub fn id(self) -> &'static str {
        match self {
            Figure::Mean => "mean",
            Figure::P99 => "p99",
            Figure::Goodput => "goodput",
        }
    }

    /// Its value in theory at offered load `rho` for one server that is the queue `q` (none for
    /// goodput, which the view plots only beside timeouts that the queue does not model).
    pub fn theory(self, q: Mm1k, rho: f64) -> f64 {
        match self {
            Figure::Mean => q.mean(rho),
            Figure::P99 => q.p99(rho),
            Figure::Goodput => f64::NAN,
        }
    }
}

/// A plot's inputs.
#[derive(Properties, PartialEq)]
pub struct SweepChartProps {
    /// What it plots.
    pub figure: Figure,
    /// The algorithms, in legend order (their colours follow it).
    pub algorithms: Rc<Vec<Algorithm>>,
    /// The runs so far, by index in the sweep (algorithm-major).
    pub rows: Rc<Vec<Option<Row>>>,
    /// The queue each server is under random routing, where theory gives one.
    pub theory: Option<Mm1k>,
    /// The second setting swept (each algorithm's runs go over its values, the loads inside):
    /// a line per algorithm and value.
    #[prop_or_default]
    pub second: Option<Rc<Dim>>,
}

/// Round axis steps: 1, 2 or 5 times a power of ten.
fn nice_step(span: f64, ticks: f64) -> f64 {
    let raw = (span / ticks).max(1e-9);
    let p = libm::pow(10.0, libm::log10(raw).floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * p).find(|&s| s >= raw).unwrap_or(10.0 * p)
}

fn x(load: f64) -> f64 {
    LEFT + load * (W - LEFT - RIGHT)
}

fn y(v: f64, top: f64) -> f64 {
    H - BOTTOM - (v / top).min(1.05) * (H - TOP - BOTTOM)
}

/// What a dot's tooltip says: the figure, and the share rejected when there is one (a full
/// queue turns requests away, which keeps the response time of the rest from growing).
/// A coordinate in the SVG, to a tenth of a unit. (lbcore's decimal writer, not `format!`, so
/// that the on-demand bundle carries none of Rust's float formatting.)
fn at(v: f64) -> String {
    Fixed(v, 1).to_string()
}

fn dot_title(algo: &Algorithm, r: &Row, figure: Figure, second: Option<&str>) -> String {
    let what = match second {
        Some(name) => format!("{}, {name} {}", algo.id(), shortest(r.point.swept[0])),
        None => algo.id().to_string(),
    };
    let mut text = format!("{what} at load {}: {}", shortest(r.point.load), figure.show(figure.of(r)));
    if r.rejected > 0 && r.arrived > 0 {
        let share = r.rejected as f64 / r.arrived as f64 * 100.0;
        text.push_str(&format!(", {}% rejected", format::number(share, 2)));
    }
    text
}

/// A mean or p99 plot against load.
#[function_component]
pub fn SweepChart(props: &SweepChartProps) -> Html {
    let figure = props.figure;
    let values = props.second.as_ref().map_or(1, |d| d.values.len().max(1));
    let n = props.algorithms.len().max(1) * values;
    let per = props.rows.len() / n;
    let second = props.second.as_ref().map(|d| d.name);
    let peak = props.rows.iter().flatten().map(|r| figure.of(r)).fold(0.0, f64::max);
    let step = nice_step(peak.max(1e-3), 5.0);
    let top = (peak / step).ceil().max(1.0) * step;
    let mut grid = Vec::new();
    let mut k = 0.0;
    while k <= top + step * 0.01 {
        grid.push(k);
        k += step;
    }
    let lines = (0..props.algorithms.len() * values).map(|line| {
        let (a, algo) = (line / values, &props.algorithms[line / values]);
        let rows: Vec<&Row> = props.rows.iter().skip(line * per).take(per).flatten().collect();
        let mut points = String::new();
        for r in &rows {
            let _ = write!(points, "{},{} ", Fixed(x(r.point.load), 1), Fixed(y(figure.of(r), top), 1));
        }
        html! {
            <g class={format!("c{}", if second.is_some() { line % 8 } else { a })}>
                <polyline class="line" points={points} />
                { for rows.iter().map(|r| html! {
                    <circle class="dot" cx={at(x(r.point.load))} cy={at(y(figure.of(r), top))} r="2.5"
                            data-algo={algo.id()} data-load={shortest(r.point.load)} data-value={shortest(figure.of(r))}
                            data-second={second.map(|_| shortest(r.point.swept[0]))}>
                        <title>{ dot_title(algo, r, figure, second) }</title>
                    </circle>
                }) }
            </g>
        }
    });
    let curve = use_memo((props.theory, figure), |&(theory, figure)| {
        // Loads 0.10, 0.11, ... 0.95, computed once per sweep, not on every redraw.
        let rhos = (10..=95).map(|percent| f64::from(percent) / 100.0);
        theory.map(|q| rhos.map(|rho| (rho, figure.theory(q, rho))).collect::<Vec<_>>())
    });
    let theory = props.theory.zip(curve.as_ref().as_ref()).map(|(q, curve)| {
        let mut points = String::new();
        for &(rho, v) in curve {
            if v <= top * 1.05 {
                let _ = write!(points, "{},{} ", Fixed(x(rho), 1), Fixed(y(v, top), 1));
            }
        }
        let title = format!("{}: random routing in theory", q.name());
        html! { <polyline class="theory" points={points}><title>{ title }</title></polyline> }
    });
    let label = format!("{} against offered load, 0 to 1; scale 0 to {}", figure.name(), figure.show(top));
    html! {
        <figure class="sweep-chart" data-testid="sweep-chart" data-figure={figure.id()}>
            <figcaption>{ figure.name() }</figcaption>
            <svg viewBox={format!("0 0 {} {}", shortest(W), shortest(H))} role="img" aria-label={label}>
                { for grid.iter().map(|&v| html! {
                    <>
                        <line class="grid" x1={shortest(LEFT)} x2={shortest(W - RIGHT)} y1={at(y(v, top))} y2={at(y(v, top))} />
                        <text class="tick" x={shortest(LEFT - 4.0)} y={at(y(v, top) + 3.0)} text-anchor="end">
                            { if v == 0.0 { "0".to_string() } else { figure.show(v) } }</text>
                    </>
                }) }
                { for [0.0, 0.25, 0.5, 0.75, 1.0].into_iter().map(|l| html! {
                    <text class="tick" x={at(x(l))} y={shortest(H - BOTTOM + 13.0)} text-anchor="middle">
                        { shortest(l) }</text>
                }) }
                <text class="axis-label" x={at(x(0.5))} y={shortest(H - 3.0)} text-anchor="middle">
                    { "offered load (ρ)" }</text>
                { for theory }
                { for lines }
            </svg>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_steps_are_round() {
        assert_eq!(nice_step(1.0, 4.0), 0.5);
        assert_eq!(nice_step(2.3, 4.0), 1.0);
        assert!((nice_step(0.07, 4.0) - 0.02).abs() < 1e-12);
    }

    #[test]
    fn a_dot_names_the_rejected_share() {
        use lbcore::sweep::Point;
        let mut row = Row {
            algo: Algorithm::RoundRobin,
            point: Point { rate: 10.0, load: 0.5, ..Point::default() },
            arrived: 200,
            completed: 150,
            rejected: 0,
            failed: 0,
            mean_response_s: 0.25,
            p50_response_s: 0.2,
            p95_response_s: 0.5,
            p99_response_s: 0.9,
            throughput_rps: 10.0,
            max_over_mean: 1.0,
            jain: 1.0,
            ..Row::blank(Algorithm::RoundRobin)
        };
        assert_eq!(dot_title(&row.algo, &row, Figure::Mean, None), "round-robin at load 0.5: 250 ms");
        row.rejected = 50;
        assert_eq!(dot_title(&row.algo, &row, Figure::P99, None), "round-robin at load 0.5: 900 ms, 25% rejected");
        row.point.swept[0] = 2.0;
        assert_eq!(
            dot_title(&row.algo, &row, Figure::Goodput, Some("retries")),
            "round-robin, retries 2 at load 0.5: 0 /s, 25% rejected"
        );
    }

    #[test]
    fn each_figure_draws_its_own_theory() {
        // A long queue is M/M/1: mean 0.1 / (1 - 0.5) = 0.2 s, p99 ln(100) times that.
        let q = Mm1k { service: 0.1, capacity: 1_000_001 };
        assert!((Figure::Mean.theory(q, 0.5) - 0.2).abs() < 1e-12);
        assert!((Figure::P99.theory(q, 0.5) - 0.2 * 100f64.ln()).abs() < 1e-9);
    }
}
