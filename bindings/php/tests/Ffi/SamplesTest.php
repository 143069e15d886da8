<?php

declare(strict_types=1);

namespace OSS\Tests\Ffi;

use OSS\OssClient;
use OSS\Tests\Support\Emulator;
use OSS\Tests\Support\Paths;
use OSS\Tests\Support\Process;
use PHPUnit\Framework\TestCase;

/**
 * The two samples of Aliyun's upload-callback page (php-example/samples/, identical to the page but for the
 * getenv() placeholders) run unchanged as child processes. Their endpoint stays
 * http://oss-cn-hangzhou.aliyuncs.com; http_proxy sends the requests to the emulator, as libcurl would.
 */
final class SamplesTest extends TestCase
{
    private Emulator $emulator;

    protected function setUp(): void
    {
        $this->emulator = Emulator::get();
    }

    public function testSimpleUploadWithCallbackSample(): void
    {
        $object = 'samples/put-object-callback.php';
        $run = $this->runSample('put_object_callback.php', [
            'OSS_OBJECT' => $object,
            'OSS_CALLBACK_URL' => $this->emulator->callbackUrl('/sample-put'),
        ]);
        self::assertSame(0, $run['exit'], $run['stdout'] . $run['stderr']);
        self::assertSame('', $run['stderr']);
        self::assertStringEndsWith('200', $run['stdout'], 'print_r($result[\'info\'][\'http_code\'])');
        $reply = substr($run['stdout'], 0, -3);
        self::assertIsArray(json_decode($reply, true), 'print_r($result[\'body\']) prints the callback reply: ' . $reply);

        $received = $this->emulator->callbackContaining('/sample-put', 'object=samples%2Fput-object-callback.php');
        self::assertTrue($received['signature_valid']);
        self::assertStringContainsString('&my_var1=value1&my_var2=%E5%80%BC2', $received['body']);
        self::assertSame('callback.example.com', $received['headers']['Host'] ?? $received['headers']['host'] ?? null);

        $sample = (string) file_get_contents($this->samplePath('put_object_callback.php'));
        self::assertSame($sample, $this->client()->getObject(Emulator::BUCKET, $object), 'the sample uploads itself');
    }

    public function testMultipartUploadWithCallbackSample(): void
    {
        $size = 2 * 10 * 1024 * 1024 + 12345;
        $bytes = Paths::patternBytes($size);
        $file = Paths::file('sample-multipart.bin', $bytes);
        $object = 'samples/multipart-callback.bin';
        $run = $this->runSample('multipart_callback.php', [
            'OSS_OBJECT' => $object,
            'OSS_UPLOAD_FILE' => $file,
            'OSS_CALLBACK_URL' => $this->emulator->callbackUrl('/sample-multipart'),
        ]);
        self::assertSame(0, $run['exit'], $run['stdout'] . $run['stderr']);
        self::assertSame('', $run['stderr']);
        self::assertSame(
            ": initiateMultipartUpload OK\n"
            . ": initiateMultipartUpload, uploadPart - part#0 OK\n"
            . ": initiateMultipartUpload, uploadPart - part#1 OK\n"
            . ": initiateMultipartUpload, uploadPart - part#2 OK\n"
            . ": completeMultipartUpload OK\n",
            $run['stdout']
        );
        $received = $this->emulator->callbackContaining('/sample-multipart', (string) $size);
        self::assertTrue($received['signature_valid']);
        self::assertSame(
            ['mimeType' => 'application/octet-stream', 'size' => $size, 'x:var1' => 'value1', 'x:var2' => '值2'],
            json_decode($received['body'], true)
        );
        self::assertSame(md5($bytes), md5($this->client()->getObject(Emulator::BUCKET, $object)));
    }

    /**
     * @param array<string, string> $env
     * @return array{exit: int, stdout: string, stderr: string}
     */
    private function runSample(string $sample, array $env): array
    {
        return Process::php($this->samplePath($sample), [], $env + [
            'OSS_ACCESS_KEY_ID' => Emulator::KEY_ID,
            'OSS_ACCESS_KEY_SECRET' => Emulator::KEY_SECRET,
            'OSS_BUCKET' => Emulator::BUCKET,
            'OSS_CALLBACK_HOST' => 'callback.example.com',
            'http_proxy' => $this->emulator->proxy(),
            'HTTP_PROXY' => false,
            'no_proxy' => false,
            'NO_PROXY' => false,
            'all_proxy' => false,
            'ALL_PROXY' => false,
        ], ['-d', 'display_errors=stderr', '-d', 'error_reporting=-1']);
    }

    private function samplePath(string $sample): string
    {
        return dirname(Paths::package(), 2) . '/php-example/samples/' . $sample;
    }

    private function client(): OssClient
    {
        return new OssClient(Emulator::KEY_ID, Emulator::KEY_SECRET, $this->emulator->endpoint());
    }
}
