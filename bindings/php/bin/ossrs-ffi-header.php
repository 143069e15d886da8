#!/usr/bin/env php
<?php

/**
 * Writes the header for php.ini's ffi.preload: resources/ossrs.h with its FFI_LIB line set to the absolute path
 * of libossrs (ffi.preload passes FFI_LIB to dlopen unchanged, and relative paths resolve against the process's
 * working directory).
 *
 * Usage: php bin/ossrs-ffi-header.php [--lib=/abs/path/libossrs.so] [OUTPUT]
 *   --lib     the library to reference; default: the first one found (OSSRS_LIB / ossrs.lib, native/,
 *             ../../target/release, ../../target/debug), else the bare name for the system loader
 *   OUTPUT    where to write the header (mode 0644); default: standard output
 */

declare(strict_types=1);

require dirname(__DIR__) . '/autoload.php';

use OSS\Native\LibraryLocator;

$options = getopt('', ['lib:', 'help'], $rest);
$output = $argv[$rest] ?? null;
if (isset($options['help']) || count($argv) > $rest + 1) {
    fwrite(STDERR, "usage: php bin/ossrs-ffi-header.php [--lib=/abs/path/libossrs.so] [OUTPUT]\n");
    exit(isset($options['help']) ? 0 : 2);
}
$library = isset($options['lib']) ? (string) $options['lib'] : LibraryLocator::firstExisting();
if (!LibraryLocator::isBareName($library)) {
    if (!is_file($library)) {
        fwrite(STDERR, "ossrs-ffi-header: $library does not exist\n");
        exit(1);
    }
    $library = (string) realpath($library);
}
$header = LibraryLocator::headerFor((string) file_get_contents(LibraryLocator::headerPath()), $library);
if ($output === null) {
    echo $header;
} else {
    if (file_put_contents($output, $header) === false) {
        fwrite(STDERR, "ossrs-ffi-header: cannot write $output\n");
        exit(1);
    }
    chmod($output, 0644);
    fwrite(STDERR, "ossrs-ffi-header: wrote $output (FFI_LIB \"$library\")\n");
}
