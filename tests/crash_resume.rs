//! An ingest killed with SIGKILL partway, then run again with the same command,
//! finishes the job: every file's pages are in the index exactly once.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{corpus_dir, foia, indexed_pages};

/// Copies of each corpus PDF: enough files that one extraction thread takes seconds,
/// so the kill lands partway.
const COPIES: usize = 120;

/// Pages in the index as `foia status` reports them, 0 before the first commit.
fn committed_pages(index: &Path) -> u64 {
    let run = foia([
        "status".as_ref(),
        "--json".as_ref(),
        "--index".as_ref(),
        index.as_os_str(),
    ]);
    serde_json::from_str::<serde_json::Value>(run.stdout.trim())
        .ok()
        .and_then(|status| status["pages"].as_u64())
        .unwrap_or(0)
}

#[test]
fn a_killed_ingest_resumes_without_duplicates_or_gaps() {
    let work = tempfile::tempdir().expect("temp dir");
    let dump = work.path().join("dump");
    std::fs::create_dir(&dump).expect("dump folder");
    let mut expected = std::collections::BTreeMap::new();
    for entry in std::fs::read_dir(corpus_dir()).expect("corpus").flatten() {
        let source = entry.path();
        if source
            .extension()
            .is_none_or(|extension| extension != "pdf")
        {
            continue;
        }
        let pages = lopdf::Document::load(&source)
            .expect("corpus PDF loads")
            .get_pages()
            .len() as u64;
        let stem = source
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        for copy in 0..COPIES {
            let target = dump.join(format!("{stem}-{copy:03}.pdf"));
            std::fs::copy(&source, &target).expect("copy");
            let absolute = std::fs::canonicalize(&target).expect("absolute");
            expected.insert(
                absolute.to_string_lossy().into_owned(),
                (1..=pages).collect::<Vec<u64>>(),
            );
        }
    }
    let total_pages: u64 = expected.values().map(|pages| pages.len() as u64).sum();
    let index = work.path().join("index");
    let command = || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_foia"));
        command
            .arg("ingest")
            .arg(&dump)
            .arg("--index")
            .arg(&index)
            .args(["--jobs", "1", "--commit-every", "25", "--quiet"])
            .env_remove("FOIA_INDEX")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command
    };

    let mut first = command().spawn().expect("foia starts");
    let started = Instant::now();
    while committed_pages(&index) == 0 {
        assert!(
            first.try_wait().expect("foia runs").is_none(),
            "the ingest ended before its first commit was seen; raise COPIES"
        );
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no commit in 120 s"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    first.kill().expect("SIGKILL");
    first.wait().expect("reaped");
    let at_kill = committed_pages(&index);
    assert!(
        at_kill > 0 && at_kill < total_pages,
        "killed partway: {at_kill} of {total_pages} pages committed"
    );

    let second = command().status().expect("foia reruns");
    assert_eq!(second.code(), Some(0));
    let indexed = indexed_pages(&index);
    assert_eq!(indexed.len(), expected.len(), "every file, once");
    for (path, pages) in &expected {
        assert_eq!(indexed.get(path), Some(pages), "{path}");
    }
    assert_eq!(committed_pages(&index), total_pages);
}
