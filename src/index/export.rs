//! Reading entities back out of the index, for `foia entities`: one row per
//! occurrence, one row per distinct value with counts, or one row per entity with the
//! spellings it was found under. Values are the dump's canonical names
//! ([`Canon`]), so every spelling of one entity counts as one.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::AllQuery;
use tantivy::{DocAddress, Searcher, TantivyDocument};

use super::{stored_number, stored_text, FoiaIndex};
use crate::entities::canonical::Canon;
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

/// One entity across the index: its canonical name and what is known of it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct GroupRow {
    pub kind: Kind,
    pub name: String,
    /// Every spelling found, as printed, most frequent first, separated by " | ".
    pub aliases: String,
    pub documents: u64,
    pub pages: u64,
    /// The earliest and latest dates on the pages that name it (ISO 8601), if any.
    pub first_date: String,
    pub last_date: String,
}

/// Every occurrence of the given kinds (all kinds when empty), ordered by path, page
/// and position, with `normalized` the dump's canonical name.
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
            let context = context(&text, &entity);
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
    let canon = Canon::build(
        rows.iter()
            .map(|row| (row.kind, row.normalized.as_str(), 1)),
    );
    for row in &mut rows {
        let name = canon.name(row.kind, &row.normalized);
        if name != row.normalized {
            row.normalized = name.to_string();
        }
    }
    Ok(rows)
}

/// One row per entity of the given kinds (all when empty), from the occurrences of
/// every kind (the dates on an entity's pages give its first and last date), by kind
/// and then by how many pages name it.
pub fn groups(rows: &[OccurrenceRow], kinds: &[Kind]) -> Vec<GroupRow> {
    let mut dates: HashMap<(&str, u64), (&str, &str)> = HashMap::new();
    for row in rows.iter().filter(|row| row.kind == Kind::Date) {
        let span = dates
            .entry((row.doc_id.as_str(), row.page))
            .or_insert((row.normalized.as_str(), row.normalized.as_str()));
        span.0 = span.0.min(row.normalized.as_str());
        span.1 = span.1.max(row.normalized.as_str());
    }
    /// What is gathered of one entity.
    #[derive(Default)]
    struct Gathered<'a> {
        spellings: HashMap<&'a str, u64>,
        documents: HashSet<&'a str>,
        pages: HashSet<(&'a str, u64)>,
    }
    let mut gathered: BTreeMap<(Kind, &str), Gathered> = BTreeMap::new();
    for row in rows {
        if !kinds.is_empty() && !kinds.contains(&row.kind) {
            continue;
        }
        let entity = gathered
            .entry((row.kind, row.normalized.as_str()))
            .or_default();
        *entity.spellings.entry(row.text.as_str()).or_default() += 1;
        entity.documents.insert(row.doc_id.as_str());
        entity.pages.insert((row.doc_id.as_str(), row.page));
    }
    let mut groups: Vec<GroupRow> = gathered
        .into_iter()
        .map(|((kind, name), entity)| {
            let mut spellings: Vec<(&str, u64)> = entity.spellings.into_iter().collect();
            spellings.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
            let seen: BTreeSet<&str> = entity
                .pages
                .iter()
                .filter_map(|page| dates.get(page))
                .flat_map(|&(first, last)| [first, last])
                .collect();
            GroupRow {
                kind,
                name: name.to_string(),
                aliases: spellings
                    .iter()
                    .map(|(text, _)| *text)
                    .collect::<Vec<_>>()
                    .join(" | "),
                documents: entity.documents.len() as u64,
                pages: entity.pages.len() as u64,
                first_date: seen.first().map_or(String::new(), |d| d.to_string()),
                last_date: seen.last().map_or(String::new(), |d| d.to_string()),
            }
        })
        .collect();
    groups.sort_by(|a, b| {
        (a.kind, std::cmp::Reverse(a.pages), &a.name).cmp(&(
            b.kind,
            std::cmp::Reverse(b.pages),
            &b.name,
        ))
    });
    groups
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
