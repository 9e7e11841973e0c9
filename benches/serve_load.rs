//! Load on `foia serve` over loopback: concurrent clients send a mix of searches (with
//! and without facets, entity filters, paging), entity tables, document lookups and
//! status requests for a fixed time, each waiting for its answer before the next
//! request. Prints requests per second, latency percentiles and the error count.
//!
//! Then, one request at a time, the page view's images: every page of the corpus
//! drawn cold (cache emptied) and again from the cache, and the page view's data
//! (`/api/documents/{id}/pages/{n}?q=`), each with its p50 and p99.
//!
//! `cargo bench --bench serve_load -- [CLIENTS] [SECONDS]` (default 64 clients, 30 s)
//! on an index of the bundled corpus.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The request mix: paths under the server, cycled through by every client.
const PATHS: &[&str] = &[
    "/api/search?q=license",
    "/api/search?q=%22license+plate%22+AND+ICE&facets=true",
    "/api/search?q=vendor:%22Vigilant+Solutions%22&limit=20",
    "/api/search?q=amount:%3E%3D1000000",
    "/api/search?q=date:%5B2018-01-01+TO+2018-12-31%5D&offset=5",
    "/api/search?q=exemption:b6+OR+exemption:b7C&facets=true",
    "/api/search?q=agency:ICE+AND+NOT+audit",
    "/api/search?q=purged",
    "/api/entities?kind=vendor,agency&top=10",
    "/api/status",
    "/",
];

/// The server's token: the load includes checking it, as every real request does.
const TOKEN: &str = "serve-load-token";

/// One HTTP/1.1 keep-alive GET; returns whether the answer was 200.
fn get(stream: &mut BufReader<TcpStream>, host: &str, path: &str) -> std::io::Result<bool> {
    Ok(get_body(stream, host, path)?.0)
}

/// [`get`], with the answer's body.
fn get_body(
    stream: &mut BufReader<TcpStream>,
    host: &str,
    path: &str,
) -> std::io::Result<(bool, Vec<u8>)> {
    // One write per request: several small ones would meet Nagle's algorithm and the
    // server's delayed ACK, adding 40 ms to every request.
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {TOKEN}\r\n\r\n");
    stream.get_mut().write_all(request.as_bytes())?;
    let mut status = String::new();
    stream.read_line(&mut status)?;
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        stream.read_line(&mut line)?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    stream.read_exact(&mut body)?;
    Ok((status.split_whitespace().nth(1) == Some("200"), body))
}

/// p50 and p99 of latencies, in milliseconds.
fn percentiles(latencies: &mut [Duration]) -> (f64, f64) {
    latencies.sort_unstable();
    let at = |p: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * p).round() as usize)
            .map_or(0.0, |latency| latency.as_secs_f64() * 1000.0)
    };
    (at(0.50), at(0.99))
}

/// The page view, one request at a time: every page's image cold and cached, and its
/// data with a query.
fn page_view(host: &str, index: &Path) {
    let mut stream = BufReader::new(TcpStream::connect(host).expect("connect"));
    stream.get_mut().set_nodelay(true).expect("nodelay");
    let (_, body) =
        get_body(&mut stream, host, "/api/search?q=*&fold=false&limit=100").expect("all pages");
    let answer: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    let pages: Vec<(String, u64)> = answer["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|hit| {
            let doc = hit["doc_id"].as_str().expect("doc_id").to_string();
            (doc, hit["page"].as_u64().expect("page"))
        })
        .collect();
    let _ = std::fs::remove_dir_all(index.join("page-images"));
    let mut timed = |path: String| {
        let started = Instant::now();
        let (ok, _) = get_body(&mut stream, host, &path).expect("answer");
        assert!(ok, "{path} failed");
        started.elapsed()
    };
    let image =
        |(doc, page): &(String, u64)| format!("/documents/{doc}/pages/{page}/image?width=1200");
    let mut cold: Vec<Duration> = pages.iter().map(|page| timed(image(page))).collect();
    let mut cached: Vec<Duration> = pages.iter().map(|page| timed(image(page))).collect();
    let mut data: Vec<Duration> = pages
        .iter()
        .map(|(doc, page)| {
            timed(format!(
                "/api/documents/{doc}/pages/{page}?q=license+OR+vigilant"
            ))
        })
        .collect();
    for (name, latencies) in [
        ("image 1200 px, cold", &mut cold),
        ("image 1200 px, cached", &mut cached),
        ("page data with a query", &mut data),
    ] {
        let (p50, p99) = percentiles(latencies);
        println!(
            "page_view: {name}, {} pages: p50 {p50:.1} ms, p99 {p99:.1} ms",
            latencies.len()
        );
    }
}

fn main() {
    let numbers: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|arg| arg.parse().ok())
        .collect();
    let clients = numbers.first().copied().unwrap_or(64) as usize;
    let seconds = numbers.get(1).copied().unwrap_or(30);
    let foia = env!("CARGO_BIN_EXE_foia");
    let work = tempfile::tempdir().expect("temp dir");
    let index = work.path().join("index");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let status = Command::new(foia)
        .arg("ingest")
        .arg(&corpus)
        .arg("--index")
        .arg(&index)
        .arg("--quiet")
        .status()
        .expect("ingest runs");
    assert!(status.success(), "ingest of the corpus failed");
    let mut server = Command::new(foia)
        .arg("serve")
        .arg("--index")
        .arg(&index)
        .args(["--addr", "127.0.0.1:0", "--token", TOKEN])
        .stderr(Stdio::piped())
        .spawn()
        .expect("foia serve starts");
    let mut line = String::new();
    BufReader::new(server.stderr.take().expect("stderr"))
        .read_line(&mut line)
        .expect("address line");
    let host = line
        .split_whitespace()
        .find_map(|word| word.strip_prefix("http://"))
        .expect("address")
        .trim_end_matches([';', '/'])
        .to_string();

    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..clients)
        .map(|client| {
            let (stop, host) = (stop.clone(), host.clone());
            std::thread::spawn(move || {
                let mut latencies = Vec::new();
                let mut errors = 0u64;
                let connect = || {
                    let stream = TcpStream::connect(&host)?;
                    stream.set_nodelay(true)?;
                    Ok::<_, std::io::Error>(BufReader::new(stream))
                };
                let mut stream = connect().expect("connect");
                let mut next = client;
                while !stop.load(Ordering::Relaxed) {
                    let path = PATHS[next % PATHS.len()];
                    next += 1;
                    let started = Instant::now();
                    match get(&mut stream, &host, path) {
                        Ok(true) => latencies.push(started.elapsed()),
                        Ok(false) => errors += 1,
                        Err(_) => {
                            errors += 1;
                            stream = connect().expect("reconnect");
                        }
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let started = Instant::now();
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    let mut latencies = Vec::new();
    let mut errors = 0;
    for worker in workers {
        let (mine, failed) = worker.join().expect("client thread");
        latencies.extend(mine);
        errors += failed;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let count = latencies.len();
    let (p50, p99) = percentiles(&mut latencies);
    let max = latencies
        .last()
        .map_or(0.0, |latency| latency.as_secs_f64() * 1000.0);
    println!(
        "serve_load: {clients} clients, {elapsed:.1} s: {count} requests, {:.0} requests/s, p50 {p50:.2} ms, p99 {p99:.2} ms, max {max:.2} ms, {errors} errors",
        count as f64 / elapsed,
    );
    page_view(&host, &index);
    let _ = server.kill();
    let _ = server.wait();
}
