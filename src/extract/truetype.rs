//! Embedded TrueType programs: which character each glyph draws, for composite fonts
//! that come without a ToUnicode CMap (poppler does the same: it reads the font's own
//! cmap backwards, then its glyph names).

use crate::hash::FastMap;

use super::document::Document;
use super::encoding::glyph_text;

/// Glyph id -> text, from the program's Unicode cmap subtables, else its `post`
/// glyph names. Empty when the program cannot be parsed.
pub fn glyph_texts(document: &Document, program: &[u8]) -> FastMap<u16, String> {
    let mut texts = FastMap::default();
    let Ok(face) = ttf_parser::Face::parse(program, 0) else {
        return texts;
    };
    if let Some(cmap) = face.tables().cmap {
        for subtable in cmap.subtables {
            if !subtable.is_unicode() {
                continue;
            }
            subtable.codepoints(|codepoint| {
                let glyph = subtable.glyph_index(codepoint);
                if let (Some(glyph), Some(c)) = (glyph, char::from_u32(codepoint)) {
                    // The lowest code point wins: "A" rather than a compatibility form.
                    texts
                        .entry(glyph.0)
                        .and_modify(|text: &mut String| {
                            if text.chars().next().is_some_and(|old| c < old) {
                                *text = c.to_string();
                            }
                        })
                        .or_insert_with(|| c.to_string());
                }
            });
        }
    }
    if texts.is_empty() {
        for glyph in 0..face.number_of_glyphs() {
            if let Some(name) = face.glyph_name(ttf_parser::GlyphId(glyph)) {
                let text = glyph_text(document, name.as_bytes());
                if !text.is_empty() {
                    texts.insert(glyph, text);
                }
            }
        }
    }
    texts
}
