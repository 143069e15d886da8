#!/usr/bin/env bash
# Runs the whole PHP suite of ossrs (bindings/php/tests: Unit, then Ffi against the OSS emulator).
#
#   bindings/php/run-tests.sh [phpunit arguments...]
#
# First builds the Rust workspace (libossrs, oss-emulator, callback-receiver) with `cargo build --workspace`;
# set OSSRS_SKIP_BUILD=1 when the caller already did. Needs PHP >= 8.1 with FFI and OPcache, and PHPUnit 9
# (Debian: php-cli php-opcache phpunit; FFI is part of php-cli there).
#
# Environment:
#   OSSRS_SKIP_BUILD=1          do not run cargo
#   OSSRS_LIB                   the libossrs to test (default: target/debug/libossrs.so of this workspace)
#   OSSRS_REQUIRE_EMULATOR      1 (default here) fails, instead of skipping, the tests that need the emulator
#                               when it cannot be started; 0 lets them skip
#   PHP, PHPUNIT                the binaries to use (default: php, phpunit)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
php="${PHP:-php}"
phpunit="${PHPUNIT:-phpunit}"

if [[ "${OSSRS_SKIP_BUILD:-0}" != 1 ]]; then
    (cd "$root" && cargo build --workspace)
fi
for tool in "$php" "$phpunit"; do
    if ! command -v "$tool" >/dev/null; then
        echo "run-tests.sh: $tool not found (install PHP 8.1+ with FFI and OPcache, and PHPUnit 9)" >&2
        exit 2
    fi
done
if ! "$php" -r 'exit(extension_loaded("ffi") ? 0 : 1);'; then
    echo "run-tests.sh: $php has no FFI extension" >&2
    exit 2
fi

export OSSRS_LIB="${OSSRS_LIB:-$root/target/debug/libossrs.so}"
export OSSRS_REQUIRE_EMULATOR="${OSSRS_REQUIRE_EMULATOR:-1}"
exec "$phpunit" -c "$here/phpunit.xml" "$@"
