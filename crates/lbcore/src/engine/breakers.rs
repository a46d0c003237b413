//! Circuit breakers on the pool, with Envoy's semantics (the cluster's `max_pending_requests`
//! and `max_requests`): `max-pending` caps the attempts waiting in the servers' queues over
//! the whole pool, `max-requests` the attempts the servers hold (in service and queued). An
//! attempt that would go past either is refused at once, before it reaches a server (Envoy
//! answers 503 and counts `upstream_rq_pending_overflow`): its request is settled
//! [`Fate::Refused`](super::Fate::Refused), counted as `breaker_refused`, and never retried,
//! as Envoy never retries an overflow (`RetryPolicyImpl::wouldRetryFromReset`), whether it
//! was a first attempt or a retry. An attempt waits when its server has no free worker, so
//! `max-pending` refuses only such an attempt; one sent to a server that is down fails there
//! as before. The pool's counts are of what the servers hold, attempts whose client stopped
//! waiting included (with `cancel=false` the server still works on them), and attempts whose
//! `errors` fault's error is on its way back count toward `max-requests` (Envoy's active
//! requests include a request awaiting an error); they are kept as attempts come and go, and
//! [`Engine::check_invariant`] checks them against the servers.

use super::Engine;
use crate::server::Health;

/// Which breaker refused an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Breaker {
    /// `max-pending`: the servers' queues hold that many attempts.
    MaxPending,
    /// `max-requests`: the servers hold that many attempts.
    MaxRequests,
}

impl Breaker {
    /// Its setting's name.
    pub fn name(self) -> &'static str {
        match self {
            Breaker::MaxPending => "max-pending",
            Breaker::MaxRequests => "max-requests",
        }
    }
}

/// The attempts the pool's servers hold, kept as they change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct PoolLoad {
    /// On a worker.
    pub in_service: u64,
    /// In a queue.
    pub queued: u64,
    /// Erring: an `errors` fault's error on its way back.
    pub erring: u64,
}

impl Engine {
    /// The breaker that refuses an attempt sent to `servers[i]` now, with its limit, if one
    /// does.
    pub(super) fn breaker_refuses(&self, i: usize) -> Option<(Breaker, u32)> {
        let load = &self.load;
        if let Some(max) = self.scenario.max_requests
            && load.in_service + load.queued + load.erring >= u64::from(max)
        {
            return Some((Breaker::MaxRequests, max));
        }
        let s = &self.servers[i];
        let would_wait = s.health != Health::Down && s.in_service.len() >= s.workers as usize;
        match self.scenario.max_pending {
            Some(max) if would_wait && load.queued >= u64::from(max) => Some((Breaker::MaxPending, max)),
            _ => None,
        }
    }

    /// Whether the pool's counts are the servers' own.
    pub(super) fn check_load(&self) -> Result<(), String> {
        let in_service = self.servers.iter().map(|s| s.in_service.len() as u64).sum();
        let queued = self.servers.iter().map(|s| s.waiting.len() as u64).sum();
        let erring = self.servers.iter().map(|s| s.erring.len() as u64).sum();
        let counted = PoolLoad { in_service, queued, erring };
        if counted == self.load {
            Ok(())
        } else {
            Err(format!("the pool counts {:?}, its servers hold {counted:?}", self.load))
        }
    }
}
