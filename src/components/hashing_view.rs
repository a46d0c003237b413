//! The hashing view, for the hash-based algorithms: what share of the keys moved to another
//! server with the learner's last add or remove (or, before any, would move when one server
//! joins), for hash-mod against the ring, Maglev and bounded load, as a
//! number and as a picture of the key space (owner before, owner after, moved keys marked).

use lbcore::Algorithm;
use lbcore::balancer::Params;
use lbcore::keyspace::{moved_share, owners};
use yew::prelude::*;

/// Keys whose owners are compared.
pub const KEYS: u64 = 2_000;
/// Keys drawn in the picture (the first of them).
pub const DRAWN: usize = 100;
/// The algorithms compared, those that route by key, in the order the lesson goes: hash-mod
/// (the counter-example) first, then the others in the picker's order.
pub fn hashes() -> Vec<Algorithm> {
    let (first, rest): (Vec<Algorithm>, Vec<Algorithm>) =
        Algorithm::ALL.into_iter().filter(|a| a.uses_key()).partition(|&a| a == Algorithm::HashMod);
    first.into_iter().chain(rest).collect()
}

/// The view's inputs.
#[derive(Properties, PartialEq)]
pub struct HashingViewProps {
    /// The algorithm now (its picture is drawn).
    pub algo: Algorithm,
    /// The algorithms' parameters.
    pub params: Params,
    /// Servers now.
    pub servers: usize,
    /// The learner's last change of the number of servers (before, after), shown instead of
    /// the what-if of one more server.
    #[prop_or_default]
    pub change: Option<(usize, usize)>,
}

/// Owners with `from` servers and with `to`, for one algorithm; bounded load routes each key
/// as a request that stays, since its bound is on load.
fn before_after(algo: Algorithm, params: &Params, from: usize, to: usize) -> (Vec<u32>, Vec<u32>) {
    let load = algo == Algorithm::BoundedLoad;
    (owners(algo, params, from, KEYS, load), owners(algo, params, to, KEYS, load))
}

/// The moved shares and the drawn algorithm's owners.
#[derive(PartialEq)]
struct Computed {
    shares: Vec<(Algorithm, f64)>,
    before: Vec<u32>,
    after: Vec<u32>,
}

/// The view.
#[function_component]
pub fn HashingView(props: &HashingViewProps) -> Html {
    // The learner's own last change, or what one more server would do.
    let (yours, (n, to)) = match props.change {
        Some((from, to)) if from >= 1 && to >= 1 && from != to => (true, (from, to)),
        _ => (false, (props.servers.max(1), props.servers.max(1) + 1)),
    };
    let computed = use_memo((props.algo, props.params, n, to), |(algo, params, n, to)| {
        let mut drawn = (Vec::new(), Vec::new());
        let shares = hashes()
            .into_iter()
            .map(|a| {
                let (before, after) = before_after(a, params, *n, *to);
                let share = moved_share(&before, &after);
                if a == *algo {
                    drawn = (before, after);
                }
                (a, share)
            })
            .collect();
        Computed { shares, before: drawn.0, after: drawn.1 }
    });
    let cell = |row: f64, k: usize, owner: u32| {
        html! { <rect class={format!("owner owner-{}", owner % 8)} x={k.to_string()} y={lbcore::decimal::shortest(row)} width="1" height="10" /> }
    };
    let drawn = DRAWN.min(computed.before.len());
    let moved_marks = (0..drawn).filter(|&k| computed.before[k] != computed.after[k]).map(|k| {
        html! { <rect class="moved-mark" x={format!("{}.3", k)} y="10.5" width="0.4" height="3" /> }
    });
    html! {
        <section class="hashing-view" data-testid="hashing-view" aria-labelledby="hashing-title">
            <h3 id="hashing-title" data-testid="hashing-title">{
                if yours {
                    format!("Keys that moved with your change ({n} → {to} servers)")
                } else {
                    format!("Keys that move when a server joins ({n} → {to})")
                }
            }</h3>
            <table class="moved-table">
                <thead><tr><th scope="col">{ "Algorithm" }</th><th scope="col">{ "Keys moved" }</th><th scope="col">{ "Ideal" }</th></tr></thead>
                <tbody>
                    { for computed.shares.iter().map(|(a, share)| html! {
                        <tr class={classes!((*a == props.algo).then_some("current"))}>
                            <th scope="row">{ a.id() }{ if *a == props.algo { " (now)" } else { "" } }</th>
                            <td data-testid={format!("moved-{}", a.id())} data-value={lbcore::decimal::shortest(*share)}>
                                { format!("{}%", lbcore::decimal::Fixed(share * 100.0, 0)) }</td>
                            <td>{ format!("{}%", lbcore::decimal::Fixed(100.0 * n.abs_diff(to) as f64 / n.max(to) as f64, 0)) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            if drawn > 0 {
                <figure class="keyspace">
                    <svg viewBox={format!("0 0 {drawn} 24")} preserveAspectRatio="none" role="img"
                         aria-label={format!("The first {drawn} keys: owner with {n} servers above, with {to} below; a tick marks each key that moved")}>
                        { for (0..drawn).map(|k| cell(0.0, k, computed.before[k])) }
                        { for moved_marks }
                        { for (0..drawn).map(|k| cell(14.0, k, computed.after[k])) }
                    </svg>
                    <figcaption class="hint">
                        { format!("{}: the first {drawn} of {KEYS} keys, one colour per server; top with {n} servers, bottom with {to}, a tick between them for each key that moved.", props.algo) }
                    </figcaption>
                </figure>
            }
        </section>
    }
}
