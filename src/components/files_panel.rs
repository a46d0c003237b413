//! Presets and files: a select of ready-made experiments (each a URL query with a short
//! explanation, see [`crate::presets`]), download the scenario as JSON (the file
//! `lbsim --scenario` reads) or the metrics as CSV, and upload a scenario file; a file that is
//! not a valid scenario gives a notice that says why. The JSON is read and written by the
//! on-demand bundle ([`crate::on_demand`]), which few readers need.

use std::rc::Rc;

use lbcore::Scenario;
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

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

/// Reads the chosen file and sends it on as a scenario or as a problem. The file is read, and
/// its JSON parsed, by the on-demand bundle (`read_scenario_file`), loaded the first time a
/// file is chosen: the first load carries none of it.
fn read_file(input: HtmlInputElement, on: Callback<Action>) {
    if input.value().is_empty() {
        return;
    }
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

/// Saves the scenario as the JSON file `lbsim --scenario` reads, written by the on-demand
/// bundle (loaded the first time).
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

/// Presets, downloads and upload.
#[function_component]
pub fn FilesPanel(props: &FilesPanelProps) -> Html {
    let canonical = use_memo((), |_| PRESETS.iter().map(canonical).collect::<Vec<String>>());
    let current = PRESETS.iter().zip(canonical.iter()).find(|(_, q)| **q == props.query.as_str()).map(|(p, _)| p);
    let on_preset = {
        let on = props.on.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Some(p) = find(&select.value()) {
                on.emit(Action::LoadQuery(p.query.into(), p.explanation.into()));
            }
        })
    };
    let on_json = {
        let (scenario, on) = (props.scenario.clone(), props.on.clone());
        Callback::from(move |_: MouseEvent| save_json(&scenario, on.clone()))
    };
    let on_csv = {
        let on_csv = props.on_csv.clone();
        Callback::from(move |_: MouseEvent| on_csv.emit(()))
    };
    let on_upload = {
        let on = props.on.clone();
        Callback::from(move |e: Event| read_file(e.target_unchecked_into(), on.clone()))
    };
    html! {
        <section class="files-panel" data-testid="files-panel" aria-labelledby="files-title">
            <h3 id="files-title">{ "Presets and files" }</h3>
            <div class="field">
                <label for="preset">{ "Preset" }</label>
                <select id="preset" data-testid="preset" onchange={on_preset} aria-describedby="preset-explanation">
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
                <button type="button" data-testid="download-scenario" onclick={on_json}>{ "Download scenario (JSON)" }</button>
                <button type="button" data-testid="download-csv" onclick={on_csv}>{ "Download metrics (CSV)" }</button>
            </div>
            <div class="field">
                <label for="upload">{ "Upload a scenario (JSON, as lbsim --scenario reads)" }</label>
                <input type="file" id={UPLOAD_ID} data-testid="upload-scenario" accept=".json,application/json"
                       onchange={on_upload} />
            </div>
            if let Some(why) = &props.file_problem {
                <p class="notice warning" data-testid="file-warning" role="alert">{ why.to_string() }</p>
            }
        </section>
    }
}
