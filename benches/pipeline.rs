//! Throughput of the two heavy stages on the bundled corpus: extraction (PDF bytes ->
//! pages) and indexing (pages -> committed Tantivy index), both in pages per second.
//!
//! `cargo bench --bench pipeline`; criterion prints `thrpt: [... elem/s]`, one element
//! being one page. `extract/corpus_pages_deciding` is extraction as `ingest` runs it
//! with OCR on: every page's text layer plus the decision of what to read from its
//! picture (OCR itself not run), the cost a text-only dump pays for that decision.
//! `extract/shared_pages_deciding` is the same over every PDF of
//! `../shared/corpus-real` and `../shared/corpus-foia` (when present): real files,
//! scans with OCR layers and redacted releases among them, where the redaction check
//! costs what it costs.

use std::path::Path;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use foia::extract;
use foia::hash::sha256_hex;
use foia::index::writer::{FileRecord, IndexSink};
use foia::index::FoiaIndex;
use foia::similarity::Sketch;

/// The corpus PDFs as (path, bytes).
fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .expect("corpus folder")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let bytes = std::fs::read(&path).ok()?;
            extract::is_pdf(&bytes).then(|| (path.to_string_lossy().into_owned(), bytes))
        })
        .collect();
    files.sort();
    files
}

fn extraction(c: &mut Criterion) {
    let files = corpus();
    let pages: usize = files
        .iter()
        .map(|(_, bytes)| {
            extract::pdf_pages(bytes)
                .expect("corpus extracts")
                .pages
                .len()
        })
        .sum();
    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Elements(pages as u64));
    group.bench_function("corpus_pages", |b| {
        b.iter(|| {
            for (_, bytes) in &files {
                std::hint::black_box(extract::pdf_pages(bytes).expect("corpus extracts"));
            }
        })
    });
    let deciding = extract::ExtractOptions {
        ocr: foia::ocr::OcrOptions {
            mode: foia::ocr::OcrMode::Auto,
            ..foia::ocr::OcrOptions::default()
        },
        ..extract::ExtractOptions::default()
    };
    group.bench_function("corpus_pages_deciding", |b| {
        b.iter(|| {
            for (_, bytes) in &files {
                std::hint::black_box(
                    extract::text_layers(bytes, &deciding).expect("corpus extracts"),
                );
            }
        })
    });
    let shared = shared_corpora();
    if !shared.is_empty() {
        let readable: Vec<&Vec<u8>> = shared
            .iter()
            .filter(|bytes| extract::text_layers(bytes, &deciding).is_ok())
            .collect();
        let pages: usize = readable
            .iter()
            .filter_map(|bytes| extract::text_layers(bytes, &deciding).ok())
            .map(|layers| layers.content.pages.len())
            .sum();
        group.throughput(Throughput::Elements(pages as u64));
        group.sample_size(10);
        group.bench_function("shared_pages_deciding", |b| {
            b.iter(|| {
                for bytes in &readable {
                    std::hint::black_box(extract::text_layers(bytes, &deciding).ok());
                }
            })
        });
    }
    group.finish();
}

/// Every PDF of `../shared/corpus-real` and `../shared/corpus-foia`, as an ingest
/// walks them; none (with a note) in a clone without them.
fn shared_corpora() -> Vec<Vec<u8>> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let dirs: Vec<std::path::PathBuf> = ["corpus-real", "corpus-foia"]
        .iter()
        .map(|name| shared.join(name))
        .filter(|dir| dir.is_dir())
        .collect();
    if dirs.is_empty() {
        eprintln!(
            "pipeline: {} is absent; no shared-corpus figures",
            shared.display()
        );
        return Vec::new();
    }
    let (files, _) = foia::pipeline::input_files(&dirs);
    files
        .iter()
        .filter_map(|path| std::fs::read(path).ok())
        .filter(|bytes| extract::is_pdf(bytes))
        .collect()
}

fn indexing(c: &mut Criterion) {
    let records: Vec<FileRecord> = corpus()
        .into_iter()
        .map(|(path, bytes)| {
            let content = extract::pdf_pages(&bytes).expect("corpus extracts");
            let pages: Vec<&str> = content
                .pages
                .iter()
                .map(|page| page.text.as_str())
                .collect();
            let entities = foia::entities::find_in_document(&pages);
            let sketches = pages.iter().map(|text| Sketch::of(text)).collect();
            FileRecord {
                doc_id: sha256_hex(&bytes),
                path,
                content,
                entities,
                sketches,
            }
        })
        .collect();
    let pages: usize = records
        .iter()
        .map(|record| record.content.pages.len())
        .sum();
    let mut group = c.benchmark_group("index");
    group.throughput(Throughput::Elements(pages as u64));
    group.sample_size(20);
    group.bench_function("corpus_pages_commit", |b| {
        b.iter_batched(
            || tempfile::tempdir().expect("temp dir"),
            |dir| {
                let index = FoiaIndex::open_or_create(dir.path()).expect("index");
                let mut sink = IndexSink::new(&index, 64 * 1024 * 1024).expect("writer");
                for record in &records {
                    sink.replace(record).expect("add pages");
                }
                sink.commit().expect("commit");
                dir
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, extraction, indexing);
criterion_main!(benches);
