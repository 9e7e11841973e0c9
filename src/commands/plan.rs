//! `foia plan PATH... --shards N [--out plan.jsonl]`
//!
//! Walks the inputs once and writes a plan (see [`crate::plan`]): a header line with
//! the totals, then one line per file with its shard. Inputs that cannot be walked
//! get an error line each (exit 1), like an ingest; the plan holds the rest.

use std::io::Write;

use anyhow::Context;

use super::Status;
use crate::cli::PlanArgs;
use crate::plan::Plan;

pub fn run(args: &PlanArgs) -> anyhow::Result<Status> {
    let (plan, failures) = Plan::make(&args.paths, args.shards);
    for failure in &failures {
        eprintln!(
            "foia: error: {}: {}",
            failure.path.display(),
            failure.message
        );
    }
    let text = plan.to_jsonl();
    match &args.out {
        Some(out) => {
            std::fs::write(out, text).with_context(|| format!("cannot write {}", out.display()))?
        }
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    let bytes = plan.shard_bytes();
    eprintln!(
        "foia: planned {} files ({} MiB) into {} shards of {}-{} MiB",
        plan.files.len(),
        bytes.iter().sum::<u64>().div_ceil(1024 * 1024),
        plan.shards,
        bytes.iter().min().unwrap_or(&0).div_ceil(1024 * 1024),
        bytes.iter().max().unwrap_or(&0).div_ceil(1024 * 1024),
    );
    Ok(if failures.is_empty() {
        Status::Success
    } else {
        Status::Partial
    })
}
