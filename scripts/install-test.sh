#!/usr/bin/env bash
# Installs into a temporary prefix, then builds a C example with nothing but `pkg-config --cflags --libs ossrs`
# and runs it against the emulator: proves the install is usable on its own.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"' EXIT

PREFIX="$tmp/prefix" PROFILE=debug scripts/install.sh >/dev/null
lib="$tmp/prefix/lib"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
readelf -d "$lib/libossrs.so.$version" | grep -q "SONAME.*\[libossrs.so.$version\]" || { echo "SONAME missing"; exit 1; }
[ "$(readlink "$lib/libossrs.so")" = "libossrs.so.$version" ] || { echo "libossrs.so symlink wrong"; exit 1; }

export PKG_CONFIG_PATH="$lib/pkgconfig"
[ "$(pkg-config --modversion ossrs)" = "$version" ] || { echo "pkg-config version mismatch"; exit 1; }
# The example includes "example.h" from its own directory; everything about libossrs comes from pkg-config.
cc -std=c99 -Wall -Wextra -Werror -pedantic -Iexamples/c examples/c/put_callback.c \
  $(pkg-config --cflags --libs ossrs) -o "$tmp/put_callback"
readelf -d "$tmp/put_callback" | grep -q "NEEDED.*\[libossrs.so.$version\]" || { echo "not linked by SONAME"; exit 1; }

# Starts a server in the background and stores the port it prints first into the variable named $1.
start() {
  local var=$1; shift
  "$@" >"$tmp/$var.out" 2>/dev/null &
  pids+=($!)
  for _ in $(seq 200); do
    [ -s "$tmp/$var.out" ] && { printf -v "$var" '%s' "$(head -n1 "$tmp/$var.out")"; return; }
    sleep 0.05
  done
  echo "server did not start" >&2; exit 1
}
start oss target/debug/oss-emulator --port 0 --bucket bkt --key AK:SK
start cb target/debug/callback-receiver --port 0 --allow-key-prefix http://127.0.0.1:
out=$(LD_LIBRARY_PATH="$lib" OSS_ENDPOINT="http://127.0.0.1:$oss" OSS_ACCESS_KEY_ID=AK OSS_ACCESS_KEY_SECRET=SK \
  OSS_BUCKET=bkt OSS_CALLBACK_URL="http://127.0.0.1:$cb" "$tmp/put_callback")
case "$out" in
  '{"Status":"OK"}'$'\n''200'*) echo "install test: 1 passed, 0 failed" ;;
  *) echo "unexpected output: $out"; echo "install test: 0 passed, 1 failed"; exit 1 ;;
esac
