//! Extraction quality and speed against poppler.
//!
//! `cargo bench --bench extract_quality -- [DIR] [--worst N]`
//!
//! For every `X.pdf` in DIR (default `../shared/corpus-real`) with a non-empty
//! `X.pdftotext.txt` beside it, extracts the text with foia (one thread, the code
//! `foia extract` runs) and compares the multisets of lowercased words (runs of
//! letters, digits and `_`, like Python's `\w+`): precision, recall and F1 per file,
//! then mean, median and the share of files at F1 >= 0.9, over all files and over
//! those whose reference comes from a text layer (see
//! `foia::quality::TEXT_LAYER_MIN_WORDS`). It also times foia over all
//! the PDFs one after another and, when `pdftotext` is on PATH, poppler the same way.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use foia::extract;
use foia::quality::{
    agreement, has_text_layer, summary, word_counts, Agreement, TEXT_LAYER_MIN_WORDS,
};

struct Score {
    file: String,
    agreement: Agreement,
    note: String,
    /// The reference is long enough to come from a text layer.
    text_layer: bool,
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
                    if !word_counts(&reference).is_empty() {
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
        scores.push(Score {
            file: name,
            agreement: agreement(reference, &text),
            note,
            text_layer: has_text_layer(reference),
        });
    }

    scores.sort_by(|a, b| a.agreement.f1.total_cmp(&b.agreement.f1));
    println!("{:>6} {:>6} {:>6}  file", "F1", "P", "R");
    for s in &scores {
        let Agreement {
            precision,
            recall,
            f1,
        } = s.agreement;
        println!(
            "{f1:6.3} {precision:6.3} {recall:6.3}  {} {}",
            s.file, s.note
        );
    }
    println!();
    println!("worst {worst} with a text layer:");
    for s in scores.iter().filter(|s| s.text_layer).take(worst) {
        println!("  {:.3}  {} {}", s.agreement.f1, s.file, s.note);
    }
    let line = |label: &str, only_text_layer: bool| {
        let f1s: Vec<f64> = scores
            .iter()
            .filter(|s| s.text_layer || !only_text_layer)
            .map(|s| s.agreement.f1)
            .collect();
        let (mean, median, good) = summary(&f1s);
        println!(
            "{label}: files {}  mean F1 {mean:.4}  median F1 {median:.4}  F1>=0.9 {:.1}%",
            f1s.len(),
            100.0 * good
        );
    };
    line("any reference text", false);
    line(
        &format!("with a text layer (>= {TEXT_LAYER_MIN_WORDS} reference words)"),
        true,
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
