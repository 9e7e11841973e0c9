//! Inputs the fuzzers found that crashed, hung or ran out of memory (copied to
//! `tests/fuzz_regressions/TARGET/` by `fuzz/run.sh`), replayed through the same
//! `foia::fuzzing` entry point. Each must now return normally.

use std::path::Path;

#[test]
fn every_input_a_fuzzer_found_now_runs_through() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut replayed = 0;
    for (name, target) in foia::fuzzing::TARGETS {
        let Ok(entries) = std::fs::read_dir(root.join(name)) else {
            continue;
        };
        let mut files: Vec<_> = entries.flatten().map(|entry| entry.path()).collect();
        files.sort();
        for file in files {
            let bytes = std::fs::read(&file).expect("regression input");
            eprintln!("{name}: {}", file.display());
            target(&bytes);
            replayed += 1;
        }
    }
    eprintln!("{replayed} fuzzer findings replayed");
}
