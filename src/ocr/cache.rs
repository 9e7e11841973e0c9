//! OCR results kept in the index folder, keyed by the page image's hash and the
//! languages read, so a re-ingest (a changed file, a copy, `--retry-failed`) never
//! OCRs the same image twice.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::Recognized;
use crate::extract::scan::PageImage;

/// The cache key of a page image read with `languages`: sha256 of both, hex.
pub fn key(image: &PageImage, languages: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(image.gray.width.to_le_bytes());
    hasher.update(image.gray.height.to_le_bytes());
    hasher.update(image.dpi.to_le_bytes());
    hasher.update(languages.as_bytes());
    hasher.update(&image.gray.pixels);
    crate::hash::lower_hex(&hasher.finalize())
}

/// Where a key's entry lives: spread over 256 folders.
fn entry(folder: &Path, key: &str) -> PathBuf {
    folder.join(&key[..2]).join(format!("{key}.json"))
}

/// The cached result for `key`, if any.
pub fn load(folder: &Path, key: &str) -> Option<Recognized> {
    let bytes = std::fs::read(entry(folder, key)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Stores a result, whole or not at all (written aside, then renamed). A cache that
/// cannot be written only costs time later, so failures are ignored.
pub fn store(folder: &Path, key: &str, recognized: &Recognized) {
    let path = entry(folder, key);
    let Some(parent) = path.parent() else {
        return;
    };
    let Ok(json) = serde_json::to_vec(recognized) else {
        return;
    };
    let temporary = path.with_extension(format!("tmp{}", std::process::id()));
    let written = std::fs::create_dir_all(parent)
        .and_then(|()| std::fs::write(&temporary, json))
        .and_then(|()| std::fs::rename(&temporary, &path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::images::Gray;

    #[test]
    fn a_stored_result_comes_back_for_the_same_image_and_languages_only() {
        let folder = tempfile::tempdir().expect("temp dir");
        let image = PageImage {
            gray: Gray::white(3, 2),
            dpi: 300,
        };
        let recognized = Recognized {
            text: "RELEASED IN FULL".to_string(),
            confidence: 91.5,
            tops: vec![0.1],
            line_confidences: vec![91.5],
            words: Vec::new(),
        };
        let key = key(&image, "eng");
        assert_eq!(load(folder.path(), &key), None);
        store(folder.path(), &key, &recognized);
        assert_eq!(load(folder.path(), &key), Some(recognized));
        assert_ne!(super::key(&image, "eng+spa"), key);
        let mut other = image.clone();
        other.gray.pixels[0] = 0;
        assert_ne!(super::key(&other, "eng"), key);
    }
}
