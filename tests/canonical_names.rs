//! One name per entity across a dump: three files that spell one vendor three ways
//! ("Cobwebs Technologies Ltd.", "COBWEBS TECHNOLOGIES, INC.", "Cobwebs" named by its
//! web site) give one `foia entities --group` row, and `vendor:` finds all three
//! whichever spelling is typed; a person named with and without a middle initial in
//! two files is one person.

mod common;

use common::{foia, ingest, pdf_saying, search_json};

#[test]
fn three_spellings_of_a_vendor_are_one_entity() {
    let work = tempfile::tempdir().expect("temp dir");
    let files = [
        (
            "award.pdf",
            "The City awarded the contract to Cobwebs Technologies Ltd. on March 3, 2020. Signed, Todd M. Lyons",
        ),
        (
            "invoice.pdf",
            "Invoice from COBWEBS TECHNOLOGIES, INC. for annual licenses. Approved by Todd Lyons",
        ),
        (
            "email.pdf",
            "From: John Ohare (jo@cobwebs.com) Subject: Cobwebs demo on June 1, 2021",
        ),
    ];
    let mut paths = Vec::new();
    for (name, text) in files {
        let path = work.path().join(name);
        std::fs::write(&path, pdf_saying(name, text)).expect("pdf written");
        paths.push(path);
    }
    let index = work.path().join("index");
    let refs: Vec<&std::path::Path> = paths.iter().map(|p| p.as_path()).collect();
    let run = ingest(&index, &refs);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let index_arg = index.to_str().expect("path");

    let grouped = foia([
        "entities", "--index", index_arg, "--group", "--kind", "vendor",
    ]);
    assert_eq!(grouped.code, 0, "{}", grouped.stderr);
    let mut reader = csv::Reader::from_reader(grouped.stdout.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 1, "one vendor: {}", grouped.stdout);
    let row = &rows[0];
    assert_eq!(&row[0], "vendor");
    assert_eq!(&row[1], "Cobwebs Technologies");
    for spelling in [
        "Cobwebs Technologies Ltd.",
        "COBWEBS TECHNOLOGIES, INC.",
        "Cobwebs",
    ] {
        assert!(
            row[2].split(" | ").any(|alias| alias == spelling),
            "{spelling}: {}",
            &row[2]
        );
    }
    assert_eq!(&row[3], "3", "documents");
    assert_eq!(&row[5], "2020-03-03", "first date");
    assert_eq!(&row[6], "2021-06-01", "last date");

    for typed in [
        "vendor:Cobwebs",
        "vendor:\"Cobwebs Technologies, Inc.\"",
        "vendor:cobwebs",
    ] {
        let hits = search_json(&index, typed);
        let mut found: Vec<&str> = hits
            .iter()
            .map(|hit| hit["title"].as_str().unwrap_or_default())
            .collect();
        found.sort();
        assert_eq!(found, ["award.pdf", "email.pdf", "invoice.pdf"], "{typed}");
    }

    // Occurrence rows carry the canonical name and keep the text as printed.
    let rows = foia(["entities", "--index", index_arg, "--kind", "person"]);
    let mut reader = csv::Reader::from_reader(rows.stdout.as_bytes());
    let people: Vec<(String, String)> = reader
        .records()
        .map(|r| r.expect("row"))
        .map(|r| (r[4].to_string(), r[5].to_string()))
        .filter(|(text, _)| text.contains("Lyons"))
        .collect();
    assert_eq!(
        people,
        [
            ("Todd M. Lyons".to_string(), "Todd M. Lyons".to_string()),
            ("Todd Lyons".to_string(), "Todd M. Lyons".to_string()),
        ]
    );
    assert_eq!(search_json(&index, "person:\"Todd Lyons\"").len(), 2);
}
