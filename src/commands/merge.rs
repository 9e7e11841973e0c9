//! `foia merge SHARD... --into DIR [--allow-partial]`
//!
//! Joins shard indexes into one ordinary index that `foia search` and `foia serve`
//! open, new or existing (see [`crate::index::merge`]). Shards that do not belong together stop it
//! before anything is written (exit 2); missing shards are named, and merged anyway
//! only with `--allow-partial` (exit 1).

use anyhow::Context;

use super::Status;
use crate::cli::MergeArgs;
use crate::index::merge::merge_shards;

pub fn run(args: &MergeArgs) -> anyhow::Result<Status> {
    let started = std::time::Instant::now();
    let summary = merge_shards(&args.shards, &args.into, args.allow_partial)
        .with_context(|| format!("cannot merge into {}", args.into.display()))?;
    let missing = match summary.missing.as_slice() {
        [] => String::new(),
        shards => format!(
            "; shards missing: {}",
            shards
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let kept = match (summary.unchanged, summary.replaced) {
        (0, 0) => String::new(),
        (unchanged, replaced) => {
            format!(
                "; {unchanged} files already indexed with the same bytes kept, {replaced} replaced"
            )
        }
    };
    eprintln!(
        "foia: merged {} shards ({} files, {} pages, {} failures) into {} in {:.2} s{kept}{missing}",
        summary.shards,
        summary.files,
        summary.pages,
        summary.failures,
        args.into.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(if summary.missing.is_empty() {
        Status::Success
    } else {
        Status::Partial
    })
}
