//! Entities on real public-records releases (`../shared/corpus-foia`), scored against
//! the hand-made labels of 98 pages by `../shared/tools/score_entities.py`, the
//! project's scoring script (the same matching rules as the figures): micro
//! precision at least 0.95 and recall at least 0.90, and every kind at least 0.90
//! precise and 0.85 complete (people 0.80). Skips when `../shared` is absent.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use common::{foia, ingest_with};
use foia::entities::Kind;

/// The shared folder's release set and scoring script, or `None` with a note.
fn shared() -> Option<(std::path::PathBuf, std::path::PathBuf)> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let corpus = shared.join("corpus-foia");
    let scorer = shared.join("tools/score_entities.py");
    if corpus.is_dir() && scorer.is_file() {
        Some((corpus, scorer))
    } else {
        eprintln!(
            "skipping: {} is absent (only CI and developers have it)",
            corpus.display()
        );
        None
    }
}

/// (precision, recall) per kind and "micro", from the scorer's output.
fn scores(report: &str) -> BTreeMap<String, (f64, f64)> {
    let number = |line: &str, key: &str| -> Option<f64> {
        let rest = &line[line.find(key)? + key.len()..];
        let end = rest.find([' ', '(']).unwrap_or(rest.len());
        rest[..end].parse().ok()
    };
    let mut scores = BTreeMap::new();
    for line in report.lines() {
        if let Some(kind) = line
            .split_whitespace()
            .next()
            .filter(|_| line.contains("precision="))
        {
            let (Some(p), Some(r)) = (number(line, "precision="), number(line, "recall=")) else {
                continue;
            };
            scores.insert(kind.to_string(), (p, r));
        } else if line.starts_with("micro_p=") {
            if let (Some(p), Some(r)) = (number(line, "micro_p="), number(line, "micro_r=")) {
                scores.insert("micro".to_string(), (p, r));
            }
        }
    }
    scores
}

#[test]
fn entities_of_real_releases_match_their_labels() {
    let Some((corpus, scorer)) = shared() else {
        return;
    };
    let work = tempfile::tempdir().expect("temp dir");
    let index = work.path().join("index");
    // The labelled pages all have a text layer; OCR of the set's scans would only
    // lengthen the run.
    let run = ingest_with(&index, &[&corpus], &["--ocr", "never"]);
    assert_eq!(run.code, 0, "ingest: {}", run.stderr);
    let export = foia([
        "entities",
        "--index",
        index.to_str().expect("path"),
        "--format",
        "csv",
    ]);
    assert_eq!(export.code, 0, "entities: {}", export.stderr);
    let csv = work.path().join("entities.csv");
    std::fs::write(&csv, &export.stdout).expect("csv written");
    let scored = Command::new("python3")
        .arg(&scorer)
        .arg(&csv)
        .arg(corpus.join("labels.json"))
        .output()
        .expect("python3 runs the scorer");
    let report = String::from_utf8_lossy(&scored.stdout);
    assert!(
        scored.status.success(),
        "scorer: {}",
        String::from_utf8_lossy(&scored.stderr)
    );
    eprintln!("{report}");
    let scores = scores(&report);
    let mut failures = Vec::new();
    for kind in Kind::ALL.map(Kind::as_str) {
        let Some(&(precision, recall)) = scores.get(kind) else {
            failures.push(format!("{kind}: not scored"));
            continue;
        };
        let least_recall = if kind == "person" { 0.80 } else { 0.85 };
        if precision < 0.90 || recall < least_recall {
            failures.push(format!(
                "{kind}: precision {precision:.2}, recall {recall:.2}"
            ));
        }
    }
    match scores.get("micro") {
        Some(&(precision, recall)) if precision >= 0.95 && recall >= 0.90 => {}
        other => failures.push(format!("micro: {other:?}")),
    }
    assert!(failures.is_empty(), "{}\n{report}", failures.join("\n"));
}

#[test]
fn score_lines_are_read() {
    let report = "agency     precision=0.99 (188/189) recall=0.94 (147/157)\n\
                  false positives: x\nmicro_p=0.993 micro_r=0.956 fp=7 missed=40";
    let scores = scores(report);
    assert_eq!(scores["agency"], (0.99, 0.94));
    assert_eq!(scores["micro"], (0.993, 0.956));
}
