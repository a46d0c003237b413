//! The order a server takes its queued attempts in (`queue-order`): first in, first out, or
//! adaptive LIFO as Facebook's "Fail at scale" (Maurer, ACM Queue 2015, "Avoiding
//! insurmountable queue backlogs") describes it: first in, first out in normal conditions,
//! newest first when a queue is forming, so that when a backlog builds up the requests
//! served are the ones whose clients are still likely to be waiting, and the stale ones wait.
//!
//! **When a queue is forming.** The article's controlled delay (CoDel) tells a standing queue
//! by its not having been empty for the last 100 ms (CoDel's interval, N in the article), and
//! adaptive LIFO is meant to work with it; so here a server serves newest first while its
//! queue has not been empty for at least [`STANDING`], and first in, first out otherwise. The
//! rule reads only the time the queue last went from empty to not empty
//! (`Server::queued_since`), so it is deterministic and costs nothing per attempt.

use crate::engine::Attempt;
use crate::scenario::QueueOrder;
use crate::server::Server;
use crate::time::Nanos;

/// How long a queue must have stayed not empty to count as standing: CoDel's interval, 100 ms.
pub const STANDING: Nanos = 100_000_000;

impl QueueOrder {
    /// Takes the attempt `server` serves next from its queue at `now`: the oldest, or with
    /// adaptive LIFO the newest while its queue stands.
    pub(crate) fn take(self, server: &mut Server, now: Nanos) -> Option<Attempt> {
        match self {
            QueueOrder::Lifo if now.saturating_sub(server.queued_since) >= STANDING => server.waiting.pop_back(),
            _ => server.waiting.pop_front(),
        }
    }
}
