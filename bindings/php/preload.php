<?php

/**
 * opcache.preload script for ossrs (PHP-FPM with the production default ffi.enable=preload).
 *
 * Preloads every class of the package, so that OSS\Native — the only code using the FFI API (new, addr, string,
 * isNull, scope, cdef), which ffi.enable=preload allows only to preloaded code — may call it in requests. Then
 * makes sure the OSSRS FFI scope exists: normally ffi.preload already loaded it from a header written by
 * bin/ossrs-ffi-header.php; otherwise, when PHP does not run as root, it is loaded here with FFI::load().
 *
 *   ffi.enable=preload
 *   ffi.preload=/etc/php/ossrs/ossrs.h          ; php bindings/php/bin/ossrs-ffi-header.php /etc/php/ossrs/ossrs.h
 *   opcache.enable=1
 *   opcache.preload=/path/to/bindings/php/preload.php
 *   opcache.preload_user=www-data               ; required when the FPM master runs as root
 *
 * Never creates clients here: PHP-FPM forks its workers after preloading.
 */

declare(strict_types=1);

require __DIR__ . '/autoload.php';

$sources = new RecursiveIteratorIterator(
    new RecursiveDirectoryIterator(__DIR__ . '/src', FilesystemIterator::SKIP_DOTS)
);
$classes = [];
foreach ($sources as $source) {
    $relative = substr($source->getPathname(), strlen(__DIR__ . '/src/'), -strlen('.php'));
    $classes[] = 'OSS\\' . str_replace('/', '\\', $relative);
}
sort($classes);
foreach ($classes as $class) {
    if (!class_exists($class) && !interface_exists($class) && !trait_exists($class)) {
        throw new LogicException('preload.php: ' . $class . ' did not load');
    }
}

if (strtolower((string) ini_get('ffi.enable')) === 'preload') {
    OSS\Native\Library::preloadScope();
}
