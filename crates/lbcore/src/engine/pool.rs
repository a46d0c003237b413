//! The server pool: servers join and leave (a leaving server drains first, so nothing is
//! lost), drain, fail and heal, and change weight and speed. The balancer hears of every
//! change to membership, eligibility or weight; it hears that a server failed only when a
//! health check notices (at once with a health interval of 0).

use std::sync::Arc;

use super::Engine;
use super::events::EventKind;
use super::life::Attempt;
use crate::cache::Cache;
use crate::scenario::CacheMode;
use crate::server::{Health, Server, ServerId};
use crate::time::{Nanos, from_secs};

/// Marks a removed server in the id-to-index table.
const GONE: u32 = u32::MAX;

/// An operation that names a server that is not there.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("no server at position {0}")]
pub struct NoSuchServer(pub usize);

impl Engine {
    /// Adds a server at the end, named server{k} for the smallest k free, weight 1, speed 1.
    pub fn add_server(&mut self) -> usize {
        let name = self.free_name();
        self.add_named_server(&name, 1, 1.0)
    }

    /// Adds a server at the end with this name, weight and speed.
    pub fn add_named_server(&mut self, name: &str, weight: u32, speed: f64) -> usize {
        let i = self.push_server(name.into(), weight, speed.max(1e-6));
        self.pool_changed();
        self.sync_scenario();
        i
    }

    /// Removes `servers[i]`: it drains first (nothing is lost) and leaves when it holds nothing.
    pub fn remove_server(&mut self, i: usize) -> Result<(), NoSuchServer> {
        let s = self.servers.get_mut(i).ok_or(NoSuchServer(i))?;
        s.removing = true;
        if s.connections() == 0 {
            self.delete(i);
        } else {
            self.pool_changed();
            self.sync_scenario();
        }
        Ok(())
    }

    /// `servers[i]` takes no new requests and finishes what it holds.
    pub fn drain(&mut self, i: usize) -> Result<(), NoSuchServer> {
        let s = self.servers.get_mut(i).ok_or(NoSuchServer(i))?;
        if s.health == Health::Up {
            s.health = Health::Draining;
            self.pool_changed();
        }
        Ok(())
    }

    /// `servers[i]` fails: what it holds fails (retried elsewhere if retries are on), the
    /// attempts whose error was on its way included (their connection breaks now),
    /// its cache is lost, and the balancer keeps sending it requests, which fail too, until
    /// the next health check notices.
    pub fn fail(&mut self, i: usize) -> Result<(), NoSuchServer> {
        let now = self.now;
        let s = self.servers.get_mut(i).ok_or(NoSuchServer(i))?;
        if s.health == Health::Down {
            return Ok(());
        }
        s.account(now);
        s.health = Health::Down;
        let (in_service, queued, erring) = (s.in_service.len() as u64, s.waiting.len() as u64, s.erring.len() as u64);
        let started = s.in_service.drain(..).map(|r| (r.attempt, Some(r.started)));
        let unstarted = s.waiting.drain(..).chain(s.erring.drain(..)).map(|a| (a, None));
        let held: Vec<(Attempt, Option<Nanos>)> = started.chain(unstarted).collect();
        self.load.in_service -= in_service;
        self.load.queued -= queued;
        self.load.erring -= erring;
        if let Some(cache) = &mut s.cache {
            cache.clear();
        }
        let id = s.id;
        self.balancer.connections_changed(&self.servers, i);
        self.notice_health(i, id);
        for (attempt, started) in held {
            self.held_attempt_failed(id, attempt, started, self.meter.log_capacity > 0);
        }
        if let Some(j) = self.index(id)
            && self.servers[j].removing
        {
            self.delete(j);
        }
        Ok(())
    }

    /// `servers[i]` is up again: a draining server at once, a failed one from the next health check.
    pub fn heal(&mut self, i: usize) -> Result<(), NoSuchServer> {
        let s = self.servers.get_mut(i).ok_or(NoSuchServer(i))?;
        match s.health {
            Health::Up => {}
            Health::Draining => {
                s.health = Health::Up;
                self.pool_changed();
            }
            Health::Down => {
                s.health = Health::Up;
                let id = s.id;
                self.notice_health(i, id);
            }
        }
        Ok(())
    }

    /// Sets `servers[i]`'s weight.
    pub fn set_weight(&mut self, i: usize, weight: u32) -> Result<(), NoSuchServer> {
        self.servers.get_mut(i).ok_or(NoSuchServer(i))?.weight = weight;
        self.pool_changed();
        self.sync_scenario();
        Ok(())
    }

    /// Sets `servers[i]`'s speed; requests already in service keep the speed they started at.
    pub fn set_speed(&mut self, i: usize, speed: f64) -> Result<(), NoSuchServer> {
        self.servers.get_mut(i).ok_or(NoSuchServer(i))?.speed = speed.max(1e-6);
        self.sync_scenario();
        Ok(())
    }

    /// Settles which servers are eligible and tells the balancer the pool changed: after
    /// any change of membership, weight or health as the balancer knows it.
    pub(super) fn pool_changed(&mut self) {
        self.eligible.update(&self.servers);
        self.balancer.pool_changed(&self.servers, &self.eligible);
    }

    /// The position of the server with this id, if it is still in the pool.
    pub(super) fn index(&self, id: ServerId) -> Option<usize> {
        match self.index_of.get(id.0 as usize) {
            Some(&i) if i != GONE => Some(i as usize),
            _ => None,
        }
    }

    /// Appends a server with the scenario's workers, queue and per-server cache; the caller
    /// tells the balancer.
    pub(super) fn push_server(&mut self, name: Arc<str>, weight: u32, speed: f64) -> usize {
        let id = ServerId(self.index_of.len() as u32);
        let s = &self.scenario;
        let mut server = Server::new(id, name, weight, speed, s.workers, s.queue, self.now);
        if s.cache == CacheMode::PerServer {
            server.cache = Some(Cache::new(s.cache_size, from_secs(s.cache_ttl)));
        }
        self.servers.push(server);
        self.index_of.push((self.servers.len() - 1) as u32);
        self.servers.len() - 1
    }

    /// The first of server1, server2, ... that no server is called.
    pub(super) fn free_name(&self) -> String {
        self.free_names(1).pop().unwrap_or_default()
    }

    /// The first `count` of server1, server2, ... that no server is called, in order: one
    /// look at the pool, not one per name tried.
    pub(super) fn free_names(&self, count: usize) -> Vec<String> {
        let taken: rustc_hash::FxHashSet<&str> = self.servers.iter().map(|s| &*s.name).collect();
        (1..).map(|k| format!("server{k}")).filter(|n| !taken.contains(n.as_str())).take(count).collect()
    }

    /// Takes the empty `servers[i]` out of the pool.
    pub(super) fn delete(&mut self, i: usize) {
        let s = self.servers.remove(i);
        debug_assert_eq!(s.connections(), 0);
        self.index_of[s.id.0 as usize] = GONE;
        for (j, s) in self.servers.iter().enumerate().skip(i) {
            self.index_of[s.id.0 as usize] = j as u32;
        }
        self.pool_changed();
        self.sync_scenario();
    }

    /// Takes every empty server on its way out of the pool in one pass; the caller tells the
    /// balancer.
    pub(super) fn delete_empty_leaving(&mut self) {
        let index_of = &mut self.index_of;
        self.servers.retain(|s| {
            let gone = s.removing && s.connections() == 0;
            if gone {
                index_of[s.id.0 as usize] = GONE;
            }
            !gone
        });
        for (j, s) in self.servers.iter().enumerate() {
            self.index_of[s.id.0 as usize] = j as u32;
        }
    }

    /// A health check comes due for `server`: the balancer learns whether it is down.
    pub(super) fn on_health_check(&mut self, server: ServerId) {
        let Some(i) = self.index(server) else { return };
        let down = self.servers[i].health == Health::Down;
        if self.servers[i].seen_down != down {
            self.see_health(i, down);
        }
    }

    /// The balancer now sees `servers[i]` down (or up again): noted on the server and in
    /// the log's notices.
    fn see_health(&mut self, i: usize, down: bool) {
        let s = &mut self.servers[i];
        s.seen_down = down;
        s.noticed_down = down.then_some(self.now);
        let name = s.name.clone();
        self.meter.notice(self.now, name, super::meter::Noticed::Health { down });
        self.pool_changed();
    }

    /// The balancer learns of `servers[i]`'s health at once (interval 0) or at the next check.
    fn notice_health(&mut self, i: usize, id: ServerId) {
        let interval = from_secs(self.scenario.health_interval);
        match self.now.checked_div(interval) {
            Some(checks_so_far) => {
                let next = (checks_so_far + 1) * interval;
                self.events.schedule(next, EventKind::HealthCheck { server: id });
            }
            None => {
                let down = self.servers[i].health == Health::Down;
                self.see_health(i, down);
            }
        }
    }

    /// Writes the live pool back into the scenario: count, names, weights and speeds of the
    /// servers that are not on their way out.
    pub(super) fn sync_scenario(&mut self) {
        let staying: Vec<&Server> = self.servers.iter().filter(|s| !s.removing).collect();
        let s = &mut self.scenario;
        s.servers = staying.len() as u32;
        let names: Vec<String> = staying.iter().map(|x| x.name.to_string()).collect();
        let default_names = names.iter().enumerate().all(|(i, n)| *n == format!("server{}", i + 1));
        s.names = if default_names { Vec::new() } else { names };
        let weights: Vec<u32> = staying.iter().map(|x| x.weight).collect();
        s.weights = if weights.iter().all(|&w| w == 1) { Vec::new() } else { weights };
        let speeds: Vec<f64> = staying.iter().map(|x| x.speed).collect();
        s.speeds = if speeds.iter().all(|&v| v == 1.0) { Vec::new() } else { speeds };
        self.prune_faults();
    }
}
