<?php

declare(strict_types=1);

namespace OSS\Tests\Ffi;

use OSS\Core\OssException;
use OSS\OssClient;
use OSS\Tests\Support\Emulator;
use PHPUnit\Framework\TestCase;

/**
 * getObject with OSS_FILE_DOWNLOAD, a path or a stream: byte-exact, ranges, a failed download leaves the file as
 * it was, a stream that cannot be written stops the download with the stream's error, and the object is never
 * held in PHP memory.
 */
final class DownloadTest extends TestCase
{
    private OssClient $client;
    private string $key;
    private string $bytes;
    private string $dir;

    protected function setUp(): void
    {
        $this->client = new OssClient(Emulator::KEY_ID, Emulator::KEY_SECRET, Emulator::get()->endpoint());
        $this->key = 'download/' . bin2hex(random_bytes(4)) . '.bin';
        $this->bytes = random_bytes(3 * 1024 * 1024 + 5);
        $this->client->putObject(Emulator::BUCKET, $this->key, $this->bytes);
        $this->dir = sys_get_temp_dir() . '/ossrs-download-' . bin2hex(random_bytes(4));
        mkdir($this->dir);
    }

    protected function tearDown(): void
    {
        foreach (glob($this->dir . '/{,.}*', GLOB_BRACE) ?: [] as $file) {
            if (is_file($file)) {
                unlink($file);
            }
        }
        rmdir($this->dir);
    }

    public function testIntoAFile(): void
    {
        $path = $this->dir . '/object.bin';
        file_put_contents($path, 'old');
        $before = memory_get_peak_usage();
        self::assertSame('', $this->client->getObject(Emulator::BUCKET, $this->key, [
            OssClient::OSS_FILE_DOWNLOAD => $path,
        ]));
        self::assertLessThan(1024 * 1024, memory_get_peak_usage() - $before, 'the object never passes through PHP');
        self::assertSame($this->bytes, file_get_contents($path));
        $this->client->getObject(Emulator::BUCKET, $this->key, [
            OssClient::OSS_FILE_DOWNLOAD => $path,
            OssClient::OSS_RANGE => '100-199',
        ]);
        self::assertSame(substr($this->bytes, 100, 100), file_get_contents($path));
        try {
            $this->client->getObject(Emulator::BUCKET, 'download/missing', [OssClient::OSS_FILE_DOWNLOAD => $path]);
            self::fail('downloaded a missing object');
        } catch (OssException $e) {
            self::assertSame('NoSuchKey', $e->getErrorCode());
        }
        self::assertSame(substr($this->bytes, 100, 100), file_get_contents($path), 'left as it was');
        self::assertSame(['object.bin'], array_values(array_diff(scandir($this->dir) ?: [], ['.', '..'])));
    }

    public function testIntoAStream(): void
    {
        $stream = fopen('php://temp', 'w+');
        self::assertSame('', $this->client->getObject(Emulator::BUCKET, $this->key, [
            OssClient::OSS_FILE_DOWNLOAD => $stream,
        ]));
        rewind($stream);
        self::assertSame($this->bytes, stream_get_contents($stream));
        fclose($stream);

        $readOnly = fopen($this->dir . '/ro', 'w+');
        fclose($readOnly);
        $readOnly = fopen($this->dir . '/ro', 'r');
        try {
            $this->client->getObject(Emulator::BUCKET, $this->key, [OssClient::OSS_FILE_DOWNLOAD => $readOnly]);
            self::fail('wrote to a read-only stream');
        } catch (OssException $e) {
            self::assertStringContainsString('writing the download to the stream failed', $e->getMessage());
        } finally {
            fclose($readOnly);
        }
    }
}
