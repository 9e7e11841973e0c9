//! `foia entities [--index DIR] [--kind K]... [--format csv|json] [--top N]`
//!
//! Exports the entities of every indexed page for spreadsheets and databases: one row
//! per occurrence (`doc_id,path,page,kind,text,normalized,start,end,context`), or with
//! `--top N` one row per distinct value (`kind,value,occurrences,documents,first_path,
//! first_page`).

use super::Status;
use crate::cli::EntitiesArgs;
use crate::index::export;
use crate::index::FoiaIndex;
use crate::output::{Format, Printer};

pub fn run(args: &EntitiesArgs) -> anyhow::Result<Status> {
    let index = FoiaIndex::open(&args.index.index)?;
    let rows = export::occurrences(&index, &args.kind)?;
    let format = if args.format == "json" {
        Format::JsonLines
    } else {
        Format::Csv
    };
    let mut printer = Printer::stdout(format);
    match args.top {
        Some(top) => printer.top_rows(&export::top_values(&rows, top))?,
        None => printer.occurrence_rows(&rows)?,
    }
    printer.flush()?;
    Ok(Status::Success)
}
