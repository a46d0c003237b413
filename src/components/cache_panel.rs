//! The caches panel: no cache, one shared cache in front of the balancer (as Redis or
//! Memcached would be) or one per server; its capacity, TTL, and how popular the keys are
//! (how many, Zipf exponent). Live: the hit ratio, each server's own hit ratio, and how much
//! of the traffic still reaches the servers.

use std::rc::Rc;

use lbcore::Scenario;
use lbcore::scenario::CacheMode;
use yew::prelude::*;

use super::controls::setter;
use super::pure::View;
use super::setting_select::{SettingSelectProps, setting_select};
use super::setting_slider::setting_slider;
use crate::format;
use crate::format::percent;
use crate::state::Action;

/// The caches panel, drawn from these inputs (a [`View`]: memoised).
#[derive(PartialEq)]
pub struct CachePanel {
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
    pub figures: bool,
    /// Where actions go.
    pub on: Callback<Action>,
}

/// The caches panel.
impl View for CachePanel {
    fn view(&self) -> Html {
        let s = &*self.scenario;
        let on = &self.on;
        let on_set = setter(on);
        let scenario = &self.scenario;
        let slider = |name: &'static str| setting_slider(name, scenario, &on_set);
        let (arrived, hits) = self.traffic;
        let reached = arrived.saturating_sub(hits);
        let reached_share = if arrived == 0 { 1.0 } else { reached as f64 / arrived as f64 };
        let on_cache = s.cache != CacheMode::Off;
        html! {
            <section class="cache-panel" data-testid="cache-panel" data-control="cache" aria-labelledby="cache-title">
                <h3 id="cache-title">{ "Caches" }</h3>
                { setting_select(SettingSelectProps {
                    name: "cache",
                    label: "Cache",
                    scenario,
                    on_set: &on_set,
                    ids: false,
                    testid: Some("cache-mode"),
                    describedby: None,
                }) }
                if on_cache {
                    { slider("cache-size") }
                    { slider("cache-ttl") }
                }
                { slider("keys") }
                { slider("zipf") }
                if on_cache && !self.figures {
                    <p class="hint">{ "Each panel's hit ratio is in the race table." }</p>
                }
                if on_cache && self.figures {
                    <dl class="cache-figures">
                        <div class="metric" data-testid="cache-hit-ratio" data-value={format::shortest(self.hit_ratio)}>
                            <dt>{ "Hit ratio" }</dt><dd>{ percent(self.hit_ratio) }</dd>
                        </div>
                        <div class="metric" data-testid="cache-reached" data-value={reached.to_string()}>
                            <dt>{ "Reached servers" }</dt>
                            <dd>{ format!("{} ({})", format::count(reached), percent(reached_share)) }</dd>
                        </div>
                    </dl>
                    if !self.per_server.is_empty() {
                        <ul class="per-server-hits" aria-label="Hit ratio per server">
                            { for self.per_server.iter().map(|(name, r)| html! {
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
}
