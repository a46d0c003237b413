//! The caches panel: no cache, one shared cache in front of the balancer (as Redis or
//! Memcached would be) or one per server; its capacity, TTL, and how popular the keys are
//! (how many, Zipf exponent). Live: the hit ratio, each server's own hit ratio, and how much
//! of the traffic still reaches the servers.

use std::rc::Rc;

use lbcore::scenario::CacheMode;
use lbcore::{Scenario, Summary};
use yew::prelude::*;

use super::set_field;
use super::slider::Slider;
use crate::format;
use crate::state::Action;

/// The panel's inputs.
#[derive(Properties, PartialEq)]
pub struct CachePanelProps {
    /// The scenario as it stands.
    pub scenario: Rc<Scenario>,
    /// The run so far.
    pub summary: Rc<Summary>,
    /// The engine's hit ratio (shared cache, or all per-server caches together).
    pub hit_ratio: f64,
    /// Each server's own hit ratio, with per-server caches.
    pub per_server: Rc<Vec<(Rc<str>, f64)>>,
    /// Show the live figures (compare mode shows them per algorithm in its table instead).
    #[prop_or(true)]
    pub figures: bool,
    /// Where actions go.
    pub on: Callback<Action>,
}

fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// The caches panel.
#[function_component]
pub fn CachePanel(props: &CachePanelProps) -> Html {
    let s = &*props.scenario;
    let on = &props.on;
    let onchange = set_field::select(on, "cache");
    let keys_on = {
        let on = on.clone();
        Callback::from(move |p: f64| on.emit(Action::SetScenarioField("keys", format!("{}", 10f64.powf(p).round()))))
    };
    let sum = &*props.summary;
    let reached = sum.arrived.saturating_sub(sum.cache_hits);
    let reached_share = if sum.arrived == 0 { 1.0 } else { reached as f64 / sum.arrived as f64 };
    let on_cache = s.cache != CacheMode::Off;
    html! {
        <section class="cache-panel" data-testid="cache-panel" aria-labelledby="cache-title">
            <h3 id="cache-title">{ "Caches" }</h3>
            <div class="field">
                <label for="cache">{ "Cache" }</label>
                <select id="cache" data-testid="cache-mode" {onchange}>
                    <option value="off" selected={s.cache == CacheMode::Off}>{ "off" }</option>
                    <option value="shared" selected={s.cache == CacheMode::Shared}>{ "shared, in front of the balancer" }</option>
                    <option value="per-server" selected={s.cache == CacheMode::PerServer}>{ "one per server" }</option>
                </select>
            </div>
            if on_cache {
                <Slider id="cache-size" label="Capacity (entries per cache)" testid="cache-size" min={1.0}
                    max={2000.0_f64.max(s.cache_size as f64)} step={1.0} value={s.cache_size as f64}
                    display={format::count(s.cache_size as u64)} on_change={set_field::whole(on, "cache-size")} />
                <Slider id="cache-ttl" label="Time to live" min={0.0} max={60.0_f64.max(s.cache_ttl)} step={0.5}
                    value={s.cache_ttl}
                    display={if s.cache_ttl == 0.0 { "never expires".to_string() } else { format::seconds(s.cache_ttl) }}
                    on_change={set_field::decimal(on, "cache-ttl")} />
            }
            <Slider id="keys" label="Distinct keys" testid="keys" min={0.0} max={6.0} step={0.05}
                value={(s.keys.max(1) as f64).log10()} display={format::count(s.keys)} on_change={keys_on} />
            <Slider id="zipf" label="Key popularity (Zipf exponent)" testid="zipf" min={0.0} max={2.0_f64.max(s.zipf)}
                step={0.05} value={s.zipf} display={format::number(s.zipf, 2)} on_change={set_field::decimal(on, "zipf")}
                hint="0: every key alike; 1 and above: a few keys get most requests." />
            if on_cache && !props.figures {
                <p class="hint">{ "Each panel's hit ratio is in the race table." }</p>
            }
            if on_cache && props.figures {
                <dl class="cache-figures">
                    <div class="metric" data-testid="cache-hit-ratio" data-value={props.hit_ratio.to_string()}>
                        <dt>{ "Hit ratio" }</dt><dd>{ percent(props.hit_ratio) }</dd>
                    </div>
                    <div class="metric" data-testid="cache-reached" data-value={reached.to_string()}>
                        <dt>{ "Reached servers" }</dt>
                        <dd>{ format!("{} ({})", format::count(reached), percent(reached_share)) }</dd>
                    </div>
                </dl>
                if !props.per_server.is_empty() {
                    <ul class="per-server-hits" aria-label="Hit ratio per server">
                        { for props.per_server.iter().map(|(name, r)| html! {
                            <li data-testid="server-hit-ratio" data-server={name.to_string()} data-value={r.to_string()}>
                                <span>{ name.to_string() }</span><span>{ percent(*r) }</span>
                            </li>
                        }) }
                    </ul>
                }
            }
        </section>
    }
}
