//! `lbsim`: the lbviz engine on the command line. `route` prints a routing trace, `run` one
//! simulation's summary, `compare` several algorithms on identical traffic, `sweep` a
//! range of rates or loads as CSV for plotting (or a shard of it), `merge` a sweep's shards, `settings` the table of every scenario setting, `lesson` checks guided lessons, `url` prints
//! the web app's link for a scenario. `lbsim --help` documents every flag.
//!
//! Bad input is one line on stderr, `lbsim: ` and the flag and the problem, and exit
//! status 2.

mod batch;
mod cli;
mod compare;
mod error;
mod flags;
mod lesson;
mod progress;
mod report;
mod route;
mod run;
mod shard;
mod sweep;
mod url;

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use cli::Command;
use error::Failure;

fn main() -> ExitCode {
    match lbsim(std::env::args_os()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            let (status, say) = failure.status();
            if say {
                eprintln!("lbsim: {failure}");
            }
            ExitCode::from(status)
        }
    }
}

/// Parses the arguments and runs the subcommand, writing to a buffered stdout.
fn lbsim(args: std::env::ArgsOs) -> Result<(), Failure> {
    let cli = cli::parse(args)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    match &cli.command {
        Command::Route(a) => route::route(a, &mut out)?,
        Command::Run(a) => run::run(a, &mut out)?,
        Command::Compare(a) => compare::compare(a, &mut out)?,
        Command::Sweep(a) => sweep::sweep(a, &mut out)?,
        Command::Merge(a) => shard::merge(&a.files, &mut out)?,
        Command::Settings => out.write_all(lbcore::scenario::markdown_table().as_bytes())?,
        Command::Lesson(a) => lesson::lesson(a, &mut out)?,
        Command::Url(a) => url::url(a, &mut out)?,
    }
    out.flush()?;
    Ok(())
}
