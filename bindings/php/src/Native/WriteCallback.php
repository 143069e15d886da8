<?php

declare(strict_types=1);

namespace OSS\Native;

use FFI;
use FFI\CData;
use OSS\Core\OssException;

/**
 * The `oss_write_fn` that getObject with a stream as OSS_FILE_DOWNLOAD passes to `oss_get_object_to_sink`, and the
 * streams it writes to. As for ProgressCallback, there is one trampoline per process (an FFI closure lives until
 * the end of the request), capturing nothing; each download pushes its stream (enter()) and pops it (leave()).
 * libossrs calls the trampoline only on the calling thread while the download runs. A failed write (an
 * OssException) or a Throwable stops the download (non-zero return); it is kept and rethrown by the caller.
 */
final class WriteCallback
{
    private static ?CData $holder = null;
    private static ?CData $pointer = null;
    /** @var list<array{0: resource, 1: ?\Throwable, 2: int}> stream, what it threw, bytes written */
    private static array $frames = [];

    private function __construct()
    {
    }

    /** The process's `oss_write_fn`. */
    public static function pointer(FFI $ffi): CData
    {
        if (self::$pointer === null) {
            $holder = $ffi->new('struct { oss_write_fn fn; }');
            $holder->fn = static function ($userdata, $data, $len): int {
                return self::dispatch($data, (int) $len);
            };
            self::$holder = $holder;
            self::$pointer = $holder->fn;
        }
        return self::$pointer;
    }

    /**
     * @param resource $stream
     * @return int the frame, for leave()
     */
    public static function enter($stream): int
    {
        self::$frames[] = [$stream, null, 0];
        return count(self::$frames) - 1;
    }

    /** @return array{0: ?\Throwable, 1: int} what the stream's writes threw, and how many bytes they wrote */
    public static function leave(int $frame): array
    {
        if ($frame !== count(self::$frames) - 1) {
            throw new \LogicException('write frames left out of order');
        }
        [, $thrown, $written] = array_pop(self::$frames);
        return [$thrown, $written];
    }

    private static function dispatch(CData $data, int $len): int
    {
        $top = count(self::$frames) - 1;
        if ($top < 0 || self::$frames[$top][1] !== null) {
            return 1;
        }
        try {
            // A failed write warns; the OssException below says it instead.
            $written = @fwrite(self::$frames[$top][0], FFI::string($data, $len));
            if ($written !== $len) {
                throw new OssException('writing the download to the stream failed after '
                    . (self::$frames[$top][2] + (int) $written) . ' bytes');
            }
            self::$frames[$top][2] += $len;
            return 0;
        } catch (\Throwable $e) {
            self::$frames[$top][1] = $e;
            return 1;
        }
    }
}
