<?php

declare(strict_types=1);

namespace OSS\Tests\Ffi;

use OSS\Core\OssException;
use OSS\OssClient;
use OSS\Tests\Support\Emulator;
use PHPUnit\Framework\TestCase;

/** uploadDir against the emulator: which files become which objects, byte-exact, and how failures are reported. */
final class UploadDirTest extends TestCase
{
    private OssClient $client;
    private string $local;
    private string $prefix;

    protected function setUp(): void
    {
        $this->client = new OssClient(Emulator::KEY_ID, Emulator::KEY_SECRET, Emulator::get()->endpoint());
        $this->local = sys_get_temp_dir() . '/ossrs-dir-' . bin2hex(random_bytes(4));
        $this->prefix = 'dir-' . bin2hex(random_bytes(4));
        mkdir($this->local . '/sub', 0700, true);
        file_put_contents($this->local . '/a.txt', 'first');
        file_put_contents($this->local . '/b.bin', random_bytes(300 * 1024));
        file_put_contents($this->local . '/sub/c.txt', 'nested');
        file_put_contents($this->local . "/bad\nname", 'x');
    }

    protected function tearDown(): void
    {
        foreach (['a.txt', 'b.bin', 'sub/c.txt', "bad\nname"] as $name) {
            @unlink($this->local . '/' . $name);
        }
        @rmdir($this->local . '/sub');
        @rmdir($this->local);
    }

    public function testTheFilesOfADirectoryBecomeObjectsUnderThePrefix(): void
    {
        $result = $this->client->uploadDir(Emulator::BUCKET, $this->prefix, $this->local);
        self::assertSame([$this->prefix . '/a.txt', $this->prefix . '/b.bin'], $result['succeededList']);
        self::assertSame([$this->prefix . "/bad\nname"], array_keys($result['failedList']));
        self::assertStringContainsString('object name', $result['failedList'][$this->prefix . "/bad\nname"]);
        foreach (['a.txt', 'b.bin'] as $name) {
            self::assertSame(
                file_get_contents($this->local . '/' . $name),
                $this->client->getObject(Emulator::BUCKET, $this->prefix . '/' . $name)
            );
        }
        self::assertFalse($this->client->doesObjectExist(Emulator::BUCKET, $this->prefix . '/sub/c.txt'));

        $recursive = $this->client->uploadDir(Emulator::BUCKET, '', $this->local, '.|..', true);
        self::assertSame(['a.txt', 'b.bin', 'sub/c.txt'], $recursive['succeededList']);
        self::assertSame('nested', $this->client->getObject(Emulator::BUCKET, 'sub/c.txt'));
    }

    public function testBadArgumentsThrow(): void
    {
        foreach ([
            'parameter error, bucket is empty' => fn () => $this->client->uploadDir('', 'p', $this->local),
            'parameter error, prefix is not string' => fn () => $this->client->uploadDir(Emulator::BUCKET, null, $this->local),
            'parameter error, localDirectory is empty' => fn () => $this->client->uploadDir(Emulator::BUCKET, 'p', ''),
            'is not a directory' => fn () => $this->client->uploadDir(Emulator::BUCKET, 'p', $this->local . '/a.txt'),
            'is empty...' => fn () => $this->client->uploadDir(Emulator::BUCKET, 'p', $this->local, 'a.txt|b.bin|bad' . "\n" . 'name'),
        ] as $message => $call) {
            try {
                $call();
                self::fail('no exception for: ' . $message);
            } catch (OssException $e) {
                self::assertStringContainsString($message, $e->getMessage());
            }
        }
    }
}
