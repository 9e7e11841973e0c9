//! Answering queries: parse Tantivy query syntax, rank pages, cut a snippet around the
//! matched words. Shared by `foia search` and (later) `foia serve`, which only print.

use std::ops::Range;

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::QueryParser;
use tantivy::schema::Value;
use tantivy::snippet::SnippetGenerator;
use tantivy::{IndexReader, TantivyDocument};

use super::{Fields, FoiaIndex};

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
}

/// A page of results and how many pages matched in all.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
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
        })
    }

    /// Runs `query`, returning hits `offset..offset + limit` by descending score.
    pub fn search(
        &self,
        query: &str,
        limit: usize,
        offset: usize,
    ) -> Result<SearchResults, SearchError> {
        let parsed = self
            .parser
            .parse_query(query)
            .map_err(|error| SearchError::Query {
                query: query.to_string(),
                reason: error.to_string(),
            })?;
        let searcher = self.reader.searcher();
        let collector = (
            Count,
            TopDocs::with_limit(limit.max(1))
                .and_offset(offset)
                .order_by_score(),
        );
        let (total, top) = searcher.search(&parsed, &collector)?;
        let mut snippets = SnippetGenerator::create(&searcher, &*parsed, self.fields.text)?;
        snippets.set_max_num_chars(SNIPPET_CHARS);
        let hits = top
            .into_iter()
            .take(limit)
            .map(|(score, address)| {
                let document: TantivyDocument = searcher.doc(address)?;
                let snippet = snippets.snippet_from_doc(&document);
                let (snippet, highlights) = if snippet.fragment().is_empty() {
                    let text = self.text(&document, self.fields.text).unwrap_or_default();
                    (leading_chars(&text, SNIPPET_CHARS).to_string(), Vec::new())
                } else {
                    (
                        snippet.fragment().to_string(),
                        snippet.highlighted().to_vec(),
                    )
                };
                Ok(Hit {
                    path: self.text(&document, self.fields.path).unwrap_or_default(),
                    doc_id: self.text(&document, self.fields.doc_id).unwrap_or_default(),
                    title: self.text(&document, self.fields.title),
                    page: self.number(&document, self.fields.page),
                    page_count: self.number(&document, self.fields.page_count),
                    score,
                    snippet: one_line(&snippet),
                    highlights,
                })
            })
            .collect::<tantivy::Result<Vec<Hit>>>()?;
        Ok(SearchResults { total, hits })
    }

    fn text(&self, document: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
        document
            .get_first(field)
            .and_then(|value| value.as_str().map(str::to_string))
    }

    fn number(&self, document: &TantivyDocument, field: tantivy::schema::Field) -> u64 {
        document
            .get_first(field)
            .and_then(|value| value.as_u64())
            .unwrap_or(0)
    }
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
