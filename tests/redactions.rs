//! Redactions on PDFs written here, one per mechanism of REDACTIONS.md: boxes drawn as
//! rectangles, paths and curves over words; words on a box of their own colour; dark
//! highlights and `/Redact` annotations; images over words; OCR layers under
//! burned-in bars. And the shapes that must not be flagged: frames, clipped boxes,
//! a white shape over a black one, underlines, strikes and rules, dark header cells
//! with white words, invisible fills, icons. Then the same through `ingest`, `search`
//! and `foia redactions`.

mod common;

use foia::extract::redactions::{Kind, PageRedactions};
use lopdf::{dictionary, Dictionary, Object, Stream};

/// What a fixture page holds besides its content stream.
#[derive(Default)]
struct Extras {
    annotations: Vec<Dictionary>,
    /// Image XObjects by name: gray, 8 bits, `(width, height, samples)`.
    images: Vec<(&'static str, u32, u32, Vec<u8>)>,
    /// ExtGState resources by name.
    states: Vec<(&'static str, Dictionary)>,
    /// Optional content: the group `/OC1` in `/Properties`, off by default.
    hidden_layer: bool,
}

/// A one-page US Letter PDF drawing `content` with Helvetica as `/F1`.
fn pdf(content: &str, extras: Extras) -> Vec<u8> {
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
fn text(x: f32, y: f32, text: &str) -> String {
    format!("BT /F1 12 Tf {x} {y} Td ({text}) Tj ET\n")
}

/// The redactions of a one-page fixture.
fn find(content: &str, extras: Extras) -> PageRedactions {
    let extracted = foia::extract::pdf_pages(&pdf(content, extras)).expect("fixture reads");
    extracted.pages[0].redactions.clone()
}

/// The bad redactions as (kind, text).
fn bad(found: &PageRedactions) -> Vec<(Kind, String)> {
    found
        .bad
        .iter()
        .map(|finding| (finding.kind, finding.text.clone()))
        .collect()
}

fn notes(found: &PageRedactions) -> Vec<(Kind, String)> {
    found
        .hidden
        .iter()
        .map(|finding| (finding.kind, finding.text.clone()))
        .collect()
}

/// A visible line of text the fixtures put beside their redactions: never reported.
const VISIBLE: &str = "BT /F1 12 Tf 72 600 Td (Visible words stay out of it) Tj ET\n";

#[test]
fn a_black_rectangle_over_words_is_a_bad_redaction_with_the_words() {
    let content = format!(
        "{VISIBLE}0 g {}0 g 70 695 140 18 re f\n",
        text(72.0, 700.0, "Jane Q Informant")
    );
    let found = find(&content, Extras::default());
    assert_eq!(bad(&found), [(Kind::Rect, "Jane Q Informant".to_string())]);
    assert_eq!(found.boxes, 0, "a failed box is not a proper one");
    let bbox = found.bad[0].bbox;
    assert!(
        bbox[0] >= 70.0 && bbox[2] <= 212.0 && bbox[1] >= 690.0 && bbox[3] <= 715.0,
        "{bbox:?}"
    );
}

#[test]
fn a_box_covering_part_of_a_word_recovers_the_covered_letters_only() {
    // "Account 12345678": the box covers the number only.
    let content = format!(
        "0 g {}0 g 118 695 60 18 re f\n",
        text(72.0, 700.0, "Account 12345678")
    );
    assert_eq!(
        bad(&find(&content, Extras::default())),
        [(Kind::Rect, "12345678".to_string())]
    );
}

#[test]
fn paths_and_curved_boxes_over_words_are_bad_redactions() {
    let polygon = format!(
        "{}0 0 0 rg 70 695 m 210 695 l 210 713 l 70 713 l h f\n",
        text(72.0, 700.0, "Polygon Secret")
    );
    assert_eq!(
        bad(&find(&polygon, Extras::default())),
        [(Kind::Path, "Polygon Secret".to_string())]
    );
    // A rounded box: curves at the corners.
    let rounded = format!(
        "{}0 0 0 1 k 74 695 m 206 695 l 209 695 210 697 210 699 c 210 709 l 210 712 208 713 206 713 c \
         74 713 l 71 713 70 711 70 709 c 70 699 l 70 696 72 695 74 695 c h f\n",
        text(72.0, 700.0, "Rounded Secret")
    );
    assert_eq!(
        bad(&find(&rounded, Extras::default())),
        [(Kind::Path, "Rounded Secret".to_string())]
    );
}

#[test]
fn black_words_on_a_black_box_are_a_bad_redaction() {
    let content = format!(
        "0 g 70 695 150 18 re f\n0 g {}",
        text(72.0, 700.0, "Same Colour Name")
    );
    assert_eq!(
        bad(&find(&content, Extras::default())),
        [(Kind::SameColour, "Same Colour Name".to_string())]
    );
    // White words on the same box are a dark table cell: nothing hidden.
    let cell = format!(
        "0 g 70 695 150 18 re f\n1 g {}",
        text(72.0, 700.0, "Header Cell")
    );
    let found = find(&cell, Extras::default());
    assert!(found.bad.is_empty() && found.boxes == 0, "{found:?}");
}

#[test]
fn dark_highlights_and_unapplied_redact_annotations_are_bad_redactions() {
    let quad = |x0: f32, y0: f32, x1: f32, y1: f32| -> Vec<Object> {
        [x0, y1, x1, y1, x0, y0, x1, y0]
            .into_iter()
            .map(Object::Real)
            .collect()
    };
    let highlight = dictionary! {
        "Type" => "Annot", "Subtype" => "Highlight",
        "Rect" => vec![70.into(), 695.into(), 220.into(), 713.into()],
        "QuadPoints" => quad(70.0, 695.0, 220.0, 713.0),
        "C" => vec![0.into(), 0.into(), 0.into()],
        "CA" => 1,
    };
    let content = text(72.0, 700.0, "Highlighted Name");
    let found_highlight = find(
        &content,
        Extras {
            annotations: vec![highlight],
            ..Extras::default()
        },
    );
    assert_eq!(
        bad(&found_highlight),
        [(Kind::Highlight, "Highlighted Name".to_string())]
    );

    // A yellow highlight hides nothing.
    let yellow = dictionary! {
        "Type" => "Annot", "Subtype" => "Highlight",
        "Rect" => vec![70.into(), 695.into(), 220.into(), 713.into()],
        "QuadPoints" => quad(70.0, 695.0, 220.0, 713.0),
        "C" => vec![1.into(), 1.into(), 0.into()],
    };
    let found_yellow = find(
        &content,
        Extras {
            annotations: vec![yellow],
            ..Extras::default()
        },
    );
    assert!(found_yellow.bad.is_empty(), "{found_yellow:?}");

    // Marked for redaction, never applied: reported even though the words show,
    // with or without a black appearance.
    for with_appearance in [false, true] {
        let mut redact = dictionary! {
            "Type" => "Annot", "Subtype" => "Redact",
            "Rect" => vec![70.into(), 695.into(), 220.into(), 713.into()],
        };
        let mut extras = Extras::default();
        if with_appearance {
            redact.set(
                "AP",
                dictionary! { "N" => Stream::new(
                    dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 150.into(), 18.into()] },
                    b"0 g 0 0 150 18 re f".to_vec(),
                ) },
            );
        }
        extras.annotations.push(redact);
        let found = find(&content, extras);
        assert_eq!(
            bad(&found),
            [(Kind::RedactAnnotation, "Highlighted Name".to_string())],
            "appearance {with_appearance}"
        );
    }
}

#[test]
fn a_black_image_over_words_is_a_bad_redaction_and_a_light_one_is_not() {
    for (shade, hidden) in [(0u8, true), (230u8, false)] {
        let content = format!(
            "{}q 150 0 0 18 70 695 cm /Bar Do Q\n",
            text(72.0, 700.0, "Imaged Over Name")
        );
        let found = find(
            &content,
            Extras {
                images: vec![("Bar", 4, 2, vec![shade; 8])],
                ..Extras::default()
            },
        );
        if hidden {
            assert_eq!(bad(&found), [(Kind::Image, "Imaged Over Name".to_string())]);
        } else {
            assert!(found.bad.is_empty(), "{found:?}");
        }
    }
}

/// A full-page scan, white but for a black bar over `[x0, y0, x1, y1]` (points).
fn scan_with_bar(bar: [f32; 4]) -> (&'static str, u32, u32, Vec<u8>) {
    let (width, height) = (612u32, 792u32);
    let mut samples = vec![255u8; (width * height) as usize];
    for y in bar[1] as u32..bar[3] as u32 {
        for x in bar[0] as u32..bar[2] as u32 {
            samples[((height - 1 - y) * width + x) as usize] = 0;
        }
    }
    ("Scan", width, height, samples)
}

#[test]
fn an_ocr_layer_under_burned_in_bars_is_a_bad_redaction_of_its_real_words() {
    // The text layer was made before the bars: invisible words, some under the bar.
    let content = format!(
        "q 612 0 0 792 0 0 cm /Scan Do Q\n3 Tr {}{}",
        text(72.0, 700.0, "Officer Jonathan Smithers"),
        text(72.0, 650.0, "Case closed")
    );
    let found = find(
        &content,
        Extras {
            images: vec![scan_with_bar([120.0, 690.0, 300.0, 716.0])],
            ..Extras::default()
        },
    );
    assert_eq!(
        bad(&found),
        [(Kind::ScanTextLayer, "Jonathan Smithers".to_string())]
    );

    // One token of noise under a bar is not enough to report.
    let noise = format!(
        "q 612 0 0 792 0 0 cm /Scan Do Q\n3 Tr {}",
        text(122.0, 700.0, "Il|")
    );
    let quiet = find(
        &noise,
        Extras {
            images: vec![scan_with_bar([120.0, 690.0, 300.0, 716.0])],
            ..Extras::default()
        },
    );
    assert!(quiet.bad.is_empty(), "{quiet:?}");
}

#[test]
fn words_drawn_before_a_full_page_image_with_a_bar_are_recovered() {
    let content = format!(
        "0 g {}q 612 0 0 792 0 0 cm /Scan Do Q\n",
        text(72.0, 700.0, "Burned Name")
    );
    let found = find(
        &content,
        Extras {
            images: vec![scan_with_bar([60.0, 690.0, 200.0, 716.0])],
            ..Extras::default()
        },
    );
    assert_eq!(bad(&found), [(Kind::Image, "Burned Name".to_string())]);
}

#[test]
fn shapes_that_are_not_redactions_are_not_flagged() {
    let words = text(72.0, 700.0, "Ordinary Words Here");
    let cases: Vec<(&str, String, Extras)> = vec![
        // A frame: an outer and an inner rectangle filled even-odd; the words sit in
        // the hole.
        (
            "frame",
            format!("{words}0 g 60 685 180 40 re 66 692 168 26 re f*\n"),
            Extras::default(),
        ),
        // A clip that removes the box.
        (
            "clipped box",
            format!("{words}q 300 300 10 10 re W n 0 g 70 695 150 18 re f Q\n"),
            Extras::default(),
        ),
        // A white shape over the black one (an icon's inner part, a cell).
        (
            "white over black",
            format!("{words}0 g 70 695 150 18 re f 1 g 68 693 154 22 re f\n"),
            Extras::default(),
        ),
        // Underline, strike-through and a rule.
        (
            "lines",
            format!("{words}0 g 72 697 120 0.8 re f 72 703 120 1 re f 40 680 530 2 re f\n"),
            Extras::default(),
        ),
        // Navy is not dark enough to be a box; and it is drawn first.
        (
            "navy cell",
            format!("0 0 0.5 rg 70 695 150 18 re f 1 g {words}"),
            Extras::default(),
        ),
        // A black fill drawn at alpha 0 (mail programs put one under header lines).
        (
            "invisible fill",
            format!("{words}/Clear gs 0 g 70 695 150 18 re f\n"),
            Extras {
                states: vec![("Clear", dictionary! { "ca" => 0 })],
                ..Extras::default()
            },
        ),
        // A half-transparent black box leaves the words legible.
        (
            "translucent box",
            format!("{words}/Half gs 0 g 70 695 150 18 re f\n"),
            Extras {
                states: vec![("Half", dictionary! { "ca" => 0.4 })],
                ..Extras::default()
            },
        ),
        // A dark ring (an icon's outline) over a word: the raster is mostly white.
        (
            "ring",
            format!("{words}0 g 70 690 m 230 690 l 230 718 l 70 718 l h 72 692 m 72 716 l 228 716 l 228 692 l h f\n"),
            Extras::default(),
        ),
    ];
    for (name, content, extras) in cases {
        let found = find(&content, extras);
        assert!(found.bad.is_empty(), "{name}: {found:?}");
    }
}

#[test]
fn proper_boxes_are_counted_once_with_their_labels() {
    let content = format!(
        "{VISIBLE}0 g 72 700 120 14 re f 72 700 120 14 re f\n\
         0 g 72 660 80 14 re f 1 g {}\
         0.8 g 72 620 80 14 re f 0 g {}\
         0 g 72 580 60 14 re f 0 g {}\
         0 g 72 540 2 60 re f\n",
        text(76.0, 663.0, "(b)(6)"),
        text(76.0, 623.0, "(b)(7)(C)"),
        text(136.0, 583.0, "(b)(6)"),
    );
    let found = find(&content, Extras::default());
    assert!(found.bad.is_empty(), "{found:?}");
    // The box drawn twice, the labelled black box, the grey labelled box and the box
    // with a label beside it; not the vertical rule.
    assert_eq!(found.boxes, 4, "{found:?}");
    let labels: Vec<(&str, u32)> = found
        .labels
        .iter()
        .map(|(label, count)| (label.as_str(), *count))
        .collect();
    assert_eq!(labels, [("(b)(6)", 2), ("(b)(7)(C)", 1)]);
}

#[test]
fn labels_and_junk_under_a_box_are_not_recovered_words() {
    let content = format!(
        "0 g {}0 g 70 695 100 18 re f\n0 g {}0 g 70 645 100 18 re f\n",
        text(72.0, 700.0, "(b)(6) REDACTED"),
        text(72.0, 650.0, "Il|!")
    );
    let found = find(&content, Extras::default());
    assert!(found.bad.is_empty(), "{found:?}");
    assert_eq!(found.boxes, 2);
}

#[test]
fn text_no_reader_sees_is_noted_not_reported_as_bad() {
    let content = format!(
        "1 g {}\
         q 0 0 300 300 re W n 0 g {}Q\n\
         0 g {}\
         /OC /OC1 BDC 0 g {}EMC\n\
         3 Tr {}0 Tr\n\
         0 g {}1 g 70 395 150 18 re f\n",
        text(72.0, 700.0, "White Words"),
        text(72.0, 650.0, "Clipped Words"),
        text(700.0, 600.0, "Offpage Words"),
        text(72.0, 550.0, "Layer Words"),
        text(72.0, 500.0, "Invisible Words"),
        text(72.0, 400.0, "Whited Out"),
    );
    let found = find(
        &content,
        Extras {
            hidden_layer: true,
            ..Extras::default()
        },
    );
    assert!(found.bad.is_empty(), "{found:?}");
    assert_eq!(
        notes(&found),
        [
            (Kind::WhiteText, "White Words".to_string()),
            (Kind::Clipped, "Clipped Words".to_string()),
            (Kind::OffPage, "Offpage Words".to_string()),
            (Kind::HiddenLayer, "Layer Words".to_string()),
            (Kind::Invisible, "Invisible Words".to_string()),
            (Kind::WhiteOut, "Whited Out".to_string()),
        ]
    );
}

#[test]
fn a_tool_stamp_under_three_boxes_is_a_placeholder_not_recovered_text() {
    let mut content = String::new();
    for y in [700.0, 650.0, 600.0] {
        content.push_str(&format!(
            "0 g {}0 g 70 {} 100 18 re f\n",
            text(72.0, y, "2019-05-01"),
            y - 5.0
        ));
    }
    content.push_str(&format!(
        "0 g {}0 g 70 495 100 18 re f\n",
        text(72.0, 500.0, "Real Name")
    ));
    let found = find(&content, Extras::default());
    assert_eq!(bad(&found), [(Kind::Rect, "Real Name".to_string())]);
    assert_eq!(found.boxes, 3);
}

#[test]
fn ingested_redactions_are_searchable_and_listed() {
    let work = tempfile::tempdir().expect("temp dir");
    let docs = work.path().join("docs");
    std::fs::create_dir_all(&docs).expect("docs");
    let failed = format!(
        "{VISIBLE}0 g {}0 g 70 695 140 18 re f\n",
        text(72.0, 700.0, "Jane Informant")
    );
    std::fs::write(docs.join("failed.pdf"), pdf(&failed, Extras::default())).expect("write");
    let proper = format!(
        "{VISIBLE}0 g 72 700 120 14 re f 0 g {}",
        text(200.0, 703.0, "(b)(6)")
    );
    std::fs::write(docs.join("proper.pdf"), pdf(&proper, Extras::default())).expect("write");
    std::fs::write(
        docs.join("plain.pdf"),
        common::pdf_saying("plain", "Visible words stay out of it"),
    )
    .expect("write");
    let index = work.path().join("index");
    let run = common::ingest_text_layers(&index, &[&docs]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let paths = |query: &str| -> Vec<String> {
        let mut found: Vec<String> = common::search_json(&index, query)
            .iter()
            .map(|hit| {
                let path = hit["path"].as_str().expect("path");
                path.rsplit('/').next().expect("name").to_string()
            })
            .collect();
        found.sort();
        found
    };
    assert_eq!(paths("redaction:bad"), ["failed.pdf"]);
    assert_eq!(paths("redaction:any"), ["failed.pdf", "proper.pdf"]);
    assert_eq!(paths("recovered:\"jane informant\""), ["failed.pdf"]);
    // Recovered words are not page text: a plain search does not find them...
    assert!(paths("informant").is_empty());
    // ...and the visible words are not recovered ones.
    assert!(paths("recovered:visible").is_empty());
    assert_eq!(paths("redactions:>0"), ["proper.pdf"]);

    let index_arg = index.to_str().expect("UTF-8");
    let json = common::foia(["redactions", "--index", index_arg]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let lines: Vec<serde_json::Value> = json
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 2, "{}", json.stdout);
    assert!(lines[0]["path"]
        .as_str()
        .expect("path")
        .ends_with("failed.pdf"));
    assert_eq!(lines[0]["bad"], 1);
    assert_eq!(lines[0]["bad_redactions"][0]["kind"], "rect");
    assert_eq!(lines[0]["bad_redactions"][0]["text"], "Jane Informant");
    assert_eq!(lines[1]["boxes"], 1);
    // Labels by exemption code, as the exemption entities name them.
    assert_eq!(lines[1]["labels"]["b6"], 1);

    let csv = common::foia([
        "redactions",
        "--index",
        index_arg,
        "--format",
        "csv",
        "--bad",
    ]);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    let rows: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(rows.len(), 2, "{}", csv.stdout);
    assert!(rows[0].starts_with("doc_id,path,page,boxes,bad,labels,finding,kind"));
    assert!(
        rows[1].contains(",bad,rect,") && rows[1].ends_with(",Jane Informant"),
        "{}",
        rows[1]
    );

    // The same findings straight from the file.
    let direct = common::foia([
        "redactions",
        docs.join("failed.pdf").to_str().expect("UTF-8"),
    ]);
    assert_eq!(direct.code, 0, "{}", direct.stderr);
    assert!(
        direct.stdout.contains("\"text\":\"Jane Informant\""),
        "{}",
        direct.stdout
    );
}
