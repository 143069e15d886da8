<?php

declare(strict_types=1);

namespace OSS\Tests\Ffi;

use OSS\Tests\Support\Process;
use OSS\Tests\Support\Recorder;
use PHPUnit\Framework\TestCase;

/** An OssClient keeps working in a forked child (a new native client there) and in the parent. */
final class ForkTest extends TestCase
{
    /** @requires extension pcntl */
    public function testClientWorksInBothProcessesAfterFork(): void
    {
        $recorder = Recorder::start();
        try {
            $run = Process::php(dirname(__DIR__) . '/scripts/fork.php', [$recorder->endpoint()], [], ['-d', 'ffi.enable=1']);
            $targets = array_column($recorder->requests(), 'target');
        } finally {
            $recorder->stop();
        }
        self::assertSame(0, $run['exit'], $run['stdout'] . $run['stderr']);
        $lines = array_map(static fn (string $l): mixed => json_decode($l, true), array_filter(explode("\n", $run['stdout'])));
        foreach ($lines as $line) {
            self::assertIsArray($line, 'one JSON object per line: ' . $run['stdout']);
        }
        $byProcess = array_column($lines, 'status', 'process');
        ksort($byProcess);
        self::assertSame(['child' => 200, 'parent' => 200], $byProcess);
        $ids = array_column($lines, 'ids', 'process');
        self::assertSame($ids['parent']['before'], $ids['parent']['after'], 'the parent keeps its native client');
        self::assertNotSame($ids['child']['before'], $ids['child']['after'], 'the child builds its own');
        sort($targets);
        self::assertSame(['/bkt/before-fork.txt', '/bkt/child.txt', '/bkt/parent.txt'], $targets);
    }
}
