#!/usr/bin/env bash
# Memory checks of the C surface. Builds the C examples (examples/c) and tests/c/threads.c against
# target/debug/libossrs.so twice and runs each flow against a local OSS emulator and callback receiver:
#   1. with gcc -fsanitize=address,undefined: fails on any AddressSanitizer, LeakSanitizer or UBSan report;
#   2. without sanitizers under valgrind (memcheck, --leak-check=full): fails on any error or on bytes
#      "definitely lost". "Still reachable" blocks (Rust std / tokio thread-locals, one-time statics) are fine.
# Called by scripts/test.sh after the cargo tests; `make memcheck` runs it alone.
# Each run's output is checked too, and a canary program first proves that each detector fires.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
lib=$root/target/debug

command -v valgrind >/dev/null 2>&1 || scripts/setup.sh
command -v valgrind >/dev/null 2>&1 || { echo "memcheck: valgrind is missing (apt-get install valgrind)" >&2; exit 1; }

echo "== memcheck: cargo build (libossrs.so, oss-emulator, callback-receiver)"
# The same command as scripts/test.sh, so nothing is rebuilt when it ran first.
cargo build --workspace --all-targets --quiet

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Starts a server in the background and stores the port it prints first into the variable named $1.
start() {
  local var=$1 name=$2
  shift 2
  "$@" >"$work/$name.out" 2>"$work/$name.err" &
  pids+=($!)
  for _ in $(seq 200); do
    if [ -s "$work/$name.out" ]; then
      printf -v "$var" '%s' "$(head -n1 "$work/$name.out")"
      return
    fi
    sleep 0.05
  done
  echo "$name did not start:" >&2
  cat "$work/$name.err" >&2
  exit 1
}

start oss_port emulator "$lib/oss-emulator" --port 0 --data-dir "$work/oss"
start cb_port receiver "$lib/callback-receiver" --port 0 --allow-key-prefix "http://127.0.0.1:"
export OSS_ENDPOINT="http://127.0.0.1:$oss_port" OSS_ACCESS_KEY_ID=AKIDEXAMPLE OSS_ACCESS_KEY_SECRET=SECRETEXAMPLE
export OSS_BUCKET=bkt OSS_CALLBACK_URL="http://127.0.0.1:$cb_port" OSS_PART_SIZE=102400
head -c 350000 /dev/urandom >"$work/data.bin"

# The C sources, built as tests/c_api.rs builds them (C99, all warnings as errors), plus debug info.
cflags=(-std=c99 -Wall -Wextra -Werror -pedantic -g -Iinclude)
link=(-L"$lib" -lossrs -Wl,-rpath,"$lib" -lpthread)
programs=(put_callback multipart_callback upload_file errors verify_object post_form threads)
source_of() { if [ "$1" = threads ]; then echo tests/c/threads.c; else echo "examples/c/$1.c"; fi; }
mkdir -p "$work/asan" "$work/plain"
for p in "${programs[@]}"; do
  src=$(source_of "$p")
  gcc "${cflags[@]}" -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all \
    "$src" -o "$work/asan/$p" "${link[@]}"
  gcc "${cflags[@]}" -O0 "$src" -o "$work/plain/$p" "${link[@]}"
done
# The detectors must be able to fail: a canary with one heap overflow and one 64-byte leak has to be caught by
# both, or this check proves nothing (e.g. LeakSanitizer cannot run where ptrace is forbidden).
cat >"$work/canary.c" <<'EOF'
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv) {
    char *lost = malloc(64), *small = malloc(8);
    memset(lost, argc, 64);
    lost = NULL;
    if (argc > 1 && strcmp(argv[1], "overflow") == 0) {
        small[8] = 1;
    }
    free(small);
    return lost != NULL;
}
EOF
gcc -g -O0 -fsanitize=address,undefined -fno-omit-frame-pointer "$work/canary.c" -o "$work/asan/canary"
gcc -g -O0 "$work/canary.c" -o "$work/plain/canary"
if "$work/asan/canary" overflow 2>"$work/canary.err" || ! grep -q "heap-buffer-overflow" "$work/canary.err"; then
  echo "memcheck: AddressSanitizer did not catch the canary's heap overflow:" >&2
  cat "$work/canary.err" >&2
  exit 1
fi
detect_leaks=1
if "$work/asan/canary" 2>"$work/canary.err" || ! grep -q "ERROR: LeakSanitizer: detected memory leaks" "$work/canary.err"; then
  if grep -q "LeakSanitizer has encountered a fatal error\|LeakSanitizer does not work under ptrace" "$work/canary.err"; then
    # LSan stops the process's threads with ptrace; some sandboxes forbid it. valgrind still checks leaks.
    echo "   warning: LeakSanitizer cannot run here (ptrace is restricted); leaks are checked by valgrind only" >&2
    detect_leaks=0
  else
    echo "memcheck: LeakSanitizer did not catch the canary's leak:" >&2
    cat "$work/canary.err" >&2
    exit 1
  fi
fi
set +e
valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite "$work/plain/canary" overflow \
  >/dev/null 2>"$work/canary.err"
canary_rc=$?
set -e
if [ $canary_rc != 99 ] || ! grep -q "Invalid write of size 1" "$work/canary.err" ||
  ! grep -q "definitely lost: 64 bytes" "$work/canary.err"; then
  echo "memcheck: valgrind did not catch the canary's overflow and leak (exit $canary_rc):" >&2
  cat "$work/canary.err" >&2
  exit 1
fi

# Runs one program ($1 = label, $2 = expected text in its stdout, rest = command) and records the result.
runs=0
failures=()
run() {
  local label=$1 expect=$2
  shift 2
  runs=$((runs + 1))
  local out="$work/run$runs.out" err="$work/run$runs.err" t0=$SECONDS
  if ! "$@" >"$out" 2>"$err"; then
    failures+=("$label")
    echo "   FAILED: $label" >&2
    sed 's/^/   | /' "$out" "$err" | tail -n 60 >&2
    return
  fi
  if ! grep -qF -- "$expect" "$out"; then
    failures+=("$label")
    echo "   FAILED: $label: '$expect' not in its output" >&2
    sed 's/^/   | /' "$out" "$err" | tail -n 60 >&2
    return
  fi
  printf '   ok  %-28s %4ss\n' "$label" $((SECONDS - t0))
}

# Every flow of the examples: success, multipart, managed parallel upload, the three kinds of error, read back.
flows() {
  local mode=$1 dir=$2
  shift 2
  local wrap=("$@")
  OSS_OBJECT="$mode/put.bin" run "$mode put_callback" '{"Status":"OK"}' "${wrap[@]}" "$dir/put_callback" "$work/data.bin"
  OSS_OBJECT="$mode/multipart.bin" run "$mode multipart_callback" '{"Status":"OK"}' \
    "${wrap[@]}" "$dir/multipart_callback" "$work/data.bin"
  OSS_OBJECT="$mode/upload_file.bin" run "$mode upload_file" '{"Status":"OK"}' \
    "${wrap[@]}" "$dir/upload_file" "$work/data.bin"
  run "$mode errors" "stored ETag" "${wrap[@]}" "$dir/errors"
  run "$mode verify_object" ": match" "${wrap[@]}" "$dir/verify_object" "$mode/upload_file.bin" "$work/data.bin"
  run "$mode post_form" "bad spec: " "${wrap[@]}" "$dir/post_form"
  run "$mode threads" " 0 failures" "${wrap[@]}" "$dir/threads"
}

echo "== memcheck: AddressSanitizer + UndefinedBehaviorSanitizer (${#programs[@]} programs)"
export ASAN_OPTIONS="detect_leaks=$detect_leaks:halt_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
asan_start=$runs
flows asan "$work/asan"
asan_runs=$((runs - asan_start))
unset ASAN_OPTIONS UBSAN_OPTIONS
asan_findings=$(cat "$work"/run*.err 2>/dev/null |
  grep -cE "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:" || true)

echo "== memcheck: valgrind (${#programs[@]} programs)"
vg=(valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=definite
  --errors-for-leak-kinds=definite --num-callers=40 --log-file="$work/vg.%p.log")
vg_start=$runs
flows valgrind "$work/plain" "${vg[@]}"
vg_runs=$((runs - vg_start))
vg_errors=0
definitely_lost=0
for log in "$work"/vg.*.log; do
  [ -e "$log" ] || continue
  n=$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' "$log" | tr -d , | tail -n1)
  vg_errors=$((vg_errors + ${n:-0}))
  lost=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tr -d , | tail -n1)
  definitely_lost=$((definitely_lost + ${lost:-0}))
  if [ "${n:-0}" != 0 ] || [ "${lost:-0}" != 0 ]; then
    echo "   valgrind report ($log):" >&2
    sed 's/^/   | /' "$log" | head -n 120 >&2
  fi
done

echo "memcheck: $runs program runs ($asan_runs ASAN+UBSan, $vg_runs valgrind); ASAN/UBSan findings $asan_findings;" \
  "valgrind errors $vg_errors; definitely lost $definitely_lost bytes"
if [ ${#failures[@]} -gt 0 ] || [ "$asan_findings" != 0 ] || [ "$vg_errors" != 0 ] || [ "$definitely_lost" != 0 ]; then
  echo "memcheck FAILED: ${failures[*]:-see the reports above}" >&2
  exit 1
fi
