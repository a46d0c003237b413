//! Compare mode: one panel per algorithm, each its own engine on the same traffic, the
//! checkboxes that choose them, and the summary table that marks the best per column in
//! words as well as colour. The table is drawn by the on-demand bundle
//! ([`crate::on_demand`], loaded the first time a race is shown): the lab hands it the race's
//! figures as text ([`RaceRow::write`]) and [`table_slot`] is where it goes.

use std::rc::Rc;

use lbcore::{Algorithm, Summary};
use yew::prelude::*;

use super::bar_chart::BarChart;
use super::on_demand_slot::OnDemandSlot;
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

/// The panels' inputs: [`compare_panels`] draws them each frame (every panel's bars change).
#[derive(PartialEq)]
pub struct ComparePanels {
    /// One per algorithm, in order.
    pub panels: Rc<Vec<PanelView>>,
    /// The shared axis maximum, so that bars compare across panels.
    pub axis_max: u32,
    /// Opens a server's panel, given its name (a server of that name is in every panel).
    pub on_pick: Option<Callback<Rc<str>>>,
}

/// The panels side by side (stacked on narrow screens).
pub fn compare_panels(props: &ComparePanels) -> Html {
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

/// Compare mode's panels, as a plain function that only the lab's build passes
/// ([`crate::app::Build::race`]): a lesson never races (lbcore's lesson modes are auto, manual
/// and predict), so the lesson build links none of the panels' code.
pub fn panels(panels: Rc<Vec<PanelView>>, axis_max: u32, on_pick: Option<Callback<Rc<str>>>) -> Html {
    compare_panels(&ComparePanels { panels, axis_max, on_pick })
}

/// One algorithm's figures in the summary table: what the lab hands the on-demand bundle.
#[derive(Clone, Debug, PartialEq)]
pub struct RaceRow {
    /// The panel's algorithm.
    pub algo: Algorithm,
    /// Whether any request was answered yet (completed or a cache hit): the percentiles mean
    /// nothing before.
    pub answered: bool,
    /// Median response time, seconds.
    pub p50: f64,
    /// 95th percentile, seconds.
    pub p95: f64,
    /// 99th percentile, seconds.
    pub p99: f64,
    /// Requests rejected.
    pub rejected: u64,
    /// The busiest server's time-averaged connections over the mean.
    pub max_over_mean: f64,
    /// Jain's fairness index of time-averaged connections.
    pub jain: f64,
    /// Cache hits over cache lookups.
    pub hit_ratio: f64,
    /// Requests answered while their client waited, per second.
    pub goodput: f64,
    /// Attempts per request that arrived.
    pub amplification: f64,
    /// Requests that timed out (after their retries).
    pub timed_out: u64,
}

impl RaceRow {
    /// The row of a panel's algorithm and its run so far.
    pub fn of(algo: Algorithm, s: &Summary) -> RaceRow {
        RaceRow {
            algo,
            answered: s.completed + s.cache_hits > 0,
            p50: s.p50_response_s,
            p95: s.p95_response_s,
            p99: s.p99_response_s,
            rejected: s.rejected,
            max_over_mean: s.imbalance.max_over_mean,
            jain: s.imbalance.jain,
            hit_ratio: s.cache_hit_ratio,
            goodput: s.goodput_rps,
            amplification: s.amplification,
            timed_out: s.timed_out,
        }
    }

    /// The rows as text, a line each: `algo answered p50 p95 p99 rejected max_over_mean jain
    /// hit_ratio goodput amplification timed_out`, numbers in their shortest text (each reads back to the same double).
    pub fn write(rows: &[RaceRow]) -> String {
        let line = |r: &RaceRow| {
            let numbers = [
                r.p50,
                r.p95,
                r.p99,
                r.rejected as f64,
                r.max_over_mean,
                r.jain,
                r.hit_ratio,
                r.goodput,
                r.amplification,
                r.timed_out as f64,
            ];
            let numbers: Vec<String> = numbers.iter().map(|&x| format::shortest(x)).collect();
            format!("{} {} {}", r.algo.id(), u8::from(r.answered), numbers.join(" "))
        };
        rows.iter().map(line).collect::<Vec<_>>().join("\n")
    }

    /// The rows [`RaceRow::write`] wrote; a line that is not one is left out.
    pub fn read(text: &str) -> Vec<RaceRow> {
        let row = |line: &str| {
            let mut words = line.split(' ');
            let algo = Algorithm::from_id(words.next()?)?;
            let answered = words.next()? == "1";
            let mut n = [0.0; 10];
            for x in &mut n {
                *x = lbcore::decimal::read(words.next()?)?;
            }
            let [p50, p95, p99, rejected, max_over_mean, jain, hit_ratio, goodput, amplification, timed_out] = n;
            let (rejected, timed_out) = (rejected as u64, timed_out as u64);
            Some(RaceRow {
                algo,
                answered,
                p50,
                p95,
                p99,
                rejected,
                max_over_mean,
                jain,
                hit_ratio,
                goodput,
                amplification,
                timed_out,
            })
        };
        text.lines().filter_map(row).collect()
    }

    /// A percentile of this row as shown ([`format::percentile`]'s rule).
    fn percentile(&self, p: f64) -> String {
        format::percentile_of(self.answered, p)
    }
}

/// A column of the summary table: its id, heading, the value it reads and whether lower is better.
struct Column {
    id: &'static str,
    heading: &'static str,
    value: fn(&RaceRow) -> f64,
    show: fn(&RaceRow, f64) -> String,
    lower_is_better: bool,
}

const COLUMNS: [Column; 6] = [
    Column { id: "p50", heading: "p50", value: |r| r.p50, show: RaceRow::percentile, lower_is_better: true },
    Column { id: "p95", heading: "p95", value: |r| r.p95, show: RaceRow::percentile, lower_is_better: true },
    Column { id: "p99", heading: "p99", value: |r| r.p99, show: RaceRow::percentile, lower_is_better: true },
    Column {
        id: "rejected",
        heading: "Rejected",
        value: |r| r.rejected as f64,
        show: |_, v| format::count(v as u64),
        lower_is_better: true,
    },
    Column {
        id: "imbalance",
        heading: "Max / mean",
        value: |r| r.max_over_mean,
        show: |_, v| format::number(v, 3),
        lower_is_better: true,
    },
    Column {
        id: "jain",
        heading: "Jain",
        value: |r| r.jain,
        show: |_, v| format::number(v, 3),
        lower_is_better: false,
    },
];

/// The hit-ratio column, shown when a cache is on.
const HIT_COLUMN: Column = Column {
    id: "hit-ratio",
    heading: "Hit ratio",
    value: |r| r.hit_ratio,
    show: |_, v| format!("{}%", lbcore::decimal::Fixed(v * 100.0, 0)),
    lower_is_better: false,
};

/// The client's side, shown when clients time out, retry or hedge: goodput, attempts per
/// request and requests timed out.
const RESILIENCE_COLUMNS: [Column; 3] = [
    Column {
        id: "goodput",
        heading: "Goodput",
        value: |r| r.goodput,
        show: |_, v| format::rate(v),
        lower_is_better: false,
    },
    Column {
        id: "amplification",
        heading: "Attempts / req",
        value: |r| r.amplification,
        show: |_, v| format::number(v, 2),
        lower_is_better: true,
    },
    Column {
        id: "timed-out",
        heading: "Timed out",
        value: |r| r.timed_out as f64,
        show: |_, v| format::count(v as u64),
        lower_is_better: true,
    },
];

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
    pub rows: Rc<Vec<RaceRow>>,
    /// A cache is on: add the hit-ratio column.
    #[prop_or_default]
    pub cache: bool,
    /// Clients time out, retry or hedge: add goodput, attempts per request and timed out.
    #[prop_or_default]
    pub resilience: bool,
}

/// p50, p95, p99, rejected and imbalance per algorithm (and the hit ratio with a cache); the
/// best per column says "best". Drawn by the on-demand bundle, into [`table_slot`].
#[function_component]
pub fn CompareTable(props: &CompareTableProps) -> Html {
    let rows = &props.rows;
    let measured = rows.iter().all(|r| r.answered);
    let resilience = RESILIENCE_COLUMNS.iter().filter(|_| props.resilience);
    let columns: Vec<&Column> = COLUMNS.iter().chain(props.cache.then_some(&HIT_COLUMN)).chain(resilience).collect();
    let best: Vec<Vec<bool>> = columns
        .iter()
        .map(|c| {
            let values: Vec<f64> = rows.iter().map(|r| (c.value)(r)).collect();
            let shown: Vec<String> = rows.iter().zip(&values).map(|(r, &v)| (c.show)(r, v)).collect();
            if measured { best_of(&values, &shown, c.lower_is_better) } else { vec![false; values.len()] }
        })
        .collect();
    html! {
        <div class="compare-table-wrap">
            <p class="hint table-note">{ if props.cache {
                    "The race so far. Lower is better, except Jain (1 is perfectly even), hit ratio and goodput; ★ marks the best in each column, where the figures shown differ."
                } else {
                    "The race so far. Lower is better, except Jain (1 is perfectly even) and goodput; ★ marks the best in each column, where the figures shown differ."
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
                    { for rows.iter().enumerate().map(|(row, r)| html! {
                        <tr data-algo={r.algo.id()}>
                            <th scope="row">{ r.algo.id() }</th>
                            { for columns.iter().enumerate().map(|(col, c)| {
                                let v = (c.value)(r);
                                let is_best = best[col][row];
                                html! {
                                    <td class={classes!(is_best.then_some("best"))} data-testid={format!("cell-{}", c.id)}
                                        data-value={format::shortest(v)} data-best={is_best.to_string()}>
                                        { (c.show)(r, v) }
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

/// The element the on-demand bundle draws the summary table into.
pub const TABLE_ROOT_ID: &str = "compare-table-root";

/// The slot the on-demand bundle draws the summary table of `rows` into (with the hit-ratio
/// column when `cache`, the client's columns when `resilience`); new figures draw it again.
pub fn table_slot(rows: &[RaceRow], cache: bool, resilience: bool) -> Html {
    let flag = |on: bool| AttrValue::from(if on { "1" } else { "0" });
    let texts = vec![AttrValue::from(RaceRow::write(rows)), flag(cache), flag(resilience)];
    html! {
        <OnDemandSlot export="show_race_table" id={TABLE_ROOT_ID} name="compare-table-slot" loading="Loading the race's table…" what="The race's table" {texts} />
    }
}

/// The algorithm checkboxes' inputs.
#[derive(Properties, PartialEq)]
pub struct AlgosPickerProps {
    /// The algorithms racing now.
    pub algos: Vec<Algorithm>,
}

/// A checkbox per algorithm; 2 to 4 may be ticked. Drawn by the on-demand bundle into
/// [`picker_slot`], which hears a click on a box (its `data-answer`: the ids of the algorithms
/// that race after it, [`toggled`]) and starts the race again with them.
#[function_component]
pub fn AlgosPicker(props: &AlgosPickerProps) -> Html {
    let full = props.algos.len() >= MAX_COMPARE;
    let few = props.algos.len() <= MIN_COMPARE;
    html! {
        <fieldset class="algos-picker" data-testid="algos">
            <legend>{ format!("Algorithms to race ({MIN_COMPARE} to {MAX_COMPARE})") }</legend>
            { for Algorithm::ALL.iter().map(|&a| {
                let checked = props.algos.contains(&a);
                let id = format!("race-{}", a.id());
                let disabled = (checked && few) || (!checked && full);
                html! {
                    <label for={id.clone()} class="check">
                        <input type="checkbox" id={id} value={a.id()} {checked} {disabled}
                            data-answer={toggled(&props.algos, a).iter().map(|a| a.id()).collect::<Vec<_>>().join(",")} />
                        { a.id() }
                    </label>
                }
            }) }
        </fieldset>
    }
}

/// The algorithms racing after a click on `a`'s box: without it if it raced, else with it last.
pub fn toggled(algos: &[Algorithm], a: Algorithm) -> Vec<Algorithm> {
    if algos.contains(&a) {
        algos.iter().copied().filter(|&x| x != a).collect()
    } else {
        algos.iter().copied().chain([a]).collect()
    }
}

/// The element the on-demand bundle draws the algorithm checkboxes into.
pub const PICKER_ROOT_ID: &str = "algos-root";

/// The slot the on-demand bundle draws the checkboxes for `algos` into; a click on one sends
/// [`Action::SetAlgos`] to `on`.
pub fn picker_slot(algos: &[Algorithm], on: &Callback<Action>) -> Html {
    let ids: Vec<&str> = algos.iter().map(|a| a.id()).collect();
    let on_answer = on.reform(|ids: String| Action::SetAlgos(ids.split(',').filter_map(Algorithm::from_id).collect()));
    html! {
        <OnDemandSlot export="show_algos" id={PICKER_ROOT_ID} name="algos-slot" loading="Loading the algorithms to race…" what="The algorithms to race"
            texts={vec![AttrValue::from(ids.join(","))]} {on_answer} />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_click_takes_an_algorithm_out_of_the_race_or_adds_it_last() {
        use Algorithm::{LeastConnections as Lc, Maglev, RoundRobin as Rr};
        assert_eq!(toggled(&[Rr, Lc, Maglev], Lc), [Rr, Maglev]);
        assert_eq!(toggled(&[Rr, Lc], Maglev), [Rr, Lc, Maglev]);
    }

    #[test]
    fn race_rows_cross_as_text_and_back_unchanged() {
        let rows = vec![
            RaceRow {
                algo: Algorithm::PowerOfTwo,
                answered: true,
                p50: 0.1 + 0.2,
                p95: 1e-7,
                p99: 360_000.0,
                rejected: 12_345,
                max_over_mean: 1.0 / 3.0,
                jain: 0.999,
                hit_ratio: 0.0,
                goodput: 69.95,
                amplification: 1.0 + 1.0 / 7.0,
                timed_out: 3,
            },
            RaceRow { algo: Algorithm::Maglev, answered: false, ..RaceRow::of(Algorithm::Maglev, &blank()) },
        ];
        assert_eq!(RaceRow::read(&RaceRow::write(&rows)), rows);
        assert_eq!(RaceRow::read("fastest 1 0 0 0 0 0 0 0\nround-robin 1 0 0"), [], "not rows: left out");
    }

    fn blank() -> Summary {
        lbcore::Engine::new(lbcore::Scenario::default()).expect("the default scenario").summary()
    }

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
