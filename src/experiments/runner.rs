//! The page's side of a sweep: starts a pool of workers ([`super::worker`]), up to
//! [`super::pool::MAX_WORKERS`], sends each the sweep, hands them its runs through a
//! [`Handout`] and passes their rows to a callback. Where no worker can start (a page sandboxed
//! without an origin of its own, a browser without workers) or none answers within
//! [`WATCHDOG_MS`], the same runs are made on the page in short slices instead, and the first
//! event says so. A run a worker cannot make, or an error that stops a worker, ends the sweep
//! with a [`Event::Failed`] that says which and why: never a gap in the file.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use gloo_worker::{Spawnable, WorkerBridge};
use lbcore::Scenario;
use lbcore::sweep::{Row, Sweep};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::Callback;

use super::job::Job;
use super::pool::Handout;
use super::worker::{Input, Json, Output, SweepWorker, unpack};

/// How long the workers may take to say they have started before the page runs the sweep itself.
pub const WATCHDOG_MS: u32 = 10_000;

/// Wall-clock milliseconds of simulation per slice when the page runs the sweep itself: short,
/// so that the live chart still gets most frames.
pub const PAGE_SLICE_MS: f64 = 8.0;

/// What the component hears of a sweep.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// The sweep `job` has started: in `workers` Web Workers (counted again as each starts), or
    /// on the page, and why.
    Started {
        /// The sweep's number.
        job: u32,
        /// Why the page runs it itself, if it does.
        on_page: Option<String>,
        /// The workers that have started on it (0 on the page).
        workers: usize,
    },
    /// Runs finished, each with its index in the sweep.
    Rows {
        /// The sweep's number.
        job: u32,
        /// The runs' indices and rows.
        rows: Vec<(usize, Row)>,
        /// The wall-clock milliseconds those runs took, added up.
        busy_ms: f64,
    },
    /// The sweep stopped: a run could not be made, or a worker failed; every worker is stopped.
    Failed {
        /// The sweep's number.
        job: u32,
        /// Which worker or run, and why.
        why: String,
    },
    /// Every run of `job` is made.
    Done {
        /// The sweep's number.
        job: u32,
    },
}

/// A sweep to run: the plan, and what it was planned from (the workers plan it again).
#[derive(Clone, Debug)]
pub struct Order {
    /// The page's scenario.
    pub scenario: Scenario,
    /// Requests per run.
    pub requests: u64,
    /// The second setting swept, if any.
    pub second: super::plan::Second,
    /// The sweep [`super::plan::sweep`] made of them.
    pub sweep: Sweep,
    /// How many workers to share it among (1 to [`super::pool::MAX_WORKERS`]).
    pub workers: usize,
}

/// Runs sweeps, one at a time.
pub struct Runner {
    inner: Rc<RefCell<Inner>>,
}

/// The sweep the workers are making.
struct Current {
    job: u32,
    /// Kept for the fallback, should no worker start.
    sweep: Sweep,
    handout: Handout,
    /// Which workers have said they started on it.
    started: Vec<bool>,
}

struct Inner {
    on: Callback<Event>,
    /// The workers started so far, at most [`super::pool::MAX_WORKERS`]; the first
    /// [`Order::workers`] take part in a sweep.
    bridges: Vec<WorkerBridge<SweepWorker>>,
    current: Option<Current>,
    watchdog: Option<Timeout>,
    /// The job running on the page, and the timeout of its next slice.
    local: Option<(u32, Job, Option<Timeout>)>,
    /// Why sweeps run on the page, once no worker could start or answer.
    page_reason: Option<String>,
    /// Where the workers report an error that stopped them (`static/experiments-worker.js`).
    errors: Option<Errors>,
}

impl Runner {
    /// A runner that reports to `on`; it starts no worker until the first sweep.
    pub fn new(on: Callback<Event>) -> Runner {
        let inner = Inner {
            on,
            bridges: Vec::new(),
            current: None,
            watchdog: None,
            local: None,
            page_reason: None,
            errors: None,
        };
        Runner { inner: Rc::new(RefCell::new(inner)) }
    }

    /// Starts `sweep` as `job`, dropping the sweep in progress.
    pub fn start(&self, job: u32, order: Order) {
        let Order { scenario, requests, second, sweep, workers } = order;
        let workers = workers.clamp(1, super::pool::MAX_WORKERS).min(sweep.len().max(1));
        self.cancel();
        let reason = {
            let mut inner = self.inner.borrow_mut();
            if inner.page_reason.is_none() {
                if inner.errors.is_none() {
                    inner.errors = Errors::listen(&self.inner);
                }
                while inner.bridges.len() < workers {
                    match spawn(&self.inner, inner.bridges.len()) {
                        Ok(bridge) => inner.bridges.push(bridge),
                        Err(why) => {
                            inner.page_reason = Some(why);
                            break;
                        }
                    }
                }
            }
            inner.page_reason.clone()
        };
        if let Some(why) = reason {
            run_on_page(&self.inner, job, sweep, why);
            return;
        }
        let mut inner = self.inner.borrow_mut();
        let channel = inner.errors.as_ref().map(|e| e.name.clone()).unwrap_or_default();
        let pairs: Vec<(String, String)> = scenario.to_pairs().into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        // (workers beyond those asked for stay, idle, for a later sweep: starting one takes a
        // moment, which a short sweep would feel)
        for bridge in inner.bridges.iter().take(workers) {
            bridge.send(Input::Start {
                job,
                scenario: pairs.clone(),
                algorithms: sweep.algorithms.clone(),
                requests,
                second: second.clone(),
                errors: channel.clone(),
            });
        }
        let handout = Handout::new(sweep.len(), workers);
        inner.current = Some(Current { job, sweep, handout, started: vec![false; workers] });
        let weak = Rc::downgrade(&self.inner);
        inner.watchdog = Some(Timeout::new(WATCHDOG_MS, move || {
            let Some(inner) = weak.upgrade() else { return };
            let current = inner.borrow_mut().current.take_if(|c| c.job == job && !c.started.contains(&true));
            if let Some(current) = current {
                let why = "no Web Worker started".to_string();
                inner.borrow_mut().page_reason = Some(why.clone());
                run_on_page(&inner, job, current.sweep, why);
            }
        }));
    }

    /// Stops the sweep in progress, if any, in every worker.
    pub fn cancel(&self) {
        stop(&mut self.inner.borrow_mut());
    }
}

/// Stops the sweep in progress: the page's, or every worker's.
fn stop(inner: &mut Inner) {
    inner.local = None;
    inner.watchdog = None;
    if inner.current.take().is_some() {
        for bridge in &inner.bridges {
            bridge.send(Input::Cancel);
        }
    }
}

/// Starts worker number `worker` (from 0), or says why none can start here.
fn spawn(inner: &Rc<RefCell<Inner>>, worker: usize) -> Result<WorkerBridge<SweepWorker>, String> {
    let url = worker_url()?;
    let weak = Rc::downgrade(inner);
    let bridge = SweepWorker::spawner()
        .encoding::<Json>()
        .callback(move |output: Output| {
            if let Some(inner) = weak.upgrade() {
                heard(&inner, worker, output);
            }
        })
        .spawn_with_loader(&url);
    Ok(bridge)
}

/// What worker `worker` said: hands it more runs, and tells the component.
fn heard(inner: &Rc<RefCell<Inner>>, worker: usize, output: Output) {
    let events = {
        let mut guard = inner.borrow_mut();
        let i = &mut *guard;
        let Some(current) = i.current.as_mut() else { return };
        let job = current.job;
        let give = |i: &Inner, runs: Vec<usize>| {
            if let (false, Some(bridge)) = (runs.is_empty(), i.bridges.get(worker)) {
                bridge.send(Input::Take { job, runs });
            }
        };
        match output {
            Output::Started { job: j } if j == job => {
                current.started[worker] = true;
                let workers = current.started.iter().filter(|s| **s).count();
                let runs = current.handout.fill(worker);
                i.watchdog = None;
                give(i, runs);
                vec![Event::Started { job, on_page: None, workers }]
            }
            Output::Row { job: j, index, row, ms } if j == job => {
                current.handout.returned(worker);
                let runs = current.handout.fill(worker);
                let mut events = vec![Event::Rows { job, rows: vec![(index, unpack(&row))], busy_ms: ms }];
                if current.handout.finished() {
                    i.current = None;
                    events.push(Event::Done { job });
                } else {
                    give(i, runs);
                }
                events
            }
            Output::Failed { job: j, why } if j == job => {
                stop(i);
                vec![Event::Failed { job, why: format!("Web Worker {}: {why}", worker + 1) }]
            }
            _ => return,
        }
    };
    let on = inner.borrow().on.clone();
    for e in events {
        on.emit(e);
    }
}

/// Where the workers report an error that stopped them: a `BroadcastChannel` of a name of this
/// page's own, which each worker is told with its sweep; `static/experiments-worker.js` posts
/// `{job, message}` there from its `error` listener (a trap in the wasm, memory run out), which
/// no gloo-worker message can carry once the worker's wasm has stopped.
struct Errors {
    name: String,
    _channel: web_sys::BroadcastChannel,
    _listener: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

impl Errors {
    /// Listens for the workers' errors, telling the sweep they stopped; `None` where the
    /// browser has no `BroadcastChannel` (the sweep then still ends on a run's own failure).
    fn listen(inner: &Rc<RefCell<Inner>>) -> Option<Errors> {
        let name = format!("lbviz-sweep-errors-{}", js_sys::Math::random().to_bits());
        let channel = web_sys::BroadcastChannel::new(&name).ok()?;
        let weak = Rc::downgrade(inner);
        let listener = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let Some(inner) = weak.upgrade() else { return };
            let field = |k: &str| js_sys::Reflect::get(&e.data(), &k.into()).ok();
            let job = field("job").and_then(|j| j.as_f64());
            let message = field("message").and_then(|m| m.as_string()).unwrap_or_default();
            let failed = {
                let mut i = inner.borrow_mut();
                let job = i.current.as_ref().map(|c| c.job).filter(|&j| Some(f64::from(j)) == job);
                job.map(|job| {
                    stop(&mut i);
                    // (a worker whose wasm stopped cannot be trusted with another sweep, and
                    // which one it was is not known: the next sweep starts a fresh pool)
                    i.bridges.clear();
                    let short: String = message.chars().take(200).collect();
                    Event::Failed { job, why: format!("a Web Worker stopped: {short}") }
                })
            };
            if let Some(event) = failed {
                let on = inner.borrow().on.clone();
                on.emit(event);
            }
        });
        channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
        Some(Errors { name, _channel: channel, _listener: listener })
    }
}

/// The URL of the worker's script (`experiments-worker.js`, beside the page), or why none can start.
fn worker_url() -> Result<String, String> {
    let window = web_sys::window().ok_or("there is no window")?;
    if window.origin() == "null" {
        return Err("this page is sandboxed without an origin of its own, where browsers start no Web Worker".into());
    }
    if !js_sys::Reflect::has(&window, &"Worker".into()).unwrap_or(false) {
        return Err("this browser has no Web Workers".into());
    }
    let base = window.document().and_then(|d| d.base_uri().ok().flatten()).ok_or("the page has no base URL")?;
    web_sys::Url::new_with_base("experiments-worker.js", &base)
        .map(|u| u.href())
        .map_err(|_| "the worker's URL is not valid".to_string())
}

/// Runs `sweep` on the page, a slice per timeout, telling `on` why.
fn run_on_page(inner: &Rc<RefCell<Inner>>, job: u32, sweep: Sweep, why: String) {
    let on = {
        let mut i = inner.borrow_mut();
        i.local = Some((job, Job::new(sweep), None));
        i.on.clone()
    };
    on.emit(Event::Started { job, on_page: Some(why), workers: 0 });
    schedule_slice(inner);
}

fn schedule_slice(inner: &Rc<RefCell<Inner>>) {
    let weak = Rc::downgrade(inner);
    let timeout = Timeout::new(0, move || {
        let Some(inner) = weak.upgrade() else { return };
        let (events, more) = {
            let mut i = inner.borrow_mut();
            let Some((job, work, _)) = &mut i.local else { return };
            let job = *job;
            let (mut rows, mut busy_ms, mut failed) = (Vec::new(), 0.0, None);
            work.slice(PAGE_SLICE_MS, &js_sys::Date::now, &mut |made| {
                busy_ms += made.ms;
                match made.row {
                    Ok(row) => rows.push((made.index, row)),
                    Err(why) => failed = failed.take().or(Some(format!("run {}: {why}", made.index + 1))),
                }
            });
            let mut events = Vec::new();
            if !rows.is_empty() {
                events.push(Event::Rows { job, rows, busy_ms });
            }
            let done = work.done() || failed.is_some();
            if let Some(why) = failed {
                events.push(Event::Failed { job, why });
            } else if done {
                events.push(Event::Done { job });
            }
            if done {
                i.local = None;
            }
            (events, !done)
        };
        let on = inner.borrow().on.clone();
        for e in events {
            on.emit(e);
        }
        if more {
            schedule_slice(&inner);
        }
    });
    if let Some((_, _, next)) = &mut inner.borrow_mut().local {
        *next = Some(timeout);
    }
}
