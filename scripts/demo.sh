#!/usr/bin/env bash
# The main job: start the local OSS emulator and a callback receiver, run both upload-callback flows (the two PHP
# samples of Aliyun's documentation through PHP FFI, and the same flows in C), and show what happened: the
# callback server's reply, the HTTP status, the callback body the receiver got with its verified signature, and
# the stored object's MD5 next to the source's.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

echo "== building libossrs, the emulator and the callback receiver"
cargo build --workspace --quiet
scripts/setup.sh

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# Starts a server in the background and stores the port it prints first into the variable named $1.
start() {
  local var=$1 name=$2; shift 2
  "$@" >"$work/$name.out" 2>"$work/$name.err" &
  pids+=($!)
  for _ in $(seq 200); do
    if [ -s "$work/$name.out" ]; then printf -v "$var" '%s' "$(head -n1 "$work/$name.out")"; return; fi
    sleep 0.05
  done
  echo "$name did not start:" >&2; cat "$work/$name.err" >&2; exit 1
}

export OSS_ACCESS_KEY_ID=LTAI5tDemoAccessKeyId OSS_ACCESS_KEY_SECRET=DemoAccessKeySecretNeverLogged
bucket=demo-bucket
start oss_port emulator target/debug/oss-emulator --port 0 --data-dir "$work/oss" --bucket "$bucket" \
  --key "$OSS_ACCESS_KEY_ID:$OSS_ACCESS_KEY_SECRET" --log "$work/requests.jsonl"
start cb_port receiver target/debug/callback-receiver --port 0 --allow-key-prefix "http://127.0.0.1:" \
  --reply '{"Status":"OK","from":"callback-receiver"}' --log "$work/callbacks.jsonl"
echo "   OSS emulator on 127.0.0.1:$oss_port, callback receiver on 127.0.0.1:$cb_port"

export OSS_BUCKET=$bucket OSS_CALLBACK_URL="http://127.0.0.1:$cb_port" OSS_CALLBACK_HOST="127.0.0.1"
head -c 25000000 /dev/urandom >"$work/upload.bin"
export OSS_UPLOAD_FILE="$work/upload.bin"
shown=0
verify=()

# Prints the callbacks received since the last call: body and signature verdict.
show_callbacks() {
  python3 - "$work/callbacks.jsonl" "$shown" <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()[int(sys.argv[2]):]
for line in lines:
    cb = json.loads(line)
    print("   callback body received:", cb["body"])
    print("   callback signature:    ", "VALID (RSA/MD5, key from %s)" % cb["pub_key_url"] if cb["signature_valid"] else "INVALID: %s" % cb["error"])
PY
  shown=$(wc -l <"$work/callbacks.jsonl")
}

run_php() {
  local title=$1 script=$2 object=$3
  echo
  echo "== PHP (FFI): $title"
  echo "   \$ php $script"
  OSS_OBJECT=$object http_proxy="http://127.0.0.1:$oss_port" php -d ffi.enable=1 "$script" | sed 's/^/   | /'
  verify+=("$object $4")
  echo
  show_callbacks
}

run_c() {
  local title=$1 exe=$2 object=$3; shift 3
  echo
  echo "== C: $title"
  OSS_OBJECT=$object OSS_ENDPOINT="http://127.0.0.1:$oss_port" "$exe" "$@" | sed 's/^/   | /'
  verify+=("$object $1")
  show_callbacks
}

if [ -f php-example/samples/put_object_callback.php ]; then
  run_php "simple upload with callback (seed sample 1, unchanged)" php-example/samples/put_object_callback.php \
    demo/put-callback.php php-example/samples/put_object_callback.php
  run_php "multipart upload with callback (seed sample 2, unchanged)" php-example/samples/multipart_callback.php \
    demo/multipart-callback.bin "$OSS_UPLOAD_FILE"
fi

for ex in put_callback multipart_callback verify_object; do
  cc -std=c99 -Wall -Wextra -Werror -pedantic -Iinclude "examples/c/$ex.c" -Ltarget/debug -lossrs \
    -Wl,-rpath,"$root/target/debug" -o "$work/$ex"
done
run_c "simple upload with callback" "$work/put_callback" demo/c-put-callback.bin "$OSS_UPLOAD_FILE"
OSS_PART_SIZE=10485760 run_c "multipart upload with callback" "$work/multipart_callback" demo/c-multipart-callback.bin "$OSS_UPLOAD_FILE"

echo
echo "== stored objects, read back with GetObject through libossrs"
export OSS_ENDPOINT="http://127.0.0.1:$oss_port"
for pair in "${verify[@]}"; do
  "$work/verify_object" ${pair} | sed 's/^/   /'
done
python3 - "$work/requests.jsonl" <<'PY'
import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
print("   %d requests reached the emulator; statuses %s" % (len(reqs), sorted({r["status"] for r in reqs})))
PY
