//! A race: several engines on one scenario that differ only in their algorithm, fed one
//! traffic and moved by the same operations. Compare mode in the web app and
//! `lbsim compare` are races.
//!
//! One traffic comes free: an engine draws its arrivals, costs, keys and its balancer's
//! random picks from separate streams of the scenario's seed, so an algorithm that picks
//! at random does not shift the arrivals, costs or keys the others see (the tests below
//! check it). One path for every change: [`Race::apply`] takes a typed [`Op`] and hands it
//! to every engine, so no front end keeps its own list of what to copy.
//!
//! The first engine is the *leader*: it takes a [`Op::Reconfigure`] scenario as given
//! (algorithm included), the others take it with their own algorithm, and
//! [`Race::apply`] answers with the leader's reply. Servers are named, not numbered, in
//! operations: a removed server leaves each engine when it has finished its work, so
//! positions may differ between engines while names do not. An operation that makes another
//! experiment (a server added or removed, another algorithm or setting:
//! [`Scenario::what_changed`]) starts a new measurement window in every engine, so that the
//! page's figures and a lesson's checks, which play the same operations, count the same
//! responses.

use std::sync::Mutex;

use crate::balancer::{Algorithm, Decision};
use crate::engine::{Completion, Engine};
use crate::scenario::{Limits, Problems, Scenario};
use crate::summary::Summary;
use crate::time::Nanos;

/// One change applied to every engine of a race.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// Advance every engine's clock to this time, processing what happens until then.
    RunUntil(Nanos),
    /// Advance toward this time handling at most this many events in the leader (a frame's
    /// work); the others follow it to the time it reached, so all stay in step.
    RunWithin(Nanos, u64),
    /// Fire this many requests now.
    Fire(u32),
    /// Complete the oldest request in service on the named server.
    Complete(String),
    /// Add a server at the end; the leader picks the name, weight 1, speed 1.
    AddServer,
    /// Add a server at the end with this name, weight and speed.
    AddNamedServer {
        /// The new server's name.
        name: String,
        /// Its weight.
        weight: u32,
        /// Its speed.
        speed: f64,
    },
    /// Remove the named server (it drains first).
    RemoveServer(String),
    /// The named server takes no new requests and finishes what it holds.
    Drain(String),
    /// The named server fails.
    Fail(String),
    /// The named server is up again.
    Heal(String),
    /// Set the named server's weight.
    SetWeight(String, u32),
    /// Set the named server's speed.
    SetSpeed(String, f64),
    /// Move to this scenario: the leader as given, the others with their own algorithm.
    Reconfigure(Box<Scenario>),
}

/// What the leader did with an [`Op`].
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    /// The operation needed no answer.
    Done,
    /// The decisions for the requests fired.
    Fired(Vec<Decision>),
    /// What completing a request did.
    Completed(Completion),
    /// The added server's name.
    Added(String),
    /// Whether [`Op::RunWithin`] reached its time (or ran out of events first).
    Reached(bool),
    /// A [`Op::Reconfigure`] made another experiment, in these words
    /// ([`Scenario::what_changed`]): every engine started a new measurement window.
    NewWindow(String),
}

/// Why an [`Op`] changed nothing.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum OpError {
    /// The operation names a server the leader does not have.
    #[error("there is no server called {}", crate::scenario::quoted(.0))]
    NoSuchServer(String),
    /// The scenario of a [`Op::Reconfigure`] is not valid for one of the engines.
    #[error("{0}")]
    Invalid(Problems),
}

/// Engines on one scenario and one traffic, one per algorithm.
pub struct Race {
    engines: Vec<Engine>,
    /// What the operations may make of the scenario: `lbsim`'s [`Limits::CLI`] unless a
    /// front end holds the race to its own ([`Race::hold_to`]). Every operation that changes
    /// the scenario is checked here, so no path (a slider, a lesson's `set`, a host page's
    /// message, a server added by hand) can take it past them.
    limits: Limits,
}

// === impl Race ===

impl Race {
    /// A race of `base` under each of `algos` (under `base.algo` alone when `algos` is
    /// empty), every engine at time 0; the problems of the first scenario that is not valid.
    pub fn new(base: &Scenario, algos: &[Algorithm]) -> Result<Race, Problems> {
        let algos = if algos.is_empty() { std::slice::from_ref(&base.algo) } else { algos };
        let engines = algos.iter().map(|&algo| Engine::new(Scenario { algo, ..base.clone() }));
        Ok(Race { engines: engines.collect::<Result<_, _>>()?, limits: Limits::CLI })
    }

    /// Holds every later operation to `limits` (the race's scenario must already be within
    /// them): one that would take the scenario past them is refused, changing nothing.
    pub fn hold_to(&mut self, limits: Limits) {
        self.limits = limits;
    }

    /// The problems of the leader's scenario as `change` would leave it, within the race's
    /// limits: what adding a server or setting a weight checks before it changes anything.
    fn check_change(&self, change: impl FnOnce(&mut Scenario)) -> Result<(), OpError> {
        let mut next = self.leader().scenario().clone();
        change(&mut next);
        next.validate_within(&self.limits).map_err(OpError::Invalid)
    }

    /// Every engine keeps its last `capacity` decisions (see [`Engine::keep_decisions`]).
    pub fn keep_decisions(&mut self, capacity: usize) {
        self.engines.iter_mut().for_each(|e| e.keep_decisions(capacity));
    }

    /// Every engine samples a time series (see [`Engine::enable_series`]).
    pub fn enable_series(&mut self, period: Nanos, capacity: usize) {
        self.engines.iter_mut().for_each(|e| e.enable_series(period, capacity));
    }

    /// Every engine starts a new measurement window now (see [`Engine::start_window`]).
    pub fn start_window(&mut self) {
        self.engines.iter_mut().for_each(Engine::start_window);
    }

    /// The first engine, whose scenario the others follow.
    pub fn leader(&self) -> &Engine {
        &self.engines[0]
    }

    /// Every engine, the leader first.
    pub fn engines(&self) -> &[Engine] {
        &self.engines
    }

    /// Each engine's algorithm, the leader's first.
    pub fn algorithms(&self) -> Vec<Algorithm> {
        self.engines.iter().map(|e| e.scenario().algo).collect()
    }

    /// Keeps the leader alone, as it stands: a race of one.
    pub fn keep_leader(&mut self) {
        self.engines.truncate(1);
    }

    /// Applies `op` to every engine and answers with the leader's reply; an operation the
    /// leader refuses (an unknown server, a scenario that is not valid) changes no engine.
    pub fn apply(&mut self, op: Op) -> Result<Reply, OpError> {
        match op {
            Op::RunUntil(t) => {
                self.engines.iter_mut().for_each(|e| e.run_until(t));
                Ok(Reply::Done)
            }
            Op::RunWithin(t, events) => {
                let (leader, rivals) = self.split();
                let reached = leader.run_until_within(t, events);
                let now = leader.now();
                rivals.iter_mut().for_each(|e| e.run_until(now));
                Ok(Reply::Reached(reached))
            }
            Op::Fire(n) => {
                let (leader, rivals) = self.split();
                rivals.iter_mut().for_each(|e| drop(e.fire(n)));
                Ok(Reply::Fired(leader.fire(n)))
            }
            Op::AddServer => {
                self.check_change(|s| s.add_server(1))?;
                let (leader, rivals) = self.split();
                let i = leader.add_server();
                let s = &leader.servers()[i];
                let (name, weight, speed) = (s.name.to_string(), s.weight, s.speed);
                for e in rivals {
                    e.add_named_server(&name, weight, speed);
                }
                self.start_window();
                Ok(Reply::Added(name))
            }
            Op::AddNamedServer { name, weight, speed } => {
                self.check_change(|s| s.add_server(weight))?;
                for e in &mut self.engines {
                    e.add_named_server(&name, weight, speed);
                }
                self.start_window();
                Ok(Reply::Added(name))
            }
            Op::Reconfigure(next) => {
                let leader_algo = next.algo;
                let each: Vec<Scenario> = self
                    .engines
                    .iter()
                    .enumerate()
                    .map(|(k, e)| Scenario {
                        algo: if k == 0 { leader_algo } else { e.scenario().algo },
                        ..(*next).clone()
                    })
                    .collect();
                for s in &each {
                    s.validate_within(&self.limits).map_err(OpError::Invalid)?;
                }
                let changed = self.leader().scenario().what_changed(&next);
                for (engine, s) in self.engines.iter_mut().zip(each) {
                    if s != *engine.scenario() {
                        engine.reconfigure(s).map_err(OpError::Invalid)?;
                    }
                }
                Ok(match changed {
                    Some(why) => {
                        self.start_window();
                        Reply::NewWindow(why)
                    }
                    None => Reply::Done,
                })
            }
            Op::Complete(name) => {
                let mut done = None;
                self.each_named(&name, |e, i, leads| {
                    let completion = e.complete_oldest(i);
                    if leads {
                        done = completion.ok();
                    }
                })?;
                done.map(Reply::Completed).ok_or(OpError::NoSuchServer(name))
            }
            Op::RemoveServer(name) => {
                let reply = self.each_named(&name, |e, i, _| drop(e.remove_server(i)))?;
                self.start_window();
                Ok(reply)
            }
            Op::Drain(name) => self.each_named(&name, |e, i, _| drop(e.drain(i))),
            Op::Fail(name) => self.each_named(&name, |e, i, _| drop(e.fail(i))),
            Op::Heal(name) => self.each_named(&name, |e, i, _| drop(e.heal(i))),
            Op::SetWeight(name, weight) => {
                // the scenario lists the servers that stay, in pool order
                let staying = self.leader().servers().iter().filter(|s| !s.removing);
                if let Some(i) = staying.clone().position(|s| *s.name == *name) {
                    self.check_change(|s| s.set_weight(i, weight))?;
                }
                self.each_named(&name, |e, i, _| drop(e.set_weight(i, weight)))
            }
            Op::SetSpeed(name, speed) => self.each_named(&name, |e, i, _| drop(e.set_speed(i, speed))),
        }
    }

    /// The leader and the others.
    fn split(&mut self) -> (&mut Engine, &mut [Engine]) {
        self.engines.split_first_mut().expect("a race has a leader")
    }

    /// Applies `act` to the server called `name` in every engine that has it (`true` for the
    /// leader), provided the leader has it; `act` gets the position each engine just found.
    fn each_named(&mut self, name: &str, mut act: impl FnMut(&mut Engine, usize, bool)) -> Result<Reply, OpError> {
        if self.leader().position(name).is_none() {
            return Err(OpError::NoSuchServer(name.to_string()));
        }
        for (k, engine) in self.engines.iter_mut().enumerate() {
            if let Some(i) = engine.position(name) {
                act(engine, i, k == 0);
            }
        }
        Ok(Reply::Done)
    }

    /// Runs every engine its scenario's whole length (see [`Engine::run`]) on up to
    /// `threads` threads, each reporting to its own `job(i)`; the summaries in engine order.
    pub fn finish<P: FnMut(f64)>(&mut self, threads: usize, job: impl Fn(usize) -> P + Sync) -> Vec<Summary> {
        on_threads(self.engines.iter_mut(), threads, |i, engine| engine.run_with_progress(&mut job(i)))
    }
}

/// `work(i, item)` for each of `items` on up to `threads` threads (none started for one),
/// the results in the order of `items` whatever the scheduling: how races and sweeps use
/// every core.
pub fn on_threads<I: Send, T: Send>(
    items: impl ExactSizeIterator<Item = I> + Send,
    threads: usize,
    work: impl Fn(usize, I) -> T + Sync,
) -> Vec<T> {
    let threads = threads.clamp(1, items.len().max(1));
    if threads == 1 {
        return items.enumerate().map(|(i, item)| work(i, item)).collect();
    }
    let next = Mutex::new(items.enumerate());
    let mut done: Vec<(usize, T)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let taken = next.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).next();
                        let Some((i, item)) = taken else { break };
                        mine.push((i, work(i, item)));
                    }
                    mine
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    });
    done.sort_by_key(|&(i, _)| i);
    done.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::Health;
    use crate::time::{NANOS_PER_SEC, from_secs};
    use crate::{Score, scenario::Completions};

    /// Every algorithm that draws from the balancer's random stream, and every one that
    /// routes by key, against round robin, which draws nothing.
    const RIVALS: [Algorithm; 7] = [
        Algorithm::RoundRobin,
        Algorithm::Random,
        Algorithm::PowerOfTwo,
        Algorithm::LeastConnections,
        Algorithm::ConsistentHash,
        Algorithm::Maglev,
        Algorithm::HashMod,
    ];

    /// A race held to the browser's limits refuses, changing nothing, every operation that
    /// would take its scenario past them: a reconfiguration (a lesson's `set`), a server
    /// added by hand, a weight; lbsim's race takes the same operations.
    #[test]
    fn a_race_held_to_limits_refuses_every_way_past_them() {
        let base = Scenario { algo: Algorithm::ConsistentHash, servers: 64, vnodes: 1000, ..Scenario::default() };
        assert_eq!(base.ring_points(), 64_000);
        let mut page = Race::new(&base, &[]).unwrap();
        page.hold_to(Limits::BROWSER);
        let refused = |r: Result<Reply, OpError>, field: &str| match r {
            Err(OpError::Invalid(p)) => assert_eq!(p.0[0].field, field, "{p}"),
            other => panic!("{other:?}"),
        };
        let big = Scenario { servers: 100_000, algo: Algorithm::RoundRobin, ..base.clone() };
        refused(page.apply(Op::Reconfigure(Box::new(big.clone()))), "servers");
        refused(page.apply(Op::AddServer), "servers");
        let fewer = Scenario { servers: 60, ..base.clone() };
        page.apply(Op::Reconfigure(Box::new(fewer))).unwrap();
        // 60,000 points: a server more makes 61,000, allowed; weight 7 on one makes 67,000
        page.apply(Op::AddServer).unwrap();
        refused(page.apply(Op::SetWeight("server3".into(), 7)), "vnodes");
        refused(page.apply(Op::AddNamedServer { name: "big".into(), weight: 5, speed: 1.0 }), "vnodes");
        assert_eq!((page.leader().scenario().servers, page.leader().scenario().ring_points()), (61, 61_000));
        page.apply(Op::SetWeight("server3".into(), 5)).unwrap();
        assert_eq!(page.leader().scenario().ring_points(), 65_000);

        let mut cli = Race::new(&base, &[]).unwrap();
        cli.apply(Op::Reconfigure(Box::new(Scenario { servers: 2_000, ..big }))).unwrap();
        cli.apply(Op::SetWeight("server3".into(), 7)).unwrap();
    }

    fn race(base: &Scenario, algos: &[Algorithm]) -> Race {
        let mut race = Race::new(base, algos).expect("a valid race");
        race.keep_decisions(100_000);
        race
    }

    /// The key a hash algorithm's decision names.
    fn key(d: &Decision) -> Option<u64> {
        match d.chosen.as_ref()?.score {
            Score::Ring { key, .. } | Score::Slot { key, .. } | Score::Modulo { key, .. } => Some(key),
            _ => None,
        }
    }

    #[test]
    fn every_engine_sees_the_same_arrivals_costs_and_keys() {
        // 100 requests/s of 50 ms on 4 servers of 64 workers: about 5 in the system, so no
        // request ever waits and each response time is exactly its cost. Equal arrival
        // times, equal mean and max response times to the bit and equal keys then mean
        // equal traffic, whatever each algorithm drew from its own random stream.
        let base =
            Scenario { servers: 4, workers: 64, rate: 100.0, cost: 0.05, zipf: 0.9, seed: 7, ..Scenario::default() };
        let mut race = race(&base, &RIVALS);
        race.apply(Op::RunUntil(20 * NANOS_PER_SEC)).expect("running cannot fail");
        let arrivals = |e: &Engine| e.decisions().iter().map(|d| (d.at, d.request)).collect::<Vec<_>>();
        let leader = race.leader();
        let first = arrivals(leader);
        assert!(first.len() > 1_800, "about 2000 arrivals in 20 s at 100/s, got {}", first.len());
        let responses = leader.summary();
        assert!(responses.completed > 1_800);
        for e in &race.engines()[1..] {
            let algo = e.scenario().algo;
            assert_eq!(arrivals(e), first, "{algo}: the same arrivals at the same times");
            let s = e.summary();
            assert_eq!(s.completed, responses.completed, "{algo}");
            assert_eq!(s.mean_response_s.to_bits(), responses.mean_response_s.to_bits(), "{algo}: the same costs");
            assert_eq!(s.max_response_s.to_bits(), responses.max_response_s.to_bits(), "{algo}: the same costs");
        }
        let keys: Vec<Vec<u64>> = race.engines()[4..]
            .iter()
            .map(|e| e.decisions().iter().filter_map(|d| key(&d.decision)).collect())
            .collect();
        assert_eq!(keys[0].len(), first.len(), "every consistent-hash decision names its key");
        assert!(keys.iter().all(|k| *k == keys[0]), "the same keys for every hash");
    }

    #[test]
    fn fired_requests_are_the_same_traffic_too() {
        let base = Scenario { completions: Completions::Manual, rate: 0.0, ..Scenario::default() };
        let mut race = race(&base, &[Algorithm::ConsistentHash, Algorithm::Random, Algorithm::Maglev]);
        let Ok(Reply::Fired(decisions)) = race.apply(Op::Fire(30)) else { panic!("fire answers with decisions") };
        assert_eq!(decisions.len(), 30, "one decision per request fired");
        let keys = |e: &Engine| e.decisions().iter().filter_map(|d| key(&d.decision)).collect::<Vec<_>>();
        assert_eq!(keys(race.leader()), keys(&race.engines()[2]));
        assert_eq!(race.engines()[1].totals().arrived, 30);
    }

    #[test]
    fn a_change_to_the_experiment_starts_a_new_window_in_every_engine_and_nothing_else_does() {
        let mut race =
            race(&Scenario { rate: 20.0, ..Scenario::default() }, &[Algorithm::RoundRobin, Algorithm::Random]);
        let windows = |race: &Race| race.engines().iter().map(Engine::window_start).collect::<Vec<_>>();
        race.apply(Op::RunUntil(from_secs(2.0))).unwrap();
        assert_eq!(windows(&race), [0, 0]);
        // the run's length is not the experiment: no new window
        let mut next = race.leader().scenario().clone();
        next.requests = Some(1_000);
        assert_eq!(race.apply(Op::Reconfigure(Box::new(next))), Ok(Reply::Done));
        assert_eq!(windows(&race), [0, 0]);
        race.apply(Op::RunUntil(from_secs(3.0))).unwrap();
        let mut next = race.leader().scenario().clone();
        next.cancel = true;
        assert_eq!(race.apply(Op::Reconfigure(Box::new(next))), Ok(Reply::NewWindow("changed cancel".into())));
        assert_eq!(windows(&race), [from_secs(3.0); 2]);
        race.apply(Op::RunUntil(from_secs(4.0))).unwrap();
        race.apply(Op::AddServer).unwrap();
        assert_eq!(windows(&race), [from_secs(4.0); 2], "a server added is another pool");
        race.apply(Op::RunUntil(from_secs(5.0))).unwrap();
        race.apply(Op::RemoveServer("server1".into())).unwrap();
        assert_eq!(windows(&race), [from_secs(5.0); 2], "and one removed");
        race.apply(Op::RunUntil(from_secs(6.0))).unwrap();
        race.apply(Op::Fail("server2".into())).unwrap();
        assert_eq!(windows(&race), [from_secs(5.0); 2], "a failure is an event of the experiment, not another one");
    }

    #[test]
    fn operations_reach_every_engine_by_name() {
        let mut race = race(&Scenario::default(), &[Algorithm::RoundRobin, Algorithm::LeastConnections]);
        assert_eq!(race.apply(Op::Fail("server2".into())), Ok(Reply::Done));
        assert_eq!(race.apply(Op::AddServer), Ok(Reply::Added("server4".into())));
        assert_eq!(race.apply(Op::SetWeight("server4".into(), 3)), Ok(Reply::Done));
        let mut next = race.leader().scenario().clone();
        next.rate = 55.0;
        assert_eq!(race.apply(Op::Reconfigure(Box::new(next))), Ok(Reply::NewWindow("changed rate".into())));
        for e in race.engines() {
            let names: Vec<&str> = e.servers().iter().map(|s| &*s.name).collect();
            assert_eq!(names, ["server1", "server2", "server3", "server4"]);
            assert_eq!(e.servers()[1].health, Health::Down);
            assert_eq!(e.servers()[3].weight, 3);
            assert_eq!(e.scenario().rate, 55.0);
        }
        assert_eq!(race.algorithms(), [Algorithm::RoundRobin, Algorithm::LeastConnections], "each keeps its own");
        assert_eq!(race.apply(Op::Drain("nginx".into())), Err(OpError::NoSuchServer("nginx".into())));
        assert!(race.engines().iter().all(|e| e.servers().iter().all(|s| s.health != Health::Draining)));
        race.keep_leader();
        assert_eq!(race.engines().len(), 1);
    }

    #[test]
    fn a_scenario_one_engine_refuses_changes_no_engine() {
        // 3 servers of weight 1000 at 5000 vnodes make 15,000,000 ring points, above the
        // 10,000,000 a consistent-hash ring may hold; round robin has no ring to refuse it.
        let mut race = race(&Scenario::default(), &[Algorithm::RoundRobin, Algorithm::ConsistentHash]);
        let next = Scenario { weights: vec![1000; 3], vnodes: 5_000, ..Scenario::default() };
        assert!(next.validate().is_ok(), "the leader alone would take it");
        let refused = race.apply(Op::Reconfigure(Box::new(next)));
        assert!(matches!(&refused, Err(OpError::Invalid(p)) if p.to_string().contains("vnodes")), "{refused:?}");
        assert!(race.engines().iter().all(|e| e.scenario().weights.is_empty()), "no engine moved");
    }

    #[test]
    fn a_frames_budget_bounds_the_work_and_keeps_the_engines_in_step() {
        // 1e6 arrivals a second: 1 simulated second is about 2 million events, far past a
        // budget of 1,000; the leader stops after 1,000 and the rival stands at the same time.
        let s = Scenario { rate: 1e6, cost: 1e-6, servers: 4, ..Scenario::default() };
        let mut race = Race::new(&s, &[Algorithm::RoundRobin, Algorithm::LeastConnections]).expect("valid");
        let reply = race.apply(Op::RunWithin(NANOS_PER_SEC, 1_000)).expect("running cannot fail");
        assert_eq!(reply, Reply::Reached(false));
        let (leader, rival) = (&race.engines()[0], &race.engines()[1]);
        assert!(leader.now() > 0 && leader.now() < NANOS_PER_SEC / 100, "about 1 ms of 1 s: {}", leader.now());
        assert_eq!(leader.now(), rival.now());
        assert!(leader.counters().arrived <= 1_000 && leader.counters().arrived >= 300, "{:?}", leader.counters());
        // With room enough it reaches the time, as run-until does.
        let reply = race.apply(Op::RunWithin(race.leader().now() + 1_000, u64::MAX)).expect("runs");
        assert_eq!(reply, Reply::Reached(true));
    }

    #[test]
    fn a_race_of_one_is_its_scenario() {
        let base = Scenario { algo: Algorithm::Maglev, ..Scenario::default() };
        let race = Race::new(&base, &[]).expect("valid");
        assert_eq!(race.algorithms(), [Algorithm::Maglev]);
    }

    #[test]
    fn finishing_on_threads_gives_each_engine_its_own_run_in_order() {
        let base = Scenario { requests: Some(3_000), rate: 25.0, seed: 5, ..Scenario::default() };
        let algos = [Algorithm::RoundRobin, Algorithm::Random, Algorithm::PeakEwma];
        let alone: Vec<Summary> =
            algos.iter().map(|&algo| Engine::new(Scenario { algo, ..base.clone() }).expect("valid").run()).collect();
        for threads in [1, 2, 8] {
            let mut race = Race::new(&base, &algos).expect("valid");
            assert_eq!(race.finish(threads, |_| |_| {}), alone, "{threads} threads");
        }
    }
}
