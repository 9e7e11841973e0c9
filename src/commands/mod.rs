//! One module per subcommand. Each `run` turns flags into resolved settings, does the
//! work through the library, and says whether it fully succeeded.

pub mod dups;
pub mod entities;
pub mod export;
pub mod extract;
pub mod ingest;
pub mod merge;
pub mod plan;
pub mod redactions;
pub mod search;
pub mod serve;
pub mod status;

/// How a command that did not fail outright ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Everything asked for was done (exit code 0).
    Success,
    /// Some inputs failed and were reported; the rest was done (exit code 1).
    Partial,
}

/// Writes `rows` to `out` as JSON lines, one object per line (`foia redactions`,
/// `foia dups`).
pub fn write_json_lines<T: serde::Serialize>(
    out: &mut impl std::io::Write,
    rows: &[T],
) -> anyhow::Result<()> {
    for row in rows {
        serde_json::to_writer(&mut *out, row)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}
