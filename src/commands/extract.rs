//! `foia extract FILE [--pages A-B] [--password P] [--ocr WHEN] [--ocr-lang LANGS]`
//!
//! Prints a PDF's text as `ingest` sees it, each page followed by a form feed like
//! `pdftotext`, so the two can be compared line by line. FILE may name a member of a
//! zip archive the way ingest names it: `dump.zip!/folder/file.pdf`. Scanned pages are
//! OCR'd as in `ingest` (without its cache); stderr says which, why (a scan, a
//! stamped scan, glyphs without text...), with the confidence, and why a page to read
//! has no OCR text.

use anyhow::{bail, Context};

use super::Status;
use crate::archive;
use crate::cli::ExtractArgs;
use crate::extract::{self, ExtractOptions};
use crate::ocr::OcrOptions;
use crate::output::{Format, Printer};

pub fn run(args: &ExtractArgs) -> anyhow::Result<Status> {
    let shown = args.file.display();
    let bytes = archive::read_path(&args.file).with_context(|| format!("{shown}"))?;
    let options = ExtractOptions {
        password: args.password.password.clone(),
        ocr: OcrOptions {
            mode: args.ocr.ocr,
            languages: args.ocr.ocr_lang.clone(),
            ..OcrOptions::default()
        },
        ..ExtractOptions::default()
    };
    let extract::Layers {
        mut content,
        mut scans,
    } = extract::text_layers(&bytes, &options).with_context(|| format!("{shown}"))?;
    // Only the pages asked for are worth a second of OCR each.
    scans.retain(|scan| args.pages.is_none_or(|range| range.contains(scan.number)));
    extract::add_ocr_text(&mut content.pages, &scans, &options.ocr);
    let page_count = content.pages.len();
    if let Some(range) = args.pages {
        if range.first as usize > page_count {
            bail!(
                "{shown}: page {} requested, the document has {page_count} pages",
                range.first
            );
        }
    }
    let mut printer = Printer::stdout(Format::Human);
    for page in content
        .pages
        .iter()
        .filter(|page| args.pages.is_none_or(|range| range.contains(page.number)))
    {
        let reason = page.reason.map_or("", |reason| reason.name());
        match (page.ocr_confidence, &page.note) {
            (Some(confidence), _) => eprintln!(
                "foia: {shown}: page {}: text from {} ({reason}), OCR confidence {confidence:.0}%",
                page.number,
                page.source.name(),
            ),
            (None, None) if page.reason.is_some() => eprintln!(
                "foia: {shown}: page {}: read by OCR ({reason}), nothing the text layer lacks",
                page.number
            ),
            _ => {}
        }
        if let Some(note) = &page.note {
            eprintln!(
                "foia: warning: {shown}: page {}: scanned page not OCR'd: {note}",
                page.number
            );
        }
        printer.text(&page.text)?;
        printer.text(if page.text.is_empty() {
            "\x0c"
        } else {
            "\n\x0c"
        })?;
    }
    printer.flush()?;
    Ok(Status::Success)
}
