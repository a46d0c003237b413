//! Compare mode: one panel per algorithm, each its own engine on the same traffic, the
//! checkboxes that choose them, and the summary table that marks the best per column in
//! words as well as colour.

use std::rc::Rc;

use lbcore::{Algorithm, Summary};
use yew::prelude::*;

use super::bar_chart::BarChart;
use crate::format;
use crate::settings::{MAX_COMPARE, MIN_COMPARE};
use crate::snapshot::ServerView;
use crate::state::Action;

/// One compare panel as drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct PanelView {
    /// The panel's algorithm.
    pub algo: Algorithm,
    /// Its servers.
    pub servers: Rc<Vec<ServerView>>,
    /// Its run so far.
    pub summary: Rc<Summary>,
}

/// The panels' inputs.
#[derive(Properties, PartialEq)]
pub struct ComparePanelsProps {
    /// One per algorithm, in order.
    pub panels: Rc<Vec<PanelView>>,
    /// The shared axis maximum, so that bars compare across panels.
    pub axis_max: u32,
    /// Opens a server's panel, given its name (a server of that name is in every panel).
    #[prop_or_default]
    pub on_pick: Option<Callback<Rc<str>>>,
}

/// The panels side by side (stacked on narrow screens).
#[function_component]
pub fn ComparePanels(props: &ComparePanelsProps) -> Html {
    let n = props.panels.len();
    html! {
        <div class={classes!("compare-panels", format!("panels-{n}"))} data-testid="compare-panels">
            { for props.panels.iter().map(|p| {
                let s = &p.summary;
                html! {
                    <section class="compare-panel" data-testid="compare-panel" data-algo={p.algo.id()}
                             data-arrived={s.arrived.to_string()} aria-label={format!("{} panel", p.algo)}>
                        <h3>{ p.algo.id() }</h3>
                        <BarChart servers={p.servers.clone()} axis_max={props.axis_max} on_pick={props.on_pick.clone()} />
                        <p class="panel-counts">
                            <span data-testid="panel-arrived" data-value={s.arrived.to_string()}>
                                { format!("{} arrived", format::count(s.arrived)) }</span>
                            { " · " }
                            <span>{ format!("{} rejected", format::count(s.rejected)) }</span>
                            { " · " }
                            <span>{ format!("p95 {}", format::percentile(s, s.p95_response_s)) }</span>
                        </p>
                    </section>
                }
            }) }
        </div>
    }
}

/// A column of the summary table: its id, heading, the value it reads and whether lower is better.
struct Column {
    id: &'static str,
    heading: &'static str,
    value: fn(&Summary) -> f64,
    show: fn(&Summary, f64) -> String,
    lower_is_better: bool,
}

const COLUMNS: [Column; 6] = [
    Column { id: "p50", heading: "p50", value: |s| s.p50_response_s, show: format::percentile, lower_is_better: true },
    Column { id: "p95", heading: "p95", value: |s| s.p95_response_s, show: format::percentile, lower_is_better: true },
    Column { id: "p99", heading: "p99", value: |s| s.p99_response_s, show: format::percentile, lower_is_better: true },
    Column {
        id: "rejected",
        heading: "Rejected",
        value: |s| s.rejected as f64,
        show: |_, v| format::count(v as u64),
        lower_is_better: true,
    },
    Column {
        id: "imbalance",
        heading: "Max / mean",
        value: |s| s.imbalance.max_over_mean,
        show: |_, v| format::number(v, 3),
        lower_is_better: true,
    },
    Column {
        id: "jain",
        heading: "Jain",
        value: |s| s.imbalance.jain,
        show: |_, v| format::number(v, 3),
        lower_is_better: false,
    },
];

/// The hit-ratio column, shown when a cache is on.
const HIT_COLUMN: Column = Column {
    id: "hit-ratio",
    heading: "Hit ratio",
    value: |s| s.cache_hit_ratio,
    show: |_, v| format!("{}%", lbcore::decimal::Fixed(v * 100.0, 0)),
    lower_is_better: false,
};

/// For each row, whether it holds the best value of the column, as the table `shown` it: a
/// difference the shown figures do not show is no difference (1.01 s and 1.0 s both read
/// `1 s`), so rows that read the same as the best share its mark, and nobody is best when every
/// row reads the same or nothing has been measured yet.
pub fn best_of(values: &[f64], shown: &[String], lower_is_better: bool) -> Vec<bool> {
    let finite = values.iter().copied().filter(|v| v.is_finite());
    let best =
        if lower_is_better { finite.fold(f64::INFINITY, f64::min) } else { finite.fold(f64::NEG_INFINITY, f64::max) };
    let Some(best_text) = values.iter().position(|&v| v == best).map(|i| &shown[i]) else {
        return vec![false; values.len()];
    };
    let all_tie = values.iter().all(|v| v.is_finite()) && shown.iter().all(|t| t == best_text);
    values.iter().zip(shown).map(|(v, t)| !all_tie && v.is_finite() && t == best_text).collect()
}

/// The summary table's inputs.
#[derive(Properties, PartialEq)]
pub struct CompareTableProps {
    /// One per algorithm, in order.
    pub panels: Rc<Vec<PanelView>>,
    /// A cache is on: add the hit-ratio column.
    #[prop_or_default]
    pub cache: bool,
}

/// p50, p95, p99, rejected and imbalance per algorithm (and the hit ratio with a cache); the
/// best per column says "best".
#[function_component]
pub fn CompareTable(props: &CompareTableProps) -> Html {
    let panels = &props.panels;
    let measured = panels.iter().all(|p| p.summary.completed + p.summary.cache_hits > 0);
    let columns: Vec<&Column> = COLUMNS.iter().chain(props.cache.then_some(&HIT_COLUMN)).collect();
    let best: Vec<Vec<bool>> = columns
        .iter()
        .map(|c| {
            let values: Vec<f64> = panels.iter().map(|p| (c.value)(&p.summary)).collect();
            let shown: Vec<String> = panels.iter().zip(&values).map(|(p, &v)| (c.show)(&p.summary, v)).collect();
            if measured { best_of(&values, &shown, c.lower_is_better) } else { vec![false; values.len()] }
        })
        .collect();
    html! {
        <div class="compare-table-wrap">
            <p class="hint table-note">{ if props.cache {
                    "The race so far. Lower is better, except Jain (1 is perfectly even) and hit ratio; ★ marks the best in each column, where the figures shown differ."
                } else {
                    "The race so far. Lower is better, except Jain (1 is perfectly even); ★ marks the best in each column, where the figures shown differ."
                } }</p>
            <div class="compare-table-scroll">
            <table class="compare-table" data-testid="compare-table">
                <caption class="visually-hidden">{ "The race so far, one row per algorithm" }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ "Algorithm" }</th>
                        { for columns.iter().map(|c| html! { <th scope="col" title={c.id.starts_with('p').then_some(format::PERCENTILE_RANGE)}>{ c.heading }</th> }) }
                    </tr>
                </thead>
                <tbody>
                    { for panels.iter().enumerate().map(|(row, p)| html! {
                        <tr data-algo={p.algo.id()}>
                            <th scope="row">{ p.algo.id() }</th>
                            { for columns.iter().enumerate().map(|(col, c)| {
                                let v = (c.value)(&p.summary);
                                let is_best = best[col][row];
                                html! {
                                    <td class={classes!(is_best.then_some("best"))} data-testid={format!("cell-{}", c.id)}
                                        data-value={format::shortest(v)} data-best={is_best.to_string()}>
                                        { (c.show)(&p.summary, v) }
                                        if is_best {
                                            <span class="best-mark"><span aria-hidden="true">{ " ★" }</span>
                                                <span class="visually-hidden">{ " (best)" }</span></span>
                                        }
                                    </td>
                                }
                            }) }
                        </tr>
                    }) }
                </tbody>
            </table>
            </div>
        </div>
    }
}

/// The algorithm checkboxes' inputs.
#[derive(Properties, PartialEq)]
pub struct AlgosPickerProps {
    /// The algorithms racing now.
    pub algos: Vec<Algorithm>,
    /// Where actions go.
    pub on: Callback<Action>,
}

/// A checkbox per algorithm; 2 to 4 may be ticked, and a change starts the race again.
#[function_component]
pub fn AlgosPicker(props: &AlgosPickerProps) -> Html {
    let full = props.algos.len() >= MAX_COMPARE;
    let few = props.algos.len() <= MIN_COMPARE;
    html! {
        <fieldset class="algos-picker" data-testid="algos">
            <legend>{ format!("Algorithms to race ({MIN_COMPARE} to {MAX_COMPARE})") }</legend>
            { for Algorithm::ALL.iter().map(|&a| {
                let on = props.on.clone();
                let checked = props.algos.contains(&a);
                let algos = props.algos.clone();
                let onchange = Callback::from(move |_: Event| {
                    let next: Vec<Algorithm> = if checked {
                        algos.iter().copied().filter(|&x| x != a).collect()
                    } else {
                        algos.iter().copied().chain([a]).collect()
                    };
                    on.emit(Action::SetAlgos(next));
                });
                let id = format!("race-{}", a.id());
                let disabled = (checked && few) || (!checked && full);
                html! {
                    <label for={id.clone()} class="check">
                        <input type="checkbox" id={id} value={a.id()} {checked} {disabled} {onchange} />
                        { a.id() }
                    </label>
                }
            }) }
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_is_marked_per_direction_and_not_on_ties() {
        let texts = |v: &[f64]| v.iter().map(|x| format::seconds(*x)).collect::<Vec<_>>();
        let best = |v: &[f64], lower| best_of(v, &texts(v), lower);
        assert_eq!(best(&[0.3, 0.1, 0.2], true), [false, true, false]);
        assert_eq!(best(&[0.3, 0.1, 0.3], false), [true, false, true]);
        assert_eq!(best(&[0.0, 0.0], true), [false, false]);
        // 1.001 s and 1.002 s both read "1 s": no star, the difference is not shown
        assert_eq!(best(&[1.001, 1.002], true), [false, false]);
        // ... and rows that read the same as the best share its star
        assert_eq!(best(&[1.001, 1.002, 2.0], true), [true, true, false]);
        assert_eq!(best(&[f64::NAN, 0.5], true), [false, true]);
    }
}
