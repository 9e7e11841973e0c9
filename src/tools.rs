//! The external programs foia runs on images (Tesseract, `jbig2dec`,
//! `opj_decompress`): one way to run them, and one way to say what to install when one
//! is missing, so a machine without them reports instead of failing.

use std::ffi::OsStr;
use std::process::{Command, Stdio};

/// Runs `program` with `arguments` and no input, returning its stdout (stderr is
/// dropped: the caller judges the output). A missing program becomes "`name` is not
/// installed (apt-get install `packages`)".
pub fn output<S: AsRef<OsStr>>(
    program: &str,
    name: &str,
    packages: &str,
    arguments: &[S],
) -> Result<Vec<u8>, String> {
    let output = Command::new(program)
        .args(arguments)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => {
                format!("{name} is not installed (apt-get install {packages})")
            }
            _ => format!("cannot run {program}: {error}"),
        })?;
    Ok(output.stdout)
}
