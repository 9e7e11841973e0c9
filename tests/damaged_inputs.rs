//! A dump of damaged inputs made from the corpus with qpdf and plain byte edits (and zip
//! archives, whole and broken), ingested
//! in one run: every file ends indexed (with its page count) or as one line of
//! `failures.jsonl` with the right reason, nothing panics, nothing hangs, and what an
//! earlier run indexed is still there.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{corpus_dir, foia, indexed_pages};
use lopdf::{dictionary, Object, Stream};

/// A run that takes longer than this has hung on some file.
const RUN_LIMIT: Duration = Duration::from_secs(180);

/// What must become of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Indexed with exactly this many pages.
    Pages(usize),
    /// In the manifest with this reason.
    Fails(&'static str),
    /// Either indexed with at least one page or failed as `corrupt`: damage that
    /// may or may not leave a readable file.
    PagesOrCorrupt,
}

/// Runs `qpdf ARGS`; qpdf exits 3 for "succeeded with warnings".
fn qpdf(args: &[&str]) {
    let status = Command::new("qpdf")
        .args(args)
        .status()
        .expect("qpdf is installed (.ci/run installs it)");
    assert!(
        matches!(status.code(), Some(0 | 3)),
        "qpdf {args:?}: {status}"
    );
}

/// Runs `foia ARGS` like [`foia`], but fails the test if it runs past [`RUN_LIMIT`].
fn foia_bounded(args: &[&std::ffi::OsStr]) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_foia"))
        .args(args)
        .env_remove("FOIA_INDEX")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("foia starts");
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("foia runs") {
            let mut stderr = String::new();
            std::io::Read::read_to_string(
                child.stderr.as_mut().expect("stderr is piped"),
                &mut stderr,
            )
            .expect("stderr reads");
            return (status.code().unwrap_or(-1), stderr);
        }
        if started.elapsed() > RUN_LIMIT {
            let _ = child.kill();
            panic!("foia {args:?} hung for {RUN_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Reason per absolute path in the index's failure manifest.
fn manifest(index: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(index.join("failures.jsonl")).unwrap_or_default();
    text.lines()
        .map(|line| {
            let record: serde_json::Value = serde_json::from_str(line).expect("JSON line");
            (
                record["path"].as_str().expect("path").to_string(),
                record["reason"].as_str().expect("reason").to_string(),
            )
        })
        .collect()
}

/// `source` with its first page's content replaced by `contents` (an object added to
/// the document by `add`).
fn with_contents(
    source: &Path,
    add: impl FnOnce(&mut lopdf::Document) -> lopdf::ObjectId,
) -> Vec<u8> {
    let mut document = lopdf::Document::load(source).expect("corpus PDF loads");
    let page_id = *document.get_pages().values().next().expect("a page");
    let contents = add(&mut document);
    document
        .get_object_mut(page_id)
        .and_then(Object::as_dict_mut)
        .expect("page dictionary")
        .set("Contents", contents);
    let mut bytes = Vec::new();
    document.save_to(&mut bytes).expect("saves");
    bytes
}

/// Flips `count` bytes of `bytes` past the header, at positions from a fixed-seed
/// generator so a failure can be reproduced.
fn flip_bytes(bytes: &mut [u8], count: usize, mut seed: u64) {
    for _ in 0..count {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let at = 16 + (seed >> 33) as usize % (bytes.len() - 16);
        bytes[at] ^= 0x5a;
    }
}

/// Builds the damaged dump in `dump`, returning what must become of each file.
fn make_dump(dump: &Path) -> Vec<(PathBuf, Expect)> {
    let one_page = corpus_dir().join("alpr-audit-log.pdf");
    let two_pages = corpus_dir().join("contract-award.pdf");
    let original = std::fs::read(&two_pages).expect("corpus file");
    let mut files = Vec::new();
    let mut add = |name: &str, bytes: &[u8], expect: Expect| {
        let path = dump.join(name);
        std::fs::write(&path, bytes).expect("write");
        files.push((path, expect));
    };

    add("intact.pdf", &original, Expect::Pages(2));
    for percent in [10, 50, 90, 99] {
        let cut = original.len() * percent / 100;
        add(
            &format!("truncated-{percent}.pdf"),
            &original[..cut],
            Expect::PagesOrCorrupt,
        );
    }
    for seed in 1..=3 {
        let mut flipped = original.clone();
        flip_bytes(&mut flipped, 40, seed);
        add(
            &format!("flipped-{seed}.pdf"),
            &flipped,
            Expect::PagesOrCorrupt,
        );
    }
    // No cross-reference table at all, and one that points nowhere: the reader must
    // find the objects by scanning, as poppler does.
    let last = |needle: &[u8]| {
        original
            .windows(needle.len())
            .rposition(|window| window == needle)
            .expect("the corpus file has a classic xref table")
    };
    let (xref, trailer) = (last(b"\nxref") + 1, last(b"trailer"));
    let mut no_xref = original.clone();
    no_xref[xref..trailer].fill(b' ');
    add("xref-removed.pdf", &no_xref, Expect::Pages(2));
    let startxref = last(b"startxref") + "startxref\n".len();
    let mut bad_offset = original.clone();
    bad_offset[startxref..startxref + 3].copy_from_slice(b"999");
    add("xref-offset-wrong.pdf", &bad_offset, Expect::Pages(2));

    add("empty.pdf", b"", Expect::Fails("not-pdf"));
    add(
        "not-a-pdf.pdf",
        b"Subject: FOIA request\n\nThis is an e-mail, not a PDF.\n",
        Expect::Fails("not-pdf"),
    );
    let bomb = with_contents(&one_page, |document| {
        let mut stream = Stream::new(dictionary! {}, vec![b' '; 80 * 1024 * 1024]);
        stream.compress().expect("compresses");
        document.add_object(stream)
    });
    add("decompression-bomb.pdf", &bomb, Expect::Fails("too-large"));
    let self_reference = with_contents(&one_page, |document| {
        let id = document.new_object_id();
        document.objects.insert(id, Object::Reference(id));
        id
    });
    add(
        "reference-loop.pdf",
        &self_reference,
        Expect::PagesOrCorrupt,
    );

    let source = two_pages.to_str().expect("UTF-8 path");
    let made = |name: &str| dump.join(name).to_string_lossy().into_owned();
    let mut qpdf_made = |name: &str, args: &[&str], expect: Expect| {
        let out = made(name);
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--", source, &out]);
        qpdf(&all);
        files.push((PathBuf::from(out), expect));
    };
    let variants: [(&str, &[&str], Expect); 6] = [
        (
            "object-streams.pdf",
            &["--object-streams=generate"],
            Expect::Pages(2),
        ),
        (
            "encrypted-empty-aes256.pdf",
            &["--encrypt", "", "owner", "256"],
            Expect::Pages(2),
        ),
        (
            "encrypted-empty-aes128.pdf",
            &["--encrypt", "", "owner", "128", "--use-aes=y"],
            Expect::Pages(2),
        ),
        (
            "encrypted-empty-rc4-128.pdf",
            &[
                "--allow-weak-crypto",
                "--encrypt",
                "",
                "owner",
                "128",
                "--use-aes=n",
            ],
            Expect::Pages(2),
        ),
        (
            "encrypted-empty-rc4-40.pdf",
            &["--allow-weak-crypto", "--encrypt", "", "owner", "40"],
            Expect::Pages(2),
        ),
        (
            "encrypted-password.pdf",
            &["--encrypt", "s3cret", "owner", "256"],
            Expect::Fails("encrypted"),
        ),
    ];
    for (name, args, expect) in variants {
        qpdf_made(name, args, expect);
    }

    // Archives are read in place, nested ones too; members are named through them.
    let inner = zip_of(&[("scans/inside-inner.pdf", &original)]);
    let outer = zip_of(&[
        ("folder/inside-outer.pdf", &original),
        ("folder/readme.txt", b"not a PDF, ignored"),
        ("inner.zip", &inner),
    ]);
    std::fs::write(dump.join("archive.zip"), &outer).expect("write");
    let member = |path: &str| dump.join(format!("archive.zip!/{path}"));
    files.push((member("folder/inside-outer.pdf"), Expect::Pages(2)));
    files.push((
        member("inner.zip!/scans/inside-inner.pdf"),
        Expect::Pages(2),
    ));
    std::fs::write(dump.join("broken.zip"), &outer[..outer.len() / 2]).expect("write");
    files.push((dump.join("broken.zip"), Expect::Fails("corrupt")));

    // A folder that only looks like a file is walked like any folder.
    let folder = dump.join("folder.pdf");
    std::fs::create_dir(&folder).expect("folder");
    std::fs::copy(&one_page, folder.join("inside.pdf")).expect("copy");
    files.push((folder.join("inside.pdf"), Expect::Pages(1)));
    files
}

/// A zip archive of `members` (name, bytes), deflated.
fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in members {
        writer.start_file(*name, options).expect("member starts");
        writer.write_all(bytes).expect("member writes");
    }
    writer.finish().expect("zip finishes").into_inner()
}

/// The absolute path the index stores: a member of an archive is named through the
/// archive's absolute path.
fn absolute(path: &Path) -> String {
    let text = path.to_string_lossy();
    match text.split_once("!/") {
        Some((archive, member)) => format!("{}!/{member}", absolute(Path::new(archive))),
        None => std::fs::canonicalize(path)
            .expect("file exists")
            .to_string_lossy()
            .into_owned(),
    }
}

#[test]
fn every_damaged_file_ends_indexed_or_in_the_manifest_with_its_reason() {
    let work = tempfile::tempdir().expect("temp dir");
    let dump = work.path().join("dump");
    std::fs::create_dir(&dump).expect("dump folder");
    let index = work.path().join("index");
    // Work already indexed must survive the damaged run.
    let earlier = corpus_dir().join("invoice.pdf");
    assert_eq!(common::ingest(&index, &[&earlier]).code, 0);

    let files = make_dump(&dump);
    let (code, stderr) = foia_bounded(&[
        "ingest".as_ref(),
        dump.as_os_str(),
        "--index".as_ref(),
        index.as_os_str(),
        "--quiet".as_ref(),
    ]);
    assert_eq!(code, 1, "some files fail, the run goes on:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    let pages = indexed_pages(&index);
    let failures = manifest(&index);
    assert_eq!(pages.get(&absolute(&earlier)), Some(&vec![1]));
    for (path, expect) in &files {
        let key = absolute(path);
        let indexed = pages.get(&key).map(Vec::len);
        let reason = failures.get(&key).map(String::as_str);
        let name = path.file_name().expect("name").to_string_lossy();
        match expect {
            Expect::Pages(count) => {
                assert_eq!(indexed, Some(*count), "{name}: failed as {reason:?}");
                assert_eq!(reason, None, "{name}");
            }
            Expect::Fails(expected) => {
                assert_eq!(reason, Some(*expected), "{name}");
                assert_eq!(indexed, None, "{name}");
                let line = stderr.lines().filter(|line| line.contains(&*name)).count();
                assert_eq!(line, 1, "{name}: one error line\n{stderr}");
            }
            Expect::PagesOrCorrupt => match (indexed, reason) {
                (Some(count), None) => assert!(count >= 1, "{name}"),
                (None, Some("corrupt")) => {}
                other => panic!("{name}: {other:?}"),
            },
        }
    }

    // The intact file's text is the same through every encryption and container.
    let text_of = |name: &str, extra: &[&str]| {
        let mut args = vec![std::ffi::OsString::from("extract"), dump.join(name).into()];
        args.extend(extra.iter().map(Into::into));
        let run = foia(args);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        run.stdout
    };
    let intact = text_of("intact.pdf", &[]);
    for name in [
        "object-streams.pdf",
        "encrypted-empty-aes256.pdf",
        "encrypted-empty-rc4-40.pdf",
        "xref-removed.pdf",
        "archive.zip!/inner.zip!/scans/inside-inner.pdf",
    ] {
        assert_eq!(text_of(name, &[]), intact, "{name}");
    }
    let opened = text_of("encrypted-password.pdf", &["--password", "s3cret"]);
    assert_eq!(opened, intact);

    // The password opens the last one; retrying the failures with it clears its line.
    let locked = absolute(&dump.join("encrypted-password.pdf"));
    let (code, stderr) = foia_bounded(&[
        "ingest".as_ref(),
        "--retry-failed".as_ref(),
        "--password".as_ref(),
        "s3cret".as_ref(),
        "--index".as_ref(),
        index.as_os_str(),
        "--quiet".as_ref(),
    ]);
    assert_eq!(code, 1, "the others still fail:\n{stderr}");
    assert_eq!(indexed_pages(&index).get(&locked).map(Vec::len), Some(2));
    let after = manifest(&index);
    assert!(!after.contains_key(&locked), "{after:?}");
    assert!(after
        .values()
        .all(|reason| ["not-pdf", "too-large", "corrupt"].contains(&reason.as_str())));

    let status = foia([
        "status".as_ref(),
        "--json".as_ref(),
        "--index".as_ref(),
        index.as_os_str(),
    ]);
    let status: serde_json::Value = serde_json::from_str(status.stdout.trim()).expect("JSON");
    let failed: u64 = status["failures"]
        .as_object()
        .expect("failures by reason")
        .values()
        .map(|count| count.as_u64().expect("count"))
        .sum();
    assert_eq!(failed, after.len() as u64);
    assert_eq!(
        status["documents"].as_u64(),
        Some(indexed_pages(&index).len() as u64)
    );
}
