//! Simple fonts (ISO 32000-1 9.6.6): which text each one-byte code stands for.
//!
//! A code's glyph name comes from the font's `/Differences`, else from its base
//! encoding: `/BaseEncoding`, or the encoding built into an embedded Type 1 font
//! program, or StandardEncoding. Names become text through the Adobe Glyph List (the
//! table lopdf carries), with the AGL specification's rules for `uniXXXX`, `uXXXX`,
//! `name.suffix` and `a_b` ligature names.

use lopdf::{dictionary, Dictionary, Object};

use super::document::Document;

/// Text for every code 0..=255 of a simple font; empty where unknown.
pub fn simple_font_table(document: &Document, font: &Dictionary) -> Vec<String> {
    let encoding = font.get(b"Encoding").ok().and_then(|e| document.resolve(e));
    let (base_name, differences) = match encoding {
        Some(Object::Name(name)) => (Some(name.clone()), None),
        Some(Object::Dictionary(dictionary)) => (
            dictionary
                .get(b"BaseEncoding")
                .and_then(Object::as_name)
                .ok()
                .map(<[u8]>::to_vec),
            document.array_entry(dictionary, b"Differences"),
        ),
        _ => (None, None),
    };
    let subtype = font
        .get(b"Subtype")
        .and_then(Object::as_name)
        .unwrap_or(b"");
    let mut table = match (&base_name, builtin_type1_encoding(document, font)) {
        (None, Some(builtin)) => builtin
            .iter()
            .map(|name| {
                name.as_deref()
                    .map(|n| glyph_text(document, n))
                    .unwrap_or_default()
            })
            .collect(),
        (Some(name), _) => named_encoding_table(document, name),
        // A TrueType font without an encoding is drawn through its own cmap, which for
        // text fonts is laid out as WinAnsi (what Windows printer drivers assume).
        (None, None) if subtype == b"TrueType" => {
            named_encoding_table(document, b"WinAnsiEncoding")
        }
        (None, None) => named_encoding_table(document, b"StandardEncoding"),
    };
    if let Some(differences) = differences {
        let mut code: usize = 0;
        for entry in differences {
            match document.resolve(entry) {
                Some(Object::Integer(start)) => code = (*start).clamp(0, 255) as usize,
                Some(Object::Name(name)) => {
                    if code < 256 {
                        let text = glyph_text(document, name);
                        table[code] = if text.is_empty() {
                            numbered_name_text(name)
                        } else {
                            text
                        };
                    }
                    code += 1;
                }
                _ => {}
            }
        }
    }
    table
}

/// Names such as `a97` or `g192`, which TeX bitmap fonts and some Type 3 producers
/// use, carry the character's Latin-1 code; poppler reads them the same way.
fn numbered_name_text(name: &[u8]) -> String {
    let letters = name.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = &name[letters..];
    let numbered =
        letters <= 2 && (2..=3).contains(&digits.len()) && digits.iter().all(u8::is_ascii_digit);
    let value = std::str::from_utf8(digits)
        .ok()
        .and_then(|d| d.parse::<u32>().ok());
    match value {
        // Printable ASCII and Latin-1; not the C1 control range in between.
        Some(value @ (32..=126 | 160..=255)) if numbered => {
            char::from_u32(value).map(String::from).unwrap_or_default()
        }
        _ => String::new(),
    }
}

/// Decodes all 256 codes through one of the standard encodings lopdf knows.
fn named_encoding_table(document: &Document, name: &[u8]) -> Vec<String> {
    let font = dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "Encoding" => Object::Name(name.to_vec()),
    };
    let encoding = font.get_font_encoding(document.lopdf()).ok();
    (0..=255u8)
        .map(|code| {
            encoding
                .as_ref()
                .and_then(|encoding| encoding.bytes_to_string(&[code]).ok())
                .map(|text| text.replace(['\u{FFFD}', '\0'], ""))
                .unwrap_or_default()
        })
        .collect()
}

/// The text a glyph name stands for, or "" when it names nothing known (`g123`).
pub fn glyph_text(document: &Document, name: &[u8]) -> String {
    // AGL specification: drop a suffix after the first period, split ligatures at
    // underscores, then map each component.
    let base = name.split(|&b| b == b'.').next().unwrap_or(name);
    if base.is_empty() {
        return String::new();
    }
    if base.contains(&b'_') {
        return base
            .split(|&b| b == b'_')
            .map(|part| component_text(document, part))
            .collect();
    }
    component_text(document, base)
}

fn component_text(document: &Document, name: &[u8]) -> String {
    if let Some(text) = agl_text(document, name) {
        return text;
    }
    let name = String::from_utf8_lossy(name);
    if let Some(hex) = name.strip_prefix("uni") {
        if hex.len() >= 4 && hex.len() % 4 == 0 {
            let text: Option<String> = (0..hex.len())
                .step_by(4)
                .map(|at| {
                    u32::from_str_radix(&hex[at..at + 4], 16)
                        .ok()
                        .and_then(char::from_u32)
                })
                .collect();
            return text.unwrap_or_default();
        }
    }
    if let Some(hex) = name.strip_prefix('u') {
        if (4..=6).contains(&hex.len()) {
            if let Some(c) = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                return c.to_string();
            }
        }
    }
    String::new()
}

/// Looks a name up in the Adobe Glyph List that lopdf carries, through a one-entry
/// `/Differences` (lopdf does not expose the list itself).
fn agl_text(document: &Document, name: &[u8]) -> Option<String> {
    let font = dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "Encoding" => dictionary! {
            "Differences" => vec![Object::Integer(0), Object::Name(name.to_vec())],
        },
    };
    let encoding = font.get_font_encoding(document.lopdf()).ok()?;
    let text = encoding.bytes_to_string(&[0]).ok()?;
    (!text.is_empty() && !text.contains('\u{FFFD}')).then_some(text)
}

/// The encoding built into an embedded Type 1 font program (`/FontFile`): its
/// cleartext part holds `dup CODE /name put` lines. `None` when there is no such
/// program or it uses StandardEncoding.
fn builtin_type1_encoding(document: &Document, font: &Dictionary) -> Option<Vec<Option<Vec<u8>>>> {
    let descriptor = document.dict_entry(font, b"FontDescriptor")?;
    let program = document.stream_bytes(descriptor.get(b"FontFile").ok()?)?;
    let cleartext_end = find(&program, b"eexec").unwrap_or(program.len());
    let cleartext = &program[..cleartext_end];
    let encoding_start = find(cleartext, b"/Encoding")?;
    let after = &cleartext[encoding_start..];
    if after.starts_with(b"/Encoding StandardEncoding") {
        return None;
    }
    let mut names = vec![None; 256];
    let tokens: Vec<&[u8]> = after
        .split(|b| b.is_ascii_whitespace())
        .filter(|token| !token.is_empty())
        .collect();
    // The array ends at its `def`; entries before it are `dup CODE /name put`.
    let mut position = 0;
    while position < tokens.len() && tokens[position] != b"def" {
        let entry = tokens.get(position..position + 4);
        if let Some([b"dup", code, name, b"put"]) = entry {
            let code = std::str::from_utf8(code)
                .ok()
                .and_then(|c| c.parse::<usize>().ok());
            if let (Some(code), Some(name)) = (code, name.strip_prefix(b"/")) {
                if code < 256 {
                    names[code] = Some(name.to_vec());
                }
            }
            position += 4;
        } else {
            position += 1;
        }
    }
    names.iter().any(Option::is_some).then_some(names)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty_document() -> Document {
        Document::for_tests()
    }

    #[test]
    fn agl_names_and_uni_forms() {
        let document = empty_document();
        assert_eq!(glyph_text(&document, b"A"), "A");
        assert_eq!(glyph_text(&document, b"eacute"), "é");
        assert_eq!(glyph_text(&document, b"uni0041"), "A");
        assert_eq!(glyph_text(&document, b"uni00660069"), "fi");
        assert_eq!(glyph_text(&document, b"u1F600"), "\u{1F600}");
        assert_eq!(glyph_text(&document, b"a.sc"), "a");
        assert_eq!(glyph_text(&document, b"f_f_i"), "ffi");
        assert_eq!(glyph_text(&document, b"g123"), "");
    }

    #[test]
    fn differences_override_the_base_encoding() {
        let document = empty_document();
        let font = dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "Encoding" => dictionary! {
                "BaseEncoding" => "WinAnsiEncoding",
                "Differences" => vec![65.into(), Object::Name(b"B".to_vec()), Object::Name(b"uni0439".to_vec()), 150.into(), Object::Name(b"g7".to_vec())],
            },
        };
        let table = simple_font_table(&document, &font);
        assert_eq!(table[65], "B");
        assert_eq!(table[66], "й");
        assert_eq!(table[67], "C");
        assert_eq!(table[0x93], "\u{201C}", "WinAnsi base");
        assert_eq!(table[150], "");
    }

    #[test]
    fn numbered_glyph_names_carry_latin1_codes() {
        assert_eq!(numbered_name_text(b"a97"), "a");
        assert_eq!(numbered_name_text(b"g192"), "À");
        assert_eq!(numbered_name_text(b"a7"), "");
        assert_eq!(numbered_name_text(b"a150"), "");
        assert_eq!(numbered_name_text(b"glyph97"), "");
    }
}
