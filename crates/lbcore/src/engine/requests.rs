//! The request lifecycle: a request arrives (with the workload's next key and cost), may be
//! served by the shared cache, is routed (the balancer picks), placed on the chosen server
//! (failed if the server is down, served by its cache, started on a free worker, queued, or
//! rejected when the queue is full), and departs when its work is done. A request that
//! fails is retried once elsewhere when retries are on.

use super::events::EventKind;
use super::{Engine, NoSuchServer};
use crate::balancer::{Decision, Outcome, RequestInfo, Score};
use crate::scenario::Completions;
use crate::server::{Health, InService, Request};
use crate::time::{Nanos, after, from_secs};

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

    /// Completes the oldest request in service on `servers[i]` (manual mode); a server with
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

    /// A departure comes due, if the request is still where it was scheduled.
    pub(super) fn on_departure(&mut self, server: crate::server::ServerId, request: u64, at: Nanos) {
        let Some(i) = self.index(server) else { return };
        let due = Some(at);
        if let Some(pos) = self.servers[i].in_service.iter().position(|r| r.request.id == request && r.due == due) {
            self.depart(i, pos);
        }
    }

    /// A new request arrives now with the workload's next key and cost.
    fn arrive(&mut self, explain: bool) -> Option<Decision> {
        let key = self.keys.sample();
        let cost = self.costs.sample();
        let request = Request { id: self.next_request, key, cost, arrived: self.now, attempt: 0 };
        self.next_request += 1;
        let now = self.now;
        self.meter.count(request.id, |c| c.arrived += 1);
        if let Some(cache) = &mut self.shared_cache {
            self.meter.count(request.id, |c| c.cache_lookups += 1);
            if cache.lookup(key, now) {
                self.meter.count(request.id, |c| c.cache_hits += 1);
                self.meter.record_response(request.id, from_secs(self.scenario.hit_latency));
                let mut d = Decision::new(self.scenario.algo);
                d.outcome = Some(Outcome::SharedCacheHit { key });
                return self.meter.note(now, request.id, explain.then_some(d));
            }
        }
        self.route(request, None, explain)
    }

    /// Picks a server for `request` and places it. A retry (`tried`: the server it failed
    /// on) takes the first server it has not tried in the order [`Eligible::fallbacks`]
    /// gives: the balancer's pick, then the eligible servers after it. It goes back to the
    /// server it tried only when no other is eligible.
    ///
    /// [`Eligible::fallbacks`]: crate::balancer::Eligible::fallbacks
    fn route(&mut self, request: Request, tried: Option<usize>, explain: bool) -> Option<Decision> {
        let info = RequestInfo { key: request.key, now: self.now };
        let mut decision = explain.then(|| Decision::new(self.scenario.algo));
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
                self.meter.count(request.id, |c| c.rejected += 1);
                Outcome::NoServer
            }
            Some(i) => self.place(i, request, explain),
        };
        if let Some(d) = &mut decision {
            d.outcome = Some(outcome);
            d.retry = request.attempt > 0;
        }
        self.meter.note(self.now, request.id, decision)
    }

    /// Gives `request` to `servers[i]`: fails it if the server is down, serves it from the
    /// server's cache, starts it on a free worker, queues it, or rejects it when the queue is
    /// full. Returns what happened.
    fn place(&mut self, i: usize, request: Request, explain: bool) -> Outcome {
        let now = self.now;
        let s = &mut self.servers[i];
        if s.health == Health::Down {
            let server = s.name.clone();
            let retried = self.fail_request(request, i, explain);
            return Outcome::Failed { server, retried };
        }
        if let Some(cache) = &mut s.cache {
            self.meter.count(request.id, |c| c.cache_lookups += 1);
            if cache.lookup(request.key, now) {
                let server = s.name.clone();
                self.meter.count(request.id, |c| c.cache_hits += 1);
                self.meter.record_response(request.id, from_secs(self.scenario.hit_latency));
                return Outcome::ServerCacheHit { key: request.key, server };
            }
        }
        let outcome = if s.in_service.len() < s.workers as usize {
            self.start(i, request);
            Outcome::Started
        } else if s.waiting.len() < s.queue_limit as usize {
            s.account(now);
            s.waiting.push_back(request);
            s.stats.max_connections = s.stats.max_connections.max(s.connections());
            self.in_system += 1;
            Outcome::Queued
        } else {
            let full = Outcome::QueueFull { server: s.name.clone(), waiting: s.waiting.len() };
            self.meter.count(request.id, |c| c.rejected += 1);
            return full;
        };
        self.balancer.connections_changed(&self.servers, i);
        outcome
    }

    /// Puts `request` on a free worker of `servers[i]` and schedules its departure.
    pub(super) fn start(&mut self, i: usize, request: Request) {
        let now = self.now;
        let auto = self.scenario.completions == Completions::Auto;
        let s = &mut self.servers[i];
        s.account(now);
        let due = auto.then(|| after(now, from_secs(request.cost / s.speed).max(1)));
        s.in_service.push(InService { request, due });
        s.stats.max_connections = s.stats.max_connections.max(s.connections());
        let server = s.id;
        if let Some(at) = due {
            self.events.schedule(at, EventKind::Departure { server, request: request.id });
        }
        self.in_system += 1;
    }

    /// The request at `pos` on `servers[i]`'s workers completes now.
    fn depart(&mut self, i: usize, pos: usize) -> Nanos {
        let now = self.now;
        let s = &mut self.servers[i];
        s.account(now);
        let done = s.in_service.remove(pos).request;
        if self.meter.in_window(done.id) {
            s.stats.completed += 1;
        }
        if let Some(cache) = &mut s.cache {
            cache.insert(done.key, now);
        }
        let next = if s.in_service.len() < s.workers as usize { s.waiting.pop_front() } else { None };
        self.in_system -= 1;
        if let Some(next) = next {
            self.in_system -= 1; // start() counts it again
            self.start(i, next);
        }
        if let Some(cache) = &mut self.shared_cache {
            cache.insert(done.key, now);
        }
        let response = now - done.arrived;
        self.meter.count(done.id, |c| c.completed += 1);
        self.meter.record_response(done.id, response);
        self.balancer.observe(i, response, now);
        self.balancer.connections_changed(&self.servers, i);
        if self.servers[i].removing && self.servers[i].connections() == 0 {
            self.delete(i);
        }
        response
    }

    /// A request failed on `servers[failed]`: retry it elsewhere once if retries are on,
    /// else count it failed. Returns whether it was retried.
    pub(super) fn fail_request(&mut self, request: Request, failed: usize, explain: bool) -> bool {
        if self.scenario.retry && request.attempt == 0 {
            self.meter.count(request.id, |c| c.retried += 1);
            self.route(Request { attempt: 1, ..request }, Some(failed), explain);
            true
        } else {
            self.meter.count(request.id, |c| c.failed += 1);
            false
        }
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
            retry: true,
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
