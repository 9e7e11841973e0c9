//! Extraction against poppler on the real files of `../shared/corpus-real`: the
//! word-level agreement must not fall below what foia reached, and each problem fixed
//! on a real file keeps a test named after it.

mod common;

use std::path::Path;

use common::real_corpus_dir;
use foia::extract;
use foia::quality::{agreement, has_text_layer, summary, word_counts};

/// Text of every page of a real file, joined.
fn extracted(dir: &Path, file: &str) -> String {
    let bytes = std::fs::read(dir.join(file)).expect("real file");
    let content = extract::pdf_pages(&bytes).expect("real file extracts");
    content
        .pages
        .into_iter()
        .map(|page| page.text)
        .collect::<Vec<_>>()
        .join("\n")
}

fn f1_of(dir: &Path, file: &str) -> f64 {
    let reference = std::fs::read_to_string(dir.join(file.replace(".pdf", ".pdftotext.txt")))
        .expect("reference text");
    agreement(&reference, &extracted(dir, file)).f1
}

#[test]
fn agreement_with_poppler_holds_across_the_real_corpus() {
    let Some(dir) = real_corpus_dir() else {
        return;
    };
    let mut scores = Vec::new();
    let mut stack = vec![dir.clone()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).expect("folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let Some(pdf) = path.to_str().and_then(|p| p.strip_suffix(".pdftotext.txt")) else {
                continue;
            };
            let reference =
                String::from_utf8_lossy(&std::fs::read(&path).expect("reference")).into_owned();
            if word_counts(&reference).is_empty() {
                continue;
            }
            let bytes = std::fs::read(format!("{pdf}.pdf")).expect("pdf beside reference");
            let text = extract::pdf_pages(&bytes)
                .map(|content| {
                    content
                        .pages
                        .into_iter()
                        .map(|page| page.text)
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .unwrap_or_default();
            scores.push((agreement(&reference, &text).f1, has_text_layer(&reference)));
        }
    }
    // Floors just under what this extractor measured on all files (0.946 / 1.0 /
    // 91.9%; MuPDF measures 0.929 / 1.0 / 89.5% on the same files), and the issue's
    // targets on the files with a text layer (measured 0.979 / 1.0 / 96.2%).
    holds("all files", &scores, false, 300, (0.94, 0.99, 0.91));
    holds("with a text layer", &scores, true, 200, (0.97, 0.99, 0.95));
}

/// Asserts mean, median and share of F1 >= 0.9 over `scores` (F1, has a text layer),
/// all of them or only those with a text layer.
fn holds(
    label: &str,
    scores: &[(f64, bool)],
    only_text_layer: bool,
    at_least_files: usize,
    (mean_floor, median_floor, good_floor): (f64, f64, f64),
) {
    let f1s: Vec<f64> = scores
        .iter()
        .filter(|(_, text_layer)| *text_layer || !only_text_layer)
        .map(|(f1, _)| *f1)
        .collect();
    let (mean, median, good) = summary(&f1s);
    eprintln!(
        "{label}: {} files, mean F1 {mean:.4}, median {median:.4}, {:.1}% at >= 0.9",
        f1s.len(),
        good * 100.0
    );
    assert!(f1s.len() > at_least_files, "{label}: {} files", f1s.len());
    assert!(mean >= mean_floor, "{label}: mean F1 {mean}");
    assert!(median >= median_floor, "{label}: median F1 {median}");
    assert!(good >= good_floor, "{label}: share at F1 >= 0.9: {good}");
}

#[test]
fn standard_font_without_widths_keeps_words_whole() {
    let Some(dir) = real_corpus_dir() else {
        return;
    };
    // Courier drawn without /Widths: words used to split at every glyph gap.
    let file = "tabula-java/src/test/resources/technology/tabula/icdar2013-dataset/competition-dataset-us/us-034.pdf";
    assert!(extracted(&dir, file).contains("population standard deviation"));
    assert!(f1_of(&dir, file) > 0.99);
}

#[test]
fn rotated_page_reads_along_its_lines() {
    let Some(dir) = real_corpus_dir() else {
        return;
    };
    let text = extracted(
        &dir,
        "tabula-java/src/test/resources/technology/tabula/m27.pdf",
    );
    assert!(
        text.contains("ALPHABETIC LISTING BY TYPE"),
        "{}",
        &text[..200.min(text.len())]
    );
}

#[test]
fn content_stream_with_indirect_filter_is_decoded() {
    let Some(dir) = real_corpus_dir() else {
        return;
    };
    let text = extracted(&dir, "pdfminer.six/samples/contrib/issue-1062-filters.pdf");
    assert!(text.contains("Postbus 3101"), "{text}");
}

#[test]
fn form_field_appearance_is_page_text() {
    let Some(dir) = real_corpus_dir() else {
        return;
    };
    assert!(extracted(&dir, "pdf.js/test/pdfs/issue5946.pdf").contains("This should be visible"));
}

#[test]
fn type0_truetype_without_tounicode_reads_through_its_cmap() {
    let Some(dir) = real_corpus_dir() else {
        return;
    };
    let text = extracted(
        &dir,
        "pdfminer.six/samples/contrib/issue-625-identity-cmap.pdf",
    );
    assert!(text.contains("Faktura") && text.contains("Łódź"), "{text}");
}

#[test]
fn japanese_without_tounicode_reads_through_adobe_tables() {
    let Some(dir) = real_corpus_dir() else {
        return;
    };
    if !Path::new("/usr/share/poppler/cidToUnicode/Adobe-Japan1").exists() {
        eprintln!("skipping: poppler-data is not installed");
        return;
    }
    assert!(extracted(&dir, "pdf.js/test/pdfs/noembed-sjis.pdf").contains("あいうえお"));
}

#[test]
fn numbered_type3_glyph_names_are_read() {
    let Some(dir) = real_corpus_dir() else {
        return;
    };
    assert!(extracted(&dir, "pdf.js/test/pdfs/issue918.pdf").contains("Ideology as ritual"));
}

#[test]
fn hebrew_drawn_left_to_right_is_put_in_reading_order() {
    let Some(dir) = real_corpus_dir() else {
        return;
    };
    assert!(
        f1_of(
            &dir,
            "tabula-java/src/test/resources/technology/tabula/indictb1h_14.pdf"
        ) > 0.99
    );
}

#[test]
fn identity_tounicode_name_reads_codes_as_unicode() {
    let Some(dir) = real_corpus_dir() else {
        return;
    };
    // `/ToUnicode /Identity-H`: a CMap name where a stream belongs.
    assert!(
        extracted(&dir, "pdf.js/test/pdfs/issue12418_reduced.pdf").contains("Uvolnění vinkulace")
    );
}

#[test]
fn free_text_annotation_without_appearance_is_page_text() {
    let Some(dir) = real_corpus_dir() else {
        return;
    };
    let text = extracted(&dir, "pdf.js/test/pdfs/bug1871353.pdf");
    assert!(
        text.starts_with('A') && text.trim_end().ends_with('B'),
        "{text:?}"
    );
}
