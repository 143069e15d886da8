<?php

declare(strict_types=1);

namespace OSS\Native;

use FFI;
use FFI\CData;
use OSS\Core\OssException;

/**
 * The `oss_write_fn` that getObject with a stream as OSS_FILE_DOWNLOAD passes to `oss_get_object_to_sink`: one
 * trampoline per process, as for ProgressCallback, dispatching through TrampolineFrames to the writer of the
 * running download. A failed write throws an OssException, which stops the download and is rethrown.
 */
final class WriteCallback
{
    private static ?TrampolineFrames $frames = null;

    private function __construct()
    {
    }

    /** The process's `oss_write_fn`. */
    public static function pointer(FFI $ffi): CData
    {
        return self::frames()->pointer(
            $ffi,
            'oss_write_fn',
            static fn ($userdata, $data, $len): int => self::frames()->dispatch(FFI::string($data, (int) $len))
        );
    }

    /** The writers the trampoline dispatches to. */
    public static function frames(): TrampolineFrames
    {
        return self::$frames ??= new TrampolineFrames('write');
    }

    /**
     * A writer of the download's pieces to $stream.
     *
     * @param resource $stream
     * @return callable(string): void
     */
    public static function writerTo($stream): callable
    {
        $written = 0;
        return static function (string $piece) use ($stream, &$written): void {
            // A failed write warns; the OssException says it instead.
            $n = @fwrite($stream, $piece);
            if ($n !== strlen($piece)) {
                throw new OssException('writing the download to the stream failed after ' . ($written + (int) $n)
                    . ' bytes');
            }
            $written += $n;
        };
    }
}
