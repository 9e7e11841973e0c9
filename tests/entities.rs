//! Entities end to end: found on the corpus as labelled (precision and recall per
//! kind), searchable with filters, exported as CSV that parses back, counted by --top.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::{corpus_dir, foia, hit_pages, ingest_text_layers, search_json};

/// `corpus/labels.json`, parsed.
fn labels() -> serde_json::Value {
    let text = std::fs::read_to_string(corpus_dir().join("labels.json")).expect("labels.json");
    serde_json::from_str(&text).expect("labels parse")
}

/// (file, kind, normalised value) of every label.
fn labelled() -> BTreeSet<(String, String, String)> {
    let labels = labels();
    let mut facts = BTreeSet::new();
    for document in labels["documents"].as_array().expect("documents") {
        let file = document["file"].as_str().expect("file").to_string();
        for label in document["labels"].as_array().expect("labels") {
            let kind = label["kind"].as_str().expect("kind").to_string();
            let value = match &label["value"] {
                serde_json::Value::String(value) => value.clone(),
                other => other.to_string(),
            };
            facts.insert((file.clone(), kind, value));
        }
    }
    facts
}

/// The labelled documents of the corpus indexed from their text layers (the corpus
/// also holds pages made to be read from their pictures, `corpus/drawn`, whose
/// entities tests/drawn_pages.rs checks).
fn corpus_index() -> tempfile::TempDir {
    let index = tempfile::tempdir().expect("temp dir");
    let labels = labels();
    let files: Vec<std::path::PathBuf> = labels["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .map(|document| corpus_dir().join(document["file"].as_str().expect("file")))
        .collect();
    let paths: Vec<&Path> = files.iter().map(std::path::PathBuf::as_path).collect();
    let run = ingest_text_layers(index.path(), &paths);
    assert_eq!(run.code, 0, "{}", run.stderr);
    index
}

/// `foia entities` with `extra` flags, which must succeed; its stdout.
fn entities(index: &Path, extra: &[&str]) -> String {
    let mut args = vec!["entities".as_ref(), "--index".as_ref(), index.as_os_str()];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    let run = foia(args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

/// `foia entities` as CSV records (header first).
fn export(index: &Path, extra: &[&str]) -> Vec<csv::StringRecord> {
    let stdout = entities(index, extra);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(stdout.as_bytes());
    reader
        .records()
        .map(|record| record.expect("valid CSV"))
        .collect()
}

#[test]
fn precision_and_recall_per_kind_on_the_corpus() {
    let index = corpus_index();
    let records = export(index.path(), &[]);
    assert_eq!(
        records[0].iter().collect::<Vec<_>>(),
        [
            "doc_id",
            "path",
            "page",
            "kind",
            "text",
            "normalized",
            "start",
            "end",
            "context"
        ]
    );
    let found: BTreeSet<(String, String, String)> = records[1..]
        .iter()
        .map(|record| {
            let file = Path::new(&record[1])
                .file_name()
                .expect("file")
                .to_string_lossy()
                .into_owned();
            (file, record[3].to_string(), record[5].to_string())
        })
        .collect();
    let expected = labelled();
    let mut table = Vec::new();
    for kind in [
        "agency",
        "vendor",
        "money",
        "date",
        "exemption",
        "contract",
        "email",
        "phone",
        "person",
    ] {
        let of_kind =
            |set: &BTreeSet<(String, String, String)>| -> BTreeSet<(String, String, String)> {
                set.iter().filter(|(_, k, _)| k == kind).cloned().collect()
            };
        let (found, expected) = (of_kind(&found), of_kind(&expected));
        let matched = found.intersection(&expected).count() as f64;
        let precision = matched / found.len().max(1) as f64;
        let recall = matched / expected.len().max(1) as f64;
        table.push(format!(
            "{kind:10} precision {precision:.2} recall {recall:.2} ({} labels)",
            expected.len()
        ));
        let floor = if kind == "person" { 0.8 } else { 0.9 };
        assert!(
            precision >= floor && recall >= floor,
            "{kind}: precision {precision:.2}, recall {recall:.2}\nmissed: {:?}\nextra: {:?}",
            expected.difference(&found).collect::<Vec<_>>(),
            found.difference(&expected).collect::<Vec<_>>()
        );
    }
    eprintln!("{}", table.join("\n"));
}

#[test]
fn csv_rows_are_complete_and_consistent() {
    let index = corpus_index();
    let records = export(index.path(), &["--kind", "money", "--kind", "exemption"]);
    assert!(records.len() > 20);
    for record in &records[1..] {
        assert_eq!(record.len(), 9);
        assert!(["money", "exemption"].contains(&&record[3]), "{record:?}");
        let start: usize = record[6].parse().expect("start");
        let end: usize = record[7].parse().expect("end");
        assert!(start < end);
        assert!(
            record[8].contains(&record[4]),
            "context holds the text: {record:?}"
        );
        assert!(Path::new(&record[1]).is_file());
    }
    let money: Vec<&csv::StringRecord> = records
        .iter()
        .filter(|r| &r[4] == "$6,100,000.00")
        .collect();
    assert!(money.iter().all(|r| &r[5] == "610000000"));
}

#[test]
fn top_counts_agree_with_the_labels() {
    let index = corpus_index();
    let records = export(index.path(), &["--top", "1000"]);
    assert_eq!(
        records[0].iter().collect::<Vec<_>>(),
        [
            "kind",
            "value",
            "occurrences",
            "documents",
            "first_path",
            "first_page"
        ]
    );
    let labels = labelled();
    let mut documents_per_value: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (_, kind, value) in &labels {
        *documents_per_value
            .entry((kind.clone(), value.clone()))
            .or_default() += 1;
    }
    let exported: BTreeMap<(String, String), usize> = records[1..]
        .iter()
        .map(|r| {
            (
                (r[0].to_string(), r[1].to_string()),
                r[3].parse().expect("documents"),
            )
        })
        .collect();
    assert_eq!(exported, documents_per_value);
    let vigilant = &exported[&("vendor".to_string(), "Vigilant Solutions".to_string())];
    assert_eq!(*vigilant, 9);
    // --top 1 keeps the most frequent value of each kind.
    let top_one = export(index.path(), &["--top", "1", "--kind", "agency"]);
    assert_eq!(top_one.len(), 2);
    assert_eq!(&top_one[1][1], "U.S. Immigration and Customs Enforcement");
}

#[test]
fn entity_filters_in_search() {
    let index = corpus_index();
    let pages = |query: &str| hit_pages(&search_json(index.path(), query));
    // Aliases resolve: the contract award names ICE only in full.
    let ice = pages("agency:ICE");
    assert!(
        ice.contains(&("contract-award.pdf".to_string(), 1)),
        "{ice:?}"
    );
    assert_eq!(ice, pages("agency:\"Immigration & Customs Enforcement\""));
    assert_eq!(
        pages("vendor:\"Vigilant Solutions, LLC\""),
        pages("vendor:Vigilant")
    );
    let withheld = pages("exemption:b6");
    assert_eq!(
        withheld,
        [
            ("email-chain.pdf".to_string(), 1),
            ("email-chain.pdf".to_string(), 2),
            ("foia-response-letter.pdf".to_string(), 1),
            ("ice-data-request.pdf".to_string(), 1)
        ]
    );
    assert_eq!(pages("exemption:\"(b)(6)\""), withheld);
    assert_eq!(
        pages("amount:>=1000000"),
        [
            ("contract-award.pdf".to_string(), 1),
            ("ice-task-order.pdf".to_string(), 1),
            ("oig-audit-summary.pdf".to_string(), 1)
        ]
    );
    assert_eq!(pages("amount:52480"), [("invoice.pdf".to_string(), 1)]);
    let january = pages("date:[2018-01-01 TO 2018-01-31]");
    assert!(
        january.contains(&("alpr-audit-log.pdf".to_string(), 1)),
        "{january:?}"
    );
    assert!(
        january.contains(&("alpr-policy-memo.pdf".to_string(), 1)),
        "{january:?}"
    );
    assert_eq!(
        pages("date:2019-09"),
        pages("date:[2019-09-01 TO 2019-09-30]")
    );
    // Filters combine with text.
    assert_eq!(
        pages("stonegarden AND agency:\"Federal Emergency Management Agency\""),
        [
            ("purchase-order.pdf".to_string(), 1),
            ("sheriff-press-release.pdf".to_string(), 1)
        ]
    );
    let bad = common::search(index.path(), "amount:>=lots", &[]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("not an amount"), "{}", bad.stderr);
}

#[test]
fn facets_count_entity_values_of_matching_pages() {
    let index = corpus_index();
    let run = common::search(index.path(), "exemption:b7C", &["--facets", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let facets: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).expect("json"))
        .filter(|row| row.get("facet").is_some())
        .collect();
    let exemption_b7c = facets
        .iter()
        .find(|row| row["facet"] == "exemption" && row["value"] == "b7C")
        .expect("b7C facet");
    let hits = search_json(index.path(), "exemption:b7C");
    assert_eq!(exemption_b7c["pages"].as_u64(), Some(hits.len() as u64));
}

#[test]
fn every_labelled_amount_gets_its_vendor_and_agency_in_the_money_trail() {
    let index = corpus_index();
    let rows = common::json_lines(&entities(
        index.path(),
        &["--kind", "money", "--format", "json"],
    ));
    let labels = labels();
    let mut checked = 0;
    let mut wrong = Vec::new();
    for document in labels["documents"].as_array().expect("documents") {
        let file = document["file"].as_str().expect("file");
        for label in document["labels"].as_array().expect("labels") {
            if label["kind"] != "money" {
                continue;
            }
            // Every row of that amount on that page carries the labelled parties.
            let found: Vec<&serde_json::Value> = rows
                .iter()
                .filter(|row| {
                    row["path"]
                        .as_str()
                        .is_some_and(|path| path.ends_with(&format!("/{file}")))
                        && row["page"] == label["page"]
                        && row["cents"] == label["value"]
                })
                .collect();
            assert!(!found.is_empty(), "{file}: no row for {}", label["text"]);
            for row in found {
                checked += 1;
                for party in ["vendor", "agency"] {
                    if row[party] != label[party] {
                        wrong.push(format!(
                            "{file} {} {party}: {} ({}), labelled {}",
                            label["text"],
                            row[party],
                            row[format!("{party}_how")],
                            label[party]
                        ));
                    }
                }
            }
        }
    }
    assert!(checked >= 28, "{checked} amounts checked");
    assert!(wrong.is_empty(), "{wrong:#?}");
    // The CSV carries the same columns, for a spreadsheet.
    let csv = export(index.path(), &["--kind", "money"]);
    assert_eq!(
        csv[0].iter().collect::<Vec<_>>(),
        [
            "doc_id",
            "path",
            "page",
            "text",
            "cents",
            "start",
            "end",
            "context",
            "vendor",
            "vendor_how",
            "agency",
            "agency_how",
            "contract",
            "contract_how",
            "date",
            "date_how"
        ]
    );
}
