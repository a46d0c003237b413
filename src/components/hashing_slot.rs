//! Where the hashing view goes, for the hash-based algorithms: an element that the on-demand
//! bundle ([`crate::on_demand`]) draws [`super::hashing_view::HashingView`] into, loaded the
//! first time a hash-based algorithm is shown. What the view needs crosses as a scenario query
//! ([`hashing_query`]), and a new one redraws it.

use lbcore::balancer::Params;
use lbcore::{Algorithm, Scenario};
use yew::prelude::*;

use super::hashing_view::HashingViewProps;
use crate::export;
use crate::on_demand::{self, Failure};

/// The element the hashing view renders into.
pub const ROOT_ID: &str = "hashing-root";

/// What the hashing view reads (the algorithm, its parameters, the servers, and the learner's
/// last change of their number, if any, as `change=FROM-TO`) as a scenario query; the bundle
/// reads them back with [`hashing_props`].
pub fn hashing_query(algo: Algorithm, params: &Params, servers: u32, change: Option<(u32, u32)>) -> String {
    let scenario = export::scenario_query(&Scenario {
        algo,
        servers,
        choices: params.choices,
        vnodes: params.vnodes,
        decay: params.decay_s,
        cost: params.default_rtt_s,
        load_factor: params.load_factor,
        table_size: params.table_size,
        ..Scenario::default()
    });
    match change {
        Some((from, to)) => format!("{scenario}&change={from}-{to}"),
        None => scenario,
    }
}

/// The hashing view's inputs from a [`hashing_query`].
pub fn hashing_props(query: &str) -> HashingViewProps {
    let (query, change) = match query.rsplit_once("&change=") {
        Some((q, c)) => (q, c.split_once('-').and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)))),
        None => (query, None),
    };
    let scenario = export::scenario_of(query);
    HashingViewProps { algo: scenario.algo, params: scenario.params(), servers: scenario.servers as usize, change }
}

/// The slot's inputs.
#[derive(Properties, PartialEq)]
pub struct HashingSlotProps {
    /// What the view shows: [`hashing_query`] of the scenario.
    pub query: AttrValue,
}

/// The element, and the call that (re)draws the view in it whenever its query changes.
#[function_component]
pub fn HashingSlot(props: &HashingSlotProps) -> Html {
    use_effect_with(props.query.clone(), |query| {
        let query = query.to_string();
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(Failure::NotLoaded(why) | Failure::Refused(why)) =
                on_demand::call("show_hashing", &[ROOT_ID, &query]).await
            {
                on_demand::show_failure(ROOT_ID, "The hashing view", &why);
            }
        });
    });
    html! {
        <div id={ROOT_ID} class="hashing-slot" data-testid="hashing-slot">
            <p class="loading">{ "Loading the hashing view…" }</p>
        </div>
    }
}
