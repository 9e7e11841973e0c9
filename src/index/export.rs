//! Reading entities back out of the index, for `foia entities`: one row per
//! occurrence, or one row per distinct value with counts.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::AllQuery;
use tantivy::{DocAddress, Searcher, TantivyDocument};

use super::{stored_number, stored_text, FoiaIndex};
use crate::entities::{context, Entity, Kind};

/// One entity occurrence on one page.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OccurrenceRow {
    pub doc_id: String,
    pub path: String,
    pub page: u64,
    pub kind: Kind,
    pub text: String,
    pub normalized: String,
    /// Byte offsets of `text` in the page text.
    pub start: usize,
    pub end: usize,
    pub context: String,
}

/// One distinct value of a kind across the index.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TopRow {
    pub kind: Kind,
    pub value: String,
    pub occurrences: u64,
    pub documents: u64,
    pub first_path: String,
    pub first_page: u64,
}

/// Every occurrence of the given kinds (all kinds when empty), ordered by path, page
/// and position.
pub fn occurrences(index: &FoiaIndex, kinds: &[Kind]) -> tantivy::Result<Vec<OccurrenceRow>> {
    occurrences_at(index, &index.index.reader()?.searcher(), kinds)
}

/// [`occurrences`] as of `searcher`'s commit.
pub fn occurrences_at(
    index: &FoiaIndex,
    searcher: &Searcher,
    kinds: &[Kind],
) -> tantivy::Result<Vec<OccurrenceRow>> {
    let mut addresses: Vec<DocAddress> = searcher
        .search(&AllQuery, &DocSetCollector)?
        .into_iter()
        .collect();
    addresses.sort();
    let fields = index.fields;
    let mut rows = Vec::new();
    for address in addresses {
        let document: TantivyDocument = searcher.doc(address)?;
        let Some(json) = stored_text(&document, fields.entities_json) else {
            continue;
        };
        let entities: Vec<Entity> = serde_json::from_str(&json).unwrap_or_default();
        let text = stored_text(&document, fields.text).unwrap_or_default();
        let doc_id = stored_text(&document, fields.doc_id).unwrap_or_default();
        let path = stored_text(&document, fields.path).unwrap_or_default();
        let page = stored_number(&document, fields.page);
        for entity in entities {
            if !kinds.is_empty() && !kinds.contains(&entity.kind) {
                continue;
            }
            let context = if entity.end <= text.len()
                && text.is_char_boundary(entity.start)
                && text.is_char_boundary(entity.end)
            {
                context(&text, &entity)
            } else {
                String::new()
            };
            rows.push(OccurrenceRow {
                doc_id: doc_id.clone(),
                path: path.clone(),
                page,
                kind: entity.kind,
                text: crate::entities::collapse_spaces(&entity.text),
                normalized: entity.normalized,
                start: entity.start,
                end: entity.end,
                context,
            });
        }
    }
    rows.sort_by(|a, b| {
        (&a.path, a.page, a.start, a.kind).cmp(&(&b.path, b.page, b.start, b.kind))
    });
    Ok(rows)
}

/// The `top` most frequent values of each kind, by occurrences (then value).
pub fn top_values(rows: &[OccurrenceRow], top: usize) -> Vec<TopRow> {
    /// Running counts of one value.
    struct Tally<'a> {
        occurrences: u64,
        documents: HashSet<&'a str>,
        first: (&'a str, u64),
    }
    let mut grouped: BTreeMap<(Kind, &str), Tally> = BTreeMap::new();
    for row in rows {
        let tally = grouped
            .entry((row.kind, row.normalized.as_str()))
            .or_insert_with(|| Tally {
                occurrences: 0,
                documents: HashSet::new(),
                first: (row.path.as_str(), row.page),
            });
        tally.occurrences += 1;
        tally.documents.insert(row.doc_id.as_str());
        tally.first = tally.first.min((row.path.as_str(), row.page));
    }
    let mut by_kind: BTreeMap<Kind, Vec<TopRow>> = BTreeMap::new();
    for ((kind, value), tally) in grouped {
        by_kind.entry(kind).or_default().push(TopRow {
            kind,
            value: value.to_string(),
            occurrences: tally.occurrences,
            documents: tally.documents.len() as u64,
            first_path: tally.first.0.to_string(),
            first_page: tally.first.1,
        });
    }
    by_kind
        .into_values()
        .flat_map(|mut values| {
            values.sort_by(|a, b| {
                b.occurrences
                    .cmp(&a.occurrences)
                    .then_with(|| a.value.cmp(&b.value))
            });
            values.truncate(top);
            values
        })
        .collect()
}
