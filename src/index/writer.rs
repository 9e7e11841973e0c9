//! Adding files to the index: one Tantivy document per page, a changed file's old
//! pages replaced in the same commit, unchanged files recognised by their sha256.

use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{IndexWriter, Searcher, TantivyDocument, Term};

use super::{stored_text, Fields, FoiaIndex};
use crate::extract::PdfText;

/// One extracted file, ready to index.
pub struct FileRecord {
    /// sha256 of the file's bytes, lowercase hex.
    pub doc_id: String,
    /// Absolute path of the file.
    pub path: String,
    pub content: PdfText,
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
        for page in &record.content.pages {
            let mut document = TantivyDocument::new();
            document.add_text(fields.doc_id, &record.doc_id);
            document.add_text(fields.path, &record.path);
            if let Some(title) = &record.content.title {
                document.add_text(fields.title, title);
            }
            document.add_u64(fields.page, u64::from(page.number));
            document.add_u64(fields.page_count, page_count);
            document.add_text(fields.text, &page.text);
            self.writer.add_document(document)?;
        }
        Ok(())
    }

    /// Makes everything added so far durable and visible to readers.
    pub fn commit(&mut self) -> tantivy::Result<()> {
        self.writer.commit().map(|_| ())
    }
}

/// What the index held when an ingest started: answers "is this file already indexed
/// with these bytes?" without reading the file's pages back.
pub struct KnownFiles {
    searcher: Searcher,
    fields: Fields,
}

impl KnownFiles {
    /// A snapshot of the index as last committed.
    pub fn snapshot(index: &FoiaIndex) -> tantivy::Result<KnownFiles> {
        Ok(KnownFiles {
            searcher: index.index.reader()?.searcher(),
            fields: index.fields,
        })
    }

    /// The `doc_id` indexed for `path`, if any.
    pub fn doc_id_of(&self, path: &str) -> Option<String> {
        let query = TermQuery::new(
            Term::from_field_text(self.fields.path, path),
            IndexRecordOption::Basic,
        );
        let top = self
            .searcher
            .search(&query, &TopDocs::with_limit(1).order_by_score())
            .ok()?;
        let (_, address) = top.first()?;
        let document: TantivyDocument = self.searcher.doc(*address).ok()?;
        stored_text(&document, self.fields.doc_id)
    }
}
