<?php

/**
 * opcache.preload of the FPM load test: the package's preload.php unchanged, plus FpmTestLibc for the fork
 * request. Debian builds pcntl into the CLI only (PHP-FPM has no pcntl_fork), and under ffi.enable=preload only
 * preloaded code may use the FFI API, so fork(), waitpid() and _exit() are reached through this class (and
 * malloc() and memset(), which app.php's crash and leak sabotage call).
 */

declare(strict_types=1);

require dirname(__DIR__, 2) . '/bindings/php/preload.php';

final class FpmTestLibc
{
    public static function libc(): FFI
    {
        return FFI::cdef(
            'int fork(void); int waitpid(int pid, int *status, int options); void _exit(int status);'
            . ' void *malloc(size_t size); void *memset(void *s, int c, size_t n);',
            'libc.so.6'
        );
    }

    /** fork(): 0 in the child, the child's pid in the parent, -1 on failure. */
    public static function fork(): int
    {
        return self::libc()->fork();
    }

    /** Waits for $pid; its wait status (0: exited with code 0), or -1 when waitpid fails. */
    public static function wait(int $pid): int
    {
        $libc = self::libc();
        $status = $libc->new('int');
        return $libc->waitpid($pid, FFI::addr($status), 0) === $pid ? $status->cdata : -1;
    }

    /** Ends the process at once: no PHP shutdown, no FPM request loop (a forked worker must not serve). */
    public static function exit(int $code): void
    {
        self::libc()->_exit($code);
    }
}
