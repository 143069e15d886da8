<?php

declare(strict_types=1);

namespace OSS\Tests\Ffi;

use OSS\Core\OssException;
use OSS\Tests\Support\Process;
use PHPUnit\Framework\TestCase;

/**
 * Wrong PHP types and unsafe values give an OssException before any I/O, never a fatal error, a TypeError, a
 * warning or a segfault. The calls run in a child process (tests/scripts/misuse.php) so that a crash would show
 * as its exit code; the endpoint is a closed port, so a call that reached the network would say so.
 */
final class MisuseTest extends TestCase
{
    public function testEveryMisuseIsAnOssExceptionInAHealthyProcess(): void
    {
        $run = Process::php(
            dirname(__DIR__) . '/scripts/misuse.php',
            ['http://127.0.0.1:1'],
            [],
            ['-d', 'ffi.enable=1', '-d', 'error_reporting=-1', '-d', 'display_errors=stderr']
        );
        self::assertSame(0, $run['exit'], 'exit code; stderr: ' . $run['stderr']);
        self::assertSame('', $run['stderr'], 'no warnings, notices or deprecations');
        $lines = array_map(static fn (string $l): array => json_decode($l, true), array_filter(explode("\n", $run['stdout'])));
        self::assertGreaterThan(40, count($lines));
        foreach ($lines as $line) {
            if ($line['case'] === 'md5 of an array path') {
                self::assertSame('', $line['message']);
                continue;
            }
            self::assertSame(OssException::class, $line['class'], $line['case'] . ': ' . $line['message']);
            self::assertStringNotContainsString('RequestCoreException', $line['message'], $line['case'] . ' reached the network');
            self::assertNotSame('', $line['message'], $line['case']);
        }
    }
}
