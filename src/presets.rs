//! Presets: ready-made experiments, each a URL query read by the same parser as a shared
//! link ([`crate::url::parse`]), with a sentence or two on what to watch.

/// One preset.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Preset {
    /// Its id, the value of the select's option.
    pub id: &'static str,
    /// Its name in the list.
    pub title: &'static str,
    /// What it shows and what to try.
    pub explanation: &'static str,
    /// The query it applies.
    pub query: &'static str,
}

/// Every preset, in the order the lesson meets them.
pub const PRESETS: [Preset; 14] = [
    Preset {
        id: "round-robin-lesson",
        title: "The lesson: round robin",
        explanation: "Fire requests by hand. Round robin deals them out in turn and never looks at what a server \
                      already holds: ten fires over three servers give 4, 3, 3.",
        query: "mode=manual&algo=round-robin&servers=3",
    },
    Preset {
        id: "least-connections-lesson",
        title: "The lesson: least connections",
        explanation: "Fire and complete requests by hand. Each new request goes to the server holding the fewest, \
                      so completing on one server steers the next request there.",
        query: "mode=manual&algo=least-connections&servers=3",
    },
    Preset {
        id: "slow-server",
        title: "A slow server",
        explanation: "server4 works at a quarter of the speed of the others. Round robin still gives it a quarter \
                      of the requests, so its queue grows and grows; switch to least connections and it is spared.",
        query: "algo=round-robin&servers=4&speeds=1,1,1,0.25&rate=28&cost=0.1",
    },
    Preset {
        id: "heavy-tail",
        title: "Heavy-tailed requests",
        explanation: "Most requests are quick but a few take very long (Pareto costs). A server stuck on a long one \
                      piles up a queue behind it: watch p99 against p50, and compare algorithms.",
        query: "algo=least-connections&servers=4&dist=pareto&cv=3&rate=30&cost=0.1",
    },
    Preset {
        id: "flash-crowd",
        title: "A flash crowd",
        explanation: "Requests come in bursts: one second at five times the average, then four quiet seconds. \
                      Queues build in each burst and drain in the lull, though the average load is only a third.",
        query: "algo=least-connections&servers=6&arrivals=bursty&rate=40&burst-on=1&burst-off=4&cost=0.05",
    },
    Preset {
        id: "cache-in-front",
        title: "A cache in front",
        explanation: "A shared cache answers the popular keys before the balancer sees them, so the servers get \
                      only its misses: the offered load under the arrival rate counts them alone. Turn the cache off and the same traffic overwhelms them.",
        query: "algo=round-robin&servers=3&rate=60&cost=0.1&cache=shared&cache-size=200&keys=2000&zipf=1",
    },
    Preset {
        id: "server-failure",
        title: "A server failure",
        explanation: "Fail a server with its button. Until the next health check (every 5 s) notices, requests \
                      sent to it fail and are retried once on another server; then it gets none until you heal it.",
        query: "algo=round-robin&servers=4&rate=30&cost=0.1&health-interval=5&retries=1",
    },
    Preset {
        id: "hash-with-caches",
        title: "Consistent hashing with per-server caches",
        explanation: "Each server has its own cache. Consistent hashing sends a key to the same server every time, \
                      so each cache holds its share of the keys; switch to round robin and the hit ratio halves.",
        query: "algo=consistent-hash&servers=8&rate=200&cost=0.02&cache=per-server&cache-size=100&keys=5000&zipf=0.9",
    },
    Preset {
        id: "retry-storm",
        title: "A retry storm",
        explanation: "server1 is down from 5 s to 10 s. Clients wait 1 s, then retry up to 3 times: the queues \
                      grow long after it is back. Turn cancel on and reset: the storm is gone.",
        query: "algo=round-robin&servers=2&workers=5&queue=10000&rate=70&timeout=1&retries=3&faults=server1:down@5-10",
    },
    Preset {
        id: "retry-amplification",
        title: "Retry amplification",
        explanation: "Every server fails every attempt, after 1 s. With 3 retries each request costs the servers 4 \
                      attempts; 3 retries at each of 3 layers would make 4^3 = 64.",
        query: "servers=3&rate=100&retries=3&error-latency=1\
                &faults=server1:errors=1@0-3600,server2:errors=1@0-3600,server3:errors=1@0-3600",
    },
    Preset {
        id: "stale-queue",
        title: "A stale queue",
        explanation: "300 a second against one server's 100; clients wait 0.2 s. Oldest first, the server answers \
                      100 a second, all too late: goodput near 0. Turn cancel on: about 18.",
        query: "servers=1&queue=1000&dist=const&cost=0.01&rate=300&timeout=0.2",
    },
    Preset {
        id: "hedged-requests",
        title: "Hedged requests",
        explanation: "server10 works at a quarter speed; its queue makes the tail. A request unanswered past the p95 \
                      is copied to another server: p99 about 0.6 s, not 1 to 3, for 5% more attempts.",
        query: "servers=10&rate=24&cost=0.1&dist=const&queue=1000&speeds=1,1,1,1,1,1,1,1,1,0.25&hedge-after=p95&cancel=true",
    },
    Preset {
        id: "circuit-breaker",
        title: "A circuit breaker",
        explanation: "24 a second against 20. A breaker refuses what would wait past 20 queued: the p99 stays \
                      under 3.5 s, for about 1 in 5 refused. Without it, it grows without end.",
        query: "servers=2&rate=24&cost=0.1&queue=100000&max-pending=20",
    },
    Preset {
        id: "backoff-and-jitter",
        title: "Backoff and jitter",
        explanation: "Every attempt fails from 10 s to 12 s. Retried at once, the requests of those 2 s all fail (about 48); \
                      with exponential backoff (0.25, 0.5, 1 s, in Resilience) about 6; full jitter halves the waits: 27.",
        query: "servers=3&rate=24&retries=3&backoff-base=0.25&backoff-cap=10\
                &faults=server1:errors=1@10-12,server2:errors=1@10-12,server3:errors=1@10-12",
    },
];

/// The query a preset's lab writes back (defaults left out, fields in order): what the URL
/// says right after the preset is applied.
pub fn canonical(preset: &Preset) -> String {
    let parsed = crate::url::parse(preset.query);
    crate::url::to_query(&parsed.scenario, &parsed.settings)
}

/// The preset with this id.
pub fn find(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

#[cfg(test)]
mod tests {
    use lbcore::Algorithm;
    use lbcore::scenario::CacheMode;

    use super::*;
    use crate::url;

    #[test]
    fn every_preset_parses_cleanly_and_round_trips() {
        for p in PRESETS {
            let parsed = url::parse(p.query);
            assert!(parsed.problems.is_empty(), "{}: {:?}", p.id, parsed.problems);
            assert_eq!(url::parse(&canonical(&p)), parsed, "{}", p.id);
            assert_eq!(find(p.id), Some(&p));
            assert!(p.explanation.len() > 60, "{}", p.id);
        }
    }

    #[test]
    fn the_presets_set_up_their_lessons() {
        let slow = url::parse(find("slow-server").map(|p| p.query).unwrap_or_default()).scenario;
        assert!(slow.load() > 0.8 && slow.speed(3) < 0.5, "busy, with one slow server");
        let hash = url::parse(find("hash-with-caches").map(|p| p.query).unwrap_or_default()).scenario;
        assert_eq!((hash.algo, hash.cache), (Algorithm::ConsistentHash, CacheMode::PerServer));
    }
}
