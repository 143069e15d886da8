<?php

declare(strict_types=1);

namespace OSS\Native;

use FFI;
use OSS\Core\OssException;

/**
 * The loaded libossrs, one per process.
 *
 * First the `OSSRS` scope is tried (preload mode: `ffi.preload` or the preload script loaded the header at
 * startup); otherwise `FFI::cdef()` loads resources/ossrs.h with the first candidate of LibraryLocator that
 * loads. Either way `oss_version()` must equal the version the header was generated for: HEADER_VERSION in
 * preload mode, where every PHP-FPM request loads the library anew and reading the header would cost each one a
 * file read (Unit/LibraryLocatorTest keeps the constant equal to the header's version), the loaded header's
 * version otherwise.
 *
 * This class, like every class of this namespace, uses the restricted FFI API (cdef, scope, new, addr, string,
 * isNull), so preload.php preloads it: under `ffi.enable=preload` only preloaded code may call those.
 */
final class Library
{
    /** The version in the `/* ossrs X.Y.Z:` line of resources/ossrs.h. */
    public const HEADER_VERSION = '0.1.0';

    private static ?FFI $ffi = null;
    private static string $source = '';

    private function __construct()
    {
    }

    /**
     * @throws OssException when ext-ffi is missing or disabled, no candidate loads, or the versions differ
     */
    public static function ffi(): FFI
    {
        if (self::$ffi === null) {
            [$ffi, $source, $expected] = self::load();
            self::checkVersion($ffi, $source, $expected);
            self::$ffi = $ffi;
            self::$source = $source;
        }
        return self::$ffi;
    }

    /** Where the loaded library came from (a path, a bare name, or "scope OSSRS"); '' before loading. */
    public static function source(): string
    {
        return self::$source;
    }

    /** The version libossrs reports. */
    public static function version(): string
    {
        return (string) self::ffi()->oss_version();
    }

    /**
     * Called by preload.php: makes the OSSRS scope available to requests. With `ffi.preload` it already is;
     * otherwise the header is loaded with `FFI::load()` from a temporary copy whose FFI_LIB is the located
     * library (refused by PHP when running as root with opcache.preload_user: use ffi.preload then).
     *
     * @throws OssException when the scope cannot be established
     */
    public static function preloadScope(): void
    {
        if (self::scope() !== null) {
            return;
        }
        $library = LibraryLocator::firstExisting();
        $header = LibraryLocator::headerFor(self::header(), $library);
        $temporary = tempnam(sys_get_temp_dir(), 'ossrs-ffi-');
        if ($temporary === false || file_put_contents($temporary, $header) === false) {
            throw new OssException('cannot write a temporary FFI header in ' . sys_get_temp_dir());
        }
        try {
            FFI::load($temporary);
        } catch (\Throwable $e) {
            throw new OssException(
                'cannot preload libossrs (' . $library . '): ' . rtrim($e->getMessage(), '.') . '. Generate a header with '
                . 'bin/ossrs-ffi-header.php and set ffi.preload=<that file> (required when PHP runs as root with '
                . 'opcache.preload_user); see bindings/php/README.md'
            );
        } finally {
            unlink($temporary);
        }
        if (self::scope() === null) {
            throw new OssException('FFI::load() did not register the ' . LibraryLocator::SCOPE . ' scope');
        }
    }

    /**
     * @return array{0: FFI, 1: string, 2: ?string} the library, where it came from, the header version it must have
     */
    private static function load(): array
    {
        if (!extension_loaded('ffi')) {
            throw new OssException('libossrs needs the PHP FFI extension (ext-ffi), which is not loaded');
        }
        $mode = strtolower((string) ini_get('ffi.enable'));
        if (!in_array($mode, ['1', 'on', 'true', 'yes', 'preload'], true)) {
            throw new OssException(
                'PHP FFI is disabled (ffi.enable=' . $mode . '); set ffi.enable=1, or ffi.enable=preload with '
                . 'ffi.preload and opcache.preload as described in bindings/php/README.md'
            );
        }
        $scoped = self::scope();
        if ($scoped !== null) {
            return [$scoped, 'scope ' . LibraryLocator::SCOPE, self::HEADER_VERSION];
        }
        $header = self::header();
        $version = LibraryLocator::headerVersion($header);
        $failures = [];
        foreach (LibraryLocator::candidates() as $candidate) {
            if (!LibraryLocator::isBareName($candidate) && !is_file($candidate)) {
                $failures[] = $candidate . ' (not found)';
                continue;
            }
            try {
                return [FFI::cdef($header, $candidate), $candidate, $version];
            } catch (\FFI\Exception $e) {
                $failures[] = $candidate . ' (' . $e->getMessage() . ')';
            }
        }
        $hint = $mode === 'preload' && PHP_SAPI !== 'cli'
            ? ' Under ffi.enable=preload, load the header at startup with ffi.preload (see bindings/php/README.md).'
            : ' Build it with `cargo build`, or point ' . LibraryLocator::ENV_OVERRIDE . ' (or php.ini '
                . LibraryLocator::INI_OVERRIDE . ') at libossrs.';
        throw new OssException('libossrs could not be loaded; tried: ' . implode('; ', $failures) . '.' . $hint);
    }

    private static function scope(): ?FFI
    {
        try {
            return FFI::scope(LibraryLocator::SCOPE);
        } catch (\FFI\Exception $e) {
            return null;
        }
    }

    private static function header(): string
    {
        $path = LibraryLocator::headerPath();
        $header = is_file($path) ? file_get_contents($path) : false;
        if ($header === false) {
            throw new OssException('cannot read the libossrs header ' . LibraryLocator::headerPath());
        }
        return $header;
    }

    private static function checkVersion(FFI $ffi, string $source, ?string $expected): void
    {
        $actual = (string) $ffi->oss_version();
        if ($expected !== $actual) {
            throw new OssException(
                'libossrs ' . $actual . ' (' . $source . ') does not match the version of the PHP binding\'s header ('
                . ($expected ?? 'unknown') . ', ' . LibraryLocator::headerPath() . '); install matching versions'
            );
        }
    }
}
