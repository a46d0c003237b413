//! The bar chart's vertical scale: a round axis maximum (1, 2 or 5 times a power of ten) that
//! grows at once when a bar would pass it and shrinks only when the tallest bar has fallen well
//! below it, so that the scale does not flicker as connections come and go.

/// The smallest axis maximum.
pub const MIN_AXIS: u32 = 5;

/// The scale shrinks only when the tallest bar is below this fraction of the axis.
const SHRINK_BELOW: f64 = 0.35;

/// Headroom kept above the tallest bar when the axis changes.
const HEADROOM: f64 = 1.2;

/// The smallest of 1, 2, 5, 10, 20, 50, ... that is at least `x` (and at least [`MIN_AXIS`]).
pub fn nice_ceiling(x: f64) -> u32 {
    let mut step: u64 = 1;
    loop {
        for m in [1, 2, 5] {
            let v = step * m;
            if v as f64 >= x && v >= MIN_AXIS as u64 {
                return v.min(u32::MAX as u64) as u32;
            }
        }
        if step >= u32::MAX as u64 / 10 {
            return u32::MAX;
        }
        step *= 10;
    }
}

/// The axis maximum after `current` once the tallest bar holds `peak` connections.
pub fn next_axis_max(current: u32, peak: u32) -> u32 {
    let peak = peak as f64;
    if peak > current as f64 || (peak < current as f64 * SHRINK_BELOW && current > MIN_AXIS) {
        nice_ceiling(peak * HEADROOM)
    } else {
        current.max(MIN_AXIS)
    }
}

/// The axis ticks from 0 to `max`: 4 or 5 even steps of a round size.
pub fn ticks(max: u32) -> Vec<u32> {
    let max = max.max(1);
    let leading = max / 10u32.pow(max.ilog10());
    let steps = if leading == 2 { 4 } else { 5 };
    let step = (max / steps).max(1);
    (0..=max / step).map(|k| k * step).collect()
}

/// A tick's label in at most four characters, so that it fits the axis beside the bars
/// (2.25rem, `static/style.css`) on a phone: `750`, `1k`, `2.5k`, `20k`, `1M`. A five-digit
/// label lost its first digit there ("0000" for 10000). Every tick of [`ticks`] is a whole
/// number of hundreds from 1000 up, so nothing is rounded.
pub fn tick_label(t: u32) -> String {
    let (unit, mark) = if t < 1_000_000 { (1000, 'k') } else { (1_000_000, 'M') };
    let (whole, tenth) = (t / unit, t % unit / (unit / 10));
    if t < 1000 || !t.is_multiple_of(unit / 10) || (tenth > 0 && whole > 9) {
        return t.to_string();
    }
    let mut out = whole.to_string();
    if tenth > 0 {
        out.push('.');
        out.push(char::from(b'0' + tenth as u8));
    }
    out.push(mark);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ceilings() {
        assert_eq!(nice_ceiling(0.0), 5);
        assert_eq!(nice_ceiling(5.1), 10);
        assert_eq!(nice_ceiling(11.0), 20);
        assert_eq!(nice_ceiling(20.0), 20);
        assert_eq!(nice_ceiling(21.0), 50);
        assert_eq!(nice_ceiling(120.0), 200);
        assert_eq!(nice_ceiling(1e12), u32::MAX);
    }

    #[test]
    fn grows_at_once_and_shrinks_with_hysteresis() {
        assert_eq!(next_axis_max(5, 4), 5);
        assert_eq!(next_axis_max(5, 6), 10);
        assert_eq!(next_axis_max(10, 9), 10);
        assert_eq!(next_axis_max(50, 20), 50, "40% of the axis: keep it");
        assert_eq!(next_axis_max(50, 10), 20, "20%: shrink");
        assert_eq!(next_axis_max(10, 0), 5);
        assert_eq!(next_axis_max(0, 0), 5);
    }

    #[test]
    fn tick_labels_fit_four_characters() {
        let labels = |max| ticks(max).into_iter().map(tick_label).collect::<Vec<_>>();
        assert_eq!(labels(500), ["0", "100", "200", "300", "400", "500"]);
        assert_eq!(labels(2000), ["0", "500", "1k", "1.5k", "2k"]);
        assert_eq!(labels(10000), ["0", "2k", "4k", "6k", "8k", "10k"]);
        assert_eq!(labels(20000), ["0", "5k", "10k", "15k", "20k"]);
        assert_eq!(labels(5_000_000), ["0", "1M", "2M", "3M", "4M", "5M"]);
        assert_eq!(labels(2_000_000), ["0", "500k", "1M", "1.5M", "2M"]);
        // every axis the scale can draw, up to u32's: no label longer than four characters
        let mut max = MIN_AXIS;
        while max < u32::MAX / 10 {
            for label in labels(max) {
                assert!(label.len() <= 4, "{label} of the axis to {max}");
            }
            max = nice_ceiling(max as f64 + 1.0);
        }
        assert_eq!(tick_label(12345), "12345", "not a tick: written whole");
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(ticks(5), [0, 1, 2, 3, 4, 5]);
        assert_eq!(ticks(10), [0, 2, 4, 6, 8, 10]);
        assert_eq!(ticks(20), [0, 5, 10, 15, 20]);
        assert_eq!(ticks(50), [0, 10, 20, 30, 40, 50]);
        assert_eq!(ticks(200), [0, 50, 100, 150, 200]);
    }
}
