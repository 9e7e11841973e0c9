//! The Dask driver's own tests (`contrib/dask/tests`, pytest), run against this
//! build's binary: two local workers on loopback, six shards, a killed task retried,
//! the merged index equal to a single ingest, a refused shard not retried.
//!
//! Needs a Python with `dask[distributed]` and `pytest`: `$FOIA_DASK_PYTHON`, else
//! `contrib/dask/.venv/bin/python` (which `.ci/run` makes); skips, saying so, without.

use std::path::Path;
use std::process::Command;

#[test]
fn the_dask_driver_passes_its_tests() {
    let contrib = Path::new(env!("CARGO_MANIFEST_DIR")).join("contrib/dask");
    let python = std::env::var("FOIA_DASK_PYTHON").unwrap_or_else(|_| {
        contrib
            .join(".venv/bin/python")
            .to_string_lossy()
            .into_owned()
    });
    let ready = Command::new(&python)
        .args(["-c", "import dask.distributed, pytest"])
        .output()
        .is_ok_and(|output| output.status.success());
    if !ready {
        eprintln!(
            "skipping: {python} lacks dask.distributed or pytest \
             (python3 -m venv contrib/dask/.venv && contrib/dask/.venv/bin/pip install -e 'contrib/dask[test]'; .ci/run does)"
        );
        return;
    }
    let output = Command::new(&python)
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"])
        .current_dir(&contrib)
        .env("FOIA_BIN", env!("CARGO_BIN_EXE_foia"))
        .output()
        .expect("pytest runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "pytest failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("2 passed"), "{stdout}");
}
