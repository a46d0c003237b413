//! What can go wrong in `lbsim`, and the exit status each gets: bad input is one line on
//! stderr and status 2 (a lesson that is not valid, a line per problem); a lesson check
//! that finds a task that cannot be done is status 1; output that cannot be written is status 1, except a closed pipe
//! (`lbsim route ... | head`), which is a normal end.

use std::fmt;
use std::io;

/// Exit status for bad input (as clap uses).
pub const USAGE: u8 = 2;

/// Why `lbsim` stopped early.
#[derive(Debug)]
pub enum Failure {
    /// Bad input: the one line to print after `lbsim: `, naming the flag and the problem.
    Usage(String),
    /// A check ran and found a problem (`lbsim lesson check`): the line to print, status 1.
    Check(String),
    /// The output could not be written.
    Output(io::Error),
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Output(e)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(line) | Failure::Check(line) => f.write_str(line),
            Failure::Output(e) => write!(f, "cannot write the output: {e}"),
        }
    }
}

impl Failure {
    /// The process exit status, and whether to say anything.
    pub fn status(&self) -> (u8, bool) {
        match self {
            Failure::Usage(_) => (USAGE, true),
            Failure::Output(e) if e.kind() == io::ErrorKind::BrokenPipe => (0, false),
            Failure::Output(_) | Failure::Check(_) => (1, true),
        }
    }
}
