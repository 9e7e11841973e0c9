//! Helpers shared by the integration tests: run the real `foia` binary, find the
//! bundled corpus and the shared real-world corpus, normalise text for comparisons.

#![allow(dead_code)] // each test binary uses its own subset of these helpers

pub mod redaction_fixtures;

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
    ingest_with(index, paths, &[])
}

/// [`ingest`] without OCR: for tests of text layers, search and entities, which the
/// corpus's scans (tests/ocr.rs) would only slow down and duplicate.
pub fn ingest_text_layers(index: &Path, paths: &[&Path]) -> Run {
    ingest_with(index, paths, &["--ocr", "never"])
}

/// [`ingest`] with more flags.
pub fn ingest_with(index: &Path, paths: &[&Path], extra: &[&str]) -> Run {
    let mut args: Vec<&std::ffi::OsStr> = vec!["ingest".as_ref()];
    args.extend(paths.iter().map(|path| path.as_os_str()));
    args.extend(["--index".as_ref(), index.as_os_str(), "--quiet".as_ref()]);
    args.extend(extra.iter().map(std::ffi::OsStr::new));
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

/// Runs `foia search QUERY --index INDEX --json --limit 100 --no-fold` and parses every
/// line: every matching page, near-identical ones too, as tests of what the index
/// holds need (tests/dups.rs tests folding).
pub fn search_json(index: &Path, query: &str) -> Vec<serde_json::Value> {
    let run = search(index, query, &["--json", "--limit", "100", "--no-fold"]);
    assert_eq!(run.code, 0, "search {query:?} failed: {}", run.stderr);
    json_lines(&run.stdout)
}

/// Every line of a command's JSON-lines output, parsed.
pub fn json_lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
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

/// A running `foia serve` on a free loopback port, stopped when dropped.
pub struct Server {
    child: std::process::Child,
    stderr: std::io::BufReader<std::process::ChildStderr>,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// The token printed in the URL to open (a generated one), if any.
    pub token: Option<String>,
}

impl Server {
    /// Starts `foia serve --index INDEX --addr 127.0.0.1:0 EXTRA...` and waits for the
    /// line that says where it listens.
    pub fn start(index: &Path, extra: &[&str]) -> Server {
        Server::start_at(index, "127.0.0.1:0", extra)
    }

    /// Starts `foia serve` listening on `addr`.
    pub fn start_at(index: &Path, addr: &str, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_foia"))
            .arg("serve")
            .arg("--index")
            .arg(index)
            .args(["--addr", addr])
            .args(extra)
            .env_remove("FOIA_INDEX")
            .env_remove("FOIA_TOKEN")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("foia serve starts");
        let stderr = std::io::BufReader::new(child.stderr.take().expect("stderr is piped"));
        let mut server = Server {
            child,
            stderr,
            base: String::new(),
            token: None,
        };
        let line = server.stderr_line();
        let url = line
            .split_whitespace()
            .find(|word| word.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .trim_end_matches(';');
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        server.base = base.trim_end_matches('/').to_string();
        server.token = query.strip_prefix("token=").map(str::to_string);
        server
    }

    /// The next line the server wrote to stderr.
    pub fn stderr_line(&mut self) -> String {
        use std::io::BufRead;
        let mut line = String::new();
        self.stderr
            .read_line(&mut line)
            .expect("foia serve's stderr reads");
        line
    }

    /// The URL of `path` as a reporter first opens it: with the token, if any.
    pub fn url_to_open(&self, path: &str) -> String {
        match &self.token {
            Some(token) if path.contains('?') => format!("{}{path}&token={token}", self.base),
            Some(token) => format!("{}{path}?token={token}", self.base),
            None => format!("{}{path}", self.base),
        }
    }

    /// GET `path` with `headers` and the server's generated token (if it made one) as a
    /// bearer token, returning status, content type and body. Error statuses are
    /// answers too, not failures.
    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> (u16, String, Vec<u8>) {
        let bearer = self.token.as_ref().map(|token| format!("Bearer {token}"));
        let mut all: Vec<(&str, &str)> = headers.to_vec();
        if let Some(bearer) = &bearer {
            all.push(("Authorization", bearer));
        }
        let (status, headers, body) = self.request(path, &all);
        let content_type = headers
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_string();
        (status, content_type, body)
    }

    /// GET `path` with exactly `headers` (no token added), following no redirect.
    pub fn request(
        &self,
        path: &str,
        headers: &[(&str, &str)],
    ) -> (u16, ureq::http::HeaderMap, Vec<u8>) {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        let url = if path.starts_with("http://") {
            path.to_string()
        } else {
            format!("{}{path}", self.base)
        };
        let mut request = agent.get(url);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut response = request.call().expect("the server answers");
        let body = response
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_vec()
            .expect("body");
        (response.status().as_u16(), response.headers().clone(), body)
    }

    /// GET `path` and parse the JSON answer, with its status.
    pub fn json(&self, path: &str) -> (u16, serde_json::Value) {
        let (status, content_type, body) = self.get(path, &[]);
        assert!(
            content_type.starts_with("application/json"),
            "{path}: {content_type}"
        );
        (status, serde_json::from_slice(&body).expect("JSON body"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A one-page PDF whose page says `text` (Helvetica), titled `title`.
pub fn pdf_saying(title: &str, text: &str) -> Vec<u8> {
    use lopdf::{dictionary, Object, Stream};
    let mut document = lopdf::Document::with_version("1.4");
    let pages_id = document.new_object_id();
    let font_id = document.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let escaped = text
        .replace('\\', "\\\\")
        .replace('(', "\\(")
        .replace(')', "\\)");
    let content = format!("BT /F1 11 Tf 72 720 Td ({escaped}) Tj ET");
    let content_id = document.add_object(Stream::new(dictionary! {}, content.into_bytes()));
    let page_id = document.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
    });
    document.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        }),
    );
    let info_id = document.add_object(dictionary! {
        "Title" => Object::string_literal(title),
    });
    let catalog_id = document.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    document.trailer.set("Root", catalog_id);
    document.trailer.set("Info", info_id);
    let mut bytes = Vec::new();
    document.save_to(&mut bytes).expect("PDF saves");
    bytes
}
