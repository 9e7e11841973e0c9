//! OCR of scanned pages, as a user meets it: the corpus's scans (our own pages printed
//! and scanned back by corpus/scans/make.sh, with their true text beside them) read
//! by `foia extract` and `foia ingest`, searched with the OCR filters, cached, and
//! reported rather than failed when Tesseract is missing. Needs Tesseract with its
//! English data (`.ci/run` installs them).

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{corpus_dir, foia, ingest, ingest_with, real_corpus_dir, search, search_json};
use lopdf::dictionary;

/// Runs `foia extract FILE FLAGS...`.
fn extract(file: &Path, flags: &[&str]) -> common::Run {
    let mut args = vec![std::ffi::OsStr::new("extract"), file.as_os_str()];
    args.extend(flags.iter().map(std::ffi::OsStr::new));
    foia(args)
}

fn scans_dir() -> PathBuf {
    corpus_dir().join("scans")
}

/// The corpus's scanned PDFs, sorted.
fn scans() -> Vec<PathBuf> {
    let mut scans: Vec<PathBuf> = std::fs::read_dir(scans_dir())
        .expect("corpus/scans")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "pdf"))
        .collect();
    scans.sort();
    scans
}

/// Lower-case words (letters and digits), as recall counts them.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Share of `truth`'s words (with repeats) found in `read`.
fn recall(truth: &str, read: &str) -> (f64, usize) {
    let mut available: HashMap<String, usize> = HashMap::new();
    for word in words(read) {
        *available.entry(word).or_default() += 1;
    }
    let expected = words(truth);
    let found = expected
        .iter()
        .filter(|word| match available.get_mut(*word) {
            Some(count) if *count > 0 => {
                *count -= 1;
                true
            }
            _ => false,
        })
        .count();
    (found as f64 / expected.len().max(1) as f64, expected.len())
}

#[test]
fn extract_reads_every_scanned_page_with_recall_above_0_9() {
    let mut table = Vec::new();
    let mut pages_read = 0;
    for scan in scans() {
        let name = scan
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        // The scans have no text layer: without OCR they read as nothing.
        let without = extract(&scan, &["--ocr", "never"]);
        assert_eq!(without.code, 0, "{name}: {}", without.stderr);
        assert!(words(&without.stdout).is_empty(), "{name} has a text layer");

        let run = extract(&scan, &[]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        let truth = std::fs::read_to_string(scan.with_extension("truth.txt")).expect("truth");
        let truth_pages: Vec<&str> = truth
            .split('\x0c')
            .filter(|page| !words(page).is_empty())
            .collect();
        let read_pages: Vec<&str> = run.stdout.split('\x0c').collect();
        for (index, truth_page) in truth_pages.iter().enumerate() {
            let number = index + 1;
            let (recall, count) = recall(truth_page, read_pages.get(index).unwrap_or(&""));
            table.push(format!(
                "{name} p{number}: recall {recall:.3} of {count} words"
            ));
            assert!(
                recall >= 0.9,
                "{name} page {number}: recall {recall:.3}\n{}",
                read_pages[index]
            );
            assert!(
                run.stderr.contains(&format!(
                    "page {number}: text from ocr (scan), OCR confidence"
                )),
                "{name}: {}",
                run.stderr
            );
            pages_read += 1;
        }
    }
    assert!(pages_read >= 5, "{pages_read} scanned pages");
    eprintln!("{}", table.join("\n"));
}

#[test]
fn scanned_pages_are_searchable_and_carry_their_confidence() {
    let index = tempfile::tempdir().expect("temp dir");
    let run = ingest(index.path(), &[&scans_dir()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("indexed 4 files (5 pages, 5 pages OCR'd)"),
        "{}",
        run.stderr
    );

    // Words that exist only in a scan.
    let hits = search_json(index.path(), "\"catalytic converter\" AND minivan");
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(hits[0]["path"]
        .as_str()
        .expect("path")
        .ends_with("scan-incident-report.pdf"));
    let confidence = hits[0]["ocr_confidence"]
        .as_f64()
        .expect("an OCR hit has a confidence");
    assert!((80.0..=100.0).contains(&confidence), "{confidence}");
    let human = search(index.path(), "reciprocating", &[]);
    assert!(
        human.stdout.contains(&format!("(OCR {confidence:.0}%)")),
        "{}",
        human.stdout
    );

    // The page stored sideways and turned by /Rotate reads upright.
    let hits = search_json(index.path(), "ocr:true AND Stonegarden");
    assert_eq!(
        common::hit_pages(&hits),
        [("scan-two-pages.pdf".to_string(), 1)]
    );

    // The OCR fields as filters.
    assert_eq!(search_json(index.path(), "ocr:true").len(), 5);
    assert_eq!(search_json(index.path(), "ocr:false").len(), 0);
    assert_eq!(search_json(index.path(), "ocr_confidence:>=50").len(), 5);
    assert_eq!(search_json(index.path(), "ocr_confidence:<50").len(), 0);

    // Entities are found in OCR text as in any other.
    let hits = search_json(index.path(), "vendor:\"Vigilant Solutions\" AND ocr:true");
    let files: Vec<String> = common::hit_pages(&hits)
        .into_iter()
        .map(|(file, _)| file)
        .collect();
    assert!(files.contains(&"scan-invoice.pdf".to_string()), "{files:?}");
    assert!(
        files.contains(&"scan-incident-report.pdf".to_string()),
        "{files:?}"
    );
    let hits = search_json(index.path(), "exemption:b7C AND ocr:true");
    assert!(!hits.is_empty());
}

#[test]
fn a_reingest_takes_ocr_text_from_the_cache() {
    let dump = tempfile::tempdir().expect("temp dir");
    let copy = dump.path().join("invoice-scan.pdf");
    std::fs::copy(scans_dir().join("scan-invoice.pdf"), &copy).expect("copy");
    let index = tempfile::tempdir().expect("temp dir");
    assert_eq!(ingest(index.path(), &[dump.path()]).code, 0);

    // Mark the one cached result, then change the file's bytes (not its image): the
    // re-ingest must read the page from the cache, so the mark becomes searchable.
    let entries: Vec<PathBuf> = walk(&index.path().join("ocr-cache"));
    assert_eq!(entries.len(), 1, "{entries:?}");
    let mut cached: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&entries[0]).expect("entry")).expect("json");
    let text = cached["text"].as_str().expect("text").to_string();
    cached["text"] = serde_json::Value::String(format!("{text}\nCACHEMARK"));
    std::fs::write(&entries[0], cached.to_string()).expect("rewrite entry");
    let mut bytes = std::fs::read(&copy).expect("read copy");
    bytes.extend_from_slice(b"\n% changed\n");
    std::fs::write(&copy, bytes).expect("change copy");

    let again = ingest(index.path(), &[dump.path()]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again
            .stderr
            .contains("indexed 1 files (1 pages, 1 pages OCR'd)"),
        "{}",
        again.stderr
    );
    assert_eq!(search_json(index.path(), "CACHEMARK").len(), 1);
}

fn walk(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn without_tesseract_scans_are_reported_and_still_indexed() {
    let index = tempfile::tempdir().expect("temp dir");
    // A PATH with no tesseract on it.
    let empty = tempfile::tempdir().expect("temp dir");
    let output = Command::new(env!("CARGO_BIN_EXE_foia"))
        .args(["ingest", "--quiet", "--index"])
        .arg(index.path())
        .arg(scans_dir())
        .env("PATH", empty.path())
        .env_remove("FOIA_INDEX")
        .output()
        .expect("foia runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("scanned pages indexed without text: Tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-eng)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("indexed 4 files (5 pages, 0 pages OCR'd, 5 scanned pages not)"),
        "{stderr}"
    );
    let status = foia([
        "status".as_ref(),
        "--index".as_ref(),
        index.path().as_os_str(),
    ]);
    assert!(
        status
            .stdout
            .contains("pages:       5 (0 read by OCR, 5 scanned without text)"),
        "{}",
        status.stdout
    );

    // Once Tesseract is there, the same files are read again though their bytes are
    // unchanged, and nothing is left unread.
    let again = ingest(index.path(), &[&scans_dir()]);
    assert!(
        again
            .stderr
            .contains("indexed 4 files (5 pages, 5 pages OCR'd), 0 unchanged"),
        "{}",
        again.stderr
    );
    let status = foia([
        "status".as_ref(),
        "--index".as_ref(),
        index.path().as_os_str(),
        "--json".as_ref(),
    ]);
    let status: serde_json::Value = serde_json::from_str(&status.stdout).expect("status json");
    assert_eq!(
        (
            status["ocr_pages"].as_u64(),
            status["unread_scans"].as_u64()
        ),
        (Some(5), Some(0))
    );
    let third = ingest(index.path(), &[&scans_dir()]);
    assert!(
        third
            .stderr
            .contains("indexed 0 files (0 pages), 4 unchanged"),
        "{}",
        third.stderr
    );

    // A language with no data installed is named, with the package to install.
    let run = extract(
        &scans_dir().join("scan-invoice.pdf"),
        &["--ocr-lang", "eng+qqq"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "Tesseract has no data for language \"qqq\" (apt-get install tesseract-ocr-qqq)"
        ),
        "{}",
        run.stderr
    );
    let bad = extract(
        &scans_dir().join("scan-invoice.pdf"),
        &["--ocr-lang", "eng;rm"],
    );
    assert_eq!(bad.code, 2, "{}", bad.stderr);
}

#[test]
fn a_text_layer_is_not_read_again_unless_ocr_is_always() {
    // The invoice scan with an invisible text layer (render mode 3) over it, as a
    // scanner's own OCR writes one.
    let mut document = lopdf::Document::load(scans_dir().join("scan-invoice.pdf")).expect("load");
    let page_id = *document.get_pages().values().next().expect("page");
    let font = document.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let layer = "BT 3 Tr /FOcr 10 Tf 72 700 Td (SCANNERLAYER invoice text as the scanner read it, long enough to count) Tj ET";
    let layer_id = document.add_object(lopdf::Stream::new(
        dictionary! {},
        layer.as_bytes().to_vec(),
    ));
    let page = document
        .get_object_mut(page_id)
        .and_then(lopdf::Object::as_dict_mut)
        .expect("page");
    let contents = page.get(b"Contents").expect("contents").clone();
    page.set("Contents", vec![contents, layer_id.into()]);
    let resources = page
        .get_mut(b"Resources")
        .and_then(lopdf::Object::as_dict_mut)
        .expect("resources");
    resources.set("Font", dictionary! { "FOcr" => font });
    let folder = tempfile::tempdir().expect("temp dir");
    let file = folder.path().join("layered.pdf");
    document.save(&file).expect("save");

    let auto = extract(&file, &[]);
    assert_eq!(auto.code, 0, "{}", auto.stderr);
    assert!(auto.stdout.contains("SCANNERLAYER"));
    assert!(
        !auto.stdout.contains("Vigilant"),
        "read again: {}",
        auto.stdout
    );
    assert!(!auto.stderr.contains("OCR"), "{}", auto.stderr);

    let always = extract(&file, &["--ocr", "always"]);
    assert_eq!(always.code, 0, "{}", always.stderr);
    assert!(
        always.stdout.contains("Vigilant Solutions"),
        "{}",
        always.stdout
    );
    assert!(!always.stdout.contains("SCANNERLAYER"), "{}", always.stdout);
}

#[test]
fn an_upside_down_scan_is_turned_and_read() {
    // The invoice scan shown upside down (a sheet fed the wrong way round).
    let mut document = lopdf::Document::load(scans_dir().join("scan-invoice.pdf")).expect("load");
    let page_id = *document.get_pages().values().next().expect("page");
    document
        .get_object_mut(page_id)
        .and_then(lopdf::Object::as_dict_mut)
        .expect("page")
        .set("Rotate", 180);
    let folder = tempfile::tempdir().expect("temp dir");
    let file = folder.path().join("upside-down.pdf");
    document.save(&file).expect("save");
    let run = extract(&file, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let truth = std::fs::read_to_string(scans_dir().join("scan-invoice.truth.txt")).expect("truth");
    let (recall, _) = recall(&truth, &run.stdout);
    assert!(recall >= 0.9, "recall {recall:.3}\n{}", run.stdout);
}

#[test]
fn real_scans_give_text() {
    let Some(real) = real_corpus_dir() else {
        return;
    };
    // Files whose poppler text is empty but whose pages are pictures of English text.
    let expected = [
        ("camelot/tests/files/image.pdf", 150),
        ("pdf.js/test/pdfs/issue7200.pdf", 300),
        ("pdfminer.six/samples/nonfree/175.pdf", 600),
        ("pdfminer.six/samples/contrib/pdf-with-jbig2.pdf", 2),
        ("pdf.js/test/pdfs/scan-bad.pdf", 2),
    ];
    for (file, least_words) in expected {
        let path = real.join(file);
        let reference =
            std::fs::read_to_string(path.with_extension("pdftotext.txt")).unwrap_or_default();
        assert!(words(&reference).len() < 5, "{file}: poppler reads text");
        let run = extract(&path, &[]);
        assert_eq!(run.code, 0, "{file}: {}", run.stderr);
        let count = words(&run.stdout).len();
        assert!(
            count >= least_words,
            "{file}: {count} words\n{}",
            run.stdout
        );
        assert!(run.stderr.contains("OCR"), "{file}: {}", run.stderr);
    }
    // JPEG 2000 pages are decoded too: a map with its title, and a photo.
    let map = real.join("tabula-java/src/test/resources/technology/tabula/icdar2013-dataset/competition-dataset-eu/eu-012.pdf");
    let run = extract(&map, &["--pages", "1"]);
    assert!(
        run.stdout.contains("MAP OF FINLAND"),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    let photo = real.join("pdf.js/test/pdfs/issue5475.pdf");
    let run = extract(&photo, &[]);
    assert!(
        run.stderr
            .contains("page 1: text from ocr (scan), OCR confidence"),
        "{}",
        run.stderr
    );
}

#[test]
fn ocr_never_indexes_scans_empty() {
    let index = tempfile::tempdir().expect("temp dir");
    let run = ingest_with(index.path(), &[&scans_dir()], &["--ocr", "never"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("indexed 4 files (5 pages)"),
        "{}",
        run.stderr
    );
    assert_eq!(search_json(index.path(), "ocr:false").len(), 5);
}

#[test]
fn serve_answers_with_ocr_confidence() {
    let index = tempfile::tempdir().expect("temp dir");
    assert_eq!(
        ingest(index.path(), &[&scans_dir().join("scan-invoice.pdf")]).code,
        0
    );
    let server = common::Server::start(index.path(), &[]);
    let (status, search) = server.json("/api/search?q=ocr%3Atrue+AND+Vigilant");
    assert_eq!(status, 200);
    assert_eq!(search["total"], 1, "{search}");
    let confidence = search["hits"][0]["ocr_confidence"]
        .as_f64()
        .expect("confidence");
    assert!((80.0..=100.0).contains(&confidence), "{search}");
    let (status, index_status) = server.json("/api/status");
    assert_eq!(status, 200);
    assert_eq!(index_status["ocr_pages"], 1, "{index_status}");
}

#[test]
fn pages_read_are_counted_for_the_progress_bar() {
    let options = foia::extract::ExtractOptions {
        ocr: foia::ocr::OcrOptions {
            mode: foia::ocr::OcrMode::Auto,
            ..foia::ocr::OcrOptions::default()
        },
        ..foia::extract::ExtractOptions::default()
    };
    let bytes = std::fs::read(scans_dir().join("scan-two-pages.pdf")).expect("scan");
    let content = foia::extract::pdf_pages_with(&bytes, &options).expect("extracts");
    assert!(content
        .pages
        .iter()
        .all(|page| page.ocr_confidence.is_some()));
    let read = options
        .ocr
        .pages_read
        .load(std::sync::atomic::Ordering::Relaxed);
    assert_eq!(read, 2);
}
