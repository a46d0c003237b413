//! The numbers beside the chart: arrived, then every fate a request can have (cache hits,
//! completed, rejected, failed, timed out once clients have a timeout, in flight), so that
//! arrived is the sum of the fates shown, and the sentence under them says which; retried,
//! throughput (and goodput, the answers a client still waited for, with a timeout),
//! response-time percentiles and imbalance, each with its raw value in `data-value` for tests.
//! They count from the last change of experiment; the whole run's counters are one click away.

use std::rc::Rc;

use lbcore::Summary;
use lbcore::metrics::Counters;
use yew::prelude::*;

use crate::format;

/// The panel's inputs: [`metrics_panel`] draws them each frame, since the summary changes
/// with every frame a run is running.
#[derive(PartialEq)]
pub struct MetricsPanel {
    /// The engine's summary of the run so far.
    pub summary: Rc<Summary>,
    /// Since when the summary counts, and why ("since t = 12.3 s (switched to ...)").
    pub since: AttrValue,
    /// The whole run's counters and the requests in flight now.
    pub totals: (Counters, u64),
    /// Whether clients give up on an attempt (a timeout is set): timed out is then a fate
    /// shown, and goodput a figure beside throughput.
    pub timeouts: bool,
}

/// A fate's row: its test id, its label, the label within a sentence, and its count.
type Fate = (&'static str, &'static str, &'static str, u64);

/// The fates shown, in order: a row is left out only when it is zero and cannot happen here,
/// so that arrived is always their sum. (Each label is written twice rather than lowercased:
/// `to_lowercase` would bring Unicode's case tables into the wasm, 12 KB gzip.)
fn fates(c: &Counters, in_flight: u64, timeouts: bool) -> Vec<Fate> {
    let mut rows = vec![
        ("cache-hits", "Cache hits", "cache hits", c.cache_hits),
        ("completed", "Completed", "completed", c.completed),
        ("rejected", "Rejected", "rejected", c.rejected),
        ("failed", "Failed", "failed", c.failed),
    ];
    if timeouts || c.timed_out > 0 {
        rows.push(("timed-out", "Timed out", "timed out", c.timed_out));
    }
    if c.refused > 0 {
        rows.push(("refused", "Refused", "refused", c.refused));
    }
    rows.push(("in-flight", "In flight", "in flight", in_flight));
    rows
}

fn metric(id: &str, label: &str, value: String, raw: String) -> Html {
    html! {
        <div class="metric" data-testid={format!("metric-{id}")} data-value={raw}>
            <dt>{ label.to_string() }</dt>
            <dd>{ value }</dd>
        </div>
    }
}

/// The metrics list.
pub fn metrics_panel(props: &MetricsPanel) -> Html {
    let s = &*props.summary;
    let count = |id: &str, label: &str, n: u64| metric(id, label, format::count(n), n.to_string());
    let secs = |id: &str, label: &str, v: f64| metric(id, label, format::percentile(s, v), format::shortest(v));
    let im = s.imbalance;
    let (t, held) = props.totals;
    let timeouts = props.timeouts;
    let counters = |p: &str, c: &Counters, in_flight: u64| {
        let count = |id: &str, label: &str, n: u64| count(&format!("{p}{id}"), label, n);
        html! {
            <dl class="counters">
                { count("arrived", "Arrived", c.arrived) }
                { for fates(c, in_flight, timeouts).into_iter().map(|(id, label, _, n)| count(id, label, n)) }
                { count("retried", "Retried", c.retried) }
                if c.budget_refused > 0 {
                    { count("budget-refused", "Retries a budget refused", c.budget_refused) }
                }
                if c.hedged > 0 {
                    { count("hedged", "Hedged", c.hedged) }
                }
            </dl>
        }
    };
    let window = Counters {
        arrived: s.arrived,
        cache_hits: s.cache_hits,
        completed: s.completed,
        rejected: s.rejected,
        failed: s.failed,
        timed_out: s.timed_out,
        retried: s.retried,
        refused: s.breaker_refused,
        budget_refused: s.budget_refused,
        hedged: s.hedged,
        attempts: s.attempts,
        cache_lookups: 0,
        ..Counters::default()
    };
    let sum: Vec<&str> = fates(&window, s.in_system, timeouts).iter().map(|f| f.2).collect();
    let goodput =
        timeouts.then(|| metric("goodput", "Goodput", format::rate(s.goodput_rps), format::shortest(s.goodput_rps)));
    html! {
        <section class="metrics" aria-labelledby="metrics-title">
            <h2 id="metrics-title">{ "Metrics" }</h2>
            <p class="since" data-testid="metrics-since">{ props.since.clone() }</p>
            { counters("", &window, s.in_system) }
            <dl class="figures" title={format::PERCENTILE_RANGE}>
                { metric("throughput", "Throughput", format::rate(s.throughput_rps), format::shortest(s.throughput_rps)) }
                { for goodput }
                if s.retried > 0 || s.hedged > 0 {
                    { metric("amplification", "Attempts / request", format::number(s.amplification, 2), format::shortest(s.amplification)) }
                }
                { secs("p50", "p50", s.p50_response_s) }
                { secs("p95", "p95", s.p95_response_s) }
                { secs("p99", "p99", s.p99_response_s) }
                { metric("imbalance", "Max / mean", format::number(im.max_over_mean, 3), format::shortest(im.max_over_mean)) }
                { metric("jain", "Jain index", format::number(im.jain, 3), format::shortest(im.jain)) }
            </dl>
            <details class="totals">
                <summary>{ "Whole run" }</summary>
                { counters("total-", &t, held) }
            </details>
            <p class="hint" data-testid="metrics-sum">
                { format!("Arrived = {}. ", sum.join(" + ")) }
                if timeouts {
                    { "Goodput counts the answers a client still waited for; throughput, every answer. " }
                }
                { "Max / mean and Jain compare time-averaged connections: 1 and 1 are perfectly even." }
            </p>
        </section>
    }
}
