//! Throughput of the entity pass on one core, in bytes of page text per second: it
//! must stay far ahead of extraction so it never becomes the pipeline's slow stage
//! (the target is 50 MB/s).
//!
//! `cargo bench --bench entities`; criterion prints `thrpt: [... MB/s]` (decimal
//! megabytes) for the bundled corpus (written to be dense with entities) and, when
//! `../shared/corpus-real` is beside the project, for the poppler text of its real
//! documents.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use foia::{entities, extract};

/// The corpus's page texts.
fn corpus_pages() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus")
        .flatten()
        .map(|entry| entry.path())
        .collect();
    paths.sort();
    paths
        .iter()
        .filter_map(|path| extract::pdf_pages(&std::fs::read(path).ok()?).ok())
        .flat_map(|content| content.pages.into_iter().map(|page| page.text))
        .collect()
}

/// The poppler text of the real documents, page by page.
fn real_pages() -> Vec<String> {
    let mut pages = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus-real")];
    while let Some(folder) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for path in entries.flatten().map(|entry| entry.path()) {
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().ends_with(".pdftotext.txt") {
                let bytes = std::fs::read(&path).unwrap_or_default();
                let text = String::from_utf8_lossy(&bytes);
                pages.extend(text.split('\x0c').map(str::to_string));
            }
        }
    }
    pages
}

/// Page texts repeated to about 1 MB, so a run measures steady state.
fn about_a_megabyte(pages: Vec<String>) -> Vec<String> {
    let size: usize = pages.iter().map(String::len).sum();
    let copies = (1_000_000 / size.max(1)).max(1);
    pages
        .iter()
        .cycle()
        .take(pages.len() * copies)
        .cloned()
        .collect()
}

fn entity_pass(c: &mut Criterion) {
    let mut group = c.benchmark_group("entities");
    group.sample_size(20);
    for (name, pages) in [("corpus_text", corpus_pages()), ("real_text", real_pages())] {
        if pages.is_empty() {
            continue;
        }
        let pages = about_a_megabyte(pages);
        let bytes: usize = pages.iter().map(String::len).sum();
        group.throughput(Throughput::BytesDecimal(bytes as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                for page in &pages {
                    std::hint::black_box(entities::find_all(page));
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, entity_pass);
criterion_main!(benches);
