//! Files in and out: the scenario as JSON (the file `lbsim --scenario` reads, serde of
//! [`Scenario`]), a run's metrics as CSV (the columns of `lbsim run --format csv`, one row
//! per engine), and the browser download that saves them. The JSON code runs in the
//! on-demand bundle ([`crate::on_demand`]); the scenario crosses to it and back as a query
//! ([`scenario_query`]), which holds every field exactly.

use lbcore::{Scenario, Summary};

use crate::settings::Settings;
use crate::url;

/// The scenario alone as a URL query: each field that differs from its default.
pub fn scenario_query(scenario: &Scenario) -> String {
    url::to_query(scenario, &Settings::default())
}

/// The scenario of a [`scenario_query`]; a pair it cannot use keeps that field's default.
pub fn scenario_of(query: &str) -> Scenario {
    let pairs = url::split(query);
    Scenario::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).0
}

/// The scenario as pretty JSON.
pub fn scenario_json(scenario: &Scenario) -> String {
    serde_json::to_string_pretty(scenario).unwrap_or_default()
}

/// A scenario from a JSON file's text, within the page's limits ([`Limits::BROWSER`], which the
/// messages quote), or every problem in one line a user can act on. A file past them is not
/// used at all.
///
/// [`Limits::BROWSER`]: lbcore::scenario::Limits::BROWSER
pub fn read_scenario(text: &str) -> Result<Scenario, String> {
    Scenario::from_json_within(text, &lbcore::scenario::Limits::BROWSER).map_err(|problems| problems.to_string())
}

/// A chosen file read as a scenario, or why not, naming the file (quoted short): over [`MAX_SCENARIO_BYTES`] it is
/// refused unread; otherwise its text goes through [`read_scenario`].
///
/// [`MAX_SCENARIO_BYTES`]: lbcore::scenario::MAX_SCENARIO_BYTES
pub async fn read_scenario_file(file: &web_sys::File) -> Result<Scenario, String> {
    let name = lbcore::scenario::quote_short(&file.name());
    let max = lbcore::scenario::MAX_SCENARIO_BYTES;
    if file.size() > max as f64 {
        return Err(format!("{name} was not used: a scenario file is at most {} KB.", max / 1024));
    }
    let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string());
    let text = text.ok_or_else(|| format!("{name} could not be read as text."))?;
    read_scenario(&text).map_err(|why| format!("{name} was not used: {why}"))
}

/// The metrics of each summary, one CSV row each, under lbcore's header (the columns of
/// `lbsim run --format csv`).
pub fn metrics_csv(summaries: &[Summary]) -> String {
    let mut out = Summary::csv_header();
    for s in summaries {
        out.push('\n');
        out.push_str(&s.csv_row());
    }
    out.push('\n');
    out
}

/// Saves `text` as a file called `name` through a temporary link (a `data:` URL, so no
/// object URL needs revoking). Does nothing outside a browser.
pub fn download(name: &str, mime: &str, text: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(link) = document.create_element("a") else { return };
    let href = format!("data:{mime};charset=utf-8,{}", js_sys::encode_uri_component(text));
    let _ = link.set_attribute("href", &href);
    let _ = link.set_attribute("download", name);
    if let Some(body) = document.body() {
        let _ = body.append_child(&link);
        if let Ok(link) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(link) {
            link.click();
            link.remove();
        }
    }
}

#[cfg(test)]
mod tests {
    use lbcore::{Algorithm, Engine};

    use super::*;

    #[test]
    fn scenario_json_round_trips_through_the_lbsim_reader() {
        let scenario = Scenario { algo: Algorithm::Maglev, servers: 5, table_size: 251, ..Scenario::default() };
        assert_eq!(read_scenario(&scenario_json(&scenario)), Ok(scenario));
    }

    #[test]
    fn a_scenario_crosses_to_the_on_demand_bundle_exactly() {
        // Every kind of field away from its default, with floats that print long and more
        // servers than the page draws (a file may hold 200): the query gives back the same.
        let scenario = Scenario {
            algo: Algorithm::Maglev,
            servers: 200,
            names: (1..=200).map(|i| format!("s {i}&")).collect(),
            speeds: (1..=200).map(|i| 1.0 / f64::from(i)).collect(),
            rate: 1.0 / 3.0,
            cost: 0.1 + 0.2,
            cache: lbcore::scenario::CacheMode::PerServer,
            requests: Some(12_345),
            seed: u64::MAX,
            ..Scenario::default()
        };
        assert_eq!(scenario.validate(), Ok(()));
        assert_eq!(scenario_of(&scenario_query(&scenario)), scenario);
        assert_eq!(scenario_of(&scenario_query(&Scenario::default())), Scenario::default());
    }

    #[test]
    fn bad_files_say_why() {
        let e = read_scenario("not json").expect_err("not a scenario");
        assert!(e.contains("scenario"), "{e}");
        let e = read_scenario(r#"{"servers": 0}"#).expect_err("no servers");
        assert!(e.contains("servers"), "{e}");
        let e = read_scenario(r#"{"colour": "blue"}"#).expect_err("unknown field");
        assert!(e.contains("colour"), "{e}");
    }

    #[test]
    fn uploads_meet_the_pages_limits_as_urls_do() {
        // 100,000 servers froze the page for 40 s and took 4.5 GB; the URL caps them at 64.
        let e = read_scenario(r#"{"servers": 100000}"#).expect_err("more servers than the page draws");
        assert!(e.contains("allowed in the browser: 1 to 64"), "{e}");
        assert!(!e.contains("using"), "a file refused is not used at all: {e}");
        let e = read_scenario(r#"{"servers": 64, "workers": 1000, "queue": 100000}"#).expect_err("6.5 million held");
        assert!(e.contains("queue=\"100000\"") && e.contains("in the browser"), "{e}");
        // 64 million held is past lbsim's 50 million too; the page quotes its own million.
        let e = read_scenario(r#"{"servers": 64, "queue": 1000000}"#).expect_err("64 million held");
        assert!(e.contains("allowed in the browser: at most 1000000 (about 40 MB)"), "{e}");
        assert!(!e.contains("50000000"), "not lbsim's limit: {e}");
        let long = format!(r#"{{"names": ["{}"]}}"#, "x".repeat(10_000_000));
        let e = read_scenario(&long).expect_err("10 MB");
        assert!(e.len() < 200, "the value is not echoed: {} bytes", e.len());
    }

    #[test]
    fn csv_has_the_lbsim_columns_and_a_row_per_engine() {
        let mut engine = Engine::new(Scenario { requests: Some(100), ..Scenario::default() }).expect("valid");
        let s = engine.run();
        let csv = metrics_csv(&[s.clone(), s]);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0], Summary::csv_header());
        let columns = lines[0].split(',').count();
        assert_eq!(columns, lbcore::summary::CSV_COLUMNS.len(), "the columns of lbsim run --format csv");
        assert!(lines.iter().all(|l| l.split(',').count() == columns), "{csv}");
        assert!(lines[1].starts_with("round-robin,"), "{csv}");
    }
}
