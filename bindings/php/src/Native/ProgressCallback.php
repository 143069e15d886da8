<?php

declare(strict_types=1);

namespace OSS\Native;

use FFI;
use FFI\CData;

/**
 * The `oss_progress_fn` that multiuploadFile passes to `oss_upload_file`, and the PHP callables it dispatches to.
 *
 * PHP FFI turns a closure into a C function pointer by allocating a trampoline that lives, with a reference to the
 * closure, until the end of the request (docs/php-ffi.md "Closures and trampolines"). Passing a fresh closure per
 * call would therefore grow memory with every upload, and a closure capturing a client would keep that client
 * alive. So there is exactly one trampoline per process (per request under PHP-FPM), created on the first upload
 * with progress, capturing nothing; each upload pushes its callable on a stack (enter()) and pops it afterwards
 * (leave()), and the trampoline calls the callable on top. libossrs calls the trampoline only on the thread that
 * called `oss_upload_file`, while that call is running, so the top of the stack is always the current upload (a
 * callable that itself starts an upload pushes a new frame and pops it before returning).
 *
 * Nothing may be thrown through the C frames ("Throwing from FFI callbacks is not allowed" is fatal): a Throwable
 * from the callable is kept in its frame and the trampoline returns non-zero, which makes libossrs cancel and abort
 * the upload; the caller rethrows it after `oss_upload_file` returned (see leave()). The callable returning false
 * also cancels.
 */
final class ProgressCallback
{
    private static ?TrampolineFrames $frames = null;

    private function __construct()
    {
    }

    /** The function pointer to pass as `progress`: the same one for every call. */
    public static function pointer(FFI $ffi): CData
    {
        return self::frames()->pointer(
            $ffi,
            'oss_progress_fn',
            static fn ($userdata, $partNumber, $bytesDone, $bytesTotal): int => self::dispatch((int) $partNumber, (int) $bytesDone, (int) $bytesTotal)
        );
    }

    /** The callables the trampoline dispatches to. */
    public static function frames(): TrampolineFrames
    {
        return self::$frames ??= new TrampolineFrames('progress');
    }

    /** Number of uploads with progress running now (0 between calls; for tests). */
    public static function depth(): int
    {
        return self::frames()->depth();
    }

    /** @return int 0 to continue, 1 to cancel */
    private static function dispatch(int $partNumber, int $bytesDone, int $bytesTotal): int
    {
        return self::frames()->dispatch($partNumber, $bytesDone, $bytesTotal);
    }
}
