//! `foia ingest --plan P --shard K`: each shard of a plan becomes a standalone index
//! with a `shard.json`, together holding exactly the pages of a single ingest; a
//! finished shard is not done again, a killed one starts from nothing, `--shard env`
//! reads the scheduler's array index, and mistakes are refused with exit code 2.
//! `foia merge` joins them into an index that answers as the single ingest does, and
//! refuses missing shards (unless told), other plans and a file in two shards; merged
//! into an existing index, shards add to it as an ingest of their files would.

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
    // Merged again into the index that holds it, a shard changes nothing.
    let run = foia(["merge", &dirs[0], "--into", into, "--allow-partial"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("(0 files, 0 pages"), "{}", run.stderr);
    assert_eq!(indexed_pages(&merged), indexed_pages(&single));
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

/// Each indexed file's sha256 and page numbers, by path.
fn files_and_pages(index: &Path) -> std::collections::BTreeMap<String, (String, Vec<u64>)> {
    use tantivy::schema::Value;
    let opened = foia::index::FoiaIndex::open(index).expect("index opens");
    let searcher = opened.index.reader().expect("reader").searcher();
    let addresses = searcher
        .search(
            &tantivy::query::AllQuery,
            &tantivy::collector::DocSetCollector,
        )
        .expect("all pages");
    let mut files = std::collections::BTreeMap::new();
    for address in addresses {
        let page: tantivy::TantivyDocument = searcher.doc(address).expect("stored page");
        let text = |field| {
            page.get_first(field)
                .and_then(|value| value.as_str().map(str::to_string))
                .expect("stored")
        };
        let number = page
            .get_first(opened.fields.page)
            .and_then(|value| value.as_u64())
            .expect("page stored");
        let entry = files
            .entry(text(opened.fields.path))
            .or_insert_with(|| (text(opened.fields.doc_id), Vec::new()));
        assert_eq!(entry.0, text(opened.fields.doc_id), "one sha256 per file");
        entry.1.push(number);
    }
    for (_, pages) in files.values_mut() {
        pages.sort_unstable();
    }
    files
}

#[test]
fn merging_into_an_existing_index_adds_as_an_ingest_would() {
    let work = tempfile::tempdir().expect("temp dir");
    let docs = work.path().join("docs");
    std::fs::create_dir_all(&docs).expect("docs");
    let corpus = corpus_dir();
    let put = |name: &str, from: &str| {
        std::fs::copy(corpus.join(from), docs.join(name)).expect("copy");
    };
    for name in ["invoice.pdf", "contract-award.pdf", "email-chain.pdf"] {
        put(name, name);
    }
    put("changing.pdf", "council-minutes.pdf");
    std::fs::write(docs.join("broken.pdf"), b"not a pdf at all").expect("broken");
    let base = work.path().join("base");
    let run = ingest_text_layers(&base, &[&docs]);
    assert_eq!(run.code, 1, "the broken file fails: {}", run.stderr);

    // Then one file's bytes change, the broken one is fixed and one is added.
    put("changing.pdf", "purchase-order.pdf");
    put("broken.pdf", "mou-data-sharing.pdf");
    put("new.pdf", "sheriff-press-release.pdf");

    // What an ingest of the folder into (a copy of) the index gives.
    let reference = work.path().join("reference");
    let copied = Command::new("cp")
        .arg("-a")
        .arg(&base)
        .arg(&reference)
        .status()
        .expect("cp runs");
    assert!(copied.success());
    assert_eq!(ingest_text_layers(&reference, &[&docs]).code, 0);

    let plan = work.path().join("plan.jsonl");
    let made = foia([
        "plan",
        docs.to_str().expect("UTF-8"),
        "--shards",
        "2",
        "--out",
        plan.to_str().expect("UTF-8"),
    ]);
    assert_eq!(made.code, 0, "{}", made.stderr);
    let mut args = vec!["merge".to_string()];
    for k in 0..2 {
        let shard = work.path().join(format!("shard-{k}"));
        let run = run_shard(&plan, &k.to_string(), &shard, &[]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        args.push(shard.to_str().expect("UTF-8").to_string());
    }
    args.extend([
        "--into".to_string(),
        base.to_str().expect("UTF-8").to_string(),
    ]);
    let run = foia(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("(3 files,")
            && run
                .stderr
                .contains("3 files already indexed with the same bytes kept, 1 replaced"),
        "{}",
        run.stderr
    );

    let merged = files_and_pages(&base);
    assert_eq!(merged, files_and_pages(&reference));
    assert_eq!(merged.len(), 6);
    let failures = std::fs::read_to_string(base.join("failures.jsonl")).unwrap_or_default();
    assert!(!failures.contains("broken.pdf"), "{failures}");
    assert!(
        base.join("last-ingest.json").is_file(),
        "kept from the ingest"
    );
    for leftover in ["base.partial", "base.replaced"] {
        assert!(!work.path().join(leftover).exists(), "{leftover}");
    }

    // A folder that is not an index is not merged into.
    let other = work.path().join("other");
    std::fs::create_dir_all(&other).expect("other");
    std::fs::write(other.join("notes.txt"), b"mine").expect("notes");
    args.pop();
    args.push(other.to_str().expect("UTF-8").to_string());
    let run = foia(&args);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("is not a foia index"), "{}", run.stderr);
    assert!(other.join("notes.txt").is_file());
}
