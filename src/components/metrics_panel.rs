//! The numbers beside the chart: arrived, completed, rejected, failed, retried, throughput, response-time
//! percentiles and imbalance, each with its raw value in `data-value` for tests.

use std::rc::Rc;

use lbcore::Summary;
use yew::prelude::*;

use crate::format;

/// The panel's inputs.
#[derive(Properties, PartialEq)]
pub struct MetricsPanelProps {
    /// The engine's summary of the run so far.
    pub summary: Rc<Summary>,
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
    let secs = |id: &str, label: &str, v: f64| {
        let shown = if s.completed + s.cache_hits == 0 { "–".to_string() } else { format::seconds(v) };
        metric(id, label, shown, format::shortest(v))
    };
    let im = s.imbalance;
    html! {
        <section class="metrics" aria-labelledby="metrics-title">
            <h2 id="metrics-title">{ "Metrics" }</h2>
            <dl class="counters">
                { count("arrived", "Arrived", s.arrived) }
                { count("completed", "Completed", s.completed) }
                { count("rejected", "Rejected", s.rejected) }
                { count("failed", "Failed", s.failed) }
                { count("retried", "Retried", s.retried) }
            </dl>
            <dl class="figures">
                { metric("throughput", "Throughput", format::rate(s.throughput_rps), format::shortest(s.throughput_rps)) }
                { secs("p50", "p50", s.p50_response_s) }
                { secs("p95", "p95", s.p95_response_s) }
                { secs("p99", "p99", s.p99_response_s) }
                { metric("imbalance", "Max / mean", format::number(im.max_over_mean, 3), format::shortest(im.max_over_mean)) }
                { metric("jain", "Jain index", format::number(im.jain, 3), format::shortest(im.jain)) }
            </dl>
            <p class="hint">{ "Response times are p50, p95 and p99 since the start. Max / mean and Jain compare time-averaged connections: 1 and 1 are perfectly even." }</p>
        </section>
    }
}
