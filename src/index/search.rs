//! Answering queries: parse Tantivy query syntax, rank pages, cut a snippet around the
//! matched words. Shared by `foia search` and (later) `foia serve`, which only print.

use std::ops::Range;

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::QueryParser;
use tantivy::query_grammar::{Occur, UserInputAst, UserInputLeaf};
use tantivy::snippet::SnippetGenerator;
use tantivy::{IndexReader, TantivyDocument};

use super::{stored_number, stored_text, Fields, FoiaIndex};

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
        let bad_query = |reason: String| SearchError::Query {
            query: query.to_string(),
            reason,
        };
        let ast = tantivy::query_grammar::parse_query(query).map_err(|_| {
            bad_query(
                "syntax error (unbalanced quotes or brackets, or a lone operator?)".to_string(),
            )
        })?;
        let parsed = self
            .parser
            .build_query_from_user_input_ast(lift_negations(ast))
            .map_err(|error| bad_query(error.to_string()))?;
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
                })
            })
            .collect::<tantivy::Result<Vec<Hit>>>()?;
        Ok(SearchResults { total, hits })
    }
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
