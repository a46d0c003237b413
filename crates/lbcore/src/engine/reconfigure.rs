//! Reconfiguration: moving a running engine to new settings without losing what it holds.
//!
//! Each row of the settings table names the part of the engine it is handed to ([`Part`]):
//! the workload's arrivals, costs and keys, the caches, the servers' capacity, completions,
//! the pool and the balancer. A part is told when one of its settings differs; the balancer
//! when a parameter its algorithm reads differs, as [`Scenario::params`] derives them (so a
//! new cost reaches peak EWMA's default response time). Live settings (the health-check
//! interval, retries, Envoy's retry budget, the queue order, the hit latency) are read where
//! they are used; Finagle's retry budget is made anew; the seed and the run length take
//! effect on a new engine.

use super::Engine;
use super::events::EventKind;
use crate::balancer;
use crate::cache::Cache;
use crate::scenario::{CacheMode, Completions, Part, Problems, Scenario};
use crate::time::{after, from_secs};

// === what changed, per part: the settings table says which setting goes to which ===

/// The algorithm, or a parameter it reads (all of them derived by [`Scenario::params`], so
/// none is forgotten: peak EWMA's default response time follows the request cost).
fn balancer_changed(old: &Scenario, new: &Scenario) -> bool {
    old.algo != new.algo || old.params().read_by(old.algo) != new.params().read_by(new.algo)
}

impl Engine {
    /// Moves the running simulation to the settings of `next`, keeping what the servers hold:
    /// a new algorithm takes over the connections where they are, a new rate applies from
    /// now, more or fewer servers are added or removed (draining) at the end. The seed and
    /// run length take effect on a new engine.
    pub fn reconfigure(&mut self, next: Scenario) -> Result<(), Problems> {
        next.validate()?;
        let old = std::mem::replace(&mut self.scenario, next.clone());
        let new = &next;
        if old.differs_for(new, Part::Arrivals) {
            self.arrivals.reconfigure(new);
            self.schedule_arrival();
        }
        if old.differs_for(new, Part::Costs) {
            self.costs.reconfigure(new);
        }
        if old.differs_for(new, Part::Keys) {
            self.keys.reconfigure(new);
        }
        if old.differs_for(new, Part::Caches) {
            self.configure_caches();
        }
        if old.differs_for(new, Part::Completions) {
            self.switch_completions();
        }
        if old.differs_for(new, Part::RetryBucket) {
            self.retry_budgets.rebuild_bucket(new, self.now);
        }
        if old.differs_for(new, Part::Faults) {
            self.schedule_faults();
        }
        if old.differs_for(new, Part::Capacity) {
            self.set_workers_and_queue(new.workers, new.queue);
        }
        // The pool compares itself: servers may also have been added or removed by hand.
        self.reshape_pool(new);
        if balancer_changed(&old, &self.scenario) {
            self.rebuild_balancer();
        }
        Ok(())
    }

    /// A fresh cache (shared, or one per server) as the scenario says; what was cached is lost.
    pub(super) fn configure_caches(&mut self) {
        let s = &self.scenario;
        let ttl = from_secs(s.cache_ttl);
        self.shared_cache = (s.cache == CacheMode::Shared).then(|| Cache::new(s.cache_size, ttl));
        for server in &mut self.servers {
            server.cache = (s.cache == CacheMode::PerServer).then(|| Cache::new(s.cache_size, ttl));
        }
    }

    /// A new balancer for the scenario's algorithm, taking the connections where they are.
    fn rebuild_balancer(&mut self) {
        let s = &self.scenario;
        self.balancer = balancer::build(s.algo, &s.params(), &self.servers);
        for i in 0..self.servers.len() {
            self.balancer.connections_changed(&self.servers, i);
        }
    }

    /// New workers and queue limit on every server; waiting requests start on new workers.
    fn set_workers_and_queue(&mut self, workers: u32, queue: u32) {
        for i in 0..self.servers.len() {
            self.servers[i].workers = workers;
            self.servers[i].queue_limit = queue;
            while self.servers[i].in_service.len() < workers as usize && !self.servers[i].waiting.is_empty() {
                self.start_next(i);
            }
        }
    }

    /// Adds or removes servers at the end and applies names, weights and speeds from `next`.
    /// Linear in the servers, whatever the change: the servers leaving are marked at once and
    /// the empty ones taken out in one pass, the new names found in one look at the pool, and
    /// the balancer told once (one at a time, growing to 4,000 servers took 11 s and
    /// shrinking a consistent-hash pool from 4,000 took 49 s: every step looked at, or
    /// rebuilt, the whole pool).
    fn reshape_pool(&mut self, next: &Scenario) {
        let want = next.servers as usize;
        let staying = self.servers.iter().filter(|s| !s.removing).count();
        if staying > want {
            let mut excess = staying - want;
            for s in self.servers.iter_mut().rev().filter(|s| !s.removing) {
                if excess == 0 {
                    break;
                }
                s.removing = true;
                excess -= 1;
            }
            self.delete_empty_leaving();
        }
        // named by `next` first, then the free defaults, which must differ from those names
        let named = want.min(next.names.len());
        for k in staying..named {
            self.push_server(next.names[k].as_str().into(), next.weight(k), next.speed(k));
        }
        let start = staying.max(named);
        for (k, name) in (start..want).zip(self.free_names(want.saturating_sub(start))) {
            self.push_server(name.into(), next.weight(k), next.speed(k));
        }
        let positions: Vec<usize> = (0..self.servers.len()).filter(|&i| !self.servers[i].removing).collect();
        for (k, i) in positions.into_iter().enumerate() {
            let s = &mut self.servers[i];
            s.weight = next.weight(k);
            s.speed = next.speed(k);
            if let Some(name) = next.names.get(k)
                && *s.name != **name
            {
                s.name = name.as_str().into();
            }
        }
        self.pool_changed();
        self.sync_scenario();
    }

    /// Manual to automatic: schedule departures for what is in service. Automatic to
    /// manual: pending departures no longer count.
    fn switch_completions(&mut self) {
        let auto = self.scenario.completions == Completions::Auto;
        let now = self.now;
        let mut departures = Vec::new();
        for s in &mut self.servers {
            for r in &mut s.in_service {
                let speed = self.faults.speed(s.id, s.speed);
                r.due = auto.then(|| after(now, from_secs(r.attempt.cost / speed).max(1)));
                if let Some(at) = r.due {
                    departures.push((at, s.id, r.attempt.request, r.attempt.number));
                }
            }
        }
        for (at, server, request, attempt) in departures {
            self.events.schedule(at, EventKind::Departure { server, request, attempt });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::balancer::Score;
    use crate::scenario::{Arrivals, Completions, Group, Part, SETTINGS};
    use crate::{Algorithm, Engine, Scenario};

    #[test]
    fn every_setting_is_handed_to_a_part_of_its_own_group() {
        for row in SETTINGS {
            let part = Scenario::part_of(row.name).expect("every row names its part");
            let fits = match row.group {
                Group::Algorithm => part == Part::Balancer,
                Group::Pool => matches!(part, Part::Pool | Part::Capacity),
                Group::Workload => matches!(part, Part::Arrivals | Part::Costs | Part::Keys),
                Group::Cache => matches!(part, Part::Caches | Part::Live),
                Group::Health => {
                    matches!(part, Part::Live | Part::Completions | Part::RetryBucket | Part::Faults)
                }
                Group::Run => part == Part::NewRun,
            };
            assert!(fits, "{} ({:?}) is handed to {part:?}", row.name, row.group);
        }
        let (old, mut new) = (Scenario::default(), Scenario::default());
        new.cost *= 2.0;
        assert!(
            old.differs_for(&new, Part::Costs) && !old.differs_for(&new, Part::Arrivals),
            "a new cost is the costs' alone"
        );
    }

    /// The response time peak EWMA assumes for the server it chose, never observed yet.
    fn default_rtt_of_next_pick(engine: &mut Engine) -> f64 {
        let d = engine.fire(1).pop().expect("a decision");
        match d.chosen.expect("a server").score {
            Score::Cost { rtt_s, .. } => rtt_s,
            other => panic!("peak EWMA scored {other:?}"),
        }
    }

    #[test]
    fn peak_ewma_default_response_time_follows_the_cost() {
        let scenario = Scenario {
            algo: Algorithm::PeakEwma,
            servers: 3,
            arrivals: Arrivals::Off,
            completions: Completions::Manual,
            cost: 0.1,
            ..Scenario::default()
        };
        let mut engine = Engine::new(scenario.clone()).expect("valid");
        assert_eq!(default_rtt_of_next_pick(&mut engine), 0.1);
        engine.reconfigure(Scenario { cost: 0.5, ..scenario }).expect("valid");
        // a fresh balancer: no server observed, each assumed to answer in the new cost, 0.5 s
        assert_eq!(default_rtt_of_next_pick(&mut engine), 0.5);
    }
}
