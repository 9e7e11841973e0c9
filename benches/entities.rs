//! Throughput of the entity pass on one core, in bytes of page text per second: it
//! must stay far ahead of extraction so it never becomes the pipeline's slow stage.
//!
//! `cargo bench --bench entities`; criterion prints `thrpt: [... MiB/s]`.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use foia::{entities, extract};

/// The corpus's page texts, repeated to about 1 MB so a run measures steady state.
fn page_texts() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut pages = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        if let Ok(content) = extract::pdf_pages(&bytes) {
            pages.extend(content.pages.into_iter().map(|page| page.text));
        }
    }
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
    let pages = page_texts();
    let bytes: usize = pages.iter().map(String::len).sum();
    let mut group = c.benchmark_group("entities");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function("corpus_text", |b| {
        b.iter(|| {
            for page in &pages {
                std::hint::black_box(entities::find_all(page));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, entity_pass);
criterion_main!(benches);
