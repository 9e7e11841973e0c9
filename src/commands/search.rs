//! `foia search QUERY [--index DIR] [--limit N] [--offset N] [--no-fold] [--json]`
//!
//! Prints the best-scoring pages with a highlighted snippet each (near-identical pages
//! folded under the best of them unless `--no-fold`) and, with `--facets`,
//! the most frequent entity values among all matching pages; the count of matching
//! pages goes to stderr so stdout holds only results.

use super::Status;
use crate::cli::SearchArgs;
use crate::index::search::PageSearcher;
use crate::index::FoiaIndex;
use crate::output::{Format, Printer};

/// Values shown per entity kind with `--facets`.
const FACET_VALUES: usize = 5;

pub fn run(args: &SearchArgs) -> anyhow::Result<Status> {
    let index = FoiaIndex::open(&args.index.index)?;
    let searcher = PageSearcher::new(&index)?;
    let results = if args.no_fold {
        searcher.search(&args.query, args.limit, args.offset)?
    } else {
        searcher.search_folded(&args.query, args.limit, args.offset)?
    };
    let format = if args.output.json {
        Format::JsonLines
    } else {
        Format::Human
    };
    let mut printer = Printer::stdout(format);
    for hit in &results.hits {
        printer.hit(hit)?;
    }
    if args.facets {
        for counts in searcher.facets(&args.query, FACET_VALUES)? {
            printer.facet(&counts)?;
        }
    }
    printer.flush()?;
    if format == Format::Human {
        let shown = results.hits.len();
        match shown {
            0 => eprintln!(
                "foia: no page matches {:?} ({} in all)",
                args.query, results.total
            ),
            _ => match results.folded_total {
                Some(folded) if folded < results.total => eprintln!(
                    "foia: hits {}-{} of {folded} ({} matching pages, near-identical ones folded)",
                    args.offset + 1,
                    args.offset + shown,
                    results.total
                ),
                _ => eprintln!(
                    "foia: hits {}-{} of {} matching pages",
                    args.offset + 1,
                    args.offset + shown,
                    results.total
                ),
            },
        }
    }
    Ok(Status::Success)
}
