#!/usr/bin/env bash
# Runs every fuzz target (or those named) for SECONDS each, from seeds built out of
# corpus/ and ../shared/corpus-real, and keeps what it finds:
#
#   fuzz/run.sh SECONDS [TARGET...]
#
# - the corpus each target grows stays in fuzz/corpus/TARGET (not committed), so runs
#   add up;
# - crashes, timeouts and out-of-memory inputs are copied to
#   tests/fuzz_regressions/TARGET/, which `cargo test` replays (tests/fuzz_regressions.rs);
# - each run's final libFuzzer figures (executions, coverage, features) are appended
#   to fuzz/stats.tsv.
#
# Needs the nightly toolchain (`rustup toolchain install nightly`) and cargo-fuzz
# (`cargo install cargo-fuzz`); the main build stays on stable.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(extract_file content_stream cmap font_program image zip_member query)
fi

seed_dirs=(corpus)
[ -d ../shared/corpus-real ] && seed_dirs+=(../shared/corpus-real)
cargo run --quiet --release --example fuzz_seeds -- fuzz/seeds "${seed_dirs[@]}" >/dev/null
(cd fuzz && cargo +nightly fuzz build -O >/dev/null)

for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
  log="fuzz/artifacts/$target/run-$(date -u +%Y%m%dT%H%M%S)-$$.log"
  # Findings are the artifacts this run adds: older ones were counted by their runs.
  started=$(mktemp)
  # -fork keeps fuzzing after a crash (each crash saved), so one bug does not end the
  # run; timeouts and memory are bounded per input. Leak detection is off: it reported
  # allocations that a rerun of the same input did not (thread-local caches), and a
  # leak is not a crash; memory that grows without bound still shows as an oom.
  (cd fuzz && cargo +nightly fuzz run -O "$target" "corpus/$target" "../fuzz/seeds/$target" -- \
      -max_total_time="$seconds" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
      -detect_leaks=0 -timeout=20 -rss_limit_mb=2048 -max_len=262144 -print_final_stats=1) \
      >"$log" 2>&1 || true
  # In fork mode the last status line ("#EXECS: cov: N ft: N ...") holds the totals.
  line=$(grep -E '^#[0-9]+: cov:' "$log" | tail -1 || true)
  execs=$(sed -n 's/^#\([0-9]*\):.*/\1/p' <<<"$line")
  cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$line")
  ft=$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<<"$line")
  found=0
  for artifact in fuzz/artifacts/"$target"/{crash,timeout,oom}-*; do
    [ -e "$artifact" ] || continue
    mkdir -p "tests/fuzz_regressions/$target"
    cp -n "$artifact" "tests/fuzz_regressions/$target/"
    if [ "$artifact" -nt "$started" ]; then
      found=$((found + 1))
    fi
  done
  rm -f "$started"
  printf '%s\t%s\t%s s\texecs %s\tcov %s\tft %s\tfindings %s\n' \
    "$(date -u +%FT%TZ)" "$target" "$seconds" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$found" | tee -a fuzz/stats.tsv
done
