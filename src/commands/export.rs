//! `foia export [--index DIR] [--format ndjson|bulk]`
//!
//! Every page of the index as a JSON line on stdout (see
//! [`crate::index::pages_out::PageRecord`]), by path and page. With `--format bulk`
//! each page follows `{"index":{"_id":"<doc_id>-<page>"}}`, so the output loads
//! as it is: `curl -H 'Content-Type: application/x-ndjson' -XPOST
//! localhost:9200/foia/_bulk --data-binary @pages.ndjson`.

use std::io::{BufWriter, Write};

use super::Status;
use crate::cli::{ExportArgs, ExportFormat};
use crate::index::pages_out::{for_each_page, ExportError};
use crate::index::FoiaIndex;

pub fn run(args: &ExportArgs) -> anyhow::Result<Status> {
    let index = FoiaIndex::open(&args.index.index)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    let written = for_each_page(&index, |page| {
        if args.format == ExportFormat::Bulk {
            serde_json::to_writer(
                &mut out,
                &serde_json::json!({ "index": { "_id": page.id } }),
            )?;
            out.write_all(b"\n")?;
        }
        serde_json::to_writer(&mut out, &page)?;
        out.write_all(b"\n")
    });
    match written {
        Ok(()) => {}
        // A closed pipe (`foia export | head`) is reported as the I/O error it is.
        Err(ExportError::Write(error)) => return Err(error.into()),
        Err(error) => return Err(error.into()),
    }
    out.flush()?;
    Ok(Status::Success)
}
