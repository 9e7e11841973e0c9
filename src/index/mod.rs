//! The Tantivy index: one document per PDF page.
//!
//! [`schema`] declares every field in one place; [`writer`] adds and replaces files;
//! [`search`] answers queries with typed hits that `foia search` and `foia serve`
//! print their own way.

pub mod dups;
pub mod export;
pub mod ledger;
pub mod merge;
pub mod money;
pub mod page_view;
pub mod pages_out;
pub mod redactions;
pub mod schema;
pub mod search;
pub mod writer;

use std::path::{Path, PathBuf};

use tantivy::schema::{Field, Value};
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::{Index, IndexSettings, TantivyDocument};

pub use schema::Fields;

/// Name under which [`schema`] registers foia's text analyzer.
pub const TOKENIZER: &str = "foia";

/// zstd's level for the stored pages (text, entities, word boxes): they take about a
/// third less room than with Tantivy's default lz4, and a hit's page still reads in
/// microseconds. Level 1, zstd's fastest: level 3 cost a whole ingest 10-20% more
/// time than lz4 (measured, both corpora); level 1 costs about half that.
const DOCSTORE_ZSTD_LEVEL: i32 = 1;

/// Tokens longer than this are dropped: they are base64 blobs and garbled runs, not
/// words anyone searches for.
const MAX_TOKEN_BYTES: usize = 64;

/// Errors opening or creating an index, each naming the directory.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("no index at {0} (run `foia ingest` first, or pass --index)")]
    Missing(PathBuf),
    #[error("cannot open index at {path}: {source}")]
    Open {
        path: PathBuf,
        source: tantivy::TantivyError,
    },
    #[error("the index at {0} was made by an older foia (its pages lack fields this version searches, such as where its text came from): delete it and ingest again")]
    Outdated(PathBuf),
    #[error("cannot create index directory {path}: {source}")]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// An open foia index and its field handles.
#[derive(Clone)]
pub struct FoiaIndex {
    pub index: Index,
    pub fields: Fields,
    pub path: PathBuf,
}

impl FoiaIndex {
    /// Opens the index in `dir`, creating the directory and an empty index if needed.
    pub fn open_or_create(dir: &Path) -> Result<FoiaIndex, IndexError> {
        std::fs::create_dir_all(dir).map_err(|source| IndexError::Create {
            path: dir.to_path_buf(),
            source,
        })?;
        let open_error = |source| IndexError::Open {
            path: dir.to_path_buf(),
            source,
        };
        let directory = tantivy::directory::MmapDirectory::open(dir)
            .map_err(|error| open_error(tantivy::TantivyError::from(error)))?;
        if dir.join("meta.json").is_file() {
            return FoiaIndex::open(dir);
        }
        let (schema, fields) = schema::build();
        let index = Index::builder()
            .schema(schema)
            .settings(IndexSettings {
                docstore_compression: Compressor::Zstd(ZstdCompressor {
                    compression_level: Some(DOCSTORE_ZSTD_LEVEL),
                }),
                ..IndexSettings::default()
            })
            .open_or_create(directory)
            .map_err(open_error)?;
        Ok(FoiaIndex::with_tokenizer(index, fields, dir))
    }

    /// Opens an existing index; a missing one is an error that says how to make it.
    pub fn open(dir: &Path) -> Result<FoiaIndex, IndexError> {
        if !dir.join("meta.json").is_file() {
            return Err(IndexError::Missing(dir.to_path_buf()));
        }
        let index = Index::open_in_dir(dir).map_err(|source| IndexError::Open {
            path: dir.to_path_buf(),
            source,
        })?;
        // The schema only grows: a field this version lacks means an older index.
        let fields = Fields::from_schema(&index.schema())
            .map_err(|_| IndexError::Outdated(dir.to_path_buf()))?;
        Ok(FoiaIndex::with_tokenizer(index, fields, dir))
    }

    fn with_tokenizer(index: Index, fields: Fields, dir: &Path) -> FoiaIndex {
        index.tokenizers().register(TOKENIZER, analyzer());
        FoiaIndex {
            index,
            fields,
            path: dir.to_path_buf(),
        }
    }
}

/// The analyzer registered as [`TOKENIZER`]. Folding accents lets "Peña" match
/// "pena": names in records are typed both ways.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Folder of the index that holds cached OCR results (carried over by a merge).
pub const OCR_CACHE: &str = "ocr-cache";

/// What `foia status` reports about an index.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IndexStatus {
    pub index: PathBuf,
    /// Files with at least one page indexed.
    pub documents: u64,
    pub pages: u64,
    /// Pages whose text was (in part) read by OCR.
    pub ocr_pages: u64,
    /// Scanned pages indexed without text (Tesseract missing, an image that cannot be
    /// decoded): their reason is stored on the page.
    pub unread_scans: u64,
    /// Pages by where their text came from (`layer`, `ocr`, `mixed`).
    pub text_sources: Vec<(&'static str, u64)>,
    /// Pages by why (part of) them was to be read from their picture, the reasons
    /// that occur.
    pub reasons: Vec<(&'static str, u64)>,
    /// Files in the failure manifest, by reason, most frequent first.
    pub failures: Vec<(String, usize)>,
    pub last_ingest: Option<ledger::LastIngest>,
}

impl FoiaIndex {
    /// Counts what the index holds as last committed, and what its ledger says.
    pub fn status(&self) -> Result<IndexStatus, IndexError> {
        let reader = self
            .index
            .reader()
            .map_err(|source| self.read_error(source))?;
        self.status_at(&reader.searcher())
    }

    /// A failure to read this index, naming its folder.
    fn read_error(&self, source: tantivy::TantivyError) -> IndexError {
        IndexError::Open {
            path: self.path.clone(),
            source,
        }
    }

    /// [`FoiaIndex::status`] as of `searcher`'s commit, for a server that keeps one
    /// reader open rather than opening one per request.
    pub fn status_at(&self, searcher: &tantivy::Searcher) -> Result<IndexStatus, IndexError> {
        // Every indexed file has a page 1.
        let first_pages = tantivy::query::TermQuery::new(
            tantivy::Term::from_field_u64(self.fields.page, 1),
            tantivy::schema::IndexRecordOption::Basic,
        );
        let count = |query: &dyn tantivy::query::Query| {
            searcher
                .search(query, &tantivy::collector::Count)
                .map(|count| count as u64)
                .map_err(|source| self.read_error(source))
        };
        let documents = count(&first_pages)?;
        let ocr_pages = count(&tantivy::query::TermQuery::new(
            tantivy::Term::from_field_bool(self.fields.ocr, true),
            tantivy::schema::IndexRecordOption::Basic,
        ))?;
        let unread_scans = count(&tantivy::query::ExistsQuery::new(
            schema::NOTE.to_string(),
            false,
        ))?;
        let term_count = |field: Field, value: &str| {
            count(&tantivy::query::TermQuery::new(
                tantivy::Term::from_field_text(field, value),
                tantivy::schema::IndexRecordOption::Basic,
            ))
        };
        let mut text_sources = Vec::new();
        for source in crate::extract::TextSource::ALL {
            text_sources.push((
                source.name(),
                term_count(self.fields.text_source, source.name())?,
            ));
        }
        let mut reasons = Vec::new();
        for reason in crate::extract::reading::Reason::ALL {
            let pages = term_count(self.fields.reason, reason.name())?;
            if pages > 0 {
                reasons.push((reason.name(), pages));
            }
        }
        let manifest = ledger::FailureManifest::load(&self.path).unwrap_or_default();
        let mut failures: std::collections::BTreeMap<String, usize> = Default::default();
        for record in manifest.records() {
            *failures.entry(record.reason.clone()).or_default() += 1;
        }
        let mut failures: Vec<(String, usize)> = failures.into_iter().collect();
        failures.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        Ok(IndexStatus {
            index: self.path.clone(),
            documents,
            pages: searcher.num_docs(),
            ocr_pages,
            unread_scans,
            text_sources,
            reasons,
            failures,
            last_ingest: ledger::LastIngest::load(&self.path),
        })
    }
}

/// The stored text of `wanted` on a page whose `key` field is exactly `value`: e.g.
/// the `doc_id` indexed for a path, or the path of a `doc_id`.
pub(crate) fn stored_text_where(
    searcher: &tantivy::Searcher,
    key: Field,
    value: &str,
    wanted: Field,
) -> Option<String> {
    stored_text(&stored_document_where(searcher, key, value)?, wanted)
}

/// A page whose `key` field is exactly `value`, read back whole.
pub(crate) fn stored_document_where(
    searcher: &tantivy::Searcher,
    key: Field,
    value: &str,
) -> Option<TantivyDocument> {
    let query = tantivy::query::TermQuery::new(
        tantivy::Term::from_field_text(key, value),
        tantivy::schema::IndexRecordOption::Basic,
    );
    let top = searcher
        .search(
            &query,
            &tantivy::collector::TopDocs::with_limit(1).order_by_score(),
        )
        .ok()?;
    let (_, address) = top.first()?;
    searcher.doc(*address).ok()
}

/// The first stored text of `field` in a document read back from the index.
pub(crate) fn stored_text(document: &TantivyDocument, field: Field) -> Option<String> {
    document
        .get_first(field)
        .and_then(|value| value.as_str().map(str::to_string))
}

/// The first stored number of `field`, 0 when absent.
pub(crate) fn stored_number(document: &TantivyDocument, field: Field) -> u64 {
    document
        .get_first(field)
        .and_then(|value| value.as_u64())
        .unwrap_or(0)
}
