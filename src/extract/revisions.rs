//! Words a redaction removed from a file that still keeps them in an earlier
//! revision.
//!
//! A PDF edited and saved as an incremental update keeps its first version: the new
//! objects are appended after the old file, which ends at its own `%%EOF`. When the
//! last revision has a box where the first had words, and those words are gone from
//! the page, the first revision still shows what the box hides. They are reported as
//! notes of kind `earlier-revision` on the box's page (REDACTIONS.md 6).
//!
//! Only files whose last revision has a box, and more than one `%%EOF`, are read
//! twice; the rest cost a scan for the marker.

use std::collections::HashSet;
use std::time::Instant;

use super::document::Document;
use super::interpreter::{page_marks_with, FontCache, PlacedGlyph};
use super::paint::union;
use super::redactions::{coverage, is_junk, is_label, page_words, Finding, Kind, COVERS};
use super::Page;

/// Adds to `pages` the words of the file's first revision that lie under a box of
/// its last and no longer show on the page.
pub fn note_removed_words(
    bytes: &[u8],
    password: Option<&str>,
    deadline: Option<Instant>,
    pages: &mut [Page],
) {
    let boxed = |page: &Page| !page.redactions.rects.is_empty() || !page.redactions.bad.is_empty();
    if !pages.iter().any(boxed) {
        return;
    }
    // The first revision ends at the first end-of-file marker. A linearized file
    // has a marker after its first page's part, where no earlier revision ends;
    // such a prefix does not load, or shows the same first page.
    let Some(first_end) = memchr::memmem::find(bytes, b"%%EOF") else {
        return;
    };
    let end = first_end + b"%%EOF".len();
    if memchr::memmem::find(&bytes[end..], b"%%EOF").is_none() {
        return;
    }
    let Ok(first) = Document::load(&bytes[..end], password, deadline) else {
        return;
    };
    let fonts = FontCache::default();
    for (page, page_id) in pages.iter_mut().zip(first.page_ids()) {
        if !boxed(page) {
            continue;
        }
        let shown: HashSet<&str> = page.text.split_whitespace().collect();
        let boxes: Vec<[f32; 4]> = page
            .redactions
            .rects
            .iter()
            .copied()
            .chain(page.redactions.bad.iter().map(|finding| finding.bbox))
            .collect();
        let marks = page_marks_with(&first, page_id, &fonts);
        let mut removed: Vec<Vec<String>> = vec![Vec::new(); boxes.len()];
        for word in page_words(&marks.glyphs) {
            let glyphs = &marks.glyphs[word];
            let text: String = glyphs.iter().map(|glyph| glyph.text.as_str()).collect();
            let text = text.trim();
            if text.is_empty() || shown.contains(text) || is_label(text) || is_junk(text) {
                continue;
            }
            let rect = glyphs
                .iter()
                .map(PlacedGlyph::ink_box)
                .reduce(union)
                .unwrap_or_default();
            if let Some(under) = boxes
                .iter()
                .position(|&mark| coverage(rect, mark) >= COVERS)
            {
                removed[under].push(text.to_string());
            }
        }
        for (bbox, words) in boxes.into_iter().zip(removed) {
            if !words.is_empty() {
                page.redactions.hidden.push(Finding {
                    bbox,
                    kind: Kind::EarlierRevision,
                    text: words.join(" "),
                });
            }
        }
    }
}
