//! Load sweeps: the same scenario run once per algorithm and arrival rate, to plot response
//! time against offered load. `lbsim sweep` prints the rows and the web app's Experiments view
//! plots them; both build the sweep here and format it with [`csv`], so for the same scenario
//! and seed they give the same file, byte for byte.
//!
//! The runs go algorithm by algorithm, each over the points in the order given. Every run
//! starts from the scenario's seed, so the algorithms at one point see identical arrivals,
//! costs and keys.

pub mod range;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::balancer::Algorithm;
use crate::scenario::{Arrivals, Completions, Scenario};
use crate::summary::Summary;

/// One point of a sweep: an arrival rate and the offered load it makes.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// Arrivals per second.
    pub rate: f64,
    /// Offered load: the rate over the scenario's capacity (rho).
    pub load: f64,
}

/// A sweep: the scenario, the algorithms and the points to run each at.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sweep {
    /// Everything but the algorithm and the rate.
    pub base: Scenario,
    /// The algorithms, in the order they run and print.
    pub algorithms: Vec<Algorithm>,
    /// The points, in the order they run and print.
    pub points: Vec<Point>,
}

/// Whether a sweep's values are arrival rates or offered loads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Axis {
    /// Arrivals per second.
    Rate,
    /// Offered load (rate over capacity).
    Load,
}

impl Sweep {
    /// A sweep of `base` for `algorithms` at each of `values`, read as rates or loads. The
    /// error names the value and says what is wrong with it or with the scenario.
    pub fn new(base: &Scenario, algorithms: &[Algorithm], axis: Axis, values: &[f64]) -> Result<Sweep, String> {
        Sweep::check_base(base)?;
        if algorithms.is_empty() {
            return Err("no algorithm to sweep".into());
        }
        let capacity = base.capacity();
        let mut points = Vec::with_capacity(values.len());
        for &v in values {
            let point = match axis {
                Axis::Rate => Point { rate: v, load: tidy(v / capacity) },
                Axis::Load => Point { rate: tidy(v * capacity), load: v },
            };
            let mut probe = base.clone();
            probe.rate = point.rate;
            if let Err(problems) = probe.validate() {
                let why: Vec<&str> =
                    problems.0.iter().filter(|p| p.field == "rate").map(|p| p.message.as_str()).collect();
                if !why.is_empty() {
                    return Err(format!(
                        "{} gives rate {}: {}",
                        crate::decimal::shortest(v),
                        crate::decimal::shortest(point.rate),
                        why.join("; ")
                    ));
                }
            }
            points.push(point);
        }
        Ok(Sweep { base: base.clone(), algorithms: algorithms.to_vec(), points })
    }

    /// Whether `base` can be swept: it needs arrivals of its own and requests that complete.
    pub fn check_base(base: &Scenario) -> Result<(), String> {
        if base.arrivals == Arrivals::Off {
            return Err(
                "arrivals off: a sweep varies the arrival rate, so it needs arrivals (poisson, constant or bursty)"
                    .into(),
            );
        }
        if base.completions == Completions::Manual {
            return Err("completions manual: a sweep needs requests that complete on their own (auto)".into());
        }
        Ok(())
    }

    /// How many runs the sweep makes.
    pub fn len(&self) -> usize {
        self.algorithms.len() * self.points.len()
    }

    /// Whether the sweep makes no run.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `i`-th run's scenario and point (algorithm-major), or `None` past the end.
    pub fn run(&self, i: usize) -> Option<(Scenario, Point)> {
        let n = self.points.len();
        let algo = *self.algorithms.get(i.checked_div(n)?)?;
        let point = self.points[i % n];
        Some((Scenario { algo, rate: point.rate, ..self.base.clone() }, point))
    }

    /// Every run's scenario, in order.
    pub fn scenarios(&self) -> Vec<Scenario> {
        (0..self.len()).filter_map(|i| self.run(i)).map(|(s, _)| s).collect()
    }
}

/// A number to 12 significant digits, so that `0.3 x 100` is `30`: sweep rates and loads
/// computed from each other, and capacities as printed. Numbers of magnitude from 0.0001 up
/// to 10^11 are rounded as `format!("{x:.11e}")` rounds them (to the nearest, ties to even,
/// on the exact value); any other is left as it is. Written with [`crate::decimal`], whose
/// fixed decimals are exact there, so that the web app carries none of Rust's float
/// formatting and reading, and the browser and `lbsim` give the same points bit for bit.
pub fn tidy(x: f64) -> f64 {
    let a = x.abs();
    // The power of ten of the first significant digit: exact, as each bound below is the
    // double just above its power of ten (0.1, 0.01, ...) or a whole number.
    let first = if a >= 1.0 {
        (a as u64).checked_ilog10().map_or(0, |e| e as i64)
    } else {
        -[0.1, 0.01, 0.001, 0.0001].iter().position(|&p| a >= p).map_or(5, |i| i as i64 + 1)
    };
    if !(-4..=10).contains(&first) {
        return x;
    }
    let decimals = (11 - first) as usize;
    crate::decimal::read(&crate::decimal::Fixed(x, decimals).to_string()).unwrap_or(x)
}

/// One run's results at one point: the algorithm, then the figures of [`COLUMNS`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// The algorithm.
    pub algo: Algorithm,
    /// The point.
    pub point: Point,
    /// Requests that arrived.
    pub arrived: u64,
    /// Completed by servers.
    pub completed: u64,
    /// Rejected.
    pub rejected: u64,
    /// Failed on a failed server.
    pub failed: u64,
    /// Timed out (after their retries).
    pub timed_out: u64,
    /// Retries sent or waiting.
    pub retried: u64,
    /// Hedges: second copies sent.
    pub hedged: u64,
    /// Attempts taken off their server when their client stopped waiting.
    pub cancelled: u64,
    /// Attempts given to servers.
    pub attempts: u64,
    /// Attempts per request that arrived.
    pub amplification: f64,
    /// Mean response time, seconds.
    pub mean_response_s: f64,
    /// Median response time, seconds.
    pub p50_response_s: f64,
    /// 95th percentile, seconds.
    pub p95_response_s: f64,
    /// 99th percentile, seconds.
    pub p99_response_s: f64,
    /// Answers per simulated second, whether their client still waited or not.
    pub throughput_rps: f64,
    /// Requests answered while their client waited, per simulated second.
    pub goodput_rps: f64,
    /// Worker seconds spent on attempts nobody waited for.
    pub wasted_s: f64,
    /// The busiest server's time-averaged connections over the mean.
    pub max_over_mean: f64,
    /// Jain's fairness index of time-averaged connections.
    pub jain: f64,
}

/// Where a row keeps one column's figure, and what kind of figure it is.
pub enum Slot<'a> {
    /// A value the sweep was given (its rate or load).
    Given(&'a mut f64),
    /// A count of requests.
    Count(&'a mut u64),
    /// A time in seconds.
    Seconds(&'a mut f64),
    /// A plain number (a rate, a ratio).
    Number(&'a mut f64),
}

impl Slot<'_> {
    /// The figure it holds.
    pub fn figure(&self) -> Figure {
        match self {
            Slot::Given(x) => Figure::Given(**x),
            Slot::Count(n) => Figure::Count(**n),
            Slot::Seconds(x) => Figure::Seconds(**x),
            Slot::Number(x) => Figure::Number(**x),
        }
    }

    /// Sets the figure from [`Figure::bits`].
    pub fn set_bits(self, bits: u64) {
        match self {
            Slot::Count(n) => *n = bits,
            Slot::Given(x) | Slot::Seconds(x) | Slot::Number(x) => *x = f64::from_bits(bits),
        }
    }
}

/// One column's figure, by value, with its kind (see [`Slot`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Figure {
    /// A value the sweep was given.
    Given(f64),
    /// A count of requests.
    Count(u64),
    /// A time in seconds.
    Seconds(f64),
    /// A plain number.
    Number(f64),
}

impl Figure {
    /// The figure as 64 bits, exactly (a float's bit pattern).
    pub fn bits(self) -> u64 {
        match self {
            Figure::Count(n) => n,
            Figure::Given(x) | Figure::Seconds(x) | Figure::Number(x) => x.to_bits(),
        }
    }
}

/// As the CSV writes it: plain, seconds in seconds.
impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Figure::Count(n) => n.fmt(f),
            // (lbcore's shortest writer: the same text as `x.fmt(f)` without precision or
            // width, and the web app carries none of Rust's float formatting)
            Figure::Given(x) | Figure::Seconds(x) | Figure::Number(x) => f.write_str(&crate::decimal::shortest(*x)),
        }
    }
}

/// A column of a sweep's rows after the algorithm: its CSV and JSON name, its heading in a
/// table for people, and where a row keeps it.
pub struct Column {
    /// The CSV header's and JSON's name.
    pub name: &'static str,
    /// The heading of a table for people (times there are in milliseconds).
    pub heading: &'static str,
    /// The row's figure.
    pub slot: for<'a> fn(&'a mut Row) -> Slot<'a>,
}

impl Column {
    /// Whether it holds a value the sweep was given (the point's rate or load), not a result.
    pub fn is_given(&self) -> bool {
        matches!(Row::blank(Algorithm::RoundRobin).get(self), Figure::Given(_))
    }
}

/// Every column after `algo`, in CSV order: the one list the CSV, `lbsim`'s tables and JSON,
/// and the Experiments worker's messages are derived from.
pub const COLUMNS: [Column; 21] = [
    Column { name: "rate", heading: "rate/s", slot: |r| Slot::Given(&mut r.point.rate) },
    Column { name: "load", heading: "load", slot: |r| Slot::Given(&mut r.point.load) },
    Column { name: "arrived", heading: "arrived", slot: |r| Slot::Count(&mut r.arrived) },
    Column { name: "completed", heading: "completed", slot: |r| Slot::Count(&mut r.completed) },
    Column { name: "rejected", heading: "rejected", slot: |r| Slot::Count(&mut r.rejected) },
    Column { name: "failed", heading: "failed", slot: |r| Slot::Count(&mut r.failed) },
    Column { name: "timed_out", heading: "timed out", slot: |r| Slot::Count(&mut r.timed_out) },
    Column { name: "retried", heading: "retried", slot: |r| Slot::Count(&mut r.retried) },
    Column { name: "hedged", heading: "hedged", slot: |r| Slot::Count(&mut r.hedged) },
    Column { name: "cancelled", heading: "cancelled", slot: |r| Slot::Count(&mut r.cancelled) },
    Column { name: "attempts", heading: "attempts", slot: |r| Slot::Count(&mut r.attempts) },
    Column { name: "amplification", heading: "attempts/req", slot: |r| Slot::Number(&mut r.amplification) },
    Column { name: "mean_response_s", heading: "mean ms", slot: |r| Slot::Seconds(&mut r.mean_response_s) },
    Column { name: "p50_response_s", heading: "p50 ms", slot: |r| Slot::Seconds(&mut r.p50_response_s) },
    Column { name: "p95_response_s", heading: "p95 ms", slot: |r| Slot::Seconds(&mut r.p95_response_s) },
    Column { name: "p99_response_s", heading: "p99 ms", slot: |r| Slot::Seconds(&mut r.p99_response_s) },
    Column { name: "throughput_rps", heading: "throughput/s", slot: |r| Slot::Number(&mut r.throughput_rps) },
    Column { name: "goodput_rps", heading: "goodput/s", slot: |r| Slot::Number(&mut r.goodput_rps) },
    Column { name: "wasted_s", heading: "wasted s", slot: |r| Slot::Number(&mut r.wasted_s) },
    Column { name: "max_over_mean", heading: "max/mean", slot: |r| Slot::Number(&mut r.max_over_mean) },
    Column { name: "jain", heading: "jain", slot: |r| Slot::Number(&mut r.jain) },
];

impl Row {
    /// The row of a run at `point` that ended with `summary`.
    pub fn new(point: Point, summary: &Summary) -> Row {
        Row {
            algo: summary.algo,
            point,
            arrived: summary.arrived,
            completed: summary.completed,
            rejected: summary.rejected,
            failed: summary.failed,
            timed_out: summary.timed_out,
            retried: summary.retried,
            hedged: summary.hedged,
            cancelled: summary.cancelled,
            attempts: summary.attempts,
            amplification: summary.amplification,
            mean_response_s: summary.mean_response_s,
            p50_response_s: summary.p50_response_s,
            p95_response_s: summary.p95_response_s,
            p99_response_s: summary.p99_response_s,
            throughput_rps: summary.throughput_rps,
            goodput_rps: summary.goodput_rps,
            wasted_s: summary.wasted_s,
            max_over_mean: summary.imbalance.max_over_mean,
            jain: summary.imbalance.jain,
        }
    }

    /// A row of `algo` with every figure 0, for [`Slot::set_bits`] to fill.
    pub fn blank(algo: Algorithm) -> Row {
        Row {
            algo,
            point: Point { rate: 0.0, load: 0.0 },
            arrived: 0,
            completed: 0,
            rejected: 0,
            failed: 0,
            timed_out: 0,
            retried: 0,
            hedged: 0,
            cancelled: 0,
            attempts: 0,
            amplification: 0.0,
            mean_response_s: 0.0,
            p50_response_s: 0.0,
            p95_response_s: 0.0,
            p99_response_s: 0.0,
            throughput_rps: 0.0,
            goodput_rps: 0.0,
            wasted_s: 0.0,
            max_over_mean: 0.0,
            jain: 0.0,
        }
    }

    /// The figure of `column`.
    pub fn get(&self, column: &Column) -> Figure {
        let mut copy = *self;
        (column.slot)(&mut copy).figure()
    }
}

/// The CSV header of a sweep: `algo`, then the [`COLUMNS`]; seconds and plain numbers, for programs.
pub fn csv_header() -> String {
    std::iter::once("algo").chain(COLUMNS.iter().map(|c| c.name)).collect::<Vec<_>>().join(",")
}

/// The rows as CSV under [`csv_header`], a line each.
pub fn csv(rows: &[Row]) -> String {
    let mut out = csv_header();
    out.push('\n');
    for r in rows {
        out.push_str(r.algo.id());
        for c in &COLUMNS {
            out.push(',');
            out.push_str(&r.get(c).to_string());
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    /// What `tidy` rounds as: Rust's own exponent form to 12 significant digits.
    fn twelve_digits(x: f64) -> f64 {
        format!("{x:.11e}").parse().unwrap()
    }

    #[test]
    fn tidy_rounds_to_twelve_digits_as_rust_writes_them() {
        // the bounds of each power of ten, carries into the next, ties and float noise
        let edges = [
            0.30000000000000004 * 100.0,
            1.0 / 3.0,
            0.0001,
            0.1,
            0.09999999999999999,
            1.0,
            9.999_999_999_999_95,
            99_999_999_999.5,
            1e11 - 0.01,
            0.000123456789012345,
            2.5e-4,
            1.0000000000005,
            -0.7000000000000001,
        ];
        for x in edges {
            assert_eq!(tidy(x).to_bits(), twelve_digits(x).to_bits(), "{x}");
        }
        // outside 0.0001 to 10^11, left as it is
        for x in [0.0, -0.0, 1e-5 / 3.0, 1e11, 1.0e300 / 3.0] {
            assert_eq!(tidy(x).to_bits(), x.to_bits(), "{x}");
        }
        assert!(tidy(f64::NAN).is_nan());
    }

    proptest::proptest! {
        #[test]
        fn tidy_agrees_with_rust_at_every_magnitude_it_rounds(m in 1.0f64..10.0, e in -4i32..=10) {
            let x = m * 10f64.powi(e);
            proptest::prop_assume!((1e-4..1e11).contains(&x));
            proptest::prop_assert_eq!(tidy(x).to_bits(), twelve_digits(x).to_bits(), "{}", x);
        }
    }

    use super::*;
    use crate::engine::Engine;

    fn base() -> Scenario {
        Scenario { servers: 4, cost: 0.1, requests: Some(2_000), ..Scenario::default() }
    }

    #[test]
    fn loads_become_rates_over_the_capacity() {
        let s = Sweep::new(&base(), &[Algorithm::RoundRobin], Axis::Load, &[0.1, 0.3, 0.9]).unwrap();
        let rates: Vec<f64> = s.points.iter().map(|p| p.rate).collect();
        assert_eq!(rates, [4.0, 12.0, 36.0], "capacity 40/s; 0.3 x 40 is 12, not 12.000000000000002");
        let s = Sweep::new(&base(), &[Algorithm::RoundRobin], Axis::Rate, &[10.0]).unwrap();
        assert_eq!(s.points[0].load, 0.25);
    }

    #[test]
    fn runs_go_algorithm_by_algorithm_over_the_points() {
        let algos = [Algorithm::RoundRobin, Algorithm::LeastConnections];
        let s = Sweep::new(&base(), &algos, Axis::Load, &[0.2, 0.5, 0.8]).unwrap();
        assert_eq!(s.len(), 6);
        let order: Vec<(Algorithm, f64)> = s.scenarios().iter().map(|x| (x.algo, x.rate)).collect();
        assert_eq!(order[2], (Algorithm::RoundRobin, 32.0));
        assert_eq!(order[3], (Algorithm::LeastConnections, 8.0));
        assert!(s.run(6).is_none());
        assert!(Sweep { points: vec![], ..s }.run(0).is_none());
    }

    #[test]
    fn bad_sweeps_say_why() {
        let off = Scenario { arrivals: Arrivals::Off, ..base() };
        assert!(Sweep::new(&off, &[Algorithm::RoundRobin], Axis::Load, &[0.5]).unwrap_err().contains("arrivals"));
        let manual = Scenario { completions: Completions::Manual, ..base() };
        assert!(Sweep::new(&manual, &[Algorithm::Random], Axis::Load, &[0.5]).unwrap_err().contains("completions"));
        assert!(Sweep::new(&base(), &[], Axis::Load, &[0.5]).unwrap_err().contains("algorithm"));
        let e = Sweep::new(&base(), &[Algorithm::Random], Axis::Rate, &[-1.0]).unwrap_err();
        assert!(e.starts_with("-1 gives rate -1: allowed"), "{e}");
    }

    #[test]
    fn the_csv_has_a_row_per_run_and_response_grows_with_load() {
        let s = Sweep::new(&base(), &[Algorithm::Random], Axis::Load, &[0.2, 0.9]).unwrap();
        let rows: Vec<Row> = (0..s.len())
            .map(|i| {
                let (scenario, point) = s.run(i).unwrap();
                Row::new(point, &Engine::new(scenario).unwrap().run())
            })
            .collect();
        assert!(rows[1].mean_response_s > 2.0 * rows[0].mean_response_s, "{rows:?}");
        let text = csv(&rows);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[2].starts_with("random,36,0.9,2000,"), "{text}");
        assert!(lines.iter().all(|l| l.split(',').count() == 22));
    }

    #[test]
    fn the_columns_are_the_documented_ones_and_every_figure_is_its_own() {
        assert_eq!(
            csv_header(),
            "algo,rate,load,arrived,completed,rejected,failed,timed_out,retried,hedged,cancelled,attempts,amplification,\
             mean_response_s,p50_response_s,p95_response_s,p99_response_s,throughput_rps,goodput_rps,wasted_s,\
             max_over_mean,jain"
        );
        // Setting column k to k + 1 and reading every column back gives 1, 2, ... 21: no two
        // columns share a field and each reads what it writes.
        let mut row = Row::blank(Algorithm::Maglev);
        for (k, c) in COLUMNS.iter().enumerate() {
            let bits = Figure::Number(k as f64 + 1.0).bits();
            let value = if matches!(row.get(c), Figure::Count(_)) { k as u64 + 1 } else { bits };
            (c.slot)(&mut row).set_bits(value);
        }
        let back: Vec<f64> = COLUMNS
            .iter()
            .map(|c| match row.get(c) {
                Figure::Count(n) => n as f64,
                Figure::Given(x) | Figure::Seconds(x) | Figure::Number(x) => x,
            })
            .collect();
        assert_eq!(back, (1..=COLUMNS.len() as u32).map(f64::from).collect::<Vec<_>>());
        let given: Vec<&str> = COLUMNS.iter().filter(|c| c.is_given()).map(|c| c.name).collect();
        assert_eq!(given, ["rate", "load"], "the point is given, the rest are results");
    }
}
