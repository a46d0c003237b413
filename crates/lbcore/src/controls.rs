//! The page's controls by name: what a link's `controls=` shows and what a lesson step's
//! `controls` names. Defined here, beside the lessons that name them, so that `lbsim lesson
//! check` and the page read a step's controls by one list; the page draws them
//! (`src/settings.rs` gives each its label).

use std::fmt;

use crate::scenario::{Group, setting};

/// A control that `controls=` can show or hide.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Control {
    /// Play/pause.
    Play,
    /// Step: fire one request and explain it.
    Step,
    /// Reset.
    Reset,
    /// Fire 1 and fire a burst of 10.
    Fire,
    /// Servers slider, add and remove server.
    Servers,
    /// Complete, drain, fail and heal on each server.
    ServerActions,
    /// Algorithm picker and parameters.
    Algo,
    /// Arrival rate.
    Rate,
    /// Mean request cost.
    Cost,
    /// Cost distribution and variability.
    Dist,
    /// Server speed spread.
    Spread,
    /// Workers per server.
    Workers,
    /// Queue limit.
    Queue,
    /// Simulation speed.
    Speed,
    /// Automatic or manual.
    Mode,
    /// Share button.
    Share,
    /// The caches panel.
    Cache,
    /// The failures panel.
    Failures,
    /// Presets, downloads and upload.
    Files,
    /// The Experiments view (load sweeps).
    Experiments,
}

impl Control {
    /// Every control, in the order the documentation lists them.
    pub const ALL: [Control; 20] = [
        Control::Play,
        Control::Step,
        Control::Reset,
        Control::Fire,
        Control::Servers,
        Control::ServerActions,
        Control::Algo,
        Control::Rate,
        Control::Cost,
        Control::Dist,
        Control::Spread,
        Control::Workers,
        Control::Queue,
        Control::Speed,
        Control::Mode,
        Control::Share,
        Control::Cache,
        Control::Failures,
        Control::Files,
        Control::Experiments,
    ];

    /// The lab's tools that a lesson does not offer: Share, the files (presets, downloads,
    /// upload) and the Experiments view. A lesson is a path through the lab, not a workbench;
    /// the lesson build carries none of their code, and a step may not name them.
    pub const LAB_TOOLS: [Control; 3] = [Control::Share, Control::Files, Control::Experiments];

    /// Whether this is one of the [`Control::LAB_TOOLS`].
    pub fn is_lab_tool(self) -> bool {
        Control::LAB_TOOLS.contains(&self)
    }

    /// The names a lesson step's `controls` may use: every control but the lab's tools.
    pub fn lesson_ids() -> String {
        Control::ALL.into_iter().filter(|c| !c.is_lab_tool()).map(Control::id).collect::<Vec<_>>().join(", ")
    }

    /// The name used in `controls=` and in a lesson step's `controls`.
    pub fn id(self) -> &'static str {
        match self {
            Control::Play => "play",
            Control::Step => "step",
            Control::Reset => "reset",
            Control::Fire => "fire",
            Control::Servers => "servers",
            Control::ServerActions => "server-actions",
            Control::Algo => "algo",
            Control::Rate => "rate",
            Control::Cost => "cost",
            Control::Dist => "dist",
            Control::Spread => "spread",
            Control::Workers => "workers",
            Control::Queue => "queue",
            Control::Speed => "speed",
            Control::Mode => "mode",
            Control::Share => "share",
            Control::Cache => "cache",
            Control::Failures => "failures",
            Control::Files => "files",
            Control::Experiments => "experiments",
        }
    }

    /// The control with this name.
    pub fn from_id(id: &str) -> Option<Control> {
        Control::ALL.into_iter().find(|c| c.id() == id.trim())
    }

    /// The control through which the page changes the setting `name`, if any: the algorithm
    /// picker for the algorithm and its parameters, a slider for the workload's and servers'
    /// numbers, a server's panel for its name, weight and speed, the caches and failures
    /// panels for theirs. `None` for what only a link sets (the seed, the run's length).
    pub fn of_setting(name: &str) -> Option<Control> {
        let name = crate::scenario::renamed(name, "").map_or(name, |(renamed, _)| renamed);
        let group = setting(name)?.group;
        Some(match (group, name) {
            (Group::Algorithm, _) => Control::Algo,
            (_, "servers") => Control::Servers,
            (_, "names" | "weights" | "speeds") => Control::ServerActions,
            (_, "workers") => Control::Workers,
            (_, "queue") => Control::Queue,
            (_, "rate" | "arrivals" | "burst-on" | "burst-off") => Control::Rate,
            (_, "cost") => Control::Cost,
            (_, "dist" | "cv") => Control::Dist,
            (Group::Cache, _) | (_, "keys" | "zipf") => Control::Cache,
            (_, "health-interval" | "retries" | "cancel") => Control::Failures,
            _ => return None,
        })
    }

    /// The names of every control, comma-separated: what a message says is allowed.
    pub fn all_ids() -> String {
        Control::ALL.map(Control::id).join(", ")
    }
}

/// A set of controls, listed in the page's order ([`Control::ALL`]): one bit each, so that
/// a step's controls cost a word, not a tree or a sort.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub struct ControlSet(u32);

impl ControlSet {
    /// The set of these controls.
    pub fn of(controls: &[Control]) -> ControlSet {
        controls.iter().fold(ControlSet::default(), |set, &c| set.with(c))
    }

    /// This set and `c`.
    pub fn with(self, c: Control) -> ControlSet {
        ControlSet(self.0 | 1 << c as u32)
    }

    /// This set and every control of `other`.
    pub fn union(self, other: ControlSet) -> ControlSet {
        ControlSet(self.0 | other.0)
    }

    /// Whether `c` is in it.
    pub fn contains(self, c: Control) -> bool {
        self.0 & 1 << c as u32 != 0
    }

    /// Its controls, in the page's order.
    pub fn iter(self) -> impl Iterator<Item = Control> {
        Control::ALL.into_iter().filter(move |&c| self.contains(c))
    }
}

impl fmt::Debug for ControlSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl serde::Serialize for ControlSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter().map(Control::id))
    }
}

impl fmt::Display for Control {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Setting;

    #[test]
    fn each_name_reads_back_as_its_control() {
        for c in Control::ALL {
            assert_eq!(Control::from_id(c.id()), Some(c));
        }
        assert_eq!(Control::from_id("bogus"), None);
    }

    #[test]
    fn a_set_lists_its_controls_in_the_page_order_once_each() {
        let set = ControlSet::of(&[Control::Experiments, Control::Fire, Control::Play, Control::Fire]);
        assert_eq!(set.iter().collect::<Vec<_>>(), [Control::Play, Control::Fire, Control::Experiments]);
        assert!(set.contains(Control::Fire) && !set.contains(Control::Algo));
        assert_eq!(ControlSet::of(&Control::ALL).iter().count(), 20, "every control has a bit of its own");
    }

    #[test]
    fn every_setting_a_learner_can_change_has_its_control() {
        // what a link alone sets: how the run ends and its seed, and manual completions
        // (the page's Mode switch sets them, with arrivals)
        let link_only = ["requests", "duration", "warmup", "seed", "completions"];
        // the client's side of resilience, until the Resilience panel: a link or lbsim sets them
        let budgets =
            ["retry-budget", "retry-min", "retry-bucket", "retry-bucket-ttl", "retry-bucket-min", "queue-order"];
        let faults = ["max-pending", "max-requests", "faults", "error-latency"];
        let link_only = [
            &link_only[..],
            &["timeout", "backoff", "backoff-base", "backoff-cap", "jitter", "hedge-after", "cancel"],
            &budgets,
            &faults,
        ]
        .concat();
        for s in crate::scenario::SETTINGS.iter().map(|s: &Setting| s.name) {
            let control = Control::of_setting(s);
            if link_only.contains(&s) {
                continue;
            }
            assert!(control.is_some(), "{s} has no control");
        }
        assert_eq!(Control::of_setting("algo"), Some(Control::Algo));
        assert_eq!(Control::of_setting("vnodes"), Some(Control::Algo));
        assert_eq!(Control::of_setting("retry"), Some(Control::Failures));
        assert_eq!(Control::of_setting("cache-size"), Some(Control::Cache));
        assert_eq!(Control::of_setting("seed"), None);
    }
}
