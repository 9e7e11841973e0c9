//! Near-identical pages as a reporter meets them: `foia dups` and folded `foia search`
//! over the bundled corpus,
//! where some documents also come printed and scanned back (corpus/scans) or drawn as
//! shapes (corpus/drawn), and many share a letterhead without repeating each other.
//! Needs Tesseract with its English data to read the scans (`.ci/run` installs it).

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{corpus_dir, foia, ingest};

/// Runs `foia dups --index INDEX FLAGS...`.
fn dups(index: &Path, flags: &[&str]) -> common::Run {
    let mut args = vec![
        std::ffi::OsStr::new("dups"),
        "--index".as_ref(),
        index.as_os_str(),
    ];
    args.extend(flags.iter().map(std::ffi::OsStr::new));
    foia(args)
}

fn name(path: &serde_json::Value) -> String {
    let path = Path::new(path.as_str().expect("a path"));
    path.file_name()
        .expect("a file name")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn documents_and_their_scans_pair_up_and_letterheads_do_not() {
    let index = tempfile::tempdir().expect("temp dir");
    let run = ingest(index.path(), &[&corpus_dir()]);
    assert_eq!(run.code, 0, "ingest failed: {}", run.stderr);

    let run = dups(index.path(), &[]);
    assert_eq!(run.code, 0, "dups failed: {}", run.stderr);
    let pairs = common::json_lines(&run.stdout);
    let found: BTreeSet<(String, String, u64)> = pairs
        .iter()
        .map(|pair| {
            let (a, b) = (name(&pair["path_a"]), name(&pair["path_b"]));
            let shared = pair["shared"].as_u64().expect("a count");
            (a.clone().min(b.clone()), a.max(b), shared)
        })
        .collect();
    // The scans are of these born-digital pages (corpus/scans/make.sh): the letter,
    // the invoice, and a two-page scan of the press release and the contract award's
    // first page. The others only share letterheads, addresses and boilerplate.
    let expected: BTreeSet<(String, String, u64)> = [
        ("contract-award.pdf", "scan-two-pages.pdf", 1),
        (
            "foia-response-letter.pdf",
            "scan-foia-response-letter.pdf",
            1,
        ),
        ("invoice.pdf", "scan-invoice.pdf", 1),
        ("scan-two-pages.pdf", "sheriff-press-release.pdf", 1),
    ]
    .iter()
    .map(|(a, b, shared)| (a.to_string(), b.to_string(), *shared))
    .collect();
    assert_eq!(found, expected, "{}", run.stdout);

    // A search lists the invoice once, its scan folded under it, unless told not to.
    let run = common::search(index.path(), "invoice", &["--json", "--limit", "100"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let folded = common::json_lines(&run.stdout);
    let near: Vec<(String, u64)> = folded
        .iter()
        .flat_map(|hit| hit["near_identical"].as_array().expect("a list").clone())
        .map(|near| (name(&near["path"]), near["page"].as_u64().expect("a page")))
        .collect();
    assert_eq!(near, vec![("scan-invoice.pdf".to_string(), 1)]);
    let unfolded = common::search(
        index.path(),
        "invoice",
        &["--json", "--limit", "100", "--no-fold"],
    );
    assert_eq!(unfolded.code, 0, "{}", unfolded.stderr);
    assert_eq!(unfolded.stdout.lines().count(), folded.len() + 1);
    assert_eq!(
        common::search_json(index.path(), "invoice").len(),
        folded.len() + 1
    );
    let told = common::search(index.path(), "invoice", &[]);
    assert!(
        told.stderr.contains(&format!(
            "of {} ({} matching pages, near-identical ones folded)",
            folded.len(),
            folded.len() + 1
        )),
        "{}",
        told.stderr
    );

    let csv = dups(index.path(), &["--format", "csv"]);
    assert_eq!(csv.code, 0, "dups --format csv failed: {}", csv.stderr);
    let mut lines = csv.stdout.lines();
    assert_eq!(
        lines.next(),
        Some("shared,doc_a,path_a,pages_a,doc_b,path_b,pages_b")
    );
    assert_eq!(lines.count(), pairs.len());
}

#[test]
fn an_index_without_dups_lists_none_and_a_missing_one_says_so() {
    let index = tempfile::tempdir().expect("temp dir");
    let run = ingest(index.path(), &[&corpus_dir().join("invoice.pdf")]);
    assert_eq!(run.code, 0, "ingest failed: {}", run.stderr);
    let run = dups(index.path(), &[]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);

    let missing = index.path().join("nothing-here");
    let run = dups(&missing, &[]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("nothing-here"),
        "the error names the index: {}",
        run.stderr
    );
}

#[test]
fn a_page_copied_many_times_is_one_hit_listing_fifty_of_its_copies() {
    let dump = tempfile::tempdir().expect("temp dir");
    for copy in 0..53 {
        std::fs::copy(
            corpus_dir().join("invoice.pdf"),
            dump.path().join(format!("copy-{copy:02}.pdf")),
        )
        .expect("copy");
    }
    let index = tempfile::tempdir().expect("temp dir");
    let run = common::ingest_text_layers(index.path(), &[dump.path()]);
    assert_eq!(run.code, 0, "ingest failed: {}", run.stderr);

    let run = common::search(index.path(), "\"VS-2018-0412\"", &["--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let hits = common::json_lines(&run.stdout);
    assert_eq!(hits.len(), 1, "{}", run.stdout);
    assert_eq!(hits[0]["near_identical_count"], 52);
    assert_eq!(hits[0]["near_identical"].as_array().map(Vec::len), Some(50));

    let human = common::search(index.path(), "\"VS-2018-0412\"", &[]);
    assert!(
        human.stdout.contains("+52 near-identical pages: ")
            && human.stdout.contains("; and 2 more"),
        "{}",
        human.stdout
    );
    assert!(
        human.stderr.contains("hits 1-1 of 1 (53 matching pages"),
        "{}",
        human.stderr
    );
}
