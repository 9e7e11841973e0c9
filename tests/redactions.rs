//! Redactions on PDFs written here (`tests/common/redaction_fixtures.rs`), one per
//! mechanism of REDACTIONS.md: boxes drawn as rectangles, paths and curves over words;
//! words on a box of their own colour; dark highlights and `/Redact` annotations;
//! images over words; OCR layers under burned-in bars. And the shapes that must not
//! be flagged: frames, clipped boxes, a white shape over a black one, underlines,
//! strikes and rules, dark header cells with white words, invisible and translucent
//! fills, rings, labels. Then proper boxes and their labels, notes of hidden text,
//! and the same through `ingest`, `search` and `foia redactions`.

mod common;

use common::redaction_fixtures::{cases, pdf, text, with_update, Extras, VISIBLE};
use foia::extract::redactions::{Kind, PageRedactions};

/// The redactions of a one-page fixture.
fn find(content: &str, extras: Extras) -> PageRedactions {
    let extracted = foia::extract::pdf_pages(&pdf(content, extras)).expect("fixture reads");
    extracted.pages[0].redactions.clone()
}

/// A one-page scan of `width` x `height` gray samples over the whole page, read as
/// `ingest` reads it (OCR on).
fn read_scan(width: u32, height: u32, samples: Vec<u8>) -> foia::extract::PdfText {
    let extras = Extras {
        images: vec![("Scan", width, height, samples)],
        ..Extras::default()
    };
    let options = foia::extract::ExtractOptions {
        ocr: foia::ocr::OcrOptions {
            mode: foia::ocr::OcrMode::Auto,
            ..foia::ocr::OcrOptions::default()
        },
        ..foia::extract::ExtractOptions::default()
    };
    let scan = pdf("q 612 0 0 792 0 0 cm /Scan Do Q\n", extras);
    foia::extract::pdf_pages_with(&scan, &options).expect("scan reads")
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

#[test]
fn every_mechanism_is_found_with_its_words_and_no_trap_is_flagged() {
    for case in cases() {
        let extracted = foia::extract::pdf_pages(&case.pdf).expect("fixture reads");
        let page = &extracted.pages[0];
        let found: Vec<(&str, &str)> = page
            .redactions
            .bad
            .iter()
            .map(|finding| (finding.kind.name(), finding.text.as_str()))
            .collect();
        match case.kind {
            Some(kind) => {
                assert_eq!(found, [(kind, case.hidden)], "{}", case.name);
                // Recovered words are not page text.
                for word in case.hidden.split_whitespace() {
                    assert!(
                        !page.text.contains(word),
                        "{}: {word} in {:?}",
                        case.name,
                        page.text
                    );
                }
            }
            None => assert!(found.is_empty(), "{}: {found:?}", case.name),
        }
    }
}

#[test]
fn a_failed_box_is_not_a_proper_one_and_has_its_place() {
    let content = format!(
        "{VISIBLE}0 g {}0 g 70 695 140 18 re f\n",
        text(72.0, 700.0, "Jane Q Informant")
    );
    let found = find(&content, Extras::default());
    assert_eq!(found.boxes, 0);
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

#[test]
fn bars_burned_into_a_scan_are_counted_and_rules_and_blocks_are_not() {
    if let Err(why) = foia::ocr::check(&foia::ocr::OcrOptions::default()) {
        eprintln!("skipping: {why}");
        return;
    }
    // A 612 x 792 scan at 72 dpi: a bar a line high, a rule, a dark block.
    let (width, height) = (612u32, 792u32);
    let mut samples = vec![255u8; (width * height) as usize];
    let mut paint = |x0: u32, y0: u32, x1: u32, y1: u32| {
        for y in y0..y1 {
            for x in x0..x1 {
                samples[((height - 1 - y) * width + x) as usize] = 0;
            }
        }
    };
    paint(100, 600, 260, 616);
    paint(100, 500, 400, 502);
    paint(100, 200, 300, 400);
    let pages = read_scan(width, height, samples);
    let found = &pages.pages[0].redactions;
    assert_eq!(found.boxes, 1, "{found:?}");
    let bar = found.rects[0];
    assert!(
        (bar[0] - 100.0).abs() < 2.0 && (bar[3] - 616.0).abs() < 2.0,
        "{bar:?}"
    );
}

#[test]
fn words_a_later_revision_boxed_are_read_from_the_first() {
    let secret = text(72.0, 700.0, "Jane Q Informant");
    let base = pdf(&format!("{VISIBLE}{secret}"), Extras::default());
    // Saved again by appending: the words taken out, a box where they stood.
    let boxed = with_update(&base, &format!("{VISIBLE}0 0 0 rg 70 695 110 18 re f\n"));
    let extracted = foia::extract::pdf_pages(&boxed).expect("updated file reads");
    let page = &extracted.pages[0];
    assert!(!page.text.contains("Informant"), "{:?}", page.text);
    assert_eq!(page.redactions.boxes, 1, "{:?}", page.redactions);
    assert!(page.redactions.bad.is_empty());
    assert_eq!(
        notes(&page.redactions),
        [(Kind::EarlierRevision, "Jane Q Informant".to_string())]
    );
    // Words the last revision still shows, or a box elsewhere, are no such note.
    let kept = with_update(
        &base,
        &format!("{VISIBLE}{secret}0 0 0 rg 300 400 110 18 re f\n"),
    );
    let extracted = foia::extract::pdf_pages(&kept).expect("updated file reads");
    let page = &extracted.pages[0];
    assert_eq!(page.redactions.boxes, 1, "{:?}", page.redactions);
    assert!(notes(&page.redactions).is_empty(), "{:?}", page.redactions);
    // One revision: nothing to compare.
    let single = find(
        &format!("{VISIBLE}0 0 0 rg 70 695 110 18 re f\n"),
        Extras::default(),
    );
    assert_eq!(single.boxes, 1);
    assert!(notes(&single).is_empty());
}

#[test]
fn exemption_labels_beside_bars_in_a_scan_are_read_by_ocr() {
    if let Err(why) = foia::ocr::check(&foia::ocr::OcrOptions::default()) {
        eprintln!("skipping: {why}");
        return;
    }
    // A bar in a line of text with its label printed beside it, "printed and
    // scanned": the page rendered at 300 dpi by pdftoppm, then made the only thing on
    // a page.
    let printed = pdf(
        &[
            text(72.0, 700.0, "Memorandum for the record, March 2019"),
            text(72.0, 640.0, "The witness named"),
            "0 0 0 rg 190 636 120 16 re f\n".to_string(),
            text(316.0, 640.0, "\\(b\\)\\(6\\) was interviewed."),
            text(72.0, 600.0, "No further action was taken by the office."),
        ]
        .concat(),
        Extras::default(),
    );
    let folder = tempfile::tempdir().expect("temporary folder");
    std::fs::write(folder.path().join("printed.pdf"), printed).expect("written");
    let rendered = std::process::Command::new("pdftoppm")
        .args(["-gray", "-r", "300", "-singlefile", "printed.pdf", "scan"])
        .current_dir(folder.path())
        .status();
    if !rendered.is_ok_and(|status| status.success()) {
        eprintln!("skipping: pdftoppm (poppler-utils) is not installed");
        return;
    }
    let pgm = std::fs::read(folder.path().join("scan.pgm")).expect("pdftoppm wrote a PGM");
    // P5 <width> <height> 255, one whitespace, then the samples.
    let header: Vec<&[u8]> = pgm.splitn(5, |byte| byte.is_ascii_whitespace()).collect();
    let number = |field: &[u8]| -> u32 { String::from_utf8_lossy(field).parse().expect("a size") };
    let (width, height) = (number(header[1]), number(header[2]));
    let samples = header[4].to_vec();
    assert_eq!(samples.len(), (width * height) as usize);
    let pages = read_scan(width, height, samples);
    let found = &pages.pages[0].redactions;
    assert_eq!(found.boxes, 1, "{found:?}");
    assert_eq!(
        found.labels.iter().collect::<Vec<_>>(),
        [(&"(b)(6)".to_string(), &1)],
        "{found:?} / OCR read {:?}",
        pages.pages[0].text
    );
}
