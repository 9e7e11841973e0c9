//! Load on `foia serve` over loopback: concurrent clients send a mix of searches (with
//! and without facets, entity filters, paging), entity tables, document lookups and
//! status requests for a fixed time, each waiting for its answer before the next
//! request. Prints requests per second, latency percentiles and the error count.
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
    Ok(status.split_whitespace().nth(1) == Some("200"))
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
    let _ = server.kill();
    let _ = server.wait();
    latencies.sort_unstable();
    let percentile = |p: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * p).round() as usize)
            .map_or(0.0, |latency| latency.as_secs_f64() * 1000.0)
    };
    println!(
        "serve_load: {clients} clients, {elapsed:.1} s: {} requests, {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms, {errors} errors",
        latencies.len(),
        latencies.len() as f64 / elapsed,
        percentile(0.50),
        percentile(0.99),
        percentile(1.0),
    );
}
