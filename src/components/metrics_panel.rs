//! The numbers beside the chart: arrived, cache hits, completed, rejected, failed, in flight
//! (so that arrived is the sum of the next five), retried, throughput, response-time
//! percentiles and imbalance, each with its raw value in `data-value` for tests. They count
//! from the last change of experiment; the whole run's counters are one click away.

use std::rc::Rc;

use lbcore::Summary;
use lbcore::metrics::Counters;
use yew::prelude::*;

use crate::format;

/// The panel's inputs.
#[derive(Properties, PartialEq)]
pub struct MetricsPanelProps {
    /// The engine's summary of the run so far.
    pub summary: Rc<Summary>,
    /// Since when the summary counts, and why ("since t = 12.3 s (switched to ...)").
    #[prop_or_default]
    pub since: AttrValue,
    /// The whole run's counters and the requests in flight now.
    #[prop_or_default]
    pub totals: (Counters, u64),
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
#[function_component]
pub fn MetricsPanel(props: &MetricsPanelProps) -> Html {
    let s = &*props.summary;
    let count = |id: &str, label: &str, n: u64| metric(id, label, format::count(n), n.to_string());
    let secs = |id: &str, label: &str, v: f64| metric(id, label, format::percentile(s, v), format::shortest(v));
    let im = s.imbalance;
    let (t, held) = props.totals;
    let counters = |p: &str, c: &Counters, in_flight: u64| {
        let count = |id: &str, label: &str, n: u64| count(&format!("{p}{id}"), label, n);
        html! {
            <dl class="counters">
                { count("arrived", "Arrived", c.arrived) }
                { count("cache-hits", "Cache hits", c.cache_hits) }
                { count("completed", "Completed", c.completed) }
                { count("rejected", "Rejected", c.rejected) }
                { count("failed", "Failed", c.failed) }
                { count("in-flight", "In flight", in_flight) }
                { count("retried", "Retried", c.retried) }
            </dl>
        }
    };
    let window = Counters {
        arrived: s.arrived,
        cache_hits: s.cache_hits,
        completed: s.completed,
        rejected: s.rejected,
        failed: s.failed,
        retried: s.retried,
        cache_lookups: 0,
        ..Counters::default()
    };
    html! {
        <section class="metrics" aria-labelledby="metrics-title">
            <h2 id="metrics-title">{ "Metrics" }</h2>
            <p class="since" data-testid="metrics-since">{ props.since.clone() }</p>
            { counters("", &window, s.in_system) }
            <dl class="figures" title={format::PERCENTILE_RANGE}>
                { metric("throughput", "Throughput", format::rate(s.throughput_rps), format::shortest(s.throughput_rps)) }
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
            <p class="hint">{ "Arrived = cache hits + completed + rejected + failed + in flight. Max / mean and Jain compare time-averaged connections: 1 and 1 are perfectly even." }</p>
        </section>
    }
}
