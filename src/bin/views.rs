//! The small views' bundle (see `lbviz::on_demand::VIEWS`): what few readers use, loaded
//! through `static/views-loader.js` the first time one is needed: the embed builder (the Share
//! dialog's content), the hashing view, compare mode's algorithm checkboxes and summary table,
//! predict mode's guesses, the Resilience panel's form, the notice on a link's bad parameters,
//! the body of a lesson card whose lesson has problems, the history's charts, and the Presets
//! and files panel's content, which reads and writes the scenario file's JSON. An ES module like
//! the lesson build, apart from the Experiments view's bundle so that opening one of these
//! fetches neither the view nor its sweep worker.

use std::cell::RefCell;

use lbviz::components::compare::{AlgosPicker, AlgosPickerProps, CompareTable, CompareTableProps, RaceRow};
use lbviz::components::embed_builder::{EmbedBuilder, EmbedBuilderProps};
use lbviz::components::files_panel::{FilesView, FilesViewProps};
use lbviz::components::hashing_slot::hashing_props;
use lbviz::components::hashing_view::HashingView;
use lbviz::components::lesson_problems::{LessonProblems, LessonProblemsProps};
use lbviz::components::param_notice::{ParamNotice, ParamNoticeProps};
use lbviz::components::predict::{Predict, PredictProps, read_guesses};
use lbviz::components::resilience::{Resilience, ResilienceProps};
use lbviz::components::time_series::{HistoryInput, HistoryView, HistoryViewProps};
use wasm_bindgen::prelude::wasm_bindgen;
use web_sys::Element;
use yew::AppHandle;

fn main() {
    lbviz::panic::install();
    // the page's app is subtree 0, the Experiments view 1 (lbviz::on_demand::skip_subtree_ids)
    lbviz::on_demand::skip_subtree_ids(2);
}

thread_local! {
    /// The hashing view drawn last, and the element it is in.
    static HASHING: Drawn<HashingView> = const { RefCell::new(None) };
    /// The embed builder drawn last.
    static BUILDER: RefCell<Option<AppHandle<EmbedBuilder>>> = const { RefCell::new(None) };
    /// Compare mode's summary table drawn last, and the element it is in.
    static RACE_TABLE: Drawn<CompareTable> = const { RefCell::new(None) };
    /// Compare mode's algorithm checkboxes drawn last, and the element they are in.
    static ALGOS: Drawn<AlgosPicker> = const { RefCell::new(None) };
    /// Predict mode's guesses drawn last, and the element they are in.
    static PREDICT: Drawn<Predict> = const { RefCell::new(None) };
    /// The files panel's content drawn last, and the element it is in.
    static FILES: Drawn<FilesView> = const { RefCell::new(None) };
    /// The notice on the link's bad parameters drawn last, and the element it is in.
    static PARAM_NOTICE: Drawn<ParamNotice> = const { RefCell::new(None) };
    /// The Resilience panel's form drawn last, and the element it is in.
    static RESILIENCE: Drawn<Resilience> = const { RefCell::new(None) };
    /// The body of a lesson card whose lesson cannot be played, and the element it is in.
    static LESSON_PROBLEMS: Drawn<LessonProblems> = const { RefCell::new(None) };
    /// The history's charts drawn last, and the element they are in.
    static HISTORY: Drawn<HistoryView> = const { RefCell::new(None) };
}

/// Draws the embed builder into the element with id `root`, starting from the page's `query`
/// (without `?`) and linking to `page` (its address without query); each call starts afresh
/// from the experiment as it stands, as the Share dialog opens again.
#[wasm_bindgen]
pub fn show_builder(root: &str, query: &str, page: &str) {
    let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(root)) else {
        return;
    };
    let props = EmbedBuilderProps { query: query.to_string().into(), page: page.to_string().into() };
    BUILDER.with_borrow_mut(|drawn| {
        if let Some(old) = drawn.take() {
            old.destroy();
        }
        root.set_inner_html("");
        *drawn = Some(yew::Renderer::<EmbedBuilder>::with_root_and_props(root, props).render());
    });
}

/// Draws the hashing view for a `hashing_query` into the element with id `root`, or gives
/// the view drawn there already its new inputs. The app removes the element when the
/// algorithm is not hash-based, and makes a new one when it is again.
#[wasm_bindgen]
pub fn show_hashing(root: &str, query: &str) {
    draw_in(root, hashing_props(query), &HASHING);
}

/// Draws compare mode's summary table of `rows` (as `RaceRow::write` writes them; `cache` is
/// `1` when a cache is on, `resilience` `1` when clients time out, retry or hedge) into the
/// element with id `root`, or gives the table drawn there already its new figures. The app
/// makes a new element when compare mode starts again.
#[wasm_bindgen]
pub fn show_race_table(root: &str, rows: &str, cache: &str, resilience: &str) {
    let props =
        CompareTableProps { rows: RaceRow::read(rows).into(), cache: cache == "1", resilience: resilience == "1" };
    draw_in(root, props, &RACE_TABLE);
}

/// Draws compare mode's algorithm checkboxes, `algos` (their ids, comma-separated) ticked,
/// into the element with id `root`, or gives those drawn there already their new inputs. The
/// page's app hears a click on a box (its `data-answer`).
#[wasm_bindgen]
pub fn show_algos(root: &str, algos: &str) {
    let algos = algos.split(',').filter_map(lbcore::Algorithm::from_id).collect();
    draw_in(root, AlgosPickerProps { algos }, &ALGOS);
}

/// Draws predict mode's guess buttons for `guesses` (as `guesses_text` writes them) and the
/// score, `right` of `total`, into the element with id `root`, or gives those drawn there
/// already their new inputs. The page's app hears a click on a button (its `data-guess`).
#[wasm_bindgen]
pub fn show_predict(root: &str, guesses: &str, right: &str, total: &str) {
    let score = (right.parse().unwrap_or(0), total.parse().unwrap_or(0));
    draw_in(root, PredictProps { guesses: read_guesses(guesses).into(), score }, &PREDICT);
}

/// Draws the Resilience panel's form for the settings of `query` (as
/// `resilience::query` writes them) into the element with id `root`, or gives the one drawn
/// there already its new settings. The page's app hears each change (its `data-setting`).
#[wasm_bindgen]
pub fn show_resilience(root: &str, query: &str) {
    draw_in(root, ResilienceProps { query: query.to_string().into() }, &RESILIENCE);
}

/// Draws the notice on the link's bad parameters, `texts` as `param_notice::texts` writes
/// them, into the element with id `root`, or gives the one drawn there already its new texts.
#[wasm_bindgen]
pub fn show_param_notice(root: &str, texts: &str) {
    draw_in(root, ParamNoticeProps { texts: texts.to_string().into() }, &PARAM_NOTICE);
}

/// Draws the body of a lesson card whose lesson cannot be played (its problems, or why it
/// never came), `texts` as `lesson_problems::texts` writes them, into the element with id
/// `root`, or gives the one drawn there already its new texts.
#[wasm_bindgen]
pub fn show_lesson_problems(root: &str, texts: &str) {
    draw_in(root, LessonProblemsProps { texts: texts.to_string().into() }, &LESSON_PROBLEMS);
}

/// Draws the files panel's content (presets, downloads, upload) for the page's `query`, the
/// last upload's `problem` (empty for none) and the `scenario` alone as a query (what the JSON
/// saves) into the element with id `root`, or gives the one drawn there already its new
/// inputs. It applies a preset, reads an upload and saves the JSON itself, and tells the
/// page's app what to load (`files_panel::answer`); the app hears the CSV button
/// (`data-answer`).
#[wasm_bindgen]
pub fn show_files(root: &str, query: &str, problem: &str, scenario: &str) {
    let props = FilesViewProps {
        query: query.to_string().into(),
        problem: problem.to_string().into(),
        scenario: scenario.to_string().into(),
    };
    draw_in(root, props, &FILES);
}

/// Draws the history's charts of `input` (as `HistoryInput::write` writes it) into the element
/// with id `root`, or gives those drawn there already their new input. The app
/// makes a new element when the history's place is drawn again.
#[wasm_bindgen]
pub fn show_history(root: &str, input: &str) {
    draw_in(root, HistoryViewProps { input: HistoryInput::read(input).into() }, &HISTORY);
}

/// A view drawn last, and the element it is in.
type Drawn<C> = RefCell<Option<(Element, AppHandle<C>)>>;

/// Draws a `C` with `props` into the element with id `root`, or gives the one drawn there
/// already (kept in `drawn`) its new props; one drawn elsewhere before is taken down.
fn draw_in<C: yew::BaseComponent>(root: &str, props: C::Properties, drawn: &'static std::thread::LocalKey<Drawn<C>>) {
    let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(root)) else {
        return;
    };
    drawn.with_borrow_mut(|drawn| match drawn {
        Some((element, handle)) if *element == root => handle.update(props),
        _ => {
            if let Some((_, old)) = drawn.take() {
                old.destroy();
            }
            root.set_inner_html("");
            let handle = yew::Renderer::<C>::with_root_and_props(root.clone(), props).render();
            *drawn = Some((root, handle));
        }
    });
}
