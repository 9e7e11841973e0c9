#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| foia::fuzzing::cmap(data));
