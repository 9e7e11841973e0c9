//! `foia entities [--index DIR] [--kind K]... [--format csv|json] [--top N | --group]`
//!
//! Exports the entities of every indexed page for spreadsheets and databases: one row
//! per occurrence (`doc_id,path,page,kind,text,normalized,start,end,context`), with
//! `--top N` one row per distinct value (`kind,value,occurrences,documents,first_path,
//! first_page`), or with `--group` one row per entity (`kind,name,aliases,documents,
//! pages,first_date,last_date`). With `--kind money` alone, each amount is a row of
//! the money trail (`doc_id,path,page,text,cents,start,end,context,vendor,vendor_how,
//! agency,agency_how,contract,contract_how,date,date_how`): the vendor, agency,
//! contract and date nearest it on its page, and how near (`same line`, `2 lines
//! above`).

use super::Status;
use crate::cli::EntitiesArgs;
use crate::entities::Kind;
use crate::index::export;
use crate::index::search::PageSearcher;
use crate::index::FoiaIndex;
use crate::output::{Format, Printer};

pub fn run(args: &EntitiesArgs) -> anyhow::Result<Status> {
    let index = FoiaIndex::open(&args.index.index)?;
    let format = if args.format == "json" {
        Format::JsonLines
    } else {
        Format::Csv
    };
    if args.kind == [Kind::Money] && args.top.is_none() && !args.group {
        let rows = PageSearcher::new(&index)?.money_rows()?;
        let mut printer = Printer::stdout(format);
        printer.money_rows(&rows)?;
        printer.flush()?;
        return Ok(Status::Success);
    }
    // An entity's first and last dates come from the dates on its pages.
    let kinds: &[_] = if args.group { &[] } else { &args.kind };
    let rows = export::occurrences(&index, kinds)?;
    let mut printer = Printer::stdout(format);
    match args.top {
        _ if args.group => printer.group_rows(&export::groups(&rows, &args.kind))?,
        Some(top) => printer.top_rows(&export::top_values(&rows, top))?,
        None => printer.occurrence_rows(&rows)?,
    }
    printer.flush()?;
    Ok(Status::Success)
}
