//! Shards ingested apart (`foia ingest --plan P --shard K`) joined into one ordinary
//! index: the checks that they belong together come first (one plan, every shard
//! present and complete, this foia's version and schema, no document in two shards),
//! then Tantivy's own merge of their segments, then their failure manifests and OCR
//! caches. The index is built under `<into>.partial` and renamed when complete.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;

use super::ledger::FAILURES_FILE;
use super::{FoiaIndex, OCR_CACHE};
use crate::hash::sha256_hex;

/// What a shard index records about itself (`shard.json`), so that a rerun of a
/// finished shard does nothing and a merge can check the shards belong together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardRecord {
    /// sha256 of the plan file's bytes.
    pub plan_hash: String,
    pub shard: usize,
    pub shards: usize,
    pub foia_version: String,
    /// sha256 of the index schema: shards of different schemas cannot be merged.
    pub schema_fingerprint: String,
    pub files: usize,
    pub pages: usize,
    pub failures: usize,
}

/// The file in a shard index that says it is complete.
pub const SHARD_RECORD: &str = "shard.json";

/// sha256 of the index schema as this foia builds it.
pub fn schema_fingerprint() -> String {
    let (schema, _) = super::schema::build();
    sha256_hex(&serde_json::to_vec(&schema).unwrap_or_default())
}

/// What a merge joined.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeSummary {
    pub shards: usize,
    pub files: usize,
    pub pages: usize,
    pub failures: usize,
    /// Shards of the plan that were not given (only with `allow_partial`).
    pub missing: Vec<usize>,
}

/// Why shards cannot be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("{0} is not a complete shard (no readable {SHARD_RECORD}): ingest it again")]
    Incomplete(PathBuf),
    #[error("{0} and {1} come from different plans")]
    OtherPlan(PathBuf, PathBuf),
    #[error("{0} was made by foia {1}, this is foia {2}: ingest it again with this version")]
    Version(PathBuf, String, String),
    #[error("{0} has another index schema than this foia's: ingest it again with this version")]
    Schema(PathBuf),
    #[error("shard {0} is given twice: {1} and {2}")]
    TwiceGiven(usize, PathBuf, PathBuf),
    #[error("shards missing from the plan: {0} (or merge with --allow-partial)")]
    Missing(String),
    #[error("{path} is in two shards: {first} and {second}")]
    DocumentTwice {
        path: String,
        first: PathBuf,
        second: PathBuf,
    },
    #[error("{0} already exists: merge into a new folder")]
    Exists(PathBuf),
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("{0}")]
    Index(#[from] super::IndexError),
    #[error("merging the segments failed: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// Merges the shard indexes in `shards` into a new index at `into`.
pub fn merge_shards(
    shards: &[PathBuf],
    into: &Path,
    allow_partial: bool,
) -> Result<MergeSummary, MergeError> {
    let records = check(shards, allow_partial)?;
    if into.exists() {
        return Err(MergeError::Exists(into.to_path_buf()));
    }
    let opened = shards
        .iter()
        .map(|dir| FoiaIndex::open(dir))
        .collect::<Result<Vec<_>, _>>()?;
    no_document_twice(shards, &opened)?;

    let partial = PathBuf::from(format!("{}.partial", into.display()));
    if partial.exists() {
        std::fs::remove_dir_all(&partial)
            .map_err(|error| MergeError::Io(partial.clone(), error))?;
    }
    std::fs::create_dir_all(&partial).map_err(|error| MergeError::Io(partial.clone(), error))?;
    let indices: Vec<tantivy::Index> = opened.into_iter().map(|index| index.index).collect();
    let directory = MmapDirectory::open(&partial)
        .map_err(|error| MergeError::Tantivy(tantivy::TantivyError::from(error)))?;
    tantivy::indexer::merge_indices(&indices, directory)?;
    drop(indices);

    let mut failures = Vec::new();
    for dir in shards {
        if let Ok(text) = std::fs::read_to_string(dir.join(FAILURES_FILE)) {
            failures.extend(text.lines().map(str::to_string));
        }
        copy_cache(&dir.join(OCR_CACHE), &partial.join(OCR_CACHE))?;
    }
    if !failures.is_empty() {
        let path = partial.join(FAILURES_FILE);
        std::fs::write(&path, failures.join("\n") + "\n")
            .map_err(|error| MergeError::Io(path, error))?;
    }
    std::fs::rename(&partial, into).map_err(|error| MergeError::Io(into.to_path_buf(), error))?;
    let plan_shards = records.first().map_or(0, |record| record.shards);
    let given: Vec<usize> = records.iter().map(|record| record.shard).collect();
    Ok(MergeSummary {
        shards: records.len(),
        files: records.iter().map(|record| record.files).sum(),
        pages: records.iter().map(|record| record.pages).sum(),
        failures: failures.len(),
        missing: (0..plan_shards)
            .filter(|shard| !given.contains(shard))
            .collect(),
    })
}

/// Reads every shard's record and checks that they are one plan's, made by this foia,
/// each shard once, and (unless `allow_partial`) all of them.
fn check(shards: &[PathBuf], allow_partial: bool) -> Result<Vec<ShardRecord>, MergeError> {
    let mut records = Vec::with_capacity(shards.len());
    let mut by_number: BTreeMap<usize, &PathBuf> = BTreeMap::new();
    let version = env!("CARGO_PKG_VERSION");
    let schema = schema_fingerprint();
    for dir in shards {
        let record: ShardRecord = std::fs::read(dir.join(SHARD_RECORD))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or_else(|| MergeError::Incomplete(dir.clone()))?;
        if let Some((first, first_record)) = shards.first().zip(records.first()) {
            let first_record: &ShardRecord = first_record;
            if record.plan_hash != first_record.plan_hash || record.shards != first_record.shards {
                return Err(MergeError::OtherPlan(first.clone(), dir.clone()));
            }
        }
        if record.foia_version != version {
            return Err(MergeError::Version(
                dir.clone(),
                record.foia_version,
                version.to_string(),
            ));
        }
        if record.schema_fingerprint != schema {
            return Err(MergeError::Schema(dir.clone()));
        }
        if let Some(other) = by_number.insert(record.shard, dir) {
            return Err(MergeError::TwiceGiven(
                record.shard,
                other.clone(),
                dir.clone(),
            ));
        }
        records.push(record);
    }
    let plan_shards = records.first().map_or(0, |record| record.shards);
    let missing: Vec<String> = (0..plan_shards)
        .filter(|shard| !by_number.contains_key(shard))
        .map(|shard| shard.to_string())
        .collect();
    if !missing.is_empty() && !allow_partial {
        return Err(MergeError::Missing(missing.join(", ")));
    }
    Ok(records)
}

/// Fails when one file (by its path, as the index keys files) is in more than one
/// shard, read from each shard's term dictionary of `path`, not from its stored
/// pages. The same bytes under two paths are two files, as in a single ingest.
fn no_document_twice(shards: &[PathBuf], opened: &[FoiaIndex]) -> Result<(), MergeError> {
    let mut seen: HashMap<Vec<u8>, usize> = HashMap::new();
    for (number, index) in opened.iter().enumerate() {
        let reader = index.index.reader()?;
        let searcher = reader.searcher();
        for segment in searcher.segment_readers() {
            let terms = segment.inverted_index(index.fields.path)?;
            let mut stream = terms
                .terms()
                .stream()
                .map_err(|error| MergeError::Io(shards[number].clone(), error))?;
            while stream.advance() {
                let path = stream.key().to_vec();
                match seen.insert(path.clone(), number) {
                    Some(first) if first != number => {
                        return Err(MergeError::DocumentTwice {
                            path: String::from_utf8_lossy(&path).into_owned(),
                            first: shards[first].clone(),
                            second: shards[number].clone(),
                        });
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(())
}

/// Copies the cached OCR results of a shard; entries are named by content, so one
/// already there is the same.
fn copy_cache(from: &Path, to: &Path) -> Result<(), MergeError> {
    let Ok(entries) = std::fs::read_dir(from) else {
        return Ok(());
    };
    std::fs::create_dir_all(to).map_err(|error| MergeError::Io(to.to_path_buf(), error))?;
    for entry in entries.flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_cache(&entry.path(), &target)?;
        } else if !target.exists() {
            std::fs::copy(entry.path(), &target).map_err(|error| MergeError::Io(target, error))?;
        }
    }
    Ok(())
}
