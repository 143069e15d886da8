<?php

declare(strict_types=1);

namespace OSS\Native;

use OSS\Core\OssException;

/**
 * Where libossrs and the PHP header live, and how the header is rewritten for `ffi.preload`. No FFI calls here.
 *
 * Library search order: the OSSRS_LIB environment variable or the php.ini key ossrs.lib (when set, the only
 * candidate), the package's native/<os>-<arch>/ and native/ directories, the Cargo build tree
 * (../../target/release, then ../../target/debug, relative to bindings/php), then the system loader.
 */
final class LibraryLocator
{
    public const SCOPE = 'OSSRS';
    public const ENV_OVERRIDE = 'OSSRS_LIB';
    public const INI_OVERRIDE = 'ossrs.lib';

    private function __construct()
    {
    }

    /** The package root (bindings/php in the repository). */
    public static function packageDir(): string
    {
        return dirname(__DIR__, 2);
    }

    /** The committed PHP-flavoured header. */
    public static function headerPath(): string
    {
        return self::packageDir() . '/resources/ossrs.h';
    }

    /** The library's file name on this OS. */
    public static function fileName(): string
    {
        switch (PHP_OS_FAMILY) {
            case 'Windows':
                return 'ossrs.dll';
            case 'Darwin':
                return 'libossrs.dylib';
            default:
                return 'libossrs.so';
        }
    }

    /** The explicit library path from OSSRS_LIB or ossrs.lib, '' when neither is set. */
    public static function override(): string
    {
        $env = getenv(self::ENV_OVERRIDE);
        if (is_string($env) && $env !== '') {
            return $env;
        }
        $ini = get_cfg_var(self::INI_OVERRIDE);
        return is_string($ini) ? $ini : '';
    }

    /**
     * Library candidates in search order. Paths contain a directory separator; the last entry is a bare file
     * name for the system loader.
     *
     * @return list<string>
     */
    public static function candidates(): array
    {
        $override = self::override();
        if ($override !== '') {
            return [$override];
        }
        $package = self::packageDir();
        $repository = dirname($package, 2);
        $file = self::fileName();
        $platform = strtolower(PHP_OS_FAMILY) . '-' . strtolower(php_uname('m'));
        return [
            $package . '/native/' . $platform . '/' . $file,
            $package . '/native/' . $file,
            $repository . '/target/release/' . $file,
            $repository . '/target/debug/' . $file,
            $file,
        ];
    }

    /** Whether a candidate is a bare name for the system loader rather than a path. */
    public static function isBareName(string $candidate): bool
    {
        return strpbrk($candidate, '/\\') === false;
    }

    /**
     * The first candidate that exists, as an absolute path, or the bare name for the system loader when no
     * path exists (the override is returned as given so that errors name it).
     */
    public static function firstExisting(): string
    {
        foreach (self::candidates() as $candidate) {
            if (self::isBareName($candidate)) {
                return $candidate;
            }
            if (is_file($candidate)) {
                return (string) realpath($candidate);
            }
        }
        return self::override() !== '' ? self::override() : self::fileName();
    }

    /** The ossrs version a header was generated for (from its "/* ossrs X.Y.Z: ..." comment), null if absent. */
    public static function headerVersion(string $header): ?string
    {
        return preg_match('~^/\* ossrs ([0-9][^\s:]*):~m', $header, $m) === 1 ? $m[1] : null;
    }

    /**
     * $header with its `#define FFI_LIB` line pointing at $library, for `ffi.preload` or `FFI::load()`, which
     * pass FFI_LIB to dlopen unchanged (so it should be absolute).
     *
     * @throws OssException when $library holds a quote or a line break, or $header has no FFI_LIB line
     */
    public static function headerFor(string $header, string $library): string
    {
        if (strpbrk($library, "\"\r\n") !== false) {
            throw new OssException('the library path cannot be written into an FFI header: ' . $library);
        }
        $line = '#define FFI_LIB "' . $library . '"';
        $count = 0;
        $rewritten = preg_replace('~^#define FFI_LIB "[^"\n]*"$~m', $line, $header, 1, $count);
        if ($count !== 1 || !is_string($rewritten)) {
            throw new OssException('the header has no `#define FFI_LIB "..."` line');
        }
        return $rewritten;
    }
}
