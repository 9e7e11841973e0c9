//! `foia status [--index DIR] [--json]`
//!
//! What an index holds: documents, pages, failed files by reason (from
//! `failures.jsonl`) and when the last ingest finished. Works while an ingest runs,
//! showing its last commit.

use super::Status;
use crate::cli::StatusArgs;
use crate::index::FoiaIndex;
use crate::output::{Format, Printer};

pub fn run(args: &StatusArgs) -> anyhow::Result<Status> {
    let index = FoiaIndex::open(&args.index.index)?;
    let status = index.status()?;
    let format = if args.output.json {
        Format::JsonLines
    } else {
        Format::Human
    };
    let mut printer = Printer::stdout(format);
    printer.status(&status)?;
    printer.flush()?;
    Ok(Status::Success)
}
