//! foia and Free Law Project's x-ray side by side on the redaction fixtures
//! (`tests/common/redaction_fixtures.rs`: one page per mechanism of REDACTIONS.md and
//! one per shape that must not be flagged): for each tool, which pages it flags as
//! bad redactions, its page precision and recall, and the share of hidden words it
//! recovers.
//!
//! `cargo bench --bench redactions`. x-ray runs from a Python with `x-ray` installed:
//! `$XRAY_PYTHON`, else `target/xray-venv/bin/python`; make that one with
//! `python3 -m venv target/xray-venv && target/xray-venv/bin/pip install x-ray`.
//! Without it only foia's figures are printed.

#[path = "../tests/common/redaction_fixtures.rs"]
mod redaction_fixtures;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What a tool found on a fixture page: whether it flagged it, and the words.
#[derive(Debug, Default, Clone)]
struct Verdict {
    flagged: bool,
    words: String,
}

/// Runs x-ray over `paths`: the text of each bad redaction by file, or why not.
fn xray(python: &Path, paths: &[PathBuf]) -> Result<BTreeMap<PathBuf, Verdict>, String> {
    // Newer x-ray releases make `inspect` a coroutine.
    const SCRIPT: &str = "import asyncio, inspect, json, sys, xray\n\
        for path in sys.argv[1:]:\n\
        \x20   found = xray.inspect(path)\n\
        \x20   found = asyncio.run(found) if inspect.iscoroutine(found) else found\n\
        \x20   words = ' '.join(r['text'] for page in found.values() for r in page)\n\
        \x20   print(json.dumps({'path': path, 'flagged': bool(found), 'words': words}))\n";
    let output = Command::new(python)
        .arg("-c")
        .arg(SCRIPT)
        .args(paths)
        .output()
        .map_err(|error| format!("{}: {error}", python.display()))?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).trim().to_string());
    }
    let mut verdicts = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let value: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
        verdicts.insert(
            PathBuf::from(value["path"].as_str().unwrap_or_default()),
            Verdict {
                flagged: value["flagged"].as_bool().unwrap_or(false),
                words: value["words"].as_str().unwrap_or_default().to_string(),
            },
        );
    }
    Ok(verdicts)
}

/// Page precision, page recall and word recall of `verdicts` against the cases.
fn score(cases: &[redaction_fixtures::Case], verdicts: &[Verdict]) -> (f64, f64, f64) {
    let (mut true_pages, mut flagged, mut bad_pages) = (0, 0, 0);
    let (mut words_found, mut words_hidden) = (0, 0);
    for (case, verdict) in cases.iter().zip(verdicts) {
        let bad = case.kind.is_some();
        bad_pages += usize::from(bad);
        flagged += usize::from(verdict.flagged);
        true_pages += usize::from(bad && verdict.flagged);
        for word in case.hidden.split_whitespace() {
            words_hidden += 1;
            words_found += usize::from(verdict.words.split_whitespace().any(|w| w == word));
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    (
        ratio(true_pages, flagged),
        ratio(true_pages, bad_pages),
        ratio(words_found, words_hidden),
    )
}

fn main() {
    let cases = redaction_fixtures::cases();
    let dir = tempfile::tempdir().expect("temp dir");
    let paths: Vec<PathBuf> = cases
        .iter()
        .enumerate()
        .map(|(number, case)| {
            let path = dir.path().join(format!("{number:02}.pdf"));
            std::fs::write(&path, &case.pdf).expect("fixture written");
            path
        })
        .collect();

    let ours: Vec<Verdict> = cases
        .iter()
        .map(|case| {
            let pages = foia::extract::pdf_pages(&case.pdf)
                .expect("fixture reads")
                .pages;
            let bad: Vec<&str> = pages
                .iter()
                .flat_map(|page| &page.redactions.bad)
                .map(|finding| finding.text.as_str())
                .collect();
            Verdict {
                flagged: !bad.is_empty(),
                words: bad.join(" "),
            }
        })
        .collect();

    let python = std::env::var_os("XRAY_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("target/xray-venv/bin/python")
        });
    let theirs = match xray(&python, &paths) {
        Ok(found) => Some(
            paths
                .iter()
                .map(|path| found.get(path).cloned().unwrap_or_default())
                .collect::<Vec<_>>(),
        ),
        Err(why) => {
            eprintln!("x-ray not run ({why}); see the top of benches/redactions.rs");
            None
        }
    };

    println!("| fixture | hides | foia | x-ray |");
    println!("|---|---|---|---|");
    for (index, case) in cases.iter().enumerate() {
        let mark = |verdict: &Verdict| {
            if verdict.flagged {
                format!("flagged: {}", verdict.words)
            } else {
                "-".to_string()
            }
        };
        let theirs = theirs
            .as_ref()
            .map_or("not run".to_string(), |theirs| mark(&theirs[index]));
        println!(
            "| {} | {} | {} | {} |",
            case.name,
            case.kind
                .map_or("nothing (must not flag)".to_string(), |kind| {
                    format!("{kind}: {}", case.hidden)
                }),
            mark(&ours[index]),
            theirs
        );
    }
    println!();
    println!("| tool | page precision | page recall | word recall |");
    println!("|---|---|---|---|");
    let (precision, recall, words) = score(&cases, &ours);
    println!("| foia | {precision:.2} | {recall:.2} | {words:.2} |");
    if let Some(theirs) = &theirs {
        let (precision, recall, words) = score(&cases, theirs);
        println!("| x-ray | {precision:.2} | {recall:.2} | {words:.2} |");
    }
}
