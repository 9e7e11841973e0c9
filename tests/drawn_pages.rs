//! Every visible word searchable: the pages of `corpus/drawn` (made by its make.sh)
//! hold words a text layer alone does not give: labels drawn as glyph outlines, an
//! order set in a font that maps to nothing, a letterhead that is an image, a scan
//! under a stamped header line. Each is read from its picture, merged with its text
//! layer without repeating it, searchable by its visible words, and says why.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{foia, hit_pages, ingest, search_json};

fn drawn_dir() -> PathBuf {
    common::corpus_dir().join("drawn")
}

/// Words as `../shared/tools/render_recall.py` counts them: casefolded runs of three
/// or more letters, as a multiset.
fn words(text: &str) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for word in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|word| word.chars().count() >= 3)
    {
        *counts.entry(word.to_lowercase()).or_default() += 1;
    }
    counts
}

/// Share of `truth`'s words (with their counts) found in `read`.
fn recall(truth: &str, read: &str) -> f64 {
    let (truth, read) = (words(truth), words(read));
    let total: usize = truth.values().sum();
    let found: usize = truth
        .iter()
        .map(|(word, count)| (*count).min(read.get(word).copied().unwrap_or(0)))
        .sum();
    found as f64 / total.max(1) as f64
}

#[test]
fn each_class_of_drawn_words_is_read_and_said_why() {
    let cases = [
        ("outlined-invoice.pdf", "outlined-text", "CERTIFICATION"),
        ("unmapped-order.pdf", "unmapped-font", "Rosalind"),
        (
            "letterhead-letter.pdf",
            "image-text",
            "MARLOW HEIGHTS POLICE",
        ),
        ("stamped-scan-order.pdf", "stamped-scan", "Quist"),
    ];
    for (file, reason, picture_only) in cases {
        let path = drawn_dir().join(file);
        let truth = std::fs::read_to_string(path.with_extension("truth.txt")).expect("truth");
        let layer = foia([
            "extract".as_ref(),
            path.as_os_str(),
            "--ocr".as_ref(),
            "never".as_ref(),
        ]);
        assert_eq!(layer.code, 0, "{file}: {}", layer.stderr);
        assert!(
            !layer.stdout.contains(picture_only),
            "{file}: {picture_only:?} is in the text layer already"
        );
        let read = foia(["extract".as_ref(), path.as_os_str()]);
        assert_eq!(read.code, 0, "{file}: {}", read.stderr);
        let recall = recall(&truth, &read.stdout);
        assert!(recall >= 0.9, "{file}: recall {recall:.3}\n{}", read.stdout);
        assert!(
            read.stdout.contains(picture_only),
            "{file}: {}",
            read.stdout
        );
        assert!(
            read.stderr
                .contains(&format!("page 1: text from mixed ({reason})")),
            "{file}: {}",
            read.stderr
        );
        // What the text layer and the picture both show appears once: the stamped
        // header, the filled-in values.
        for line in layer.stdout.lines().filter(|line| line.len() > 20) {
            assert_eq!(
                read.stdout.matches(line.trim()).count(),
                1,
                "{file}: {line:?} repeated\n{}",
                read.stdout
            );
        }
    }
}

#[test]
fn drawn_words_are_searchable_filterable_and_counted() {
    let index = tempfile::tempdir().expect("temp dir");
    let run = ingest(index.path(), &[&drawn_dir()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pages = |query: &str| -> Vec<String> {
        hit_pages(&search_json(index.path(), query))
            .into_iter()
            .map(|(file, _)| file)
            .collect()
    };
    assert_eq!(pages("certification"), ["outlined-invoice.pdf"]);
    assert_eq!(pages("\"Rosalind D. Marsh\""), ["unmapped-order.pdf"]);
    assert_eq!(
        pages("\"Judge Harold P. Quist\""),
        ["stamped-scan-order.pdf"]
    );
    assert_eq!(
        pages("\"Marlow Heights Police Department\""),
        ["letterhead-letter.pdf"]
    );
    assert_eq!(pages("text_source:mixed").len(), 4);
    assert_eq!(pages("reason:stamped-scan"), ["stamped-scan-order.pdf"]);
    assert!(pages("text_source:layer").is_empty());
    let hits = search_json(index.path(), "reason:unmapped-font");
    assert_eq!(hits[0]["text_source"], "mixed");
    assert_eq!(hits[0]["reason"], "unmapped-font");

    let status = foia([
        "status".as_ref(),
        "--index".as_ref(),
        index.path().as_os_str(),
        "--json".as_ref(),
    ]);
    let status: serde_json::Value = serde_json::from_str(&status.stdout).expect("status JSON");
    assert_eq!(status["text_sources"]["mixed"], 4, "{status}");
    for reason in [
        "outlined-text",
        "unmapped-font",
        "image-text",
        "stamped-scan",
    ] {
        assert_eq!(status["reasons"][reason], 1, "{reason}: {status}");
    }

    // The agency a letterhead names is an entity of the letter.
    let entities = foia([
        "entities".as_ref(),
        "--index".as_ref(),
        index.path().as_os_str(),
        "--kind".as_ref(),
        "agency".as_ref(),
        "--format".as_ref(),
        "csv".as_ref(),
    ]);
    assert_eq!(entities.code, 0, "{}", entities.stderr);
    let letter_agencies: Vec<&str> = entities
        .stdout
        .lines()
        .filter(|row| row.contains("letterhead-letter.pdf"))
        .collect();
    assert!(
        letter_agencies
            .iter()
            .any(|row| row.contains("Marlow Heights Police Department")),
        "{}",
        entities.stdout
    );
    // And the invoice's outlined letterhead names the sheriff's office.
    assert!(
        entities
            .stdout
            .lines()
            .any(|row| row.contains("outlined-invoice.pdf")
                && row.contains("Calder County Sheriff's Office")),
        "{}",
        entities.stdout
    );
}

#[test]
fn without_ocr_only_the_text_layer_is_indexed() {
    let index = tempfile::tempdir().expect("temp dir");
    let run = common::ingest_text_layers(index.path(), &[Path::new(&drawn_dir())]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(search_json(index.path(), "certification").is_empty());
    assert_eq!(
        hit_pages(&search_json(index.path(), "text_source:layer")).len(),
        4
    );
}

#[test]
fn a_page_of_an_encrypted_file_is_rendered_with_its_password() {
    let folder = tempfile::tempdir().expect("temp dir");
    let locked = folder.path().join("locked-order.pdf");
    let qpdf = std::process::Command::new("qpdf")
        .args(["--encrypt", "secret", "owner", "256", "--"])
        .arg(drawn_dir().join("unmapped-order.pdf"))
        .arg(&locked)
        .status()
        .expect("qpdf runs");
    assert!(qpdf.success());
    let read = foia([
        "extract".as_ref(),
        locked.as_os_str(),
        "--password".as_ref(),
        "secret".as_ref(),
    ]);
    assert_eq!(read.code, 0, "{}", read.stderr);
    assert!(
        read.stdout.contains("Rosalind"),
        "{}\n{}",
        read.stdout,
        read.stderr
    );
}
