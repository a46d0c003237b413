//! Presets and files: a select of ready-made experiments (each a URL query with a short
//! explanation, see [`crate::presets`]), download the scenario as JSON (the file
//! `lbsim --scenario` reads) or the metrics as CSV, and upload a scenario file; a file that is
//! not a valid scenario gives a notice that says why.
//!
//! Few readers open it, so the lab draws only its heading, a `<details>` closed at first; the
//! small views' bundle ([`crate::on_demand`]) draws the rest ([`FilesView`]) into
//! [`FilesPanel`]'s slot the first time it is opened, and does the work: it applies a preset,
//! reads an upload and saves the JSON itself, and hands the lab what changes the lab as one
//! [`answer`]: a query to load with its explanation, or why a file was refused. The metrics'
//! CSV alone is the lab's to write, which holds every engine (`data-answer="csv"`).

use std::rc::Rc;

use yew::prelude::*;

use super::on_demand_slot::OnDemandSlot;
use crate::state::Action;

/// The panel's inputs.
#[derive(Properties, PartialEq)]
pub struct FilesPanelProps {
    /// The URL query now: the preset it matches is shown as chosen.
    pub query: AttrValue,
    /// The scenario alone as a query ([`crate::export::scenario_query`]): what the JSON
    /// download saves.
    pub scenario: AttrValue,
    /// Why the last upload was refused, if it was.
    pub file_problem: Option<Rc<str>>,
    /// Saves the metrics as CSV (the app knows every engine).
    pub on_csv: Callback<()>,
    /// Where actions go.
    pub on: Callback<Action>,
}

/// The element the bundle draws the panel's content into.
pub const ROOT_ID: &str = "files-root";

/// What separates the parts of an [`answer`].
const SEP: char = '\u{1f}';

/// An answer of the panel's content to the lab: `load` a query with the explanation the lab
/// shows, or a `problem` with a file. (The bundle writes it, the lab reads it: [`action_of`].)
pub fn answer(kind: &str, parts: &[&str]) -> String {
    std::iter::once(kind).chain(parts.iter().copied()).collect::<Vec<_>>().join(&SEP.to_string())
}

/// The action an [`answer`] asks of the lab, if it is one.
fn action_of(answer: &str) -> Option<Action> {
    let mut parts = answer.split(SEP);
    match (parts.next()?, parts.next(), parts.next()) {
        ("load", Some(query), Some(about)) => Some(Action::LoadQuery(query.into(), about.into())),
        ("problem", Some(why), None) => Some(Action::FileProblem(why.to_string())),
        _ => None,
    }
}

/// The panel: its heading, and once opened, the slot the bundle draws its content into.
#[function_component]
pub fn FilesPanel(props: &FilesPanelProps) -> Html {
    let opened = use_state_eq(|| false);
    let ontoggle = {
        let opened = opened.clone();
        Callback::from(move |e: Event| opened.set(e.target_unchecked_into::<web_sys::HtmlDetailsElement>().open()))
    };
    // The slot keeps the first callbacks it is given: they read the CSV writer of the latest
    // draw from here.
    let latest = use_mut_ref(|| props.on_csv.clone());
    *latest.borrow_mut() = props.on_csv.clone();
    let on_answer = {
        let on = props.on.clone();
        Callback::from(move |answer: String| match action_of(&answer) {
            Some(action) => on.emit(action),
            None if answer == "csv" => latest.borrow().emit(()),
            None => {}
        })
    };
    let problem = props.file_problem.as_deref().unwrap_or_default();
    html! {
        <section class="files-panel" data-testid="files-panel" aria-labelledby="files-title">
            <details class="more-settings" data-testid="files-open" {ontoggle}>
                <summary><h3 id="files-title">{ "Presets and files" }</h3></summary>
                if *opened {
                    <OnDemandSlot export="show_files" id={ROOT_ID} name="files-slot" loading="Loading the presets and files…"
                        what="Presets and files"
                        texts={vec![props.query.clone(), AttrValue::from(problem.to_string()), props.scenario.clone()]}
                        {on_answer} />
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
    /// The scenario alone as a query: what the JSON download saves.
    pub scenario: AttrValue,
}

/// Hands the lab an [`answer`], from the element that was used: the slot hears it
/// ([`super::on_demand_slot`]).
fn tell_lab(from: &web_sys::EventTarget, answer: &str) {
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_detail(&answer.into());
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(super::on_demand_slot::ANSWER_EVENT, &init) {
        let _ = from.dispatch_event(&event);
    }
}

/// Reads the file chosen in `input` and tells the lab to load it (in the mode it is shaped
/// for), or why not; the input is emptied, so that the same file can be chosen again.
fn read_upload(input: web_sys::HtmlInputElement) {
    wasm_bindgen_futures::spawn_local(async move {
        let answer = match input.files().and_then(|f| f.get(0)) {
            None => return,
            Some(file) => match crate::export::read_scenario_file(&file).await {
                Ok(scenario) => {
                    let settings = crate::settings::Settings {
                        mode: crate::settings::Mode::of_scenario(&scenario),
                        ..Default::default()
                    };
                    let about = format!("Loaded the scenario file: {}, {} servers.", scenario.algo, scenario.servers);
                    answer("load", &[&crate::url::to_query(&scenario, &settings), &about])
                }
                Err(why) => answer("problem", &[&why]),
            },
        };
        input.set_value("");
        tell_lab(&input, &answer);
    });
}

/// Presets, downloads and upload (drawn by the on-demand bundle).
#[function_component]
pub fn FilesView(props: &FilesViewProps) -> Html {
    use crate::presets::{PRESETS, canonical, find};
    let canonical = use_memo((), |_| PRESETS.iter().map(canonical).collect::<Vec<String>>());
    let current = PRESETS.iter().zip(canonical.iter()).find(|(_, q)| **q == props.query.as_str()).map(|(p, _)| p);
    let on_preset = Callback::from(|e: Event| {
        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
        if let Some(p) = find(&select.value()) {
            tell_lab(&select, &answer("load", &[p.query, p.explanation]));
        }
    });
    let on_upload = Callback::from(|e: Event| read_upload(e.target_unchecked_into()));
    let on_json = {
        let scenario = props.scenario.clone();
        Callback::from(move |_: MouseEvent| {
            let json = crate::export::scenario_json(&crate::export::scenario_of(&scenario));
            crate::export::download("lbviz-scenario.json", "application/json", &json);
        })
    };
    html! {
        <>
            <div class="field">
                <label for="preset">{ "Preset" }</label>
                <select id="preset" data-testid="preset" aria-describedby="preset-explanation" onchange={on_preset}>
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
                <button type="button" data-testid="download-csv" data-answer="csv">{ "Download metrics (CSV)" }</button>
            </div>
            <div class="field">
                <label for="upload">{ "Upload a scenario (JSON, as lbsim --scenario reads)" }</label>
                <input type="file" id="upload" data-testid="upload-scenario" accept=".json,application/json"
                       onchange={on_upload} />
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
    fn an_answer_crosses_as_the_action_it_asks_for() {
        let p = &crate::presets::PRESETS[2];
        assert_eq!(
            action_of(&answer("load", &[p.query, p.explanation])),
            Some(Action::LoadQuery(p.query.into(), p.explanation.into()))
        );
        assert_eq!(
            action_of(&answer("problem", &["x.json was not used"])),
            Some(Action::FileProblem("x.json was not used".into()))
        );
        assert_eq!(action_of("csv"), None, "the CSV is the lab's own");
        assert_eq!(action_of(&answer("load", &["servers=3"])), None, "a load names its explanation");
        assert!(crate::presets::PRESETS.iter().all(|p| !p.query.contains(SEP) && !p.explanation.contains(SEP)));
    }
}
