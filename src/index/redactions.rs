//! Redactions as `foia redactions` lists them: one record per page with findings,
//! read from the index (the JSON each page stores) or made from a file just read.

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{TantivyDocument, Term};

use super::{stored_number, stored_text, FoiaIndex};
use crate::entities::exemption;
use crate::extract::redactions::{Finding, PageRedactions};

/// One page's redactions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RedactionPage {
    pub doc_id: String,
    pub path: String,
    pub page: u64,
    /// Proper redactions.
    pub boxes: u32,
    /// Bad redactions.
    pub bad: usize,
    /// Exemption labels on or beside the boxes, by code (`b6`, `b7C`), as the
    /// exemption entities name them.
    pub labels: BTreeMap<String, u32>,
    pub bad_redactions: Vec<Finding>,
    /// Text no reader sees that lies under no box (notes).
    pub hidden: Vec<Finding>,
}

impl RedactionPage {
    pub fn new(doc_id: &str, path: &str, page: u64, found: &PageRedactions) -> RedactionPage {
        RedactionPage {
            doc_id: doc_id.to_string(),
            path: path.to_string(),
            page,
            boxes: found.boxes,
            bad: found.bad.len(),
            labels: labels_by_code(&found.labels),
            bad_redactions: found.bad.clone(),
            hidden: found.hidden.clone(),
        }
    }
}

/// Labels as printed ("(b)(6)", "(b) (7)(C)") counted by exemption code; a label that
/// names no code is kept as printed.
pub fn labels_by_code(labels: &BTreeMap<String, u32>) -> BTreeMap<String, u32> {
    let mut coded = BTreeMap::new();
    for (label, count) in labels {
        let code = exemption::normalize(label).unwrap_or_else(|| label.clone());
        *coded.entry(code).or_default() += count;
    }
    coded
}

/// Every page of the index with redactions or hidden text (only bad redactions with
/// `bad_only`), by path and page.
pub fn pages_with_findings(
    index: &FoiaIndex,
    bad_only: bool,
) -> tantivy::Result<Vec<RedactionPage>> {
    let searcher = index.index.reader()?.searcher();
    let fields = index.fields;
    let values: &[&str] = if bad_only {
        &["bad"]
    } else {
        &["any", "hidden"]
    };
    let clauses: Vec<(Occur, Box<dyn Query>)> = values
        .iter()
        .map(|value| {
            let term = Term::from_field_text(fields.redaction, value);
            let query: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
            (Occur::Should, query)
        })
        .collect();
    let mut pages = Vec::new();
    for address in searcher.search(&BooleanQuery::new(clauses), &DocSetCollector)? {
        let document: TantivyDocument = searcher.doc(address)?;
        let found: PageRedactions = stored_text(&document, fields.redactions_json)
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default();
        pages.push(RedactionPage::new(
            &stored_text(&document, fields.doc_id).unwrap_or_default(),
            &stored_text(&document, fields.path).unwrap_or_default(),
            stored_number(&document, fields.page),
            &found,
        ));
    }
    pages.sort_by(|a, b| (&a.path, a.page).cmp(&(&b.path, b.page)));
    Ok(pages)
}
