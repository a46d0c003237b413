//! Progress on stderr for long runs (`run`, `compare`, `sweep`): a bar when stderr is a
//! terminal; otherwise, so that a log shows a long job is alive, a line every
//! [`LINE_EVERY`] (none for a job that ends sooner): how much is done, for how long, and
//! about how long is left. Stdout never sees either.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Ticks per simulation on the bar.
const TICKS: u64 = 1_000;

/// How often a line is written when stderr is not a terminal.
pub const LINE_EVERY: Duration = Duration::from_secs(5);

/// What has been done, shared by the jobs, the bar and the line writer.
#[derive(Debug, Default)]
struct Done {
    /// Ticks over every simulation, [`TICKS`] for each one finished.
    ticks: AtomicU64,
    /// Simulations finished.
    runs: AtomicUsize,
}

/// Progress over `runs` simulations.
pub struct Progress {
    bar: ProgressBar,
    what: String,
    runs: usize,
    done: Arc<Done>,
    /// The line writer when stderr is not a terminal, and the way to stop it.
    lines: Option<(Sender<()>, JoinHandle<()>)>,
}

impl Progress {
    /// Progress for `runs` simulations, labelled `what` ("sweeping").
    pub fn new(runs: usize, what: &str) -> Progress {
        let runs = runs.max(1);
        let done = Arc::new(Done::default());
        if !std::io::stderr().is_terminal() {
            let (stop, stopped) = mpsc::channel();
            let (label, seen) = (what.to_string(), done.clone());
            let writer = std::thread::spawn(move || {
                let started = Instant::now();
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(LINE_EVERY) {
                    let line = line(&label, runs, &seen, started.elapsed());
                    // a closed stderr is no reason to stop the work
                    let _ = writeln!(std::io::stderr(), "lbsim: {line}");
                }
            });
            return Progress {
                bar: ProgressBar::hidden(),
                what: what.to_string(),
                runs,
                done,
                lines: Some((stop, writer)),
            };
        }
        let bar = ProgressBar::with_draw_target(Some(runs as u64 * TICKS), ProgressDrawTarget::stderr_with_hz(10));
        let style = ProgressStyle::with_template("{msg} [{bar:40}] {percent:>3}% {elapsed} (eta {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        let progress = Progress { bar, what: what.to_string(), runs, done, lines: None };
        progress.bar.set_message(progress.label(0));
        progress.bar.enable_steady_tick(Duration::from_millis(200));
        progress
    }

    /// The bar's label: what, and for several simulations how many are done.
    fn label(&self, finished: usize) -> String {
        if self.runs == 1 { self.what.clone() } else { format!("{} {finished}/{} runs", self.what, self.runs) }
    }

    /// A handle for one simulation's share.
    pub fn job(&self) -> Job<'_> {
        Job { progress: self, ticks: 0 }
    }

    /// Clears the bar, or stops the lines.
    pub fn finish(mut self) {
        self.bar.finish_and_clear();
        if let Some((stop, writer)) = self.lines.take() {
            let _ = stop.send(());
            let _ = writer.join();
        }
    }
}

/// The line written every [`LINE_EVERY`]: "sweeping: 12 of 30000 runs done, 0.1% of the
/// work, 1m 5s so far, about 18h 3m left".
fn line(what: &str, runs: usize, done: &Done, elapsed: Duration) -> String {
    let fraction = done.ticks.load(Ordering::Relaxed) as f64 / (runs as u64 * TICKS) as f64;
    let finished = done.runs.load(Ordering::Relaxed);
    let left = if fraction > 0.0 {
        format!("about {} left", duration(elapsed.as_secs_f64() * (1.0 - fraction) / fraction))
    } else {
        "time left not known yet".to_string()
    };
    let share = format!("{}% of the work", lbcore::words::number(fraction * 100.0, 2));
    let runs = if runs == 1 { String::new() } else { format!("{finished} of {runs} runs done, ") };
    format!("{what}: {runs}{share}, {} so far, {left}", duration(elapsed.as_secs_f64()))
}

/// Seconds as hours, minutes and seconds: `2h 5m`, `3m 20s`, `45s`.
fn duration(seconds: f64) -> String {
    let s = seconds.round() as u64;
    match (s / 3600, s / 60 % 60, s % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, s) => format!("{m}m {s}s"),
        (h, m, _) => format!("{h}h {m}m"),
    }
}

/// One simulation's share of a [`Progress`].
pub struct Job<'a> {
    progress: &'a Progress,
    ticks: u64,
}

impl Job<'_> {
    /// The simulation is `fraction` (0 to 1) done.
    pub fn update(&mut self, fraction: f64) {
        let ticks = (fraction.clamp(0.0, 1.0) * TICKS as f64) as u64;
        if ticks <= self.ticks {
            return;
        }
        let p = self.progress;
        p.done.ticks.fetch_add(ticks - self.ticks, Ordering::Relaxed);
        p.bar.inc(ticks - self.ticks);
        if ticks == TICKS {
            let finished = p.done.runs.fetch_add(1, Ordering::Relaxed) + 1;
            if p.runs > 1 {
                p.bar.set_message(p.label(finished));
            }
        }
        self.ticks = ticks;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_says_what_is_done_and_about_how_long_is_left() {
        let done = Done::default();
        done.ticks.store(3 * TICKS / 2, Ordering::Relaxed);
        done.runs.store(1, Ordering::Relaxed);
        // 1.5 of 6 runs' work in 30 s: a quarter, so about 90 s more
        assert_eq!(
            line("sweeping", 6, &done, Duration::from_secs(30)),
            "sweeping: 1 of 6 runs done, 25% of the work, 30s so far, about 1m 30s left"
        );
        let nothing = Done::default();
        assert_eq!(
            line("simulating", 1, &nothing, Duration::from_secs(7200)),
            "simulating: 0% of the work, 2h 0m so far, time left not known yet"
        );
    }
}
