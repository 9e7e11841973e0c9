//! Helpers shared by the integration tests: run the real `foia` binary, find the
//! bundled corpus and the shared real-world corpus, normalise text for comparisons.

#![allow(dead_code)] // each test binary uses its own subset of these helpers

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The project's own sample documents.
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// `../shared/corpus-real`, or `None` (with a note on stderr) when this checkout has
/// no shared folder beside it, as in a user's clone. CI's `.ci/run` refuses to run
/// without it, so there these tests always run.
pub fn real_corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus-real");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipping: {} is absent (only CI and developers have it)",
            dir.display()
        );
        None
    }
}

/// Result of one `foia` run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// Runs `foia` with `args` and no `FOIA_INDEX` from the environment.
pub fn foia<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let output = Command::new(env!("CARGO_BIN_EXE_foia"))
        .args(args)
        .env_remove("FOIA_INDEX")
        .output()
        .expect("the foia binary runs");
    Run::from(output)
}

/// Runs `foia ingest PATHS... --index INDEX --quiet`.
pub fn ingest(index: &Path, paths: &[&Path]) -> Run {
    let mut args: Vec<&std::ffi::OsStr> = vec!["ingest".as_ref()];
    args.extend(paths.iter().map(|path| path.as_os_str()));
    args.extend(["--index".as_ref(), index.as_os_str(), "--quiet".as_ref()]);
    foia(args)
}

/// Runs `foia search QUERY --index INDEX EXTRA...`.
pub fn search(index: &Path, query: &str, extra: &[&str]) -> Run {
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "search".as_ref(),
        query.as_ref(),
        "--index".as_ref(),
        index.as_os_str(),
    ];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    foia(args)
}

/// Runs `foia search QUERY --index INDEX --json --limit 100` and parses every line.
pub fn search_json(index: &Path, query: &str) -> Vec<serde_json::Value> {
    let run = search(index, query, &["--json", "--limit", "100"]);
    assert_eq!(run.code, 0, "search {query:?} failed: {}", run.stderr);
    run.stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect()
}

/// (file name, page) of each hit, sorted.
pub fn hit_pages(hits: &[serde_json::Value]) -> Vec<(String, u64)> {
    let mut pages: Vec<(String, u64)> = hits
        .iter()
        .map(|hit| {
            let path = hit["path"].as_str().expect("path is a string");
            let name = Path::new(path).file_name().expect("path names a file");
            (
                name.to_string_lossy().into_owned(),
                hit["page"].as_u64().expect("page is a number"),
            )
        })
        .collect();
    pages.sort();
    pages
}

/// Folds the typographic variants producers substitute (hyphens, quotes, ligatures)
/// and collapses whitespace, so label text can be compared with extracted text.
pub fn normalise(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{2010}'..='\u{2013}' | '\u{2212}' => folded.push('-'),
            '\u{2018}' | '\u{2019}' => folded.push('\''),
            '\u{201C}' | '\u{201D}' => folded.push('"'),
            _ => folded.push(c),
        }
    }
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Page numbers indexed per absolute path.
pub fn indexed_pages(index: &Path) -> BTreeMap<String, Vec<u64>> {
    use tantivy::schema::Value;
    let opened = foia::index::FoiaIndex::open(index).expect("index opens");
    let searcher = opened.index.reader().expect("reader").searcher();
    let addresses = searcher
        .search(
            &tantivy::query::AllQuery,
            &tantivy::collector::DocSetCollector,
        )
        .expect("all pages");
    let mut pages: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for address in addresses {
        let document: tantivy::TantivyDocument = searcher.doc(address).expect("stored page");
        let path = document
            .get_first(opened.fields.path)
            .and_then(|value| value.as_str().map(str::to_string))
            .expect("path stored");
        let page = document
            .get_first(opened.fields.page)
            .and_then(|value| value.as_u64())
            .expect("page stored");
        pages.entry(path).or_default().push(page);
    }
    for numbers in pages.values_mut() {
        numbers.sort_unstable();
    }
    pages
}
