//! Writes one of the corpus's Type0 PDFs from a plain-text source.
//!
//! `cargo run --example make_type0_pdf -- SOURCE.txt FONT.ttf OUT.pdf`
//!
//! The text is drawn with a composite (Type0/CIDFontType2) font whose codes are glyph
//! ids (Identity-H, CIDToGIDMap Identity), so only the ToUnicode CMap says which
//! letters they are; no space glyphs are drawn, words are separated by TJ offsets, and
//! table cells are placed at column positions. That is how many real producers write,
//! and what foia's extractor must read back.
//!
//! Source format: a first line `title: ...`; `# ` starts a heading; `|a|b|c|` is a
//! table row; a line `---page---` starts a new page; other lines are paragraphs,
//! wrapped to the page width; blank lines separate paragraphs.

use std::collections::BTreeMap;
use std::error::Error;

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream, StringFormat};

const PAGE_WIDTH: f32 = 612.0;
const PAGE_HEIGHT: f32 = 792.0;
const MARGIN: f32 = 72.0;
const BODY_SIZE: f32 = 10.5;
const HEADING_SIZE: f32 = 14.0;
const LEADING: f32 = 1.35;
/// Width of a word space, in thousandths of an em: drawn as a TJ offset, not a glyph.
const SPACE_ADVANCE: f32 = 278.0;

struct Font<'a> {
    face: ttf_parser::Face<'a>,
    used: BTreeMap<u16, char>,
}

impl Font<'_> {
    /// Glyph id and advance (thousandths of an em) of a character.
    fn glyph(&mut self, c: char) -> (u16, f32) {
        let id = self.face.glyph_index(c).map_or(0, |g| g.0);
        self.used.entry(id).or_insert(c);
        let advance = self
            .face
            .glyph_hor_advance(ttf_parser::GlyphId(id))
            .unwrap_or(0);
        (
            id,
            f32::from(advance) * 1000.0 / f32::from(self.face.units_per_em()),
        )
    }

    fn width(&mut self, text: &str, size: f32) -> f32 {
        let mut width = 0.0;
        for word in text.split(' ') {
            width += word.chars().map(|c| self.glyph(c).1).sum::<f32>() + SPACE_ADVANCE;
        }
        (width - SPACE_ADVANCE) * size / 1000.0
    }

    /// A TJ array drawing `text`: glyph ids as two-byte codes, spaces as offsets.
    fn tj(&mut self, text: &str) -> Object {
        let mut items = Vec::new();
        for (index, word) in text.split(' ').enumerate() {
            if index > 0 {
                items.push(Object::Real(-SPACE_ADVANCE));
            }
            let bytes: Vec<u8> = word
                .chars()
                .flat_map(|c| self.glyph(c).0.to_be_bytes())
                .collect();
            items.push(Object::String(bytes, StringFormat::Hexadecimal));
        }
        Object::Array(items)
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, source, font_path, out] = args.as_slice() else {
        return Err("usage: make_type0_pdf SOURCE.txt FONT.ttf OUT.pdf".into());
    };
    let source = std::fs::read_to_string(source)?;
    let font_data = std::fs::read(font_path)?;
    let mut font = Font {
        face: ttf_parser::Face::parse(&font_data, 0)?,
        used: BTreeMap::new(),
    };
    let mut lines = source.lines();
    let title = lines
        .next()
        .and_then(|line| line.strip_prefix("title: "))
        .ok_or("first line must be `title: ...`")?
        .to_string();

    let mut pages: Vec<Vec<Operation>> = vec![Vec::new()];
    let mut y = PAGE_HEIGHT - MARGIN;
    let mut paragraph = String::new();
    let body: Vec<&str> = lines.collect();
    for line in body.iter().chain(std::iter::once(&"")) {
        let line = line.trim_end();
        let structural = line.is_empty()
            || line.starts_with('#')
            || line.starts_with('|')
            || line == "---page---";
        if structural && !paragraph.is_empty() {
            for wrapped in wrap(&mut font, &paragraph, BODY_SIZE) {
                y = draw(
                    &mut font,
                    pages.last_mut().unwrap(),
                    &wrapped,
                    MARGIN,
                    y,
                    BODY_SIZE,
                );
            }
            y -= BODY_SIZE * 0.6;
            paragraph.clear();
        }
        if line == "---page---" {
            pages.push(Vec::new());
            y = PAGE_HEIGHT - MARGIN;
        } else if let Some(heading) = line.strip_prefix("# ") {
            y -= HEADING_SIZE * 0.4;
            y = draw(
                &mut font,
                pages.last_mut().unwrap(),
                heading,
                MARGIN,
                y,
                HEADING_SIZE,
            );
        } else if line.starts_with('|') {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            let column = (PAGE_WIDTH - 2.0 * MARGIN) / cells.len() as f32;
            let page = pages.last_mut().unwrap();
            for (index, cell) in cells.iter().enumerate() {
                draw(
                    &mut font,
                    page,
                    cell,
                    MARGIN + column * index as f32,
                    y,
                    BODY_SIZE - 1.0,
                );
            }
            y -= (BODY_SIZE - 1.0) * LEADING;
        } else if !line.is_empty() {
            if !paragraph.is_empty() {
                paragraph.push(' ');
            }
            paragraph.push_str(line);
        }
    }
    write_pdf(&mut font, &title, pages, &font_data, out)
}

fn wrap(font: &mut Font, text: &str, size: f32) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let current = lines.last_mut().unwrap();
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if font.width(&candidate, size) > PAGE_WIDTH - 2.0 * MARGIN && !current.is_empty() {
            lines.push(word.to_string());
        } else {
            *current = candidate;
        }
    }
    lines
}

/// Draws one line at (x, y) and returns the next line's baseline.
fn draw(font: &mut Font, page: &mut Vec<Operation>, text: &str, x: f32, y: f32, size: f32) -> f32 {
    page.push(Operation::new("BT", vec![]));
    page.push(Operation::new("Tf", vec!["F1".into(), size.into()]));
    page.push(Operation::new("Td", vec![x.into(), y.into()]));
    page.push(Operation::new("TJ", vec![font.tj(text)]));
    page.push(Operation::new("ET", vec![]));
    y - size * LEADING
}

fn write_pdf(
    font: &mut Font,
    title: &str,
    pages: Vec<Vec<Operation>>,
    font_data: &[u8],
    out: &str,
) -> Result<(), Box<dyn Error>> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();

    let mut font_file = Stream::new(
        dictionary! { "Length1" => font_data.len() as i64 },
        font_data.to_vec(),
    );
    font_file.compress()?;
    let font_file_id = doc.add_object(font_file);
    let units = f32::from(font.face.units_per_em());
    let scale = |v: i16| f32::from(v) * 1000.0 / units;
    let bbox = font.face.global_bounding_box();
    let descriptor_id = doc.add_object(dictionary! {
        "Type" => "FontDescriptor",
        "FontName" => "LiberationSans",
        "Flags" => 32,
        "FontBBox" => vec![scale(bbox.x_min).into(), scale(bbox.y_min).into(), scale(bbox.x_max).into(), scale(bbox.y_max).into()],
        "ItalicAngle" => 0,
        "Ascent" => scale(font.face.ascender()),
        "Descent" => scale(font.face.descender()),
        "CapHeight" => scale(font.face.capital_height().unwrap_or(700)),
        "StemV" => 80,
        "FontFile2" => font_file_id,
    });
    let mut widths = Vec::new();
    for &id in font.used.keys() {
        let advance = font
            .face
            .glyph_hor_advance(ttf_parser::GlyphId(id))
            .unwrap_or(0);
        widths.push(Object::Integer(i64::from(id)));
        widths.push(Object::Array(vec![Object::Real(
            f32::from(advance) * 1000.0 / units,
        )]));
    }
    let cid_font_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "CIDFontType2",
        "BaseFont" => "LiberationSans",
        "CIDSystemInfo" => dictionary! {
            "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("Identity"),
            "Supplement" => 0,
        },
        "FontDescriptor" => descriptor_id,
        "CIDToGIDMap" => "Identity",
        "DW" => 1000,
        "W" => widths,
    });
    let to_unicode = Stream::new(dictionary! {}, to_unicode_cmap(&font.used).into_bytes());
    let to_unicode_id = doc.add_object(to_unicode);
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "BaseFont" => "LiberationSans",
        "Encoding" => "Identity-H",
        "DescendantFonts" => vec![cid_font_id.into()],
        "ToUnicode" => to_unicode_id,
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });

    let mut kids = Vec::new();
    for operations in pages {
        let mut content = Stream::new(dictionary! {}, Content { operations }.encode()?);
        content.compress()?;
        let content_id = doc.add_object(content);
        kids.push(Object::from(doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
        })));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), PAGE_WIDTH.into(), PAGE_HEIGHT.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    let info_id = doc.add_object(dictionary! {
        "Title" => lopdf::text_string(title),
        "Producer" => Object::string_literal("foia corpus make_type0_pdf (lopdf)"),
    });
    doc.trailer.set("Root", catalog_id);
    doc.trailer.set("Info", info_id);
    doc.save(out)?;
    Ok(())
}

/// A ToUnicode CMap for the glyphs used, in `bfchar` blocks of at most 100 entries
/// (ISO 32000-1 9.10.3 sets that limit per block).
fn to_unicode_cmap(used: &BTreeMap<u16, char>) -> String {
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(&u16, &char)> = used.iter().collect();
    for block in entries.chunks(100) {
        cmap.push_str(&format!("{} beginbfchar\n", block.len()));
        for (id, c) in block {
            let mut units = [0u16; 2];
            let hex: String = c
                .encode_utf16(&mut units)
                .iter()
                .map(|u| format!("{u:04X}"))
                .collect();
            cmap.push_str(&format!("<{id:04X}> <{hex}>\n"));
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    cmap
}
