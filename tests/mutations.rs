//! Random damage never panics the extractor nor hangs it: every corpus file, and
//! every real file when `../shared/corpus-real` is present, is read again after
//! byte changes and truncations from a fixed-seed generator (so a failure can be
//! replayed), and each read must end with pages or an error other than `panic`, within
//! a few seconds.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{corpus_dir, real_corpus_dir};
use foia::extract::{self, ExtractError};

/// A read that takes longer than this has all but hung.
const SLOW: Duration = Duration::from_secs(5);

/// The PDFs below `dir`, sorted.
fn pdfs(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for path in std::fs::read_dir(&folder)
            .expect("folder")
            .flatten()
            .map(|e| e.path())
        {
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|extension| extension == "pdf") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Reads `copies` damaged variants of each file, returning the failures found.
fn damage(files: &[PathBuf], copies: usize, mut seed: u64) -> Vec<String> {
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize
    };
    let mut failures = Vec::new();
    for file in files {
        let original = std::fs::read(file).expect("readable file");
        if original.len() < 64 {
            continue;
        }
        for copy in 0..copies {
            let mut bytes = original.clone();
            for _ in 0..1 + next() % 20 {
                let at = next() % bytes.len();
                bytes[at] = next() as u8;
            }
            if next() % 4 == 0 {
                bytes.truncate((next() % bytes.len()).max(32));
            }
            let started = Instant::now();
            let result = extract::pdf_pages(&bytes);
            let name = file.display();
            if let Err(ExtractError::Panic(message)) = result {
                failures.push(format!("{name} copy {copy}: panicked: {message}"));
            }
            if started.elapsed() > SLOW {
                failures.push(format!("{name} copy {copy}: took {:?}", started.elapsed()));
            }
        }
    }
    failures
}

#[test]
fn damaged_corpus_files_never_panic_or_hang() {
    let failures = damage(&pdfs(&corpus_dir()), 40, 7);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn damaged_real_files_never_panic_or_hang() {
    let Some(dir) = real_corpus_dir() else {
        return;
    };
    let failures = damage(&pdfs(&dir), 2, 11);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
