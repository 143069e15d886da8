#!/usr/bin/env bash
# Runs every test: Rust unit and FFI tests (against the local OSS emulator), C programs, and the PHP suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "== cargo build"
cargo build --workspace --all-targets
echo "== cargo test"
cargo test --workspace
echo "== memcheck (C programs under AddressSanitizer + UBSan and under valgrind)"
scripts/memcheck.sh
if [ -x bindings/php/run-tests.sh ]; then
  echo "== PHP tests"
  OSSRS_SKIP_BUILD=1 bindings/php/run-tests.sh  # built above; a plain `cargo build --workspace` would re-resolve features and rebuild
fi
echo "== browser test (chromium, headless, through the direct-upload example)" && python3 tests/browser/run.py
echo "== FPM load test (nginx + php-fpm8.2, 20,000 requests, emulator faults)" && python3 tests/fpm/run.py
scripts/secret-scan.sh  # every error text the Rust and PHP tests saw, searched for the test secrets and tokens
echo "== install test (make install into a temporary prefix, build with pkg-config alone)"
scripts/install-test.sh
