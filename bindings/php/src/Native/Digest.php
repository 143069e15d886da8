<?php

declare(strict_types=1);

namespace OSS\Native;

use FFI;
use OSS\Core\OssException;

/**
 * Content-MD5 of file ranges and Content-Type inference, both computed by libossrs.
 */
final class Digest
{
    private function __construct()
    {
    }

    /**
     * Base64 of the MD5 of $length bytes of $path starting at $offset, or null when the file cannot be read or
     * the range lies outside it.
     *
     * @throws OssException only when libossrs cannot be loaded
     */
    public static function fileContentMd5(string $path, int $offset, int $length): ?string
    {
        $ffi = Library::ffi();
        if (strpos($path, "\0") !== false || $offset < 0 || $length < 0) {
            return null;
        }
        $out = $ffi->new('char[25]');
        $error = $ffi->new('oss_error*');
        $result = $ffi->oss_file_content_md5($path, $offset, $length, $out, 25, FFI::addr($error));
        try {
            NativeError::check($ffi, $result, $error);
        } catch (OssException $e) {
            return null;
        }
        return FFI::string($out);
    }

    /** The Content-Type libossrs infers from a file or object name's extension (the SDK's table), or null. */
    public static function contentTypeForName(string $name): ?string
    {
        if (strpos($name, "\0") !== false) {
            return null;
        }
        $type = Library::ffi()->oss_content_type_for_name($name);
        return $type === null ? null : (string) $type;
    }
}
