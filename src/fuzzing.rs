//! Entry points for coverage-guided fuzzing (`fuzz/`, run with `cargo fuzz`): each
//! takes arbitrary bytes and drives one reader the way a hostile file would, so a
//! crash found by a fuzzer is replayed by `tests/fuzz_regressions.rs` through exactly
//! the same function. None of them may panic, hang or allocate without bound; errors
//! are the expected outcome for most inputs.
//!
//! Where a reader only sees bytes inside a PDF (a content stream, a font program, an
//! image), the bytes are wrapped in a small fixed PDF, so the fuzzer spends its time on
//! that reader rather than on finding the PDF syntax around it.

use std::io::Cursor;
use std::sync::OnceLock;

use lopdf::{dictionary, Dictionary, Object, Stream};

use crate::archive;
use crate::extract::document::Document;
use crate::extract::images::ImageSource;
use crate::extract::interpreter::page_marks;
use crate::extract::{self, cmap::CMap};
use crate::index::search::PageSearcher;
use crate::index::FoiaIndex;

/// A fuzz target: arbitrary bytes in, nothing out but the absence of a crash.
pub type Target = fn(&[u8]);

/// The fuzz targets, by name: `fuzz/fuzz_targets/NAME.rs` calls the function.
pub const TARGETS: &[(&str, Target)] = &[
    ("extract_file", extract_file),
    ("content_stream", content_stream),
    ("cmap", cmap),
    ("font_program", font_program),
    ("image", image),
    ("zip_member", zip_member),
    ("query", query),
];

/// A whole file, as `foia ingest` reads it (without OCR).
pub fn extract_file(data: &[u8]) {
    let _ = extract::pdf_pages(data);
}

/// A page whose content stream is `data`, with a simple font, a composite font, an
/// image and a form to name.
pub fn content_stream(data: &[u8]) {
    let mut pdf = PdfBuilder::new();
    let image = pdf.add(Object::Stream(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => 2, "Height" => 2,
            "BitsPerComponent" => 8, "ColorSpace" => "DeviceGray",
        },
        vec![0, 255, 255, 0],
    )));
    let form = pdf.add(Object::Stream(Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 100.into(), 100.into()] },
        b"BT /F1 12 Tf (form) Tj ET".to_vec(),
    )));
    let composite = dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "Arial", "Encoding" => "Identity-H",
        "DescendantFonts" => vec![Object::Dictionary(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "Arial",
            "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
        })],
    };
    let resources = dictionary! {
        "Font" => dictionary! {
            "F1" => dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding" },
            "F2" => composite,
        },
        "XObject" => dictionary! { "Im0" => image, "Fm0" => form },
    };
    extract_built(pdf.page(data.to_vec(), resources));
}

/// A CMap (ToUnicode or encoding), parsed and then asked for codes.
pub fn cmap(data: &[u8]) {
    let cmap = CMap::parse(data);
    for window in data.chunks(4).take(64) {
        if let Some(length) = cmap.code_length(window) {
            let code = window
                .iter()
                .take(usize::from(length))
                .fold(0u32, |code, &byte| (code << 8) | u32::from(byte));
            let _ = cmap.get(length, code);
            let _ = cmap.cid(length, code);
        }
    }
}

/// A font program: the first byte chooses how it is embedded (Type 1, TrueType,
/// CFF, CID-keyed CFF, OpenType), the rest is the program; a page shows text in it.
pub fn font_program(data: &[u8]) {
    let Some((&kind, program)) = data.split_first() else {
        return;
    };
    let (key, subtype, composite) = match kind % 5 {
        0 => ("FontFile", None, false),
        1 => ("FontFile2", None, false),
        2 => ("FontFile3", Some("Type1C"), false),
        3 => ("FontFile3", Some("CIDFontType0C"), true),
        _ => ("FontFile3", Some("OpenType"), kind % 2 == 0),
    };
    let mut pdf = PdfBuilder::new();
    let mut file = dictionary! {};
    if let Some(subtype) = subtype {
        file.set("Subtype", subtype);
    }
    let program = pdf.add(Object::Stream(Stream::new(file, program.to_vec())));
    let descriptor = dictionary! {
        "Type" => "FontDescriptor", "FontName" => "Fuzzed", "Flags" => 32,
        "FontBBox" => vec![0.into(), 0.into(), 1000.into(), 1000.into()],
        "ItalicAngle" => 0, "Ascent" => 800, "Descent" => -200, "CapHeight" => 700, "StemV" => 80,
        key => program,
    };
    let font = if composite {
        dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "Fuzzed", "Encoding" => "Identity-H",
            "DescendantFonts" => vec![Object::Dictionary(dictionary! {
                "Type" => "Font",
                "Subtype" => if kind % 5 == 3 { "CIDFontType0" } else { "CIDFontType2" },
                "BaseFont" => "Fuzzed", "FontDescriptor" => descriptor,
                "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
            })],
        }
    } else {
        dictionary! {
            "Type" => "Font",
            "Subtype" => if kind % 5 == 1 { "TrueType" } else { "Type1" },
            "BaseFont" => "Fuzzed", "FirstChar" => 32, "LastChar" => 126, "FontDescriptor" => descriptor,
        }
    };
    let content = b"BT /F1 12 Tf 72 700 Td (Fuzzed font: AaBbCc 0123) Tj <0001000200030041> Tj ET";
    let resources = dictionary! { "Font" => dictionary! { "F1" => font } };
    extract_built(pdf.page(content.to_vec(), resources));
}

/// Image samples: the first byte chooses the filter and bit depth, the next two the
/// width and height (1-64), the rest are the samples; they are decoded as for OCR and as
/// the redaction finder's preview.
pub fn image(data: &[u8]) {
    let [kind, width, height, samples @ ..] = data else {
        return;
    };
    let (width, height) = (i64::from(width % 64) + 1, i64::from(height % 64) + 1);
    let mut dict = dictionary! {
        "Type" => "XObject", "Subtype" => "Image", "Width" => width, "Height" => height,
        "BitsPerComponent" => 8, "ColorSpace" => "DeviceGray",
    };
    match kind % 8 {
        0 => {}
        1 => {
            dict.set("BitsPerComponent", 1);
            dict.set("ImageMask", true);
        }
        2 | 3 => {
            dict.set("BitsPerComponent", 1);
            dict.set("Filter", "CCITTFaxDecode");
            let k = if kind % 8 == 2 { -1 } else { 0 };
            dict.set(
                "DecodeParms",
                dictionary! { "K" => k, "Columns" => width, "Rows" => height, "BlackIs1" => kind & 0x80 != 0 },
            );
        }
        4 => dict.set("Filter", "DCTDecode"),
        5 => dict.set("Filter", "FlateDecode"),
        6 => dict.set("ColorSpace", "DeviceRGB"),
        _ => {
            dict.set("ColorSpace", "DeviceCMYK");
            dict.set(
                "Decode",
                vec![
                    1.into(),
                    0.into(),
                    1.into(),
                    0.into(),
                    1.into(),
                    0.into(),
                    1.into(),
                    0.into(),
                ],
            );
        }
    }
    let mut pdf = PdfBuilder::new();
    let image = pdf.add(Object::Stream(Stream::new(dict, samples.to_vec())));
    let resources = dictionary! { "XObject" => dictionary! { "Im0" => image } };
    let bytes = pdf.page(b"q 612 0 0 792 0 0 cm /Im0 Do Q".to_vec(), resources);
    let Ok(document) = Document::load(&bytes, None, None) else {
        return;
    };
    for page_id in document.page_ids() {
        for drawn in &page_marks(&document, page_id).images {
            if let Ok(source) = ImageSource::resolve(&document, drawn) {
                let _ = source.decode();
                let _ = source.decode_preview();
            }
        }
    }
}

/// A zip archive (perhaps holding zips): every member read, and one asked for by name.
pub fn zip_member(data: &[u8]) {
    let _ = archive::for_each_member(Cursor::new(data), &mut |_, _| {});
    let _ = archive::read_member(Cursor::new(data), "a.zip!/b.pdf");
}

/// A search query, parsed and run (hits and facets) on an empty index.
pub fn query(data: &[u8]) {
    static SEARCHER: OnceLock<Option<PageSearcher>> = OnceLock::new();
    let searcher = SEARCHER.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("foia-fuzz-query-{}", std::process::id()));
        let index = FoiaIndex::open_or_create(&dir).ok()?;
        PageSearcher::new(&index).ok()
    });
    let (Some(searcher), Ok(text)) = (searcher, std::str::from_utf8(data)) else {
        return;
    };
    let _ = searcher.search(text, 10, 0);
    let _ = searcher.facets(text, 5);
}

/// Extracts a PDF built by [`PdfBuilder`].
fn extract_built(bytes: Vec<u8>) {
    let _ = extract::pdf_pages(&bytes);
}

/// A one-page PDF put together around the bytes under test.
struct PdfBuilder {
    document: lopdf::Document,
}

impl PdfBuilder {
    fn new() -> PdfBuilder {
        PdfBuilder {
            document: lopdf::Document::with_version("1.7"),
        }
    }

    fn add(&mut self, object: Object) -> Object {
        Object::Reference(self.document.add_object(object))
    }

    /// The file, with one letter-size page drawing `content` with `resources`.
    fn page(mut self, content: Vec<u8>, resources: Dictionary) -> Vec<u8> {
        let document = &mut self.document;
        let pages_id = document.new_object_id();
        let content = document.add_object(Stream::new(dictionary! {}, content));
        let page = document.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content, "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        });
        document.objects.insert(
            pages_id,
            Object::Dictionary(
                dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
            ),
        );
        let catalog = document.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        document.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        // Writing to memory fails only on an allocation failure, which aborts anyway.
        let _ = document.save_to(&mut bytes);
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each target runs on a few plain inputs, so a change that breaks one shows up in
    /// `cargo test`, not only when someone fuzzes.
    #[test]
    fn every_target_takes_ordinary_and_empty_input() {
        for (_, target) in TARGETS {
            target(b"");
            target(b"BT /F1 12 Tf (hello) Tj ET");
            target(&[0u8; 64]);
        }
        let cmap = b"1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfchar <41> <0041> endbfchar";
        super::cmap(cmap);
    }
}
