<?php

declare(strict_types=1);

namespace OSS\Native;

use OSS\Core\OssException;

/**
 * Guards text passed to `const char*` parameters: C stops at the first NUL byte, so a PHP string holding one
 * would silently reach libossrs truncated (an object name "a\0b" would be stored as "a").
 */
final class CString
{
    private function __construct()
    {
    }

    /**
     * @throws OssException when $value contains a NUL byte
     */
    public static function check(string $value, string $what): void
    {
        if (strpos($value, "\0") !== false) {
            throw new OssException($what . ' contains a NUL byte, which cannot be passed to libossrs');
        }
    }
}
