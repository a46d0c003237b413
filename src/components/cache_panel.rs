//! The caches panel: no cache, one shared cache in front of the balancer (as Redis or
//! Memcached would be) or one per server; its capacity, TTL, and how popular the keys are
//! (how many, Zipf exponent). Live: the hit ratio, each server's own hit ratio, and how much
//! of the traffic still reaches the servers.

use std::rc::Rc;

use lbcore::Scenario;
use lbcore::scenario::CacheMode;
use yew::prelude::*;

use super::controls::setter;
use super::setting_select::SettingSelect;
use super::setting_slider::SettingSlider;
use crate::format;
use crate::format::percent;
use crate::state::Action;

/// The panel's inputs.
#[derive(Properties, PartialEq)]
pub struct CachePanelProps {
    /// The scenario as it stands.
    pub scenario: Rc<Scenario>,
    /// The requests arrived so far and those a cache answered, while a cache is on (zeros
    /// otherwise, so that the panel is not drawn again at every frame for figures it hides).
    pub traffic: (u64, u64),
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

/// The caches panel.
#[function_component]
pub fn CachePanel(props: &CachePanelProps) -> Html {
    let s = &*props.scenario;
    let on = &props.on;
    let on_set = setter(on);
    let scenario = &props.scenario;
    let slider =
        |name: &'static str| html! { <SettingSlider {name} scenario={scenario.clone()} on_set={on_set.clone()} /> };
    let (arrived, hits) = props.traffic;
    let reached = arrived.saturating_sub(hits);
    let reached_share = if arrived == 0 { 1.0 } else { reached as f64 / arrived as f64 };
    let on_cache = s.cache != CacheMode::Off;
    html! {
        <section class="cache-panel" data-testid="cache-panel" data-control="cache" aria-labelledby="cache-title">
            <h3 id="cache-title">{ "Caches" }</h3>
            <SettingSelect name="cache" label="Cache" testid="cache-mode" scenario={scenario.clone()}
                on_set={on_set.clone()} />
            if on_cache {
                { slider("cache-size") }
                { slider("cache-ttl") }
            }
            { slider("keys") }
            { slider("zipf") }
            if on_cache && !props.figures {
                <p class="hint">{ "Each panel's hit ratio is in the race table." }</p>
            }
            if on_cache && props.figures {
                <dl class="cache-figures">
                    <div class="metric" data-testid="cache-hit-ratio" data-value={format::shortest(props.hit_ratio)}>
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
                            <li data-testid="server-hit-ratio" data-server={name.to_string()} data-value={format::shortest(*r)}>
                                <span>{ name.to_string() }</span><span>{ percent(*r) }</span>
                            </li>
                        }) }
                    </ul>
                }
            }
        </section>
    }
}
