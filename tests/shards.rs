//! `foia ingest --plan P --shard K`: each shard of a plan becomes a standalone index
//! with a `shard.json`, together holding exactly the pages of a single ingest; a
//! finished shard is not done again, a killed one starts from nothing, `--shard env`
//! reads the scheduler's array index, and mistakes are refused with exit code 2.
//! `foia merge` joins them into an index that answers as the single ingest does, and
//! refuses missing shards (unless told), other plans and a file in two shards.

mod common;

use std::path::Path;
use std::process::Command;

use common::{corpus_dir, foia, indexed_pages, ingest_text_layers, search_json};

fn run_shard(plan: &Path, shard: &str, index: &Path, env: &[(&str, &str)]) -> common::Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_foia"));
    command
        .args(["ingest", "--ocr", "never", "--plan"])
        .arg(plan)
        .args(["--shard", shard, "--index"])
        .arg(index)
        .env_remove("JOB_COMPLETION_INDEX")
        .env_remove("SLURM_ARRAY_TASK_ID")
        .env_remove("FOIA_INDEX");
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().expect("foia runs");
    common::Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn shards_of_a_plan_hold_the_pages_of_a_single_ingest() {
    let work = tempfile::tempdir().expect("temp dir");
    let plan = work.path().join("plan.jsonl");
    let corpus = corpus_dir();
    let made = foia([
        "plan",
        corpus.to_str().expect("UTF-8"),
        "--shards",
        "3",
        "--out",
        plan.to_str().expect("UTF-8"),
    ]);
    assert_eq!(made.code, 0, "{}", made.stderr);

    // A killed run of shard 0 left its temporary index behind.
    let leftover = work.path().join("shard-0.partial");
    std::fs::create_dir_all(&leftover).expect("leftover");
    std::fs::write(leftover.join("meta.json"), b"half written").expect("leftover file");

    let shard = |k: usize| work.path().join(format!("shard-{k}"));
    let mut together = std::collections::BTreeMap::new();
    for k in 0..3 {
        // Shard 1 as a Kubernetes Indexed Job, shard 2 as a Slurm array task.
        let run = match k {
            1 => run_shard(&plan, "env", &shard(k), &[("JOB_COMPLETION_INDEX", "1")]),
            2 => run_shard(&plan, "env", &shard(k), &[("SLURM_ARRAY_TASK_ID", "2")]),
            _ => run_shard(&plan, &k.to_string(), &shard(k), &[]),
        };
        assert_eq!(run.code, 0, "shard {k}: {}", run.stderr);
        let record: serde_json::Value = serde_json::from_slice(
            &std::fs::read(shard(k).join("shard.json")).expect("shard.json"),
        )
        .expect("JSON");
        assert_eq!(record["shard"], k);
        assert_eq!(record["shards"], 3);
        assert_eq!(record["failures"], 0);
        assert_eq!(record["plan_hash"].as_str().map(str::len), Some(64));
        let pages = indexed_pages(&shard(k));
        assert_eq!(record["files"], pages.len());
        assert_eq!(record["pages"], pages.values().map(Vec::len).sum::<usize>());
        for (path, numbers) in pages {
            assert!(
                together.insert(path, numbers).is_none(),
                "a file in two shards"
            );
        }
    }
    assert!(!leftover.exists(), "the temporary index is gone");
    let single = work.path().join("single");
    assert_eq!(ingest_text_layers(&single, &[&corpus]).code, 0);
    assert_eq!(together, indexed_pages(&single));

    // A finished shard is not done again.
    let record = std::fs::read(shard(1).join("shard.json")).expect("shard.json");
    let again = run_shard(&plan, "1", &shard(1), &[]);
    assert_eq!(again.code, 0);
    assert!(
        again.stderr.contains("already complete"),
        "{}",
        again.stderr
    );
    assert_eq!(
        std::fs::read(shard(1).join("shard.json")).expect("shard.json"),
        record
    );

    // Mistakes are refused, not retried (exit 2).
    for (run, says) in [
        (
            run_shard(&plan, "3", &work.path().join("x"), &[]),
            "shards are 0-2",
        ),
        (
            run_shard(&plan, "0", &shard(1), &[]),
            "holds shard 1 of this plan, not shard 0",
        ),
        (
            run_shard(&plan, "env", &work.path().join("y"), &[]),
            "JOB_COMPLETION_INDEX",
        ),
        (
            run_shard(
                &corpus.join("invoice.pdf"),
                "0",
                &work.path().join("z"),
                &[],
            ),
            "not a foia plan",
        ),
    ] {
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains(says), "{}", run.stderr);
    }

    // Merged, the shards answer as the single ingest does.
    let merged = work.path().join("merged");
    let dirs: Vec<String> = (0..3)
        .map(|k| shard(k).to_str().expect("UTF-8").to_string())
        .collect();
    let into = merged.to_str().expect("UTF-8");
    let mut args = vec!["merge"];
    args.extend(dirs.iter().map(String::as_str));
    args.extend(["--into", into]);
    let run = foia(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(indexed_pages(&merged), indexed_pages(&single));
    for query in [
        "license",
        "vendor:\"Vigilant Solutions\"",
        "amount:>=1000000",
    ] {
        let hits = |index: &Path| -> Vec<(String, u64)> {
            search_json(index, query)
                .iter()
                .map(|hit| {
                    (
                        hit["doc_id"].as_str().expect("doc_id").to_string(),
                        hit["page"].as_u64().expect("page"),
                    )
                })
                .collect()
        };
        let (ours, theirs) = (hits(&merged), hits(&single));
        assert!(!ours.is_empty(), "{query}");
        assert_eq!(
            ours.iter().collect::<std::collections::BTreeSet<_>>(),
            theirs.iter().collect::<std::collections::BTreeSet<_>>(),
            "{query}"
        );
    }
    let csv = |index: &Path| {
        let run = foia([
            "entities",
            "--index",
            index.to_str().expect("UTF-8"),
            "--format",
            "csv",
        ]);
        let mut rows: Vec<String> = run.stdout.lines().map(str::to_string).collect();
        rows.sort();
        rows
    };
    assert_eq!(csv(&merged), csv(&single));

    // Refused: a missing shard (named), a folder that exists, a file in two shards.
    let partial_into = work.path().join("partial");
    let run = foia([
        "merge",
        &dirs[0],
        &dirs[2],
        "--into",
        partial_into.to_str().expect("UTF-8"),
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("shards missing from the plan: 1"),
        "{}",
        run.stderr
    );
    assert!(!partial_into.exists());
    let run = foia([
        "merge",
        &dirs[0],
        &dirs[2],
        "--into",
        partial_into.to_str().expect("UTF-8"),
        "--allow-partial",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("shards missing: 1"), "{}", run.stderr);
    let run = foia(["merge", &dirs[0], "--into", into, "--allow-partial"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    let stray = corpus.join("invoice.pdf");
    assert_eq!(ingest_text_layers(&shard(0), &[&stray]).code, 0);
    assert_eq!(ingest_text_layers(&shard(1), &[&stray]).code, 0);
    let twice = work.path().join("twice");
    let mut args = vec!["merge"];
    args.extend(dirs.iter().map(String::as_str));
    args.extend(["--into", twice.to_str().expect("UTF-8")]);
    let run = foia(&args);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("invoice.pdf is in two shards"),
        "{}",
        run.stderr
    );
}
