//! OCR throughput: scanned pages per second through `foia ingest --jobs 2`, against
//! the `tesseract` CLI run on the same page images one after another (with its
//! default OpenMP threads, and with one thread each as foia runs it).
//!
//! `cargo bench --bench ocr` prints the figures. The pages are the corpus's scans
//! and, when `../shared/corpus-real` is beside the project, its real scans. Each
//! contender reads every page once, cold (a fresh index, so no OCR cache).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use foia::extract::{self, ExtractOptions};
use foia::ocr::{OcrMode, OcrOptions};

/// Real scans of `../shared/corpus-real` whose pages are pictures of text.
const REAL_SCANS: [&str; 6] = [
    "camelot/tests/files/image.pdf",
    "pdf.js/test/pdfs/issue7200.pdf",
    "pdf.js/test/pdfs/scan-bad.pdf",
    "pdfminer.six/samples/nonfree/175.pdf",
    "pdfminer.six/samples/contrib/pdf-with-jbig2.pdf",
    "pdfplumber/tests/pdfs/issue-203-decimalize.pdf",
];

fn scanned_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("corpus/scans"))
        .expect("corpus/scans")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "pdf"))
        .collect();
    let real = root.join("../shared/corpus-real");
    files.extend(
        REAL_SCANS
            .iter()
            .map(|file| real.join(file))
            .filter(|path| path.is_file()),
    );
    files.sort();
    files
}

/// Seconds `work` takes.
fn timed(work: impl FnOnce()) -> f64 {
    let started = Instant::now();
    work();
    started.elapsed().as_secs_f64()
}

fn main() {
    if Command::new("tesseract").arg("--version").output().is_err() {
        eprintln!("skipping: tesseract is not installed");
        return;
    }
    let files = scanned_files();
    let work = tempfile::tempdir().expect("temp dir");

    // The page images foia makes, written out for the CLI.
    let options = ExtractOptions {
        ocr: OcrOptions {
            mode: OcrMode::Auto,
            ..OcrOptions::default()
        },
        ..ExtractOptions::default()
    };
    let mut images = Vec::new();
    for (number, file) in files.iter().enumerate() {
        let bytes = std::fs::read(file).expect("scan");
        let layers = extract::text_layers(&bytes, &options).expect("scan extracts");
        for scan in &layers.scans {
            let Ok(image) = scan.render() else { continue };
            let path = work.path().join(format!("{number}-{}.pgm", scan.number));
            std::fs::write(&path, image.gray.to_pgm()).expect("write page image");
            images.push((path, image.dpi));
        }
        std::fs::copy(file, work.path().join(format!("{number}.pdf"))).expect("copy scan");
    }
    let pages = images.len() as f64;
    println!("{} scanned pages in {} files", images.len(), files.len());

    let cli = |threads: Option<&str>| {
        timed(|| {
            for (path, dpi) in &images {
                let mut command = Command::new("tesseract");
                command
                    .arg(path)
                    .args(["stdout", "--dpi", &dpi.to_string(), "-l", "eng", "tsv"]);
                if let Some(threads) = threads {
                    command.env("OMP_THREAD_LIMIT", threads);
                } else {
                    command.env_remove("OMP_THREAD_LIMIT");
                }
                let output = command.output().expect("tesseract runs");
                assert!(
                    output.status.success(),
                    "tesseract failed on {}",
                    path.display()
                );
            }
        })
    };
    let report = |name: &str, seconds: f64| {
        println!("{name:44} {seconds:7.2} s  {:5.2} pages/s", pages / seconds);
    };
    let index = work.path().join("index");
    let foia = timed(|| {
        let output = Command::new(env!("CARGO_BIN_EXE_foia"))
            .args(["ingest", "--quiet", "--jobs", "2", "--index"])
            .arg(&index)
            .args(
                files
                    .iter()
                    .enumerate()
                    .map(|(number, _)| work.path().join(format!("{number}.pdf"))),
            )
            .output()
            .expect("foia runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        eprint!("{}", String::from_utf8_lossy(&output.stderr));
    });
    report("foia ingest --jobs 2 (decode, compose, OCR)", foia);
    report("tesseract CLI one after another", cli(None));
    report("tesseract CLI one after another, 1 thread", cli(Some("1")));
}
