#!/usr/bin/env bash
# Runs every test: Rust unit and FFI tests (against the local OSS emulator), C programs, and the PHP suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "== cargo build"
cargo build --workspace --all-targets
echo "== cargo test"
cargo test --workspace
if [ -x bindings/php/run-tests.sh ]; then
  echo "== PHP tests"
  bindings/php/run-tests.sh
fi
echo "== install test (make install into a temporary prefix, build with pkg-config alone)"
scripts/install-test.sh
