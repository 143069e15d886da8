#!/usr/bin/env bash
# `make bench`: builds the release library, emulator and callback receiver, installs what the benchmark needs when
# it is missing (nginx, wrk, PHP with FFI, GNU time, openssl for the TLS sink's certificates, perf and valgrind for
# the profiles of missed targets), creates the oss2 virtualenv, then runs bench/run.py, which prints the table and
# writes BENCHMARKS.md. Not part of `make test`. Knobs (environment): BENCH_FILE_MB (default 1024), BENCH_REPEAT
# (3), BENCH_W2_COUNT (2000), BENCH_WRK_SECONDS (5), BENCH_W4_SECONDS (5), BENCH_PROFILE (1), BENCH_OUT
# (BENCHMARKS.md), OSS_PHP_SDK_DIR (an extracted official PHP SDK for W4, never committed); see
# bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo build --release --workspace" >&2
cargo build --release --workspace --quiet
echo "== cargo build --release (bench/transport-floor)" >&2
cargo build --release --quiet --manifest-path bench/transport-floor/Cargo.toml

need=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v php >/dev/null 2>&1 || need+=(php8.2-cli)
command -v php-fpm8.2 >/dev/null 2>&1 || [ -x /usr/sbin/php-fpm8.2 ] || need+=(php8.2-fpm)
# W4's official PHP SDK (only when OSS_PHP_SDK_DIR points at an extracted copy of it) needs curl and SimpleXML.
if [ -n "${OSS_PHP_SDK_DIR:-}" ]; then
  php -r 'exit(extension_loaded("curl") ? 0 : 1);' 2>/dev/null || need+=(php8.2-curl)
  php -r 'exit(extension_loaded("SimpleXML") ? 0 : 1);' 2>/dev/null || need+=(php8.2-xml)
fi
[ -x /usr/bin/time ] || need+=(time)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v md5sum >/dev/null 2>&1 || need+=(coreutils)
command -v perf >/dev/null 2>&1 || need+=(linux-perf)
command -v valgrind >/dev/null 2>&1 || need+=(valgrind)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need+=(python3-venv)
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing ${need[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi
export PATH="$PATH:/usr/sbin:/sbin"
php -r 'exit(extension_loaded("FFI") ? 0 : 1);' || { echo "PHP has no FFI extension" >&2; exit 1; }

# oss2 in a virtualenv under the user's cache dir, pinned (bench/requirements-oss2.txt); reused by later runs.
venv="${BENCH_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/ossrs-bench/venv}"
req=bench/requirements-oss2.txt
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$req" "$venv/requirements-oss2.txt"; then
  echo "== creating the oss2 virtualenv in $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet -r "$req"
  cp "$req" "$venv/requirements-oss2.txt"
fi
export BENCH_OSS2_PYTHON="$venv/bin/python"

exec python3 bench/run.py "$@"
