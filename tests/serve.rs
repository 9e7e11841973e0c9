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
    assert_eq!(server.token, None, "a given token is not printed");
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
fn raw_get(server: &Server, target: &str) -> String {
    let address = server.base.trim_start_matches("http://");
    raw(
        server,
        &format!("GET {target} HTTP/1.1\r\nHost: {address}\r\n"),
        b"",
    )
}

/// Sends a request head as written (plus the server's token and `Connection: close`)
/// and `body`, and returns the whole answer. A server that stalls fails the test at
/// the socket's timeout instead of hanging it.
fn raw(server: &Server, head: &str, body: &[u8]) -> String {
    let address = server.base.trim_start_matches("http://");
    let token = server.token.as_deref().expect("a generated token");
    let mut stream = std::net::TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    write!(
        stream,
        "{head}Authorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    // The server may answer and close before it has read the body.
    let _ = stream.write_all(body);
    let mut answer = Vec::new();
    stream
        .read_to_end(&mut answer)
        .expect("an answer, not a stall");
    String::from_utf8_lossy(&answer).into_owned()
}

/// The status code of a raw answer.
fn status_of(answer: &str) -> u16 {
    answer
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status in {answer:?}"))
}

/// A request head for `path` naming `host`, with `headers`.
fn head(path: &str, host: &str, headers: &[&str]) -> String {
    let mut head = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n");
    for header in headers {
        head.push_str(header);
        head.push_str("\r\n");
    }
    head
}

#[test]
fn other_hosts_and_origins_are_refused_even_with_the_token() {
    let work = tempfile::tempdir().expect("temp dir");
    let index = corpus_index(work.path());
    let server = Server::start(&index, &["--allow-host", "Newsroom.example"]);
    let ours = server.base.trim_start_matches("http://").to_string();
    let port = ours.rsplit(':').next().expect("port");
    for (host, headers, expected) in [
        (ours.clone(), vec![], 200),
        (format!("localhost:{port}"), vec![], 200),
        (format!("[::1]:{port}"), vec![], 200),
        (format!("newsroom.example:{port}"), vec![], 200),
        (format!("evil.example:{port}"), vec![], 403),
        ("evil.example".to_string(), vec![], 403),
        (format!("10.1.2.3:{port}"), vec![], 403),
        (
            ours.clone(),
            vec!["Origin: http://evil.example".to_string()],
            403,
        ),
        (
            ours.clone(),
            vec![format!("Origin: http://evil.example:{port}")],
            403,
        ),
        (ours.clone(), vec!["Origin: null".to_string()], 403),
        (ours.clone(), vec![format!("Origin: http://{ours}")], 200),
        (
            ours.clone(),
            vec![
                "Sec-Fetch-Site: cross-site".to_string(),
                "Sec-Fetch-Mode: no-cors".to_string(),
            ],
            403,
        ),
        (
            ours.clone(),
            vec![
                "Sec-Fetch-Site: same-origin".to_string(),
                "Sec-Fetch-Mode: cors".to_string(),
            ],
            200,
        ),
    ] {
        let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
        let answer = raw(&server, &head("/api/status", &host, &headers), b"");
        assert_eq!(
            status_of(&answer),
            expected,
            "Host {host}, {headers:?}: {answer}"
        );
        if expected == 403 {
            assert!(answer.contains("\"error\""), "{answer}");
            assert!(!answer.contains("\"documents\""), "{answer}");
        }
    }
    let answer = raw(&server, "GET /api/status HTTP/1.0\r\n", b"");
    assert_eq!(status_of(&answer), 403, "no Host at all: {answer}");

    let index = index.to_str().expect("UTF-8 path");
    let refused = common::foia(["serve", "--index", index, "--allow-host", "http://x:80"]);
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("--allow-host takes a host name"),
        "{}",
        refused.stderr
    );
}

#[test]
fn a_generated_token_is_required_and_the_printed_url_trades_it_for_a_cookie() {
    let work = tempfile::tempdir().expect("temp dir");
    let index = corpus_index(work.path());
    let server = Server::start(&index, &[]);
    let token = server
        .token
        .clone()
        .expect("the URL carries a generated token");
    assert!(
        token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()),
        "{token}"
    );
    for path in ["/", "/api/status", "/assets/app.js"] {
        let (status, headers, _) = server.request(path, &[]);
        assert_eq!(status, 401, "{path} without the token");
        assert_eq!(headers["www-authenticate"], "Bearer");
        let (status, _, _) = server.request(path, &[("Authorization", "Bearer wrong")]);
        assert_eq!(status, 401, "{path} with a wrong token");
    }

    // The printed URL sets an HttpOnly, same-site cookie and takes the token out of
    // the address bar.
    let (status, headers, _) = server.request(&server.url_to_open("/?q=zebra"), &[]);
    assert_eq!(status, 303);
    assert_eq!(headers["location"], "/?q=zebra");
    let port = server.base.rsplit(':').next().expect("port");
    let set_cookie = headers["set-cookie"].to_str().expect("text");
    assert!(
        set_cookie.starts_with(&format!("foia-token-{port}={token};")),
        "{set_cookie}"
    );
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    let cookie = format!("foia-token-{port}={token}");
    for path in ["/?q=zebra", "/api/search?q=zebra"] {
        let (status, _, _) = server.request(path, &[("Cookie", &cookie)]);
        assert_eq!(status, 200, "{path} with the cookie");
    }
    let elsewhere = format!("foia-token-1={token}; foia-token-{port}=wrong");
    let (status, _, _) = server.request("/api/status", &[("Cookie", &elsewhere)]);
    assert_eq!(status, 401, "another port's cookie, or a wrong one");
    // Scripts may pass it in the query string.
    let (status, _, _) = server.request(&format!("/api/status?token={token}"), &[]);
    assert_eq!(status, 200);
}

#[test]
fn no_token_is_for_loopback_only_and_other_addresses_warn() {
    let work = tempfile::tempdir().expect("temp dir");
    let index = corpus_index(work.path());
    let open = Server::start(&index, &["--no-token"]);
    assert_eq!(open.token, None);
    let (status, _, _) = open.request("/api/status", &[]);
    assert_eq!(status, 200);

    let refused = common::foia([
        "serve",
        "--index",
        index.to_str().expect("UTF-8 path"),
        "--addr",
        "0.0.0.0:0",
        "--no-token",
    ]);
    assert_eq!(refused.code, 2);
    assert!(
        refused
            .stderr
            .contains("--no-token is for loopback addresses only"),
        "{}",
        refused.stderr
    );

    let mut shared = Server::start_at(&index, "0.0.0.0:0", &[]);
    assert!(shared.token.is_some(), "a generated token");
    let warning = shared.stderr_line();
    assert!(
        warning.contains("warning") && warning.contains("0.0.0.0:"),
        "{warning}"
    );
    assert_eq!(shared.request("/api/status", &[]).0, 401);
    assert_eq!(shared.get("/api/status", &[]).0, 200);
}

#[test]
fn every_answer_carries_the_browser_headers() {
    let work = tempfile::tempdir().expect("temp dir");
    let index = corpus_index(work.path());
    let server = Server::start(&index, &[]);
    let doc_id = server.json("/api/search?q=zebra").1["hits"][0]["doc_id"]
        .as_str()
        .expect("hit")
        .to_string();
    let check = |path: &str, headers: &ureq::http::HeaderMap, status: u16| {
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .unwrap_or_else(|| panic!("{path} ({status}) has no {name}"))
                .to_string()
        };
        let policy = header("content-security-policy");
        assert!(
            policy.contains("frame-ancestors 'none'"),
            "{path}: {policy}"
        );
        assert!(!policy.contains("unsafe"), "{path}: {policy}");
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header("x-frame-options"), "DENY", "{path}");
        assert_eq!(header("referrer-policy"), "no-referrer", "{path}");
        policy
    };
    let bearer = format!("Bearer {}", server.token.as_deref().expect("token"));
    for (path, expected) in [
        ("/", 200),
        ("/assets/app.js", 200),
        ("/api/status", 200),
        ("/api/search?q=%22open", 400),
        ("/no/such/page", 404),
    ] {
        let (status, headers, _) = server.request(path, &[("Authorization", &bearer)]);
        assert_eq!(status, expected, "{path}");
        let policy = check(path, &headers, status);
        assert!(policy.contains("script-src 'self'"), "{path}: {policy}");
    }
    let (status, headers, _) = server.request("/api/status", &[]);
    check("/api/status without a token", &headers, status);
    let (status, headers, _) = server.request(
        "/api/status",
        &[
            ("Authorization", &bearer),
            ("Origin", "http://evil.example"),
        ],
    );
    assert_eq!(status, 403);
    check("/api/status from another origin", &headers, status);

    // An original is a PDF, saved under a safe name, never sniffed as anything else.
    let path = format!("/files/{doc_id}");
    let (status, headers, _) = server.request(&path, &[("Authorization", &bearer)]);
    assert_eq!(status, 200);
    check(&path, &headers, status);
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(
        headers["content-disposition"],
        "inline; filename=\"hostile.pdf\"; filename*=UTF-8''hostile.pdf"
    );
}

#[test]
fn oversized_requests_are_refused_not_served() {
    let work = tempfile::tempdir().expect("temp dir");
    let index = corpus_index(work.path());
    let server = Server::start(&index, &[]);
    let host = server.base.trim_start_matches("http://").to_string();

    // Past our limit a query gets a JSON reason; a 100 kB one is refused by the HTTP
    // layer itself (hyper's 64 kB bound on a request target), just as promptly.
    let long_query = format!("/api/search?q={}", "zebra+".repeat(20_000 / 6));
    let answer = raw(&server, &head(&long_query, &host, &[]), b"");
    assert_eq!(status_of(&answer), 414, "{answer}");
    assert!(answer.contains("at most 8192"), "{answer}");
    let huge_query = format!("/api/search?q={}", "zebra+".repeat(100_000 / 6));
    let answer = raw(&server, &head(&huge_query, &host, &[]), b"");
    assert_eq!(status_of(&answer), 414, "{answer}");

    // A body nobody reads, declared at 10 MB: refused before it is sent.
    let answer = raw(
        &server,
        &head("/api/status", &host, &["Content-Length: 10000000"]),
        &vec![b'x'; 256 * 1024],
    );
    assert_eq!(status_of(&answer), 413, "{answer}");
    let answer = raw(
        &server,
        &head("/api/status", &host, &["Transfer-Encoding: chunked"]),
        b"4\r\nabcd\r\n0\r\n\r\n",
    );
    assert_eq!(status_of(&answer), 413, "{answer}");

    // Paging deeper than the searcher keeps in memory.
    let (status, body) = server.json("/api/search?q=zebra&offset=1000000000000");
    assert_eq!(status, 400, "{body}");
    assert_eq!(server.json("/api/search?q=zebra&offset=10000").0, 200);
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
        let answer = raw_get(&server, target);
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
