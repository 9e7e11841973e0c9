//! The pages of one long file are read in parallel: a file made by joining the corpus
//! three times over (qpdf) must give every page the text, in the order, that reading
//! its source files one by one gives, and an ingest must index them in that order.
//!
//! Needs `qpdf` (`.ci/run` installs it); skips, saying so, without it.

mod common;

use std::process::Command;

use common::corpus_dir;
use foia::extract;

#[test]
fn a_long_file_gives_the_pages_of_its_parts_in_order() {
    if Command::new("qpdf").arg("--version").output().is_err() {
        eprintln!("skipping: qpdf is absent (apt-get install qpdf; .ci/run does)");
        return;
    }
    let mut parts: Vec<_> = std::fs::read_dir(corpus_dir())
        .expect("corpus")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "pdf"))
        .collect();
    parts.sort();
    let mut expected = Vec::new();
    for part in &parts {
        let bytes = std::fs::read(part).expect("corpus file");
        let content = extract::pdf_pages(&bytes).expect("corpus file extracts");
        expected.extend(content.pages.into_iter().map(|page| page.text));
    }
    let expected: Vec<String> = [expected.clone(), expected.clone(), expected].concat();

    let work = tempfile::tempdir().expect("temp dir");
    let long = work.path().join("long.pdf");
    let status = Command::new("qpdf")
        .args(["--empty", "--pages"])
        .args(parts.iter().chain(&parts).chain(&parts))
        .arg("--")
        .arg(&long)
        .status()
        .expect("qpdf runs");
    assert!(
        matches!(status.code(), Some(0 | 3)),
        "qpdf joins the corpus"
    );

    let bytes = std::fs::read(&long).expect("joined file");
    let read: Vec<String> = extract::pdf_pages(&bytes)
        .expect("joined file extracts")
        .pages
        .into_iter()
        .map(|page| page.text)
        .collect();
    assert_eq!(read.len(), expected.len());
    for (number, (ours, theirs)) in read.iter().zip(&expected).enumerate() {
        assert_eq!(ours, theirs, "page {}", number + 1);
    }

    let index = work.path().join("index");
    assert_eq!(common::ingest_text_layers(&index, &[&long]).code, 0);
    let pages = common::indexed_pages(&index);
    let numbers = pages.values().next().expect("the file is indexed");
    assert_eq!(*numbers, (1..=expected.len() as u64).collect::<Vec<_>>());
}
