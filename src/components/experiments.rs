//! The Experiments view: tick up to four algorithms, sweep offered load from 0.1 to 0.95 on
//! the page's scenario (and, if picked, a second numeric setting such as `retries` over values
//! typed as `lbsim sweep --over` takes them), and watch mean and p99 response time (and
//! goodput, a line per value of the second setting) against load fill in, with a progress bar,
//! while the live chart keeps running. The runs happen in a pool of Web Workers, one per core
//! but the page's own by default ([`crate::experiments::pool`]), and the status line says how
//! fast, measured; the points download as the CSV `lbsim sweep` prints, and the
//! view shows that command.
//!
//! The view is an app of its own, the `experiments` binary, loaded only when the reader opens
//! it ([`super::experiments_slot`]): when Run is pressed it reads the page's scenario from the
//! query the lab writes on the section, the same query as the address bar's.

use std::rc::Rc;

use lbcore::sweep::over::Dim;
use lbcore::sweep::{self, Row};
use lbcore::{Algorithm, Scenario};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::experiments_slot::ROOT_ID;
use super::sweep_chart::{Figure, SweepChart};
use crate::experiments::plan;
use crate::experiments::pool::{self, Pace};
use crate::experiments::runner::{self, Order, Runner};
use crate::experiments::theory::Mm1k;
use crate::export;
use crate::format;
use crate::settings;
use crate::url;

/// Most algorithms one sweep plots.
pub const MAX_SWEPT: usize = 4;

/// The page's scenario and the algorithms to tick at first (compare mode's, or the page's
/// algorithm and the one that teaches most beside it), from the query the lab writes on the
/// section (`data-query`), or else from the address bar.
fn page_scenario() -> (Scenario, Vec<Algorithm>) {
    let window = web_sys::window();
    let section = window.as_ref().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(ROOT_ID));
    let query = section
        .and_then(|root| root.closest("[data-query]").ok().flatten())
        .and_then(|s| s.get_attribute("data-query"))
        .or_else(|| window.and_then(|w| w.location().search().ok()))
        .unwrap_or_default();
    let parsed = url::parse(&query);
    let algos = if parsed.settings.algos.is_empty() {
        settings::default_algos(parsed.scenario.algo)
    } else {
        parsed.settings.algos.clone()
    };
    (parsed.scenario, algos)
}

/// A sweep started from the view, and what has come back of it.
#[derive(Clone, Debug, Default, PartialEq)]
struct Run {
    job: u32,
    algorithms: Rc<Vec<Algorithm>>,
    /// The second setting swept, if any.
    second: Option<Rc<Dim>>,
    rows: Rc<Vec<Option<Row>>>,
    received: usize,
    done: bool,
    cancelled: bool,
    /// Why the page runs it itself, once it has started there.
    on_page: Option<String>,
    /// The workers asked for, and how many have started on it.
    workers: usize,
    started_workers: usize,
    /// The runs' own wall-clock times, added up, in milliseconds.
    busy_ms: f64,
    /// Why it stopped before the end, if it did.
    failed: Option<String>,
    command: String,
    theory: Option<Mm1k>,
    started_ms: f64,
    took_ms: Option<f64>,
}

/// The view's state: the latest sweep, if any, and how long each sweep took in one worker (its
/// command, which names every setting, and milliseconds), to measure the speed-up against.
#[derive(Clone, Debug, Default, PartialEq)]
struct Sweeps {
    run: Option<Run>,
    one_worker: Vec<(String, f64)>,
}

impl Run {
    /// Whether it is still going.
    fn running(&self) -> bool {
        !self.done && !self.cancelled && self.failed.is_none()
    }

    /// How fast it went, up to now or to its end.
    fn pace(&self) -> Pace {
        let wall_ms = self.took_ms.unwrap_or_else(|| js_sys::Date::now() - self.started_ms);
        Pace { runs: self.received, busy_ms: self.busy_ms, wall_ms }
    }
}

enum SweepAction {
    Begin(Run),
    Heard(runner::Event),
    Cancel,
}

impl Reducible for Sweeps {
    type Action = SweepAction;

    fn reduce(self: Rc<Self>, action: SweepAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match (action, next.run.as_mut()) {
            (SweepAction::Begin(run), _) => next.run = Some(run),
            (SweepAction::Cancel, Some(run)) => run.cancelled = run.running(),
            (SweepAction::Heard(event), Some(run)) => match event {
                runner::Event::Started { job, on_page, workers } if job == run.job => {
                    run.on_page = on_page;
                    run.started_workers = workers;
                }
                runner::Event::Rows { job, rows, busy_ms } if job == run.job && run.running() => {
                    run.busy_ms += busy_ms;
                    let mut all = (*run.rows).clone();
                    for (i, row) in rows {
                        if let Some(slot) = all.get_mut(i) {
                            run.received += usize::from(slot.is_none());
                            *slot = Some(row);
                        }
                    }
                    run.rows = Rc::new(all);
                }
                runner::Event::Done { job } if job == run.job && run.running() => {
                    run.done = true;
                    let took = js_sys::Date::now() - run.started_ms;
                    run.took_ms = Some(took);
                    if run.on_page.is_none() && run.started_workers == 1 {
                        next.one_worker.retain(|(command, _)| *command != run.command);
                        next.one_worker.push((run.command.clone(), took));
                    }
                }
                runner::Event::Failed { job, why } if job == run.job && run.running() => {
                    run.failed = Some(why);
                    run.took_ms = Some(js_sys::Date::now() - run.started_ms);
                }
                _ => return self,
            },
            _ => return self,
        }
        Rc::new(next)
    }
}

/// The Experiments view.
#[function_component]
pub fn Experiments() -> Html {
    let sweeps = use_reducer(Sweeps::default);
    let chosen = use_state(|| page_scenario().1.into_iter().take(MAX_SWEPT).collect::<Vec<_>>());
    let requests = use_state(|| plan::REQUESTS[0]);
    // the second setting's name ("" for none) and its values as typed
    let second_name = use_state(String::new);
    let second_spec = use_state(|| "0,1,2,3".to_string());
    let problem = use_state(|| None::<String>);
    let workers =
        use_state(|| pool::default_workers(web_sys::window().map_or(1.0, |w| w.navigator().hardware_concurrency())));
    let runner = {
        let dispatcher = sweeps.dispatcher();
        use_mut_ref(move || Runner::new(Callback::from(move |e| dispatcher.dispatch(SweepAction::Heard(e)))))
    };
    let next_job = use_mut_ref(|| 0u32);

    let running = sweeps.run.as_ref().is_some_and(Run::running);
    let on_run = {
        let (chosen, requests, workers) = (chosen.clone(), *requests, *workers);
        let (sweeps, runner, problem) = (sweeps.dispatcher(), runner.clone(), problem.clone());
        let second = (!second_name.is_empty()).then(|| ((*second_name).clone(), (*second_spec).clone()));
        Callback::from(move |_: MouseEvent| {
            let scenario = page_scenario().0;
            let plan = match plan::sweep(&scenario, &chosen, requests, &second) {
                Ok(plan) => plan,
                Err(why) => return problem.set(Some(why)),
            };
            problem.set(None);
            let job = {
                let mut n = next_job.borrow_mut();
                *n += 1;
                *n
            };
            sweeps.dispatch(SweepAction::Begin(Run {
                job,
                algorithms: Rc::new(plan.algorithms.clone()),
                second: plan.over.first().cloned().map(Rc::new),
                rows: Rc::new(vec![None; plan.len()]),
                command: plan::command(&plan),
                // (theory models neither a second setting's changes nor timeouts and retries)
                theory: Mm1k::of_random_routing(&plan.base).filter(|_| plan.over.is_empty()),
                started_ms: js_sys::Date::now(),
                workers,
                ..Run::default()
            }));
            runner.borrow().start(job, Order { scenario, requests, second: second.clone(), sweep: plan, workers });
        })
    };
    let on_cancel = {
        let (sweeps, runner) = (sweeps.dispatcher(), runner.clone());
        Callback::from(move |_: MouseEvent| {
            runner.borrow().cancel();
            sweeps.dispatch(SweepAction::Cancel);
        })
    };
    let on_requests = {
        let requests = requests.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(n) = select.value().parse() {
                requests.set(n);
            }
        })
    };

    let on_workers = {
        let workers = workers.clone();
        Callback::from(move |e: Event| {
            // (the select offers 1 to MAX_WORKERS alone: anything else keeps the count)
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Some(n) = select.value().parse().ok().filter(|n| (1..=pool::MAX_WORKERS).contains(n)) {
                workers.set(n);
            }
        })
    };

    let on_second = {
        let second_name = second_name.clone();
        Callback::from(move |e: Event| second_name.set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let on_spec = {
        let second_spec = second_spec.clone();
        Callback::from(move |e: InputEvent| second_spec.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };

    let picker = Algorithm::ALL.iter().map(|&a| {
        let ticked = chosen.contains(&a);
        let onchange = {
            let chosen = chosen.clone();
            Callback::from(move |_: Event| {
                let next: Vec<Algorithm> = if ticked {
                    chosen.iter().copied().filter(|&x| x != a).collect()
                } else {
                    chosen.iter().copied().chain([a]).collect()
                };
                chosen.set(next);
            })
        };
        let id = format!("sweep-{}", a.id());
        let disabled = running || (!ticked && chosen.len() >= MAX_SWEPT) || (ticked && chosen.len() == 1);
        html! {
            <label for={id.clone()} class="check">
                <input type="checkbox" {id} value={a.id()} checked={ticked} {disabled} {onchange} />
                { a.id() }
            </label>
        }
    });

    html! {
        <div class="experiments-view" data-testid="experiments-view">
            <p class="hint">{ "Runs this page's scenario at offered loads from 0.1 to 0.95, once per load for each algorithm \
                ticked, all on the same traffic, in Web Workers (one per core but one, unless you pick) so that \
                the live chart keeps going; \
                pick a second setting, such as retries, to run each load at each of its values too (goodput then \
                shows where retries tip the pool over). The command under the plots gives the same numbers." }</p>
            <div class="sweep-setup">
                <fieldset class="algos-picker" data-testid="sweep-algos">
                    <legend>{ format!("Algorithms to sweep (1 to {MAX_SWEPT})") }</legend>
                    { for picker }
                </fieldset>
                <div class="field">
                    <label for="sweep-requests">{ "Requests per run" }</label>
                    <select id="sweep-requests" data-testid="sweep-requests" onchange={on_requests} disabled={running}>
                        { for plan::REQUESTS.iter().map(|&n| html! {
                            <option value={n.to_string()} selected={n == *requests}>{ format::count(n) }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="sweep-workers">{ "Web Workers" }</label>
                    <select id="sweep-workers" data-testid="sweep-workers" onchange={on_workers} disabled={running}>
                        { for (1..=pool::MAX_WORKERS).map(|n| html! {
                            <option value={n.to_string()} selected={n == *workers}>{ n }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="sweep-second">{ "And sweep" }</label>
                    <select id="sweep-second" data-testid="sweep-second" onchange={on_second} disabled={running}>
                        <option value="" selected={second_name.is_empty()}>{ "nothing else" }</option>
                        { for plan::second_settings().into_iter().map(|n| html! {
                            <option value={n} selected={*second_name == n}>{ n }</option>
                        }) }
                    </select>
                </div>
                if !second_name.is_empty() {
                    <div class="field">
                        <label for="sweep-values">{ "over the values" }</label>
                        <input id="sweep-values" data-testid="sweep-values" type="text" value={(*second_spec).clone()}
                               placeholder="0,1,2,3 or 0.2:2:0.2" oninput={on_spec} disabled={running} />
                    </div>
                }
                if running {
                    <button type="button" class="button" data-testid="sweep-cancel" onclick={on_cancel}>{ "Cancel" }</button>
                } else {
                    <button type="button" class="button primary" data-testid="sweep-run" onclick={on_run}>{ "Run sweep" }</button>
                }
            </div>
            if let Some(why) = &*problem {
                <p class="notice warning" role="alert">{ format!("This scenario cannot be swept: {why}.") }</p>
            }
            if let Some(run) = &sweeps.run {
                { results(run, one_worker_ms(&sweeps, run)) }
            }
        </div>
    }
}

/// The legend's entries, a line each: the algorithms, or each algorithm at each value of the
/// second setting (`round-robin, retries 2`), in the plots' order.
fn legend(run: &Run) -> Vec<String> {
    let Some(second) = &run.second else {
        return run.algorithms.iter().map(|a| a.id().to_string()).collect();
    };
    let values = || second.values.iter().map(|&v| lbcore::decimal::shortest(v));
    run.algorithms.iter().flat_map(|a| values().map(move |v| format!("{}, {} {v}", a.id(), second.name))).collect()
}

/// How long the same sweep as `run` (the same command) took in one worker, if it was run so.
fn one_worker_ms(sweeps: &Sweeps, run: &Run) -> Option<f64> {
    sweeps.one_worker.iter().find(|(command, _)| *command == run.command).map(|(_, ms)| *ms)
}

/// Where `run` runs, in words: `in 2 Web Workers`, `on this page, because ...`.
fn place(run: &Run) -> String {
    match &run.on_page {
        Some(why) => format!("on this page, because {why}"),
        None => {
            // (before the first worker has said it started, the count asked for)
            let n = if run.running() && run.started_workers == 0 { run.workers } else { run.started_workers };
            format!("in {n} Web Worker{}", if n == 1 { "" } else { "s" })
        }
    }
}

/// The status line of `run`: how far, where, and how fast, measured. `one_worker_ms` is how
/// long the same sweep took in one worker, if it was run so: the speed-up over one worker is
/// the ratio of the two wall times, said only when both were measured.
fn status(run: &Run, one_worker_ms: Option<f64>) -> String {
    let total = run.rows.len();
    let pace = run.pace();
    let speed = format!("{} runs/s", format::number(pace.runs_per_s(), 3));
    // (how many runs were being made at once says what the workers did; only a run in one
    // worker of the same sweep says how much faster that was)
    let at_once = |n: usize| {
        if n > 1 && run.on_page.is_none() {
            format!(
                ", {} runs at once on average (the runs' own times over the wall time)",
                format::number(pace.at_once(), 2)
            )
        } else {
            String::new()
        }
    };
    if let Some(why) = &run.failed {
        return format!("Stopped after {} of {total} runs: {why}.", run.received);
    }
    if run.cancelled {
        return format!("Cancelled after {} of {total} runs.", run.received);
    }
    let n = run.started_workers;
    if !run.done {
        return format!("{} of {total} runs, {}, {speed}{}…", run.received, place(run), at_once(n));
    }
    let took = format::seconds(pace.wall_ms / 1e3);
    let against_one = match one_worker_ms {
        Some(one) if n > 1 && pace.wall_ms > 0.0 => format!(
            " {} as fast as this sweep in 1 Web Worker ({}).",
            format::factor(one / pace.wall_ms),
            format::seconds(one / 1e3)
        ),
        None if n > 1 => " Run it in 1 Web Worker to measure the speed-up.".to_string(),
        _ => String::new(),
    };
    format!("{total} runs done in {took}, {}, {speed}{}.{against_one}", place(run), at_once(n))
}

/// The progress, the plots, the CSV and the command of `run`.
fn results(run: &Run, one_worker_ms: Option<f64>) -> Html {
    let total = run.rows.len();
    let status = status(run, one_worker_ms);
    let took_ms = run.took_ms.filter(|_| run.done).map(|ms| (ms.round() as u64).to_string()).unwrap_or_default();
    let on_csv = {
        let rows = run.rows.clone();
        let swept: Vec<&'static str> = run.second.iter().map(|d| d.name).collect();
        Callback::from(move |_: MouseEvent| {
            let rows: Vec<Row> = rows.iter().flatten().cloned().collect();
            export::download("lbviz-sweep.csv", "text/csv", &sweep::csv_with(&swept, &rows));
        })
    };
    html! {
        <div class="sweep-results" data-testid="sweep-results" data-done={run.done.to_string()}
             data-workers={run.started_workers.to_string()} data-took-ms={took_ms}>
            <div class="sweep-status" aria-live="polite">
                <progress data-testid="sweep-progress" max={total.to_string()} value={run.received.to_string()}>
                    { format!("{} of {total}", run.received) }</progress>
                <span data-testid="sweep-status" role={run.failed.as_ref().map(|_| "alert")}>{ status }</span>
            </div>
            <ul class="sweep-legend">
                { for legend(run).into_iter().enumerate().map(|(i, what)| html! {
                    <li class={format!("c{}", i % 8)}><span class="swatch" aria-hidden="true"></span>{ what }</li>
                }) }
                if let Some(q) = run.theory {
                    <li class="theory-key"><span class="swatch" aria-hidden="true"></span>{ format!("{} (random routing, theory: 1 worker + a queue of {})", q.name(), q.capacity - 1) }</li>
                }
            </ul>
            <div class="sweep-charts">
                if run.second.is_some() {
                    <SweepChart figure={Figure::Goodput} algorithms={run.algorithms.clone()} rows={run.rows.clone()} theory={None} second={run.second.clone()} />
                }
                <SweepChart figure={Figure::Mean} algorithms={run.algorithms.clone()} rows={run.rows.clone()} theory={run.theory} second={run.second.clone()} />
                <SweepChart figure={Figure::P99} algorithms={run.algorithms.clone()} rows={run.rows.clone()} theory={run.theory} second={run.second.clone()} />
            </div>
            if run.rows.iter().flatten().any(|r| r.rejected > 0) {
                <p class="hint" data-testid="sweep-rejections">{ "Some runs filled a queue and turned requests away (a dot's tooltip says \
                    how many): past that load the response times of the rest level off instead of growing." }</p>
            }
            <div class="sweep-out">
                <button type="button" class="button" data-testid="sweep-csv" onclick={on_csv} disabled={!run.done}>
                    { "Download the points (CSV)" }</button>
                <span class="hint">{ "Change the scenario on the page and run again to see how the curves move." }</span>
            </div>
            <p class="hint">{ "The same sweep on the command line, CSV on standard output:" }</p>
            <code class="command" data-testid="sweep-command">{ run.command.clone() }</code>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A finished sweep of 54 runs in `workers` workers that took `wall_ms`, its runs `busy_ms`.
    fn finished(workers: usize, wall_ms: f64, busy_ms: f64) -> Run {
        Run {
            rows: Rc::new(vec![None; 54]),
            received: 54,
            done: true,
            workers,
            started_workers: workers,
            busy_ms,
            took_ms: Some(wall_ms),
            ..Run::default()
        }
    }

    #[test]
    fn the_speed_up_is_said_only_against_a_measured_run_in_one_worker() {
        // 54 runs in 3 s: 18 runs/s; the runs' own 5.7 s over 3 s: 1.9 at once; one worker took
        // 5.7 s for the same sweep, so two made it 5.7 / 3 = 1.9 times as fast.
        let two = finished(2, 3_000.0, 5_700.0);
        assert_eq!(
            status(&two, Some(5_700.0)),
            "54 runs done in 3 s, in 2 Web Workers, 18 runs/s, 1.9 runs at once on average (the runs' own times \
             over the wall time). 1.9× as fast as this sweep in 1 Web Worker (5.7 s)."
        );
        assert!(status(&two, None).ends_with(" Run it in 1 Web Worker to measure the speed-up."));
        let one = finished(1, 5_700.0, 5_650.0);
        assert_eq!(status(&one, Some(5_700.0)), "54 runs done in 5.7 s, in 1 Web Worker, 9.47 runs/s.");
    }

    #[test]
    fn a_stopped_sweep_says_why_and_how_far_it_got() {
        let run =
            Run { received: 7, failed: Some("a Web Worker stopped: out of memory".into()), ..finished(2, 1.0, 1.0) };
        assert_eq!(status(&run, None), "Stopped after 7 of 54 runs: a Web Worker stopped: out of memory.");
        assert!(!run.running());
    }
}
