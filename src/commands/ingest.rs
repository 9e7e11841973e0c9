//! `foia ingest PATH... [--index DIR] [--jobs N] [--quiet]`
//!
//! Walks the paths, extracts every PDF's pages in parallel and indexes them. Each
//! failed file gets one line on stderr; the run goes on, and a summary line ends it.

use std::io::IsTerminal;

use anyhow::Context;

use super::Status;
use crate::cli::IngestArgs;
use crate::index::FoiaIndex;
use crate::pipeline::{self, IngestOptions, IngestSummary};

/// Index writer memory: enough to batch thousands of pages between flushes.
const WRITER_HEAP_BYTES: usize = 128 * 1024 * 1024;

pub fn run(args: &IngestArgs) -> anyhow::Result<Status> {
    let index = FoiaIndex::open_or_create(&args.index.index)?;
    let jobs = args
        .jobs
        .map(usize::from)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |cores| cores.get()));
    let options = IngestOptions {
        inputs: args.paths.clone(),
        jobs,
        progress: !args.quiet && std::io::stderr().is_terminal(),
        writer_heap_bytes: WRITER_HEAP_BYTES,
    };
    let summary = pipeline::ingest(&index, &options, |failure| {
        eprintln!(
            "foia: error: {}: {}",
            failure.path.display(),
            failure.message
        );
    })
    .with_context(|| format!("ingest into {} failed", args.index.index.display()))?;
    eprintln!("{}", summary_line(&summary));
    Ok(if summary.failed > 0 {
        Status::Partial
    } else {
        Status::Success
    })
}

/// The one line that ends every ingest.
fn summary_line(summary: &IngestSummary) -> String {
    let ignored = match summary.not_pdf_ignored {
        0 => String::new(),
        count => format!(", {count} non-PDF files ignored"),
    };
    format!(
        "foia: indexed {} files ({} pages), {} unchanged, {} failed{ignored} in {:.2} s",
        summary.files_indexed,
        summary.pages_indexed,
        summary.unchanged,
        summary.failed,
        summary.seconds
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_line_names_every_count() {
        let summary = IngestSummary {
            files_indexed: 3,
            pages_indexed: 7,
            unchanged: 2,
            failed: 1,
            not_pdf_ignored: 4,
            seconds: 0.5,
        };
        assert_eq!(
            summary_line(&summary),
            "foia: indexed 3 files (7 pages), 2 unchanged, 1 failed, 4 non-PDF files ignored in 0.50 s"
        );
    }
}
