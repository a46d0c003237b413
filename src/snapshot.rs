//! What the components draw, read from the engine once per render: plain values that compare
//! cheaply, so that a component whose part did not change is not drawn again. Nothing here
//! computes what the engine already knows; it only copies it out.

use std::rc::Rc;

use lbcore::scenario::FaultKind;
use lbcore::time::to_secs;
use lbcore::{Engine, Health, Server};

/// One server as the chart and its buttons show it.
#[derive(Clone, Debug, PartialEq)]
pub struct ServerView {
    /// Its name.
    pub name: Rc<str>,
    /// Its weight.
    pub weight: u32,
    /// Its speed relative to 1.
    pub speed: f64,
    /// Up, draining or down.
    pub health: Health,
    /// Being removed: draining before it leaves.
    pub removing: bool,
    /// Requests on a worker.
    pub in_service: u32,
    /// Requests waiting in its queue.
    pub waiting: u32,
    /// Requests an `errors` fault failed, their error on its way back: connections on no
    /// worker and in no queue.
    pub erring: u32,
    /// Requests it serves at once.
    pub workers: u32,
    /// Requests that may wait.
    pub queue_limit: u32,
    /// When the health checks noticed it down, in seconds: `None` before they noticed, and
    /// again once a check has seen it up (a healed server keeps it until then).
    pub noticed_down: Option<f64>,
    /// A scheduled fault in progress: its speed's factor and the fraction of its attempts
    /// that fail (`None` when none slows it or fails attempts).
    pub fault: Option<(f64, f64)>,
}

impl ServerView {
    /// The view of `server`, with no fault in progress ([`servers`] adds the engine's).
    pub fn of(server: &Server) -> Self {
        ServerView {
            name: server.name.to_string().into(),
            weight: server.weight,
            speed: server.speed,
            health: server.health,
            removing: server.removing,
            in_service: server.in_service(),
            waiting: server.waiting(),
            erring: server.erring(),
            workers: server.workers,
            queue_limit: server.queue_limit,
            noticed_down: server.noticed_down.map(to_secs),
            fault: None,
        }
    }

    /// Connections: in service, waiting and erring.
    pub fn connections(&self) -> u32 {
        self.in_service + self.waiting + self.erring
    }

    /// Most connections it can hold before it rejects: workers plus queue limit.
    pub fn capacity(&self) -> u32 {
        self.workers.saturating_add(self.queue_limit)
    }

    /// Its state in words, or `None` when it is simply up.
    pub fn state_label(&self) -> Option<&'static str> {
        if self.removing {
            Some("removing")
        } else {
            match self.health {
                Health::Up => None,
                Health::Draining => Some("draining"),
                Health::Down => Some("down"),
            }
        }
    }

    /// Whether it is up while the health checks still see it down: healed after they noticed
    /// its failure, before the next check (the balancer sends it nothing until then).
    pub fn healed_unseen(&self) -> bool {
        self.health == Health::Up && self.noticed_down.is_some() && !self.removing
    }

    /// Its state as the words under its bar say it: a failure the health checks have not
    /// noticed yet (requests sent to it fail) reads otherwise than one they have, and a
    /// server healed since they noticed reads as such until a check sees it up (the balancer
    /// sends it nothing until then).
    pub fn state_words(&self) -> Option<String> {
        match (self.health, self.noticed_down) {
            (Health::Down, None) if !self.removing => Some("failed, not yet noticed".to_string()),
            _ if self.healed_unseen() => Some("healed, not yet noticed".to_string()),
            (Health::Down, Some(t)) if !self.removing => {
                Some(format!("down, noticed at {} s", crate::format::Fixed(t, 1)))
            }
            _ => match (self.state_label(), self.fault) {
                (None, Some((slow, errors))) => Some(fault_words(slow, errors)),
                (label, _) => label.map(str::to_string),
            },
        }
    }
}

/// A fault in progress in words: `slowed to x0.2`, `50% errors`, or both.
fn fault_words(slow: f64, errors: f64) -> String {
    let slowed = (slow != 1.0).then(|| format!("slowed to {}", crate::format::factor(slow)));
    let erring = (errors > 0.0).then(|| format!("{}% errors", crate::format::Fixed(errors * 100.0, 0)));
    slowed.into_iter().chain(erring).collect::<Vec<_>>().join(", ")
}

/// Every server in server order, with the scheduled faults in progress.
pub fn servers(engine: &Engine) -> Rc<Vec<ServerView>> {
    let view = |(i, s)| ServerView { fault: engine.fault_on(i), ..ServerView::of(s) };
    Rc::new(engine.servers().iter().enumerate().map(view).collect())
}

/// One line of the connections chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// The server's name.
    pub name: Rc<str>,
    /// `(seconds before now, connections)`, oldest first.
    pub points: Vec<(f64, f64)>,
}

/// The time series for the last seconds of simulated time.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Recent {
    /// How many seconds the chart spans.
    pub span_s: f64,
    /// Connections per current server.
    pub lines: Vec<Line>,
    /// `(seconds before now, p95 seconds)` at each sample: the p95 of the latest
    /// [`lbcore::metrics::P95_OF_LAST`] responses then.
    pub p95: Vec<(f64, f64)>,
    /// How many responses the newest p95 is of: fewer than `P95_OF_LAST` only at the start.
    pub p95_of: u32,
    /// `(seconds before now, answers per second)` between each sample and the one before:
    /// every answer sent (throughput).
    pub throughput: Vec<(f64, f64)>,
    /// The same, of the answers a client still waited for (goodput).
    pub goodput: Vec<(f64, f64)>,
    /// The scheduled faults in view: `(seconds before now it started, seconds before now it
    /// ended, 0 if it has not, and what it is in words)`, those that started by now and ended
    /// within the span.
    pub faults: Vec<(f64, f64, String)>,
}

/// The engine's time series, as seconds before the newest sample: the same value until the
/// next sample is taken, so the charts are drawn again four times a simulated second, not on
/// every frame (the frame-time budget of tests/e2e/budget_frame.test.mjs).
pub fn recent(engine: &Engine, span_s: f64) -> Rc<Recent> {
    let Some(series) = engine.series() else { return Rc::new(Recent { span_s, ..Recent::default() }) };
    let newest = series.samples().iter().map(|s| s.at).max().unwrap_or(0);
    let age = |at: u64| to_secs(newest.saturating_sub(at));
    let lines = engine
        .servers()
        .iter()
        .enumerate()
        .map(|(i, s)| Line {
            name: s.name.to_string().into(),
            points: series
                .samples()
                .iter()
                .filter_map(|sample| {
                    // Samples list servers in server order: look there first.
                    let (_, c) = sample
                        .connections
                        .get(i)
                        .filter(|(id, _)| *id == s.id)
                        .or_else(|| sample.connections.iter().find(|(id, _)| *id == s.id))?;
                    Some((age(sample.at), *c as f64))
                })
                .collect(),
        })
        .collect();
    let p95 = series.samples().iter().filter_map(|s| Some((age(s.at), s.p95_s?))).collect();
    let p95_of = series.samples().back().map_or(0, |s| s.p95_of);
    let per_second = |count: fn(&lbcore::metrics::Sample) -> u64| -> Vec<(f64, f64)> {
        let samples = series.samples();
        let pairs = samples.iter().zip(samples.iter().skip(1));
        pairs.map(|(a, b)| (age(b.at), count(b).saturating_sub(count(a)) as f64 / to_secs(b.at - a.at))).collect()
    };
    let (throughput, goodput) = (per_second(|s| s.served), per_second(|s| s.answered));
    let now = to_secs(newest);
    let faults = engine
        .scenario()
        .faults
        .0
        .iter()
        .filter(|f| f.start <= now && now - f.end < span_s)
        .map(|f| {
            let what = match f.kind {
                FaultKind::Down => "down".to_string(),
                FaultKind::Slow(x) => fault_words(x, 0.0),
                FaultKind::Errors(p) => fault_words(1.0, p),
            };
            let when = format!("{} s to {} s", lbcore::decimal::shortest(f.start), lbcore::decimal::shortest(f.end));
            (now - f.start, (now - f.end).max(0.0), format!("{} {what}, {when}", f.server))
        })
        .collect();
    Rc::new(Recent { span_s, lines, p95, p95_of, throughput, goodput, faults })
}

/// The decision log, newest first: `(seconds, sentence)`, the engine's notices (health checks,
/// timeouts, backoffs) among the decisions (both logs are in time order, so a merge keeps it).
pub fn decisions(engine: &Engine) -> Rc<Vec<(f64, String)>> {
    let mut decisions = engine.decisions().iter().rev().peekable();
    let mut notices = engine.notices().iter().rev().peekable();
    let mut all = Vec::with_capacity(engine.decisions().len());
    while all.len() < engine.decisions().len().max(1) {
        let notice_first = match (decisions.peek(), notices.peek()) {
            (Some(d), Some(n)) => n.at > d.at,
            (None, Some(_)) => true,
            (_, None) => false,
        };
        let entry = if notice_first {
            let Some(n) = notices.next() else { break };
            (n.at, n.to_string())
        } else {
            let Some(d) = decisions.next() else { break };
            (d.at, d.decision.to_string())
        };
        all.push((to_secs(entry.0), entry.1));
    }
    Rc::new(all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lbcore::Scenario;
    use lbcore::time::from_secs;

    #[test]
    fn a_scheduled_fault_shows_under_its_bar_while_it_lasts() {
        let mut s = Scenario { servers: 3, ..Scenario::default() };
        s.set("faults", "server2:slow=0.2@1-3,server3:errors=0.5@2-3,server3:slow=0.5@2-4").expect("a schedule");
        let mut e = Engine::new(s).expect("valid");
        let words = |e: &Engine| servers(e).iter().map(|v| v.state_words()).collect::<Vec<_>>();
        assert_eq!(words(&e), [None, None, None]);
        e.run_until(from_secs(2.5));
        assert_eq!(words(&e), [None, Some("slowed to 0.2×".into()), Some("slowed to 0.5×, 50% errors".into())]);
        e.run_until(from_secs(5.0));
        assert_eq!(words(&e), [None, None, None], "over at its end");
    }

    #[test]
    fn the_history_shows_a_scheduled_fault_from_its_start_to_its_end() {
        let mut s = Scenario { servers: 3, ..Scenario::default() };
        s.set("faults", "server1:down@5-10,server2:errors=0.5@40-50").expect("a schedule");
        let mut e = Engine::new(s).expect("valid");
        e.enable_series(from_secs(0.25), 240);
        e.run_until(from_secs(20.0));
        let r = recent(&e, 60.0);
        // at 20 s: the first began 15 s and ended 10 s before; the second is to come
        assert_eq!(r.faults, [(15.0, 10.0, "server1 down, 5 s to 10 s".to_string())]);
        e.run_until(from_secs(45.0));
        let r = recent(&e, 30.0);
        // 30 s in view: the first ended 35 s before, out of view; the second goes on now
        assert_eq!(r.faults, [(5.0, 0.0, "server2 50% errors, 40 s to 50 s".to_string())]);
    }
}
