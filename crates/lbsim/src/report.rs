//! How results are printed: a run's [`Summary`] as a table, JSON or CSV, and the rows of
//! `compare` and `sweep` (one per algorithm, or per algorithm and rate) in the same three.
//!
//! CSV and JSON carry seconds and plain numbers for programs; the table carries
//! milliseconds and rounded figures for people.

use std::io::{self, Write};

use lbcore::metrics::PERCENTILE_MAX_S;
use lbcore::sweep::{COLUMNS, Column, Figure, Row as SweepRow};
use lbcore::{Scenario, Summary};
use serde_json::Value;

use crate::cli::Format;

/// Prints one run's summary; `scenario` adds the offered load to the table.
pub fn summary(out: &mut dyn Write, s: &Summary, scenario: &Scenario, format: Format) -> io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, s).map_err(io::Error::other)?;
            writeln!(out)
        }
        Format::Csv => writeln!(out, "{}\n{}", Summary::csv_header(), s.csv_row()),
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
        ("timed out", s.timed_out.to_string()),
        ("breaker refused", s.breaker_refused.to_string()),
        ("retried", s.retried.to_string()),
        ("budget refused", s.budget_refused.to_string()),
        ("hedged", s.hedged.to_string()),
        ("cancelled", s.cancelled.to_string()),
        ("attempts", format!("{} ({:.3} per request)", s.attempts, s.amplification)),
        ("in system", s.in_system.to_string()),
        (
            "response ms",
            format!(
                "mean {}  p50 {}  p95 {}  p99 {}  max {}",
                ms(s.mean_response_s),
                percentile_ms(s.p50_response_s),
                percentile_ms(s.p95_response_s),
                percentile_ms(s.p99_response_s),
                ms(s.max_response_s)
            ),
        ),
        ("percentiles", PERCENTILE_RANGE.to_string()),
        ("throughput", format!("{:.3} requests per second", s.throughput_rps)),
        ("goodput", format!("{:.3} requests per second answered while their client waited", s.goodput_rps)),
        ("wasted", format!("{:.3} worker seconds on attempts nobody waited for", s.wasted_s)),
        ("imbalance", format!("max/mean {:.4}  cv {:.4}  jain {:.4}", i.max_over_mean, i.cv, i.jain)),
    ];
    for (label, value) in lines {
        writeln!(out, "{label:<14}{value}")?;
    }
    writeln!(out)?;
    let header =
        ["server", "health", "weight", "speed", "completed", "errors", "utilization", "mean conn", "max conn", "conn"];
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
                v.errors.to_string(),
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

/// What the percentiles can say, printed under them: the histogram's range.
pub const PERCENTILE_RANGE: &str =
    "to 3 significant digits from 1 µs to 100 hours (360000000 ms); a longer response counts as 100 hours (≥)";

/// A percentile in milliseconds, as `≥360000000` when it is at the histogram's top.
fn percentile_ms(seconds: f64) -> String {
    if seconds >= PERCENTILE_MAX_S { format!("≥{}", ms(PERCENTILE_MAX_S)) } else { ms(seconds) }
}

/// The columns of these rows after `algo` and the swept settings: lbcore's sweep columns,
/// without the given rate and load when the rows are not sweep points (`compare`).
fn columns(sweep: bool) -> Vec<&'static Column> {
    COLUMNS.iter().filter(|c| sweep || !c.is_given()).collect()
}

/// The CSV header of rows of a sweep of the settings `swept` (with rate and load), or of
/// `compare` (`None`: without them).
pub fn rows_csv_header(swept: Option<&[&str]>) -> String {
    std::iter::once("algo")
        .chain(swept.unwrap_or_default().iter().copied())
        .chain(columns(swept.is_some()).iter().map(|c| c.name))
        .collect::<Vec<_>>()
        .join(",")
}

/// Prints rows of `compare` (`swept` `None`: without the rate and load) or `sweep` (with a
/// column per swept setting after `algo`, as lbcore's CSV has).
pub fn rows(out: &mut dyn Write, rows: &[SweepRow], swept: Option<&[&str]>, format: Format) -> io::Result<()> {
    let header = rows_csv_header(swept);
    let columns = columns(swept.is_some());
    let swept = swept.unwrap_or_default();
    let swept_figures = |row: &SweepRow| -> Vec<Figure> {
        swept.iter().zip(row.point.swept).map(|(name, v)| lbcore::sweep::swept_value(name, v)).collect()
    };
    match format {
        Format::Csv => {
            writeln!(out, "{header}")?;
            for row in rows {
                let cells: Vec<String> = std::iter::once(row.algo.to_string())
                    .chain(swept_figures(row).iter().map(Figure::to_string))
                    .chain(columns.iter().map(|c| row.get(c).to_string()))
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
                write!(out, "    \"algo\": {}", Value::from(row.algo.id()))?;
                for (name, figure) in swept.iter().zip(swept_figures(row)) {
                    let value = match figure {
                        Figure::Count(n) => Value::from(n),
                        Figure::Given(x) | Figure::Seconds(x) | Figure::Number(x) => Value::from(x),
                    };
                    write!(out, ",\n    {}: {value}", Value::from(*name))?;
                }
                for c in &columns {
                    let value = match row.get(c) {
                        Figure::Count(n) => Value::from(n),
                        Figure::Given(x) | Figure::Seconds(x) | Figure::Number(x) => Value::from(x),
                    };
                    write!(out, ",\n    {}: {value}", Value::from(c.name))?;
                }
                writeln!(out, "\n  }}{}", if k + 1 < rows.len() { "," } else { "" })?;
            }
            writeln!(out, "]")
        }
        Format::Table => {
            let header: Vec<&str> =
                std::iter::once("algo").chain(swept.iter().copied()).chain(columns.iter().map(|c| c.heading)).collect();
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|row| {
                    let figures = columns.iter().map(|c| match row.get(c) {
                        Figure::Count(n) => n.to_string(),
                        Figure::Seconds(x) => ms(x),
                        Figure::Number(x) if x.abs() >= 100.0 => format!("{x:.1}"),
                        Figure::Number(x) => format!("{x:.4}"),
                        Figure::Given(x) => tidy(x).to_string(),
                    });
                    let swept = swept_figures(row).into_iter().map(|f| f.to_string());
                    std::iter::once(row.algo.to_string()).chain(swept).chain(figures).collect()
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
        assert_eq!(rows_csv_header(Some(&[])), lbcore::sweep::csv_header());
        assert_eq!(rows_csv_header(Some(&["retries"])), lbcore::sweep::csv_header_with(&["retries"]));
        assert_eq!(
            rows_csv_header(Some(&[])),
            "algo,rate,load,arrived,completed,rejected,failed,timed_out,breaker_refused,retried,budget_refused,hedged,cancelled,attempts,amplification,\
             mean_response_s,p50_response_s,p95_response_s,p99_response_s,throughput_rps,goodput_rps,wasted_s,\
             max_over_mean,jain"
        );
    }
}
