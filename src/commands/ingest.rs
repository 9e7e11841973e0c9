//! `foia ingest PATH... [--index DIR] [--jobs N] [--retry-failed] [--file-timeout S]
//! [--password P] [--ocr WHEN] [--ocr-lang LANGS] [--commit-every N] [--memory MIB]
//! [--quiet] [--progress bar|ndjson]`
//!
//! Walks the paths, extracts every PDF's pages in parallel (OCR'ing scanned pages,
//! with results cached in `<index>/ocr-cache`) and indexes them. Each failed file gets
//! one line on stderr and one in `<index>/failures.jsonl`, each file with scanned
//! pages left unread one warning line; the run goes on, and a summary line ends it.
//! With `--progress ndjson`, stderr carries JSON lines only, one per event:
//!
//! - `{"event":"file","path":P,"outcome":"indexed","pages":N,"ocr_pages":N}`, or with
//!   `"outcome"` `unchanged`, `not-pdf`, or `failed` (plus `"reason"` and `"message"`);
//! - `{"event":"warning","path":P,"pages":N,"reason":R}` for scanned pages left unread;
//! - `{"event":"totals","files_done":N,"files_found":N,"files_indexed":N,
//!   "pages_indexed":N,"unchanged":N,"failed":N,"seconds":S}` about once a second and
//!   once at the end (`files_found` grows as archives are opened);
//! - `{"event":"summary",...}` last, with the summary line's counts.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context};

use super::Status;
use crate::archive::MEMBER_SEPARATOR;
use crate::cli::{IngestArgs, Progress};
use crate::index::ledger::FailureManifest;
use crate::index::merge::{schema_fingerprint, ShardRecord, SHARD_RECORD};
use crate::index::{FoiaIndex, OCR_CACHE};
use crate::ocr::OcrOptions;
use crate::pipeline::{self, FileOutcome, IngestOptions, IngestSummary, Notice};
use crate::plan::{self, Plan};

pub fn run(args: &IngestArgs) -> anyhow::Result<Status> {
    let summary = match &args.plan {
        Some(plan) => return run_shard(args, plan),
        None => ingest_into(&args.index.index, args.paths.clone(), args)?,
    };
    Ok(status(&summary))
}

fn status(summary: &IngestSummary) -> Status {
    if summary.failed > 0 {
        Status::Partial
    } else {
        Status::Success
    }
}

/// `--plan P --shard K`: ingests shard K's files into `<index>.partial`, records the
/// shard in its `shard.json` and renames it to `<index>`, so that an index under the
/// final name is always a complete shard. A rerun of a complete shard does nothing;
/// what a killed run left under the temporary name is started again from nothing.
fn run_shard(args: &IngestArgs, plan_path: &Path) -> anyhow::Result<Status> {
    let (plan, plan_hash) = Plan::read(plan_path).map_err(anyhow::Error::msg)?;
    let shard = plan::shard_number(args.shard.as_deref().unwrap_or_default())
        .map_err(anyhow::Error::msg)?;
    if shard >= plan.shards {
        bail!(
            "shard {shard} is not in {}, whose shards are 0-{}",
            plan_path.display(),
            plan.shards - 1
        );
    }
    let done = &args.index.index;
    let record_path = done.join(SHARD_RECORD);
    if record_path.is_file() {
        let record: ShardRecord = std::fs::read(&record_path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .with_context(|| format!("{} is not a shard record", record_path.display()))?;
        if record.plan_hash == plan_hash && record.shard == shard {
            eprintln!(
                "foia: shard {shard} of {} is already complete in {}; nothing to do",
                plan_path.display(),
                done.display()
            );
            return Ok(if record.failures > 0 {
                Status::Partial
            } else {
                Status::Success
            });
        }
        let of = if record.plan_hash == plan_hash {
            "this plan"
        } else {
            "another plan"
        };
        bail!(
            "{} holds shard {} of {of}, not shard {shard}; give another --index",
            done.display(),
            record.shard
        );
    }
    if done.exists() {
        bail!(
            "{} exists and is not a complete shard; remove it or give another --index",
            done.display()
        );
    }
    let partial = PathBuf::from(format!("{}.partial", done.display()));
    if partial.exists() {
        std::fs::remove_dir_all(&partial).with_context(|| {
            format!("cannot remove {} left by an earlier run", partial.display())
        })?;
    }
    let summary = ingest_into(&partial, plan.shard_paths(shard), args)?;
    let record = ShardRecord {
        plan_hash,
        shard,
        shards: plan.shards,
        foia_version: env!("CARGO_PKG_VERSION").to_string(),
        schema_fingerprint: schema_fingerprint(),
        files: summary.files_indexed,
        pages: summary.pages_indexed,
        failures: summary.failed,
    };
    let text = serde_json::to_string_pretty(&record)?;
    std::fs::write(partial.join(SHARD_RECORD), text)
        .with_context(|| format!("cannot write the shard record in {}", partial.display()))?;
    std::fs::rename(&partial, done)
        .with_context(|| format!("cannot rename {} to {}", partial.display(), done.display()))?;
    Ok(status(&summary))
}

/// Ingests `inputs` (and, with `--retry-failed`, the index's failures) into the index
/// at `dir`, printing errors, warnings and the summary as `--progress` asks.
fn ingest_into(
    dir: &Path,
    mut inputs: Vec<PathBuf>,
    args: &IngestArgs,
) -> anyhow::Result<IngestSummary> {
    let index = FoiaIndex::open_or_create(dir)?;
    let jobs = args
        .jobs
        .map(usize::from)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |cores| cores.get()));
    if args.retry_failed {
        let manifest = FailureManifest::load(&index.path)
            .with_context(|| format!("cannot read the failures of {}", index.path.display()))?;
        // A member of an archive is retried by reading its archive again; the
        // members that were indexed are then unchanged.
        inputs.extend(manifest.paths().map(|path| {
            let file = path
                .split_once(MEMBER_SEPARATOR)
                .map_or(path, |(archive, _)| archive);
            PathBuf::from(file)
        }));
    }
    let options = IngestOptions {
        inputs,
        listed: args.plan.is_some(),
        jobs,
        progress: !args.quiet && args.progress == Progress::Bar && std::io::stderr().is_terminal(),
        writer_heap_bytes: usize::try_from(args.memory * 1024 * 1024).unwrap_or(usize::MAX),
        password: args.password.password.clone(),
        file_timeout: Some(Duration::from_secs(args.file_timeout)),
        commit_every_files: args.commit_every,
        ocr: OcrOptions {
            mode: args.ocr.ocr,
            languages: args.ocr.ocr_lang.clone(),
            cache: Some(index.path.join(OCR_CACHE)),
            ..OcrOptions::default()
        },
    };
    let ndjson = args.progress == Progress::Ndjson;
    let summary = pipeline::ingest(&index, &options, |notice| {
        if ndjson {
            if let Some(line) = event_json(&notice) {
                eprintln!("{line}");
            }
            return;
        }
        match notice {
            Notice::Failed(failure) => eprintln!(
                "foia: error: {}: {}",
                failure.path.display(),
                failure.message
            ),
            Notice::ScansNotRead {
                path,
                pages,
                reason,
            } => {
                eprintln!(
                    "foia: warning: {path}: {pages} scanned pages indexed without text: {reason}"
                )
            }
            Notice::File(_) | Notice::Totals(_) => {}
        }
    })
    .with_context(|| format!("ingest into {} failed", dir.display()))?;
    if ndjson {
        eprintln!("{}", summary_json(&summary));
    } else {
        eprintln!("{}", summary_line(&summary));
    }
    Ok(summary)
}

/// A `--progress ndjson` line for a notice; failures are told by their `file` event.
fn event_json(notice: &Notice) -> Option<serde_json::Value> {
    use serde_json::json;
    Some(match notice {
        Notice::File(FileOutcome::Indexed {
            path,
            pages,
            ocr_pages,
        }) => {
            json!({ "event": "file", "path": path, "outcome": "indexed", "pages": pages, "ocr_pages": ocr_pages })
        }
        Notice::File(FileOutcome::Unchanged { path }) => {
            json!({ "event": "file", "path": path, "outcome": "unchanged" })
        }
        Notice::File(FileOutcome::NotPdf { path }) => {
            json!({ "event": "file", "path": path, "outcome": "not-pdf" })
        }
        Notice::File(FileOutcome::Failed {
            path,
            reason,
            message,
        }) => {
            json!({ "event": "file", "path": path, "outcome": "failed", "reason": reason, "message": message })
        }
        Notice::ScansNotRead {
            path,
            pages,
            reason,
        } => json!({ "event": "warning", "path": path, "pages": pages, "reason": reason }),
        Notice::Totals(totals) => {
            let mut line = serde_json::to_value(totals).ok()?;
            line["event"] = json!("totals");
            line
        }
        Notice::Failed(_) => return None,
    })
}

/// The summary as the last `--progress ndjson` line.
fn summary_json(summary: &IngestSummary) -> serde_json::Value {
    serde_json::json!({
        "event": "summary",
        "files_indexed": summary.files_indexed,
        "pages_indexed": summary.pages_indexed,
        "pages_ocr": summary.pages_ocr,
        "scans_not_read": summary.scans_not_read,
        "unchanged": summary.unchanged,
        "failed": summary.failed,
        "not_pdf_ignored": summary.not_pdf_ignored,
        "seconds": summary.seconds,
        "peak_rss_bytes": summary.peak_rss_bytes,
    })
}

/// The one line that ends every ingest.
fn summary_line(summary: &IngestSummary) -> String {
    let ignored = match summary.not_pdf_ignored {
        0 => String::new(),
        count => format!(", {count} non-PDF files ignored"),
    };
    let memory = match summary.peak_rss_bytes {
        Some(bytes) => format!(", peak memory {} MiB", bytes.div_ceil(1024 * 1024)),
        None => String::new(),
    };
    let ocr = match (summary.pages_ocr, summary.scans_not_read) {
        (0, 0) => String::new(),
        (read, 0) => format!(", {read} pages OCR'd"),
        (read, unread) => format!(", {read} pages OCR'd, {unread} scanned pages not"),
    };
    format!(
        "foia: indexed {} files ({} pages{ocr}), {} unchanged, {} failed{ignored} in {:.2} s{memory}",
        summary.files_indexed,
        summary.pages_indexed,
        summary.unchanged,
        summary.failed,
        summary.seconds
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_line_names_every_count() {
        let summary = IngestSummary {
            files_indexed: 3,
            pages_indexed: 7,
            unchanged: 2,
            failed: 1,
            not_pdf_ignored: 4,
            pages_ocr: 0,
            scans_not_read: 0,
            seconds: 0.5,
            peak_rss_bytes: Some(85 * 1024 * 1024 + 1),
        };
        assert_eq!(
            summary_line(&summary),
            "foia: indexed 3 files (7 pages), 2 unchanged, 1 failed, 4 non-PDF files ignored in 0.50 s, peak memory 86 MiB"
        );
    }
}
