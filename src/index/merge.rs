//! Shards ingested apart (`foia ingest --plan P --shard K`) joined into one ordinary
//! index, new or existing: the checks that they belong together come first (one plan,
//! every shard present and complete, this foia's version and schema, no document in
//! two shards), then Tantivy's own merge of their segments (and of the existing
//! index's, less the pages an ingest would drop), then their failure manifests and OCR
//! caches. The index is built under `<into>.partial` and swapped in when complete.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::directory::{MmapDirectory, OwnedBytes};
use tantivy::fastfield::{write_alive_bitset, AliveBitSet};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{BitSet, DocSet, Segment, SegmentReader, Term, TERMINATED};

use super::ledger::{FailureManifest, FAILURES_FILE, LAST_INGEST_FILE};
use super::writer::KnownFiles;
use super::{stored_text_where, FoiaIndex, OCR_CACHE};
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
    /// Files of the shards now in the index: new ones and those whose bytes changed.
    pub files: usize,
    pub pages: usize,
    /// Files the index already held with the same bytes, kept as they were.
    pub unchanged: usize,
    /// Files the index held with other bytes, whose old pages were dropped.
    pub replaced: usize,
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
    #[error("{0} exists and is not a foia index: merge into an index or a new folder")]
    NotIndex(PathBuf),
    #[error("another foia ingest or merge is writing to {0}; wait for it to finish")]
    Busy(PathBuf),
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("{0}")]
    Index(#[from] super::IndexError),
    #[error("merging the segments failed: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// Merges the shard indexes in `shards` into the index at `into`: a new one, or one
/// that exists, which they add to as an ingest would. A file it already holds with the
/// same bytes keeps its pages (the shard's copy is skipped); one held with other bytes
/// has its old pages replaced. The result is built beside `into` and swapped in.
pub fn merge_shards(
    shards: &[PathBuf],
    into: &Path,
    allow_partial: bool,
) -> Result<MergeSummary, MergeError> {
    let records = check(shards, allow_partial)?;
    let existing = existing_index(into)?;
    let opened = shards
        .iter()
        .map(|dir| FoiaIndex::open(dir))
        .collect::<Result<Vec<_>, _>>()?;
    let files = files_of(shards, &opened)?;
    // Holding the existing index's writer lock keeps an ingest out while its pages
    // are read and rewritten.
    let lock = match &existing {
        Some(index) => Some(
            index
                .index
                .writer_with_num_threads::<tantivy::TantivyDocument>(1, LOCK_HEAP_BYTES)
                .map_err(|error| match error {
                    tantivy::TantivyError::LockFailure(..) => MergeError::Busy(into.to_path_buf()),
                    other => MergeError::Tantivy(other),
                })?,
        ),
        None => None,
    };
    let choice = choose(existing.as_ref(), &files)?;

    let partial = PathBuf::from(format!("{}.partial", into.display()));
    if partial.exists() {
        std::fs::remove_dir_all(&partial)
            .map_err(|error| MergeError::Io(partial.clone(), error))?;
    }
    std::fs::create_dir_all(&partial).map_err(|error| MergeError::Io(partial.clone(), error))?;

    let mut segments = Vec::new();
    let mut filters = Vec::new();
    let mut settings = None;
    let sources = existing
        .iter()
        .map(|index| (index, &choice.replaced))
        .chain(opened.iter().zip(&choice.unchanged));
    for (index, dropped) in sources {
        settings.get_or_insert_with(|| index.index.settings().clone());
        for segment in index.index.searchable_segments()? {
            filters.push(alive_without(&segment, index.fields.path, dropped)?);
            segments.push(segment);
        }
    }
    match settings {
        Some(settings) if !segments.is_empty() => {
            let directory = MmapDirectory::open(&partial)
                .map_err(|error| MergeError::Tantivy(tantivy::TantivyError::from(error)))?;
            tantivy::indexer::merge_filtered_segments(&segments, settings, filters, directory)?;
        }
        // Shards that hold no file (more shards than files) make an empty index.
        _ => drop(FoiaIndex::open_or_create(&partial)?),
    }
    drop(segments);

    if let Some(index) = &existing {
        for file in [FAILURES_FILE, LAST_INGEST_FILE] {
            let from = index.path.join(file);
            if from.is_file() {
                let to = partial.join(file);
                std::fs::copy(&from, &to).map_err(|error| MergeError::Io(to, error))?;
            }
        }
        copy_cache(&index.path.join(OCR_CACHE), &partial.join(OCR_CACHE))?;
    }
    let mut manifest = FailureManifest::load(&partial)
        .map_err(|error| MergeError::Io(partial.join(FAILURES_FILE), error))?;
    for (dir, indexed) in shards.iter().zip(&files) {
        let failed = FailureManifest::load(dir)
            .map_err(|error| MergeError::Io(dir.join(FAILURES_FILE), error))?;
        for record in failed.records() {
            manifest.failed(record.clone());
        }
        for path in indexed.keys() {
            manifest.succeeded(path);
        }
        copy_cache(&dir.join(OCR_CACHE), &partial.join(OCR_CACHE))?;
    }
    manifest
        .save()
        .map_err(|error| MergeError::Io(partial.join(FAILURES_FILE), error))?;
    let failures = manifest.records().count();
    drop(lock);
    swap_in(&partial, into, existing.is_some())?;

    let plan_shards = records.first().map_or(0, |record| record.shards);
    let given: Vec<usize> = records.iter().map(|record| record.shard).collect();
    let unchanged: usize = choice.unchanged.iter().map(HashSet::len).sum();
    let shard_files: usize = files.iter().map(BTreeMap::len).sum();
    Ok(MergeSummary {
        shards: records.len(),
        files: shard_files - unchanged,
        pages: choice.pages,
        unchanged,
        replaced: choice.replaced.len(),
        failures,
        missing: (0..plan_shards)
            .filter(|shard| !given.contains(shard))
            .collect(),
    })
}

/// The smallest heap Tantivy gives a writer: the merge takes the writer only for its
/// lock and adds nothing through it.
const LOCK_HEAP_BYTES: usize = 15_000_000;

/// The index already at `into`, if there is one; an empty folder counts as none, and
/// anything else there is refused rather than replaced.
fn existing_index(into: &Path) -> Result<Option<FoiaIndex>, MergeError> {
    if !into.exists() {
        return Ok(None);
    }
    if into.join("meta.json").is_file() {
        let index = FoiaIndex::open(into)?;
        let schema = sha256_hex(&serde_json::to_vec(&index.index.schema()).unwrap_or_default());
        if schema != schema_fingerprint() {
            return Err(MergeError::Schema(into.to_path_buf()));
        }
        return Ok(Some(index));
    }
    let empty = std::fs::read_dir(into)
        .map_err(|error| MergeError::Io(into.to_path_buf(), error))?
        .next()
        .is_none();
    if empty {
        std::fs::remove_dir(into).map_err(|error| MergeError::Io(into.to_path_buf(), error))?;
        return Ok(None);
    }
    Err(MergeError::NotIndex(into.to_path_buf()))
}

/// A shard's files: path to sha256 and number of pages.
type ShardFiles = BTreeMap<String, (String, usize)>;

/// What goes into the merged index, by path.
struct Choice {
    /// For each shard, its files the existing index holds with the same bytes.
    unchanged: Vec<HashSet<String>>,
    /// Files of the existing index that a shard holds with other bytes.
    replaced: HashSet<String>,
    /// Pages the shards bring in.
    pages: usize,
}

/// Applies the ingest's rule to each file of the shards: the same bytes already
/// indexed (and completely, see [`KnownFiles`]) are skipped, other bytes replace.
fn choose(existing: Option<&FoiaIndex>, files: &[ShardFiles]) -> Result<Choice, MergeError> {
    let known = existing.map(KnownFiles::snapshot).transpose()?;
    let mut choice = Choice {
        unchanged: Vec::with_capacity(files.len()),
        replaced: HashSet::new(),
        pages: 0,
    };
    for shard in files {
        let mut unchanged = HashSet::new();
        for (path, (doc_id, pages)) in shard {
            match &known {
                Some(known) if known.is_current(path, doc_id) => {
                    unchanged.insert(path.clone());
                    continue;
                }
                Some(known) if known.holds(path) => {
                    choice.replaced.insert(path.clone());
                }
                _ => {}
            }
            choice.pages += pages;
        }
        choice.unchanged.push(unchanged);
    }
    Ok(choice)
}

/// The documents of `segment` left after dropping every page of the files in
/// `dropped` (by path term), or `None` to keep them all.
fn alive_without(
    segment: &Segment,
    path: Field,
    dropped: &HashSet<String>,
) -> Result<Option<AliveBitSet>, MergeError> {
    if dropped.is_empty() {
        return Ok(None);
    }
    let reader = SegmentReader::open(segment)?;
    let terms = reader.inverted_index(path)?;
    let mut alive = BitSet::with_max_value_and_full(reader.max_doc());
    for file in dropped {
        let term = Term::from_field_text(path, file);
        let found = terms
            .read_postings(&term, IndexRecordOption::Basic)
            .map_err(tantivy::TantivyError::from)?;
        if let Some(mut postings) = found {
            while postings.doc() != TERMINATED {
                alive.remove(postings.doc());
                postings.advance();
            }
        }
    }
    let mut bytes = Vec::new();
    write_alive_bitset(&alive, &mut bytes).map_err(tantivy::TantivyError::from)?;
    Ok(Some(AliveBitSet::open(OwnedBytes::new(bytes))))
}

/// Puts the finished index in `partial` at `into`. An existing index is moved aside
/// first and removed after, so a crash in between leaves one of the two whole.
fn swap_in(partial: &Path, into: &Path, existing: bool) -> Result<(), MergeError> {
    if existing {
        let old = PathBuf::from(format!("{}.replaced", into.display()));
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(|error| MergeError::Io(old.clone(), error))?;
        }
        std::fs::rename(into, &old).map_err(|error| MergeError::Io(old.clone(), error))?;
        std::fs::rename(partial, into)
            .map_err(|error| MergeError::Io(into.to_path_buf(), error))?;
        std::fs::remove_dir_all(&old).map_err(|error| MergeError::Io(old, error))?;
    } else {
        std::fs::rename(partial, into)
            .map_err(|error| MergeError::Io(into.to_path_buf(), error))?;
    }
    Ok(())
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

/// The files of each shard (path to sha256 and page count), failing when one file (by
/// its path, as the index keys files) is in more than one shard. Paths come from each
/// shard's term dictionary of `path`, not from its stored pages. The same bytes under
/// two paths are two files, as in a single ingest.
fn files_of(shards: &[PathBuf], opened: &[FoiaIndex]) -> Result<Vec<ShardFiles>, MergeError> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut files = Vec::with_capacity(opened.len());
    for (number, index) in opened.iter().enumerate() {
        let searcher = index.index.reader()?.searcher();
        let mut pages: BTreeMap<String, usize> = BTreeMap::new();
        for segment in searcher.segment_readers() {
            let terms = segment.inverted_index(index.fields.path)?;
            let mut stream = terms
                .terms()
                .stream()
                .map_err(|error| MergeError::Io(shards[number].clone(), error))?;
            while stream.advance() {
                let path = String::from_utf8_lossy(stream.key()).into_owned();
                let mut postings = terms
                    .read_postings_from_terminfo(stream.value(), IndexRecordOption::Basic)
                    .map_err(tantivy::TantivyError::from)?;
                let mut alive = 0;
                while postings.doc() != TERMINATED {
                    alive += usize::from(!segment.is_deleted(postings.doc()));
                    postings.advance();
                }
                if alive > 0 {
                    *pages.entry(path).or_default() += alive;
                }
            }
        }
        let mut shard = BTreeMap::new();
        for (path, count) in pages {
            if let Some(first) = seen.insert(path.clone(), number) {
                return Err(MergeError::DocumentTwice {
                    path,
                    first: shards[first].clone(),
                    second: shards[number].clone(),
                });
            }
            let doc_id =
                stored_text_where(&searcher, index.fields.path, &path, index.fields.doc_id)
                    .unwrap_or_default();
            shard.insert(path, (doc_id, count));
        }
        files.push(shard);
    }
    Ok(files)
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
