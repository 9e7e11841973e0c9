//! `foia serve` on a free port: every endpoint, the error answers, the token, files
//! served by id only, document text escaped, and new commits seen without a restart.

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use common::{corpus_dir, ingest, ingest_text_layers, pdf_saying, Server};

/// An index of the corpus plus a document whose text is markup and script.
fn corpus_index(dir: &Path) -> std::path::PathBuf {
    let hostile = dir.join("hostile.pdf");
    std::fs::write(
        &hostile,
        pdf_saying(
            "Hostile <b>title</b>",
            "Memo <script>window.pwned=1</script> <img src=x onerror=alert(1)> quarterly zebra",
        ),
    )
    .expect("write");
    let index = dir.join("index");
    assert_eq!(
        ingest_text_layers(&index, &[&corpus_dir(), &hostile]).code,
        0
    );
    index
}

#[test]
fn every_endpoint_answers() {
    let work = tempfile::tempdir().expect("temp dir");
    let index = corpus_index(work.path());
    let server = Server::start(&index, &[]);

    let (status, search) =
        server.json("/api/search?q=%22license+plate%22+AND+ICE&limit=3&facets=true");
    assert_eq!(status, 200);
    assert_eq!(search["total"], 6, "{search}");
    let hits = search["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 3);
    for field in [
        "path",
        "doc_id",
        "title",
        "page",
        "page_count",
        "score",
        "snippet",
        "highlights",
    ] {
        assert!(
            hits[0].get(field).is_some(),
            "hit field {field}: {}",
            hits[0]
        );
    }
    let agencies = search["facets"]["agency"].as_array().expect("agency facet");
    assert!(agencies
        .iter()
        .any(|facet| facet["value"] == "U.S. Immigration and Customs Enforcement"));

    // The same hits as `foia search --json`.
    let cli = common::search_json(&index, "\"license plate\" AND ICE");
    let cli_ids: Vec<&serde_json::Value> = cli.iter().take(3).map(|hit| &hit["doc_id"]).collect();
    let api_ids: Vec<&serde_json::Value> = hits.iter().map(|hit| &hit["doc_id"]).collect();
    assert_eq!(cli_ids, api_ids);

    let (status, entities) = server.json("/api/entities?kind=vendor&top=3");
    assert_eq!(status, 200);
    let rows = entities["rows"].as_array().expect("rows");
    assert_eq!(rows[0]["value"], "Vigilant Solutions", "{entities}");
    assert!(rows.iter().all(|row| row["kind"] == "vendor"));

    let doc_id = hits[0]["doc_id"].as_str().expect("doc_id");
    let (status, document) = server.json(&format!("/api/documents/{doc_id}"));
    assert_eq!(status, 200);
    assert_eq!(document["doc_id"], doc_id);
    let pages = document["pages"].as_array().expect("pages");
    assert_eq!(
        pages.len() as u64,
        document["page_count"].as_u64().expect("count")
    );
    assert!(pages[0]["entities"]
        .as_array()
        .is_some_and(|list| !list.is_empty()));

    let (status, index_status) = server.json("/api/status");
    assert_eq!(status, 200);
    assert_eq!(index_status["documents"], 22);
    assert_eq!(index_status["pages"], 28);
    // Indexed without OCR: every page's text is its text layer.
    assert_eq!(index_status["text_sources"]["layer"], 28);

    let (status, content_type, pdf) = server.get(&format!("/files/{doc_id}"), &[]);
    assert_eq!((status, content_type.as_str()), (200, "application/pdf"));
    assert_eq!(foia::hash::sha256_hex(&pdf), doc_id);

    for (path, kind) in [
        ("/", "text/html"),
        ("/assets/app.js", "text/javascript"),
        ("/assets/style.css", "text/css"),
    ] {
        let (status, content_type, _) = server.get(path, &[]);
        assert_eq!(status, 200, "{path}");
        assert!(content_type.starts_with(kind), "{path}: {content_type}");
    }
}

#[test]
fn errors_are_json_with_a_fitting_status() {
    let work = tempfile::tempdir().expect("temp dir");
    let index = corpus_index(work.path());
    let server = Server::start(&index, &[]);
    for (path, expected) in [
        ("/api/search?q=%22unbalanced", 400),
        ("/api/search", 400),
        ("/api/search?q=ice&limit=ten", 400),
        ("/api/search?q=amount:%3E%3Dlots", 400),
        ("/api/entities?kind=spaceship", 400),
        (&format!("/api/documents/{}", "0".repeat(64)), 404),
        ("/api/documents/not-an-id", 404),
        (&format!("/files/{}", "0".repeat(64)), 404),
        ("/no/such/endpoint", 404),
    ] {
        let (status, body) = server.json(path);
        assert_eq!(status, expected, "{path}: {body}");
        let message = body["error"].as_str().unwrap_or_default();
        assert!(!message.is_empty(), "{path}: {body}");
    }
}

#[test]
fn a_token_guards_every_request() {
    let work = tempfile::tempdir().expect("temp dir");
    let index = corpus_index(work.path());
    let server = Server::start(&index, &["--token", "s3cret/t"]);
    for path in ["/", "/api/status", "/api/search?q=ice", "/assets/app.js"] {
        let (status, _, _) = server.get(path, &[]);
        assert_eq!(status, 401, "{path} without a token");
        let (status, _, _) = server.get(path, &[("Authorization", "Bearer wrong")]);
        assert_eq!(status, 401, "{path} with a wrong token");
        let (status, _, _) = server.get(path, &[("Authorization", "Bearer s3cret/t")]);
        assert_eq!(status, 200, "{path} with the bearer token");
    }
    let (status, _, _) = server.get("/api/status?token=s3cret%2Ft", &[]);
    assert_eq!(status, 200, "token in the query string");
}

/// Sends `GET {target}` as written, without a client normalising `..` away.
fn raw_get(base: &str, target: &str) -> String {
    let address = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).expect("connect");
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("answer");
    answer
}

#[test]
fn files_are_served_by_id_only() {
    let work = tempfile::tempdir().expect("temp dir");
    let index = corpus_index(work.path());
    let server = Server::start(&index, &[]);
    for target in [
        "/files/../../../../etc/passwd",
        "/files/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "/files/%2Fetc%2Fpasswd",
        "/files//etc/passwd",
        "/files/",
        "/files/index/meta.json",
        "/../../etc/passwd",
    ] {
        let answer = raw_get(&server.base, target);
        let status_line = answer.lines().next().unwrap_or_default().to_string();
        assert!(status_line.contains(" 404 "), "{target}: {status_line}");
        assert!(!answer.contains("root:"), "{target} leaked /etc/passwd");
    }

    // A file changed on disk since it was indexed is not served in its place.
    let hostile_hits = server.json("/api/search?q=zebra").1;
    let doc_id = hostile_hits["hits"][0]["doc_id"]
        .as_str()
        .expect("hit")
        .to_string();
    std::fs::write(work.path().join("hostile.pdf"), b"%PDF-1.4 replaced").expect("rewrite");
    let (status, _, _) = server.get(&format!("/files/{doc_id}"), &[]);
    assert_eq!(status, 404);
}

#[test]
fn document_text_comes_back_escaped() {
    let work = tempfile::tempdir().expect("temp dir");
    let index = corpus_index(work.path());
    let server = Server::start(&index, &[]);
    let (status, _, body) = server.get("/api/search?q=zebra", &[]);
    assert_eq!(status, 200);
    let raw = String::from_utf8(body).expect("UTF-8");
    assert!(!raw.contains('<') && !raw.contains('>'), "{raw}");
    let parsed: serde_json::Value = serde_json::from_str(&raw).expect("JSON");
    let snippet = parsed["hits"][0]["snippet"].as_str().expect("snippet");
    assert!(
        snippet.contains("<script>window.pwned=1</script>"),
        "{snippet}"
    );
    assert_eq!(parsed["hits"][0]["title"], "Hostile <b>title</b>");
}

#[test]
fn new_commits_are_searchable_without_a_restart() {
    let work = tempfile::tempdir().expect("temp dir");
    let index = work.path().join("index");
    assert_eq!(ingest(&index, &[&corpus_dir().join("invoice.pdf")]).code, 0);
    let server = Server::start(&index, &[]);
    let count = |query: &str| server.json(&format!("/api/search?q={query}")).1["total"].clone();
    assert_eq!(count("okapi"), 0);
    let later = work.path().join("later.pdf");
    std::fs::write(
        &later,
        pdf_saying("Later", "an okapi appears in a later release"),
    )
    .expect("write");
    assert_eq!(ingest(&index, &[&later]).code, 0);
    let started = Instant::now();
    while count("okapi") != 1 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the server never saw the commit"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
