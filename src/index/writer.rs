//! Adding files to the index: one Tantivy document per page, a changed file's old
//! pages replaced in the same commit, unchanged files recognised by their sha256.

use std::collections::HashSet;

use tantivy::collector::DocSetCollector;
use tantivy::query::ExistsQuery;
use tantivy::schema::Facet;
use tantivy::{DateTime, IndexWriter, Searcher, TantivyDocument, Term};

use super::{schema, stored_text, stored_text_where, Fields, FoiaIndex};
use crate::entities::{date, Entity, Kind};
use crate::extract::redactions::PageRedactions;
use crate::extract::words;
use crate::extract::PdfText;
use crate::similarity::Sketch;

/// One extracted file, ready to index.
pub struct FileRecord {
    /// sha256 of the file's bytes, lowercase hex.
    pub doc_id: String,
    /// Absolute path of the file.
    pub path: String,
    pub content: PdfText,
    /// Entities of each page, in page order.
    pub entities: Vec<Vec<Entity>>,
    /// Near-duplicate sketch of each page, in page order (none for few words).
    pub sketches: Vec<Option<Sketch>>,
}

/// Errors from the index writer. A busy lock gets its own variant so the message can
/// say what to do.
#[derive(Debug, thiserror::Error)]
pub enum WriterError {
    #[error("another foia ingest is writing to this index; wait for it to finish")]
    Busy,
    #[error(transparent)]
    Tantivy(#[from] tantivy::TantivyError),
}

/// The single writer of an index. Tantivy's lock file keeps a second one out.
pub struct IndexSink {
    writer: IndexWriter<TantivyDocument>,
    fields: Fields,
}

impl IndexSink {
    /// Takes the index's writer lock with a heap of `heap_bytes` for buffered pages.
    pub fn new(index: &FoiaIndex, heap_bytes: usize) -> Result<IndexSink, WriterError> {
        let writer = index
            .index
            .writer(heap_bytes)
            .map_err(|error| match error {
                tantivy::TantivyError::LockFailure(..) => WriterError::Busy,
                other => WriterError::Tantivy(other),
            })?;
        Ok(IndexSink {
            writer,
            fields: index.fields,
        })
    }

    /// Adds every page of a file, deleting whatever pages were indexed for its path
    /// before (a file whose bytes changed). Deletes apply only to documents added
    /// before them, so the new pages survive the commit.
    pub fn replace(&mut self, record: &FileRecord) -> tantivy::Result<()> {
        let fields = self.fields;
        self.writer
            .delete_term(Term::from_field_text(fields.path, &record.path));
        let page_count = record.content.pages.len() as u64;
        for (index, page) in record.content.pages.iter().enumerate() {
            let mut document = TantivyDocument::new();
            document.add_text(fields.doc_id, &record.doc_id);
            document.add_text(fields.path, &record.path);
            if let Some(title) = &record.content.title {
                document.add_text(fields.title, title);
            }
            document.add_u64(fields.page, u64::from(page.number));
            document.add_u64(fields.page_count, page_count);
            document.add_text(fields.text, &page.text);
            document.add_bool(fields.ocr, page.ocr_confidence.is_some());
            if let Some(confidence) = page.ocr_confidence {
                // One decimal is all a reader compares; f32 noise would show in JSON.
                let rounded = (f64::from(confidence) * 10.0).round() / 10.0;
                document.add_f64(fields.ocr_confidence, rounded);
            }
            if let Some(note) = &page.note {
                document.add_text(fields.note, note);
            }
            document.add_text(fields.text_source, page.source.name());
            if let Some(reason) = page.reason {
                document.add_text(fields.reason, reason.name());
            }
            add_redactions(&mut document, &fields, &page.redactions);
            let entities = record.entities.get(index).map_or(&[][..], Vec::as_slice);
            add_entities(&mut document, &fields, entities);
            if let Some(Some(sketch)) = record.sketches.get(index) {
                for word in sketch.to_words() {
                    document.add_u64(fields.sketch, word);
                }
            }
            if !page.words.is_empty() {
                document.add_bytes(fields.word_boxes, &words::encode(&page.text, &page.words));
            }
            self.writer.add_document(document)?;
        }
        Ok(())
    }

    /// Makes everything added so far durable and visible to readers.
    pub fn commit(&mut self) -> tantivy::Result<()> {
        self.writer.commit().map(|_| ())
    }
}

/// Redaction fields of one page: counts, the `redaction` filter values, the words
/// bad redactions fail to hide (in their own field, never the page text), and the
/// findings as JSON with labels by exemption code.
fn add_redactions(document: &mut TantivyDocument, fields: &Fields, found: &PageRedactions) {
    document.add_u64(fields.redactions, u64::from(found.boxes));
    document.add_u64(fields.redactions_bad, found.bad.len() as u64);
    if found.boxes > 0 || !found.bad.is_empty() {
        document.add_text(fields.redaction, "any");
    }
    if !found.bad.is_empty() {
        document.add_text(fields.redaction, "bad");
    }
    if !found.hidden.is_empty() {
        document.add_text(fields.redaction, "hidden");
    }
    for finding in &found.bad {
        document.add_text(fields.recovered, &finding.text);
    }
    if !found.is_empty() {
        let coded = PageRedactions {
            labels: super::redactions::labels_by_code(&found.labels),
            ..found.clone()
        };
        if let Ok(json) = serde_json::to_string(&coded) {
            document.add_text(fields.redactions_json, json);
        }
    }
}

/// Entity fields of one page: exact-match values per kind, amounts, dates, facets, and
/// the JSON that `foia entities` reads back.
fn add_entities(document: &mut TantivyDocument, fields: &Fields, entities: &[Entity]) {
    let mut seen = std::collections::HashSet::new();
    for entity in entities {
        if !seen.insert((entity.kind, entity.normalized.as_str())) {
            continue;
        }
        if let Some(field) = fields.kind_field(entity.kind) {
            document.add_text(field, &entity.normalized);
        }
        match entity.kind {
            Kind::Money => {
                if let Ok(cents) = entity.normalized.parse() {
                    document.add_u64(fields.amount, cents);
                }
            }
            Kind::Date => {
                if let Some(day) =
                    date::query_bounds(&entity.normalized).and_then(|(first, _)| midnight(&first))
                {
                    document.add_date(fields.date, day);
                }
            }
            _ => {}
        }
        document.add_facet(
            fields.entity,
            Facet::from_path([entity.kind.as_str(), entity.normalized.as_str()]),
        );
    }
    if let Ok(json) = serde_json::to_string(entities) {
        document.add_text(fields.entities_json, json);
    }
}

/// Midnight UTC of an ISO day, as Tantivy stores dates.
pub fn midnight(day: &str) -> Option<DateTime> {
    let mut parts = day.split('-').map(|part| part.parse::<i64>().ok());
    let (year, month, day) = (parts.next()??, parts.next()??, parts.next()??);
    // Days since 1970-01-01 by the civil-from-days algorithm (proleptic Gregorian).
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    Some(DateTime::from_timestamp_secs(days * 86_400))
}

/// What the index held when an ingest started: answers "is this file already indexed
/// with these bytes, and completely?" without reading the file's pages back.
pub struct KnownFiles {
    searcher: Searcher,
    fields: Fields,
    /// Paths of files with scanned pages indexed without text (Tesseract was missing,
    /// say): worth reading again even with unchanged bytes.
    unread_scans: HashSet<String>,
}

impl KnownFiles {
    /// A snapshot of the index as last committed.
    pub fn snapshot(index: &FoiaIndex) -> tantivy::Result<KnownFiles> {
        let searcher = index.index.reader()?.searcher();
        let fields = index.fields;
        let noted = searcher.search(
            &ExistsQuery::new(schema::NOTE.to_string(), false),
            &DocSetCollector,
        )?;
        let mut unread_scans = HashSet::new();
        for address in noted {
            let page: TantivyDocument = searcher.doc(address)?;
            unread_scans.extend(stored_text(&page, fields.path));
        }
        Ok(KnownFiles {
            searcher,
            fields,
            unread_scans,
        })
    }

    /// Whether `path` is indexed with the bytes `doc_id` names and nothing left to do.
    pub fn is_current(&self, path: &str, doc_id: &str) -> bool {
        let indexed = stored_text_where(&self.searcher, self.fields.path, path, self.fields.doc_id);
        indexed.as_deref() == Some(doc_id) && !self.unread_scans.contains(path)
    }

    /// Whether any pages of `path` are indexed, whatever their bytes.
    pub fn holds(&self, path: &str) -> bool {
        stored_text_where(&self.searcher, self.fields.path, path, self.fields.path).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn midnight_of_known_days() {
        assert_eq!(
            midnight("1970-01-01"),
            Some(DateTime::from_timestamp_secs(0))
        );
        assert_eq!(
            midnight("2018-01-05"),
            Some(DateTime::from_timestamp_secs(1_515_110_400))
        );
        assert_eq!(
            midnight("2000-03-01"),
            Some(DateTime::from_timestamp_secs(951_868_800))
        );
        assert_eq!(midnight("soon"), None);
    }
}
