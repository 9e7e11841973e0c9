//! The ingest pipeline: walk -> read and hash -> extract (in parallel) -> index (one
//! writer), with a progress bar on stderr.
//!
//! Extractors run on a rayon pool and hand finished files to the writer through a
//! bounded channel, so memory holds only a few files' text however large the dump.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use crate::hash::sha256_hex;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use rayon::prelude::*;

use crate::archive;
use crate::entities;
use crate::extract::{self, ExtractOptions};
use crate::index::ledger::{self, FailureManifest, FailureRecord, LastIngest};
use crate::index::writer::{FileRecord, IndexSink, KnownFiles, WriterError};
use crate::index::FoiaIndex;
use crate::isolation;
use crate::ocr::OcrOptions;
use crate::similarity::Sketch;

/// Commit at least this often, so an interrupted run keeps most of its work.
pub const COMMIT_EVERY_FILES: usize = 500;
const COMMIT_EVERY: Duration = Duration::from_secs(60);

/// Files larger than this are not read: `too-large`. Extraction holds a file and
/// lopdf's objects in memory, several times its size, once per extraction thread.
const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// How to run an ingest.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Files and folders to ingest; folders are walked recursively.
    pub inputs: Vec<PathBuf>,
    /// The inputs are a listing made by walking folders (a plan's shard), not files
    /// the user named: a non-PDF among them is ignored as it is in a folder, not an
    /// error.
    pub listed: bool,
    /// Extraction threads.
    pub jobs: usize,
    /// Draw a progress bar (only when stderr is a terminal).
    pub progress: bool,
    /// Memory for the index writer's buffers.
    pub writer_heap_bytes: usize,
    /// Password for encrypted files the empty password does not open.
    pub password: Option<String>,
    /// Wall-clock limit per file.
    pub file_timeout: Option<Duration>,
    /// Commit after this many indexed files (and at least every minute).
    pub commit_every_files: usize,
    /// OCR of scanned pages.
    pub ocr: OcrOptions,
}

/// What an ingest tells its caller as it goes, with the progress bar cleared.
#[derive(Debug)]
pub enum Notice<'a> {
    /// What became of one file (or archive member): sent for every file, after any
    /// `Failed` or `ScansNotRead` notice about it.
    File(FileOutcome<'a>),
    /// The counts so far, about once a second and once at the end.
    Totals(&'a Totals),
    /// A file could not be indexed.
    Failed(&'a FileFailure),
    /// A file was indexed, but `pages` of its scanned pages have no OCR text.
    ScansNotRead {
        path: &'a str,
        pages: usize,
        /// Why, for the first such page.
        reason: &'a str,
    },
}

/// What became of one file, for `--progress ndjson`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileOutcome<'a> {
    Indexed {
        path: &'a str,
        pages: usize,
        ocr_pages: usize,
    },
    Unchanged {
        path: &'a str,
    },
    NotPdf {
        path: &'a str,
    },
    Failed {
        path: &'a str,
        reason: &'a str,
        message: &'a str,
    },
}

/// Counts of an ingest under way.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Totals {
    /// Files (and archive members) with an outcome so far, of `files_found` found.
    pub files_done: usize,
    pub files_found: usize,
    pub files_indexed: usize,
    pub pages_indexed: usize,
    pub unchanged: usize,
    pub failed: usize,
    pub seconds: f64,
}

/// How often `Notice::Totals` is sent while files are read.
const TOTALS_EVERY: Duration = Duration::from_secs(1);

/// A file that could not be ingested, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFailure {
    /// The path as the user named it (or as found under a folder they named).
    pub path: PathBuf,
    /// Absolute, as the index and the failure manifest key it.
    pub absolute: PathBuf,
    /// sha256 of the bytes, when they could be read.
    pub sha256: Option<String>,
    /// Stable short reason: `io`, `not-pdf`, `encrypted`, `corrupt`, `too-large`,
    /// `timeout`, `panic`.
    pub reason: &'static str,
    pub message: String,
}

impl FileFailure {
    /// The failure as a line of the index's failure manifest.
    fn record(&self) -> FailureRecord {
        FailureRecord {
            path: self.absolute.to_string_lossy().into_owned(),
            sha256: self.sha256.clone(),
            reason: self.reason.to_string(),
            message: self.message.clone(),
            failed_at: ledger::now_rfc3339(),
        }
    }
}

/// Counts for the summary line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IngestSummary {
    pub files_indexed: usize,
    pub pages_indexed: usize,
    pub unchanged: usize,
    pub failed: usize,
    /// Files met while walking folders that are not PDFs (not errors: dumps hold
    /// spreadsheets and e-mails too).
    pub not_pdf_ignored: usize,
    /// Pages whose text came (in part) from OCR.
    pub pages_ocr: usize,
    /// Scanned pages indexed without OCR text (see [`Notice::ScansNotRead`]).
    pub scans_not_read: usize,
    pub seconds: f64,
    /// Peak resident memory of the process, when the system tells it.
    pub peak_rss_bytes: Option<u64>,
}

/// Errors that stop the whole run (as opposed to one file).
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Writer(#[from] WriterError),
    #[error("index write failed: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("cannot start {0} extraction threads: {1}")]
    Threads(usize, rayon::ThreadPoolBuildError),
    #[error("cannot write {0}: {1}")]
    Ledger(PathBuf, std::io::Error),
}

/// A file to look at.
#[derive(Debug, Clone)]
struct Candidate {
    /// As the user named it or as the walk found it: what messages show.
    shown: PathBuf,
    /// Absolute, symlinks resolved: what the index stores.
    absolute: PathBuf,
    /// Named on the command line or ending in `.pdf`: not being a PDF is then an error.
    expected_pdf: bool,
    /// A zip archive, whose members are the files to look at.
    archive: bool,
}

/// What became of one file; all but failures carry its absolute path.
enum Outcome {
    Extracted(Box<FileRecord>),
    Unchanged(String),
    NotPdfIgnored(String),
    Failed(FileFailure),
    /// An archive whose members have all been reported.
    ArchiveRead(String),
}

/// An outcome, and whether it is a member of an archive: one more file than the walk
/// counted, for the progress bar.
type Report = (Outcome, bool);

/// Ingests `options.inputs` into `index`, calling `report` for each failed file and
/// each file with unread scans as it happens (with the progress bar cleared).
pub fn ingest(
    index: &FoiaIndex,
    options: &IngestOptions,
    mut report: impl FnMut(Notice),
) -> Result<IngestSummary, PipelineError> {
    let started = Instant::now();
    let mut sink = IndexSink::new(index, options.writer_heap_bytes)?;
    // Only the holder of the writer lock touches the manifest.
    let ledger_error = |error| PipelineError::Ledger(index.path.clone(), error);
    let mut manifest = FailureManifest::load(&index.path).map_err(ledger_error)?;
    let known = KnownFiles::snapshot(index)?;
    let (candidates, missing) = walk(&options.inputs, options.listed);
    let mut summary = IngestSummary::default();

    let bar = progress_bar(
        options.progress,
        candidates.len(),
        options.ocr.pages_read.clone(),
    );
    let mut totals = Totals {
        files_found: candidates.len() + missing.len(),
        ..Totals::default()
    };
    let mut last_totals = Instant::now();
    for failure in &missing {
        let counts = (&mut summary, &mut totals);
        record_failure(failure, counts, &mut manifest, &bar, &mut report);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs)
        .build()
        .map_err(|error| PipelineError::Threads(options.jobs, error))?;

    let (sender, receiver) = mpsc::sync_channel::<Report>(options.jobs * 2);
    std::thread::scope(|scope| -> Result<(), PipelineError> {
        let known = &known;
        let candidates = &candidates;
        scope.spawn(move || {
            pool.install(|| {
                candidates
                    .par_iter()
                    .for_each_with(sender, |sender, candidate| {
                        // The writer only stops listening after an index error, which
                        // ends the run anyway; nothing is lost by dropping this file.
                        process(candidate, known, options, &mut |report| {
                            let _ = sender.send(report);
                        });
                    });
            });
        });
        let mut since_commit = 0;
        let mut last_commit = Instant::now();
        for (outcome, member) in receiver {
            if member {
                bar.inc_length(1);
                totals.files_found += 1;
            }
            match outcome {
                Outcome::Extracted(record) => {
                    sink.replace(&record)?;
                    manifest.succeeded(&record.path);
                    summary.files_indexed += 1;
                    summary.pages_indexed += record.content.pages.len();
                    let pages = &record.content.pages;
                    summary.pages_ocr += pages
                        .iter()
                        .filter(|page| page.ocr_confidence.is_some())
                        .count();
                    let notes: Vec<&str> = pages
                        .iter()
                        .filter_map(|page| page.note.as_deref())
                        .collect();
                    if let Some(reason) = notes.first() {
                        summary.scans_not_read += notes.len();
                        bar.suspend(|| {
                            report(Notice::ScansNotRead {
                                path: &record.path,
                                pages: notes.len(),
                                reason,
                            })
                        });
                    }
                    since_commit += 1;
                    report(Notice::File(FileOutcome::Indexed {
                        path: &record.path,
                        pages: pages.len(),
                        ocr_pages: pages
                            .iter()
                            .filter(|page| page.ocr_confidence.is_some())
                            .count(),
                    }));
                    totals.files_done += 1;
                    totals.files_indexed += 1;
                    totals.pages_indexed += pages.len();
                }
                Outcome::Unchanged(path) => {
                    manifest.succeeded(&path);
                    summary.unchanged += 1;
                    report(Notice::File(FileOutcome::Unchanged { path: &path }));
                    totals.files_done += 1;
                    totals.unchanged += 1;
                }
                Outcome::NotPdfIgnored(path) => {
                    manifest.succeeded(&path);
                    summary.not_pdf_ignored += 1;
                    report(Notice::File(FileOutcome::NotPdf { path: &path }));
                    totals.files_done += 1;
                }
                Outcome::Failed(failure) => {
                    let counts = (&mut summary, &mut totals);
                    record_failure(&failure, counts, &mut manifest, &bar, &mut report);
                }
                Outcome::ArchiveRead(path) => manifest.succeeded(&path),
            }
            if last_totals.elapsed() >= TOTALS_EVERY {
                totals.seconds = started.elapsed().as_secs_f64();
                report(Notice::Totals(&totals));
                last_totals = Instant::now();
            }
            bar.inc(1);
            bar.set_message(format!(
                "{} pages ({:.0}/s), {} failed",
                summary.pages_indexed,
                summary.pages_indexed as f64 / started.elapsed().as_secs_f64().max(1e-3),
                summary.failed
            ));
            if since_commit >= options.commit_every_files.max(1)
                || (since_commit > 0 && last_commit.elapsed() >= COMMIT_EVERY)
            {
                // The index first: a crash between the two leaves a manifest that
                // still lists a file now indexed, which the next run clears.
                sink.commit()?;
                manifest.save().map_err(ledger_error)?;
                since_commit = 0;
                last_commit = Instant::now();
            }
        }
        Ok(())
    })?;
    sink.commit()?;
    manifest.save().map_err(ledger_error)?;
    bar.finish_and_clear();
    summary.seconds = started.elapsed().as_secs_f64();
    totals.seconds = summary.seconds;
    report(Notice::Totals(&totals));
    summary.peak_rss_bytes = peak_rss_bytes();
    let last = LastIngest {
        finished_at: ledger::now_rfc3339(),
        files_indexed: summary.files_indexed,
        pages_indexed: summary.pages_indexed,
        unchanged: summary.unchanged,
        failed: summary.failed,
        seconds: summary.seconds,
    };
    last.save(&index.path).map_err(ledger_error)?;
    Ok(summary)
}

/// Counts a failed file, lists it in the failure manifest and reports it: its error
/// line (above the progress bar), then its outcome.
fn record_failure(
    failure: &FileFailure,
    (summary, totals): (&mut IngestSummary, &mut Totals),
    manifest: &mut FailureManifest,
    bar: &ProgressBar,
    report: &mut impl FnMut(Notice),
) {
    summary.failed += 1;
    totals.files_done += 1;
    totals.failed += 1;
    manifest.failed(failure.record());
    bar.suspend(|| report(Notice::Failed(failure)));
    let path = failure.absolute.to_string_lossy();
    report(Notice::File(FileOutcome::Failed {
        path: &path,
        reason: failure.reason,
        message: &failure.message,
    }));
}

/// The process's peak resident set size (Linux `VmHWM`), if the system tells it.
fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes * 1024)
}

/// Reads, hashes and extracts one file, or each member of an archive, passing what
/// became of each to `emit`.
fn process(
    candidate: &Candidate,
    known: &KnownFiles,
    options: &IngestOptions,
    emit: &mut dyn FnMut(Report),
) {
    let failure = |reason, message: String| {
        Outcome::Failed(FileFailure {
            path: candidate.shown.clone(),
            absolute: candidate.absolute.clone(),
            sha256: None,
            reason,
            message,
        })
    };
    let path = candidate.absolute.to_string_lossy().into_owned();
    let size = std::fs::metadata(&candidate.absolute).map_or(0, |metadata| metadata.len());
    if size > MAX_FILE_BYTES && !candidate.archive {
        let message = format!("{size} bytes, more than the {MAX_FILE_BYTES}-byte limit");
        return emit((failure("too-large", message), false));
    }
    if candidate.archive {
        let file = match std::fs::File::open(&candidate.absolute) {
            Ok(file) => file,
            Err(error) => return emit((failure("io", error.to_string()), false)),
        };
        let read = archive::for_each_member(std::io::BufReader::new(file), &mut |member, read| {
            let inside = |root: &str| format!("{root}{}{member}", archive::MEMBER_SEPARATOR);
            let shown = PathBuf::from(inside(&candidate.shown.to_string_lossy()));
            let member_path = inside(&path);
            let outcome = match read {
                Ok(bytes) => {
                    let expected_pdf = has_pdf_extension(Path::new(&member));
                    examine(shown, member_path, &bytes, expected_pdf, known, options)
                }
                Err(error) => Outcome::Failed(FileFailure {
                    path: shown,
                    absolute: PathBuf::from(member_path),
                    sha256: None,
                    reason: error.reason(),
                    message: error.to_string(),
                }),
            };
            emit((outcome, true));
        });
        let outcome = match read {
            Ok(()) => Outcome::ArchiveRead(path),
            Err(error) => failure(error.reason(), error.to_string()),
        };
        return emit((outcome, false));
    }
    let outcome = match std::fs::read(&candidate.absolute) {
        Ok(bytes) => examine(
            candidate.shown.clone(),
            path,
            &bytes,
            candidate.expected_pdf,
            known,
            options,
        ),
        Err(error) => failure("io", error.to_string()),
    };
    emit((outcome, false));
}

/// Hashes and extracts one file's bytes and finds its entities; `path` is what the
/// index stores. A panic anywhere in that fails this file alone, as `panic`.
fn examine(
    shown: PathBuf,
    path: String,
    bytes: &[u8],
    expected_pdf: bool,
    known: &KnownFiles,
    options: &IngestOptions,
) -> Outcome {
    let work = || examine_unguarded(&shown, &path, bytes, expected_pdf, known, options);
    isolation::contained(work).unwrap_or_else(|message| {
        Outcome::Failed(FileFailure {
            absolute: PathBuf::from(&path),
            path: shown,
            sha256: None,
            reason: "panic",
            message: format!("panicked: {message}"),
        })
    })
}

fn examine_unguarded(
    shown: &Path,
    path: &str,
    bytes: &[u8],
    expected_pdf: bool,
    known: &KnownFiles,
    options: &IngestOptions,
) -> Outcome {
    if !expected_pdf && !extract::is_pdf(bytes) {
        return Outcome::NotPdfIgnored(path.to_string());
    }
    let doc_id = sha256_hex(bytes);
    if known.is_current(path, &doc_id) {
        return Outcome::Unchanged(path.to_string());
    }
    let extract_options = ExtractOptions {
        password: options.password.clone(),
        timeout: options.file_timeout,
        ocr: OcrOptions {
            timeout: options.file_timeout,
            ..options.ocr.clone()
        },
        ..ExtractOptions::default()
    };
    match extract::pdf_pages_with(bytes, &extract_options) {
        Ok(content) => {
            let pages: Vec<&str> = content
                .pages
                .iter()
                .map(|page| page.text.as_str())
                .collect();
            let entities = entities::find_in_document(&pages);
            let sketches = pages.iter().map(|text| Sketch::of(text)).collect();
            Outcome::Extracted(Box::new(FileRecord {
                doc_id,
                path: path.to_string(),
                content,
                entities,
                sketches,
            }))
        }
        Err(error) => Outcome::Failed(FileFailure {
            absolute: PathBuf::from(path),
            path: shown.to_path_buf(),
            sha256: Some(doc_id),
            reason: error.reason(),
            message: error.to_string(),
        }),
    }
}

/// The files an ingest of `inputs` looks at (absolute, sorted, without duplicates;
/// an archive is one file), and the inputs that cannot be walked.
pub fn input_files(inputs: &[PathBuf]) -> (Vec<PathBuf>, Vec<FileFailure>) {
    let (candidates, failures) = walk(inputs, false);
    let files = candidates
        .into_iter()
        .map(|candidate| candidate.absolute)
        .collect();
    (files, failures)
}

/// Expands inputs into files, sorted and without duplicates. Inputs that do not exist
/// are returned as failures.
fn walk(inputs: &[PathBuf], listed: bool) -> (Vec<Candidate>, Vec<FileFailure>) {
    let mut candidates = Vec::new();
    let mut failures = Vec::new();
    for input in inputs {
        if input.is_dir() {
            for entry in walkdir::WalkDir::new(input).sort_by_file_name() {
                match entry {
                    Ok(entry) if entry.file_type().is_file() => {
                        let expected_pdf = has_pdf_extension(entry.path());
                        candidates.push(candidate(entry.path(), expected_pdf));
                    }
                    Ok(_) => {}
                    Err(error) => {
                        let path = error.path().unwrap_or(input).to_path_buf();
                        failures.push(FileFailure {
                            absolute: absolute(&path),
                            path,
                            sha256: None,
                            reason: "io",
                            message: error.to_string(),
                        })
                    }
                }
            }
        } else if input.exists() {
            candidates.push(candidate(input, !listed || has_pdf_extension(input)));
        } else {
            failures.push(FileFailure {
                path: input.clone(),
                absolute: absolute(input),
                sha256: None,
                reason: "io",
                message: "no such file or directory".to_string(),
            });
        }
    }
    candidates.sort_by(|a, b| a.absolute.cmp(&b.absolute));
    candidates.dedup_by(|a, b| a.absolute == b.absolute);
    (candidates, failures)
}

fn candidate(path: &Path, expected_pdf: bool) -> Candidate {
    Candidate {
        archive: archive::is_archive_name(&path.to_string_lossy()),
        shown: path.to_path_buf(),
        absolute: absolute(path),
        expected_pdf,
    }
}

/// `path` absolute with symlinks resolved, as the index stores it; as given when
/// that cannot be worked out.
fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

fn has_pdf_extension(path: &Path) -> bool {
    path.extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("pdf"))
}

fn progress_bar(visible: bool, files: usize, pages_read: Arc<AtomicUsize>) -> ProgressBar {
    let target = if visible {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(Some(files as u64), target);
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} {elapsed_precise} [{bar:30}] {pos}/{len} files, {msg}{ocr} ({rate}, eta {eta})",
    ) {
        let style = style
            .with_key(
                "rate",
                |state: &ProgressState, out: &mut dyn std::fmt::Write| {
                    let _ = write!(out, "{:.0} files/s", state.per_sec());
                },
            )
            .with_key(
                "ocr",
                move |_: &ProgressState, out: &mut dyn std::fmt::Write| match pages_read
                    .load(Ordering::Relaxed)
                {
                    0 => {}
                    read => {
                        let _ = write!(out, ", {read} pages OCR'd");
                    }
                },
            )
            .progress_chars("=> ");
        bar.set_style(style);
    }
    // Redrawn twice a second, so the OCR count moves while one long scan is read.
    if visible {
        bar.enable_steady_tick(Duration::from_millis(500));
    }
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_empty_input() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn missing_input_is_a_failure_not_a_candidate() {
        let (candidates, failures) = walk(&[PathBuf::from("/no/such/foia/input.pdf")], false);
        assert!(candidates.is_empty());
        assert_eq!(failures[0].reason, "io");
        assert_eq!(failures[0].message, "no such file or directory");
    }

    #[test]
    fn pdf_extension_is_case_insensitive() {
        assert!(has_pdf_extension(Path::new("a/B.PDF")));
        assert!(!has_pdf_extension(Path::new("a/b.pdf.txt")));
    }
}
