#!/usr/bin/env bash
# Runs the cargo-fuzz targets in fuzz/ (libFuzzer with AddressSanitizer) one after the other, each for
# FUZZ_SECONDS seconds (default 60) in a single process, and prints executions, corpus size and findings.
# Needs the nightly toolchain and cargo-fuzz; it is not part of `make test` (CI has stable only).
#
#   make fuzz                                  # all targets, 60 s each
#   FUZZ_SECONDS=300 make fuzz                 # longer
#   FUZZ_TARGETS="xml_answer endpoint" make fuzz
#
# The corpus grows in fuzz/corpus/<target> (git-ignored; fuzz/seeds/<target> holds the committed seeds), a
# failing input is saved in fuzz/artifacts/<target>/ and each run's full log in fuzz/logs/<target>.log.
# Replay a failure with: cargo +nightly fuzz run <target> fuzz/artifacts/<target>/<file>
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-60}
read -r -a targets <<<"${FUZZ_TARGETS:-endpoint xml_answer callback_params v4_canonical}"

if ! cargo +nightly --version >/dev/null 2>&1; then
  cat >&2 <<'EOF'
make fuzz: the nightly Rust toolchain is missing (libFuzzer's sanitizer flags need it).
Install it with:  rustup toolchain install nightly
Fuzzing is optional and not part of `make test`, which runs on stable.
EOF
  exit 2
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  cat >&2 <<'EOF'
make fuzz: cargo-fuzz is missing. Install it with:  cargo install cargo-fuzz
(it then runs as `cargo +nightly fuzz`). Fuzzing is optional and not part of `make test`.
EOF
  exit 2
fi

# cargo-fuzz's default build: release optimisations plus debug assertions and overflow checks, AddressSanitizer.
echo "== building fuzz targets (nightly, optimised, debug assertions + overflow checks, AddressSanitizer)"
cargo +nightly fuzz build
mkdir -p fuzz/logs
failed=()
summary=()
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  seeds=()
  [ -d "fuzz/seeds/$t" ] && seeds=("fuzz/seeds/$t")
  log="fuzz/logs/$t.log"
  echo "== fuzzing $t for ${seconds}s"
  # -timeout: an input that takes over 10 s is reported as a finding (a hang), not waited for.
  if cargo +nightly fuzz run "$t" "fuzz/corpus/$t" "${seeds[@]}" -- \
    -max_total_time="$seconds" -timeout=10 -print_final_stats=1 >"$log" 2>&1; then
    verdict="no findings"
  else
    verdict="FINDING (see $log and fuzz/artifacts/$t/)"
    failed+=("$t")
    grep -E "^(==[0-9]+==ERROR|thread '.*' panicked|SUMMARY|artifact_prefix|Test unit written)" "$log" | head -n 20 >&2 || true
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
  corpus=$(find "fuzz/corpus/$t" -type f | wc -l)
  line=$(printf '%-16s %12s execs  %6s corpus entries  %s' "$t" "${execs:-?}" "$corpus" "$verdict")
  echo "   $line"
  summary+=("$line")
done

echo "== fuzz summary (${seconds}s per target)"
printf '   %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found failures in: ${failed[*]}" >&2
  exit 1
fi
