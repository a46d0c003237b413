//! The settings table: every setting of a scenario, once. A row gives the field, its type and
//! default, its name (URL parameter = `lbsim` flag = JSON key), group and the part of the
//! engine it is handed to when it changes (`Workload/Arrivals`), allowed values, unit, the
//! flag's placeholder, a one-line help, more details for `lbsim --help`, and the web app's
//! slider. The `Scenario` struct, its serde form, `set`/`get`, range checks and their
//! messages, `Engine::reconfigure`'s hand-over, the CLI's help, the app's slider bounds and
//! option lists and the table in docs/settings.md are all derived from it: a setting is added by adding
//! a row.

use super::HedgeAfter;
use super::faults::FaultSchedule;
use super::setting::{Allowed, Ui};
use crate::balancer::Algorithm;

/// Most servers a scenario may have (the web app holds fewer: 64).
pub const MAX_SERVERS: u32 = 100_000;
/// Most servers the web app holds: its bars and per-server controls are drawn for at most this many.
pub const BROWSER_MAX_SERVERS: u32 = 64;
/// Most distinct keys (the Zipf sampler keeps a table of this size).
pub const MAX_KEYS: u64 = 1_000_000;
/// Most points on a hash ring: vnodes x the sum of weights.
pub const MAX_RING_POINTS: u64 = 10_000_000;
/// Longest server name, in characters.
pub const MAX_NAME: usize = 40;
/// Most arrivals per second: the clock counts nanoseconds, so at most one arrival in each.
pub const MAX_RATE: f64 = 1e9;
/// Largest scenario file or upload read, in bytes (1 MiB: a scenario with 64 named servers is
/// under 4 KB, so this leaves room for any real one and keeps a stray file from filling memory).
pub const MAX_SCENARIO_BYTES: usize = 1 << 20;
/// Largest coefficient of variation of a uniform cost: a uniform on `[m(1 - a), m(1 + a)]` has
/// cv `a / sqrt(3)`, so costs stay positive up to `1 / sqrt(3) = 0.5773...`; 0.577 stays below.
pub const UNIFORM_MAX_CV: f64 = 0.577;
/// Most retries a request may make: enough for any retry storm a lesson shows (3 is the
/// classic), few enough that one request is at most 101 attempts.
pub const MAX_RETRIES: u32 = 100;
/// Most attempts a circuit breaker's limit (`max-pending`, `max-requests`) may name: ten
/// million, past which a limit no run can reach is no limit.
pub const MAX_BREAKER: u32 = 10_000_000;
/// Maglev table sizes a picker offers, all prime.
pub const TABLE_SIZES: &[u64] = &[251, 4093, 65_537, 655_373, MAX_TABLE_SIZE as u64];

/// Largest Maglev table the settings table allows, a prime (the browser allows less: see
/// [`Limits`](super::Limits)).
pub const MAX_TABLE_SIZE: u32 = 5_000_011;

const SECONDS_TO_HOUR: Allowed = Allowed::Number { min: 0.0, above: false, max: 3600.0 };
const SECONDS_TO_DAY: Allowed = Allowed::Number { min: 0.0, above: false, max: 86_400.0 };

choices! {
    /// How requests arrive.
    pub enum Arrivals {
        /// None of their own: requests arrive only when fired.
        Off = "off", "none of their own: requests arrive only when fired";
        /// A Poisson process at `rate`.
        Poisson = "poisson", "random and memoryless (Poisson) at the rate";
        /// Evenly spaced at `rate`.
        Constant = "constant", "evenly spaced at the rate";
        /// On/off: Poisson during `burst-on` seconds, nothing for `burst-off`, averaging `rate`.
        Bursty = "bursty", "Poisson during --burst-on seconds, then nothing for --burst-off seconds";
    }
}

choices! {
    /// The distribution of request cost (seconds of work at speed 1).
    pub enum CostDist {
        /// Every request costs the mean.
        Const = "const", "constant";
        /// Exponential (coefficient of variation 1).
        Exp = "exp", "exponential";
        /// Uniform with the given coefficient of variation (at most [`UNIFORM_MAX_CV`]).
        Uniform = "uniform", "uniform";
        /// Log-normal with the given coefficient of variation.
        Lognormal = "lognormal", "log-normal";
        /// Pareto (heavy-tailed) with the given coefficient of variation.
        Pareto = "pareto", "Pareto (heavy tail)";
    }
}

choices! {
    /// Where a cache sits, if anywhere.
    pub enum CacheMode {
        /// No cache.
        Off = "off", "off";
        /// One cache in front of the balancer (as Redis or Memcached would be).
        Shared = "shared", "shared, in front of the balancer";
        /// One cache on each server.
        PerServer = "per-server", "one per server";
    }
}

choices! {
    /// Whether servers complete requests on their own.
    pub enum Completions {
        /// A request completes when its work is done.
        Auto = "auto", "a request completes when its work is done";
        /// A request stays until someone completes it (the lesson's manual mode).
        Manual = "manual", "requests stay until completed by hand";
    }
}

choices! {
    /// How long a client waits before a retry.
    pub enum Backoff {
        /// Not at all: a retry is sent at once.
        None = "none", "none: retry at once";
        /// The base wait every time (at most the cap).
        Constant = "constant", "the base wait every time";
        /// `min(cap, base x 2^n)` before the n-th retry (n from 0).
        Exponential = "exponential", "min(cap, base x 2^n) before the n-th retry";
    }
}

choices! {
    /// How a backoff's wait is spread, as the AWS backoff simulator ("Exponential Backoff And
    /// Jitter") defines it.
    pub enum Jitter {
        /// The backoff's wait b itself.
        None = "none", "none: wait the backoff b";
        /// uniform(0, b).
        Full = "full", "full: uniform(0, b)";
        /// b / 2 + uniform(0, b / 2).
        Equal = "equal", "equal: b/2 + uniform(0, b/2)";
        /// min(cap, uniform(base, 3 x the previous wait)).
        Decorrelated = "decorrelated", "decorrelated: min(cap, uniform(base, 3 x previous))";
    }
}

choices! {
    /// The order a server takes its queued attempts in.
    pub enum QueueOrder {
        /// First in, first out, always.
        Fifo = "fifo", "first in, first out";
        /// Adaptive LIFO ("Fail at scale"): newest first while the queue has stayed non-empty
        /// for 100 ms or more (CoDel's interval), first in, first out otherwise.
        Lifo = "lifo", "adaptive LIFO: newest first while a queue stands (non-empty for 100 ms)";
    }
}

settings! {
    /// The balancing algorithm.
    algo: Algorithm = Algorithm::RoundRobin;
        "algo", Algorithm/Balancer, Allowed::OneOf, None, "ALGO",
        "Balancing algorithm, by id", "", None;
    /// power-of-two: servers sampled per pick.
    choices: u32 = 2;
        "choices", Algorithm/Balancer, Allowed::Whole { min: 1, max: 100 }, None, "D",
        "power-of-two: servers sampled per pick", "2 is the classic power of two choices",
        Some(Ui::linear("Choices (d)", 1.0, 10.0, 1.0).hint("Servers sampled per request."));
    /// consistent-hash and bounded-load: virtual nodes per server per unit of weight.
    vnodes: u32 = 100;
        "vnodes", Algorithm/Balancer, Allowed::Whole { min: 1, max: 10_000 }, None, "N",
        "consistent-hash, bounded-load: virtual nodes per server per unit of weight",
        "More vnodes spread keys more evenly and take more memory",
        Some(Ui::linear("Virtual nodes per server", 1.0, 500.0, 1.0));
    /// peak-ewma: decay time in seconds.
    decay: f64 = 10.0;
        "decay", Algorithm/Balancer, Allowed::Number { min: 0.0, above: true, max: 3600.0 }, Seconds, "SECONDS",
        "peak-ewma: decay time of the response-time average", "",
        Some(Ui::linear("Decay time", 0.1, 60.0, 0.1));
    /// bounded-load: most load a server may take, as a factor of the average.
    load_factor: f64 = 1.25;
        "load-factor", Algorithm/Balancer, Allowed::Number { min: 1.0, above: false, max: 100.0 }, Factor, "FACTOR",
        "bounded-load: most load a server may take, as a factor of the average", "",
        Some(Ui::linear("Load factor", 1.0, 3.0, 0.05).hint("Most load a server may take, times the average."));
    /// maglev: lookup table size, a prime.
    table_size: u32 = 65_537;
        "table-size", Algorithm/Balancer, Allowed::Prime { min: 7, max: MAX_TABLE_SIZE as u64, examples: TABLE_SIZES }, None, "PRIME",
        "maglev: lookup table size, a prime", "", None;
    /// How many servers.
    servers: u32 = 3;
        "servers", Pool/Pool, Allowed::Whole { min: 1, max: MAX_SERVERS as u64 }, None, "N",
        "Number of servers", "", Some(Ui::linear("Servers", 1.0, BROWSER_MAX_SERVERS as f64, 1.0));
    /// Server names; empty means server1, server2, ...
    names: Vec<String> = Vec::new();
        "names", Pool/Pool, Allowed::Each(&Allowed::Name { max_chars: MAX_NAME }), None, "LIST",
        "Server names in server order, comma separated",
        "All different, such as a,b,c. Servers without one are named server1, server2, ... by position", None;
    /// Server weights in server order; missing ones are 1.
    weights: Vec<u32> = Vec::new();
        "weights", Pool/Pool, Allowed::Each(&Allowed::Whole { min: 0, max: 1000 }), None, "LIST",
        "Server weights in server order, comma separated",
        "Such as 5,1,1. Missing ones are 1; weight 0 takes a server out of rotation", None;
    /// Server speeds in server order (work per second relative to 1); missing ones are 1.
    speeds: Vec<f64> = Vec::new();
        "speeds", Pool/Pool, Allowed::Each(&Allowed::Number { min: 0.0, above: true, max: 1000.0 }), Factor, "LIST",
        "Server speeds in server order, comma separated",
        "Work per second relative to 1, such as 1,1,0.5: a request of cost c takes c / speed seconds. \
         Missing ones are 1", None;
    /// Workers per server: requests served at once.
    workers: u32 = 1;
        "workers", Pool/Capacity, Allowed::Whole { min: 1, max: 1000 }, None, "N",
        "Requests each server serves at once", "", Some(Ui::linear("Workers per server", 1.0, 16.0, 1.0));
    /// Queue limit per server: requests that may wait behind the workers.
    queue: u32 = 100;
        "queue", Pool/Capacity, Allowed::Whole { min: 0, max: 1_000_000 }, None, "N",
        "Requests that may wait behind a server's busy workers", "An arrival that finds the queue full is rejected",
        Some(Ui::linear("Queue limit per server", 0.0, 200.0, 1.0));
    /// Arrival process.
    arrivals: Arrivals = Arrivals::Poisson;
        "arrivals", Workload/Arrivals, Allowed::OneOf, None, "KIND",
        "How requests arrive", "", None;
    /// Total arrivals per second. Its slider runs in powers of ten (a linear 0 to 2,000 gave
    /// three servers' useful 0 to 30 a few pixels), and a box takes any allowed value typed.
    rate: f64 = 20.0;
        "rate", Workload/Arrivals, Allowed::Number { min: 0.0, above: false, max: MAX_RATE }, PerSecond, "PER_SECOND",
        "Total arrivals per second, over all servers", "For bursty arrivals, the average over on and off periods",
        Some(Ui::log("Arrival rate (per second)", 1.0, 2000.0, 0.01).typed());
    /// bursty: seconds of each on period.
    burst_on: f64 = 1.0;
        "burst-on", Workload/Arrivals, Allowed::Number { min: 0.0, above: true, max: 86_400.0 }, Seconds, "SECONDS",
        "bursty: length of each on period", "", None;
    /// bursty: seconds of each off period.
    burst_off: f64 = 2.0;
        "burst-off", Workload/Arrivals, SECONDS_TO_DAY, Seconds, "SECONDS",
        "bursty: length of each off period", "", None;
    /// Mean request cost, in seconds of work at speed 1.
    cost: f64 = 0.1;
        "cost", Workload/Costs, Allowed::Number { min: 1e-6, above: false, max: 3600.0 }, Seconds, "SECONDS",
        "Mean work of a request, in seconds at speed 1",
        "With --workers W, a server completes up to W x speed / cost requests per second",
        Some(Ui::log("Mean request cost", 0.001, 2.0, 0.01).hint("Seconds of work at speed 1×."));
    /// Distribution of request cost.
    dist: CostDist = CostDist::Exp;
        "dist", Workload/Costs, Allowed::OneOf, None, "KIND",
        "Distribution of request cost",
        "uniform, lognormal and pareto take their spread from --cv", None;
    /// Coefficient of variation of request cost (uniform, lognormal, pareto).
    cv: f64 = 1.0;
        "cv", Workload/Costs, Allowed::Number { min: 0.0, above: false, max: 10.0 }, None, "X",
        "Coefficient of variation of the cost (std dev / mean)",
        "uniform: at most 0.577 (costs stay positive); lognormal and pareto: above 0; const and exp ignore it",
        Some(Ui::linear("Variability (coefficient of variation)", 0.05, 4.0, 0.01));
    /// Number of distinct request keys.
    keys: u64 = 1_000;
        "keys", Workload/Keys, Allowed::Whole { min: 1, max: MAX_KEYS }, None, "K",
        "Distinct request keys", "What caches store and the hashing algorithms route by",
        Some(Ui::log("Distinct keys", 1.0, 1e6, 0.05));
    /// Zipf exponent of key popularity; 0 is uniform.
    zipf: f64 = 0.0;
        "zipf", Workload/Keys, Allowed::Number { min: 0.0, above: false, max: 5.0 }, None, "S",
        "Zipf exponent of key popularity", "0: every key equally likely; around 1 is typical of web traffic",
        Some(Ui::linear("Key popularity (Zipf exponent)", 0.0, 2.0, 0.05)
            .hint("0: every key alike; 1 and above: a few keys get most requests."));
    /// Cache placement.
    cache: CacheMode = CacheMode::Off;
        "cache", Cache/Caches, Allowed::OneOf, None, "MODE",
        "Where a cache sits", "A hit is served without a server", None;
    /// Entries per cache.
    cache_size: u32 = 100;
        "cache-size", Cache/Caches, Allowed::Whole { min: 1, max: 10_000_000 }, None, "N",
        "Entries per cache", "The least recently used entry goes first",
        Some(Ui::linear("Capacity (entries per cache)", 1.0, 2000.0, 1.0));
    /// Seconds an entry stays fresh; 0 never expires.
    cache_ttl: f64 = 0.0;
        "cache-ttl", Cache/Caches, SECONDS_TO_DAY, Seconds, "SECONDS",
        "Seconds an entry stays fresh", "0 never expires",
        Some(Ui::linear("Time to live", 0.0, 60.0, 0.5).zero("never expires"));
    /// Seconds to serve a cache hit.
    hit_latency: f64 = 0.001;
        "hit-latency", Cache/Live, Allowed::Number { min: 0.0, above: false, max: 60.0 }, Seconds, "SECONDS",
        "Seconds to serve a cache hit", "", None;
    /// Seconds between health checks; 0 notices failures at once.
    health_interval: f64 = 1.0;
        "health-interval", Health/Live, SECONDS_TO_HOUR, Seconds, "SECONDS",
        "Seconds between health checks",
        "0 notices failures at once. Until a check notices, requests sent to a failed server fail",
        Some(Ui::linear("Health-check interval", 0.0, 30.0, 0.5).zero("at once")
            .hint("Until a check notices a failed server, requests sent to it fail."));
    /// Seconds a client waits for one attempt; then it is timed out. None: it waits forever.
    timeout: Option<f64> = None;
        "timeout", Health/Live, Allowed::Number { min: 0.0, above: true, max: 3600.0 }, Seconds, "SECONDS",
        "Seconds a client waits for one attempt",
        "Then that attempt is timed out (the server may still be working on it) and retried if a retry is \
         left. None by default: a client waits forever", None;
    /// Most further attempts after a timeout or a failure.
    retries: u32 = 0;
        "retries" [alias = "retry", deserialize_with = "super::codec::retries_or_switch"], Health/Live,
        Allowed::Whole { min: 0, max: MAX_RETRIES as u64 }, None, "N",
        "Most further attempts of a request after a timeout or a failure",
        "A retry goes to a server the request has not just tried. retry=true, the older name, means retries=1",
        None;
    /// How long a client waits before a retry.
    backoff: Backoff = Backoff::None;
        "backoff", Health/Live, Allowed::OneOf, None, "KIND",
        "How long a client waits before a retry", "", None;
    /// Seconds of the backoff's base wait.
    backoff_base: f64 = 0.025;
        "backoff-base", Health/Live, SECONDS_TO_HOUR, Seconds, "SECONDS",
        "Base wait of the backoff", "constant waits it; exponential waits min(cap, base x 2^n) before the n-th retry",
        None;
    /// Seconds the backoff waits at most.
    backoff_cap: f64 = 1.0;
        "backoff-cap", Health/Live, SECONDS_TO_HOUR, Seconds, "SECONDS",
        "Longest wait of the backoff", "", None;
    /// How the backoff's wait is spread.
    jitter: Jitter = Jitter::None;
        "jitter", Health/Live, Allowed::OneOf, None, "KIND",
        "How the backoff's wait is spread (AWS's backoff simulator's kinds)", "", None;
    /// Envoy's retry budget: concurrent retries at most this percent of the requests in flight.
    retry_budget: Option<f64> = None;
        "retry-budget", Health/Live, Allowed::Number { min: 0.0, above: false, max: 100.0 }, None, "PERCENT",
        "Envoy's retry budget: concurrent retries at most this percent of the requests in flight",
        "Never below --retry-min. A retry it refuses is not sent: the request ends with its last attempt's \
         error. 20 is Envoy's default. None by default", None;
    /// Envoy's `min_retry_concurrency`: the retries a budget always allows at once.
    retry_min: u32 = 3;
        "retry-min", Health/Live, Allowed::Whole { min: 0, max: 100_000 }, None, "N",
        "Retries --retry-budget always allows at once (Envoy's min_retry_concurrency)", "", None;
    /// Finagle's retry budget: a retry costs 100 / this many of the tokens each request deposits.
    retry_bucket: Option<f64> = None;
        "retry-bucket", Health/RetryBucket, Allowed::Number { min: 0.0, above: false, max: 100.0 }, None, "PERCENT",
        "Finagle's retry budget: retries at most this percent of requests, plus a reserve",
        "Each request deposits a token, a retry withdraws 100 / PERCENT; deposits expire after \
         --retry-bucket-ttl. With --retry-budget too, a retry needs both. None by default", None;
    /// Seconds a deposit in the retry bucket lasts.
    retry_bucket_ttl: u32 = 10;
        "retry-bucket-ttl", Health/RetryBucket, Allowed::Whole { min: 1, max: 60 }, Seconds, "SECONDS",
        "Seconds a request's deposit in --retry-bucket lasts", "1 to 60, as Finagle allows", None;
    /// Retries per second the retry bucket allows without deposits (its reserve).
    retry_bucket_min: u32 = 10;
        "retry-bucket-min", Health/RetryBucket, Allowed::Whole { min: 0, max: 100_000 }, PerSecond, "PER_SECOND",
        "Retries per second --retry-bucket allows without deposits (Finagle's minRetriesPerSec)", "", None;
    /// The order each server takes its queued attempts in.
    queue_order: QueueOrder = QueueOrder::Fifo;
        "queue-order", Health/Live, Allowed::OneOf, None, "ORDER",
        "The order each server takes its queue in",
        "lifo is adaptive (\"Fail at scale\", Facebook): newest first while the queue has stayed \
         non-empty for 100 ms or more, first in, first out otherwise", None;
    /// When a request still unanswered gets one more copy, on another server: seconds after its
    /// first attempt was sent, or the running p95 of response time. None: no hedging.
    hedge_after: Option<HedgeAfter> = None;
        "hedge-after", Health/Live,
        Allowed::NumberOr(&Allowed::Number { min: 0.0, above: true, max: 3600.0 }, super::hedge_after::P95), Seconds,
        "SECONDS|p95",
        "Send one more copy of a request still unanswered after this long to another server",
        "Seconds after its first attempt, or p95: the 95th percentile of the last 200 response times (no hedge \
         before 20 have come). At most one copy a request; the first answer wins, and the other copy is taken off \
         its server with --cancel, else finished as wasted work. None by default", None;
    /// Whether a timed-out or losing attempt is taken off its server.
    cancel: bool = false;
        "cancel", Health/Live, Allowed::Bool, None, "BOOL",
        "Take a timed-out or losing attempt off its server", "false lets the server finish it, as wasted work. \
         --cancel alone means true", None;
    /// Envoy's `max_pending_requests` on the pool: most attempts waiting in the servers'
    /// queues, over the pool. None: no limit.
    max_pending: Option<u32> = None;
        "max-pending", Health/Live, Allowed::Whole { min: 0, max: MAX_BREAKER as u64 }, None, "N",
        "Circuit breaker: most attempts waiting in the servers' queues, over the pool",
        "An attempt that would wait beyond it is refused at once, and not retried (Envoy's max_pending_requests). \
         None by default", None;
    /// Envoy's `max_requests` on the pool: most attempts the servers hold, in service and
    /// queued. None: no limit.
    max_requests: Option<u32> = None;
        "max-requests", Health/Live, Allowed::Whole { min: 0, max: MAX_BREAKER as u64 }, None, "N",
        "Circuit breaker: most attempts the servers hold, in service and queued, over the pool",
        "An attempt beyond it is refused at once, and not retried (Envoy's max_requests). None by default", None;
    /// Scheduled faults: which server goes down, slows or fails part of its attempts, when.
    faults: FaultSchedule = FaultSchedule::default();
        "faults", Health/Faults, Allowed::Faults, None, "SCHEDULE",
        "Scheduled faults, SERVER:KIND@START-END comma separated",
        "KIND down, slow=F (speed times F) or errors=P (a fraction P of the attempts fail after --error-latency), \
         START and END in simulated seconds, such as server1:down@5-10,server2:slow=0.2@10-30", None;
    /// Seconds an attempt failed by an `errors` fault takes to fail.
    error_latency: f64 = 0.001;
        "error-latency", Health/Live, Allowed::Number { min: 0.0, above: false, max: 60.0 }, Seconds, "SECONDS",
        "Seconds an attempt an errors fault fails takes to fail", "", None;
    /// Whether servers complete requests on their own.
    completions: Completions = Completions::Auto;
        "completions", Health/Completions, Allowed::OneOf, None, "MODE",
        "Whether requests complete on their own", "route always uses manual", None;
    /// Stop arrivals after this many requests (then let the servers drain).
    requests: Option<u64> = None;
        "requests", Run/NewRun, Allowed::Whole { min: 1, max: 1_000_000_000_000 }, None, "N",
        "Stop arrivals after N requests (route: requests to route)",
        "A run then lets the servers drain before it ends. None by default", None;
    /// Stop after this many seconds of simulated time.
    duration: Option<f64> = None;
        "duration", Run/NewRun, Allowed::Number { min: 0.0, above: true, max: 1e9 }, Seconds, "SECONDS",
        "Stop after this many seconds of simulated time",
        "None by default; with neither --requests nor --duration, a run lasts 60 simulated seconds", None;
    /// Seconds at the start left out of the statistics.
    warmup: f64 = 0.0;
        "warmup", Run/NewRun, Allowed::Number { min: 0.0, above: false, max: 1e9 }, Seconds, "SECONDS",
        "Simulated seconds at the start left out of the statistics", "", None;
    /// Seed of every random choice.
    seed: u64 = 1;
        "seed", Run/NewRun, Allowed::Whole { min: 0, max: u64::MAX }, None, "N",
        "Seed of every random choice",
        "The same scenario and seed give the same run, here and in the browser", None;
}
