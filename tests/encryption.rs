//! Every standard security handler revision, opened with the user and with the owner
//! password: files made with qpdf from one of our own corpus documents (RC4-40 R2,
//! RC4-128 R3 and R4, AES-128 R4, AES-256 R5 and R6; metadata in clear; strings and
//! streams inside object streams) must give exactly the text of the unencrypted file.
//! Also: R6 passwords are compared after SASLprep, a wrong or missing password is
//! refused with a reason, and the pdfminer.six samples (an `/Encrypt` dictionary held in
//! the trailer itself, a file without `/ID`) open with their passwords.
//!
//! Needs `qpdf` (`.ci/run` installs it); skips, saying so, without it.

mod common;

use std::path::Path;
use std::process::Command;

use common::{corpus_dir, real_corpus_dir};
use foia::extract::{self, ExtractError, ExtractOptions};

/// qpdf arguments for each variant, by name.
const VARIANTS: &[(&str, &[&str])] = &[
    ("RC4-40, R2", &["--encrypt", "user", "owner", "40", "--"]),
    (
        "RC4-128, R3",
        &["--encrypt", "user", "owner", "128", "--use-aes=n", "--"],
    ),
    (
        "RC4-128, R4, metadata in clear",
        &[
            "--encrypt",
            "user",
            "owner",
            "128",
            "--use-aes=n",
            "--force-V4",
            "--cleartext-metadata",
            "--",
        ],
    ),
    (
        "AES-128, R4",
        &["--encrypt", "user", "owner", "128", "--use-aes=y", "--"],
    ),
    (
        "AES-128, R4, metadata in clear",
        &[
            "--encrypt",
            "user",
            "owner",
            "128",
            "--use-aes=y",
            "--cleartext-metadata",
            "--",
        ],
    ),
    (
        "AES-256, R5",
        &["--encrypt", "user", "owner", "256", "--force-R5", "--"],
    ),
    ("AES-256, R6", &["--encrypt", "user", "owner", "256", "--"]),
    (
        "AES-256, R6, metadata in clear",
        &[
            "--encrypt",
            "user",
            "owner",
            "256",
            "--cleartext-metadata",
            "--",
        ],
    ),
    (
        "RC4-128, R3, object streams",
        &[
            "--object-streams=generate",
            "--encrypt",
            "user",
            "owner",
            "128",
            "--use-aes=n",
            "--",
        ],
    ),
    (
        "AES-128, R4, object streams",
        &[
            "--object-streams=generate",
            "--encrypt",
            "user",
            "owner",
            "128",
            "--use-aes=y",
            "--",
        ],
    ),
    (
        "AES-256, R6, object streams",
        &[
            "--object-streams=generate",
            "--encrypt",
            "user",
            "owner",
            "256",
            "--",
        ],
    ),
];

fn has_qpdf() -> bool {
    let found = Command::new("qpdf").arg("--version").output().is_ok();
    if !found {
        eprintln!("skipping: qpdf is absent (apt-get install qpdf; .ci/run does)");
    }
    found
}

/// `source` encrypted by qpdf with `args`, as bytes.
fn encrypted(source: &Path, args: &[&str], work: &Path) -> Vec<u8> {
    let out = work.join("encrypted.pdf");
    let status = Command::new("qpdf")
        .arg("--allow-weak-crypto")
        .args(args)
        .arg(source)
        .arg(&out)
        .status()
        .expect("qpdf runs");
    // qpdf exits 3 for "succeeded with warnings".
    assert!(matches!(status.code(), Some(0 | 3)), "qpdf {args:?}");
    std::fs::read(&out).expect("qpdf wrote the file")
}

fn with_password(password: Option<&str>) -> ExtractOptions {
    ExtractOptions {
        password: password.map(str::to_string),
        ..ExtractOptions::default()
    }
}

/// The text of every page, or the failure's reason.
fn pages(bytes: &[u8], password: Option<&str>) -> Result<Vec<String>, String> {
    extract::pdf_pages_with(bytes, &with_password(password))
        .map(|content| content.pages.into_iter().map(|page| page.text).collect())
        .map_err(|error| error.to_string())
}

#[test]
fn every_revision_opens_with_the_user_or_the_owner_password() {
    if !has_qpdf() {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let source = corpus_dir().join("contract-award.pdf");
    let plain = pages(&std::fs::read(&source).expect("corpus file"), None).expect("plain text");
    assert!(plain.len() == 2 && plain.iter().all(|text| !text.is_empty()));
    for (name, args) in VARIANTS {
        let bytes = encrypted(&source, args, work.path());
        for password in ["user", "owner"] {
            assert_eq!(
                pages(&bytes, Some(password)).as_ref(),
                Ok(&plain),
                "{name}, {password} password"
            );
        }
        let locked = extract::pdf_pages_with(&bytes, &with_password(None));
        assert!(
            matches!(locked, Err(ExtractError::Encrypted(_))),
            "{name} without a password: {locked:?}"
        );
        let wrong = extract::pdf_pages_with(&bytes, &with_password(Some("guess")));
        assert!(
            matches!(wrong, Err(ExtractError::Encrypted(_))),
            "{name} with a wrong password: {wrong:?}"
        );
    }
}

#[test]
fn an_empty_user_password_opens_without_one() {
    if !has_qpdf() {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let source = corpus_dir().join("contract-award.pdf");
    let plain = pages(&std::fs::read(&source).expect("corpus file"), None).expect("plain text");
    for bits in ["128", "256"] {
        let bytes = encrypted(
            &source,
            &["--encrypt", "", "owner", bits, "--"],
            work.path(),
        );
        assert_eq!(pages(&bytes, None).as_ref(), Ok(&plain), "{bits}-bit");
        assert_eq!(
            pages(&bytes, Some("owner")).as_ref(),
            Ok(&plain),
            "{bits}-bit"
        );
    }
}

#[test]
fn r6_passwords_are_compared_after_saslprep() {
    if !has_qpdf() {
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let source = corpus_dir().join("contract-award.pdf");
    let plain = pages(&std::fs::read(&source).expect("corpus file"), None).expect("plain text");
    let bytes = encrypted(
        &source,
        &["--encrypt", "L\u{e4}use", "owner", "256", "--"],
        work.path(),
    );
    // Decomposed "a" + combining diaeresis is normalised to "ä" (NFKC); a soft hyphen
    // maps to nothing (RFC 4013).
    for spelling in ["L\u{e4}use", "La\u{308}use", "L\u{e4}u\u{ad}se"] {
        assert_eq!(
            pages(&bytes, Some(spelling)).as_ref(),
            Ok(&plain),
            "{spelling:?}"
        );
    }
}

#[test]
fn pdfminer_samples_open_with_their_passwords() {
    let Some(real) = real_corpus_dir() else {
        return;
    };
    let samples = real.join("pdfminer.six/samples/encryption");
    let expected = pages(
        &std::fs::read(samples.join("base.pdf")).expect("base.pdf"),
        None,
    )
    .expect("base.pdf reads");
    assert!(expected[0].contains("Secret!"), "{expected:?}");
    // The `/Encrypt` dictionary of these six is held in the trailer itself; "foo" is
    // their owner password (pdfminer.six's tests), the user password of RC4 ones is not.
    for name in [
        "rc4-40",
        "rc4-128",
        "aes-128",
        "aes-128-m",
        "aes-256",
        "aes-256-m",
    ] {
        let bytes = std::fs::read(samples.join(format!("{name}.pdf"))).expect("sample");
        assert_eq!(pages(&bytes, Some("foo")).as_ref(), Ok(&expected), "{name}");
    }
    // R6 with both passwords (pdfminer.six's tests give them).
    let r6 = std::fs::read(samples.join("aes-256-r6.pdf")).expect("sample");
    for password in ["usersecret", "ownersecret"] {
        let text = pages(&r6, Some(password)).expect(password);
        assert!(text[0].contains("Hello World"), "{password}: {text:?}");
    }
    // No `/ID`: read with an empty one, as poppler does; three pages, as poppler finds.
    let no_id = std::fs::read(samples.join("encrypted_doc_no_id.pdf")).expect("sample");
    let read = extract::pdf_pages(&no_id).expect("opens with the empty password");
    assert_eq!(read.pages.len(), 3);
}

/// A one-page file showing `words`, its content stream's dictionary extended by
/// `stream`, encrypted by lopdf as V4 (AES-128 for strings through `StdCF`, and
/// `stream_filter` for streams), with `user` as the user password.
fn crypt_filter_file(
    words: &str,
    stream: lopdf::Dictionary,
    stream_filter: &[u8],
    user: &str,
) -> Vec<u8> {
    use lopdf::encryption::crypt_filters::{Aes128CryptFilter, CryptFilter};
    use lopdf::{dictionary, Object};
    let mut document = lopdf::Document::with_version("1.7");
    let pages = document.new_object_id();
    let content = format!("BT /F1 14 Tf 72 700 Td ({words}) Tj ET");
    let content = document.add_object(lopdf::Stream::new(stream, content.into_bytes()));
    let page = document.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages, "Contents" => content,
        "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        } } },
    });
    document.objects.insert(
        pages,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
        ),
    );
    let catalog = document.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    let info =
        document.add_object(dictionary! { "Title" => Object::string_literal("Crypt filter test") });
    document.trailer.set("Root", catalog);
    document.trailer.set("Info", info);
    document.trailer.set(
        "ID",
        vec![
            Object::string_literal("0123456789abcdef"),
            Object::string_literal("0123456789abcdef"),
        ],
    );
    let aes: std::sync::Arc<dyn CryptFilter> = std::sync::Arc::new(Aes128CryptFilter);
    let version = lopdf::EncryptionVersion::V4 {
        document: &document,
        encrypt_metadata: true,
        crypt_filters: [(b"StdCF".to_vec(), aes)].into_iter().collect(),
        stream_filter: stream_filter.to_vec(),
        string_filter: b"StdCF".to_vec(),
        owner_password: "owner",
        user_password: user,
        permissions: lopdf::Permissions::all(),
    };
    let state = lopdf::EncryptionState::try_from(version).expect("encryption state");
    document.encrypt(&state).expect("encrypts");
    let mut bytes = Vec::new();
    document.save_to(&mut bytes).expect("saves");
    bytes
}

#[test]
fn identity_and_per_stream_crypt_filters_leave_those_streams_as_written() {
    use lopdf::dictionary;
    // Streams under /Identity (StmF), strings under AES-128: the content is plain, the
    // title is not.
    let bytes = crypt_filter_file("Streams in clear", dictionary! {}, b"Identity", "user");
    assert!(
        bytes
            .windows(16)
            .any(|window| window == b"Streams in clear"),
        "the stream is written in clear"
    );
    let read = extract::pdf_pages_with(&bytes, &with_password(Some("user"))).expect("opens");
    assert!(
        read.pages[0].text.contains("Streams in clear"),
        "{:?}",
        read.pages
    );
    assert_eq!(read.title.as_deref(), Some("Crypt filter test"));

    // Streams under AES-128, except this one: its own /Crypt filter names /Identity.
    let own = dictionary! {
        "Filter" => vec!["Crypt".into()],
        "DecodeParms" => vec![lopdf::Object::Dictionary(dictionary! { "Type" => "CryptFilterDecodeParms", "Name" => "Identity" })],
    };
    let bytes = crypt_filter_file("Its own crypt filter", own, b"StdCF", "");
    let read = extract::pdf_pages(&bytes).expect("opens with the empty password");
    assert!(
        read.pages[0].text.contains("Its own crypt filter"),
        "{:?}",
        read.pages
    );
    assert_eq!(read.title.as_deref(), Some("Crypt filter test"));
}
