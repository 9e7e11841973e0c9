//! sha256 as foia spells it, lowercase hex: a file's `doc_id`, an OCR cache key. Its
//! own module because the pipeline (which names files) and OCR (which caches pages)
//! both hash, and neither may reach into the other. Also the hash map of extraction's
//! many small lookups.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

/// A map for the lookups extraction makes per glyph (widths, character maps, places
/// on the page): foldhash, several times faster than the standard SipHash on small
/// keys, and still seeded per process, so a hostile file cannot choose keys that
/// collide.
pub type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// sha256 of `bytes` as lowercase hex: a file's `doc_id`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    lower_hex(&Sha256::digest(bytes))
}

/// Bytes (a digest) as lowercase hex.
pub fn lower_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_lowercase_hex() {
        assert_eq!(lower_hex(&[0x00, 0xab, 0x0f]), "00ab0f");
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
