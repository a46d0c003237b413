//! The page's side of a sweep: starts the worker ([`super::worker`]) the first time, sends it
//! sweeps and hands its answers to a callback. Where a worker cannot start (a page sandboxed
//! without an origin of its own, a browser without workers) or does not answer within
//! [`WATCHDOG_MS`], the same job runs on the page in short slices instead, and the first
//! event says so.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use gloo_worker::{Spawnable, WorkerBridge};
use lbcore::Scenario;
use lbcore::sweep::{Row, Sweep};
use yew::Callback;

use super::job::Job;
use super::worker::{Input, Json, Output, SweepWorker, unpack};

/// How long a worker may take to say it has started before the page runs the sweep itself.
pub const WATCHDOG_MS: u32 = 10_000;

/// Wall-clock milliseconds of simulation per slice when the page runs the sweep itself: short,
/// so that the live chart still gets most frames.
pub const PAGE_SLICE_MS: f64 = 8.0;

/// What the component hears of a sweep.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// The sweep `job` has started: in the worker (`None`), or on the page, and why.
    Started {
        /// The sweep's number.
        job: u32,
        /// Why the page runs it itself, if it does.
        on_page: Option<String>,
    },
    /// Runs finished, each with its index in the sweep.
    Rows {
        /// The sweep's number.
        job: u32,
        /// The runs' indices and rows.
        rows: Vec<(usize, Row)>,
    },
    /// Every run of `job` is made.
    Done {
        /// The sweep's number.
        job: u32,
    },
}

/// A sweep to run: the plan, and what it was planned from (the worker plans it again).
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
}

/// Runs sweeps, one at a time.
pub struct Runner {
    inner: Rc<RefCell<Inner>>,
}

struct Inner {
    on: Callback<Event>,
    /// The worker, once started.
    bridge: Option<WorkerBridge<SweepWorker>>,
    /// The sweep the worker was sent and has not acknowledged, kept for the fallback.
    pending: Option<(u32, Sweep)>,
    watchdog: Option<Timeout>,
    /// The job running on the page, and the timeout of its next slice.
    local: Option<(u32, Job, Option<Timeout>)>,
    /// Why sweeps run on the page, once the worker could not start or did not answer.
    page_reason: Option<String>,
}

impl Runner {
    /// A runner that reports to `on`; it starts no worker until the first sweep.
    pub fn new(on: Callback<Event>) -> Runner {
        let inner = Inner { on, bridge: None, pending: None, watchdog: None, local: None, page_reason: None };
        Runner { inner: Rc::new(RefCell::new(inner)) }
    }

    /// Starts `sweep` as `job`, dropping the sweep in progress.
    pub fn start(&self, job: u32, order: Order) {
        let Order { scenario, requests, second, sweep } = order;
        self.cancel();
        let reason = {
            let mut inner = self.inner.borrow_mut();
            if inner.bridge.is_none() && inner.page_reason.is_none() {
                match spawn(&self.inner) {
                    Ok(bridge) => inner.bridge = Some(bridge),
                    Err(why) => inner.page_reason = Some(why),
                }
            }
            inner.page_reason.clone()
        };
        match reason {
            Some(why) => run_on_page(&self.inner, job, sweep, why),
            None => {
                let mut inner = self.inner.borrow_mut();
                if let Some(bridge) = &inner.bridge {
                    let scenario = scenario.to_pairs().into_iter().map(|(k, v)| (k.to_string(), v)).collect();
                    let algorithms = sweep.algorithms.clone();
                    bridge.send(Input::Start { job, scenario, algorithms, requests, second });
                }
                inner.pending = Some((job, sweep));
                let weak = Rc::downgrade(&self.inner);
                inner.watchdog = Some(Timeout::new(WATCHDOG_MS, move || {
                    if let Some(inner) = weak.upgrade() {
                        let pending = inner.borrow_mut().pending.take();
                        if let Some((job, sweep)) = pending {
                            let why = "the Web Worker did not start".to_string();
                            inner.borrow_mut().page_reason = Some(why.clone());
                            run_on_page(&inner, job, sweep, why);
                        }
                    }
                }));
            }
        }
    }

    /// Stops the sweep in progress, if any.
    pub fn cancel(&self) {
        let mut inner = self.inner.borrow_mut();
        inner.local = None;
        inner.watchdog = None;
        inner.pending = None;
        if let Some(bridge) = &inner.bridge {
            bridge.send(Input::Cancel);
        }
    }
}

/// Starts the worker, or says why it cannot start here.
fn spawn(inner: &Rc<RefCell<Inner>>) -> Result<WorkerBridge<SweepWorker>, String> {
    let url = worker_url()?;
    let weak = Rc::downgrade(inner);
    let bridge = SweepWorker::spawner()
        .encoding::<Json>()
        .callback(move |output: Output| {
            let Some(inner) = weak.upgrade() else { return };
            let event = {
                let mut inner = inner.borrow_mut();
                match output {
                    Output::Started { job } => {
                        if inner.pending.as_ref().is_some_and(|p| p.0 == job) {
                            inner.pending = None;
                            inner.watchdog = None;
                        }
                        Event::Started { job, on_page: None }
                    }
                    Output::Rows { job, rows } => {
                        Event::Rows { job, rows: rows.iter().map(|(i, r)| (*i, unpack(r))).collect() }
                    }
                    Output::Done { job } => Event::Done { job },
                }
            };
            let on = inner.borrow().on.clone();
            on.emit(event);
        })
        .spawn_with_loader(&url);
    Ok(bridge)
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
    on.emit(Event::Started { job, on_page: Some(why) });
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
            let rows = work.slice(PAGE_SLICE_MS, &js_sys::Date::now);
            let done = work.done();
            let mut events = Vec::new();
            if !rows.is_empty() {
                events.push(Event::Rows { job, rows });
            }
            if done {
                events.push(Event::Done { job });
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
