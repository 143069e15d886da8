#!/usr/bin/env bash
# The secret scan (issue 5, item 6): the access key secret and the STS token never appear in an error text.
#
# The Rust tests (tests/common: every error taken from an `oss_error`: message, OSS code and message, ids, body)
# and the PHP tests (bindings/php/tests/Support/ErrorTexts.php: every OssException, and the messages of the
# child-process scripts) append their error texts, one JSON line each, to ossrs-error-texts/ in the Cargo target
# directory. This script searches them all for every secret and token the test suites use, in plain text, in
# base64 (at each of the three byte alignments, so it is found inside a longer encoded value, standard and
# URL-safe alphabets) and URL-encoded. It fails on any hit, and when fewer texts than a minimum were collected
# (so that it cannot pass because nothing was looked at). Afterwards the texts are moved to
# ossrs-error-texts.last/, so the next run starts empty.
#
#   scripts/secret-scan.sh            (after `cargo test --workspace` and bindings/php/run-tests.sh)
#
# Environment: OSSRS_ERROR_TEXTS_DIR (default ${CARGO_TARGET_DIR:-target}/ossrs-error-texts),
# OSSRS_SECRET_SCAN_MIN_RUST (default 300) and OSSRS_SECRET_SCAN_MIN_PHP (default 200) texts at least (a full run
# collects about 370 and 280), OSSRS_SECRET_SCAN_KEEP=1 leaves the texts in place. Texts of test runs made
# outside scripts/test.sh since the last scan are scanned too.
set -euo pipefail
cd "$(dirname "$0")/.."

dir="${OSSRS_ERROR_TEXTS_DIR:-${CARGO_TARGET_DIR:-target}/ossrs-error-texts}"
echo "== secret scan ($dir)"
status=0
python3 - "$dir" "${OSSRS_SECRET_SCAN_MIN_RUST:-300}" "${OSSRS_SECRET_SCAN_MIN_PHP:-200}" <<'PY' || status=$?
import base64, json, os, sys, urllib.parse

directory, min_rust, min_php = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

# Every access key secret and STS token the tests configure (tests/common/mod.rs KEY_SECRET and OTHER_SECRETS,
# bindings/php/tests/Support/Emulator.php, tests/c_api.rs, the PHP tests' wrong secrets and tokens).
SECRETS = [
    "SECRETEXAMPLE", "STSSECRET", "STSTOKEN", "STSTOKENEXAMPLE", "TOPSECRET", "NOT-THE-SECRET",
    "WRONG-SECRET", "WRONG-TOKEN",
]

def base64_forms(secret: bytes):
    """The base64 characters that depend on `secret` alone, for each alignment of it inside longer data."""
    for prefix in range(3):
        encoded = base64.b64encode(b"\0" * prefix + secret + b"\0\0").decode()
        start = -(-8 * prefix // 6)
        end = 8 * (prefix + len(secret)) // 6
        yield encoded[start:end]

forms = []  # (form name, needle)
for s in SECRETS:
    raw = s.encode()
    forms.append((f"{s} (plain)", s))
    forms.append((f"{s} (URL-encoded)", urllib.parse.quote(s, safe="")))
    for i, b64 in enumerate(base64_forms(raw)):
        forms.append((f"{s} (base64, offset {i})", b64))
        forms.append((f"{s} (base64url, offset {i})", b64.replace("+", "-").replace("/", "_")))
        forms.append((f"{s} (base64, offset {i}, URL-encoded)", urllib.parse.quote(b64, safe="")))
forms = list({needle: (form, needle) for form, needle in reversed(forms)}.values())[::-1]  # one per needle

def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)

if not os.path.isdir(directory):
    print(f"secret-scan: {directory} does not exist: no error texts were collected (run the tests first)")
    sys.exit(1)
files = sorted(f for f in os.listdir(directory) if f.endswith(".jsonl"))
counts = {"rust": 0, "php": 0}
hits = []
for name in files:
    kind = "php" if name.startswith("php-") else "rust"
    with open(os.path.join(directory, name), encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line:
                continue
            counts[kind] += 1
            try:
                text = "\n".join(strings(json.loads(line)))
            except ValueError:
                text = line
            for form, needle in forms:
                if needle in text or needle in line:
                    hits.append(f"{name}:{number}: {form}")

total = counts["rust"] + counts["php"]
print(
    f"secret-scan: {total} texts scanned ({counts['rust']} Rust, {counts['php']} PHP, {len(files)} files) "
    f"for {len(SECRETS)} secrets in {len(forms)} forms: hits {len(hits)}"
)
failed = False
for hit in hits[:50]:
    print(f"secret-scan: LEAK {hit}")
if hits:
    failed = True
if counts["rust"] < min_rust:
    print(f"secret-scan: only {counts['rust']} Rust error texts collected, at least {min_rust} expected")
    failed = True
if counts["php"] < min_php:
    print(f"secret-scan: only {counts['php']} PHP error texts collected, at least {min_php} expected")
    failed = True
sys.exit(1 if failed else 0)
PY

if [[ "${OSSRS_SECRET_SCAN_KEEP:-0}" != 1 && -d "$dir" ]]; then
  rm -rf "$dir.last"
  mv "$dir" "$dir.last"
fi
exit "$status"
