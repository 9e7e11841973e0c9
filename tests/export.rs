//! `foia export`: one JSON line per indexed page (ids, path, page, text, entities by
//! kind, amounts, dates, text source), by path and page; `--format bulk` puts the
//! `_bulk` action line with the page's id before each.

mod common;

use common::{corpus_dir, foia, ingest_text_layers};
use serde_json::Value;

#[test]
fn every_page_is_a_json_line_and_bulk_adds_its_action() {
    let work = tempfile::tempdir().expect("temp dir");
    let index = work.path().join("index");
    assert_eq!(ingest_text_layers(&index, &[&corpus_dir()]).code, 0);
    let index = index.to_str().expect("UTF-8");

    let run = foia(["export", "--index", index]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pages: Vec<Value> = run
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON line"))
        .collect();
    assert_eq!(pages.len(), 27, "every page of the corpus");
    let keys: Vec<(String, u64)> = pages
        .iter()
        .map(|page| {
            (
                page["path"].as_str().expect("path").to_string(),
                page["page"].as_u64().expect("page"),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "by path and page");
    for page in &pages {
        assert_eq!(
            page["id"],
            format!(
                "{}-{}",
                page["doc_id"].as_str().expect("doc_id"),
                page["page"]
            )
        );
        assert_eq!(page["text_source"], "layer");
    }
    let task_order = pages
        .iter()
        .find(|page| {
            page["path"]
                .as_str()
                .is_some_and(|path| path.ends_with("ice-task-order.pdf"))
                && page["page"] == 1
        })
        .expect("the task order's first page");
    assert!(task_order["text"]
        .as_str()
        .is_some_and(|text| text.contains("Statement of Work")));
    let vendors = task_order["entities"]["vendor"]
        .as_array()
        .expect("vendors");
    assert!(
        vendors.iter().any(|vendor| vendor == "Vigilant Solutions"),
        "{task_order}"
    );
    let amounts = task_order["amounts"].as_array().expect("amounts");
    assert!(
        amounts
            .iter()
            .any(|amount| amount.as_f64() == Some(6_100_000.0)),
        "{amounts:?}"
    );
    assert!(!task_order["dates"].as_array().expect("dates").is_empty());

    let bulk = foia(["export", "--index", index, "--format", "bulk"]);
    assert_eq!(bulk.code, 0);
    let lines: Vec<Value> = bulk
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 2 * pages.len());
    for (action, page) in lines.iter().step_by(2).zip(lines.iter().skip(1).step_by(2)) {
        assert_eq!(action["index"]["_id"], page["id"]);
    }
}
