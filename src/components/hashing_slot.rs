//! Where the hashing view goes, for the hash-based algorithms: an element that the on-demand
//! bundle ([`crate::on_demand`]) draws [`super::hashing_view::HashingView`] into, loaded the
//! first time a hash-based algorithm is shown. What the view needs crosses as a scenario query
//! ([`hashing_query`]), and a new one redraws it.

use lbcore::balancer::Params;
use lbcore::{Algorithm, Scenario};
use yew::prelude::*;

use super::hashing_view::HashingViewProps;
use super::on_demand_slot::OnDemandSlot;
use crate::export;

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

/// The slot the on-demand bundle draws the hashing view into, for the scenario of `query`
/// ([`hashing_query`]); a new query draws it again.
pub fn slot(query: String) -> Html {
    html! {
        <OnDemandSlot export="show_hashing" id={ROOT_ID} name="hashing-slot" loading="Loading the hashing view…" what="The hashing view"
            texts={vec![AttrValue::from(query)]} />
    }
}
