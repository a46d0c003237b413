//! Numbers as the UI writes them: counts with thousands separators, rates, seconds, ratios.

/// A count with thin-space thousands separators: `12 345`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{2009}');
        }
        out.push(c);
    }
    out
}

pub use lbcore::decimal::{Fixed, shortest};
pub use lbcore::words::{number, seconds};

/// A response-time percentile of `summary` as shown: `–` before anything is answered, and
/// `≥ 360000 s` at the top of the histogram it is read from (1 µs to 100 hours), where a
/// longer response counts as 100 hours: never a figure that looks exact and is not.
pub fn percentile(summary: &lbcore::Summary, p: f64) -> String {
    percentile_of(summary.completed + summary.cache_hits > 0, p)
}

/// [`percentile`] of a run that has `answered` a request or not.
pub fn percentile_of(answered: bool, p: f64) -> String {
    if !answered {
        "–".to_string()
    } else if p >= lbcore::metrics::PERCENTILE_MAX_S {
        format!("≥ {}", seconds(lbcore::metrics::PERCENTILE_MAX_S))
    } else {
        seconds(p)
    }
}

/// What a percentile shown is read from, for its tooltip.
pub const PERCENTILE_RANGE: &str =
    "Percentiles of response time, from a histogram of 1 µs to 100 hours at 3 significant digits";

/// A rate per second: `20 /s`.
pub fn rate(r: f64) -> String {
    format!("{} /s", number(r, 3))
}

/// A ratio (0 to 1) as a whole percentage: `0.31` is `31%`. The one form of a hit ratio or
/// a load the page shows, wherever it shows one (a lesson's checklist too).
pub use lbcore::words::percent;

/// A factor with at most 3 significant digits: `0.75×`, `1.25×`.
pub fn factor(x: f64) -> String {
    format!("{}×", number(x, 3))
}

/// The offered load in one sentence: `rate` reaching the servers (after the cache, whose hit
/// ratio is `hits` if there is one) against `capacity`, what the servers taking traffic serve.
pub fn offered_load(rate: f64, capacity: f64, hits: Option<f64>) -> String {
    let cache = hits.map(|h| format!(" after the cache's {} hits", percent(h))).unwrap_or_default();
    if capacity > 0.0 {
        format!(
            "Offered load {}: {}{cache} against the {} the servers taking traffic serve.",
            percent(rate / capacity),
            self::rate(rate),
            self::rate(capacity)
        )
    } else {
        format!("No server takes traffic: {}{cache} find none.", self::rate(rate))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_numbers() {
        assert_eq!(count(0), "0");
        assert_eq!(count(1234), "1\u{2009}234");
        assert_eq!(count(1234567), "1\u{2009}234\u{2009}567");
        assert_eq!(number(0.125, 3), "0.125");
        assert_eq!(number(1.5, 3), "1.5");
        assert_eq!(number(2000.0, 3), "2000");
        assert_eq!(number(0.30000000000000004, 3), "0.3");
        assert_eq!(rate(20.0), "20 /s");
        assert_eq!(factor(0.75), "0.75×");
        assert_eq!((percent(0.3149), percent(0.02), percent(1.923)), ("31%".into(), "2%".into(), "192%".into()));
        assert_eq!(seconds(0.1), "100 ms");
        assert_eq!(seconds(0.0123), "12.3 ms");
        assert_eq!(seconds(2.5), "2.5 s");
        assert_eq!(seconds(0.0000008), "1 µs");
    }

    #[test]
    fn a_percentile_at_the_histograms_top_says_it_is_at_least_that() {
        let none = lbcore::Engine::new(lbcore::Scenario::default()).expect("the default scenario").summary();
        let answered = lbcore::Summary { completed: 1, ..none.clone() };
        assert_eq!(percentile(&none, 0.0), "–", "nothing answered yet");
        assert_eq!(percentile(&answered, 0.25), "250 ms");
        assert_eq!(percentile(&answered, lbcore::metrics::PERCENTILE_MAX_S), "≥ 360000 s");
    }
}
