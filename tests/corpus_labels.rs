//! The bundled corpus against its labels: every labelled fact must be in `foia
//! extract`'s text of the labelled page, and every document must have the labelled
//! page count and title. Later issues (entities) test against the same labels.

mod common;

use common::{corpus_dir, foia, normalise};
use serde_json::Value;

fn labels() -> Value {
    let text = std::fs::read_to_string(corpus_dir().join("labels.json")).expect("labels.json");
    serde_json::from_str(&text).expect("labels.json parses")
}

#[test]
fn corpus_has_a_dozen_documents_from_three_producers() {
    let labels = labels();
    let documents = labels["documents"].as_array().expect("documents");
    assert!(documents.len() >= 12, "{} documents", documents.len());
    let mut producers: Vec<&str> = documents
        .iter()
        .map(|document| document["producer"].as_str().expect("producer"))
        .collect();
    producers.sort();
    producers.dedup();
    assert!(producers.len() >= 3, "{producers:?}");
    for document in documents {
        let file = corpus_dir().join(document["file"].as_str().expect("file"));
        assert!(file.is_file(), "{} is missing", file.display());
    }
}

#[test]
fn every_label_is_on_its_page() {
    let labels = labels();
    let mut missing = Vec::new();
    let mut checked = 0;
    for document in labels["documents"].as_array().expect("documents") {
        let file = document["file"].as_str().expect("file");
        let run = foia(["extract".as_ref(), corpus_dir().join(file).as_os_str()]);
        assert_eq!(run.code, 0, "extract {file}: {}", run.stderr);
        let pages: Vec<String> = run
            .stdout
            .split('\x0c')
            .filter(|page| !page.is_empty())
            .map(normalise)
            .collect();
        assert_eq!(
            pages.len() as u64,
            document["pages"].as_u64().expect("pages"),
            "{file}: page count"
        );
        for label in document["labels"].as_array().expect("labels") {
            let text = normalise(label["text"].as_str().expect("text"));
            let page = label["page"].as_u64().expect("page") as usize;
            checked += 1;
            if !pages[page - 1].contains(&text) {
                missing.push(format!("{file} p{page}: {text:?}"));
            }
        }
    }
    assert!(checked > 150, "only {checked} labels");
    assert!(
        missing.is_empty(),
        "labels not found on their page:\n{}",
        missing.join("\n")
    );
}

#[test]
fn titles_from_the_info_dictionary_are_indexed() {
    let index = tempfile::tempdir().expect("temp dir");
    let run = common::ingest_text_layers(index.path(), &[&corpus_dir()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let labels = labels();
    for document in labels["documents"].as_array().expect("documents") {
        let Some(title) = document["title"].as_str() else {
            continue;
        };
        let file = document["file"].as_str().expect("file");
        let hits =
            common::search_json(index.path(), &format!("title:{:?}", title.replace('"', "")));
        assert!(
            hits.iter().any(
                |hit| hit["path"].as_str().is_some_and(|p| p.ends_with(file))
                    && hit["title"].as_str() == Some(title)
            ),
            "title {title:?} of {file} not found"
        );
    }
}
