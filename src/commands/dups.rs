//! `foia dups [--index DIR] [--format json|csv]`
//!
//! Lists pairs of documents that share near-identical pages, so a reporter sees which
//! releases repeat each other. JSON is one line per pair; CSV one row per pair, with
//! page lists joined by spaces, for spreadsheets.

use anyhow::Context;

use super::Status;
use crate::cli::{DupsArgs, RowsFormat};
use crate::index::dups::{shared_pages, SharedPages};
use crate::index::FoiaIndex;

pub fn run(args: &DupsArgs) -> anyhow::Result<Status> {
    let index = FoiaIndex::open(&args.index.index)?;
    let pairs = shared_pages(&index)
        .with_context(|| format!("cannot read {}", args.index.index.display()))?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        RowsFormat::Json => super::write_json_lines(&mut out, &pairs)?,
        RowsFormat::Csv => write_csv(&mut out, &pairs)?,
    }
    Ok(Status::Success)
}

fn write_csv(out: &mut impl std::io::Write, pairs: &[SharedPages]) -> anyhow::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record([
        "shared", "doc_a", "path_a", "pages_a", "doc_b", "path_b", "pages_b",
    ])?;
    let pages = |pages: &[u64]| {
        pages
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    };
    for pair in pairs {
        writer.write_record([
            pair.shared.to_string(),
            pair.doc_a.clone(),
            pair.path_a.clone(),
            pages(&pair.pages_a),
            pair.doc_b.clone(),
            pair.path_b.clone(),
            pages(&pair.pages_b),
        ])?;
    }
    writer.flush()?;
    Ok(())
}
