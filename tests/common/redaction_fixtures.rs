//! Fixture PDFs for the redaction check, one per mechanism of REDACTIONS.md and one
//! per shape that must not be flagged, written here (never taken from elsewhere). The
//! redaction tests assert on them; `benches/redactions.rs` scores foia and x-ray on
//! the same pages.

#![allow(dead_code)] // the tests and the bench each use part of this

use lopdf::{dictionary, Dictionary, Object, Stream};

/// What a fixture page holds besides its content stream.
#[derive(Default)]
pub struct Extras {
    pub annotations: Vec<Dictionary>,
    /// Image XObjects by name: gray, 8 bits, `(width, height, samples)`.
    pub images: Vec<(&'static str, u32, u32, Vec<u8>)>,
    /// ExtGState resources by name.
    pub states: Vec<(&'static str, Dictionary)>,
    /// Optional content: the group `/OC1` in `/Properties`, off by default.
    pub hidden_layer: bool,
}

/// A one-page US Letter PDF drawing `content` with Helvetica as `/F1`.
pub fn pdf(content: &str, extras: Extras) -> Vec<u8> {
    let mut document = lopdf::Document::with_version("1.5");
    let pages_id = document.new_object_id();
    let font_id = document.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let mut xobjects = Dictionary::new();
    for (name, width, height, samples) in extras.images {
        let id = document.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => width, "Height" => height,
                "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
            },
            samples,
        ));
        xobjects.set(name, id);
    }
    let mut states = Dictionary::new();
    for (name, state) in extras.states {
        states.set(name, state);
    }
    let mut properties = Dictionary::new();
    let mut catalog = dictionary! { "Type" => "Catalog", "Pages" => pages_id };
    if extras.hidden_layer {
        let group = document
            .add_object(dictionary! { "Type" => "OCG", "Name" => Object::string_literal("Draft") });
        properties.set("OC1", group);
        catalog.set(
            "OCProperties",
            dictionary! {
                "OCGs" => vec![group.into()],
                "D" => dictionary! { "OFF" => vec![group.into()] },
            },
        );
    }
    let content_id = document.add_object(Stream::new(dictionary! {}, content.as_bytes().to_vec()));
    let annotations: Vec<Object> = extras
        .annotations
        .into_iter()
        .map(|mut annotation| {
            // Appearance streams must be indirect objects.
            if let Ok(Object::Dictionary(appearances)) = annotation.get(b"AP").cloned() {
                let mut indirect = Dictionary::new();
                for (key, value) in appearances.iter() {
                    indirect.set(key.clone(), document.add_object(value.clone()));
                }
                annotation.set("AP", indirect);
            }
            document.add_object(annotation).into()
        })
        .collect();
    let page_id = document.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
        "Annots" => annotations,
        "Resources" => dictionary! {
            "Font" => dictionary! { "F1" => font_id },
            "XObject" => xobjects,
            "ExtGState" => states,
            "Properties" => properties,
        },
    });
    document.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        }),
    );
    let catalog_id = document.add_object(catalog);
    document.trailer.set("Root", catalog_id);
    let mut bytes = Vec::new();
    document.save_to(&mut bytes).expect("fixture saves");
    bytes
}

/// `text` in 12-point Helvetica at `(x, y)`, in the fill colour set before it.
pub fn text(x: f32, y: f32, text: &str) -> String {
    format!("BT /F1 12 Tf {x} {y} Td ({text}) Tj ET\n")
}

/// A visible line of text the fixtures put beside their redactions: never reported.
pub const VISIBLE: &str = "BT /F1 12 Tf 72 600 Td (Visible words stay out of it) Tj ET\n";

/// A full-page scan, white but for a black bar over `[x0, y0, x1, y1]` (points).
pub fn scan_with_bar(bar: [f32; 4]) -> (&'static str, u32, u32, Vec<u8>) {
    let (width, height) = (612u32, 792u32);
    let mut samples = vec![255u8; (width * height) as usize];
    for y in bar[1] as u32..bar[3] as u32 {
        for x in bar[0] as u32..bar[2] as u32 {
            samples[((height - 1 - y) * width + x) as usize] = 0;
        }
    }
    ("Scan", width, height, samples)
}

/// Quadrilateral points of a box, as `/QuadPoints` lists them.
fn quad(x0: f32, y0: f32, x1: f32, y1: f32) -> Vec<Object> {
    [x0, y1, x1, y1, x0, y0, x1, y0]
        .into_iter()
        .map(Object::Real)
        .collect()
}

/// A fixture page and what it hides.
pub struct Case {
    pub name: &'static str,
    pub pdf: Vec<u8>,
    /// The kind of bad redaction on it (as `foia redactions` names it), or `None`
    /// for a page that must not be flagged.
    pub kind: Option<&'static str>,
    /// The words a bad redaction fails to hide.
    pub hidden: &'static str,
}

fn case(
    name: &'static str,
    kind: Option<&'static str>,
    hidden: &'static str,
    content: &str,
    extras: Extras,
) -> Case {
    Case {
        name,
        pdf: pdf(content, extras),
        kind,
        hidden,
    }
}

/// Every fixture: the mechanisms first, then the shapes that must not be flagged.
pub fn cases() -> Vec<Case> {
    let words = text(72.0, 700.0, "Ordinary Words Here");
    let redact = |appearance: bool| {
        let mut annotation = dictionary! {
            "Type" => "Annot", "Subtype" => "Redact",
            "Rect" => vec![70.into(), 695.into(), 220.into(), 713.into()],
        };
        if appearance {
            annotation.set(
                "AP",
                dictionary! { "N" => Stream::new(
                    dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 150.into(), 18.into()] },
                    b"0 g 0 0 150 18 re f".to_vec(),
                ) },
            );
        }
        Extras {
            annotations: vec![annotation],
            ..Extras::default()
        }
    };
    let highlight = |colour: Vec<Object>| Extras {
        annotations: vec![dictionary! {
            "Type" => "Annot", "Subtype" => "Highlight",
            "Rect" => vec![70.into(), 695.into(), 220.into(), 713.into()],
            "QuadPoints" => quad(70.0, 695.0, 220.0, 713.0),
            "C" => colour,
            "CA" => 1,
        }],
        ..Extras::default()
    };
    let bar_image = |shade: u8| Extras {
        images: vec![("Bar", 4, 2, vec![shade; 8])],
        ..Extras::default()
    };
    let scan = |bar: [f32; 4]| Extras {
        images: vec![scan_with_bar(bar)],
        ..Extras::default()
    };
    let state = |name: &'static str, alpha: f32| Extras {
        states: vec![(name, dictionary! { "ca" => alpha })],
        ..Extras::default()
    };
    vec![
        case(
            "rectangle",
            Some("rect"),
            "Jane Q Informant",
            &format!("{VISIBLE}0 g {}0 g 70 695 140 18 re f\n", text(72.0, 700.0, "Jane Q Informant")),
            Extras::default(),
        ),
        case(
            "polygon",
            Some("path"),
            "Polygon Secret",
            &format!("{}0 0 0 rg 70 695 m 210 695 l 210 713 l 70 713 l h f\n", text(72.0, 700.0, "Polygon Secret")),
            Extras::default(),
        ),
        case(
            "rounded box",
            Some("path"),
            "Rounded Secret",
            &format!(
                "{}0 0 0 1 k 74 695 m 206 695 l 209 695 210 697 210 699 c 210 709 l 210 712 208 713 206 713 c \
                 74 713 l 71 713 70 711 70 709 c 70 699 l 70 696 72 695 74 695 c h f\n",
                text(72.0, 700.0, "Rounded Secret")
            ),
            Extras::default(),
        ),
        case(
            "same colour",
            Some("same-colour"),
            "Same Colour Name",
            &format!("0 g 70 695 150 18 re f\n0 g {}", text(72.0, 700.0, "Same Colour Name")),
            Extras::default(),
        ),
        case(
            "dark highlight",
            Some("highlight"),
            "Highlighted Name",
            &text(72.0, 700.0, "Highlighted Name"),
            highlight(vec![0.into(), 0.into(), 0.into()]),
        ),
        case(
            "redact annotation",
            Some("redact-annotation"),
            "Marked Name",
            &text(72.0, 700.0, "Marked Name"),
            redact(false),
        ),
        case(
            "redact annotation with a black appearance",
            Some("redact-annotation"),
            "Marked Name",
            &text(72.0, 700.0, "Marked Name"),
            redact(true),
        ),
        case(
            "black image over words",
            Some("image"),
            "Imaged Over Name",
            &format!("{}q 150 0 0 18 70 695 cm /Bar Do Q\n", text(72.0, 700.0, "Imaged Over Name")),
            bar_image(0),
        ),
        case(
            "words under a full-page image with a bar",
            Some("image"),
            "Burned Name",
            &format!("0 g {}q 612 0 0 792 0 0 cm /Scan Do Q\n", text(72.0, 700.0, "Burned Name")),
            scan([60.0, 690.0, 200.0, 716.0]),
        ),
        case(
            "OCR layer under a burned-in bar",
            Some("scan-text-layer"),
            "Jonathan Smithers",
            &format!(
                "q 612 0 0 792 0 0 cm /Scan Do Q\n3 Tr {}{}",
                text(72.0, 700.0, "Officer Jonathan Smithers"),
                text(72.0, 650.0, "Case closed")
            ),
            scan([120.0, 690.0, 300.0, 716.0]),
        ),
        case("yellow highlight", None, "", &text(72.0, 700.0, "Highlighted Name"), highlight(vec![1.into(), 1.into(), 0.into()])),
        case(
            "light image over words",
            None,
            "",
            &format!("{}q 150 0 0 18 70 695 cm /Bar Do Q\n", text(72.0, 700.0, "Imaged Over Name")),
            bar_image(230),
        ),
        case(
            "OCR noise under a bar",
            None,
            "",
            &format!("q 612 0 0 792 0 0 cm /Scan Do Q\n3 Tr {}", text(122.0, 700.0, "Il|")),
            scan([120.0, 690.0, 300.0, 716.0]),
        ),
        case(
            "white words on a black cell",
            None,
            "",
            &format!("0 g 70 695 150 18 re f\n1 g {}", text(72.0, 700.0, "Header Cell")),
            Extras::default(),
        ),
        case("frame", None, "", &format!("{words}0 g 60 685 180 40 re 66 692 168 26 re f*\n"), Extras::default()),
        case(
            "clipped box",
            None,
            "",
            &format!("{words}q 300 300 10 10 re W n 0 g 70 695 150 18 re f Q\n"),
            Extras::default(),
        ),
        case(
            "white over black",
            None,
            "",
            &format!("{words}0 g 70 695 150 18 re f 1 g 68 693 154 22 re f\n"),
            Extras::default(),
        ),
        case(
            "underline, strike and rule",
            None,
            "",
            &format!("{words}0 g 72 697 120 0.8 re f 72 703 120 1 re f 40 680 530 2 re f\n"),
            Extras::default(),
        ),
        case("navy cell", None, "", &format!("0 0 0.5 rg 70 695 150 18 re f 1 g {words}"), Extras::default()),
        case(
            "invisible fill",
            None,
            "",
            &format!("{words}/Clear gs 0 g 70 695 150 18 re f\n"),
            state("Clear", 0.0),
        ),
        case(
            "translucent box",
            None,
            "",
            &format!("{words}/Half gs 0 g 70 695 150 18 re f\n"),
            state("Half", 0.4),
        ),
        case(
            "ring",
            None,
            "",
            &format!("{words}0 g 70 690 m 230 690 l 230 718 l 70 718 l h 72 692 m 72 716 l 228 716 l 228 692 l h f\n"),
            Extras::default(),
        ),
        case(
            "labels under a box",
            None,
            "",
            &format!("0 g {}0 g 70 695 100 18 re f\n", text(72.0, 700.0, "(b)(6) REDACTED")),
            Extras::default(),
        ),
    ]
}

/// `base` with an incremental update appended (ISO 32000-1 7.5.6) that gives its first
/// page the content `content` in place of its own: the old content stays in the file,
/// as a PDF edited and saved by appending keeps its first revision.
pub fn with_update(base: &[u8], content: &str) -> Vec<u8> {
    let document = lopdf::Document::load_mem(base).expect("base loads");
    let page_id = *document.get_pages().values().next().expect("a page");
    let contents = document
        .get_dictionary(page_id)
        .and_then(|page| page.get(b"Contents"))
        .and_then(Object::as_reference)
        .expect("one content stream");
    let root = document.trailer.get(b"Root").expect("a root").clone();
    let size = document.max_id + 1;
    let previous = base
        .windows(9)
        .rposition(|window| window == b"startxref")
        .map(|at| {
            String::from_utf8_lossy(&base[at + 9..])
                .split_whitespace()
                .next()
                .and_then(|offset| offset.parse::<usize>().ok())
                .expect("a startxref offset")
        })
        .expect("a startxref");
    let mut file = base.to_vec();
    if !file.ends_with(b"\n") {
        file.push(b'\n');
    }
    let object_at = file.len();
    file.extend_from_slice(
        format!(
            "{} {} obj\n<< /Length {} >>\nstream\n{content}\nendstream\nendobj\n",
            contents.0,
            contents.1,
            content.len() + 1
        )
        .as_bytes(),
    );
    let xref_at = file.len();
    let Object::Reference(root) = root else {
        panic!("root is a reference")
    };
    file.extend_from_slice(
        format!(
            "xref\n{} 1\n{object_at:010} {:05} n \ntrailer\n<< /Size {size} /Root {} {} R /Prev {previous} >>\nstartxref\n{xref_at}\n%%EOF\n",
            contents.0, contents.1, root.0, root.1
        )
        .as_bytes(),
    );
    file
}
