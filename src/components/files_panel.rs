//! Presets and files: a select of ready-made experiments (each a URL query with a short
//! explanation, see [`crate::presets`]), download the scenario as JSON (the file
//! `lbsim --scenario` reads) or the metrics as CSV, and upload a scenario file; a file that is
//! not a valid scenario gives a notice that says why.
//!
//! Few readers open it, so the lab draws only its heading, a `<details>` closed at first; the
//! on-demand bundle ([`crate::on_demand`]) draws the rest ([`FilesView`]) into [`FilesPanel`]'s
//! slot the first time it is opened, as it reads and writes the JSON. The lab hears the
//! buttons (`data-answer`: `json`, `csv`) and the select and the file input (`data-setting`:
//! `preset`, `upload`), and asks the bundle for a preset's query ([`preset_text`]).

use std::rc::Rc;

use lbcore::Scenario;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use super::on_demand_slot::OnDemandSlot;
use crate::export;
use crate::on_demand::{self, Failure};
use crate::presets::{PRESETS, canonical, find};
use crate::state::Action;

/// The panel's inputs.
#[derive(Properties, PartialEq)]
pub struct FilesPanelProps {
    /// The scenario as it stands (what the JSON download saves).
    pub scenario: Rc<Scenario>,
    /// The URL query now: the preset it matches is shown as chosen.
    pub query: AttrValue,
    /// Why the last upload was refused, if it was.
    pub file_problem: Option<Rc<str>>,
    /// Saves the metrics as CSV (the app knows every engine).
    pub on_csv: Callback<()>,
    /// Where actions go.
    pub on: Callback<Action>,
}

/// The file input's id: the on-demand bundle reads the chosen file from it.
pub const UPLOAD_ID: &str = "upload";

/// The element the bundle draws the panel's content into.
pub const ROOT_ID: &str = "files-root";

/// What separates a preset's query from its explanation in [`preset_text`].
const SEP: char = '\u{1f}';

/// The preset with this id as the lab applies it: its query, then its explanation, separated
/// by a control character; empty for an id that names none (the bundle's `preset_of`).
pub fn preset_text(id: &str) -> String {
    find(id).map(|p| format!("{}{SEP}{}", p.query, p.explanation)).unwrap_or_default()
}

/// Reads the chosen file and sends it on as a scenario or as a problem. The file is read, and
/// its JSON parsed, by the on-demand bundle (`read_scenario_file`).
fn read_file(on: Callback<Action>) {
    wasm_bindgen_futures::spawn_local(async move {
        let action = match on_demand::call("read_scenario_file", &[UPLOAD_ID]).await {
            Ok(read) => match JsFuture::from(js_sys::Promise::from(read)).await {
                Ok(query) => {
                    Action::LoadScenario(Box::new(export::scenario_of(&query.as_string().unwrap_or_default())))
                }
                Err(why) => Action::FileProblem(on_demand::describe(&why)),
            },
            Err(Failure::Refused(why)) => Action::FileProblem(why),
            Err(Failure::NotLoaded(why)) => Action::FileProblem(format!(
                "The file was not read: the file reader did not load ({why}). Reload the page to try again."
            )),
        };
        on.emit(action);
    });
}

/// Applies the preset `id`, whose query and explanation the bundle gives.
fn load_preset(id: String, on: Callback<Action>) {
    wasm_bindgen_futures::spawn_local(async move {
        let text = on_demand::call("preset_of", &[&id]).await.ok().and_then(|t| t.as_string());
        if let Some((query, about)) = text.as_deref().and_then(|t| t.split_once(SEP)) {
            on.emit(Action::LoadQuery(query.into(), about.into()));
        }
    });
}

/// Saves the scenario as the JSON file `lbsim --scenario` reads, written by the on-demand
/// bundle.
fn save_json(scenario: &Scenario, on: Callback<Action>) {
    let query = export::scenario_query(scenario);
    wasm_bindgen_futures::spawn_local(async move {
        match on_demand::call("scenario_json", &[&query]).await {
            Ok(json) => {
                export::download("lbviz-scenario.json", "application/json", &json.as_string().unwrap_or_default())
            }
            Err(Failure::NotLoaded(why) | Failure::Refused(why)) => on.emit(Action::FileProblem(format!(
                "The scenario was not saved: the file writer did not load ({why}). Reload the page to try again."
            ))),
        }
    });
}

/// The panel: its heading, and once opened, the slot the bundle draws its content into.
#[function_component]
pub fn FilesPanel(props: &FilesPanelProps) -> Html {
    let opened = use_state_eq(|| false);
    let ontoggle = {
        let opened = opened.clone();
        Callback::from(move |e: Event| opened.set(e.target_unchecked_into::<web_sys::HtmlDetailsElement>().open()))
    };
    // The slot keeps the first callbacks it is given: they read the scenario and the CSV
    // writer of the latest draw from here.
    let latest = use_mut_ref(|| (props.scenario.clone(), props.on_csv.clone()));
    *latest.borrow_mut() = (props.scenario.clone(), props.on_csv.clone());
    let on_answer = {
        let on = props.on.clone();
        Callback::from(move |answer: String| {
            let (scenario, on_csv) = latest.borrow().clone();
            match answer.as_str() {
                "json" => save_json(&scenario, on.clone()),
                "csv" => on_csv.emit(()),
                _ => {}
            }
        })
    };
    let on_setting = {
        let on = props.on.clone();
        Callback::from(move |(name, value): (String, String)| match name.as_str() {
            "preset" if !value.is_empty() => load_preset(value, on.clone()),
            "upload" if !value.is_empty() => read_file(on.clone()),
            _ => {}
        })
    };
    let problem = props.file_problem.as_deref().unwrap_or_default();
    html! {
        <section class="files-panel" data-testid="files-panel" aria-labelledby="files-title">
            <details class="more-settings" data-testid="files-open" {ontoggle}>
                <summary><h3 id="files-title">{ "Presets and files" }</h3></summary>
                if *opened {
                    <OnDemandSlot export="show_files" id={ROOT_ID} name="files-slot" loading="Loading the presets and files…"
                        what="Presets and files" texts={vec![props.query.clone(), AttrValue::from(problem.to_string())]}
                        {on_answer} {on_setting} />
                }
            </details>
        </section>
    }
}

/// The content's inputs (drawn by the on-demand bundle).
#[derive(Properties, PartialEq)]
pub struct FilesViewProps {
    /// The URL query now: the preset it matches is shown as chosen.
    pub query: AttrValue,
    /// Why the last upload was refused; empty if it was not.
    pub problem: AttrValue,
}

/// Presets, downloads and upload (drawn by the on-demand bundle).
#[function_component]
pub fn FilesView(props: &FilesViewProps) -> Html {
    let canonical = use_memo((), |_| PRESETS.iter().map(canonical).collect::<Vec<String>>());
    let current = PRESETS.iter().zip(canonical.iter()).find(|(_, q)| **q == props.query.as_str()).map(|(p, _)| p);
    html! {
        <>
            <div class="field">
                <label for="preset">{ "Preset" }</label>
                <select id="preset" data-testid="preset" data-setting="preset" aria-describedby="preset-explanation">
                    <option value="" selected={current.is_none()}>{ "Choose an experiment…" }</option>
                    { for PRESETS.iter().map(|p| html! {
                        <option value={p.id} selected={current.map(|c| c.id) == Some(p.id)}>{ p.title }</option>
                    }) }
                </select>
                <p class="hint" id="preset-explanation" data-testid="preset-explanation">
                    { current.map_or("Each preset sets up one lesson; you can change anything after.", |p| p.explanation) }
                </p>
            </div>
            <div class="button-row">
                <button type="button" data-testid="download-scenario" data-answer="json">{ "Download scenario (JSON)" }</button>
                <button type="button" data-testid="download-csv" data-answer="csv">{ "Download metrics (CSV)" }</button>
            </div>
            <div class="field">
                <label for="upload">{ "Upload a scenario (JSON, as lbsim --scenario reads)" }</label>
                <input type="file" id={UPLOAD_ID} data-testid="upload-scenario" data-setting="upload"
                       accept=".json,application/json" />
            </div>
            if !props.problem.is_empty() {
                <p class="notice warning" data-testid="file-warning" role="alert">{ props.problem.clone() }</p>
            }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_preset_crosses_as_its_query_and_explanation() {
        let p = &PRESETS[2];
        assert_eq!(preset_text(p.id).split_once(SEP), Some((p.query, p.explanation)));
        assert_eq!(preset_text("nope"), "");
        assert!(PRESETS.iter().all(|p| !p.query.contains(SEP) && !p.explanation.contains(SEP)));
    }
}
