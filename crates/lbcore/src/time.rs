//! Simulated time: integer nanoseconds, so that event order never depends on float rounding.

/// A point in simulated time or a duration, in nanoseconds.
pub type Nanos = u64;

/// Nanoseconds in one second.
pub const NANOS_PER_SEC: Nanos = 1_000_000_000;

/// Converts seconds to nanoseconds, rounding to the nearest and saturating at the ends.
pub fn from_secs(secs: f64) -> Nanos {
    if secs.is_nan() || secs <= 0.0 {
        0
    } else if secs >= (u64::MAX / NANOS_PER_SEC) as f64 {
        u64::MAX / 2
    } else {
        (secs * NANOS_PER_SEC as f64 + 0.5) as Nanos
    }
}

/// `duration` after `now`, saturating at the end of the clock rather than wrapping: a
/// heavy-tailed draw of a service time late in a run stays in the future (and past every
/// run's end, 1e9 s), never before `now`.
#[inline]
pub fn after(now: Nanos, duration: Nanos) -> Nanos {
    now.saturating_add(duration)
}

/// Converts nanoseconds to seconds.
pub fn to_secs(nanos: Nanos) -> f64 {
    nanos as f64 / NANOS_PER_SEC as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_saturates() {
        assert_eq!(from_secs(1.5), 1_500_000_000);
        assert_eq!(to_secs(250_000_000), 0.25);
        assert_eq!(from_secs(-3.0), 0);
        assert_eq!(from_secs(f64::NAN), 0);
        assert_eq!(from_secs(1e30), u64::MAX / 2);
        // the longest draw late in the longest run: past its end, not wrapped to the past
        let late = from_secs(1e9);
        assert!(after(late, from_secs(1e30)) > late);
        assert_eq!(after(u64::MAX - 1, from_secs(1e30)), u64::MAX);
    }
}
