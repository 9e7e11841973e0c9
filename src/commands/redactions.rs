//! `foia redactions [FILE...] [--index DIR] [--format json|csv] [--bad]`
//!
//! Lists redactions page by page: from the index, or from PDFs read now (no OCR). JSON
//! is one line per page with findings; CSV one row per finding (a page with proper
//! boxes only gets one row without a finding), for spreadsheets.

use anyhow::Context;

use super::Status;
use crate::archive;
use crate::cli::{RedactionsArgs, RowsFormat};
use crate::extract::{self, ExtractOptions};
use crate::hash::sha256_hex;
use crate::index::redactions::{pages_with_findings, RedactionPage};
use crate::index::FoiaIndex;
use crate::ocr::{OcrMode, OcrOptions};

pub fn run(args: &RedactionsArgs) -> anyhow::Result<Status> {
    let mut status = Status::Success;
    let pages = if args.files.is_empty() {
        let index = FoiaIndex::open(&args.index.index)?;
        pages_with_findings(&index, args.bad)
            .with_context(|| format!("cannot read {}", args.index.index.display()))?
    } else {
        let options = ExtractOptions {
            password: args.password.password.clone(),
            ocr: OcrOptions {
                mode: OcrMode::Never,
                ..OcrOptions::default()
            },
            ..ExtractOptions::default()
        };
        let mut pages = Vec::new();
        for file in &args.files {
            let shown = file.display();
            let read = archive::read_path(file)
                .map_err(anyhow::Error::from)
                .and_then(|bytes| {
                    let layers = extract::text_layers(&bytes, &options)?;
                    Ok((sha256_hex(&bytes), layers.content))
                });
            match read {
                Ok((doc_id, content)) => {
                    let path = file.to_string_lossy();
                    pages.extend(
                        content
                            .pages
                            .iter()
                            .filter(|page| !page.redactions.is_empty())
                            .filter(|page| !args.bad || !page.redactions.bad.is_empty())
                            .map(|page| {
                                RedactionPage::new(
                                    &doc_id,
                                    &path,
                                    u64::from(page.number),
                                    &page.redactions,
                                )
                            }),
                    );
                }
                Err(error) => {
                    eprintln!("foia: error: {shown}: {error:#}");
                    status = Status::Partial;
                }
            }
        }
        pages
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        RowsFormat::Json => super::write_json_lines(&mut out, &pages)?,
        RowsFormat::Csv => write_csv(&mut out, &pages)?,
    }
    Ok(status)
}

/// One row per finding, bad redactions first, then notes.
fn write_csv(out: &mut impl std::io::Write, pages: &[RedactionPage]) -> anyhow::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record([
        "doc_id", "path", "page", "boxes", "bad", "labels", "finding", "kind", "x0", "y0", "x1",
        "y1", "text",
    ])?;
    for page in pages {
        let labels = page
            .labels
            .iter()
            .map(|(code, count)| format!("{code}:{count}"))
            .collect::<Vec<_>>()
            .join(" ");
        let head = [
            page.doc_id.clone(),
            page.path.clone(),
            page.page.to_string(),
            page.boxes.to_string(),
            page.bad.to_string(),
            labels,
        ];
        let findings = page
            .bad_redactions
            .iter()
            .map(|finding| ("bad", finding))
            .chain(page.hidden.iter().map(|finding| ("hidden", finding)));
        let mut any = false;
        for (what, finding) in findings {
            any = true;
            let mut row = head.to_vec();
            row.push(what.to_string());
            row.push(finding.kind.name().to_string());
            row.extend(finding.bbox.iter().map(|value| format!("{value:.1}")));
            row.push(finding.text.clone());
            writer.write_record(&row)?;
        }
        if !any {
            let mut row = head.to_vec();
            row.extend(std::iter::repeat_n(String::new(), 7));
            writer.write_record(&row)?;
        }
    }
    writer.flush()?;
    Ok(())
}
