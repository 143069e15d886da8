#!/usr/bin/env bash
# Installs what the tests and the demo need beyond Rust and a C compiler: PHP 8.2 CLI (FFI and OPcache are
# built in on Debian), php8.2-fpm and nginx for the FPM load test (tests/fpm), PHPUnit, valgrind
# (scripts/memcheck.sh), and chromium with its WebDriver for the browser test (tests/browser). Does nothing when
# they are present.
set -euo pipefail
need=()
command -v php >/dev/null 2>&1 || need+=(php8.2-cli)
command -v php-fpm8.2 >/dev/null 2>&1 || need+=(php8.2-fpm)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v phpunit >/dev/null 2>&1 || need+=(phpunit)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v valgrind >/dev/null 2>&1 || need+=(valgrind)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing ${need[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi
php -r 'exit(extension_loaded("FFI") ? 0 : 1);' || { echo "PHP has no FFI extension" >&2; exit 1; }
