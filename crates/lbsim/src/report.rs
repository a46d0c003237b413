//! How results are printed: a run's [`Summary`] as a table, JSON or CSV, and the rows of
//! `compare` and `sweep` (one per algorithm, or per algorithm and rate) in the same three.
//!
//! CSV and JSON carry seconds and plain numbers for programs; the table carries
//! milliseconds and rounded figures for people.

use std::io::{self, Write};

use lbcore::{Scenario, Summary};
use serde_json::Value;

use crate::cli::Format;

/// The scalar fields of a summary, in the order the CSV of `lbsim run` has them.
pub const SUMMARY_CSV_HEADER: &str = "algo,duration_s,arrived,completed,rejected,failed,cache_hits,retried,\
in_system,mean_response_s,p50_response_s,p95_response_s,p99_response_s,max_response_s,throughput_rps,\
cache_hit_ratio,max_over_mean,cv,jain";

/// Prints one run's summary; `scenario` adds the offered load to the table.
pub fn summary(out: &mut dyn Write, s: &Summary, scenario: &Scenario, format: Format) -> io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, s).map_err(io::Error::other)?;
            writeln!(out)
        }
        Format::Csv => {
            writeln!(out, "{SUMMARY_CSV_HEADER}")?;
            let i = &s.imbalance;
            writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
                s.algo,
                s.duration_s,
                s.arrived,
                s.completed,
                s.rejected,
                s.failed,
                s.cache_hits,
                s.retried,
                s.in_system,
                s.mean_response_s,
                s.p50_response_s,
                s.p95_response_s,
                s.p99_response_s,
                s.max_response_s,
                s.throughput_rps,
                s.cache_hit_ratio,
                i.max_over_mean,
                i.cv,
                i.jain
            )
        }
        Format::Table => summary_table(out, s, scenario),
    }
}

fn ms(seconds: f64) -> String {
    format!("{:.3}", seconds * 1e3)
}

fn summary_table(out: &mut dyn Write, s: &Summary, scenario: &Scenario) -> io::Result<()> {
    let i = &s.imbalance;
    let lines = [
        ("algorithm", s.algo.to_string()),
        (
            "offered load",
            format!(
                "{:.3} ({} per second over a capacity of {})",
                scenario.load(),
                scenario.rate,
                tidy(scenario.capacity())
            ),
        ),
        ("measured", format!("{:.3} s of simulated time", s.duration_s)),
        ("arrived", s.arrived.to_string()),
        ("completed", s.completed.to_string()),
        ("rejected", s.rejected.to_string()),
        ("failed", s.failed.to_string()),
        ("cache hits", format!("{} (hit ratio {:.1}%)", s.cache_hits, s.cache_hit_ratio * 100.0)),
        ("retried", s.retried.to_string()),
        ("in system", s.in_system.to_string()),
        (
            "response ms",
            format!(
                "mean {}  p50 {}  p95 {}  p99 {}  max {}",
                ms(s.mean_response_s),
                ms(s.p50_response_s),
                ms(s.p95_response_s),
                ms(s.p99_response_s),
                ms(s.max_response_s)
            ),
        ),
        ("throughput", format!("{:.3} requests per second", s.throughput_rps)),
        ("imbalance", format!("max/mean {:.4}  cv {:.4}  jain {:.4}", i.max_over_mean, i.cv, i.jain)),
    ];
    for (label, value) in lines {
        writeln!(out, "{label:<14}{value}")?;
    }
    writeln!(out)?;
    let header = ["server", "health", "weight", "speed", "completed", "utilization", "mean conn", "max conn", "conn"];
    let rows: Vec<Vec<String>> = s
        .servers
        .iter()
        .map(|v| {
            vec![
                v.name.clone(),
                v.health.as_str().to_string(),
                v.weight.to_string(),
                v.speed.to_string(),
                v.completed.to_string(),
                format!("{:.1}%", v.utilization * 100.0),
                format!("{:.3}", v.mean_connections),
                v.max_connections.to_string(),
                v.connections.to_string(),
            ]
        })
        .collect();
    table(out, &header, &rows)
}

/// Aligned columns: the first left-aligned, the others right-aligned.
fn table(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| -> String {
        cells
            .zip(&widths)
            .enumerate()
            .map(|(k, (cell, &w))| if k == 0 { format!("{cell:<w$}") } else { format!("{cell:>w$}") })
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    writeln!(out, "{}", line(&mut header.iter().copied()))?;
    for row in rows {
        writeln!(out, "{}", line(&mut row.iter().map(String::as_str)))?;
    }
    Ok(())
}

pub use lbcore::sweep::tidy;

/// One row of `compare` or `sweep`: an algorithm's results, at a rate for a sweep.
pub struct Row {
    /// The sweep point: arrival rate per second and offered load; `None` in `compare`.
    pub point: Option<(f64, f64)>,
    /// The run's results.
    pub summary: Summary,
}

/// A value in a row, typed so that each format can show it its own way.
enum Cell {
    Text(String),
    Count(u64),
    Seconds(f64),
    Number(f64),
    /// A value given by the user (a sweep's rate or load), shown as given.
    Exact(f64),
}

/// A column: its CSV and JSON name, its table heading, and how to read it from a row.
struct Column {
    name: &'static str,
    heading: &'static str,
    cell: fn(&Row) -> Cell,
}

const POINT_COLUMNS: [Column; 2] = [
    Column { name: "rate", heading: "rate/s", cell: |r| Cell::Exact(r.point.map_or(0.0, |p| p.0)) },
    Column { name: "load", heading: "load", cell: |r| Cell::Exact(r.point.map_or(0.0, |p| p.1)) },
];

const RESULT_COLUMNS: [Column; 11] = [
    Column { name: "arrived", heading: "arrived", cell: |r| Cell::Count(r.summary.arrived) },
    Column { name: "completed", heading: "completed", cell: |r| Cell::Count(r.summary.completed) },
    Column { name: "rejected", heading: "rejected", cell: |r| Cell::Count(r.summary.rejected) },
    Column { name: "failed", heading: "failed", cell: |r| Cell::Count(r.summary.failed) },
    Column { name: "mean_response_s", heading: "mean ms", cell: |r| Cell::Seconds(r.summary.mean_response_s) },
    Column { name: "p50_response_s", heading: "p50 ms", cell: |r| Cell::Seconds(r.summary.p50_response_s) },
    Column { name: "p95_response_s", heading: "p95 ms", cell: |r| Cell::Seconds(r.summary.p95_response_s) },
    Column { name: "p99_response_s", heading: "p99 ms", cell: |r| Cell::Seconds(r.summary.p99_response_s) },
    Column { name: "throughput_rps", heading: "throughput/s", cell: |r| Cell::Number(r.summary.throughput_rps) },
    Column { name: "max_over_mean", heading: "max/mean", cell: |r| Cell::Number(r.summary.imbalance.max_over_mean) },
    Column { name: "jain", heading: "jain", cell: |r| Cell::Number(r.summary.imbalance.jain) },
];

const ALGO_COLUMN: Column = Column { name: "algo", heading: "algo", cell: |r| Cell::Text(r.summary.algo.to_string()) };

/// The columns of these rows: with rate and load when they are sweep points.
fn columns(rows: &[Row]) -> Vec<&'static Column> {
    let sweep = rows.first().is_some_and(|r| r.point.is_some());
    let mut columns = vec![&ALGO_COLUMN];
    if sweep {
        columns.extend(POINT_COLUMNS.iter());
    }
    columns.extend(RESULT_COLUMNS.iter());
    columns
}

/// The CSV header of rows with (`sweep`) or without (`compare`) rate and load.
pub fn rows_csv_header(sweep: bool) -> String {
    let mut names = vec![ALGO_COLUMN.name];
    if sweep {
        names.extend(POINT_COLUMNS.iter().map(|c| c.name));
    }
    names.extend(RESULT_COLUMNS.iter().map(|c| c.name));
    names.join(",")
}

/// Prints rows of `compare` or `sweep`.
pub fn rows(out: &mut dyn Write, rows: &[Row], format: Format) -> io::Result<()> {
    let columns = columns(rows);
    match format {
        Format::Csv => {
            writeln!(out, "{}", rows_csv_header(rows.first().is_some_and(|r| r.point.is_some())))?;
            for row in rows {
                let cells: Vec<String> = columns
                    .iter()
                    .map(|c| match (c.cell)(row) {
                        Cell::Text(t) => t,
                        Cell::Count(n) => n.to_string(),
                        Cell::Seconds(x) | Cell::Number(x) | Cell::Exact(x) => x.to_string(),
                    })
                    .collect();
                writeln!(out, "{}", cells.join(","))?;
            }
            Ok(())
        }
        Format::Json => {
            // Written by hand so that the keys keep the column order.
            writeln!(out, "[")?;
            for (k, row) in rows.iter().enumerate() {
                writeln!(out, "  {{")?;
                for (j, c) in columns.iter().enumerate() {
                    let value = match (c.cell)(row) {
                        Cell::Text(t) => Value::from(t),
                        Cell::Count(n) => Value::from(n),
                        Cell::Seconds(x) | Cell::Number(x) | Cell::Exact(x) => Value::from(x),
                    };
                    let comma = if j + 1 < columns.len() { "," } else { "" };
                    writeln!(out, "    {}: {value}{comma}", Value::from(c.name))?;
                }
                writeln!(out, "  }}{}", if k + 1 < rows.len() { "," } else { "" })?;
            }
            writeln!(out, "]")
        }
        Format::Table => {
            let header: Vec<&str> = columns.iter().map(|c| c.heading).collect();
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|row| {
                    columns
                        .iter()
                        .map(|c| match (c.cell)(row) {
                            Cell::Text(t) => t,
                            Cell::Count(n) => n.to_string(),
                            Cell::Seconds(x) => ms(x),
                            Cell::Number(x) if x.abs() >= 100.0 => format!("{x:.1}"),
                            Cell::Number(x) => format!("{x:.4}"),
                            Cell::Exact(x) => tidy(x).to_string(),
                        })
                        .collect()
                })
                .collect();
            table(out, &header, &cells)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_removes_float_noise() {
        assert_eq!(tidy(0.30000000000000004 * 100.0), 30.0);
        assert_eq!(tidy(1.0 / 3.0), 0.333333333333);
        assert_eq!(tidy(0.0), 0.0);
    }

    #[test]
    fn sweep_header_is_the_documented_one_and_lbcores() {
        assert_eq!(rows_csv_header(true), lbcore::sweep::CSV_HEADER);
        assert_eq!(
            rows_csv_header(true),
            "algo,rate,load,arrived,completed,rejected,failed,mean_response_s,p50_response_s,\
             p95_response_s,p99_response_s,throughput_rps,max_over_mean,jain"
        );
    }
}
