#!/usr/bin/env bash
# Runs the two upload-callback samples (samples/, unchanged from Aliyun's page but for getenv() placeholders)
# against the local OSS emulator: starts target/debug/oss-emulator and callback-receiver, routes the samples'
# hard-coded endpoint http://oss-cn-hangzhou.aliyuncs.com to the emulator with http_proxy, runs both, and stops
# the two servers. Build first with `cargo build --workspace`.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
emulator="${OSSRS_EMULATOR_BIN:-$root/target/debug/oss-emulator}"
receiver="${OSSRS_CALLBACK_RECEIVER_BIN:-$root/target/debug/callback-receiver}"
work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

# Starts a server that prints its port as its first stdout line; sets $port.
start() {
    local name="$1"; shift
    "$@" >"$work/$name.out" 2>"$work/$name.err" &
    pids+=("$!")
    for _ in $(seq 100); do
        port="$(head -n 1 "$work/$name.out" 2>/dev/null || true)"
        [[ "$port" =~ ^[0-9]+$ ]] && return 0
        sleep 0.1
    done
    echo "run-demo.sh: $name did not start: $(cat "$work/$name.err")" >&2
    exit 1
}

start receiver "$receiver" --port 0 --allow-key-prefix http://127.0.0.1: --log "$work/callbacks.jsonl"
receiver_port="$port"
start emulator "$emulator" --port 0 --data-dir "$work/data" --bucket demo-bucket \
    --key AKIDEXAMPLE:SECRETEXAMPLE --region cn-hangzhou --log "$work/requests.jsonl"
emulator_port="$port"

export OSS_ACCESS_KEY_ID=AKIDEXAMPLE OSS_ACCESS_KEY_SECRET=SECRETEXAMPLE OSS_BUCKET=demo-bucket
export OSS_CALLBACK_URL="http://127.0.0.1:$receiver_port/callback" OSS_CALLBACK_HOST=callback.example.com
export http_proxy="http://127.0.0.1:$emulator_port"
unset HTTP_PROXY no_proxy NO_PROXY all_proxy ALL_PROXY

echo "== samples/put_object_callback.php"
OSS_OBJECT=demo/put-object-callback.php php "$here/samples/put_object_callback.php"
echo
echo "== samples/multipart_callback.php (a 21 MiB file: three 10 MiB parts)"
head -c $((21 * 1024 * 1024)) /dev/urandom >"$work/upload.bin"
OSS_OBJECT=demo/multipart.bin OSS_UPLOAD_FILE="$work/upload.bin" php "$here/samples/multipart_callback.php"
echo "== callbacks received by callback-receiver"
cat "$work/callbacks.jsonl"
