//! Arrivals and routing: a request arrives (with the workload's next key and cost), may be
//! served by the shared cache, and its attempt is routed (the balancer picks) and placed on
//! the chosen server (failed if the server is down, served by its cache, started on a free
//! worker, queued, or turned away when the queue is full). What happens to it from there is
//! [`life`](super::life)'s.

use super::events::EventKind;
use super::life::{Attempt, AttemptState, Fate};
use super::{Engine, NoSuchServer};
use crate::balancer::{Decision, Outcome, RequestInfo, Score};
use crate::server::{Health, InService, ServerId};
use crate::time::{Nanos, from_secs};

/// What completing a connection by hand did.
#[derive(Clone, Debug, PartialEq)]
pub enum Completion {
    /// The oldest request in service completed after this many nanoseconds.
    Completed { response: Nanos },
    /// The server held no connection: nothing happened.
    NothingToComplete,
}

impl Engine {
    /// Fires `n` requests now, with the workload's keys and costs; returns each decision.
    pub fn fire(&mut self, n: u32) -> Vec<Decision> {
        (0..n).filter_map(|_| self.arrive(true)).collect()
    }

    /// Completes the oldest attempt in service on `servers[i]` (manual mode); a server with
    /// no connection is left as it is and says so.
    pub fn complete_oldest(&mut self, i: usize) -> Result<Completion, NoSuchServer> {
        let s = self.servers.get(i).ok_or(NoSuchServer(i))?;
        if s.in_service.is_empty() {
            return Ok(Completion::NothingToComplete);
        }
        Ok(Completion::Completed { response: self.depart(i, 0) })
    }

    /// Schedules the arrival process's next arrival, superseding any pending one.
    pub(super) fn schedule_arrival(&mut self) {
        self.arrival_generation += 1;
        self.arrival_pending = false;
        if self.arrivals_left == Some(0) {
            return;
        }
        if let Some(at) = self.arrivals.next_after(self.now) {
            self.arrival_pending = true;
            let generation = self.arrival_generation;
            self.events.schedule(at, EventKind::Arrival { generation });
        }
    }

    /// The arrival process's arrival comes due (if it was not superseded).
    pub(super) fn on_arrival(&mut self, generation: u64) {
        if generation != self.arrival_generation {
            return;
        }
        if let Some(left) = &mut self.arrivals_left {
            *left -= 1;
        }
        self.schedule_arrival();
        let explain = self.meter.log_capacity > 0;
        self.arrive(explain);
    }

    /// A departure comes due, if the attempt is still where it was scheduled.
    pub(super) fn on_departure(&mut self, server: ServerId, request: u64, attempt: u32, at: Nanos) {
        let Some(i) = self.index(server) else { return };
        let due = Some(at);
        let is_it = |r: &InService| r.attempt.request == request && r.attempt.number == attempt && r.due == due;
        if let Some(pos) = self.servers[i].in_service.iter().position(is_it) {
            self.depart(i, pos);
        }
    }

    /// A new request arrives now with the workload's next key and cost.
    fn arrive(&mut self, explain: bool) -> Option<Decision> {
        let key = self.next_key();
        let cost = self.costs.sample();
        let attempt = Attempt::first(self.next_request, key, cost, self.now);
        self.next_request += 1;
        let now = self.now;
        self.meter.count(attempt.request, |c| c.arrived += 1);
        if let Some(cache) = &mut self.shared_cache {
            self.meter.count(attempt.request, |c| c.cache_lookups += 1);
            if cache.lookup(key, now) {
                self.settle(attempt.request, Fate::CacheHit);
                self.meter.record_response(attempt.request, from_secs(self.scenario.hit_latency));
                let mut d = Decision::new(self.scenario.algo);
                d.outcome = Some(Outcome::SharedCacheHit { key });
                return self.meter.note(now, attempt.request, explain.then_some(d));
            }
        }
        let decision = self.route(attempt, None, explain);
        self.arm_hedge(attempt.request);
        decision
    }

    /// Picks a server for `attempt` and places it. A retry (`tried`: the server its last
    /// attempt went to) takes the first server it has not tried in the order
    /// [`Eligible::fallbacks`] gives: the balancer's pick, then the eligible servers after it.
    /// It goes back to the server it tried only when no other is eligible. A hedge's copy
    /// (`tried`: the server holding the attempt it copies) goes the same way; turned away (no
    /// server, a full queue), it is only not sent, and its request waits on what it has.
    ///
    /// [`Eligible::fallbacks`]: crate::balancer::Eligible::fallbacks
    pub(super) fn route(&mut self, attempt: Attempt, tried: Option<usize>, explain: bool) -> Option<Decision> {
        if attempt.number == 0 {
            self.retry_budgets.deposit(self.now);
        }
        let info = RequestInfo { key: attempt.key, now: self.now };
        let mut decision = explain.then(|| Decision::new(self.scenario.algo));
        self.lazy_before_pick();
        let mut pick = self.balancer.pick(&self.servers, &self.eligible, info, &mut self.pick_rng, decision.as_mut());
        if let (Some(first), Some(tried)) = (pick, tried) {
            let next = self.eligible.fallbacks(first).find(|&i| i != tried).unwrap_or(first);
            if next != first {
                if let Some(d) = &mut decision {
                    d.choose(&self.servers[next].name, Score::Fallback { tried: self.servers[first].name.clone() });
                }
                pick = Some(next);
            }
        }
        let outcome = match pick {
            None => {
                if !attempt.is_hedge() {
                    self.settle(attempt.request, Fate::Rejected);
                }
                Outcome::NoServer
            }
            Some(i) => {
                self.lazy_after_pick(i);
                self.place(i, attempt, explain)
            }
        };
        // unexplained (as in a whole run), nothing to log or hand back
        let mut d = decision?;
        d.outcome = Some(outcome);
        d.retry = attempt.retry() > 0;
        self.meter.note(self.now, attempt.request, Some(d))
    }

    /// Gives `attempt` to `servers[i]`: it is refused by a circuit breaker, fails if the
    /// server is down or an `errors` fault fails it, is answered by the server's cache, starts
    /// on a free worker, queues, or is turned away when the queue is full. Returns what
    /// happened.
    fn place(&mut self, i: usize, attempt: Attempt, explain: bool) -> Outcome {
        let now = self.now;
        if let Some((breaker, limit)) = self.breaker_refuses(i) {
            // a hedge's copy refused is only not sent: its request waits on what it has
            if !attempt.is_hedge() {
                self.settle(attempt.request, Fate::Refused);
            }
            return Outcome::Refused { breaker, limit };
        }
        self.meter.count(attempt.request, |c| c.attempts += 1);
        if self.servers[i].health == Health::Down {
            return self.failed_on_arrival(i, attempt, explain);
        }
        if let Some(erred) = self.fault_error(i, attempt) {
            return erred;
        }
        let s = &mut self.servers[i];
        if let Some(cache) = &mut s.cache {
            self.meter.count(attempt.request, |c| c.cache_lookups += 1);
            if cache.lookup(attempt.key, now) {
                let server = s.name.clone();
                self.settle(attempt.request, Fate::CacheHit);
                self.meter.record_response(attempt.request, from_secs(self.scenario.hit_latency));
                return Outcome::ServerCacheHit { key: attempt.key, server };
            }
        }
        let (outcome, state) = if s.in_service.len() < s.workers as usize {
            self.start(i, attempt);
            (Outcome::Started, AttemptState::InService)
        } else if s.waiting.len() < s.queue_limit as usize {
            s.account(now);
            if s.waiting.is_empty() {
                s.queued_since = now;
            }
            s.waiting.push_back(attempt);
            self.load.queued += 1;
            s.stats.max_connections = s.stats.max_connections.max(s.connections());
            (Outcome::Queued, AttemptState::Queued)
        } else {
            let full = Outcome::QueueFull { server: s.name.clone(), waiting: s.waiting.len() };
            if !attempt.is_hedge() {
                self.settle(attempt.request, Fate::Rejected);
            }
            return full;
        };
        self.sent(i, attempt, state);
        self.balancer.connections_changed(&self.servers, i);
        outcome
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::{Arrivals, Completions};
    use crate::{Algorithm, Engine, Scenario};

    #[test]
    fn a_retry_goes_to_the_next_server_it_has_not_tried() {
        // a ring sends the same key to the same server however often it is asked: re-picking
        // (as retries did) found the failed server each time, so the retry failed too
        let scenario = Scenario {
            algo: Algorithm::ConsistentHash,
            servers: 3,
            arrivals: Arrivals::Off,
            completions: Completions::Manual,
            retries: 1,
            health_interval: 10.0,
            ..Scenario::default()
        };
        let mut e = Engine::new(scenario).expect("valid");
        let first = e.fire(1).pop().expect("a decision");
        let failed = e.position(first.chosen_name().expect("a server")).expect("there");
        e.keep_decisions(1);
        e.fail(failed).expect("there");
        let c = e.totals();
        assert_eq!((c.retried, c.failed, e.in_system()), (1, 0, 1), "retried once, elsewhere, and held there");
        let retry = &e.decisions().back().expect("the retry, explained").decision;
        let next = (failed + 1) % 3; // the next eligible after the failed one, wrapping
        assert_eq!(retry.chosen_name(), Some(&*e.servers()[next].name));
        assert!(retry.to_string().contains("which this request had already tried; a retry"), "{}", retry);
    }
}
