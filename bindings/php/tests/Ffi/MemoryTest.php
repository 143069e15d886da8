<?php

declare(strict_types=1);

namespace OSS\Tests\Ffi;

use OSS\Tests\Support\Emulator;
use OSS\Tests\Support\Process;
use OSS\Tests\Support\Recorder;
use PHPUnit\Framework\TestCase;

/**
 * 10,000 putObject calls in one process (tests/scripts/put-loop.php) leave zend memory and RSS flat: every
 * response, error and options object is freed. Once against the recorder (a new connection per request, 403s),
 * once against the emulator (kept-alive connections, 203 CallbackFailed). The figures go to STDERR for the record.
 */
final class MemoryTest extends TestCase
{
    private const CALLS = 10000;

    public function testTenThousandPutObjectCallsDoNotGrowMemory(): void
    {
        $recorder = Recorder::start();
        try {
            $figures = $this->loop($recorder->endpoint(), 'bkt', 'recorder');
        } finally {
            $recorder->stop();
        }
        $this->assertFlat($figures);
    }

    public function testTenThousandPutObjectCallsOnKeptAliveConnectionsDoNotGrowMemory(): void
    {
        $this->assertFlat($this->loop(Emulator::get()->endpoint(), Emulator::BUCKET, 'emulator'));
    }

    /** @return array<string, int|float> the figures tests/scripts/put-loop.php prints */
    private function loop(string $endpoint, string $bucket, string $mode): array
    {
        $run = Process::php(
            dirname(__DIR__) . '/scripts/put-loop.php',
            [$endpoint, $bucket, (string) self::CALLS, $mode],
            [],
            ['-d', 'ffi.enable=1', '-d', 'display_errors=stderr']
        );
        self::assertSame(0, $run['exit'], $run['stderr']);
        self::assertSame('', $run['stderr']);
        fwrite(STDERR, "\n[memory, " . $mode . '] ' . trim($run['stdout']) . "\n");
        return json_decode(trim($run['stdout']), true);
    }

    /** @param array<string, int|float> $figures */
    private function assertFlat(array $figures): void
    {
        self::assertSame(self::CALLS, $figures['calls']);
        self::assertSame(self::CALLS / 100, $figures['failures'], 'one call in 100 fails');
        self::assertLessThan(64 * 1024, $figures['memory_after'] - $figures['memory_before'], 'zend memory growth');
        // A leak of even 200 bytes per call would add 2 MB over 10,000 calls.
        self::assertLessThan(2 * 1024 * 1024, $figures['rss_after'] - $figures['rss_before'], 'RSS growth');
    }
}
