//! Near-identical pages across the index, as pairs of documents that repeat each
//! other: the sketches kept at ingest ([`crate::similarity`]) grouped, and each group
//! counted for every pair of documents it has pages of.

use std::collections::BTreeMap;

use tantivy::{DocAddress, TantivyDocument};

use super::{schema, stored_number, stored_text, FoiaIndex};
use crate::similarity::{self, Sketch};

/// Two documents that share near-identical pages (a document whose own pages repeat
/// each other is paired with itself).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SharedPages {
    pub doc_a: String,
    pub path_a: String,
    /// Pages of the first document that have a near-identical page in the second.
    pub pages_a: Vec<u64>,
    pub doc_b: String,
    pub path_b: String,
    pub pages_b: Vec<u64>,
    /// Groups of near-identical pages with pages in both documents.
    pub shared: u32,
}

/// A page with a sketch.
struct Sketched {
    doc_id: String,
    path: String,
    page: u64,
    sketch: Sketch,
}

/// Every pair of documents with near-identical pages, most shared first.
pub fn shared_pages(index: &FoiaIndex) -> tantivy::Result<Vec<SharedPages>> {
    let pages = sketched_pages(index)?;
    let sketches: Vec<Option<Sketch>> =
        pages.iter().map(|page| Some(page.sketch.clone())).collect();
    let mut pairs: BTreeMap<(usize, usize), SharedPages> = BTreeMap::new();
    // Documents by first appearance, so a pair is keyed the same way each time.
    let mut documents: BTreeMap<&str, usize> = BTreeMap::new();
    for page in &pages {
        let next = documents.len();
        documents.entry(&page.doc_id).or_insert(next);
    }
    for group in similarity::groups(&sketches) {
        // The group's pages by document.
        let mut by_document: BTreeMap<usize, Vec<&Sketched>> = BTreeMap::new();
        for &position in &group {
            let page = &pages[position];
            by_document
                .entry(documents[page.doc_id.as_str()])
                .or_default()
                .push(page);
        }
        let members: Vec<(&usize, &Vec<&Sketched>)> = by_document.iter().collect();
        for (at, &(&a, pages_a)) in members.iter().enumerate() {
            let itself = (pages_a.len() > 1).then_some((&a, pages_a));
            for (&b, pages_b) in itself.into_iter().chain(members[at + 1..].iter().copied()) {
                let pair = pairs.entry((a, b)).or_insert_with(|| SharedPages {
                    doc_a: pages_a[0].doc_id.clone(),
                    path_a: pages_a[0].path.clone(),
                    pages_a: Vec::new(),
                    doc_b: pages_b[0].doc_id.clone(),
                    path_b: pages_b[0].path.clone(),
                    pages_b: Vec::new(),
                    shared: 0,
                });
                pair.shared += 1;
                pair.pages_a.extend(pages_a.iter().map(|page| page.page));
                pair.pages_b.extend(pages_b.iter().map(|page| page.page));
            }
        }
    }
    let mut found: Vec<SharedPages> = pairs
        .into_values()
        .map(|mut pair| {
            for pages in [&mut pair.pages_a, &mut pair.pages_b] {
                pages.sort_unstable();
                pages.dedup();
            }
            pair
        })
        .collect();
    found.sort_by(|x, y| {
        y.shared
            .cmp(&x.shared)
            .then_with(|| (&x.path_a, &x.path_b).cmp(&(&y.path_a, &y.path_b)))
    });
    Ok(found)
}

/// Every live page of the index that has a sketch, in path and page order.
fn sketched_pages(index: &FoiaIndex) -> tantivy::Result<Vec<Sketched>> {
    let searcher = index.index.reader()?.searcher();
    let fields = index.fields;
    let mut pages = Vec::new();
    for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
        let column = segment.fast_fields().u64(schema::SKETCH)?;
        for doc in segment.doc_ids_alive() {
            let Some(sketch) = Sketch::from_words(column.values_for_doc(doc)) else {
                continue;
            };
            let document: TantivyDocument = searcher.doc(DocAddress::new(ordinal as u32, doc))?;
            pages.push(Sketched {
                doc_id: stored_text(&document, fields.doc_id).unwrap_or_default(),
                path: stored_text(&document, fields.path).unwrap_or_default(),
                page: stored_number(&document, fields.page),
                sketch,
            });
        }
    }
    pages.sort_by(|a, b| (&a.path, a.page).cmp(&(&b.path, b.page)));
    Ok(pages)
}
