//! How closely extracted text agrees with a reference (poppler's `pdftotext`), word
//! by word: the measure the extraction benchmark prints and the real-file tests hold.
//!
//! Words are runs of letters, digits and `_` (Python's `\w+`), lowercased, compared
//! as multisets, so reading order and line breaks do not count but every split,
//! joined, dropped or garbled word does.

use std::collections::HashMap;

/// A reference with at least this many words comes from a page with a text layer;
/// fewer are what poppler reads from scans, drawings and deliberately broken test
/// files (a page number, a stray label), where a score says little. On
/// `../shared/corpus-real` this selects 238 of the 334 files with any reference text.
pub const TEXT_LAYER_MIN_WORDS: usize = 20;

/// Whether a reference text is long enough to come from a text layer.
pub fn has_text_layer(reference: &str) -> bool {
    word_counts(reference).values().sum::<usize>() >= TEXT_LAYER_MIN_WORDS
}

/// Precision, recall and F1 of one text against its reference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Agreement {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// Lowercased words of `text` with their counts.
pub fn word_counts(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for word in text
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|word| !word.is_empty())
    {
        *counts.entry(word.to_lowercase()).or_insert(0) += 1;
    }
    counts
}

/// Word-level agreement of `ours` with `reference`.
pub fn agreement(reference: &str, ours: &str) -> Agreement {
    let expected = word_counts(reference);
    let found = word_counts(ours);
    let matched: usize = found
        .iter()
        .map(|(word, count)| (*count).min(expected.get(word).copied().unwrap_or(0)))
        .sum();
    let found_total: usize = found.values().sum();
    let expected_total: usize = expected.values().sum();
    let ratio = |part: usize, whole: usize| {
        if whole == 0 {
            0.0
        } else {
            part as f64 / whole as f64
        }
    };
    let precision = ratio(matched, found_total);
    let recall = ratio(matched, expected_total);
    let f1 = if matched == 0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Agreement {
        precision,
        recall,
        f1,
    }
}

/// Mean, median and share of values at or above 0.9 of a set of F1 scores.
pub fn summary(scores: &[f64]) -> (f64, f64, f64) {
    if scores.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    let mut sorted = scores.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mean = sorted.iter().sum::<f64>() / sorted.len() as f64;
    let middle = sorted.len() / 2;
    let median = if sorted.len() % 2 == 1 {
        sorted[middle]
    } else {
        (sorted[middle - 1] + sorted[middle]) / 2.0
    };
    let good = sorted.iter().filter(|f1| **f1 >= 0.9).count() as f64 / sorted.len() as f64;
    (mean, median, good)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_word_costs_precision_and_recall() {
        let score = agreement("the Police Department", "the police Depart ment");
        assert!((score.precision - 0.5).abs() < 1e-9);
        assert!((score.recall - 2.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn order_and_case_do_not_matter_but_counts_do() {
        assert_eq!(agreement("a b b", "B A B").f1, 1.0);
        assert!(agreement("a b b", "a b").f1 < 1.0);
        assert_eq!(agreement("words", "").f1, 0.0);
    }

    #[test]
    fn summary_of_scores() {
        assert_eq!(summary(&[1.0, 0.5, 0.9, 0.0]), (0.6, 0.7, 0.5));
    }
}
