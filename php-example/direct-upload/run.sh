#!/usr/bin/env bash
# The direct-upload example: starts the OSS emulator (target/debug/oss-emulator) and this app under `php -S`
# (app.php), gives the bucket a CORS rule for the page's origin (putBucketCors, as an admin would once), prints
# the page's URL and serves until interrupted. Build first with `cargo build --workspace` (make demo-web does).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
emulator="${OSSRS_EMULATOR_BIN:-$root/target/debug/oss-emulator}"
work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 0' INT TERM

"$emulator" --port 0 --data-dir "$work/data" --bucket demo-bucket --key AKIDEXAMPLE:SECRETEXAMPLE \
    --region cn-hangzhou --log "$work/requests.jsonl" >"$work/emulator.out" 2>"$work/emulator.err" &
pids+=("$!")
for _ in $(seq 100); do
    emulator_port="$(head -n 1 "$work/emulator.out" 2>/dev/null || true)"
    [[ "$emulator_port" =~ ^[0-9]+$ ]] && break
    sleep 0.1
done
[[ "${emulator_port:-}" =~ ^[0-9]+$ ]] || { echo "run.sh: the emulator did not start: $(cat "$work/emulator.err")" >&2; exit 1; }

app_port="${APP_PORT:-$(php -r '$s = stream_socket_server("tcp://127.0.0.1:0"); echo explode(":", stream_socket_get_name($s, false))[1];')}"
mkdir -p "$work/app"
export OSS_ENDPOINT="http://127.0.0.1:$emulator_port" OSS_ACCESS_KEY_ID=AKIDEXAMPLE OSS_ACCESS_KEY_SECRET=SECRETEXAMPLE \
    OSS_BUCKET=demo-bucket OSS_REGION=cn-hangzhou APP_URL="http://127.0.0.1:$app_port" APP_DATA="$work/app" \
    KEY_URL_PREFIX="http://127.0.0.1:$emulator_port/"
unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY

OSSRS_ROOT="$root" php -d ffi.enable=1 -r '
require getenv("OSSRS_ROOT") . "/php-example/autoload.php";
$client = new OSS\OssClient(getenv("OSS_ACCESS_KEY_ID"), getenv("OSS_ACCESS_KEY_SECRET"), getenv("OSS_ENDPOINT"));
$rule = new OSS\Model\CorsRule();
$rule->addAllowedOrigin(getenv("APP_URL"));
$rule->addAllowedMethod("POST");
$rule->addAllowedHeader("*");
$rule->setMaxAgeSeconds(60);
$config = new OSS\Model\CorsConfig();
$config->addRule($rule);
$client->putBucketCors(getenv("OSS_BUCKET"), $config);
'

PHP_CLI_SERVER_WORKERS=4 php -d ffi.enable=1 -S "127.0.0.1:$app_port" "$here/app.php" >"$work/app.out" 2>&1 &
pids+=("$!")
for _ in $(seq 100); do
    php -r 'exit(@fsockopen("127.0.0.1", (int) $argv[1]) ? 0 : 1);' "$app_port" && break
    sleep 0.1
done
echo "page: http://127.0.0.1:$app_port/"
echo "(emulator on port $emulator_port; Ctrl-C stops both)"
wait "${pids[@]}"
