//! Zip archives in a dump, read in place: releases often arrive as `production.zip`,
//! sometimes with zips inside. Members are addressed as `dump.zip!/folder/file.pdf`
//! (`!/` again for each nested archive), never written to disk.
//!
//! Zip bombs are bounded: a member may inflate to at most [`MAX_MEMBER_BYTES`] (an
//! archive inside an archive to [`MAX_NESTED_ARCHIVE_BYTES`], as it is held in memory
//! while its own members are read), and archives nest at most [`MAX_DEPTH`] deep.

use std::io::{Cursor, Read, Seek};
use std::path::Path;

/// Separates an archive's path from a member's path inside it.
pub const MEMBER_SEPARATOR: &str = "!/";

/// The most one member may inflate to; the same bound as a file on disk.
pub const MAX_MEMBER_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// The most an archive inside an archive may inflate to.
pub const MAX_NESTED_ARCHIVE_BYTES: u64 = 512 * 1024 * 1024;

/// Archives inside archives are opened to this depth (the outer archive is depth 1).
pub const MAX_DEPTH: usize = 3;

/// Why an archive or one of its members could not be read. `reason` strings are those
/// of the failure manifest.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("not a readable zip archive: {0}")]
    Corrupt(String),
    #[error("inflates past the {0}-byte limit (possible zip bomb)")]
    TooLarge(u64),
    #[error("archives nested deeper than {MAX_DEPTH}")]
    TooDeep,
    #[error("{0}")]
    Io(std::io::Error),
}

impl ArchiveError {
    pub fn reason(&self) -> &'static str {
        match self {
            ArchiveError::Corrupt(_) => "corrupt",
            ArchiveError::TooLarge(_) | ArchiveError::TooDeep => "too-large",
            ArchiveError::Io(_) => "io",
        }
    }
}

/// True for names that are read as archives.
pub fn is_archive_name(name: &str) -> bool {
    // Compared as bytes: the fourth byte from the end may be inside a character
    // (fuzzing found member names that made a string slice panic there).
    let bytes = name.as_bytes();
    bytes.len() > 4 && bytes[bytes.len() - 4..].eq_ignore_ascii_case(b".zip")
}

/// Calls `visit` with the path (below the archive, `!/`-joined for nested archives)
/// and the bytes of every file member of the archive `reader` holds, in archive
/// order, opening archives inside it. Only an archive that cannot be opened at all
/// is an error; a member that cannot be read is passed to `visit` as its error.
pub fn for_each_member(
    reader: impl Read + Seek,
    visit: &mut dyn FnMut(String, Result<Vec<u8>, ArchiveError>),
) -> Result<(), ArchiveError> {
    walk(reader, "", 1, visit)
}

fn walk(
    reader: impl Read + Seek,
    prefix: &str,
    depth: usize,
    visit: &mut dyn FnMut(String, Result<Vec<u8>, ArchiveError>),
) -> Result<(), ArchiveError> {
    let mut archive =
        zip::ZipArchive::new(reader).map_err(|error| ArchiveError::Corrupt(error.to_string()))?;
    for index in 0..archive.len() {
        let (name, read) = match archive.by_index(index) {
            Ok(member) if member.is_dir() => continue,
            Ok(member) => {
                // A name that is not UTF-8 (old zips use code page 437) is kept as
                // lossy text: it addresses the member, nothing opens it by name.
                let name = match member.name() {
                    Ok(name) => name.into_owned(),
                    Err(_) => String::from_utf8_lossy(member.name_raw()).into_owned(),
                };
                let limit = if is_archive_name(&name) {
                    MAX_NESTED_ARCHIVE_BYTES
                } else {
                    MAX_MEMBER_BYTES
                };
                (name, read_bounded(member, limit))
            }
            Err(error) => (
                format!("#{index}"),
                Err(ArchiveError::Corrupt(error.to_string())),
            ),
        };
        let path = format!("{prefix}{name}");
        match read {
            Ok(bytes) if is_archive_name(&name) => {
                let nested = format!("{path}{MEMBER_SEPARATOR}");
                let opened = if depth >= MAX_DEPTH {
                    Err(ArchiveError::TooDeep)
                } else {
                    walk(Cursor::new(bytes), &nested, depth + 1, visit)
                };
                if let Err(error) = opened {
                    visit(path, Err(error));
                }
            }
            read => visit(path, read),
        }
    }
    Ok(())
}

/// The bytes of a file, or of an archive member named the way ingest names it
/// (`dump.zip!/folder/file.pdf`).
pub fn read_path(path: &Path) -> std::io::Result<Vec<u8>> {
    let text = path.to_string_lossy();
    if let Some((file, member)) = text.split_once(MEMBER_SEPARATOR) {
        if is_archive_name(file) && Path::new(file).is_file() {
            let archive = std::io::BufReader::new(std::fs::File::open(file)?);
            return read_member(archive, member).map_err(|error| match error {
                ArchiveError::Io(error) => error,
                other => std::io::Error::other(other),
            });
        }
    }
    std::fs::read(path)
}

/// The bytes of one member, `member` as [`for_each_member`] names it (through nested
/// archives with `!/`).
pub fn read_member(reader: impl Read + Seek, member: &str) -> Result<Vec<u8>, ArchiveError> {
    let mut archive =
        zip::ZipArchive::new(reader).map_err(|error| ArchiveError::Corrupt(error.to_string()))?;
    let (name, rest) = match member.split_once(MEMBER_SEPARATOR) {
        Some((name, rest)) if is_archive_name(name) => (name, Some(rest)),
        _ => (member, None),
    };
    let entry = archive.by_name(name).map_err(|error| {
        ArchiveError::Io(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("{name}: {error}"),
        ))
    })?;
    match rest {
        None => read_bounded(entry, MAX_MEMBER_BYTES),
        Some(rest) => read_member(
            Cursor::new(read_bounded(entry, MAX_NESTED_ARCHIVE_BYTES)?),
            rest,
        ),
    }
}

/// Reads a member whole, failing once it passes `limit` bytes whatever size the
/// archive declares for it (a bomb can declare anything).
fn read_bounded(member: impl Read, limit: u64) -> Result<Vec<u8>, ArchiveError> {
    let mut bytes = Vec::new();
    member
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ArchiveError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ArchiveError::TooLarge(limit));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in members {
            writer.start_file(*name, options).expect("member starts");
            writer.write_all(bytes).expect("member writes");
        }
        writer.finish().expect("zip finishes").into_inner()
    }

    fn listing(bytes: Vec<u8>) -> Vec<(String, Result<usize, &'static str>)> {
        let mut seen = Vec::new();
        for_each_member(Cursor::new(bytes), &mut |path, read| {
            seen.push((path, read.map(|b| b.len()).map_err(|e| e.reason())));
        })
        .expect("archive opens");
        seen
    }

    #[test]
    fn nested_members_are_addressed_through_each_archive() {
        let inner = zip_of(&[("deep/b.pdf", b"%PDF-b")]);
        let outer = zip_of(&[("a.pdf", b"%PDF-a"), ("folder/inner.zip", &inner)]);
        assert_eq!(
            listing(outer),
            [
                ("a.pdf".to_string(), Ok(6)),
                ("folder/inner.zip!/deep/b.pdf".to_string(), Ok(6)),
            ]
        );
    }

    #[test]
    fn one_member_is_read_by_its_name() {
        let inner = zip_of(&[("deep/b.pdf", b"%PDF-b")]);
        let outer = zip_of(&[("a.pdf", b"%PDF-a"), ("folder/inner.zip", &inner)]);
        let read = |name: &str| read_member(Cursor::new(outer.clone()), name);
        assert_eq!(read("a.pdf").expect("member"), b"%PDF-a");
        assert_eq!(
            read("folder/inner.zip!/deep/b.pdf").expect("nested"),
            b"%PDF-b"
        );
        assert_eq!(read("missing.pdf").unwrap_err().reason(), "io");
    }

    #[test]
    fn nesting_stops_at_the_depth_limit() {
        let mut archive = zip_of(&[("x.pdf", b"%PDF-x")]);
        for level in 0..MAX_DEPTH {
            archive = zip_of(&[(&format!("level{level}.zip"), &archive)]);
        }
        let seen = listing(archive);
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].1, Err("too-large"), "{seen:?}");
    }

    #[test]
    fn a_member_is_cut_off_at_the_limit() {
        let zeros = vec![0u8; 4096];
        assert!(matches!(
            read_bounded(zeros.as_slice(), 4095),
            Err(ArchiveError::TooLarge(4095))
        ));
        assert_eq!(
            read_bounded(zeros.as_slice(), 4096).expect("fits").len(),
            4096
        );
    }

    #[test]
    fn only_zip_names_are_archives() {
        assert!(is_archive_name("Production.ZIP"));
        assert!(!is_archive_name("zip"));
        assert!(!is_archive_name("notes.zip.pdf"));
        assert!(!is_archive_name("caf\u{e9}\u{e9}"));
        assert!(is_archive_name("r\u{e9}sum\u{e9}.zip"));
    }
}
