//! Real PDFs from public test suites (`../shared/corpus-real`): every one is read
//! without a panic, every file poppler reads gets poppler's page count, and an ingest
//! of the whole folder finishes with every file either indexed with that page count
//! or in the failure manifest; no page whose text layer agrees with poppler's loses it
//! to OCR.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{indexed_pages, ingest, real_corpus_dir, search_json};
use foia::extract::{self, ExtractError};

/// Files poppler reads that this extractor does not read the same way, each with the
/// reason. The test fails when one of them starts to pass, so the list stays true.
const KNOWN_GAPS: &[(&str, &str)] = &[
    (
        "pdf.js/test/pdfs/Pages-tree-refs.pdf",
        "the page tree's second branch loops back on itself and holds no page: poppler \
         counts /Count 2 and prints an empty second page, foia reads the one page there is",
    ),
    (
        "pdf.js/test/pdfs/bug1782186.pdf",
        "poppler opens it without its password by not decrypting it at all (it does not \
         support the file's R4 handler) and prints nothing; foia asks for the password and \
         reads its one page with it (see the password test)",
    ),
];

/// The encrypted files and the passwords that open them: from corpus-real's README, and
/// for the three it calls unknown, from the suites' own tests (pdfminer.six's
/// `test_tools_pdf2txt.py`, pdf.js's `test_manifest.json`).
const PASSWORDS: &[(&str, &str)] = &[
    ("camelot/tests/files/health_protected.pdf", "userpass"),
    ("pdfplumber/tests/pdfs/password-example.pdf", "test"),
    (
        "tabula-java/src/test/resources/technology/tabula/encrypted.pdf",
        "userpassword",
    ),
    ("pdfminer.six/samples/encryption/aes-128.pdf", "foo"),
    ("pdfminer.six/samples/encryption/aes-128-m.pdf", "foo"),
    ("pdfminer.six/samples/encryption/aes-256.pdf", "foo"),
    ("pdfminer.six/samples/encryption/aes-256-m.pdf", "foo"),
    ("pdfminer.six/samples/encryption/rc4-128.pdf", "foo"),
    ("pdfminer.six/samples/encryption/rc4-40.pdf", "foo"),
    (
        "pdfminer.six/samples/encryption/aes-256-r6.pdf",
        "usersecret",
    ),
    ("pdf.js/test/pdfs/bug1782186.pdf", "Hello"),
    ("pdf.js/test/pdfs/saslprep-r6.pdf", "S\u{aa}SL\u{ad}prep"),
];

/// Pages poppler finds in `file` given `password` (as owner, then as user password),
/// or `None` when it does not open it.
fn poppler_pages(file: &Path, password: &str) -> Option<usize> {
    ["-opw", "-upw"].into_iter().find_map(|flag| {
        let output = std::process::Command::new("pdfinfo")
            .args([flag, password])
            .arg(file)
            .output()
            .expect("pdfinfo runs (poppler-utils; .ci/run installs it)");
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        let pages = text.lines().find_map(|line| line.strip_prefix("Pages:"))?;
        pages.trim().parse().ok()
    })
}

/// `MANIFEST.tsv`: file -> (pages, whether pdftotext read it).
fn manifest(dir: &Path) -> BTreeMap<String, (usize, bool)> {
    let text = std::fs::read_to_string(dir.join("MANIFEST.tsv")).expect("MANIFEST.tsv");
    text.lines()
        .skip(1)
        .map(|line| {
            let columns: Vec<&str> = line.split('\t').collect();
            // Empty where pdftotext could not open the file.
            let pages = columns[3].parse().unwrap_or(0);
            (columns[0].to_string(), (pages, columns[4] == "0"))
        })
        .collect()
}

#[test]
fn every_real_file_extracts_without_panic_and_with_poppler_page_count() {
    let Some(dir) = real_corpus_dir() else {
        return;
    };
    let manifest = manifest(&dir);
    assert!(
        manifest.len() > 300,
        "manifest has {} files",
        manifest.len()
    );
    let mut mismatches = Vec::new();
    let mut panics = Vec::new();
    for (file, (pages, poppler_reads)) in &manifest {
        let bytes = std::fs::read(dir.join(file)).expect("read real file");
        let result = extract::pdf_pages(&bytes);
        if let Err(ExtractError::Panic(message)) = &result {
            panics.push(format!("{file}: {message}"));
        }
        if *poppler_reads {
            let ours = result.as_ref().map_or(0, |content| content.pages.len());
            let expected_gap = KNOWN_GAPS.iter().any(|(gap, _)| gap == file);
            if (ours != *pages) != expected_gap {
                mismatches.push(format!(
                    "{file}: poppler {pages} pages, foia {ours} (known gap: {expected_gap})"
                ));
            }
        }
    }
    assert!(panics.is_empty(), "panics:\n{}", panics.join("\n"));
    assert!(
        mismatches.is_empty(),
        "page counts:\n{}",
        mismatches.join("\n")
    );
}

#[test]
fn encrypted_real_files_open_with_their_password_as_in_poppler() {
    let Some(dir) = real_corpus_dir() else {
        return;
    };
    let mut problems = Vec::new();
    for (file, password) in PASSWORDS {
        let path = dir.join(file);
        let bytes = std::fs::read(&path).expect("read real file");
        let options = extract::ExtractOptions {
            password: Some(password.to_string()),
            ..extract::ExtractOptions::default()
        };
        let ours = match extract::pdf_pages_with(&bytes, &options) {
            Ok(content) => content.pages.len(),
            Err(error) => {
                problems.push(format!("{file}: {error}"));
                continue;
            }
        };
        match poppler_pages(&path, password) {
            Some(pages) if pages != ours => {
                problems.push(format!("{file}: poppler {pages} pages, foia {ours}"))
            }
            Some(_) => {}
            // poppler 22 applies no SASLprep to R6 passwords, so it refuses the one
            // password that needs it; foia must still open it.
            None => assert_eq!(*file, "pdf.js/test/pdfs/saslprep-r6.pdf"),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn ingest_of_the_real_corpus_indexes_all_readable_pages() {
    let Some(dir) = real_corpus_dir() else {
        return;
    };
    let manifest = manifest(&dir);
    let index = tempfile::tempdir().expect("temp dir");
    let run = ingest(index.path(), &[&dir]);
    assert_eq!(
        run.code, 1,
        "encrypted files make the run partial: {}",
        run.stderr
    );
    let indexed = indexed_pages(index.path());
    let failures =
        std::fs::read_to_string(index.path().join("failures.jsonl")).expect("failure manifest");
    let failed: BTreeMap<String, String> = failures
        .lines()
        .map(|line| {
            let record: serde_json::Value = serde_json::from_str(line).expect("JSON line");
            let field = |name: &str| record[name].as_str().expect(name).to_string();
            (field("path"), field("reason"))
        })
        .collect();
    let error_lines = run
        .stderr
        .lines()
        .filter(|line| line.starts_with("foia: error: "))
        .count();
    assert_eq!(error_lines, failed.len(), "one line per failure");
    for (file, (pages, poppler_reads)) in &manifest {
        let path = std::fs::canonicalize(dir.join(file)).expect("real file");
        let path = path.to_string_lossy().into_owned();
        let ours = indexed.get(&path).map(Vec::len);
        let known_gap = KNOWN_GAPS.iter().any(|(gap, _)| gap == file);
        if *poppler_reads && !known_gap {
            assert_eq!(ours, Some(*pages), "{file}: poppler's page count");
        } else {
            // Encrypted beyond the empty password: in the manifest, for a retry with
            // --password. Pages-tree-refs.pdf: indexed with the one page lopdf finds.
            match (ours, failed.get(&path).map(String::as_str)) {
                (Some(_), None) | (None, Some("encrypted")) => {}
                other => panic!("{file}: {other:?}"),
            }
        }
    }
    assert!(
        failed.values().all(|reason| reason == "encrypted"),
        "{failed:?}"
    );

    // A page whose text layer agrees with poppler's (word F1 >= 0.9) keeps it: OCR may
    // add what its pictures show (text_source mixed), never replace it.
    for hit in search_json(index.path(), "text_source:ocr") {
        let path = Path::new(hit["path"].as_str().expect("path"));
        let page = hit["page"].as_u64().expect("page") as usize;
        let poppler =
            std::fs::read_to_string(path.with_extension("pdftotext.txt")).unwrap_or_default();
        let reference = poppler.split('\x0c').nth(page - 1).unwrap_or("");
        let layer = common::foia([
            "extract".as_ref(),
            path.as_os_str(),
            "--ocr".as_ref(),
            "never".as_ref(),
            "--pages".as_ref(),
            page.to_string().as_ref(),
        ]);
        let f1 = foia::quality::agreement(reference, &layer.stdout).f1;
        assert!(
            f1 < 0.9,
            "{} page {page}: its text layer (F1 {f1:.2}) was replaced by OCR",
            path.display()
        );
    }
}

#[test]
fn closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let Some(dir) = real_corpus_dir() else {
        return;
    };
    // 300 KB of text: far more than a pipe holds, so foia is still writing when the
    // reader goes away (as with `foia extract ... | head`).
    let mut child = Command::new(env!("CARGO_BIN_EXE_foia"))
        .arg("extract")
        .arg(dir.join("pdfminer.six/samples/nonfree/i1040nr.pdf"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn foia");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).expect("some output");
    drop(stdout);
    let output = child.wait_with_output().expect("wait");
    assert_eq!(output.status.code(), Some(0));
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
