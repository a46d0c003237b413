//! `lbsim url`: the web app's link for a scenario (a `--scenario` file, flags on top), so an
//! author with a scenario has a link to embed. The query is the one the page writes for
//! that scenario ([`query::link`]; a test of the page's own codec proves they agree): the
//! settings that differ from the defaults, `mode=manual` when the scenario is a manual one
//! (no arrivals of its own, completions by hand), and `embed=1`.

use std::io::Write;

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
    if args.base.contains(['?', '#']) {
        return Err(Failure::Usage(format!(
            "--base \"{}\": allowed: the page's address without a query or fragment, such as https://example.org/lbviz/",
            lbcore::scenario::quoted(&args.base)
        )));
    }
    let q = query::link(&scenario, !args.no_embed);
    let sep = if q.is_empty() { "" } else { "?" };
    writeln!(out, "{}{sep}{q}", args.base)?;
    Ok(())
}
