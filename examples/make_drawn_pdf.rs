//! Writes the corpus's pages whose visible words are not all in a usable text layer
//! (`corpus/drawn/make.sh`): words drawn as glyph outlines, words set in a font that
//! maps its codes to nothing, pictures of words, real text stamped over a scan.
//!
//! `cargo run --example make_drawn_pdf -- FONT.ttf OUT.pdf SPEC.txt`
//!
//! The spec is one page, one item per line (coordinates in points, y up, from the
//! bottom left of a US letter page):
//! - `text X Y SIZE WORDS`: real text in Helvetica (WinAnsi), as a form's filled-in
//!   values or a court's stamped header are written;
//! - `outline X Y SIZE WORDS`: the words as filled glyph outlines of FONT, no text at
//!   all, as producers that convert text to shapes write them;
//! - `unmapped X Y SIZE WORDS`: the words in FONT embedded as a CID font whose codes
//!   are glyph ids, with no ToUnicode CMap and the font program's own `cmap` and
//!   `post` tables renamed, so that nothing says which letters the codes are (as in subset fonts
//!   whose mapping was stripped); viewers draw them, extractors cannot read them;
//! - `image X Y WIDTH HEIGHT ENCODING FILE.pgm`: an 8-bit gray PGM drawn in that box,
//!   stored `flate` (gray samples) or `g4` (thresholded, CCITT group 4, as scanners
//!   store black-and-white pages).

use std::error::Error;

mod common;

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Dictionary, Document, Object, Stream, StringFormat};

const PAGE: (f32, f32) = (612.0, 792.0);

/// Glyph outlines as PDF path operators, in text space scaled to points.
struct Outline {
    operations: Vec<Operation>,
    scale: f32,
    x: f32,
    y: f32,
    last: (f32, f32),
}

impl Outline {
    fn point(&self, x: f32, y: f32) -> (f32, f32) {
        (self.x + x * self.scale, self.y + y * self.scale)
    }

    fn push(&mut self, operator: &str, points: &[(f32, f32)]) {
        let operands = points
            .iter()
            .flat_map(|&(x, y)| [Object::Real(x), Object::Real(y)])
            .collect();
        self.operations.push(Operation::new(operator, operands));
    }
}

impl ttf_parser::OutlineBuilder for Outline {
    fn move_to(&mut self, x: f32, y: f32) {
        let point = self.point(x, y);
        self.push("m", &[point]);
        self.last = point;
    }

    fn line_to(&mut self, x: f32, y: f32) {
        let point = self.point(x, y);
        self.push("l", &[point]);
        self.last = point;
    }

    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        // A quadratic Bézier as the cubic with control points two thirds of the way to
        // the quadratic's control point.
        let (control, end) = (self.point(x1, y1), self.point(x, y));
        let start = self.last;
        let first = (
            start.0 + 2.0 / 3.0 * (control.0 - start.0),
            start.1 + 2.0 / 3.0 * (control.1 - start.1),
        );
        let second = (
            end.0 + 2.0 / 3.0 * (control.0 - end.0),
            end.1 + 2.0 / 3.0 * (control.1 - end.1),
        );
        self.push("c", &[first, second, end]);
        self.last = end;
    }

    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let points = [self.point(x1, y1), self.point(x2, y2), self.point(x, y)];
        self.push("c", &points);
        self.last = points[2];
    }

    fn close(&mut self) {
        self.operations.push(Operation::new("h", vec![]));
    }
}

/// An image XObject of a PGM, stored as asked.
fn image_stream(encoding: &str, path: &str) -> Result<Stream, Box<dyn Error>> {
    let (width, height, samples) = common::read_pgm(path)?;
    common::image_stream(encoding, width, height, &samples)
}

/// The font program with its `cmap` and `post` tables' tags renamed, so that no
/// reader can map glyph ids back to characters through them (by the character map or
/// by glyph names); renderers need neither to draw a glyph by its id.
fn without_mapping(program: &[u8]) -> Vec<u8> {
    let mut renamed = program.to_vec();
    let tables = u16::from_be_bytes([program[4], program[5]]) as usize;
    for table in 0..tables {
        let record = 12 + 16 * table;
        match &renamed[record..record + 4] {
            b"cmap" => renamed[record..record + 4].copy_from_slice(b"xmap"),
            b"post" => renamed[record..record + 4].copy_from_slice(b"xost"),
            _ => {}
        }
    }
    renamed
}

fn main() -> Result<(), Box<dyn Error>> {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let [font_path, output, spec] = arguments.as_slice() else {
        return Err("usage: make_drawn_pdf FONT.ttf OUT.pdf SPEC.txt".into());
    };
    let program = std::fs::read(font_path)?;
    let face = ttf_parser::Face::parse(&program, 0)?;
    let em = f32::from(face.units_per_em());
    let mut document = Document::with_version("1.5");
    let pages_id = document.new_object_id();
    let mut operations = Vec::new();
    let mut xobjects = Dictionary::new();
    let mut unmapped_widths: Vec<(u16, f32)> = Vec::new();
    for line in std::fs::read_to_string(spec)?.lines() {
        let fields: Vec<&str> = line.splitn(5, ' ').collect();
        let number = |index: usize| -> Result<f32, Box<dyn Error>> {
            Ok(fields.get(index).ok_or("missing field")?.parse()?)
        };
        match fields.first().copied() {
            Some("text") => {
                operations.push(Operation::new("BT", vec![]));
                operations.push(Operation::new("Tf", vec!["F1".into(), number(3)?.into()]));
                operations.push(Operation::new(
                    "Td",
                    vec![number(1)?.into(), number(2)?.into()],
                ));
                let words = fields.get(4).ok_or("text without words")?;
                operations.push(Operation::new(
                    "Tj",
                    vec![Object::String(
                        words.as_bytes().to_vec(),
                        StringFormat::Literal,
                    )],
                ));
                operations.push(Operation::new("ET", vec![]));
            }
            Some("outline") => {
                let size = number(3)?;
                let mut outline = Outline {
                    operations: Vec::new(),
                    scale: size / em,
                    x: number(1)?,
                    y: number(2)?,
                    last: (0.0, 0.0),
                };
                for c in fields.get(4).ok_or("outline without words")?.chars() {
                    let glyph = face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
                    // Each glyph its own filled path, as converters write them.
                    if face.outline_glyph(glyph, &mut outline).is_some() {
                        outline.operations.push(Operation::new("f", vec![]));
                    }
                    let advance = f32::from(face.glyph_hor_advance(glyph).unwrap_or(0));
                    outline.x += advance * outline.scale;
                }
                operations.extend(outline.operations);
            }
            Some("unmapped") => {
                let mut codes = Vec::new();
                for c in fields.get(4).ok_or("unmapped without words")?.chars() {
                    let glyph = face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
                    codes.extend(glyph.0.to_be_bytes());
                    let advance = f32::from(face.glyph_hor_advance(glyph).unwrap_or(0));
                    unmapped_widths.push((glyph.0, advance * 1000.0 / em));
                }
                operations.push(Operation::new("BT", vec![]));
                operations.push(Operation::new("Tf", vec!["F2".into(), number(3)?.into()]));
                operations.push(Operation::new(
                    "Td",
                    vec![number(1)?.into(), number(2)?.into()],
                ));
                operations.push(Operation::new(
                    "Tj",
                    vec![Object::String(codes, StringFormat::Hexadecimal)],
                ));
                operations.push(Operation::new("ET", vec![]));
            }
            Some("image") => {
                let rest: Vec<&str> = line.split(' ').collect();
                let [_, x, y, width, height, encoding, path] = rest[..] else {
                    return Err(format!("bad image line: {line}").into());
                };
                let name = format!("Im{}", xobjects.len());
                xobjects.set(
                    name.as_bytes(),
                    document.add_object(image_stream(encoding, path)?),
                );
                let box_: [f32; 4] = [x.parse()?, y.parse()?, width.parse()?, height.parse()?];
                operations.push(Operation::new("q", vec![]));
                operations.push(Operation::new(
                    "cm",
                    vec![
                        box_[2].into(),
                        0.into(),
                        0.into(),
                        box_[3].into(),
                        box_[0].into(),
                        box_[1].into(),
                    ],
                ));
                operations.push(Operation::new("Do", vec![Object::Name(name.into_bytes())]));
                operations.push(Operation::new("Q", vec![]));
            }
            Some("") | None => {}
            Some(other) => return Err(format!("unknown item {other:?}").into()),
        }
    }
    let helvetica = document.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let mut fonts = dictionary! { "F1" => helvetica };
    if !unmapped_widths.is_empty() {
        let mut program_stream = Stream::new(
            dictionary! { "Length1" => program.len() as i64 },
            without_mapping(&program),
        );
        program_stream.compress()?;
        let program_id = document.add_object(program_stream);
        unmapped_widths.sort_by_key(|&(glyph, _)| glyph);
        unmapped_widths.dedup_by_key(|&mut (glyph, _)| glyph);
        let widths: Vec<Object> = unmapped_widths
            .iter()
            .flat_map(|&(glyph, width)| {
                [
                    Object::Integer(i64::from(glyph)),
                    Object::Array(vec![Object::Real(width)]),
                ]
            })
            .collect();
        let descriptor = document.add_object(dictionary! {
            "Type" => "FontDescriptor", "FontName" => "AAAAAA+Unmapped",
            "Flags" => 32, "FontBBox" => vec![0.into(), (-250).into(), 1000.into(), 1000.into()],
            "ItalicAngle" => 0, "Ascent" => 900, "Descent" => -250, "CapHeight" => 700,
            "StemV" => 80, "FontFile2" => program_id,
        });
        let descendant = document.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "AAAAAA+Unmapped",
            "CIDSystemInfo" => dictionary! {
                "Registry" => Object::string_literal("Adobe"),
                "Ordering" => Object::string_literal("Identity"),
                "Supplement" => 0,
            },
            "FontDescriptor" => descriptor, "CIDToGIDMap" => "Identity",
            "DW" => 1000, "W" => widths,
        });
        let composite = document.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "AAAAAA+Unmapped",
            "Encoding" => "Identity-H", "DescendantFonts" => vec![descendant.into()],
        });
        fonts.set("F2", composite);
    }
    let content = document.add_object(Stream::new(
        dictionary! {},
        Content { operations }.encode()?,
    ));
    let page = document.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), PAGE.0.into(), PAGE.1.into()],
        "Contents" => content,
        "Resources" => dictionary! { "Font" => fonts, "XObject" => xobjects },
    });
    document.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
        }),
    );
    let catalog = document.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    document.trailer.set("Root", catalog);
    document.compress();
    document.save(output)?;
    Ok(())
}
