//! What a scenario may ask of the machine, beyond each setting's own range: the bounds that
//! keep every accepted run finite in time and memory. The browser's page holds less than
//! `lbsim` does; both are stated here and in docs/limits.md.

use super::table::{BROWSER_MAX_SERVERS, MAX_RING_POINTS, MAX_SERVERS, MAX_TABLE_SIZE};

/// Bytes one request held in the engine takes, about (a queued request and its bookkeeping),
/// used to say what a limit on held requests means in memory.
pub const BYTES_PER_HELD_REQUEST: u64 = 40;

/// Seconds of simulated time a run may reach: the clock counts u64 nanoseconds, 584 years;
/// 1e9 seconds (31.7 years) leaves it a margin of 18 for the random spread of a run's length.
pub const MAX_SIM_SECONDS: f64 = 1e9;

/// Longest mean service time (cost over the slowest speed): 1e7 seconds, 116 days. A
/// heavy-tailed cost may draw far more than its mean, and still fits the clock.
pub const MAX_SERVICE_SECONDS: f64 = 1e7;

/// The bounds one front end puts on a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Where they hold, as a message says it: `""` or `" in the browser"`.
    pub place: &'static str,
    /// Most servers.
    pub servers: u32,
    /// Most requests the servers may hold at once: servers x (workers + queue), or the run's
    /// requests when fewer.
    pub held: u64,
    /// Largest Maglev table: the table is built again at every change of the pool, on the
    /// page's one thread, in time that grows with its size (64 servers, native release build,
    /// `cargo bench -p lbcore --bench maglev`: 655,373 slots in about 27 ms, 5,000,011 in
    /// about 1.4 to 1.8 s, 50 to 70 times as long, as the table no longer fits the caches).
    pub table_size: u32,
    /// Most points on a hash ring (consistent-hash and bounded-load: vnodes x the servers'
    /// total weight): the ring, too, is built again at every change of the pool, each point
    /// a name hashed, then sorted. In the browser's release build on a machine the page's
    /// timing yardstick rates 2.4 times slower than the reference, 640,000 points took about
    /// 1 s a change: 65,536 keep a change near 100 ms there, within the 200 ms a task may
    /// take (`tests/e2e/bounded.test.mjs` adds and removes a server at 64,000 points).
    pub ring_points: u64,
}

impl Limits {
    /// `lbsim`'s: 100,000 servers, 50 million requests held (about 2 GB), Maglev tables up to
    /// the settings table's 5,000,011 slots, rings of 10 million points.
    pub const CLI: Limits = Limits {
        place: "",
        servers: MAX_SERVERS,
        held: 50_000_000,
        table_size: MAX_TABLE_SIZE,
        ring_points: MAX_RING_POINTS,
    };
    /// The web app's: 64 servers, a million requests held (about 40 MB), Maglev tables up to
    /// 655,373 slots, rings of 65,536 points.
    pub const BROWSER: Limits = Limits {
        place: " in the browser",
        servers: BROWSER_MAX_SERVERS,
        held: 1_000_000,
        table_size: 655_373,
        ring_points: 65_536,
    };

    /// The held-request limit in megabytes, for messages.
    pub fn held_megabytes(&self) -> u64 {
        self.held * BYTES_PER_HELD_REQUEST / 1_000_000
    }
}
