//! The lab's tools that a guided lesson does not offer ([`lbcore::controls::Control::LAB_TOOLS`]):
//! the files (presets, downloads, upload), Share and the Experiments view, and the reading the
//! full page gives under the chart (the algorithm's card and the hashing view), which a lesson,
//! laid out to fit its window, does not show. The lab's build
//! carries [`view`] ([`crate::app::Build::LAB`]); the lesson build ([`crate::app::Build::LESSON`]) has none, so it
//! links none of their code and keeps its first load for the lesson itself.

use yew::prelude::*;

use crate::app::Drawn;
use crate::components::experiments_slot::experiments_slot;
use crate::components::hashing_slot::{self, hashing_query};
use crate::components::pure::pure;
use crate::components::{AlgorithmCard, ExperimentsSlot, FilesPanel, Share};
use crate::export;
use crate::settings::Control;
use crate::state::{Action, AppState};

/// Where in the page a tool is drawn.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// At the end of the controls panel: the files and Share.
    Controls,
    /// Under the lab, across its width: the Experiments view.
    End,
    /// Under the chart of the full page: the algorithm's card, and the hashing view for an
    /// algorithm that hashes a key.
    Chart,
}

/// The tools this slot holds that the page's settings show.
pub fn view(state: &UseReducerHandle<AppState>, on: &Callback<Action>, slot: Slot, drawn: &Drawn) -> Html {
    let settings = &state.settings;
    let query = drawn.query.clone();
    match slot {
        Slot::Controls => {
            let on_csv = {
                let state = state.clone();
                Callback::from(move |()| {
                    let all: Vec<_> = state.race.borrow().engines().iter().map(lbcore::Engine::summary).collect();
                    export::download("lbviz-metrics.csv", "text/csv", &export::metrics_csv(&all));
                })
            };
            html! {
                <>
                    if settings.shows(Control::Files) {
                        <FilesPanel scenario={drawn.scenario_query.clone()} query={query.clone()}
                            file_problem={state.file_problem.clone()} {on_csv} on={on.clone()} />
                    }
                    if settings.shows(Control::Share) {
                        { pure(Share { query }) }
                    }
                </>
            }
        }
        Slot::End if settings.shows(Control::Experiments) => experiments_slot(&ExperimentsSlot { query }),
        Slot::End => Html::default(),
        Slot::Chart => {
            let scenario = &drawn.scenario;
            let last = state.engine().decisions().back().map(|d| d.decision.clone());
            let hashing = scenario.algo.uses_key().then(|| {
                let query = hashing_query(scenario.algo, &scenario.params(), scenario.servers, state.pool_change);
                hashing_slot::slot(query)
            });
            html! {
                <>
                    <AlgorithmCard algo={scenario.algo} {last} />
                    { for hashing }
                </>
            }
        }
    }
}
