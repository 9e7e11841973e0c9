//! Every indexed page as one JSON object, for engines other than foia: a newsroom
//! that already runs OpenSearch or Elasticsearch loads `foia export --format bulk`
//! with one `_bulk` call, and anything else reads the JSON lines.

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::AllQuery;
use tantivy::schema::Value;
use tantivy::{DocAddress, TantivyDocument};

use super::{stored_number, stored_text, FoiaIndex};
use crate::entities::{Entity, Kind};

/// One page, as `foia export` writes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageRecord {
    /// `<doc_id>-<page>`: the page's id, `_id` in a bulk load.
    pub id: String,
    pub doc_id: String,
    pub path: String,
    pub title: Option<String>,
    pub page: u64,
    pub page_count: u64,
    pub text: String,
    /// `layer`, `ocr` or `mixed`.
    pub text_source: Option<String>,
    /// Why the page's picture was read, when it was.
    pub reason: Option<String>,
    pub ocr_confidence: Option<f64>,
    /// Why a page that needed reading has no OCR text.
    pub note: Option<String>,
    /// Normalised values by entity kind, each once, in order of first appearance.
    pub entities: BTreeMap<&'static str, Vec<String>>,
    /// Amounts on the page in dollars (from the money entities).
    pub amounts: Vec<f64>,
    /// Dates on the page, ISO 8601.
    pub dates: Vec<String>,
}

/// Calls `visit` with every page of the index, by path and page number.
pub fn for_each_page(
    index: &FoiaIndex,
    mut visit: impl FnMut(PageRecord) -> std::io::Result<()>,
) -> Result<(), ExportError> {
    let searcher = index.index.reader()?.searcher();
    let fields = index.fields;
    let mut keyed: Vec<(String, u64, DocAddress)> = Vec::new();
    for address in searcher.search(&AllQuery, &DocSetCollector)? {
        let document: TantivyDocument = searcher.doc(address)?;
        let path = stored_text(&document, fields.path).unwrap_or_default();
        keyed.push((path, stored_number(&document, fields.page), address));
    }
    keyed.sort();
    for (path, page, address) in keyed {
        let document: TantivyDocument = searcher.doc(address)?;
        let entities: Vec<Entity> = stored_text(&document, fields.entities_json)
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default();
        let mut by_kind: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
        for entity in &entities {
            let values = by_kind.entry(entity.kind.as_str()).or_default();
            if !values.contains(&entity.normalized) {
                values.push(entity.normalized.clone());
            }
        }
        let amounts = by_kind
            .get(Kind::Money.as_str())
            .map(|cents| {
                cents
                    .iter()
                    .filter_map(|cents| cents.parse::<u64>().ok())
                    .map(|cents| cents as f64 / 100.0)
                    .collect()
            })
            .unwrap_or_default();
        let dates = by_kind
            .get(Kind::Date.as_str())
            .cloned()
            .unwrap_or_default();
        let doc_id = stored_text(&document, fields.doc_id).unwrap_or_default();
        visit(PageRecord {
            id: format!("{doc_id}-{page}"),
            doc_id,
            path,
            title: stored_text(&document, fields.title),
            page,
            page_count: stored_number(&document, fields.page_count),
            text: stored_text(&document, fields.text).unwrap_or_default(),
            text_source: stored_text(&document, fields.text_source),
            reason: stored_text(&document, fields.reason),
            ocr_confidence: document
                .get_first(fields.ocr_confidence)
                .and_then(|value| value.as_f64()),
            note: stored_text(&document, fields.note),
            entities: by_kind,
            amounts,
            dates,
        })?;
    }
    Ok(())
}

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("reading the index failed: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error(transparent)]
    Write(#[from] std::io::Error),
}
