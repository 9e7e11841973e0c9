//! Builds the seed corpora of the fuzz targets (`fuzz/run.sh` calls it) from real
//! files, so fuzzing starts from inputs that reach deep into each reader:
//!
//! `cargo run --release --example fuzz_seeds -- OUT_DIR PDF_DIR...`
//!
//! writes `OUT_DIR/TARGET/NNNN` for every target of `foia::fuzzing`: small whole files,
//! page content streams, CMaps, embedded font programs and image samples (each with
//! the selector byte its target expects), zips of small files, and queries.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use lopdf::{Document, Object};

/// Whole files and streams larger than this are left out: libFuzzer mutates small
/// inputs far faster, and a large seed adds little coverage a small one lacks.
const MAX_SEED_BYTES: usize = 64 * 1024;
/// Seeds per target.
const MAX_SEEDS: usize = 400;

struct Seeds {
    out: PathBuf,
    seen: HashSet<(String, Vec<u8>)>,
}

impl Seeds {
    fn add(&mut self, target: &str, bytes: Vec<u8>) {
        if bytes.is_empty() || bytes.len() > MAX_SEED_BYTES {
            return;
        }
        let dir = self.out.join(target);
        let count = std::fs::read_dir(&dir).map_or(0, |entries| entries.count());
        if count >= MAX_SEEDS || !self.seen.insert((target.to_string(), bytes.clone())) {
            return;
        }
        std::fs::create_dir_all(&dir).expect("seed folder");
        std::fs::write(dir.join(format!("{count:04}")), bytes).expect("seed written");
    }
}

/// The PDFs under `dir`, sorted, as an ingest walks it.
fn pdfs(dir: &Path) -> Vec<PathBuf> {
    let (files, _) = foia::pipeline::input_files(&[dir.to_path_buf()]);
    files
        .into_iter()
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext.eq_ignore_ascii_case("pdf"))
        })
        .collect()
}

/// The selector byte `foia::fuzzing::font_program` reads for a font file entry.
fn font_selector(key: &[u8], subtype: Option<&[u8]>) -> Option<u8> {
    match (key, subtype) {
        (b"FontFile", _) => Some(0),
        (b"FontFile2", _) => Some(1),
        (b"FontFile3", Some(b"Type1C")) => Some(2),
        (b"FontFile3", Some(b"CIDFontType0C")) => Some(3),
        (b"FontFile3", Some(b"OpenType")) => Some(4),
        _ => None,
    }
}

/// The selector byte `foia::fuzzing::image` reads for an image's filter, if it has one
/// the target draws.
fn image_selector(dict: &lopdf::Dictionary) -> Option<u8> {
    let filter = match dict.get(b"Filter") {
        Ok(Object::Name(name)) => Some(name.clone()),
        Ok(Object::Array(names)) if names.len() == 1 => names[0].as_name().ok().map(<[u8]>::to_vec),
        Ok(_) => return None,
        Err(_) => None,
    };
    match filter.as_deref() {
        None => Some(0),
        Some(b"CCITTFaxDecode") => Some(2),
        Some(b"DCTDecode") => Some(4),
        Some(b"FlateDecode") => Some(5),
        _ => None,
    }
}

fn from_pdf(path: &Path, seeds: &mut Seeds) {
    let Ok(bytes) = std::fs::read(path) else {
        return;
    };
    seeds.add("extract_file", bytes.clone());
    let Ok(document) = Document::load_mem(&bytes) else {
        return;
    };
    for page_id in document.get_pages().values() {
        seeds.add("content_stream", document.get_page_content(*page_id));
    }
    for object in document.objects.values() {
        match object {
            Object::Dictionary(dict) if dict.has(b"ToUnicode") => {
                let stream = dict
                    .get(b"ToUnicode")
                    .and_then(Object::as_reference)
                    .and_then(|id| document.get_object(id))
                    .and_then(Object::as_stream);
                if let Ok(stream) = stream {
                    seeds.add("cmap", decoded(stream));
                }
            }
            Object::Dictionary(dict) if dict.has(b"FontName") => {
                for key in [&b"FontFile"[..], b"FontFile2", b"FontFile3"] {
                    let Ok(stream) = dict
                        .get(key)
                        .and_then(Object::as_reference)
                        .and_then(|id| document.get_object(id))
                        .and_then(Object::as_stream)
                    else {
                        continue;
                    };
                    let subtype = stream.dict.get(b"Subtype").and_then(Object::as_name).ok();
                    if let Some(selector) = font_selector(key, subtype) {
                        let mut seed = vec![selector];
                        seed.extend(decoded(stream));
                        seeds.add("font_program", seed);
                    }
                }
            }
            Object::Stream(stream)
                if stream.dict.has_type(b"XObject") || stream.dict.has(b"Width") =>
            {
                let dict = &stream.dict;
                let size = |key: &[u8]| dict.get(key).and_then(Object::as_i64).unwrap_or(0);
                let (width, height) = (size(b"Width"), size(b"Height"));
                if !(1..=64).contains(&width) || !(1..=64).contains(&height) {
                    continue;
                }
                if let Some(selector) = image_selector(dict) {
                    let mut seed = vec![selector, (width - 1) as u8, (height - 1) as u8];
                    seed.extend_from_slice(&stream.content);
                    seeds.add("image", seed);
                }
            }
            _ => {}
        }
    }
}

/// A stream's bytes with its filters undone (as written when they cannot be).
fn decoded(stream: &lopdf::Stream) -> Vec<u8> {
    stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone())
}

/// A zip of `files` (by name), with one of them also inside a nested zip.
fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, bytes) in files {
        writer.start_file(*name, options).expect("zip member");
        writer.write_all(bytes).expect("zip write");
    }
    writer.finish().expect("zip finish").into_inner()
}

/// Queries of the kinds README documents.
const QUERIES: &[&str] = &[
    "license plate",
    "\"license plate\" AND ICE",
    "vendor:\"Vigilant Solutions\"",
    "amount:>=1000000",
    "amount:[1000 TO 5000]",
    "date:[2018-01-01 TO 2018-12-31]",
    "exemption:b6 OR exemption:b7C",
    "agency:ICE AND NOT audit",
    "purged AND NOT audit",
    "text_source:mixed AND reason:unmapped-font",
    "ocr:true AND Vigilant",
    "person:\"Owen Brandt\" contract:HSCEMD-17-C-00005",
    "(a OR b) AND -c",
];

fn main() {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().expect("usage: fuzz_seeds OUT_DIR PDF_DIR..."));
    let files: Vec<PathBuf> = args.flat_map(|dir| pdfs(Path::new(&dir))).collect();
    let mut seeds = Seeds {
        out,
        seen: HashSet::new(),
    };
    for path in &files {
        from_pdf(path, &mut seeds);
    }
    let small: Vec<Vec<u8>> = files
        .iter()
        .filter_map(|path| std::fs::read(path).ok())
        .filter(|bytes| bytes.len() < 8 * 1024)
        .take(8)
        .collect();
    for pair in small.chunks(2) {
        let members: Vec<(&str, &[u8])> = ["a.pdf", "b.pdf"]
            .into_iter()
            .zip(pair.iter().map(Vec::as_slice))
            .collect();
        let inner = zip_of(&members);
        seeds.add(
            "zip_member",
            zip_of(&[("a.zip", &inner), ("c.pdf", &pair[0])]),
        );
        seeds.add("zip_member", inner);
    }
    for query in QUERIES {
        seeds.add("query", query.as_bytes().to_vec());
    }
    for (target, _) in foia::fuzzing::TARGETS {
        let count = std::fs::read_dir(seeds.out.join(target)).map_or(0, |entries| entries.count());
        println!("{target}: {count} seeds");
    }
}
