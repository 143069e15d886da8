<?php

declare(strict_types=1);

namespace OSS\Native;

use FFI;
use FFI\CData;
use OSS\Core\OssException;

/**
 * The `oss_read_fn` that uploadStream passes to `oss_options_set_body_reader`: one trampoline per process, as for
 * WriteCallback, dispatching through TrampolineFrames to the reader of the running upload. libossrs calls it on
 * this thread while it sends the request; a failed read throws an OssException, which stops the upload and is
 * rethrown.
 */
final class ReadCallback
{
    /** The most read from the stream per call: libossrs asks for at most its buffer anyway. */
    private const MAX_READ = 1 << 20;

    private static ?TrampolineFrames $frames = null;

    private function __construct()
    {
    }

    /** The process's `oss_read_fn`. */
    public static function pointer(FFI $ffi): CData
    {
        return self::frames()->pointer(
            $ffi,
            'oss_read_fn',
            static fn ($userdata, $buf, $cap): int => self::frames()->produce($buf, (int) $cap)
        );
    }

    /** The readers the trampoline dispatches to. */
    public static function frames(): TrampolineFrames
    {
        return self::$frames ??= new TrampolineFrames('read');
    }

    /**
     * A reader of $stream from its current position into libossrs's buffer: the number of bytes copied, 0 at the
     * end of the stream.
     *
     * @param resource $stream
     * @return callable(CData, int): int
     */
    public static function readerFrom($stream): callable
    {
        $read = 0;
        return static function (CData $buf, int $cap) use ($stream, &$read): int {
            do {
                // A failed read warns; the OssException says it instead.
                $data = @fread($stream, min($cap, self::MAX_READ));
                if ($data === false) {
                    throw new OssException('reading the stream to upload failed after ' . $read . ' bytes');
                }
            } while ($data === '' && !feof($stream));
            FFI::memcpy($buf, $data, strlen($data));
            $read += strlen($data);
            return strlen($data);
        };
    }
}
