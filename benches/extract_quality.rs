//! Extraction quality and speed against poppler.
//!
//! `cargo bench --bench extract_quality -- [DIR] [--worst N]`
//!
//! For every `X.pdf` in DIR (default `../shared/corpus-real`) with a non-empty
//! `X.pdftotext.txt` beside it, extracts the text with foia (one thread, the code
//! `foia extract` runs) and compares the multisets of lowercased words (runs of
//! letters, digits and `_`, like Python's `\w+`): precision, recall and F1 per file,
//! then mean, median and the share of files at F1 >= 0.9. It also times foia over all
//! the PDFs one after another and, when `pdftotext` is on PATH, poppler the same way.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use foia::extract;

struct Score {
    file: String,
    precision: f64,
    recall: f64,
    f1: f64,
    note: String,
}

fn words(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for word in text
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|word| !word.is_empty())
    {
        *counts.entry(word.to_lowercase()).or_insert(0) += 1;
    }
    counts
}

fn score(file: String, reference: &str, ours: &str, note: String) -> Score {
    let expected = words(reference);
    let found = words(ours);
    let matched: usize = found
        .iter()
        .map(|(word, count)| (*count).min(expected.get(word).copied().unwrap_or(0)))
        .sum();
    let found_total: usize = found.values().sum();
    let expected_total: usize = expected.values().sum();
    let precision = if found_total == 0 {
        0.0
    } else {
        matched as f64 / found_total as f64
    };
    let recall = matched as f64 / expected_total.max(1) as f64;
    let f1 = if matched == 0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Score {
        file,
        precision,
        recall,
        f1,
        note,
    }
}

fn pdfs_with_references(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Some(name) = path.to_str().and_then(|p| p.strip_suffix(".pdftotext.txt"))
            {
                let pdf = PathBuf::from(format!("{name}.pdf"));
                let reference =
                    std::fs::read(&path).map(|b| String::from_utf8_lossy(&b).into_owned());
                if let (true, Ok(reference)) = (pdf.is_file(), reference) {
                    if !words(&reference).is_empty() {
                        found.push((pdf, reference));
                    }
                }
            }
        }
    }
    found.sort();
    found
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let mut dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus-real");
    let mut worst = 10;
    let mut position = 0;
    while position < args.len() {
        if args[position] == "--worst" {
            worst = args
                .get(position + 1)
                .and_then(|n| n.parse().ok())
                .unwrap_or(worst);
            position += 2;
        } else {
            dir = PathBuf::from(&args[position]);
            position += 1;
        }
    }
    let files = pdfs_with_references(&dir);
    if files.is_empty() {
        eprintln!(
            "no PDFs with .pdftotext.txt references under {}",
            dir.display()
        );
        return;
    }

    let mut scores = Vec::new();
    let mut foia_time = Duration::ZERO;
    for (pdf, reference) in &files {
        let bytes = std::fs::read(pdf).unwrap_or_default();
        let started = Instant::now();
        let result = extract::pdf_pages(&bytes);
        foia_time += started.elapsed();
        let name = pdf.strip_prefix(&dir).unwrap_or(pdf).display().to_string();
        let (text, note) = match result {
            Ok(content) => {
                let text: Vec<String> = content.pages.into_iter().map(|page| page.text).collect();
                (text.join("\n"), String::new())
            }
            Err(error) => (String::new(), error.to_string()),
        };
        scores.push(score(name, reference, &text, note));
    }

    scores.sort_by(|a, b| a.f1.total_cmp(&b.f1));
    println!("{:>6} {:>6} {:>6}  file", "F1", "P", "R");
    for s in &scores {
        println!(
            "{:6.3} {:6.3} {:6.3}  {} {}",
            s.f1, s.precision, s.recall, s.file, s.note
        );
    }
    let f1s: Vec<f64> = scores.iter().map(|s| s.f1).collect();
    let mean = f1s.iter().sum::<f64>() / f1s.len() as f64;
    let median = if f1s.len() % 2 == 1 {
        f1s[f1s.len() / 2]
    } else {
        (f1s[f1s.len() / 2 - 1] + f1s[f1s.len() / 2]) / 2.0
    };
    let good = f1s.iter().filter(|f| **f >= 0.9).count();
    println!();
    println!("worst {worst}:");
    for s in scores.iter().take(worst) {
        println!("  {:.3}  {} {}", s.f1, s.file, s.note);
    }
    println!(
        "files {}  mean F1 {:.4}  median F1 {:.4}  F1>=0.9 {:.1}% ({good})",
        f1s.len(),
        mean,
        median,
        100.0 * good as f64 / f1s.len() as f64
    );
    println!(
        "foia, one thread: {:.2} s for {} PDFs",
        foia_time.as_secs_f64(),
        files.len()
    );
    let started = Instant::now();
    let mut ran = 0;
    for (pdf, _) in &files {
        let status = Command::new("pdftotext")
            .args(["-q", "-enc", "UTF-8"])
            .arg(pdf)
            .arg("-")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if status.is_err() {
            break;
        }
        ran += 1;
    }
    if ran == files.len() {
        println!(
            "pdftotext, one after another: {:.2} s",
            started.elapsed().as_secs_f64()
        );
    } else {
        println!("pdftotext not on PATH: no poppler timing");
    }
}
