//! What an ingest leaves beside the index for the next run and for `foia status`:
//! `failures.jsonl`, one JSON line per file that could not be indexed (so a batch job
//! can see exactly what is missing and `ingest --retry-failed` can try just those),
//! and `last-ingest.json`, the summary of the last finished ingest.
//!
//! Both are rewritten whole through a temporary file and a rename, so a run killed
//! mid-write leaves the previous version, never half a file.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The failure manifest, in the index folder.
pub const FAILURES_FILE: &str = "failures.jsonl";
pub const LAST_INGEST_FILE: &str = "last-ingest.json";

/// One failed file, as a line of `failures.jsonl`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailureRecord {
    /// Absolute path; `archive.zip!/inner/file.pdf` for a member of an archive.
    pub path: String,
    /// sha256 of the bytes, when they could be read.
    pub sha256: Option<String>,
    /// One of `not-pdf`, `corrupt`, `encrypted`, `timeout`, `too-large`, `panic`, `io`.
    pub reason: String,
    pub message: String,
    /// When it failed, RFC 3339 UTC.
    pub failed_at: String,
}

/// The failures of an index, keyed by path: a file that fails again replaces its line,
/// a file indexed later loses it.
#[derive(Debug, Default)]
pub struct FailureManifest {
    path: PathBuf,
    records: BTreeMap<String, FailureRecord>,
    changed: bool,
}

impl FailureManifest {
    /// Reads `failures.jsonl` of the index in `dir`; missing means no failures. Lines
    /// that do not parse (a hand edit) are skipped.
    pub fn load(dir: &Path) -> std::io::Result<FailureManifest> {
        let path = dir.join(FAILURES_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(error) => return Err(error),
        };
        let records = text
            .lines()
            .filter_map(|line| serde_json::from_str::<FailureRecord>(line).ok())
            .map(|record| (record.path.clone(), record))
            .collect();
        Ok(FailureManifest {
            path,
            records,
            changed: false,
        })
    }

    /// Records that `record.path` failed.
    pub fn failed(&mut self, record: FailureRecord) {
        self.records.insert(record.path.clone(), record);
        self.changed = true;
    }

    /// Records that `path` is now indexed (or was never meant to be): no failure.
    pub fn succeeded(&mut self, path: &str) {
        self.changed |= self.records.remove(path).is_some();
    }

    /// Paths of every recorded failure, for `--retry-failed`.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.records.keys().map(String::as_str)
    }

    /// Every recorded failure, by path.
    pub fn records(&self) -> impl Iterator<Item = &FailureRecord> {
        self.records.values()
    }

    /// Writes the manifest if anything changed since it was loaded or last saved.
    pub fn save(&mut self) -> std::io::Result<()> {
        if !self.changed {
            return Ok(());
        }
        let mut text = String::new();
        for record in self.records.values() {
            if let Ok(line) = serde_json::to_string(record) {
                text.push_str(&line);
                text.push('\n');
            }
        }
        replace_file(&self.path, text.as_bytes())?;
        self.changed = false;
        Ok(())
    }
}

/// The summary of the last finished ingest, for `foia status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LastIngest {
    /// When it finished, RFC 3339 UTC.
    pub finished_at: String,
    pub files_indexed: usize,
    pub pages_indexed: usize,
    pub unchanged: usize,
    pub failed: usize,
    pub seconds: f64,
}

impl LastIngest {
    /// The last ingest into the index in `dir`, if one finished.
    pub fn load(dir: &Path) -> Option<LastIngest> {
        let text = std::fs::read_to_string(dir.join(LAST_INGEST_FILE)).ok()?;
        serde_json::from_str(&text).ok()
    }

    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        let json = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        replace_file(&dir.join(LAST_INGEST_FILE), json.as_bytes())
    }
}

/// The current time as RFC 3339 UTC, to the second.
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename,
/// which replaces the old file in one step.
fn replace_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let temporary = path.with_extension("tmp");
    let mut file = std::fs::File::create(&temporary)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&temporary, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(path: &str, reason: &str) -> FailureRecord {
        FailureRecord {
            path: path.to_string(),
            sha256: None,
            reason: reason.to_string(),
            message: "m".to_string(),
            failed_at: now_rfc3339(),
        }
    }

    #[test]
    fn failures_survive_a_reload_and_leave_when_fixed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut manifest = FailureManifest::load(dir.path()).expect("empty manifest");
        manifest.failed(record("/a.pdf", "corrupt"));
        manifest.failed(record("/b.pdf", "encrypted"));
        manifest.failed(record("/a.pdf", "timeout"));
        manifest.save().expect("saved");
        let mut reloaded = FailureManifest::load(dir.path()).expect("reloaded");
        let reasons: Vec<(&str, &str)> = reloaded
            .records()
            .map(|r| (r.path.as_str(), r.reason.as_str()))
            .collect();
        assert_eq!(reasons, [("/a.pdf", "timeout"), ("/b.pdf", "encrypted")]);
        reloaded.succeeded("/a.pdf");
        reloaded.save().expect("saved");
        let text = std::fs::read_to_string(dir.path().join(FAILURES_FILE)).expect("file");
        assert_eq!(text.lines().count(), 1);
        assert!(text.contains("\"/b.pdf\""));
    }

    #[test]
    fn timestamps_are_rfc3339_utc() {
        let now = now_rfc3339();
        assert_eq!(now.len(), "2026-11-28T03:00:00Z".len(), "{now}");
        assert!(now.ends_with('Z'));
    }
}
