//! Wall time of `foia ingest --ocr never` over a real dump against `pdftotext` run
//! over the same files one after another, the yardstick of "every core of one
//! machine": a dump of the 62 files of `../shared/corpus-foia` plus one long file (the
//! same files joined three times by qpdf, about 900 pages), as dumps hold an audit log
//! or a production volume of that size.
//!
//! `cargo bench --bench dump_wall -- [RUNS]` (default 5) prints the median wall of
//! each and their ratio. `FOIA_BIN=path` times another build of foia (e.g. an earlier
//! commit's) the same way. Needs `../shared`, qpdf and pdftotext.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The PDFs under `dir`, sorted, as an ingest walks it.
fn pdfs(dir: &Path) -> Vec<PathBuf> {
    let (files, _) = foia::pipeline::input_files(&[dir.to_path_buf()]);
    files
        .into_iter()
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext.eq_ignore_ascii_case("pdf"))
        })
        .collect()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let runs: usize = std::env::args()
        .skip(1)
        .find_map(|arg| arg.parse().ok())
        .unwrap_or(5);
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus-foia");
    if !shared.is_dir() {
        eprintln!("dump_wall: {} is absent; nothing to time", shared.display());
        return;
    }
    let foia = std::env::var("FOIA_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_foia").to_string());
    let work = tempfile::tempdir().expect("temp dir");
    let dump = work.path().join("dump");
    std::fs::create_dir(&dump).expect("dump folder");
    let files = pdfs(&shared);
    for (number, file) in files.iter().enumerate() {
        std::fs::copy(file, dump.join(format!("{number:03}.pdf"))).expect("copy");
    }
    let status = Command::new("qpdf")
        .args(["--empty", "--pages"])
        .args(files.iter().chain(&files).chain(&files))
        .arg("--")
        .arg(dump.join("long.pdf"))
        .stderr(Stdio::null())
        .status()
        .expect("qpdf runs");
    assert!(matches!(status.code(), Some(0 | 3)), "qpdf joins the files");
    let dumped = pdfs(&dump);

    let time = |run: &mut dyn FnMut()| {
        median(
            (0..runs)
                .map(|_| {
                    let started = Instant::now();
                    run();
                    started.elapsed()
                })
                .collect(),
        )
    };
    let ours = time(&mut || {
        let index = work.path().join("index");
        let _ = std::fs::remove_dir_all(&index);
        let status = Command::new(&foia)
            .arg("ingest")
            .arg(&dump)
            .arg("--index")
            .arg(&index)
            .args(["--ocr", "never", "--quiet"])
            .stderr(Stdio::null())
            .status()
            .expect("foia runs");
        assert!(status.code().is_some_and(|code| code <= 1), "foia ingest");
    });
    let poppler = time(&mut || {
        for file in &dumped {
            Command::new("pdftotext")
                .arg("-q")
                .arg(file)
                .arg("/dev/null")
                .status()
                .expect("pdftotext runs");
        }
    });
    println!(
        "dump_wall: {} files; foia ingest {:.2} s, pdftotext one after another {:.2} s: {:.2}x (median of {runs})",
        dumped.len(),
        ours.as_secs_f64(),
        poppler.as_secs_f64(),
        ours.as_secs_f64() / poppler.as_secs_f64()
    );
}
