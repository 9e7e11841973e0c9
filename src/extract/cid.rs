//! Character collections for CJK fonts without a ToUnicode CMap (ISO 32000-1 9.7.5).
//!
//! Such a font names a collection (`Adobe-Japan1`, `Adobe-GB1`, `Adobe-CNS1`,
//! `Adobe-Korea1`) and a predefined CMap (`90ms-RKSJ-H`, or `Identity-H`); text comes
//! from the code -> CID -> Unicode tables Adobe publishes. foia reads the copies that
//! Debian's poppler-data installs under `/usr/share/poppler` (or `$FOIA_CMAP_DIR`)
//! rather than carrying 5 MB of tables; without them such text is left out, as
//! before. Tables are read once per process.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use super::cmap::CMap;

/// Tables already read (or found missing), by name.
type Cache<T> = OnceLock<Mutex<HashMap<String, Option<Arc<T>>>>>;

/// `usecmap` chains longer than this are cut (they are one or two long in practice).
const MAX_USECMAP_DEPTH: usize = 4;

/// Where `cidToUnicode/` and `cMap/` live, if anywhere.
fn data_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("FOIA_CMAP_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/share/poppler"));
    dir.is_dir().then_some(dir)
}

/// A name that is safe to use as a file name under the data folder.
fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// CID -> text for a collection ("Adobe-Japan1"); `None` when the table is not
/// installed.
pub fn collection_texts(collection: &str) -> Option<Arc<Vec<String>>> {
    static CACHE: Cache<Vec<String>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    cache
        .entry(collection.to_string())
        .or_insert_with(|| load_collection(collection).map(Arc::new))
        .clone()
}

fn load_collection(collection: &str) -> Option<Vec<String>> {
    if !plain_name(collection) {
        return None;
    }
    let text = std::fs::read_to_string(data_dir()?.join("cidToUnicode").join(collection)).ok()?;
    // One line per CID, in order: hex Unicode values, several for a sequence.
    Some(
        text.lines()
            .map(|line| {
                line.split_whitespace()
                    .filter_map(|hex| u32::from_str_radix(hex, 16).ok().and_then(char::from_u32))
                    .filter(|c| *c != '\0')
                    .collect()
            })
            .collect(),
    )
}

/// A predefined CMap of a collection ("Adobe-Japan1", "90ms-RKSJ-H"), with the CMaps
/// it uses merged in; `None` when not installed.
pub fn predefined_cmap(collection: &str, name: &str) -> Option<Arc<CMap>> {
    static CACHE: Cache<CMap> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    cache
        .entry(format!("{collection}/{name}"))
        .or_insert_with(|| load_cmap(collection, name, 0).map(Arc::new))
        .clone()
}

fn load_cmap(collection: &str, name: &str, depth: usize) -> Option<CMap> {
    if !plain_name(collection) || !plain_name(name) || depth > MAX_USECMAP_DEPTH {
        return None;
    }
    let bytes = std::fs::read(data_dir()?.join("cMap").join(collection).join(name)).ok()?;
    let mut cmap = CMap::parse(&bytes);
    if let Some(used) = cmap.uses.clone() {
        if let Some(used) = load_cmap(collection, &used, depth + 1) {
            cmap.extend(&used);
        }
    }
    Some(cmap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_paths_are_refused() {
        assert!(!plain_name("../etc/passwd"));
        assert!(!plain_name(""));
        assert!(plain_name("Adobe-Japan1"));
        assert!(collection_texts("../../etc/passwd").is_none());
    }

    #[test]
    fn japanese_collection_when_installed() {
        let Some(texts) = collection_texts("Adobe-Japan1") else {
            eprintln!("skipping: poppler-data is not installed");
            return;
        };
        // CID 843 is HIRAGANA LETTER A in Adobe-Japan1.
        assert_eq!(texts[843], "あ");
        let cmap = predefined_cmap("Adobe-Japan1", "90ms-RKSJ-H").expect("CMap beside the table");
        assert_eq!(cmap.code_length(&[0x82, 0xA0]), Some(2));
        assert_eq!(cmap.cid(2, 0x82A0), Some(843));
        // Its one-byte Latin codes select the half-width forms, which read as ASCII.
        let latin = cmap.cid(1, 0x41).expect("one-byte code mapped") as usize;
        assert_eq!(texts[latin], "A");
    }
}
