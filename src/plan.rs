//! A plan splits the files of a dump into shards that separate `foia ingest` runs
//! (on separate machines) can take one each: every file once, shards balanced by
//! bytes, and the same plan for the same files whatever order they were named in.
//!
//! As JSON lines: a header `{"foia_plan":1,"shards":N,"files":F,"bytes":B,
//! "shard_files":[...],"shard_bytes":[...]}`, then one `{"path","bytes","shard"}` per
//! file, sorted by path. A zip archive is one file: its members go where it goes.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::hash::sha256_hex;
use crate::pipeline::{self, FileFailure};

/// The shard a `--shard` value names: a number, or `env` for the array-job index
/// a scheduler sets.
pub fn shard_number(value: &str) -> Result<usize, String> {
    let (text, from) = if value == "env" {
        let found = ["JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID"]
            .into_iter()
            .find_map(|name| Some((std::env::var(name).ok()?, name)));
        found.ok_or("--shard env: neither JOB_COMPLETION_INDEX nor SLURM_ARRAY_TASK_ID is set")?
    } else {
        (value.to_string(), "--shard")
    };
    text.trim()
        .parse()
        .map_err(|_| format!("{from} is {text:?}, not a shard number"))
}

/// The version of the plan format, in its header.
pub const PLAN_FORMAT: u32 = 1;

/// One file of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedFile {
    /// Absolute, as the index stores it.
    pub path: String,
    pub bytes: u64,
    /// 0-based.
    pub shard: usize,
}

/// Files assigned to shards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub shards: usize,
    /// Sorted by path.
    pub files: Vec<PlannedFile>,
}

/// The plan's first line.
#[derive(Debug, Serialize, Deserialize)]
struct Header {
    foia_plan: u32,
    shards: usize,
    files: usize,
    bytes: u64,
    shard_files: Vec<usize>,
    shard_bytes: Vec<u64>,
}

impl Plan {
    /// Plans the files under `inputs` into `shards` shards: the largest file first,
    /// each onto the shard with the fewest bytes so far (the lowest-numbered among
    /// equals), which keeps every shard within one file's size of the others.
    /// Inputs that cannot be walked or read are returned as failures.
    pub fn make(inputs: &[PathBuf], shards: usize) -> (Plan, Vec<FileFailure>) {
        let shards = shards.max(1);
        let (paths, mut failures) = pipeline::input_files(inputs);
        let mut sized = Vec::with_capacity(paths.len());
        for path in paths {
            match std::fs::metadata(&path) {
                Ok(metadata) => sized.push((path.to_string_lossy().into_owned(), metadata.len())),
                Err(error) => failures.push(FileFailure {
                    path: path.clone(),
                    absolute: path,
                    sha256: None,
                    reason: "io",
                    message: error.to_string(),
                }),
            }
        }
        sized.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut load = vec![0u64; shards];
        let mut files: Vec<PlannedFile> = sized
            .into_iter()
            .map(|(path, bytes)| {
                let shard = (0..shards)
                    .min_by_key(|&shard| (load[shard], shard))
                    .unwrap_or(0);
                load[shard] += bytes;
                PlannedFile { path, bytes, shard }
            })
            .collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        (Plan { shards, files }, failures)
    }

    /// Reads a plan file, returning it with the sha256 of its bytes.
    pub fn read(path: &Path) -> Result<(Plan, String), String> {
        let bytes = std::fs::read(path).map_err(|error| format!("{}: {error}", path.display()))?;
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| format!("{}: not a foia plan (not UTF-8 text)", path.display()))?;
        let mut lines = text.lines();
        let header: Header = lines
            .next()
            .and_then(|line| serde_json::from_str(line).ok())
            .filter(|header: &Header| header.foia_plan == PLAN_FORMAT)
            .ok_or_else(|| format!("{}: not a foia plan (no plan header)", path.display()))?;
        let files = lines
            .enumerate()
            .map(|(number, line)| {
                serde_json::from_str::<PlannedFile>(line)
                    .ok()
                    .filter(|file| file.shard < header.shards)
                    .ok_or_else(|| {
                        format!(
                            "{}: line {} is not a planned file",
                            path.display(),
                            number + 2
                        )
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if files.len() != header.files {
            return Err(format!(
                "{}: the header counts {} files, the plan lists {}",
                path.display(),
                header.files,
                files.len()
            ));
        }
        Ok((
            Plan {
                shards: header.shards,
                files,
            },
            sha256_hex(&bytes),
        ))
    }

    /// The paths of shard `shard`'s files.
    pub fn shard_paths(&self, shard: usize) -> Vec<PathBuf> {
        self.files
            .iter()
            .filter(|file| file.shard == shard)
            .map(|file| PathBuf::from(&file.path))
            .collect()
    }

    /// Bytes per shard.
    pub fn shard_bytes(&self) -> Vec<u64> {
        let mut bytes = vec![0; self.shards];
        for file in &self.files {
            bytes[file.shard] += file.bytes;
        }
        bytes
    }

    /// The plan as JSON lines, header first.
    pub fn to_jsonl(&self) -> String {
        let mut shard_files = vec![0; self.shards];
        for file in &self.files {
            shard_files[file.shard] += 1;
        }
        let shard_bytes = self.shard_bytes();
        let header = Header {
            foia_plan: PLAN_FORMAT,
            shards: self.shards,
            files: self.files.len(),
            bytes: shard_bytes.iter().sum(),
            shard_files,
            shard_bytes,
        };
        let mut text = String::new();
        for line in std::iter::once(serde_json::to_string(&header))
            .chain(self.files.iter().map(serde_json::to_string))
        {
            // Plain structs of strings and numbers always serialise.
            text.push_str(&line.unwrap_or_default());
            text.push('\n');
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_balanced_and_every_file_is_in_one() {
        let work = tempfile::tempdir().expect("temp dir");
        for (name, size) in [("a", 700), ("b", 500), ("c", 400), ("d", 300), ("e", 100)] {
            std::fs::write(work.path().join(name), vec![b'x'; size]).expect("write");
        }
        let (plan, failures) = Plan::make(&[work.path().to_path_buf()], 2);
        assert!(failures.is_empty());
        assert_eq!(plan.files.len(), 5);
        // 700 -> 0; 500 -> 1; 400 -> 1 (900); 300 -> 0 (1000); 100 -> 1 (1000).
        assert_eq!(plan.shard_bytes(), [1000, 1000]);
        let shards: Vec<usize> = plan.files.iter().map(|file| file.shard).collect();
        assert_eq!(shards, [0, 1, 1, 0, 1]);
    }
}
