//! The progress bar on stderr for long runs: drawn only when stderr is a terminal, so
//! that logs and pipes never see it.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Ticks per simulation on the bar.
const TICKS: u64 = 1_000;

/// A bar over `jobs` simulations, hidden when stderr is not a terminal.
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A bar for `jobs` simulations, labelled `what`.
    pub fn new(jobs: usize, what: &str) -> Progress {
        let total = jobs.max(1) as u64 * TICKS;
        if !std::io::stderr().is_terminal() {
            return Progress { bar: ProgressBar::hidden() };
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr_with_hz(10));
        let style = ProgressStyle::with_template("{msg} [{bar:40}] {percent:>3}% {elapsed} (eta {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(what.to_string());
        bar.enable_steady_tick(Duration::from_millis(200));
        Progress { bar }
    }

    /// A handle for one simulation's share of the bar.
    pub fn job(&self) -> Job {
        Job { bar: self.bar.clone(), ticks: 0 }
    }

    /// Clears the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// One simulation's share of a [`Progress`] bar.
pub struct Job {
    bar: ProgressBar,
    ticks: u64,
}

impl Job {
    /// The simulation is `fraction` (0 to 1) done.
    pub fn update(&mut self, fraction: f64) {
        let ticks = (fraction.clamp(0.0, 1.0) * TICKS as f64) as u64;
        if ticks > self.ticks {
            self.bar.inc(ticks - self.ticks);
            self.ticks = ticks;
        }
    }
}
