//! Load sweeps: the same scenario run once per algorithm and arrival rate, to plot response
//! time against offered load. `lbsim sweep` prints the rows and the web app's Experiments view
//! plots them; both build the sweep here and format it with [`csv`], so for the same scenario
//! and seed they give the same file, byte for byte.
//!
//! The runs go algorithm by algorithm, each over the points in the order given. Every run
//! starts from the scenario's seed, so the algorithms at one point see identical arrivals,
//! costs and keys.
//!
//! A sweep may also vary numeric settings ([`over`], `lbsim sweep --over retries=0,1,2`): then
//! each algorithm's runs go over the grid of its dimensions, the first given outermost, and
//! the CSV has a column per swept setting after `algo`.

pub mod over;
pub mod range;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::balancer::Algorithm;
use crate::scenario::{Arrivals, Completions, Kind, Scenario};
use crate::summary::Summary;
use over::{Dim, MAX_DIMS, MAX_RUNS};

/// One point of a sweep: an arrival rate, the offered load it makes, and the values of the
/// settings swept besides ([`Sweep::over`], in its order; 0 past them). The default is all 0,
/// the point of rows that are not a sweep's (`lbsim compare`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// Arrivals per second.
    pub rate: f64,
    /// Offered load: the rate over the scenario's capacity (rho).
    pub load: f64,
    /// The swept settings' values.
    pub swept: [f64; MAX_DIMS],
}

impl Point {
    /// The point of `value`, read as `axis`, for a pool of `capacity` requests per second.
    fn of(axis: Axis, value: f64, capacity: f64) -> Point {
        match axis {
            Axis::Rate => Point { rate: value, load: tidy(value / capacity), swept: [0.0; MAX_DIMS] },
            Axis::Load => Point { rate: tidy(value * capacity), load: value, swept: [0.0; MAX_DIMS] },
        }
    }
}

/// A sweep: the scenario, the algorithms and the points to run each at.
#[derive(Clone, Debug, PartialEq)]
pub struct Sweep {
    /// Everything but the algorithm and the rate.
    pub base: Scenario,
    /// The algorithms, in the order they run and print.
    pub algorithms: Vec<Algorithm>,
    /// The points, in the order they run and print (for the base scenario's capacity: a run
    /// whose swept settings change the capacity has its own rate or load beside the one given).
    pub points: Vec<Point>,
    /// Whether the points were given as rates or loads.
    pub axis: Axis,
    /// The settings swept besides the points, in the order their columns print.
    pub over: Vec<Dim>,
    /// Where the points' dimension sits among `over`'s, outer first: 0 outside every one of
    /// them, `over.len()` inside.
    pub points_at: usize,
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
            let point = Point::of(axis, v, capacity);
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
        Ok(Sweep { base: base.clone(), algorithms: algorithms.to_vec(), points, axis, over: Vec::new(), points_at: 0 })
    }

    /// A sweep of `base` for `algorithms` over the grid of `dims` (`lbsim sweep --over`), the
    /// first outermost. At most one of them is `load` or `rate`; without one, every run has
    /// the scenario's own rate. Each value is checked by the settings table, and each
    /// algorithm's runs are at most [`MAX_RUNS`]; the error names the setting and the value.
    pub fn grid(base: &Scenario, algorithms: &[Algorithm], dims: &[Dim]) -> Result<Sweep, String> {
        if dims.len() > MAX_DIMS {
            return Err(format!("{} dimensions; at most {MAX_DIMS}", dims.len()));
        }
        for (k, d) in dims.iter().enumerate() {
            if let Some(e) = dims[..k].iter().find(|e| e.name == d.name || (e.is_point() && d.is_point())) {
                return Err(format!("{} and {}: sweep each setting once, and load or rate, not both", e.name, d.name));
            }
        }
        let runs = over::runs(dims);
        if runs > MAX_RUNS as u64 {
            return Err(format!("{runs} runs for each algorithm; at most {MAX_RUNS}"));
        }
        let (mut sweep, points_at) = match dims.iter().position(Dim::is_point) {
            Some(k) => {
                let axis = if dims[k].name == "load" { Axis::Load } else { Axis::Rate };
                let name = dims[k].name;
                (Sweep::new(base, algorithms, axis, &dims[k].values).map_err(|why| format!("{name} {why}"))?, k)
            }
            None => (Sweep::new(base, algorithms, Axis::Rate, &[base.rate])?, dims.len()),
        };
        for d in dims.iter().filter(|d| !d.is_point()) {
            for &v in &d.values {
                d.apply(base, v)?;
            }
        }
        sweep.over = dims.iter().filter(|d| !d.is_point()).cloned().collect();
        sweep.points_at = points_at;
        Ok(sweep)
    }

    /// The names of the swept settings (`over`'s), the columns the CSV has after `algo`.
    pub fn swept(&self) -> Vec<&'static str> {
        self.over.iter().map(|d| d.name).collect()
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
        self.algorithms.len() * self.per_algorithm()
    }

    /// How many runs each algorithm makes: the points times each swept setting's values.
    fn per_algorithm(&self) -> usize {
        self.over.iter().fold(self.points.len(), |n, d| n * d.values.len())
    }

    /// Whether the sweep makes no run.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `i`-th run's scenario and point (algorithm-major, then the dimensions outer first),
    /// or `None` past the end.
    pub fn run(&self, i: usize) -> Option<(Scenario, Point)> {
        let n = self.per_algorithm();
        let algo = *self.algorithms.get(i.checked_div(n)?)?;
        let mut scenario = Scenario { algo, ..self.base.clone() };
        // the index of each dimension's value, innermost last: the settings' in `over` order,
        // the points' at `points_at`
        let mut rest = i % n;
        let mut at = [0; MAX_DIMS + 1];
        let dims = self.over.len() + 1;
        for k in (0..dims).rev() {
            let size = match k.cmp(&self.points_at) {
                std::cmp::Ordering::Less => self.over[k].values.len(),
                std::cmp::Ordering::Equal => self.points.len(),
                std::cmp::Ordering::Greater => self.over[k - 1].values.len(),
            };
            at[k] = rest % size;
            rest /= size;
        }
        let mut point = self.points[at[self.points_at]];
        if !self.over.is_empty() {
            let mut swept = [0.0; MAX_DIMS];
            for (j, d) in self.over.iter().enumerate() {
                swept[j] = d.values[at[if j < self.points_at { j } else { j + 1 }]];
                // checked when the sweep was made; were it refused, the engine refuses the run
                let _ = scenario.set(d.name, &crate::decimal::shortest(swept[j]));
            }
            // the value given, at this run's capacity (a swept setting may change it)
            let given = if self.axis == Axis::Load { point.load } else { point.rate };
            point = Point { swept, ..Point::of(self.axis, given, scenario.capacity()) };
        }
        scenario.rate = point.rate;
        Some((scenario, point))
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
    /// Refused by the pool's circuit breakers.
    pub breaker_refused: u64,
    /// Retries sent or waiting.
    pub retried: u64,
    /// Retries a retry budget refused.
    pub budget_refused: u64,
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
pub const COLUMNS: [Column; 23] = [
    Column { name: "rate", heading: "rate/s", slot: |r| Slot::Given(&mut r.point.rate) },
    Column { name: "load", heading: "load", slot: |r| Slot::Given(&mut r.point.load) },
    Column { name: "arrived", heading: "arrived", slot: |r| Slot::Count(&mut r.arrived) },
    Column { name: "completed", heading: "completed", slot: |r| Slot::Count(&mut r.completed) },
    Column { name: "rejected", heading: "rejected", slot: |r| Slot::Count(&mut r.rejected) },
    Column { name: "failed", heading: "failed", slot: |r| Slot::Count(&mut r.failed) },
    Column { name: "timed_out", heading: "timed out", slot: |r| Slot::Count(&mut r.timed_out) },
    Column { name: "breaker_refused", heading: "breaker refused", slot: |r| Slot::Count(&mut r.breaker_refused) },
    Column { name: "retried", heading: "retried", slot: |r| Slot::Count(&mut r.retried) },
    Column { name: "budget_refused", heading: "budget refused", slot: |r| Slot::Count(&mut r.budget_refused) },
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
            breaker_refused: summary.breaker_refused,
            retried: summary.retried,
            budget_refused: summary.budget_refused,
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
            point: Point { rate: 0.0, load: 0.0, swept: [0.0; MAX_DIMS] },
            arrived: 0,
            completed: 0,
            rejected: 0,
            failed: 0,
            timed_out: 0,
            breaker_refused: 0,
            retried: 0,
            budget_refused: 0,
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
    csv_header_with(&[])
}

/// The CSV header of a sweep of the settings `swept` ([`Sweep::swept`]): `algo`, a column
/// named by each swept setting, then the [`COLUMNS`].
pub fn csv_header_with(swept: &[&str]) -> String {
    std::iter::once("algo")
        .chain(swept.iter().copied())
        .chain(COLUMNS.iter().map(|c| c.name))
        .collect::<Vec<_>>()
        .join(",")
}

/// The rows as CSV under [`csv_header`], a line each.
pub fn csv(rows: &[Row]) -> String {
    csv_with(&[], rows)
}

/// A swept setting's value in a row, as the CSV, JSON and tables write it: an integer for a
/// setting of whole numbers, else the shortest decimal that reads back the same.
pub fn swept_value(name: &str, value: f64) -> Figure {
    match crate::scenario::setting(name).map(|row| row.kind) {
        Some(Kind::Whole) => Figure::Count(value as u64),
        _ => Figure::Given(value),
    }
}

/// The rows of a sweep of the settings `swept` as CSV under [`csv_header_with`], a line each.
pub fn csv_with(swept: &[&str], rows: &[Row]) -> String {
    let mut out = csv_header_with(swept);
    out.push('\n');
    for r in rows {
        out.push_str(r.algo.id());
        for (name, &v) in swept.iter().zip(&r.point.swept) {
            out.push(',');
            out.push_str(&swept_value(name, v).to_string());
        }
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
        assert!(lines.iter().all(|l| l.split(',').count() == COLUMNS.len() + 1), "{text}");
    }

    fn dims(texts: &[&str]) -> Vec<Dim> {
        texts.iter().map(|t| Dim::parse(t).unwrap()).collect()
    }

    #[test]
    fn a_grid_runs_the_first_dimension_outermost() {
        let algos = [Algorithm::RoundRobin, Algorithm::Random];
        let s = Sweep::grid(&base(), &algos, &dims(&["retries=0,2", "load=0.5,0.9"])).unwrap();
        assert_eq!(s.len(), 8, "2 algorithms x 2 retries x 2 loads");
        let order: Vec<(Algorithm, u32, f64)> = s.scenarios().iter().map(|x| (x.algo, x.retries, x.rate)).collect();
        let rr = Algorithm::RoundRobin;
        // capacity 4 servers / 0.1 s = 40/s: loads 0.5 and 0.9 are 20/s and 36/s
        assert_eq!(order[..4], [(rr, 0, 20.0), (rr, 0, 36.0), (rr, 2, 20.0), (rr, 2, 36.0)]);
        assert_eq!(order[4], (Algorithm::Random, 0, 20.0));
        let t = Sweep::grid(&base(), &algos[..1], &dims(&["load=0.5,0.9", "retries=0,2"])).unwrap();
        let order: Vec<(u32, f64)> = t.scenarios().iter().map(|x| (x.retries, x.rate)).collect();
        assert_eq!(order, [(0, 20.0), (2, 20.0), (0, 36.0), (2, 36.0)], "load outer now");
        assert_eq!(t.run(1).unwrap().1.swept[0], 2.0);
        assert!(t.run(4).is_none());
    }

    #[test]
    fn without_load_or_rate_every_run_has_the_scenarios_rate_and_loads_follow_the_capacity() {
        let s = Sweep::grid(&base(), &[Algorithm::RoundRobin], &dims(&["timeout=0.5,1"])).unwrap();
        let runs: Vec<(Option<f64>, f64)> = s.scenarios().iter().map(|x| (x.timeout, x.rate)).collect();
        assert_eq!(runs, [(Some(0.5), 20.0), (Some(1.0), 20.0)]);
        // swept servers change the capacity, so load 0.5 is a different rate at each
        let s = Sweep::grid(&base(), &[Algorithm::RoundRobin], &dims(&["servers=2,8", "load=0.5"])).unwrap();
        let points: Vec<(f64, f64, f64)> =
            (0..2).map(|i| s.run(i).unwrap().1).map(|p| (p.swept[0], p.rate, p.load)).collect();
        assert_eq!(points, [(2.0, 10.0, 0.5), (8.0, 40.0, 0.5)]);
    }

    #[test]
    fn bad_grids_say_why() {
        let one = [Algorithm::RoundRobin];
        let e = |texts: &[&str]| Sweep::grid(&base(), &one, &dims(texts)).unwrap_err();
        assert_eq!(
            e(&["retries=0,1", "retries=2"]),
            "retries and retries: sweep each setting once, and load or rate, not both"
        );
        assert_eq!(e(&["load=0.5", "rate=10"]), "load and rate: sweep each setting once, and load or rate, not both");
        assert_eq!(e(&["seed=1:100:1", "retries=0:100:1", "cost=1,2"]), "20200 runs for each algorithm; at most 10000");
        assert_eq!(e(&["seed=1", "retries=1", "cost=1", "workers=1"]), "4 dimensions; at most 3");
        assert_eq!(e(&["retries=1,101"]), "retries \"101\": allowed: 0 to 100");
        assert_eq!(e(&["load=-1"]), "load -1 gives rate -40: allowed: 0 to 1000000000 per second");
    }

    #[test]
    fn a_grids_csv_has_a_column_per_swept_setting_and_without_one_it_is_todays() {
        let s = Sweep::grid(&base(), &[Algorithm::Random], &dims(&["retries=0,1", "timeout=0.5,2"])).unwrap();
        let rows: Vec<Row> = (0..s.len())
            .map(|i| {
                let (scenario, point) = s.run(i).unwrap();
                Row::new(point, &Engine::new(scenario).unwrap().run())
            })
            .collect();
        let text = csv_with(&s.swept(), &rows);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("algo,retries,timeout,rate,load,arrived,"), "{text}");
        let firsts: Vec<String> =
            lines[1..].iter().map(|l| l.split(',').take(5).collect::<Vec<_>>().join(",")).collect();
        assert_eq!(firsts, ["random,0,0.5,20,0.5", "random,0,2,20,0.5", "random,1,0.5,20,0.5", "random,1,2,20,0.5"]);
        // today's columns and the two swept ones, on every line
        let width = csv_header().split(',').count() + 2;
        assert!(lines.iter().all(|l| l.split(',').count() == width), "{text}");
        // at 50% load with exponential costs, about e^(-0.5 / 0.2) = 8% of waits pass 0.5 s
        // (M/M/1 sojourn time, rate 1/0.1 - 1/0.2 = 5/s): retries turn timeouts into attempts
        assert!(rows[0].timed_out > 0 && rows[0].retried == 0, "{rows:?}");
        assert!(rows[2].retried > 0 && rows[2].attempts > rows[0].attempts, "{rows:?}");
        // a load sweep alone is today's sweep, CSV and all
        let load = Sweep::grid(&base(), &[Algorithm::Random], &dims(&["load=0.2,0.9"])).unwrap();
        assert_eq!(load, Sweep::new(&base(), &[Algorithm::Random], Axis::Load, &[0.2, 0.9]).unwrap());
        assert_eq!(csv_with(&load.swept(), &[]), csv(&[]));
    }

    #[test]
    fn the_columns_are_the_documented_ones_and_every_figure_is_its_own() {
        assert_eq!(
            csv_header(),
            "algo,rate,load,arrived,completed,rejected,failed,timed_out,breaker_refused,retried,budget_refused,hedged,cancelled,attempts,amplification,\
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
