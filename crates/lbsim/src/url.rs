//! `lbsim url`: the web app's link for a scenario (a `--scenario` file, flags on top), so an
//! author with a scenario has a link to embed. The query is the one the page writes for
//! that scenario (lbcore's [`query`] codec, which the page's URL module uses too): the
//! settings that differ from the defaults, `mode=manual` when the scenario is a manual one
//! (no arrivals of its own, completions by hand), and `embed=1`.

use std::io::Write;

use lbcore::lesson::Mode;
use lbcore::scenario::{Limits, query};

use crate::cli::UrlArgs;
use crate::error::Failure;
use crate::flags::flag_problem;

/// Prints the link.
pub fn url(args: &UrlArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let scenario = args.scenario.build(|_, _| {})?;
    if let Err(problems) = scenario.validate_within(&Limits::BROWSER) {
        let lines: Vec<String> = problems.0.iter().map(flag_problem).collect();
        return Err(Failure::Usage(lines.join("; ")));
    }
    let mut manual = scenario.clone();
    Mode::Manual.shape(&mut manual);
    let is_manual = manual == scenario;
    let mut pairs: Vec<(&str, String)> = scenario
        .to_pairs()
        .into_iter()
        .filter(|(k, _)| !(is_manual && matches!(*k, "arrivals" | "completions")))
        .collect();
    if is_manual {
        pairs.push(("mode", "manual".into()));
    }
    if !args.no_embed {
        pairs.push(("embed", "1".into()));
    }
    if args.base.contains(['?', '#']) {
        return Err(Failure::Usage(format!(
            "--base {:?}: allowed: the page's address without a query or fragment, such as https://example.org/lbviz/",
            lbcore::scenario::quote_short(&args.base)
        )));
    }
    let q = query::join(&pairs);
    let sep = if q.is_empty() { "" } else { "?" };
    writeln!(out, "{}{sep}{q}", args.base)?;
    Ok(())
}
