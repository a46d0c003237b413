//! Sweeps split across machines: `lbsim sweep --shard I/N` runs the I-th of N slices of a
//! sweep's runs, and `lbsim merge` puts the shards' files back into the CSV the whole sweep
//! prints, byte for byte.
//!
//! A [`Slice`] is strided: shard I of N takes runs I, I+N, I+2N, ... (counted from 1), so
//! each shard gets its share of every algorithm and of the high loads, which cost the most.
//! A shard's file is the sweep's CSV for its runs under one more first line, its [`Header`]:
//! `#shard=I/N plan=HEX runs=R rows=FROM:TO:STEP lbsim=VERSION`. The plan is a 64-bit
//! FNV-1a hash of every run's whole scenario (every setting, the seed included), the CSV's
//! columns and lbsim's version ([`plan_id`]), so shards of different sweeps, or of
//! different versions, are told apart; `rows` names the runs the shard holds.

use std::fmt;
use std::fs::File;
use std::hash::Hasher;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use fnv::FnvHasher;
use lbcore::Scenario;
use lbcore::scenario::quoted;
use lbcore::sweep::over::MAX_RUNS;

use crate::error::Failure;

/// What starts a shard's first line.
const MARK: &str = "#shard=";

/// The most `lbsim merge` reads, all its files together: a whole sweep, 10,000 rows of a few
/// hundred bytes, is a few megabytes, so 64 MiB is far more than real shards and still bounded.
pub const MAX_SHARD_BYTES: u64 = 64 << 20;

/// One of N slices of a sweep's runs: shard `index` (1 to `count`) takes the runs whose
/// position, counted from 1, is `index` plus a multiple of `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slice {
    /// Which slice, from 1.
    pub index: usize,
    /// How many slices.
    pub count: usize,
}

impl Slice {
    /// Reads `--shard I/N` for a sweep of `runs` runs: I from 1 to N, N from 1 to `runs`
    /// (a shard with no run would be a job that does nothing).
    pub fn parse(text: &str, runs: usize) -> Result<Slice, Failure> {
        let bad = |why: String| Failure::Usage(format!("--shard \"{}\": {why}", quoted(text)));
        let allowed = format!("allowed: I/N, N from 1 to the sweep's {runs} runs and I from 1 to N, such as 1/4");
        let (i, n) = text.split_once('/').ok_or_else(|| bad(allowed.clone()))?;
        let (Ok(index), Ok(count)) = (i.trim().parse::<usize>(), n.trim().parse::<usize>()) else {
            return Err(bad(allowed));
        };
        if count == 0 || count > runs {
            return Err(bad(format!("{count} shards of a sweep of {runs} runs: {allowed}")));
        }
        if index == 0 || index > count {
            return Err(bad(format!("shard {index} of {count}: {allowed} (the first is 1, as Slurm's --array=1-N)")));
        }
        Ok(Slice { index, count })
    }

    /// The positions (from 0) of this slice's runs in a sweep of `runs` runs.
    pub fn runs(self, runs: usize) -> impl Iterator<Item = usize> {
        (self.index - 1..runs).step_by(self.count)
    }

    /// How many runs this slice holds of a sweep of `runs` runs.
    pub fn len(self, runs: usize) -> usize {
        (runs + self.count - self.index) / self.count
    }
}

impl fmt::Display for Slice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The identity of a sweep's whole plan: a 64-bit FNV-1a hash of lbsim's version, the CSV
/// header and every run's scenario as JSON (every field, the seed and the swept values
/// included), in the order they run.
pub fn plan_id(csv_header: &str, scenarios: &[Scenario]) -> Result<u64, Failure> {
    /// Feeds what is written into the hash.
    struct Into<'a>(&'a mut FnvHasher);
    impl Write for Into<'_> {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0.write(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let mut hash = FnvHasher::default();
    hash.write(env!("CARGO_PKG_VERSION").as_bytes());
    hash.write(b"\n");
    hash.write(csv_header.as_bytes());
    for s in scenarios {
        hash.write(b"\n");
        serde_json::to_writer(Into(&mut hash), s).map_err(io::Error::other)?;
    }
    Ok(hash.finish())
}

/// A shard file's first line: which sweep, which slice, and the runs it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// The slice.
    pub slice: Slice,
    /// The plan's [`plan_id`].
    pub plan: u64,
    /// The whole sweep's runs.
    pub runs: usize,
    /// The version of lbsim that wrote it.
    pub version: String,
}

impl Header {
    /// The header of `slice` of the sweep `plan` of `runs` runs, written by this lbsim.
    pub fn new(slice: Slice, plan: u64, runs: usize) -> Header {
        Header { slice, plan, runs, version: env!("CARGO_PKG_VERSION").to_string() }
    }

    /// Reads a first line, or says why it is not a shard's.
    fn parse(line: &str) -> Result<Header, String> {
        let not = || {
            format!(
                "its first line is not a shard's header ({MARK}I/N plan=... runs=... rows=... lbsim=...): write it with lbsim sweep --shard I/N"
            )
        };
        let rest = line.strip_prefix('#').ok_or_else(not)?;
        let mut fields = std::collections::HashMap::new();
        for pair in rest.split(' ') {
            let (k, v) = pair.split_once('=').ok_or_else(not)?;
            fields.insert(k, v);
        }
        let get = |k: &str| fields.get(k).copied().ok_or_else(not);
        let (i, n) = get("shard")?.split_once('/').ok_or_else(not)?;
        let (index, count, runs) =
            (i.parse().map_err(|_| not())?, n.parse().map_err(|_| not())?, get("runs")?.parse().map_err(|_| not())?);
        if count == 0 || index == 0 || index > count || count > runs || runs > MAX_RUNS {
            return Err(format!("its header says shard {index}/{count} of {runs} runs, which no sweep writes"));
        }
        let plan = u64::from_str_radix(get("plan")?, 16).map_err(|_| not())?;
        let header = Header { slice: Slice { index, count }, plan, runs, version: get("lbsim")?.to_string() };
        if header.to_string() != line {
            return Err(not());
        }
        Ok(header)
    }

    /// The rows the shard holds, as a FROM:TO:STEP range of run positions from 1.
    fn rows(&self) -> String {
        let Slice { index, count } = self.slice;
        let last = index + (self.slice.len(self.runs) - 1) * count;
        format!("{index}:{last}:{count}")
    }
}

impl fmt::Display for Header {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{MARK}{} plan={:016x} runs={} rows={} lbsim={}",
            self.slice,
            self.plan,
            self.runs,
            self.rows(),
            self.version
        )
    }
}

/// One shard file as read: its header, the CSV header line and its rows (each with its
/// line end).
struct Shard<'a> {
    path: &'a Path,
    header: Header,
    columns: &'a str,
    rows: Vec<&'a str>,
}

/// A file's path as a message names it: quoted and escaped, and a long one cut at its start,
/// since the end (the file's name) is what tells shards apart.
fn file(path: &Path) -> String {
    /// The characters kept of a long path.
    const KEEP: usize = 40;
    let name = path.display().to_string();
    let n = name.chars().count();
    if n <= KEEP {
        return format!("\"{}\"", quoted(&name));
    }
    let tail: String = name.chars().skip(n - KEEP).collect();
    format!("\"…{}\"", quoted(&tail))
}

/// Reads a file of at most `limit` bytes.
fn read(path: &Path, limit: u64) -> Result<String, Failure> {
    let bad = |why: String| Failure::Usage(format!("{}: {why}", file(path)));
    let file = File::open(path).map_err(|e| bad(format!("cannot read it: {e}")))?;
    let mut text = String::new();
    file.take(limit + 1).read_to_string(&mut text).map_err(|e| bad(format!("cannot read it: {e}")))?;
    if text.len() as u64 > limit {
        return Err(bad(format!(
            "the files reach past {} MiB here, more than the shards of any lbsim sweep",
            MAX_SHARD_BYTES >> 20
        )));
    }
    Ok(text)
}

/// Splits a shard file's text, checking its header and that it holds its rows whole.
fn shard<'a>(path: &'a Path, text: &'a str) -> Result<Shard<'a>, Failure> {
    let bad = |why: String| Failure::Usage(format!("{}: {why}", file(path)));
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    let header = Header::parse(first.strip_suffix('\n').unwrap_or(first)).map_err(bad)?;
    let columns = lines.next().unwrap_or("");
    let rows: Vec<&str> = lines.collect();
    let want = header.slice.len(header.runs);
    if !text.ends_with('\n') || rows.len() != want {
        return Err(bad(format!(
            "shard {} should hold {want} whole rows, holds {}{}: was it cut short?",
            header.slice,
            rows.iter().filter(|r| r.ends_with('\n')).count(),
            if text.ends_with('\n') { "" } else { " and a part of a line" }
        )));
    }
    Ok(Shard { path, header, columns, rows })
}

/// The names of shards as a message lists them: `"a.csv" (1/4)`.
fn named(shard: &Shard) -> String {
    format!("{} ({})", file(shard.path), shard.header.slice)
}

/// `lbsim merge FILES...`: the CSV the whole sweep prints, from the files of all its
/// shards in any order; refused, naming the files, when they are of different sweeps or a
/// shard is missing or given twice.
pub fn merge(paths: &[PathBuf], out: &mut dyn Write) -> Result<(), Failure> {
    if paths.len() > MAX_RUNS {
        return Err(Failure::Usage(format!(
            "{} files: a sweep has at most {MAX_RUNS} runs, so at most as many shards",
            paths.len()
        )));
    }
    let mut texts = Vec::with_capacity(paths.len());
    let mut left = MAX_SHARD_BYTES;
    for path in paths {
        let text = read(path, left)?;
        left -= text.len() as u64;
        texts.push(text);
    }
    let shards: Vec<Shard> = paths.iter().zip(&texts).map(|(p, t)| shard(p, t)).collect::<Result<_, _>>()?;
    let Some(first) = shards.first() else {
        return Err(Failure::Usage("merge needs the files of a sweep's shards (lbsim sweep --shard I/N)".into()));
    };
    let (plan, runs, count) = (first.header.plan, first.header.runs, first.header.slice.count);
    for s in &shards[1..] {
        let h = &s.header;
        if h.plan != plan || h.runs != runs || s.columns != first.columns {
            let versions = if h.version == first.header.version {
                String::new()
            } else {
                format!(" (written by lbsim {} and {})", quoted(&first.header.version), quoted(&h.version))
            };
            return Err(Failure::Usage(format!(
                "shards of different sweeps: {} is of plan {:016x} ({} runs), {} of plan {:016x} ({} runs){versions}",
                named(first),
                plan,
                runs,
                named(s),
                h.plan,
                h.runs
            )));
        }
        if h.slice.count != count {
            return Err(Failure::Usage(format!(
                "shards of different splits of one sweep: {} is one of {count}, {} one of {}",
                named(first),
                named(s),
                h.slice.count
            )));
        }
    }
    let mut by_index: Vec<Option<&Shard>> = vec![None; count];
    for s in &shards {
        let at = &mut by_index[s.header.slice.index - 1];
        if let Some(earlier) = at {
            return Err(Failure::Usage(format!(
                "shard {} given twice: {} and {}",
                s.header.slice,
                named(earlier),
                named(s)
            )));
        }
        *at = Some(s);
    }
    let missing: Vec<String> =
        by_index.iter().enumerate().filter(|(_, s)| s.is_none()).map(|(i, _)| format!("{}/{count}", i + 1)).collect();
    if !missing.is_empty() {
        let shown = missing.iter().take(10).cloned().collect::<Vec<_>>().join(", ");
        let more = if missing.len() > 10 { format!(" and {} more", missing.len() - 10) } else { String::new() };
        return Err(Failure::Usage(format!(
            "shard{} {shown}{more} of plan {plan:016x} missing: {} of {count} given",
            if missing.len() == 1 { "" } else { "s" },
            shards.len()
        )));
    }
    let by_index: Vec<&Shard> = by_index.into_iter().flatten().collect();
    out.write_all(first.columns.as_bytes())?;
    for run in 0..runs {
        out.write_all(by_index[run % count].rows[run / count].as_bytes())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slices_cover_every_run_once() {
        for runs in 1..=12 {
            for count in 1..=runs {
                let mut seen = vec![0; runs];
                for index in 1..=count {
                    let slice = Slice { index, count };
                    let mine: Vec<usize> = slice.runs(runs).collect();
                    assert_eq!(mine.len(), slice.len(runs), "{slice} of {runs}");
                    for r in mine {
                        seen[r] += 1;
                    }
                }
                assert!(seen.iter().all(|&n| n == 1), "{count} shards of {runs}: {seen:?}");
            }
        }
    }

    #[test]
    fn a_header_reads_back_and_names_its_rows() {
        let h = Header::new(Slice { index: 2, count: 4 }, 0xab, 10);
        // runs 2, 6 and 10 of 10, counted from 1
        assert_eq!(h.to_string(), format!("#shard=2/4 plan=00000000000000ab runs=10 rows=2:10:4 lbsim={}", h.version));
        assert_eq!(Header::parse(&h.to_string()), Ok(h));
        assert!(Header::parse("algo,rate").is_err());
        assert!(Header::parse("#shard=5/4 plan=00 runs=10 rows=5:5:4 lbsim=0").is_err());
    }

    #[test]
    fn shard_flags_outside_one_to_n_or_past_the_runs_are_refused() {
        assert_eq!(Slice::parse("3/4", 4).ok(), Some(Slice { index: 3, count: 4 }));
        for (text, says) in [
            ("0/4", "shard 0 of 4"),
            ("5/4", "shard 5 of 4"),
            ("1/5", "5 shards of a sweep of 4 runs"),
            ("1/0", "0 shards"),
            ("1-4", "allowed: I/N"),
            ("a/b", "allowed: I/N"),
        ] {
            let Err(Failure::Usage(line)) = Slice::parse(text, 4) else { panic!("{text} accepted") };
            assert!(line.starts_with(&format!("--shard \"{text}\": ")) && line.contains(says), "{line}");
        }
    }
}
