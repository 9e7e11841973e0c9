//! Answering queries: parse Tantivy query syntax, rank pages, cut a snippet around the
//! matched words. Shared by `foia search` and `foia serve`, which only print.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tantivy::collector::FacetCollector;
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::query::{AllQuery, Query, QueryParser, TermQuery};
use tantivy::query_grammar::{Occur, UserInputAst, UserInputBound, UserInputLeaf};
use tantivy::schema::Facet;
use tantivy::schema::IndexRecordOption;
use tantivy::schema::Value;
use tantivy::snippet::SnippetGenerator;
use tantivy::{IndexReader, TantivyDocument, Term};

use super::{
    schema, stored_document_where, stored_number, stored_text, stored_text_where, Fields, FoiaIndex,
};
use crate::entities::canonical::{Canon, SPELLED_KINDS};
use crate::entities::{date, money, Entity, Kind};
use crate::extract::redactions::PageRedactions;
use crate::similarity::{self, Sketch};

/// Longest snippet, in characters: about two lines of a terminal.
const SNIPPET_CHARS: usize = 200;

/// One matching page.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub path: String,
    pub doc_id: String,
    pub title: Option<String>,
    /// 1-based page number.
    pub page: u64,
    pub page_count: u64,
    pub score: f32,
    /// Text around the match, on one line.
    pub snippet: String,
    /// Byte ranges of `snippet` that matched the query.
    pub highlights: Vec<Range<usize>>,
    /// For a page read by OCR, Tesseract's mean word confidence (0-100).
    pub ocr_confidence: Option<f64>,
    /// Where the page's text came from: `layer`, `ocr` or `mixed`.
    pub text_source: String,
    /// Why (part of) the page was read from its picture, if it was to be.
    pub reason: Option<String>,
    /// The page's redactions, when it has any (or hidden text).
    pub redactions: Option<PageRedactions>,
    /// Matching pages near-identical to this one, folded under it (folded search):
    /// the best [`MAX_NEAR_LISTED`] of them.
    pub near_identical: Vec<NearPage>,
    /// How many pages are folded under it, listed or not.
    pub near_identical_count: usize,
}

/// A matching page folded under a near-identical hit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NearPage {
    pub path: String,
    pub doc_id: String,
    pub page: u64,
}

/// A page of results and how many pages matched in all.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub total: usize,
    /// With near-identical pages folded: how many hits the matching pages make.
    pub folded_total: Option<usize>,
    pub hits: Vec<Hit>,
}

/// Matching pages, best first, among which near-identical ones are folded; deeper
/// pages of results fold over more.
const FOLD_WINDOW: usize = 10_000;
/// Folded pages listed under a hit: a page copied into a thousand releases would
/// otherwise make an answer of a thousand entries per hit.
pub const MAX_NEAR_LISTED: usize = 50;

/// The most frequent values of one entity kind among a query's pages.
#[derive(Debug, Clone, Serialize)]
pub struct FacetCounts {
    pub kind: Kind,
    /// (normalised value, pages) by descending count.
    pub values: Vec<(String, u64)>,
}

/// One indexed file, as `foia serve` describes it: where it is and what each page
/// names.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentView {
    pub doc_id: String,
    pub path: String,
    pub title: Option<String>,
    pub page_count: u64,
    /// Pages in order, each with its entities.
    pub pages: Vec<PageEntities>,
}

/// The entities of one page.
#[derive(Debug, Clone, Serialize)]
pub struct PageEntities {
    pub page: u64,
    pub entities: Vec<Entity>,
}

/// Why a search failed: the query (the user's to fix) or the index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("bad query {query:?}: {reason}")]
    Query { query: String, reason: String },
    #[error("index error: {0}")]
    Index(#[from] tantivy::TantivyError),
}

/// A reader over the index with its query parser; cheap to share between threads.
pub struct PageSearcher {
    reader: IndexReader,
    parser: QueryParser,
    fields: Fields,
    /// The dump's canonical entity names as of a commit (its searcher generation),
    /// built when a filter or facet first needs them.
    canon: Mutex<Option<(u64, Arc<Canon>)>>,
}

impl PageSearcher {
    /// Opens a reader. Words without a field search the text and the title, and all
    /// of them must match (what a reporter typing several words expects).
    pub fn new(index: &FoiaIndex) -> tantivy::Result<PageSearcher> {
        let fields = index.fields;
        let mut parser = QueryParser::for_index(&index.index, vec![fields.text, fields.title]);
        parser.set_conjunction_by_default();
        Ok(PageSearcher {
            reader: index.index.reader()?,
            parser,
            fields,
            canon: Mutex::new(None),
        })
    }

    /// The canonical names of the entities in the index as of its latest commit: every
    /// value of every kind, with the pages that name it.
    pub(super) fn canon(&self) -> Result<Arc<Canon>, SearchError> {
        let searcher = self.reader.searcher();
        let generation = searcher.generation().generation_id();
        let mut cached = self
            .canon
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((seen, canon)) = cached.as_ref() {
            if *seen == generation {
                return Ok(Arc::clone(canon));
            }
        }
        let mut collector = FacetCollector::for_field(schema::ENTITY);
        for kind in Kind::ALL {
            collector.add_facet(Facet::from_path([kind.as_str()]));
        }
        let counts = searcher.search(&AllQuery, &collector)?;
        let canon = Arc::new(Canon::build(Kind::ALL.into_iter().flat_map(|kind| {
            facet_values(&counts, kind).map(move |(value, pages)| (kind, value, pages))
        })));
        *cached = Some((generation, Arc::clone(&canon)));
        Ok(canon)
    }

    /// Parses a query: Tantivy syntax, negations made to work (`a AND NOT b`), entity
    /// values normalised (`agency:ICE`, `amount:>=1000000` in dollars, `date:2018-01`).
    pub(super) fn parse(&self, query: &str) -> Result<Box<dyn Query>, SearchError> {
        let bad_query = |reason: String| SearchError::Query {
            query: query.to_string(),
            reason,
        };
        let ast = tantivy::query_grammar::parse_query(query).map_err(|_| {
            bad_query(
                "syntax error (unbalanced quotes or brackets, or a lone operator?)".to_string(),
            )
        })?;
        let canon = if names_entities(query) {
            Some(self.canon()?)
        } else {
            None
        };
        let ast = entity_values(lift_negations(ast), canon.as_deref()).map_err(bad_query)?;
        self.parser
            .build_query_from_user_input_ast(ast)
            .map_err(|error| bad_query(error.to_string()))
    }

    /// The `top` most frequent values of each entity kind on the pages matching
    /// `query`, with their page counts.
    pub fn facets(&self, query: &str, top: usize) -> Result<Vec<FacetCounts>, SearchError> {
        let parsed = self.parse(query)?;
        let mut collector = FacetCollector::for_field(schema::ENTITY);
        for kind in Kind::ALL {
            collector.add_facet(Facet::from_path([kind.as_str()]));
        }
        let counts = self.reader.searcher().search(&parsed, &collector)?;
        let canon = self.canon()?;
        Ok(Kind::ALL
            .into_iter()
            .map(|kind| {
                // Pages per canonical name: a page that names one entity under two
                // spellings counts twice, a rare overcount facets can bear.
                let mut pages: HashMap<String, u64> = HashMap::new();
                for (value, count) in facet_values(&counts, kind) {
                    *pages
                        .entry(canon.name(kind, value).to_string())
                        .or_default() += count;
                }
                let mut values: Vec<(String, u64)> = pages.into_iter().collect();
                values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                values.truncate(top);
                FacetCounts { kind, values }
            })
            .filter(|counts| !counts.values.is_empty())
            .collect())
    }

    /// The index's field handles.
    pub(super) fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The index as of its latest commit this reader has seen.
    pub fn snapshot(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    /// The path indexed for `doc_id`, or `None` when no page has it.
    pub fn path_of(&self, doc_id: &str) -> Option<String> {
        let searcher = self.reader.searcher();
        stored_text_where(&searcher, self.fields.doc_id, doc_id, self.fields.path)
    }

    /// The pages of the file indexed as `doc_id`, or `None` when no page has it.
    pub fn page_count_of(&self, doc_id: &str) -> Option<u64> {
        let searcher = self.reader.searcher();
        let document = stored_document_where(&searcher, self.fields.doc_id, doc_id)?;
        Some(stored_number(&document, self.fields.page_count))
    }

    /// The file indexed as `doc_id` (its sha256), or `None` when no page has it.
    pub fn document(&self, doc_id: &str) -> tantivy::Result<Option<DocumentView>> {
        let searcher = self.reader.searcher();
        let query = TermQuery::new(
            Term::from_field_text(self.fields.doc_id, doc_id),
            IndexRecordOption::Basic,
        );
        let addresses = searcher.search(&query, &DocSetCollector)?;
        let mut view: Option<DocumentView> = None;
        for address in addresses {
            let document: TantivyDocument = searcher.doc(address)?;
            let view = view.get_or_insert_with(|| DocumentView {
                doc_id: doc_id.to_string(),
                path: stored_text(&document, self.fields.path).unwrap_or_default(),
                title: stored_text(&document, self.fields.title),
                page_count: stored_number(&document, self.fields.page_count),
                pages: Vec::new(),
            });
            let entities = stored_text(&document, self.fields.entities_json)
                .and_then(|json| serde_json::from_str(&json).ok())
                .unwrap_or_default();
            view.pages.push(PageEntities {
                page: stored_number(&document, self.fields.page),
                entities,
            });
        }
        if let Some(view) = view.as_mut() {
            view.pages.sort_by_key(|page| page.page);
        }
        Ok(view)
    }

    /// Runs `query`, returning hits `offset..offset + limit` by descending score.
    pub fn search(
        &self,
        query: &str,
        limit: usize,
        offset: usize,
    ) -> Result<SearchResults, SearchError> {
        let parsed = self.parse(query)?;
        let searcher = self.reader.searcher();
        let collector = (
            Count,
            TopDocs::with_limit(limit.max(1))
                .and_offset(offset)
                .order_by_score(),
        );
        let (total, top) = searcher.search(&parsed, &collector)?;
        let snippets = self.snippets(&searcher, &*parsed)?;
        let hits = top
            .into_iter()
            .take(limit)
            .map(|(score, address)| self.hit(&searcher, &snippets, score, address))
            .collect::<tantivy::Result<Vec<Hit>>>()?;
        Ok(SearchResults {
            total,
            folded_total: None,
            hits,
        })
    }

    /// Runs `query` as [`PageSearcher::search`] does, with near-identical matching
    /// pages ([`crate::similarity`]) folded under the best-scoring one: hits
    /// `offset..offset + limit` of the folded list.
    pub fn search_folded(
        &self,
        query: &str,
        limit: usize,
        offset: usize,
    ) -> Result<SearchResults, SearchError> {
        let parsed = self.parse(query)?;
        let searcher = self.reader.searcher();
        let columns = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().u64(schema::SKETCH))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let mut window = FOLD_WINDOW.max(offset + limit);
        loop {
            let collector = (Count, TopDocs::with_limit(window).order_by_score());
            let (total, top) = searcher.search(&parsed, &collector)?;
            let sketches: Vec<Option<Sketch>> = top
                .iter()
                .map(|(_, address)| {
                    Sketch::from_words(
                        columns[address.segment_ord as usize].values_for_doc(address.doc_id),
                    )
                })
                .collect();
            // Each page's group is led by its best-scoring page, the first in `top`.
            let mut leader: Vec<usize> = (0..top.len()).collect();
            for group in similarity::groups(&sketches) {
                for &position in &group {
                    leader[position] = group[0];
                }
            }
            let shown: Vec<usize> = (0..top.len()).filter(|&at| leader[at] == at).collect();
            // Too few hits once folded for this page of results: fold over more.
            if shown.len() < offset + limit && top.len() < total {
                window = window.saturating_mul(2);
                continue;
            }
            let snippets = self.snippets(&searcher, &*parsed)?;
            let hits = shown
                .iter()
                .skip(offset)
                .take(limit)
                .map(|&at| {
                    let (score, address) = top[at];
                    let mut hit = self.hit(&searcher, &snippets, score, address)?;
                    let folded: Vec<usize> = leader
                        .iter()
                        .enumerate()
                        .filter(|&(other, &lead)| lead == at && other != at)
                        .map(|(other, _)| other)
                        .collect();
                    hit.near_identical_count = folded.len();
                    for &other in folded.iter().take(MAX_NEAR_LISTED) {
                        let document: TantivyDocument = searcher.doc(top[other].1)?;
                        hit.near_identical.push(NearPage {
                            path: stored_text(&document, self.fields.path).unwrap_or_default(),
                            doc_id: stored_text(&document, self.fields.doc_id).unwrap_or_default(),
                            page: stored_number(&document, self.fields.page),
                        });
                    }
                    Ok(hit)
                })
                .collect::<tantivy::Result<Vec<Hit>>>()?;
            return Ok(SearchResults {
                total,
                folded_total: Some(shown.len() + (total - top.len())),
                hits,
            });
        }
    }

    /// Cuts snippets of at most [`SNIPPET_CHARS`] around what `query` matches.
    fn snippets(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
    ) -> tantivy::Result<SnippetGenerator> {
        let mut snippets = SnippetGenerator::create(searcher, query, self.fields.text)?;
        snippets.set_max_num_chars(SNIPPET_CHARS);
        Ok(snippets)
    }

    /// A matching page as a hit: its stored fields and a snippet.
    fn hit(
        &self,
        searcher: &tantivy::Searcher,
        snippets: &SnippetGenerator,
        score: f32,
        address: tantivy::DocAddress,
    ) -> tantivy::Result<Hit> {
        let document: TantivyDocument = searcher.doc(address)?;
        let snippet = snippets.snippet_from_doc(&document);
        let (snippet, highlights) = if snippet.fragment().is_empty() {
            let text = stored_text(&document, self.fields.text).unwrap_or_default();
            (leading_chars(&text, SNIPPET_CHARS).to_string(), Vec::new())
        } else {
            (
                snippet.fragment().to_string(),
                snippet.highlighted().to_vec(),
            )
        };
        Ok(Hit {
            path: stored_text(&document, self.fields.path).unwrap_or_default(),
            doc_id: stored_text(&document, self.fields.doc_id).unwrap_or_default(),
            title: stored_text(&document, self.fields.title),
            page: stored_number(&document, self.fields.page),
            page_count: stored_number(&document, self.fields.page_count),
            score,
            snippet: one_line(&snippet),
            highlights,
            ocr_confidence: document
                .get_first(self.fields.ocr_confidence)
                .and_then(|value| value.as_f64()),
            text_source: stored_text(&document, self.fields.text_source)
                .unwrap_or_else(|| "layer".to_string()),
            reason: stored_text(&document, self.fields.reason),
            redactions: stored_text(&document, self.fields.redactions_json)
                .and_then(|json| serde_json::from_str(&json).ok()),
            near_identical: Vec::new(),
            near_identical_count: 0,
        })
    }
}

/// Entity filters take values as people write them: `agency:ICE` means the canonical
/// agency, `vendor:"Vigilant Solutions, LLC"` the vendor without suffix, `amount` is
/// in dollars (stored in cents), and `date:2018-01` or `date:[2018-01-01 TO
/// 2018-12-31]` are whole days or months.
fn entity_values(ast: UserInputAst, canon: Option<&Canon>) -> Result<UserInputAst, String> {
    Ok(match ast {
        UserInputAst::Clause(children) => UserInputAst::Clause(
            children
                .into_iter()
                .map(|(occur, child)| Ok((occur, entity_values(child, canon)?)))
                .collect::<Result<_, String>>()?,
        ),
        UserInputAst::Boost(inner, boost) => {
            UserInputAst::Boost(Box::new(entity_values(*inner, canon)?), boost)
        }
        UserInputAst::Leaf(leaf) => every_spelling(entity_leaf(*leaf)?, canon),
    })
}

/// The values of one entity kind in facet counts, with their page counts.
fn facet_values(
    counts: &tantivy::collector::FacetCounts,
    kind: Kind,
) -> impl Iterator<Item = (&str, u64)> {
    counts
        .get(&format!("/{}", kind.as_str()))
        .filter_map(|(facet, pages)| Some((facet.to_path().last().copied()?, pages)))
}

/// Whether a query filters by a kind whose values have spellings to fold.
fn names_entities(query: &str) -> bool {
    SPELLED_KINDS
        .iter()
        .any(|kind| query.contains(&format!("{}:", kind.as_str())))
}

/// A filter on an agency, vendor or person, as "any of its spellings in the dump"
/// (`vendor:Cobwebs` finds pages that say "Cobwebs Technologies").
fn every_spelling(leaf: UserInputLeaf, canon: Option<&Canon>) -> UserInputAst {
    let (Some(canon), UserInputLeaf::Literal(literal)) = (canon, &leaf) else {
        return UserInputAst::Leaf(Box::new(leaf));
    };
    let kind = literal.field_name.as_deref().and_then(Kind::parse);
    let Some(kind) = kind.filter(|kind| SPELLED_KINDS.contains(kind)) else {
        return UserInputAst::Leaf(Box::new(leaf));
    };
    let mut members = canon.members(kind, &literal.phrase);
    if members.len() < 2 {
        // One spelling in the dump, maybe not the one typed ("PenLink" for "Pen-Link").
        let mut only = literal.clone();
        only.phrase = members.pop().unwrap_or_else(|| literal.phrase.clone());
        return UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(only)));
    }
    UserInputAst::Clause(
        members
            .into_iter()
            .map(|member| {
                let mut spelling = literal.clone();
                spelling.phrase = member;
                (
                    Some(Occur::Should),
                    UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(spelling))),
                )
            })
            .collect(),
    )
}

fn entity_leaf(leaf: UserInputLeaf) -> Result<UserInputLeaf, String> {
    let is_amount =
        |field: &Option<String>| matches!(field.as_deref(), Some(schema::AMOUNT | "money"));
    let is_date = |field: &Option<String>| field.as_deref() == Some(schema::DATE);
    match leaf {
        UserInputLeaf::Literal(mut literal) if is_amount(&literal.field_name) => {
            literal.field_name = Some(schema::AMOUNT.to_string());
            literal.phrase = query_cents(&literal.phrase)?.to_string();
            Ok(UserInputLeaf::Literal(literal))
        }
        UserInputLeaf::Literal(literal) if is_date(&literal.field_name) => {
            let (first, last) =
                date::query_bounds(&literal.phrase).ok_or_else(|| bad_date(&literal.phrase))?;
            Ok(UserInputLeaf::Range {
                field: literal.field_name,
                lower: UserInputBound::Inclusive(format!("{first}T00:00:00Z")),
                upper: UserInputBound::Inclusive(format!("{last}T00:00:00Z")),
            })
        }
        UserInputLeaf::Literal(mut literal) => {
            let kind = literal.field_name.as_deref().and_then(Kind::parse);
            if let Some(kind) = kind {
                literal.phrase = kind.normalize(&literal.phrase);
            }
            Ok(UserInputLeaf::Literal(literal))
        }
        UserInputLeaf::Range {
            field,
            lower,
            upper,
        } if is_amount(&field) => Ok(UserInputLeaf::Range {
            field: Some(schema::AMOUNT.to_string()),
            lower: map_bound(lower, |value| {
                query_cents(value).map(|cents| cents.to_string())
            })?,
            upper: map_bound(upper, |value| {
                query_cents(value).map(|cents| cents.to_string())
            })?,
        }),
        UserInputLeaf::Range {
            field,
            lower,
            upper,
        } if is_date(&field) => Ok(UserInputLeaf::Range {
            field,
            lower: map_bound(lower, |value| {
                let (first, _) = date::query_bounds(value).ok_or_else(|| bad_date(value))?;
                Ok(format!("{first}T00:00:00Z"))
            })?,
            upper: map_bound(upper, |value| {
                let (_, last) = date::query_bounds(value).ok_or_else(|| bad_date(value))?;
                Ok(format!("{last}T00:00:00Z"))
            })?,
        }),
        other => Ok(other),
    }
}

fn map_bound(
    bound: UserInputBound,
    map: impl Fn(&str) -> Result<String, String>,
) -> Result<UserInputBound, String> {
    Ok(match bound {
        UserInputBound::Inclusive(value) => UserInputBound::Inclusive(map(&value)?),
        UserInputBound::Exclusive(value) => UserInputBound::Exclusive(map(&value)?),
        UserInputBound::Unbounded => UserInputBound::Unbounded,
    })
}

fn bad_date(value: &str) -> String {
    format!("{value:?} is not a date (use YYYY-MM-DD or YYYY-MM)")
}

/// Cents of a dollar amount in a query ("1000000", "$1,000,000", "6.1M").
fn query_cents(value: &str) -> Result<u64, String> {
    money::query_cents(value).ok_or_else(|| format!("{value:?} is not an amount in dollars"))
}

/// Makes `a AND NOT b` and a lone `NOT b` mean what they say.
///
/// Tantivy's grammar reads `a AND NOT b` as `+a +(-b)`, and a clause made only of
/// negations matches nothing, so the whole query would match nothing (tantivy issues
/// 1980 and 2584). Such negations are lifted into the enclosing clause (`+a -b`), and a
/// query of negations alone subtracts from all pages, as in Lucene.
fn lift_negations(ast: UserInputAst) -> UserInputAst {
    match lift_nested_negations(ast) {
        UserInputAst::Clause(mut clauses) if only_negations(&clauses) => {
            clauses.push((
                Some(Occur::Must),
                UserInputAst::Leaf(Box::new(UserInputLeaf::All)),
            ));
            UserInputAst::Clause(clauses)
        }
        other => other,
    }
}

fn lift_nested_negations(ast: UserInputAst) -> UserInputAst {
    match ast {
        UserInputAst::Clause(children) => {
            let mut lifted = Vec::with_capacity(children.len());
            for (occur, child) in children {
                // Under conjunction by default, no operator means Must.
                let required = matches!(occur, None | Some(Occur::Must));
                match lift_nested_negations(child) {
                    UserInputAst::Clause(inner) if required && only_negations(&inner) => {
                        lifted.extend(inner)
                    }
                    child => lifted.push((occur, child)),
                }
            }
            UserInputAst::Clause(lifted)
        }
        UserInputAst::Boost(inner, boost) => {
            UserInputAst::Boost(Box::new(lift_nested_negations(*inner)), boost)
        }
        leaf => leaf,
    }
}

fn only_negations(clauses: &[(Option<Occur>, UserInputAst)]) -> bool {
    !clauses.is_empty()
        && clauses
            .iter()
            .all(|(occur, _)| *occur == Some(Occur::MustNot))
}

/// Replaces line breaks, tabs and form feeds by spaces. Each is one byte, as is a
/// space, so highlight byte ranges stay valid.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t' | '\x0c') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// The first `max_chars` characters of `text`, cut at a character boundary.
fn leading_chars(text: &str, max_chars: usize) -> &str {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lifted(query: &str) -> String {
        let ast = tantivy::query_grammar::parse_query(query).expect("query parses");
        format!("{:?}", lift_negations(ast))
    }

    #[test]
    fn and_not_becomes_a_plain_exclusion() {
        assert_eq!(lifted("a AND NOT b"), "(+a -b)");
        assert_eq!(lifted("a AND NOT b AND c"), "(+a -b +c)");
        assert_eq!(lifted("a AND NOT (b OR c)"), "(+a -(?b ?c))");
    }

    #[test]
    fn lone_negation_subtracts_from_everything() {
        assert_eq!(lifted("NOT b"), "(-b +*)");
    }

    #[test]
    fn or_not_and_plain_queries_are_untouched() {
        assert_eq!(lifted("a OR NOT b"), "(?a ?(-b))");
        assert_eq!(lifted("a b"), "(*a *b)");
        assert_eq!(lifted("\"license plate\""), "\"license plate\"");
    }

    #[test]
    fn one_line_keeps_byte_offsets() {
        let text = "ICE\nérgé\tx\x0cy";
        let flat = one_line(text);
        assert_eq!(flat, "ICE érgé x y");
        assert_eq!(flat.len(), text.len());
    }

    #[test]
    fn leading_chars_respects_utf8() {
        assert_eq!(leading_chars("ééé", 2), "éé");
        assert_eq!(leading_chars("ab", 5), "ab");
    }
}
