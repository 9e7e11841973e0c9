//! Rows -> text. Commands produce typed rows; this is the one place that turns them
//! into terminal text or JSON lines, so every command prints a format the same way.
//!
//! CSV (entities) goes through one `csv` writer with a header row; kinds print as
//! their names (`agency`). JSON lines for search hits: one object per hit with `path`, `doc_id`, `title`
//! (or null), `page` (1-based), `page_count`, `score`, `snippet` (one line),
//! `highlights`, a list of `[start, end)` byte offsets into `snippet`, and
//! `ocr_confidence` (0-100 for a page read by OCR, else null).

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use serde_json::json;

use serde::Serialize;

use crate::index::export::{GroupRow, OccurrenceRow, TopRow};
use crate::index::money::MoneyRow;
use crate::index::search::{FacetCounts, Hit};
use crate::index::IndexStatus;

const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// How rows are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For people: aligned text, matches in bold on a terminal.
    Human,
    /// One JSON object per line, for scripts.
    JsonLines,
    /// RFC 4180 CSV with a header row, for spreadsheets.
    Csv,
}

/// A search hit as JSON, the same object for `foia search --json` and `foia serve`.
pub fn hit_json(hit: &Hit) -> serde_json::Value {
    let highlights: Vec<[usize; 2]> = hit.highlights.iter().map(|r| [r.start, r.end]).collect();
    json!({
        "path": hit.path,
        "doc_id": hit.doc_id,
        "title": hit.title,
        "page": hit.page,
        "page_count": hit.page_count,
        "score": hit.score,
        "snippet": hit.snippet,
        "highlights": highlights,
        "ocr_confidence": hit.ocr_confidence,
        "text_source": hit.text_source,
        "reason": hit.reason,
        "redactions": hit.redactions,
        "near_identical": hit.near_identical,
        "near_identical_count": hit.near_identical_count,
    })
}

/// What an index holds as JSON, for `foia status --json` and `foia serve`; failures
/// are an object of counts by reason.
pub fn status_json(status: &IndexStatus) -> serde_json::Value {
    let failures: serde_json::Map<String, serde_json::Value> = status
        .failures
        .iter()
        .map(|(reason, count)| (reason.clone(), json!(count)))
        .collect();
    json!({
        "index": status.index,
        "documents": status.documents,
        "pages": status.pages,
        "ocr_pages": status.ocr_pages,
        "unread_scans": status.unread_scans,
        "text_sources": counts_json(&status.text_sources),
        "reasons": counts_json(&status.reasons),
        "failures": failures,
        "last_ingest": status.last_ingest,
    })
}

/// Counts by name as a JSON object.
fn counts_json(counts: &[(&'static str, u64)]) -> serde_json::Value {
    counts
        .iter()
        .map(|(name, count)| (name.to_string(), json!(count)))
        .collect::<serde_json::Map<String, serde_json::Value>>()
        .into()
}

/// Writes rows to stdout in one format.
pub struct Printer {
    format: Format,
    bold: bool,
    /// Human output shows paths under this folder relative to it.
    current_dir: Option<PathBuf>,
    out: io::BufWriter<io::Stdout>,
}

impl Printer {
    /// A printer on stdout; bold only when stdout is a terminal and `NO_COLOR` is unset.
    pub fn stdout(format: Format) -> Printer {
        let stdout = io::stdout();
        let bold = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
        Printer {
            format,
            bold,
            current_dir: std::env::current_dir().ok(),
            out: io::BufWriter::new(stdout),
        }
    }

    /// Prints one search hit.
    pub fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        match self.format {
            Format::JsonLines => writeln!(self.out, "{}", hit_json(hit)),
            Format::Human | Format::Csv => {
                let title = hit
                    .title
                    .as_deref()
                    .map(|t| format!("  {t}"))
                    .unwrap_or_default();
                let path = shown_path(&hit.path, self.current_dir.as_deref());
                let ocr = match (hit.ocr_confidence, hit.text_source.as_str()) {
                    (Some(confidence), "mixed") => format!(
                        "  (text layer + OCR {confidence:.0}%, {})",
                        hit.reason.as_deref().unwrap_or("")
                    ),
                    (Some(confidence), _) => format!("  (OCR {confidence:.0}%)"),
                    (None, _) => String::new(),
                };
                let redacted = match hit.redactions.as_ref().map(|found| found.bad.len()) {
                    Some(0) | None => String::new(),
                    Some(1) => "  [bad redaction]".to_string(),
                    Some(bad) => format!("  [{bad} bad redactions]"),
                };
                writeln!(
                    self.out,
                    "{}  page {}/{}{ocr}{redacted}  score {:.2}{title}",
                    path.display(),
                    hit.page,
                    hit.page_count,
                    hit.score
                )?;
                let snippet = highlight(&hit.snippet, &hit.highlights, self.bold);
                writeln!(self.out, "    {snippet}")?;
                if !hit.near_identical.is_empty() {
                    let pages: Vec<String> = hit
                        .near_identical
                        .iter()
                        .map(|near| {
                            let path = shown_path(&near.path, self.current_dir.as_deref());
                            format!("{} page {}", path.display(), near.page)
                        })
                        .collect();
                    let count = hit.near_identical_count;
                    let noun = if count == 1 { "page" } else { "pages" };
                    let more = match count - pages.len() {
                        0 => String::new(),
                        unlisted => format!("; and {unlisted} more"),
                    };
                    writeln!(
                        self.out,
                        "    +{count} near-identical {noun}: {}{more}",
                        pages.join("; ")
                    )?;
                }
                writeln!(self.out)
            }
        }
    }

    /// Prints the top values of one entity kind among a search's pages.
    pub fn facet(&mut self, counts: &FacetCounts) -> io::Result<()> {
        match self.format {
            Format::JsonLines => {
                for (value, pages) in &counts.values {
                    let row = json!({"facet": counts.kind, "value": value, "pages": pages});
                    writeln!(self.out, "{row}")?;
                }
                Ok(())
            }
            Format::Human | Format::Csv => {
                let values: Vec<String> = counts
                    .values
                    .iter()
                    .map(|(value, pages)| format!("{value} ({pages})"))
                    .collect();
                writeln!(self.out, "{}: {}", counts.kind.as_str(), values.join("; "))
            }
        }
    }

    /// Entity occurrences: CSV with a header row, or JSON lines with the same keys.
    pub fn occurrence_rows(&mut self, rows: &[OccurrenceRow]) -> io::Result<()> {
        self.rows(rows)
    }

    /// Distinct entity values with counts, as CSV or JSON lines.
    pub fn top_rows(&mut self, rows: &[TopRow]) -> io::Result<()> {
        self.rows(rows)
    }

    /// The money trail: each amount with what stands nearest it, as CSV or JSON lines.
    pub fn money_rows(&mut self, rows: &[MoneyRow]) -> io::Result<()> {
        self.rows(rows)
    }

    /// One row per entity with its spellings, as CSV or JSON lines.
    pub fn group_rows(&mut self, rows: &[GroupRow]) -> io::Result<()> {
        self.rows(rows)
    }

    /// Rows as CSV (one writer, header from the field names) or JSON lines.
    fn rows<T: Serialize>(&mut self, rows: &[T]) -> io::Result<()> {
        match self.format {
            Format::JsonLines | Format::Human => {
                for row in rows {
                    let line = serde_json::to_string(row).map_err(io::Error::other)?;
                    writeln!(self.out, "{line}")?;
                }
                Ok(())
            }
            Format::Csv => {
                let mut writer = csv::Writer::from_writer(&mut self.out);
                for row in rows {
                    writer.serialize(row).map_err(csv_error)?;
                }
                writer.flush()
            }
        }
    }

    /// Prints what an index holds: one JSON object, or a few labelled lines.
    pub fn status(&mut self, status: &IndexStatus) -> io::Result<()> {
        if self.format != Format::Human {
            return writeln!(self.out, "{}", status_json(status));
        }
        let failed: usize = status.failures.iter().map(|(_, count)| count).sum();
        let reasons: Vec<String> = status
            .failures
            .iter()
            .map(|(reason, count)| format!("{reason} {count}"))
            .collect();
        writeln!(self.out, "index:       {}", status.index.display())?;
        writeln!(self.out, "documents:   {}", status.documents)?;
        let scans = match (status.ocr_pages, status.unread_scans) {
            (0, 0) => String::new(),
            (read, 0) => format!(" ({read} read by OCR)"),
            (read, unread) => format!(" ({read} read by OCR, {unread} scanned without text)"),
        };
        writeln!(self.out, "pages:       {}{scans}", status.pages)?;
        let counts = |counts: &[(&str, u64)]| -> String {
            let named: Vec<String> = counts
                .iter()
                .map(|(name, pages)| format!("{name} {pages}"))
                .collect();
            named.join(", ")
        };
        writeln!(self.out, "text from:   {}", counts(&status.text_sources))?;
        if !status.reasons.is_empty() {
            writeln!(self.out, "read as picture: {}", counts(&status.reasons))?;
        }
        match failed {
            0 => writeln!(self.out, "failures:    0")?,
            _ => writeln!(
                self.out,
                "failures:    {failed} ({}; listed in failures.jsonl)",
                reasons.join(", ")
            )?,
        }
        match &status.last_ingest {
            Some(last) => writeln!(
                self.out,
                "last ingest: {} ({} files indexed, {} pages, {} unchanged, {} failed, {:.2} s)",
                last.finished_at,
                last.files_indexed,
                last.pages_indexed,
                last.unchanged,
                last.failed,
                last.seconds
            ),
            None => writeln!(self.out, "last ingest: none finished"),
        }
    }

    /// Writes raw text (extracted pages) as is.
    pub fn text(&mut self, text: &str) -> io::Result<()> {
        self.out.write_all(text.as_bytes())
    }

    /// Flushes buffered rows; call before exiting.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// A CSV error as an I/O error, keeping a broken pipe recognisable.
fn csv_error(error: csv::Error) -> io::Error {
    match error.into_kind() {
        csv::ErrorKind::Io(error) => error,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// The index stores absolute paths; people read them more easily relative to where
/// they are.
fn shown_path<'a>(path: &'a str, current_dir: Option<&Path>) -> &'a Path {
    let path = Path::new(path);
    current_dir
        .and_then(|dir| path.strip_prefix(dir).ok())
        .unwrap_or(path)
}

/// Marks the highlighted byte ranges: bold on a terminal, `**word**` elsewhere.
fn highlight(snippet: &str, ranges: &[std::ops::Range<usize>], bold: bool) -> String {
    let (open, close) = if bold { (BOLD, RESET) } else { ("**", "**") };
    let mut marked = String::with_capacity(snippet.len() + ranges.len() * 8);
    let mut position = 0;
    for range in ranges {
        let valid = range.start >= position
            && range.end <= snippet.len()
            && snippet.is_char_boundary(range.start)
            && snippet.is_char_boundary(range.end);
        if !valid {
            continue;
        }
        marked.push_str(&snippet[position..range.start]);
        marked.push_str(open);
        marked.push_str(&snippet[range.clone()]);
        marked.push_str(close);
        position = range.end;
    }
    marked.push_str(&snippet[position..]);
    marked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlight_marks_ranges_in_order() {
        let text = "paid Vigilant Solutions $6 million";
        assert_eq!(
            highlight(text, &[5..13, 14..23], false),
            "paid **Vigilant** **Solutions** $6 million"
        );
        assert_eq!(
            highlight("ab", std::slice::from_ref(&(0..1)), true),
            "\x1b[1ma\x1b[0mb"
        );
    }

    #[test]
    fn paths_under_the_current_folder_are_shown_relative() {
        let here = Path::new("/home/reporter/dump");
        assert_eq!(
            shown_path("/home/reporter/dump/a/b.pdf", Some(here)),
            Path::new("a/b.pdf")
        );
        assert_eq!(
            shown_path("/srv/other.pdf", Some(here)),
            Path::new("/srv/other.pdf")
        );
        assert_eq!(
            shown_path("/srv/other.pdf", None),
            Path::new("/srv/other.pdf")
        );
    }

    #[test]
    fn highlight_skips_bad_ranges() {
        assert_eq!(highlight("é", &[1..2, 0..9], false), "é");
    }
}
