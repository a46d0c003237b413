//! The scenario and the page's link as a frame draws them, copied and written only when they
//! change: at 64 servers and 2,000 requests a second a frame used to clone the scenario (a
//! name per server), write the link's query twice and hand every panel a new copy, for a
//! scenario that changes a few times a minute. Comparing with the last copy allocates nothing.

use std::rc::Rc;

use lbcore::Scenario;
use yew::prelude::*;

use crate::settings::Settings;
use crate::url;

/// What a frame draws of the scenario and the link.
#[derive(Clone, PartialEq)]
pub struct Drawn {
    /// The page's link as it stands (its query, without `?`).
    pub query: AttrValue,
    /// The scenario as it stands.
    pub scenario: Rc<Scenario>,
    /// The scenario alone as a query ([`crate::export::scenario_query`]: what the scenario
    /// file saves).
    pub scenario_query: AttrValue,
}

impl Drawn {
    fn of(scenario: &Scenario, settings: &Settings) -> Drawn {
        Drawn {
            query: url::to_query(scenario, settings).into(),
            scenario: Rc::new(scenario.clone()),
            scenario_query: crate::export::scenario_query(scenario).into(),
        }
    }
}

/// `scenario` and `settings` as drawn: the last copy while neither changed, a new one when
/// either did.
#[hook]
pub fn use_drawn(scenario: &Scenario, settings: &Settings) -> Drawn {
    let last = use_mut_ref(|| (settings.clone(), Drawn::of(scenario, settings)));
    let mut last = last.borrow_mut();
    if last.0 != *settings || *last.1.scenario != *scenario {
        *last = (settings.clone(), Drawn::of(scenario, settings));
    }
    last.1.clone()
}
