//! One page as the page view shows it: its text with the query's matches marked, the
//! boxes of those matches on the page (from the word positions kept at ingest,
//! [`crate::extract::words`]), and its entities.

use std::ops::Range;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::query_grammar::{Occur as Must, UserInputAst, UserInputLeaf};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{TantivyDocument, Term};

use super::search::{PageSearcher, SearchError};
use super::{schema, stored_number, stored_text, TOKENIZER};
use crate::entities::Entity;
use crate::extract::words;

/// A page of an indexed file, for the page view.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    pub doc_id: String,
    pub path: String,
    pub title: Option<String>,
    pub page: u64,
    pub page_count: u64,
    /// The page's text in pieces, in order: `hit` on the words the query matches.
    pub pieces: Vec<Piece>,
    /// Boxes of the matched words on the page, `[left, top, right, bottom]` as shares
    /// of the upright page from its top left.
    pub boxes: Vec<[f32; 4]>,
    /// Matched words with no known position (a word rejoined across a line break).
    pub unplaced: usize,
    pub entities: Vec<Entity>,
    pub text_source: String,
    pub ocr_confidence: Option<f64>,
}

/// A run of a page's text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Piece {
    pub text: String,
    pub hit: bool,
}

impl PageSearcher {
    /// Page `page` of the file `doc_id` with what `query` (if any) matches on it;
    /// `None` when the index has no such page.
    pub fn page_view(
        &self,
        doc_id: &str,
        page: u64,
        query: Option<&str>,
    ) -> Result<Option<PageView>, SearchError> {
        // A query the search would refuse is refused here too.
        query.map(|query| self.parse(query)).transpose()?;
        let searcher = self.snapshot();
        let fields = self.fields();
        let exact = |term: Term| -> Box<dyn Query> {
            Box::new(TermQuery::new(term, IndexRecordOption::Basic))
        };
        let address = BooleanQuery::new(vec![
            (
                Occur::Must,
                exact(Term::from_field_text(fields.doc_id, doc_id)),
            ),
            (Occur::Must, exact(Term::from_field_u64(fields.page, page))),
        ]);
        let Some((_, address)) = searcher
            .search(&address, &TopDocs::with_limit(1).order_by_score())?
            .into_iter()
            .next()
        else {
            return Ok(None);
        };
        let document: TantivyDocument = searcher.doc(address)?;
        let text = stored_text(&document, fields.text).unwrap_or_default();
        let matched = match query {
            Some(query) => {
                let mut analyzer = searcher.index().tokenizers().get(TOKENIZER);
                analyzer
                    .as_mut()
                    .map_or_else(Vec::new, |analyzer| matches(query, &text, analyzer))
            }
            None => Vec::new(),
        };
        let placed = document
            .get_first(fields.word_boxes)
            .and_then(|value| value.as_bytes())
            .and_then(|bytes| words::decode(&text, bytes))
            .unwrap_or_default();
        let mut boxes = Vec::new();
        let mut unplaced = 0;
        for range in &matched {
            let words: Vec<[f32; 4]> = placed
                .iter()
                .filter(|word| (word.start as usize) < range.end && range.start < word.end as usize)
                .map(|word| word.bbox)
                .collect();
            if words.is_empty() {
                unplaced += 1;
            }
            boxes.extend(by_line(words));
        }
        let entities = stored_text(&document, fields.entities_json)
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default();
        Ok(Some(PageView {
            doc_id: doc_id.to_string(),
            path: stored_text(&document, fields.path).unwrap_or_default(),
            title: stored_text(&document, fields.title),
            page,
            page_count: stored_number(&document, fields.page_count),
            pieces: pieces(&text, &matched),
            boxes,
            unplaced,
            entities,
            text_source: stored_text(&document, fields.text_source)
                .unwrap_or_else(|| "layer".to_string()),
            ocr_confidence: document
                .get_first(fields.ocr_confidence)
                .and_then(|value| value.as_f64()),
        }))
    }
}

/// Where in `text` the words and phrases `query` asks for stand, by the index's own
/// analyzer: a phrase (or a word the parser splits, `VS-2018-0412`) as one run,
/// never its words apart; a phrase prefix (`"license plat"*`) ending on a word's
/// start. Words under `NOT` and filters on other fields are not marked. In text
/// order, not overlapping.
fn matches(query: &str, text: &str, analyzer: &mut TextAnalyzer) -> Vec<Range<usize>> {
    let Ok(ast) = tantivy::query_grammar::parse_query(query) else {
        return Vec::new();
    };
    let mut literals = Vec::new();
    asked_for(&ast, &mut literals);
    let terms = |analyzer: &mut TextAnalyzer, text: &str| {
        let mut stream = analyzer.token_stream(text);
        let mut terms = Vec::new();
        while let Some(token) = stream.next() {
            terms.push((token.offset_from..token.offset_to, token.text.clone()));
        }
        terms
    };
    let words = terms(analyzer, text);
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for (phrase, prefix) in literals {
        let wanted: Vec<String> = terms(analyzer, &phrase)
            .into_iter()
            .map(|(_, term)| term)
            .collect();
        if wanted.is_empty() || wanted.len() > words.len() {
            continue;
        }
        for at in 0..=words.len() - wanted.len() {
            let run = &words[at..at + wanted.len()];
            let found = run
                .iter()
                .zip(&wanted)
                .enumerate()
                .all(|(index, ((_, word), want))| {
                    if prefix && index + 1 == wanted.len() {
                        word.starts_with(want.as_str())
                    } else {
                        word == want
                    }
                });
            if found {
                ranges.push(run[0].0.start..run[run.len() - 1].0.end);
            }
        }
    }
    ranges.sort_by_key(|range| (range.start, std::cmp::Reverse(range.end)));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start < last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// The words and phrases of the text a query asks for (not under `NOT`), each with
/// whether it is a prefix.
fn asked_for(ast: &UserInputAst, literals: &mut Vec<(String, bool)>) {
    match ast {
        UserInputAst::Clause(clauses) => {
            for (occur, clause) in clauses {
                if *occur != Some(Must::MustNot) {
                    asked_for(clause, literals);
                }
            }
        }
        UserInputAst::Boost(inner, _) => asked_for(inner, literals),
        UserInputAst::Leaf(leaf) => {
            if let UserInputLeaf::Literal(literal) = leaf.as_ref() {
                let on_text = literal
                    .field_name
                    .as_deref()
                    .is_none_or(|field| field == schema::TEXT);
                if on_text {
                    literals.push((literal.phrase.clone(), literal.prefix));
                }
            }
        }
    }
}

/// The boxes of one match's words joined line by line, so a phrase is one box per
/// line it runs over, not one per word: a box joins the one before when they stand on
/// one line (their heights overlap by half) with no more than a line's height between.
fn by_line(words: Vec<[f32; 4]>) -> Vec<[f32; 4]> {
    let mut lines: Vec<[f32; 4]> = Vec::new();
    for word in words {
        if let Some(last) = lines.last_mut() {
            let height = (last[3] - last[1]).min(word[3] - word[1]).max(f32::EPSILON);
            let shared = last[3].min(word[3]) - last[1].max(word[1]);
            let gap = word[0] - last[2];
            if shared >= height / 2.0 && gap <= height && gap >= -height {
                *last = [
                    last[0].min(word[0]),
                    last[1].min(word[1]),
                    last[2].max(word[2]),
                    last[3].max(word[3]),
                ];
                continue;
            }
        }
        lines.push(word);
    }
    lines
}

/// `text` cut at the `matched` ranges (in order, not overlapping).
fn pieces(text: &str, matched: &[Range<usize>]) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut at = 0;
    let mut push = |text: &str, hit: bool| {
        if !text.is_empty() {
            pieces.push(Piece {
                text: text.to_string(),
                hit,
            });
        }
    };
    for range in matched {
        if range.start < at {
            continue;
        }
        push(&text[at..range.start], false);
        push(&text[range.clone()], true);
        at = range.end;
    }
    push(&text[at..], false);
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(query: &str, text: &str) -> Vec<String> {
        let mut analyzer = crate::index::analyzer();
        matches(query, text, &mut analyzer)
            .into_iter()
            .map(|range| text[range].to_string())
            .collect()
    }

    #[test]
    fn phrases_are_marked_whole_and_negations_not_at_all() {
        let text = "Invoice No.: VS-2018-0412\nDate: April 12, 2018\nLicence plates; licensed";
        assert_eq!(marked("\"VS-2018-0412\"", text), ["VS-2018-0412"]);
        assert_eq!(marked("VS-2018-0412", text), ["VS-2018-0412"]);
        assert_eq!(marked("invoice AND NOT april", text), ["Invoice"]);
        assert_eq!(marked("\"licence plat\"*", text), ["Licence plates"]);
        assert_eq!(
            marked("\"april 12\" OR 2018", text),
            ["2018", "April 12", "2018"]
        );
        assert_eq!(marked("agency:ICE amount:>5", text), Vec::<String>::new());
    }

    #[test]
    fn a_phrase_is_one_box_per_line() {
        let line = |left: f32, top: f32| [left, top, left + 0.05, top + 0.015];
        // "license plate" + "reader" on the next line; then a word far along the line.
        let joined = by_line(vec![line(0.10, 0.20), line(0.16, 0.20), line(0.10, 0.22)]);
        assert_eq!(joined, [[0.10, 0.20, 0.21, 0.215], line(0.10, 0.22)]);
        let apart = by_line(vec![line(0.10, 0.20), line(0.60, 0.20)]);
        assert_eq!(apart.len(), 2, "a wide gap (another column) stays apart");
    }

    #[test]
    fn text_is_cut_at_the_matches() {
        let cut = pieces("pay Acme now", &[4..8, 9..12]);
        let shown: Vec<(&str, bool)> = cut.iter().map(|p| (p.text.as_str(), p.hit)).collect();
        assert_eq!(
            shown,
            [("pay ", false), ("Acme", true), (" ", false), ("now", true)]
        );
        assert_eq!(pieces("", &[]), []);
    }
}
