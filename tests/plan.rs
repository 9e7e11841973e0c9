//! `foia plan`: every file under the inputs once, shards balanced within one file's
//! size, the same plan whatever order the inputs are named in, a missing input
//! reported while the rest is planned.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{corpus_dir, foia};
use serde_json::Value;

fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|line| serde_json::from_str(line).expect("JSON line"))
        .collect()
}

fn files_under(dir: &Path, found: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).expect("folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, found);
        } else {
            let absolute = std::fs::canonicalize(&path).expect("canonical path");
            found.insert(absolute.to_string_lossy().into_owned());
        }
    }
}

#[test]
fn a_plan_holds_every_file_once_in_balanced_shards_whatever_the_input_order() {
    let corpus = corpus_dir();
    let scans = corpus.join("scans");
    let forward = foia([
        "plan",
        corpus.to_str().expect("UTF-8"),
        scans.to_str().expect("UTF-8"),
        "--shards",
        "5",
    ]);
    assert_eq!(forward.code, 0, "{}", forward.stderr);
    let backward = foia([
        "plan",
        scans.to_str().expect("UTF-8"),
        corpus.to_str().expect("UTF-8"),
        "--shards",
        "5",
    ]);
    assert_eq!(forward.stdout, backward.stdout, "the same plan");

    let plan = lines(&forward.stdout);
    let (header, files) = plan.split_first().expect("a header");
    assert_eq!(header["foia_plan"], 1);
    assert_eq!(header["shards"], 5);
    let mut expected = BTreeSet::new();
    files_under(&corpus, &mut expected);
    let planned: Vec<String> = files
        .iter()
        .map(|file| file["path"].as_str().expect("path").to_string())
        .collect();
    assert_eq!(planned.len(), expected.len(), "each file once");
    assert_eq!(planned.iter().cloned().collect::<BTreeSet<_>>(), expected);
    assert_eq!(header["files"], files.len());

    let mut shard_bytes = [0u64; 5];
    for file in files {
        shard_bytes[file["shard"].as_u64().expect("shard") as usize] +=
            file["bytes"].as_u64().expect("bytes");
    }
    let written: Vec<u64> = header["shard_bytes"]
        .as_array()
        .expect("shard_bytes")
        .iter()
        .map(|bytes| bytes.as_u64().expect("bytes"))
        .collect();
    assert_eq!(written, shard_bytes);
    let largest = files
        .iter()
        .map(|file| file["bytes"].as_u64().expect("bytes"))
        .max()
        .expect("files");
    let (most, least) = (shard_bytes.iter().max(), shard_bytes.iter().min());
    assert!(
        most.zip(least)
            .is_some_and(|(most, least)| most - least <= largest),
        "{shard_bytes:?}, largest file {largest}"
    );
}

#[test]
fn a_missing_input_is_reported_and_the_rest_planned() {
    let work = tempfile::tempdir().expect("temp dir");
    let out = work.path().join("plan.jsonl");
    let corpus = corpus_dir();
    let run = foia([
        "plan",
        corpus.to_str().expect("UTF-8"),
        "/no/such/folder",
        "--shards",
        "2",
        "--out",
        out.to_str().expect("UTF-8"),
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("foia: error: /no/such/folder:"),
        "{}",
        run.stderr
    );
    let plan = lines(&std::fs::read_to_string(&out).expect("plan written"));
    assert!(plan.len() > 20, "the corpus is planned");
}
