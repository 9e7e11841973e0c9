//! The walking pipeline as a user runs it: `foia ingest corpus/`, then searches that
//! must find the right document and page, then re-ingests.

mod common;

use std::path::Path;

use common::{corpus_dir, foia, hit_pages, ingest, ingest_text_layers, search, search_json};

/// Ingests the bundled corpus into a fresh index (its scans without OCR, so they
/// hold no text).
fn corpus_index() -> tempfile::TempDir {
    let index = tempfile::tempdir().expect("temp dir");
    let run = ingest_text_layers(index.path(), &[&corpus_dir()]);
    assert_eq!(run.code, 0, "ingest failed: {}", run.stderr);
    assert!(
        run.stderr
            .contains("indexed 21 files (27 pages), 0 unchanged, 0 failed"),
        "summary: {}",
        run.stderr
    );
    index
}

fn pages(list: &[(&str, u64)]) -> Vec<(String, u64)> {
    let mut pages: Vec<(String, u64)> = list.iter().map(|(f, p)| (f.to_string(), *p)).collect();
    pages.sort();
    pages
}

#[test]
fn phrase_query_finds_documents_and_pages() {
    let index = corpus_index();
    let hits = search_json(index.path(), "\"Operation Stonegarden\"");
    assert_eq!(
        hit_pages(&hits),
        pages(&[("purchase-order.pdf", 1), ("sheriff-press-release.pdf", 1)])
    );
    // A word only on the second page of a two-page Type0 document.
    let hits = search_json(index.path(), "certify");
    assert_eq!(hit_pages(&hits), pages(&[("ice-data-request.pdf", 2)]));
}

#[test]
fn boolean_query_works_per_page() {
    let index = corpus_index();
    // "purged" is on MOU page 2 and in the policy memo; only the memo also says
    // "audit".
    let hits = search_json(index.path(), "purged AND NOT audit");
    assert_eq!(hit_pages(&hits), pages(&[("mou-data-sharing.pdf", 2)]));
    // Bare words also search the title: the MOU's title says "Memorandum", so its
    // page 2 only matches when the NOT is limited to the page text.
    assert!(search_json(index.path(), "purged AND NOT memorandum").is_empty());
    let hits = search_json(index.path(), "purged AND NOT text:memorandum");
    assert_eq!(hit_pages(&hits), pages(&[("mou-data-sharing.pdf", 2)]));
    // A query of negations alone lists every page without the word.
    let without_ice = search_json(index.path(), "NOT ice");
    assert!(!without_ice.is_empty());
    let with_ice = search_json(index.path(), "ice");
    assert_eq!(
        without_ice.len() + with_ice.len(),
        27,
        "every page is on one side"
    );
    let hits = search_json(index.path(), "Stonegarden OR Okafor");
    assert!(hits.len() >= 5, "{hits:?}");
}

#[test]
fn table_cells_are_searchable() {
    let index = corpus_index();
    // LibreOffice table, groff tbl table and a Type0 table drawn cell by cell.
    let hits = search_json(index.path(), "8ZQA061");
    assert_eq!(hit_pages(&hits), pages(&[("alpr-audit-log.pdf", 1)]));
    let hits = search_json(index.path(), "\"SVC-HOST\"");
    assert_eq!(hit_pages(&hits), pages(&[("purchase-order.pdf", 1)]));
    // (text: because the document's title names HSI San Diego on every page)
    let hits = search_json(index.path(), "text:\"HSI San Diego\"");
    assert_eq!(hit_pages(&hits), pages(&[("ice-data-request.pdf", 1)]));
}

#[test]
fn field_queries_and_accent_folding() {
    let index = corpus_index();
    let hits = search_json(index.path(), "title:\"purchase order\"");
    assert_eq!(hit_pages(&hits), pages(&[("purchase-order.pdf", 1)]));
    let hits = search_json(index.path(), "HSCEMD AND page:2");
    assert_eq!(
        hit_pages(&hits),
        pages(&[("contract-award.pdf", 2), ("ice-task-order.pdf", 2)])
            .into_iter()
            .filter(|(file, _)| file == "contract-award.pdf")
            .collect::<Vec<_>>()
    );
    // "Peña" is found by "pena", as a reporter would type it.
    let hits = search_json(index.path(), "pena");
    assert_eq!(
        hit_pages(&hits),
        pages(&[("council-minutes.pdf", 1), ("ice-task-order.pdf", 1)])
    );
}

#[test]
fn json_hits_carry_fields_and_valid_highlights() {
    let index = corpus_index();
    let hits = search_json(index.path(), "\"license plate reader\"");
    assert!(hits.len() >= 3);
    for hit in &hits {
        let doc_id = hit["doc_id"].as_str().expect("doc_id");
        assert_eq!(doc_id.len(), 64);
        assert!(doc_id.bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(hit["score"].as_f64().expect("score") > 0.0);
        assert!(hit["page"].as_u64().expect("page") >= 1);
        assert!(hit["page"].as_u64() <= hit["page_count"].as_u64());
        let path = hit["path"].as_str().expect("path");
        assert!(Path::new(path).is_absolute() && Path::new(path).is_file());
        let snippet = hit["snippet"].as_str().expect("snippet");
        assert!(!snippet.contains('\n'));
        let highlights = hit["highlights"].as_array().expect("highlights");
        assert!(!highlights.is_empty(), "no highlight in {snippet:?}");
        for range in highlights {
            let start = range[0].as_u64().expect("start") as usize;
            let end = range[1].as_u64().expect("end") as usize;
            let word = snippet
                .get(start..end)
                .expect("range inside snippet")
                .to_lowercase();
            assert!(
                ["license", "plate", "reader"].contains(&word.as_str()),
                "{word:?}"
            );
        }
    }
    // The doc_id is the sha256 of the file's bytes.
    let path = hits[0]["path"].as_str().expect("path");
    let bytes = std::fs::read(path).expect("read hit's file");
    assert_eq!(
        hits[0]["doc_id"].as_str(),
        Some(foia::hash::sha256_hex(&bytes).as_str())
    );
}

#[test]
fn human_output_shows_path_page_and_marked_snippet() {
    let index = corpus_index();
    let run = search(index.path(), "Stonegarden", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("purchase-order.pdf  page 1/1  score "),
        "{}",
        run.stdout
    );
    // Not a terminal: matches are marked with ** instead of bold escapes.
    assert!(run.stdout.contains("**Stonegarden**"), "{}", run.stdout);
    assert!(!run.stdout.contains('\x1b'));
    assert!(
        run.stderr.contains("hits 1-2 of 2 matching pages"),
        "{}",
        run.stderr
    );
}

#[test]
fn limit_and_offset_page_through_hits() {
    let index = corpus_index();
    let all = search_json(index.path(), "ICE");
    assert!(all.len() > 4);
    let run = search(
        index.path(),
        "ICE",
        &["--json", "--limit", "2", "--offset", "2"],
    );
    let page: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(page.len(), 2);
    assert_eq!(page[0]["path"], all[2]["path"]);
    assert_eq!(page[0]["page"], all[2]["page"]);
    assert_eq!(page[1]["page"], all[3]["page"]);
}

#[test]
fn reingest_is_a_noop_and_changed_file_replaces_its_pages() {
    let dump = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(corpus_dir()).expect("corpus") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "pdf") {
            std::fs::copy(&path, dump.path().join(path.file_name().expect("name"))).expect("copy");
        }
    }
    let index = tempfile::tempdir().expect("temp dir");
    let first = ingest(index.path(), &[dump.path()]);
    assert_eq!(first.code, 0, "{}", first.stderr);

    let again = ingest(index.path(), &[dump.path()]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again
            .stderr
            .contains("indexed 0 files (0 pages), 13 unchanged, 0 failed"),
        "{}",
        again.stderr
    );

    // New bytes for contract-award.pdf (an incremental-update style append), then the
    // invoice replaced by a different document altogether.
    let contract = dump.path().join("contract-award.pdf");
    let mut bytes = std::fs::read(&contract).expect("read");
    bytes.extend_from_slice(b"\n% re-released with new Bates numbers\n");
    std::fs::write(&contract, &bytes).expect("write");
    std::fs::copy(
        dump.path().join("purchase-order.pdf"),
        dump.path().join("invoice.pdf"),
    )
    .expect("copy");

    let changed = ingest(index.path(), &[dump.path()]);
    assert_eq!(changed.code, 0, "{}", changed.stderr);
    assert!(
        changed
            .stderr
            .contains("indexed 2 files (3 pages), 11 unchanged, 0 failed"),
        "{}",
        changed.stderr
    );
    // Each page of the changed contract is there exactly once, with the new doc_id.
    let hits = search_json(
        index.path(),
        "\"HSCEMD-17-C-00005\" AND \"Price Summary\" OR \"Special Terms\"",
    );
    let contract_hits: Vec<&serde_json::Value> = hits
        .iter()
        .filter(|hit| {
            hit["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("contract-award.pdf"))
        })
        .collect();
    assert_eq!(contract_hits.len(), 2, "{contract_hits:?}");
    let new_id = foia::hash::sha256_hex(&bytes);
    assert!(contract_hits
        .iter()
        .all(|hit| hit["doc_id"].as_str() == Some(new_id.as_str())));
    // The old invoice text is gone; its path now holds the purchase order.
    assert!(search_json(index.path(), "\"VS-2018-0412\"").is_empty());
    let hits = search_json(index.path(), "\"CC-PO-19-2231\"");
    assert_eq!(
        hit_pages(&hits),
        pages(&[("invoice.pdf", 1), ("purchase-order.pdf", 1)])
    );
}

#[test]
fn bad_files_are_reported_and_the_rest_indexed() {
    let dump = tempfile::tempdir().expect("temp dir");
    let good = dump.path().join("invoice.pdf");
    std::fs::copy(corpus_dir().join("invoice.pdf"), &good).expect("copy");
    std::fs::write(
        dump.path().join("memo.pdf"),
        "This is a memo saved with the wrong name.\n",
    )
    .expect("write");
    std::fs::write(dump.path().join("empty.pdf"), b"").expect("write");
    let contract = std::fs::read(corpus_dir().join("contract-award.pdf")).expect("read");
    std::fs::write(
        dump.path().join("truncated.pdf"),
        &contract[..contract.len() / 10],
    )
    .expect("write");
    std::fs::write(
        dump.path().join("notes.txt"),
        "not a PDF and not named like one",
    )
    .expect("write");
    let missing = dump.path().join("no-such-folder");

    let index = tempfile::tempdir().expect("temp dir");
    let run = ingest(index.path(), &[dump.path(), &missing]);
    assert_eq!(run.code, 1, "partial success exits 1: {}", run.stderr);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("foia: error: "))
        .collect();
    assert_eq!(errors.len(), 4, "{}", run.stderr);
    for (name, reason) in [
        ("memo.pdf", "not a PDF"),
        ("empty.pdf", "empty file"),
        ("truncated.pdf", "corrupt PDF"),
        ("no-such-folder", "no such file"),
    ] {
        assert!(
            errors
                .iter()
                .any(|line| line.contains(name) && line.contains(reason)),
            "no error line for {name}: {}",
            run.stderr
        );
    }
    assert!(
        run.stderr
            .contains("indexed 1 files (1 pages), 0 unchanged, 4 failed, 1 non-PDF files ignored"),
        "{}",
        run.stderr
    );
    let hits = search_json(index.path(), "\"VS-2018-0412\"");
    assert_eq!(hit_pages(&hits), pages(&[("invoice.pdf", 1)]));
}

#[test]
fn bad_query_and_missing_index_exit_2_with_one_line() {
    let index = corpus_index();
    let run = search(index.path(), "title:(", &[]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("foia: error: bad query \"title:(\""),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());

    let run = search(index.path(), "nosuchfield:x", &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);

    let nowhere = index.path().join("nope");
    let run = search(&nowhere, "ICE", &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no index at"), "{}", run.stderr);
}

#[test]
fn bad_flags_exit_2() {
    assert_eq!(foia(["ingest"]).code, 2);
    assert_eq!(foia(["search", "x", "--limit", "many"]).code, 2);
    assert_eq!(foia(["extract", "a.pdf", "--pages", "0"]).code, 2);
    assert_eq!(foia(["frobnicate"]).code, 2);
}

#[test]
fn index_location_comes_from_the_environment() {
    let index = tempfile::tempdir().expect("temp dir");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_foia"))
        .args(["ingest", "--quiet"])
        .arg(corpus_dir().join("invoice.pdf"))
        .env("FOIA_INDEX", index.path())
        .output()
        .expect("run");
    assert!(status.status.success());
    assert!(index.path().join("meta.json").is_file());
}

#[test]
fn extract_prints_pages_separated_by_form_feeds() {
    let file = corpus_dir().join("contract-award.pdf");
    let run = foia(["extract".as_ref(), file.as_os_str()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pages: Vec<&str> = run.stdout.split_terminator('\x0c').collect();
    assert_eq!(pages.len(), 2);
    assert!(pages[0].contains("Price Summary") && !pages[0].contains("Special Terms"));
    assert!(pages[1].contains("Special Terms"));

    let run = foia([
        "extract".as_ref(),
        file.as_os_str(),
        "--pages".as_ref(),
        "2".as_ref(),
    ]);
    assert_eq!(run.stdout.split_terminator('\x0c').count(), 1);
    assert!(run.stdout.contains("Special Terms") && !run.stdout.contains("Price Summary"));

    let run = foia([
        "extract".as_ref(),
        file.as_os_str(),
        "--pages".as_ref(),
        "3-4".as_ref(),
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("the document has 2 pages"),
        "{}",
        run.stderr
    );

    let run = foia(["extract", "/no/such/file.pdf"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("/no/such/file.pdf"), "{}", run.stderr);
}

#[test]
fn one_writer_many_readers() {
    let index = corpus_index();
    // Hold the index's writer lock as a running ingest would.
    let open = foia::index::FoiaIndex::open(index.path()).expect("open index");
    let _writer =
        foia::index::writer::IndexSink::new(&open, 16 * 1024 * 1024).expect("take writer lock");

    let second = ingest(index.path(), &[&corpus_dir()]);
    assert_eq!(second.code, 2, "{}", second.stderr);
    assert!(
        second
            .stderr
            .contains("another foia ingest is writing to this index"),
        "{}",
        second.stderr
    );
    // Readers are not blocked by the writer.
    let hits = search_json(index.path(), "Stonegarden");
    assert_eq!(hits.len(), 2);
}
