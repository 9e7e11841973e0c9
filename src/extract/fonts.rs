//! Fonts: how a shown string's bytes split into codes, what text each code stands for,
//! and how wide each glyph is (so layout knows where a glyph ends).

use crate::hash::FastMap;
use std::sync::Arc;

use lopdf::{Dictionary, Object};

use super::cid;
use super::cmap::CMap;
use super::document::{Document, MAX_STREAM_BYTES};
use super::encoding::simple_font_table;
use super::standard_metrics::STANDARD_FONTS;
use super::truetype;

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

/// A font resource, resolved once per page.
pub struct Font {
    to_unicode: Option<CMap>,
    decoding: Decoding,
    widths: FastMap<u32, f32>,
    default_width: f32,
    /// Glyph space -> text space: 1/1000 except for Type3 fonts (ISO 32000-1 9.6.5).
    width_scale: f32,
}

/// How codes become text when the ToUnicode CMap does not say.
enum Decoding {
    /// One byte per code; the text of each of the 256 codes ("" when unknown).
    Simple(Vec<String>),
    /// A Type0 font (ISO 32000-1 9.7).
    Composite {
        /// Codespace ranges of an embedded `/Encoding` CMap: how long each code is.
        code_space: Option<CMap>,
        /// `Identity-H/V` and the `Uni...-UCS2/UTF16` CMaps: two-byte codes.
        two_byte: bool,
        /// `Uni...-UCS2/UTF16` CMaps: the code is the UTF-16 code unit itself.
        unicode_codes: bool,
        /// Vertical writing (`...-V` CMaps, or an embedded CMap with `/WMode 1`).
        vertical: bool,
        /// A predefined CMap other than Identity (e.g. `90ms-RKSJ-H`): code lengths
        /// and code -> CID.
        predefined: Option<Arc<CMap>>,
        /// CID -> text read back from an embedded TrueType program.
        cid_texts: FastMap<u32, String>,
        /// CID -> text of the font's character collection (Adobe-Japan1...).
        collection: Option<Arc<Vec<String>>>,
    },
}

impl Font {
    /// Reads a font dictionary. Any part that cannot be read falls back to a default
    /// rather than failing: a font with unknown widths still yields its text.
    pub fn load(document: &Document, font: &Dictionary) -> Font {
        let subtype = font
            .get(b"Subtype")
            .and_then(Object::as_name)
            .unwrap_or(b"");
        let composite = subtype == b"Type0";
        let to_unicode = font
            .get(b"ToUnicode")
            .ok()
            .and_then(|object| document.stream_bytes(object))
            .map(|bytes| CMap::parse(&bytes))
            .filter(|cmap| !cmap.is_empty());
        // Some producers write `/ToUnicode /Identity-H`, a CMap name where a stream
        // belongs; poppler and pdf.js read it as "each two-byte code is its UTF-16
        // value", and so does this.
        let identity_to_unicode = matches!(
            font.get(b"ToUnicode").ok().and_then(|object| document.resolve(object)),
            Some(Object::Name(name)) if name.starts_with(b"Identity")
        );
        let decoding = if composite {
            composite_decoding(document, font, to_unicode.is_none(), identity_to_unicode)
        } else {
            Decoding::Simple(simple_font_table(document, font))
        };
        let (widths, default_width) = match &decoding {
            Decoding::Simple(texts) => simple_widths(document, font, texts),
            Decoding::Composite { .. } => composite_widths(document, font),
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
        Font {
            to_unicode,
            decoding,
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
                text: expand_ligatures(self.text_for(length, code)),
                width,
            });
            position += length as usize;
        }
        glyphs
    }

    /// Whether glyphs advance down the page instead of across it.
    pub fn is_vertical(&self) -> bool {
        matches!(self.decoding, Decoding::Composite { vertical: true, .. })
    }

    fn code_length(&self, bytes: &[u8]) -> u8 {
        let Decoding::Composite {
            code_space,
            two_byte,
            predefined,
            ..
        } = &self.decoding
        else {
            return 1;
        };
        let cmaps = [code_space.as_ref(), predefined.as_deref()];
        if let Some(length) = cmaps
            .into_iter()
            .flatten()
            .find_map(|cmap| cmap.code_length(bytes))
        {
            return length;
        }
        if *two_byte {
            return 2;
        }
        self.to_unicode
            .as_ref()
            .and_then(|cmap| cmap.code_length(bytes))
            .unwrap_or(2)
    }

    fn text_for(&self, length: u8, code: u32) -> String {
        // ISO 32000-1 9.10.2: a ToUnicode CMap wins over the font's Encoding. Some
        // CMaps declare one-byte codes for a two-byte font (or the reverse); the code
        // value still identifies the glyph.
        if let Some(cmap) = &self.to_unicode {
            let mapped = cmap.get(length, code).or_else(|| {
                (1..=4)
                    .filter(|l| *l != length)
                    .find_map(|l| cmap.get(l, code))
            });
            if let Some(text) = mapped {
                return text.replace('\0', "");
            }
        }
        match &self.decoding {
            Decoding::Simple(table) => table.get(code as usize).cloned().unwrap_or_default(),
            Decoding::Composite {
                unicode_codes: true,
                ..
            } => char::from_u32(code).map(String::from).unwrap_or_default(),
            Decoding::Composite {
                code_space,
                predefined,
                cid_texts,
                collection,
                ..
            } => {
                // Identity CMaps use the code as the CID.
                let cid = [code_space.as_ref(), predefined.as_deref()]
                    .into_iter()
                    .flatten()
                    .find_map(|cmap| cmap.cid(length, code))
                    .unwrap_or(code);
                cid_texts
                    .get(&cid)
                    .or_else(|| collection.as_ref()?.get(cid as usize))
                    .cloned()
                    .unwrap_or_default()
            }
        }
    }
}

/// How a Type0 font's codes are split and, without a ToUnicode CMap, read.
fn composite_decoding(
    document: &Document,
    font: &Dictionary,
    needs_program: bool,
    identity_to_unicode: bool,
) -> Decoding {
    let encoding = font.get(b"Encoding").ok().and_then(|e| document.resolve(e));
    let embedded_vertical = matches!(encoding, Some(Object::Stream(stream))
        if stream.dict.get(b"WMode").and_then(Object::as_i64).ok() == Some(1));
    let (code_space, name) = match encoding {
        Some(Object::Stream(stream)) => (
            stream
                .get_plain_content_with_limit(MAX_STREAM_BYTES)
                .ok()
                .map(|bytes| CMap::parse(&bytes)),
            Vec::new(),
        ),
        Some(Object::Name(name)) => (None, name.clone()),
        _ => (None, Vec::new()),
    };
    let name = String::from_utf8_lossy(&name);
    let unicode_codes = identity_to_unicode
        || (name.starts_with("Uni") && (name.contains("UCS2") || name.contains("UTF16")));
    let two_byte = name.starts_with("Identity") || unicode_codes;
    let vertical = embedded_vertical || name.ends_with("-V");
    let needs_tables = needs_program && !unicode_codes;
    let collection_name = descendant_font(document, font)
        .and_then(|descendant| collection_name(document, descendant));
    let predefined = match &collection_name {
        Some(collection) if !two_byte && !name.is_empty() => {
            cid::predefined_cmap(collection, &name)
        }
        _ => None,
    };
    let cid_texts = if needs_tables {
        embedded_cid_texts(document, font)
    } else {
        FastMap::default()
    };
    let collection = match collection_name {
        Some(collection) if needs_tables => cid::collection_texts(&collection),
        _ => None,
    };
    Decoding::Composite {
        code_space,
        two_byte,
        unicode_codes,
        vertical,
        predefined,
        cid_texts,
        collection,
    }
}

/// CID -> text through the descendant's embedded TrueType program and its
/// `/CIDToGIDMap` (ISO 32000-1 9.7.4.2: `/Identity` or a stream of two-byte glyph ids).
fn embedded_cid_texts(document: &Document, font: &Dictionary) -> FastMap<u32, String> {
    let Some(descendant) = descendant_font(document, font) else {
        return FastMap::default();
    };
    let program = document
        .dict_entry(descendant, b"FontDescriptor")
        .and_then(|descriptor| descriptor.get(b"FontFile2").ok())
        .and_then(|program| document.stream_bytes(program));
    let Some(program) = program else {
        return FastMap::default();
    };
    let mut glyph_texts = truetype::glyph_texts(document, &program);
    let cid_to_gid = descendant
        .get(b"CIDToGIDMap")
        .ok()
        .filter(|map| !matches!(document.resolve(map), Some(Object::Name(_))))
        .and_then(|map| document.stream_bytes(map));
    match cid_to_gid {
        None => glyph_texts
            .drain()
            .map(|(glyph, text)| (u32::from(glyph), text))
            .collect(),
        Some(map) => map
            .chunks_exact(2)
            .enumerate()
            .filter_map(|(cid, glyph)| {
                let glyph = u16::from_be_bytes([glyph[0], glyph[1]]);
                Some((cid as u32, glyph_texts.get(&glyph)?.clone()))
            })
            .collect(),
    }
}

/// "Registry-Ordering" of a CID font's `/CIDSystemInfo`, e.g. "Adobe-Japan1".
fn collection_name(document: &Document, descendant: &Dictionary) -> Option<String> {
    let info = document.dict_entry(descendant, b"CIDSystemInfo")?;
    let part = |key: &[u8]| -> Option<String> {
        let value = document.resolve(info.get(key).ok()?)?;
        Some(String::from_utf8_lossy(value.as_str().ok()?).into_owned())
    };
    Some(format!("{}-{}", part(b"Registry")?, part(b"Ordering")?))
}

fn descendant_font<'a>(document: &'a Document, font: &'a Dictionary) -> Option<&'a Dictionary> {
    document
        .array_entry(font, b"DescendantFonts")
        .and_then(|fonts| fonts.first())
        .and_then(|font| document.resolve(font))
        .and_then(|font| font.as_dict().ok())
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
/// A standard-14 font written without `/Widths` gets its built-in metrics
/// (9.6.2.2), looked up by the character each code stands for.
fn simple_widths(
    document: &Document,
    font: &Dictionary,
    texts: &[String],
) -> (FastMap<u32, f32>, f32) {
    let missing = document
        .dict_entry(font, b"FontDescriptor")
        .and_then(|descriptor| document.number_entry(descriptor, b"MissingWidth"))
        .filter(|width| *width > 0.0)
        .unwrap_or(FALLBACK_WIDTH);
    let first_char = document.number_entry(font, b"FirstChar").unwrap_or(0.0) as u32;
    let widths: FastMap<u32, f32> = document
        .array_entry(font, b"Widths")
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter_map(|(index, width)| {
            let width = document.resolve(width)?.as_float().ok()?;
            Some((first_char + index as u32, width))
        })
        .collect();
    if !widths.is_empty() {
        return (widths, missing);
    }
    let base_font = font
        .get(b"BaseFont")
        .and_then(Object::as_name)
        .unwrap_or(b"");
    let Some(metrics) = standard_font_metrics(base_font) else {
        return (widths, missing);
    };
    let widths = texts
        .iter()
        .enumerate()
        .filter_map(|(code, text)| {
            let mut chars = text.chars();
            let (Some(c), None) = (chars.next(), chars.next()) else {
                return None;
            };
            let index = metrics.binary_search_by_key(&c, |(c, _)| *c).ok()?;
            Some((code as u32, f32::from(metrics[index].1)))
        })
        .collect();
    (widths, missing)
}

/// The metrics of the standard font a `/BaseFont` names, including the names Windows
/// producers use for the same designs (Arial, Times New Roman, Courier New).
fn standard_font_metrics(base_font: &[u8]) -> Option<&'static [(char, u16)]> {
    // A subset prefix ("ABCDEF+") is not part of the name.
    let name = match base_font.iter().position(|&b| b == b'+') {
        Some(plus) => &base_font[plus + 1..],
        None => base_font,
    };
    let name = String::from_utf8_lossy(name).to_ascii_lowercase();
    let bold = name.contains("bold");
    let slanted = name.contains("italic") || name.contains("oblique");
    let standard = if name.contains("courier") {
        match (bold, slanted) {
            (false, false) => "Courier",
            (true, false) => "Courier-Bold",
            (false, true) => "Courier-Oblique",
            (true, true) => "Courier-BoldOblique",
        }
    } else if name.contains("helvetica") || name.contains("arial") {
        match (bold, slanted) {
            (false, false) => "Helvetica",
            (true, false) => "Helvetica-Bold",
            (false, true) => "Helvetica-Oblique",
            (true, true) => "Helvetica-BoldOblique",
        }
    } else if name.contains("times") {
        match (bold, slanted) {
            (false, false) => "Times-Roman",
            (true, false) => "Times-Bold",
            (false, true) => "Times-Italic",
            (true, true) => "Times-BoldItalic",
        }
    } else if name.contains("symbol") {
        "Symbol"
    } else if name.contains("dingbats") {
        "ZapfDingbats"
    } else {
        return None;
    };
    STANDARD_FONTS
        .iter()
        .find(|(font, _)| *font == standard)
        .map(|(_, metrics)| *metrics)
}

/// `/DW` and `/W` of a Type0 font's descendant (ISO 32000-1 9.7.4.3): `W` holds
/// `c [w1 w2 ...]` and `c_first c_last w` entries.
fn composite_widths(document: &Document, font: &Dictionary) -> (FastMap<u32, f32>, f32) {
    let mut widths = FastMap::default();
    let Some(descendant) = descendant_font(document, font) else {
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
    fn standard_fonts_are_found_under_windows_names() {
        let width_of = |name: &[u8], c: char| {
            let metrics = standard_font_metrics(name).expect("a standard font");
            metrics[metrics.binary_search_by_key(&c, |(c, _)| *c).expect("char")].1
        };
        assert_eq!(width_of(b"Courier", 'i'), 600);
        assert_eq!(width_of(b"ABCDEF+CourierNewPS-BoldMT", 'W'), 600);
        assert_eq!(width_of(b"Helvetica", 'i'), 222);
        assert_eq!(width_of(b"Arial,Bold", 'i'), 278);
        assert_eq!(width_of(b"TimesNewRomanPS-ItalicMT", 'm'), 722);
        assert!(standard_font_metrics(b"Garamond").is_none());
    }

    #[test]
    fn ligatures_are_spelled_out() {
        assert_eq!(
            expand_ligatures("O\u{FB03}ce \u{FB01}le".to_string()),
            "Office file"
        );
        assert_eq!(expand_ligatures("plain".to_string()), "plain");
    }
}
