<?php

declare(strict_types=1);

namespace OSS\Tests\Support;

/**
 * Locations the tests use: the package, the repository, the Cargo build tree and a per-run scratch directory.
 */
final class Paths
{
    private static ?string $scratch = null;

    public static function package(): string
    {
        return dirname(__DIR__, 2);
    }

    public static function repository(): string
    {
        return dirname(__DIR__, 4);
    }

    /** A binary of the Cargo workspace's debug build (oss-emulator, callback-receiver). */
    public static function debugBinary(string $name): string
    {
        return self::repository() . '/target/debug/' . $name;
    }

    /** A fresh directory for this test run, removed at exit. */
    public static function scratch(): string
    {
        if (self::$scratch === null) {
            $dir = sys_get_temp_dir() . '/ossrs-php-tests-' . getmypid() . '-' . bin2hex(random_bytes(4));
            mkdir($dir, 0755, true);
            $owner = getmypid();
            register_shutdown_function(static function () use ($dir, $owner): void {
                if (getmypid() === $owner) {
                    self::remove($dir);
                }
            });
            self::$scratch = $dir;
        }
        return self::$scratch;
    }

    /** A new file in the scratch directory holding $bytes. */
    public static function file(string $name, string $bytes): string
    {
        $path = self::scratch() . '/' . $name;
        file_put_contents($path, $bytes);
        return $path;
    }

    /** $size bytes where byte i is i % 251 (the multipart seed file of the SDK's wire capture). */
    public static function patternBytes(int $size): string
    {
        $cycle = '';
        for ($i = 0; $i < 251; $i++) {
            $cycle .= chr($i);
        }
        return substr(str_repeat($cycle, intdiv($size, 251) + 1), 0, $size);
    }

    private static function remove(string $path): void
    {
        if (is_dir($path) && !is_link($path)) {
            foreach (scandir($path) ?: [] as $entry) {
                if ($entry !== '.' && $entry !== '..') {
                    self::remove($path . '/' . $entry);
                }
            }
            rmdir($path);
        } elseif (file_exists($path) || is_link($path)) {
            unlink($path);
        }
    }
}
