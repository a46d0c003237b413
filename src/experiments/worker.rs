//! A sweep's Web Worker, with gloo-worker; the page starts a pool of them
//! ([`super::runner`], [`super::pool`]). It runs the Experiments view's own wasm (the
//! `experiments` binary): `static/experiments-worker.js` imports it, and its `main`, finding
//! no window, registers this worker instead of drawing the view. The browser has the files
//! cached from opening the view: no second download, however many workers.
//!
//! Each worker plans the whole sweep ([`Input::Start`]) and makes the runs the page hands it
//! ([`Input::Take`]), in slices of [`SLICE_MS`], yielding to its event loop between them, so
//! that more runs, a new sweep or a cancel are heard within one slice. Each run's row goes back
//! as soon as it is made, with the time it took ([`Output::Row`]); a run the engine refuses is
//! reported ([`Output::Failed`]), never skipped.
//!
//! Messages are JSON ([`Json`]), whose serde code the app has already (scenario files), rather
//! than gloo's bincode, which would add its own to the first-load budget. JSON floats are not
//! exact both ways, so what must be bit-exact travels as text or bits: the scenario as its URL
//! pairs (Rust prints the shortest text that parses back to the same float) and each row's
//! figures as `f64::to_bits`. The worker plans the sweep with the same function as the page.
use gloo::timers::callback::Timeout;
use gloo_worker::{Codec, HandlerId, Registrable, Worker, WorkerScope};
use lbcore::sweep::over::MAX_DIMS;
use lbcore::sweep::{COLUMNS, Row};
use lbcore::{Algorithm, Scenario};
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsValue, UnwrapThrowExt};

use super::job::Job;
use super::plan;

/// Wall-clock milliseconds of simulation between looks at the message queue.
pub const SLICE_MS: f64 = 50.0;

/// What the page asks of the worker.
#[derive(Debug, Serialize, Deserialize)]
pub enum Input {
    /// Run this sweep, numbered `job`, dropping any other.
    Start {
        /// The page's number for it: outputs carry it, so that late ones are ignored.
        job: u32,
        /// The page's scenario as its URL pairs.
        scenario: Vec<(String, String)>,
        /// The algorithms to sweep.
        algorithms: Vec<Algorithm>,
        /// Requests per run.
        requests: u64,
        /// The second setting swept, if any, as the reader gave it.
        second: plan::Second,
        /// The name of the `BroadcastChannel` where `experiments-worker.js` reports an error
        /// that stops this worker (the runner's [`super::runner`] `Errors`).
        errors: String,
    },
    /// Make these runs of sweep `job` (by index in the plan), after those given before.
    Take {
        /// The sweep's number.
        job: u32,
        /// The runs' indices.
        runs: Vec<usize>,
    },
    /// Stop the sweep in progress.
    Cancel,
}

/// What the worker tells the page.
#[derive(Debug, Serialize, Deserialize)]
pub enum Output {
    /// The sweep has started.
    Started {
        /// Its number.
        job: u32,
    },
    /// A run is made.
    Row {
        /// The sweep's number.
        job: u32,
        /// The run's index in the sweep.
        index: usize,
        /// Its row, packed ([`pack`]) (boxed: the other messages are small).
        row: Box<Packed>,
        /// The wall-clock milliseconds it took in this worker.
        ms: f64,
    },
    /// The sweep or one of its runs could not be made here.
    Failed {
        /// The sweep's number.
        job: u32,
        /// Why, in words.
        why: String,
    },
}

/// The worker's own wake-up call: run the next slice.
#[derive(Debug)]
pub struct Slice;

/// The running sweep, if any.
#[derive(Debug, Default)]
pub struct SweepWorker {
    job: Option<(u32, HandlerId, Job)>,
    scheduled: bool,
}

impl SweepWorker {
    /// Runs the next slice after the event loop has had a turn (a timeout, not a microtask,
    /// so that messages waiting are handled first).
    fn schedule(&mut self, scope: &WorkerScope<Self>) {
        if !self.scheduled {
            self.scheduled = true;
            let scope = scope.clone();
            Timeout::new(0, move || scope.send_message(Slice)).forget();
        }
    }
}

impl Worker for SweepWorker {
    type Message = Slice;
    type Input = Input;
    type Output = Output;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        SweepWorker::default()
    }

    fn update(&mut self, scope: &WorkerScope<Self>, _msg: Slice) {
        self.scheduled = false;
        let Some((id, who, job)) = &mut self.job else { return };
        let (id, who) = (*id, *who);
        let mut failed = false;
        job.slice(SLICE_MS, &js_sys::Date::now, &mut |made| match made.row {
            Ok(row) => {
                scope.respond(who, Output::Row { job: id, index: made.index, row: Box::new(pack(&row)), ms: made.ms })
            }
            Err(why) => {
                failed = true;
                scope.respond(who, Output::Failed { job: id, why: format!("run {}: {why}", made.index + 1) });
            }
        });
        if failed {
            self.job = None;
        } else if !job.done() {
            self.schedule(scope);
        }
    }

    fn received(&mut self, scope: &WorkerScope<Self>, input: Input, who: HandlerId) {
        match input {
            Input::Start { job, scenario, algorithms, requests, second, errors } => {
                report_errors_to(&errors, job);
                let pairs = scenario.iter().map(|(k, v)| (k.as_str(), v.as_str()));
                // The page planned the same sweep without error: this failing is a bug, said.
                match plan::sweep(&Scenario::from_pairs(pairs).0, &algorithms, requests, &second) {
                    Ok(sweep) => {
                        self.job = Some((job, who, Job::handed(sweep)));
                        scope.respond(who, Output::Started { job });
                    }
                    Err(why) => {
                        self.job = None;
                        scope.respond(
                            who,
                            Output::Failed { job, why: format!("the sweep could not be planned: {why}") },
                        );
                    }
                }
            }
            Input::Take { job, runs } => {
                if let Some((id, _, work)) = &mut self.job
                    && *id == job
                {
                    work.give(&runs);
                    self.schedule(scope);
                }
            }
            Input::Cancel => self.job = None,
        }
    }
}

/// Tells `experiments-worker.js`'s `error` listener where to report an error that stops this
/// worker during sweep `job`: it reads `self.lbvizErrors`, `{channel, job}`.
fn report_errors_to(channel: &str, job: u32) {
    let to = js_sys::Object::new();
    let set = |k: &str, v: JsValue| js_sys::Reflect::set(&to, &k.into(), &v).is_ok();
    if set("channel", channel.into()) && set("job", job.into()) {
        let _ = js_sys::Reflect::set(&js_sys::global(), &"lbvizErrors".into(), &to);
    }
}

/// Whether this code runs in a worker (there is no window).
pub fn in_worker() -> bool {
    web_sys::window().is_none()
}

/// Makes this worker answer the page's messages.
pub fn register() {
    SweepWorker::registrar().encoding::<Json>().register();
}

/// Worker messages as JSON text.
#[derive(Debug)]
pub struct Json;

impl Codec for Json {
    fn encode<I: Serialize>(input: I) -> JsValue {
        JsValue::from_str(&serde_json::to_string(&input).unwrap_or_default())
    }

    fn decode<O: for<'de> Deserialize<'de>>(input: JsValue) -> O {
        // Both ends are this same wasm: a message that does not parse is a bug.
        serde_json::from_str(&input.as_string().unwrap_or_default()).expect_throw("a sweep worker message")
    }
}

/// A row as it crosses to the page: the algorithm, every figure's bits in the order of
/// lbcore's sweep [`COLUMNS`], then the swept settings' values' bits (JSON numbers would not
/// bring every float back exactly).
pub type Packed = (Algorithm, [u64; COLUMNS.len()], [u64; MAX_DIMS]);

/// A row packed for the trip.
pub fn pack(r: &Row) -> Packed {
    (r.algo, COLUMNS.each_ref().map(|c| r.get(c).bits()), r.point.swept.map(f64::to_bits))
}

/// The row [`pack`] packed.
pub fn unpack(&(algo, bits, swept): &Packed) -> Row {
    let mut row = Row::blank(algo);
    for (c, bits) in COLUMNS.iter().zip(bits) {
        (c.slot)(&mut row).set_bits(bits);
    }
    row.point.swept = swept.map(f64::from_bits);
    row
}

#[cfg(test)]
mod tests {
    use lbcore::Engine;

    use super::*;

    #[test]
    fn rows_and_scenarios_cross_exactly() {
        let scenario =
            Scenario { servers: 7, cost: 0.037, speeds: vec![1.0, 0.3, 1.7], seed: 11, ..Scenario::default() };
        let second = Some(("timeout".to_string(), "0.3,1.7".to_string()));
        let sweep = plan::sweep(&scenario, &[Algorithm::PowerOfTwo], 500, &second).unwrap();
        let pairs: Vec<(String, String)> = scenario.to_pairs().into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        let text = serde_json::to_string(&pairs).unwrap();
        let back: Vec<(String, String)> = serde_json::from_str(&text).unwrap();
        let again = Scenario::from_pairs(back.iter().map(|(k, v)| (k.as_str(), v.as_str()))).0;
        assert_eq!(plan::sweep(&again, &[Algorithm::PowerOfTwo], 500, &second).unwrap(), sweep);

        let (s, point) = sweep.run(19).unwrap();
        assert_eq!(point.swept[0], 1.7);
        let row = Row::new(point, &Engine::new(s).unwrap().run());
        let text = serde_json::to_string(&pack(&row)).unwrap();
        assert_eq!(unpack(&serde_json::from_str(&text).unwrap()), row);
    }
}
