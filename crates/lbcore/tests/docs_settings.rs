//! docs/settings.md's table of scenario settings is the one the settings table generates: a
//! setting added, renamed or given a new range shows up there, or this test fails.

use lbcore::scenario::markdown_table;

#[test]
fn the_docs_settings_table_is_the_generated_one() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/settings.md");
    let doc = std::fs::read_to_string(path).expect("docs/settings.md");
    let start = "<!-- settings-table:start -->\n";
    let end = "<!-- settings-table:end -->";
    let from = doc.find(start).expect("docs/settings.md marks the settings table's start") + start.len();
    let to = doc[from..].find(end).expect("docs/settings.md marks the settings table's end") + from;
    assert_eq!(
        &doc[from..to],
        markdown_table(),
        "docs/settings.md's settings table differs from the generated one: paste the output of `lbsim settings` between the markers"
    );
}
