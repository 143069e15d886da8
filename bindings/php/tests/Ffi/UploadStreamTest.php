<?php

declare(strict_types=1);

namespace OSS\Tests\Ffi;

use OSS\Core\OssException;
use OSS\OssClient;
use OSS\Tests\Support\Emulator;
use PHPUnit\Framework\TestCase;

/**
 * uploadStream against the emulator: the bytes stored from where the stream is, the length sent (declared or
 * chunked), callbacks, Content-MD5, failing streams and bounded memory.
 */
final class UploadStreamTest extends TestCase
{
    private OssClient $client;
    private string $dir;

    protected function setUp(): void
    {
        $this->client = new OssClient(Emulator::KEY_ID, Emulator::KEY_SECRET, Emulator::get()->endpoint());
        $this->dir = 'stream-' . bin2hex(random_bytes(4)) . '/';
    }

    /** The headers of the last PUT the emulator logged for $object, names lower-cased. */
    private function lastRequestHeaders(string $object): array
    {
        foreach (array_reverse(Emulator::get()->requests()) as $entry) {
            $path = '/' . str_replace('%2F', '/', rawurlencode($object));
            if ($entry['method'] === 'PUT' && str_ends_with($entry['path'], $path)) {
                $headers = [];
                foreach ($entry['headers'] as [$name, $value]) {
                    $headers[strtolower($name)] = $value;
                }
                return $headers;
            }
        }
        self::fail('no PUT of ' . $object);
    }

    public function testAFileStreamIsUploadedFromItsPositionWithItsLength(): void
    {
        $data = random_bytes(3 * 1024 * 1024 + 7);
        $file = tempnam(sys_get_temp_dir(), 'ossrs');
        file_put_contents($file, $data);
        $handle = fopen($file, 'rb');
        $result = $this->client->uploadStream(Emulator::BUCKET, $this->dir . 'whole.bin', $handle);
        self::assertSame(200, $result['info']['http_code']);
        self::assertSame($data, $this->client->getObject(Emulator::BUCKET, $this->dir . 'whole.bin'));
        self::assertSame((string) strlen($data), $this->lastRequestHeaders($this->dir . 'whole.bin')['content-length']);
        self::assertSame(strlen($data), ftell($handle), "the stream was read to its end, no further");

        fseek($handle, 1000);
        $this->client->uploadStream(Emulator::BUCKET, $this->dir . 'rest.txt', $handle);
        self::assertSame(substr($data, 1000), $this->client->getObject(Emulator::BUCKET, $this->dir . 'rest.txt'));
        self::assertSame('text/plain', $this->lastRequestHeaders($this->dir . 'rest.txt')['content-type']);
        fclose($handle);
        unlink($file);
    }

    public function testMemoryAndUnseekableStreams(): void
    {
        $temp = fopen('php://temp', 'w+b');
        fwrite($temp, 'in memory');
        rewind($temp);
        $this->client->uploadStream(Emulator::BUCKET, $this->dir . 'temp', $temp);
        self::assertSame('in memory', $this->client->getObject(Emulator::BUCKET, $this->dir . 'temp'));

        $pipe = popen('head -c 200000 /dev/zero | tr "\\0" "z"', 'r');
        $this->client->uploadStream(Emulator::BUCKET, $this->dir . 'pipe', $pipe);
        pclose($pipe);
        self::assertSame(str_repeat('z', 200000), $this->client->getObject(Emulator::BUCKET, $this->dir . 'pipe'));
        $headers = $this->lastRequestHeaders($this->dir . 'pipe');
        self::assertSame('chunked', $headers['transfer-encoding'] ?? null);
        self::assertArrayNotHasKey('content-length', $headers);

        $short = fopen('php://temp', 'w+b');
        fwrite($short, '12345');
        rewind($short);
        try {
            $this->client->uploadStream(Emulator::BUCKET, $this->dir . 'short', $short, [
                OssClient::OSS_CONTENT_LENGTH => 10,
            ]);
            self::fail('a stream shorter than its Content-Length was stored');
        } catch (OssException $e) {
            self::assertStringContainsString('ended after 5 of the 10 bytes', $e->getMessage());
        }
        self::assertFalse($this->client->doesObjectExist(Emulator::BUCKET, $this->dir . 'short'));
    }

    public function testACallbackAndContentMd5RideOnTheUpload(): void
    {
        $stream = fopen('php://temp', 'w+b');
        fwrite($stream, 'called back');
        rewind($stream);
        $result = $this->client->uploadStream(Emulator::BUCKET, $this->dir . 'cb.txt', $stream, [
            OssClient::OSS_CALLBACK => json_encode([
                'callbackUrl' => Emulator::get()->callbackUrl('/stream'),
                'callbackBody' => 'object=${object}&size=${size}&v=${x:v}',
            ]),
            OssClient::OSS_CALLBACK_VAR => json_encode(['x:v' => 'streamed']),
            OssClient::OSS_CHECK_MD5 => true,
        ]);
        self::assertSame('{"Status":"OK"}', $result['body']);
        $callback = Emulator::get()->callbackContaining('/stream', 'object=' . rawurlencode($this->dir . 'cb.txt'));
        self::assertStringContainsString('size=11&v=streamed', $callback['body']);
        self::assertTrue($callback['signature_valid']);
        self::assertSame(base64_encode(md5('called back', true)), $this->lastRequestHeaders($this->dir . 'cb.txt')['content-md5']);
    }

    public function testAFailingStreamStopsTheUploadAndNothingIsStored(): void
    {
        if (!in_array('ossrs-failing', stream_get_wrappers(), true)) {
            stream_wrapper_register('ossrs-failing', FailingStream::class);
        }
        $stream = fopen('ossrs-failing://x', 'rb');
        try {
            $this->client->uploadStream(Emulator::BUCKET, $this->dir . 'failing', $stream);
            self::fail('a failing stream was stored');
        } catch (OssException $e) {
            self::assertStringContainsString('reading the stream to upload failed after 65536 bytes', $e->getMessage());
        }
        self::assertFalse($this->client->doesObjectExist(Emulator::BUCKET, $this->dir . 'failing'));

        $before = Emulator::get()->requestCount();
        foreach (['not a stream', null, 42] as $handle) {
            try {
                $this->client->uploadStream(Emulator::BUCKET, $this->dir . 'x', $handle);
                self::fail('uploaded from ' . get_debug_type($handle));
            } catch (OssException $e) {
                self::assertSame('The handle must be an opened stream', $e->getMessage());
            }
        }
        $pipe = popen('true', 'r');
        try {
            $this->client->uploadStream(Emulator::BUCKET, $this->dir . 'x', $pipe, [OssClient::OSS_CHECK_MD5 => true]);
            self::fail('hashed an unseekable stream');
        } catch (OssException $e) {
            self::assertStringContainsString('seekable', $e->getMessage());
        }
        pclose($pipe);
        self::assertSame($before, Emulator::get()->requestCount());
    }

    public function testALargeStreamIsNeverHeldInPhpMemory(): void
    {
        $pipe = popen('head -c 67108864 /dev/zero', 'r');
        memory_reset_peak_usage();
        $before = memory_get_peak_usage();
        $this->client->uploadStream(Emulator::BUCKET, $this->dir . 'big', $pipe);
        $growth = memory_get_peak_usage() - $before;
        pclose($pipe);
        $meta = $this->client->getObjectMeta(Emulator::BUCKET, $this->dir . 'big');
        self::assertSame('67108864', $meta['content-length']);
        self::assertLessThan(4 * 1024 * 1024, $growth, "PHP's peak memory grew by $growth bytes");
    }
}

/** A stream that gives 64 KiB and then fails. */
final class FailingStream
{
    /** @var resource|null */
    public $context;
    private int $served = 0;

    public function stream_open(string $path, string $mode, int $options, ?string &$opened): bool
    {
        return true;
    }

    /** @return string|false */
    public function stream_read(int $count)
    {
        if ($this->served >= 65536) {
            return false;
        }
        $n = min($count, 65536 - $this->served);
        $this->served += $n;
        return str_repeat('f', $n);
    }

    public function stream_eof(): bool
    {
        return false;
    }

    /** @return array<string, int> */
    public function stream_stat(): array
    {
        return [];
    }
}
