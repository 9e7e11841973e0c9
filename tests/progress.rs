//! `foia ingest --progress ndjson`: stderr is JSON lines only, one `file` event per
//! file with its outcome (indexed, unchanged, not-pdf, failed with reason), `totals`
//! lines whose last one agrees with the closing `summary`.

mod common;

use common::{corpus_dir, ingest_with};
use serde_json::Value;

fn parse_events(stderr: &str) -> Vec<Value> {
    stderr
        .lines()
        .map(|line| {
            let event: Value = serde_json::from_str(line)
                .unwrap_or_else(|error| panic!("not a JSON line ({error}): {line:?}"));
            assert!(event["event"].is_string(), "{line}");
            event
        })
        .collect()
}

#[test]
fn ndjson_progress_tells_every_file_and_the_totals() {
    let work = tempfile::tempdir().expect("temp dir");
    let dump = work.path().join("dump");
    std::fs::create_dir(&dump).expect("dump");
    for name in ["invoice.pdf", "contract-award.pdf", "email-chain.pdf"] {
        std::fs::copy(corpus_dir().join(name), dump.join(name)).expect("copy");
    }
    std::fs::write(dump.join("broken.pdf"), b"%PDF-1.4\n1 0 obj <<").expect("write");
    std::fs::write(dump.join("notes.txt"), b"not a PDF").expect("write");
    let index = work.path().join("index");
    let args = ["--ocr", "never", "--progress", "ndjson"];

    let run = ingest_with(&index, &[&dump], &args);
    assert_eq!(run.code, 1, "one file fails: {}", run.stderr);
    let events = parse_events(&run.stderr);
    let files: Vec<&Value> = events.iter().filter(|e| e["event"] == "file").collect();
    let outcome = |name: &str| {
        files
            .iter()
            .find(|e| e["path"].as_str().is_some_and(|path| path.ends_with(name)))
            .unwrap_or_else(|| panic!("no file event for {name}: {events:?}"))
    };
    assert_eq!(outcome("invoice.pdf")["outcome"], "indexed");
    assert_eq!(outcome("contract-award.pdf")["pages"], 2);
    assert_eq!(outcome("broken.pdf")["outcome"], "failed");
    assert_eq!(outcome("broken.pdf")["reason"], "corrupt");
    assert_eq!(outcome("notes.txt")["outcome"], "not-pdf");
    assert_eq!(files.len(), 5);

    let summary = events.last().expect("events");
    assert_eq!(summary["event"], "summary");
    let totals = events
        .iter()
        .rev()
        .find(|e| e["event"] == "totals")
        .expect("a totals line");
    assert_eq!(totals["files_done"], 5);
    assert_eq!(totals["files_found"], 5);
    for (from_totals, from_summary) in [
        ("files_indexed", "files_indexed"),
        ("pages_indexed", "pages_indexed"),
        ("failed", "failed"),
    ] {
        assert_eq!(totals[from_totals], summary[from_summary], "{from_totals}");
    }
    assert_eq!(summary["files_indexed"], 3);

    // Again: the three PDFs are unchanged, the broken one fails again.
    let again = parse_events(&ingest_with(&index, &[&dump], &args).stderr);
    let unchanged = again
        .iter()
        .filter(|e| e["event"] == "file" && e["outcome"] == "unchanged")
        .count();
    assert_eq!(unchanged, 3);
}
