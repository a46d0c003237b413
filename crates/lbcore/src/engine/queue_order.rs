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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::ServerId;

    /// A server whose queue went from empty to not empty at time 0, holding requests 0, 1, 2
    /// (oldest first).
    fn queued() -> Server {
        let mut s = Server::new(ServerId(0), "s".into(), 1, 1.0, 1, 10, 0);
        for request in 0..3 {
            s.waiting.push_back(Attempt::first(request, 0, 0.1, 0));
        }
        s
    }

    #[test]
    fn lifo_serves_the_newest_only_once_the_queue_has_stood_for_codels_interval() {
        // 1 ns short of 100 ms the queue is not standing yet: oldest first, as FIFO
        assert_eq!(QueueOrder::Lifo.take(&mut queued(), STANDING - 1).map(|a| a.request), Some(0));
        // from 100 ms on, newest first
        let mut s = queued();
        let order: Vec<u64> =
            (0..3).filter_map(|_| QueueOrder::Lifo.take(&mut s, STANDING)).map(|a| a.request).collect();
        assert_eq!(order, [2, 1, 0]);
        // FIFO never changes
        assert_eq!(QueueOrder::Fifo.take(&mut queued(), 10 * STANDING).map(|a| a.request), Some(0));
    }
}
