//! The external programs foia runs on images and pages (Tesseract, `pdftoppm`,
//! `jbig2dec`, `opj_decompress`): one way to run them, to stop them at a deadline, and
//! to say what to install when one is missing, so a machine without them reports
//! instead of failing.

use std::ffi::OsStr;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

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
        .map_err(|error| not_started(&error, program, name, packages))?;
    Ok(output.stdout)
}

/// Why `program` did not start: "`name` is not installed (apt-get install
/// `packages`)" when it is missing.
pub fn not_started(error: &std::io::Error, program: &str, name: &str, packages: &str) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => {
            format!("{name} is not installed (apt-get install {packages})")
        }
        _ => format!("cannot run {program}: {error}"),
    }
}

/// Waits for `child` (running `program`), killing it at `timeout`: its exit status,
/// or "`what` timed out after N s".
pub fn wait(
    child: &mut Child,
    program: &str,
    what: &str,
    timeout: Option<Duration>,
) -> Result<ExitStatus, String> {
    let deadline = timeout.map(|timeout| Instant::now() + timeout);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status),
            Ok(None) if deadline.is_some_and(|deadline| Instant::now() >= deadline) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{what} timed out after {} s",
                    timeout.unwrap_or_default().as_secs_f64()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(error) => return Err(format!("{program}: {error}")),
        }
    }
}
