//! Fonts: how a shown string's bytes split into codes, what text each code stands for,
//! and how wide each glyph is (so layout knows where a glyph ends).

use std::collections::HashMap;

use lopdf::{Dictionary, Object};

use super::cmap::ToUnicode;
use super::document::Document;

/// Width of a glyph whose font gives none, in thousandths of the font size: about an
/// average Latin letter, so gaps between words still show.
const FALLBACK_WIDTH: f32 = 500.0;

/// One code of a shown string.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// The code, big-endian over its bytes.
    pub code: u32,
    /// How many bytes the code took.
    pub length: u8,
    /// The text the code stands for; empty when the font does not say.
    pub text: String,
    /// Advance width in text space units per unit of font size (1000ths / 1000).
    pub width: f32,
}

/// A font resource, resolved once per content stream.
pub struct Font<'a> {
    to_unicode: Option<ToUnicode>,
    encoding: Option<lopdf::Encoding<'a>>,
    composite: bool,
    widths: HashMap<u32, f32>,
    default_width: f32,
    /// Glyph space -> text space: 1/1000 except for Type3 fonts (ISO 32000-1 9.6.5).
    width_scale: f32,
}

impl<'a> Font<'a> {
    /// Reads a font dictionary. Any part that cannot be read falls back to a default
    /// rather than failing: a font with unknown widths still yields its text.
    pub fn load(document: &'a Document, font: &'a Dictionary) -> Font<'a> {
        let subtype = font
            .get(b"Subtype")
            .and_then(Object::as_name)
            .unwrap_or(b"");
        let composite = subtype == b"Type0";
        let to_unicode = font
            .get(b"ToUnicode")
            .ok()
            .and_then(|object| document.stream_bytes(object))
            .map(|bytes| ToUnicode::parse(&bytes))
            .filter(|cmap| !cmap.is_empty());
        let encoding = if composite {
            None
        } else {
            font.get_font_encoding(document.lopdf()).ok()
        };
        let width_scale = if subtype == b"Type3" {
            document
                .array_entry(font, b"FontMatrix")
                .and_then(|matrix| matrix.first())
                .and_then(|value| value.as_float().ok())
                .map_or(0.001, f32::abs)
        } else {
            0.001
        };
        let (widths, default_width) = if composite {
            composite_widths(document, font)
        } else {
            simple_widths(document, font)
        };
        Font {
            to_unicode,
            encoding,
            composite,
            widths,
            default_width,
            width_scale,
        }
    }

    /// Splits a shown string into glyphs.
    pub fn glyphs(&self, bytes: &[u8]) -> Vec<Glyph> {
        let mut glyphs = Vec::new();
        let mut position = 0;
        while position < bytes.len() {
            let rest = &bytes[position..];
            let length = self.code_length(rest).min(rest.len() as u8).max(1);
            let code = rest[..length as usize]
                .iter()
                .fold(0u32, |value, byte| (value << 8) | u32::from(*byte));
            let width = self
                .widths
                .get(&code)
                .copied()
                .unwrap_or(self.default_width)
                * self.width_scale;
            glyphs.push(Glyph {
                code,
                length,
                text: expand_ligatures(self.text_for(&rest[..length as usize], length, code)),
                width,
            });
            position += length as usize;
        }
        glyphs
    }

    fn code_length(&self, bytes: &[u8]) -> u8 {
        if !self.composite {
            return 1;
        }
        // Identity-H/V and most embedded CMaps use two-byte codes.
        self.to_unicode
            .as_ref()
            .and_then(|cmap| cmap.code_length(bytes))
            .unwrap_or(2)
    }

    fn text_for(&self, bytes: &[u8], length: u8, code: u32) -> String {
        // ISO 32000-1 9.10.2: a ToUnicode CMap wins over the font's Encoding.
        if let Some(text) = self
            .to_unicode
            .as_ref()
            .and_then(|cmap| cmap.get(length, code))
        {
            return text.to_string();
        }
        match &self.encoding {
            Some(encoding) => encoding
                .bytes_to_string(bytes)
                .unwrap_or_default()
                .replace('\u{FFFD}', ""),
            None => String::new(),
        }
    }
}

/// Spells out the Latin ligatures (U+FB00-FB06): a reporter searching "office" must
/// find "oﬃce" as drawn with an "ffi" glyph.
fn expand_ligatures(text: String) -> String {
    let letters = |c: char| match c {
        '\u{FB00}' => Some("ff"),
        '\u{FB01}' => Some("fi"),
        '\u{FB02}' => Some("fl"),
        '\u{FB03}' => Some("ffi"),
        '\u{FB04}' => Some("ffl"),
        '\u{FB05}' | '\u{FB06}' => Some("st"),
        _ => None,
    };
    if !text.chars().any(|c| letters(c).is_some()) {
        return text;
    }
    text.chars().fold(String::new(), |mut spelled, c| {
        match letters(c) {
            Some(expanded) => spelled.push_str(expanded),
            None => spelled.push(c),
        }
        spelled
    })
}

/// `/FirstChar` + `/Widths` (ISO 32000-1 9.6.2.1), with `/MissingWidth` as default.
fn simple_widths(document: &Document, font: &Dictionary) -> (HashMap<u32, f32>, f32) {
    let missing = document
        .dict_entry(font, b"FontDescriptor")
        .and_then(|descriptor| document.number_entry(descriptor, b"MissingWidth"))
        .filter(|width| *width > 0.0)
        .unwrap_or(FALLBACK_WIDTH);
    let first_char = document.number_entry(font, b"FirstChar").unwrap_or(0.0) as u32;
    let widths = document
        .array_entry(font, b"Widths")
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter_map(|(index, width)| {
            let width = document.resolve(width)?.as_float().ok()?;
            Some((first_char + index as u32, width))
        })
        .collect();
    (widths, missing)
}

/// `/DW` and `/W` of a Type0 font's descendant (ISO 32000-1 9.7.4.3): `W` holds
/// `c [w1 w2 ...]` and `c_first c_last w` entries.
fn composite_widths(document: &Document, font: &Dictionary) -> (HashMap<u32, f32>, f32) {
    let mut widths = HashMap::new();
    let Some(descendant) = document
        .array_entry(font, b"DescendantFonts")
        .and_then(|fonts| fonts.first())
        .and_then(|font| document.resolve(font))
        .and_then(|font| font.as_dict().ok())
    else {
        return (widths, 1000.0);
    };
    let default_width = document.number_entry(descendant, b"DW").unwrap_or(1000.0);
    let entries = document.array_entry(descendant, b"W").unwrap_or_default();
    let number = |object: &Object| document.resolve(object).and_then(|o| o.as_float().ok());
    let mut position = 0;
    while position + 1 < entries.len() {
        let Some(first) = number(&entries[position]) else {
            break;
        };
        let first = first as u32;
        let next = document.resolve(&entries[position + 1]);
        if let Some(Object::Array(list)) = next {
            for (offset, width) in list.iter().enumerate() {
                if let Some(width) = number(width) {
                    widths.insert(first + offset as u32, width);
                }
            }
            position += 2;
        } else if position + 2 < entries.len() {
            let last = number(&entries[position + 1]).unwrap_or(0.0) as u32;
            let width = number(&entries[position + 2]).unwrap_or(default_width);
            // Bounded like a CMap range: no font has more than 65,536 glyphs.
            for code in first..=last.min(first.saturating_add(0xFFFF)) {
                widths.insert(code, width);
            }
            position += 3;
        } else {
            break;
        }
    }
    (widths, default_width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ligatures_are_spelled_out() {
        assert_eq!(
            expand_ligatures("O\u{FB03}ce \u{FB01}le".to_string()),
            "Office file"
        );
        assert_eq!(expand_ligatures("plain".to_string()), "plain");
    }
}
