//! The README's table of scenario settings is the one the settings table generates: a
//! setting added, renamed or given a new range shows up there, or this test fails.

use lbcore::scenario::markdown_table;

#[test]
fn readme_table_is_the_generated_one() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).expect("README.md");
    let start = "<!-- settings-table:start -->\n";
    let end = "<!-- settings-table:end -->";
    let from = readme.find(start).expect("the README marks the settings table's start") + start.len();
    let to = readme[from..].find(end).expect("the README marks the settings table's end") + from;
    assert_eq!(
        &readme[from..to],
        markdown_table(),
        "README.md's settings table differs from the generated one: paste the output of `lbsim settings` between the markers"
    );
}
