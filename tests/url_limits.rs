//! What the page says of a scenario past its limits quotes the page's limits
//! ([`Limits::BROWSER`]), never `lbsim`'s larger ones, read as the page reads its address.
#![cfg(not(target_arch = "wasm32"))]

use lbcore::scenario::Limits;
use lbviz::url;

#[test]
fn a_queue_past_the_pages_million_quotes_the_page_not_lbsim() {
    // 64 x (1 worker + 1,000,000 queued) = 64,000,064 held: past lbsim's 50 million as well,
    // which the notice quoted (about 2000 MB) though the page's limit is a million.
    let parsed = url::parse("servers=64&queue=1000000");
    assert_eq!(parsed.scenario.servers, 64);
    assert_eq!(parsed.scenario.queue, lbcore::Scenario::default().queue, "the queue keeps its default");
    assert_eq!(parsed.problems.len(), 1, "{:?}", parsed.problems);
    let said = parsed.problems[0].to_string();
    assert!(said.starts_with("queue=\"1000000\": "), "{said}");
    assert!(said.contains("64000064 requests could be held at once"), "{said}");
    assert!(
        said.ends_with(&format!("allowed in the browser: at most {} (about 40 MB)", Limits::BROWSER.held)),
        "{said}"
    );
    assert!(!said.contains(&Limits::CLI.held.to_string()), "lbsim's limit is not the page's: {said}");
}
