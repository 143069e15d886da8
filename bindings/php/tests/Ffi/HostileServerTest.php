<?php

declare(strict_types=1);

namespace OSS\Tests\Ffi;

use OSS\Core\OssException;
use OSS\OssClient;
use OSS\Tests\Support\Emulator;
use PHPUnit\Framework\TestCase;

/**
 * A broken or hostile server (the emulator's huge_body, stall, drip, endless_continue and oversized_field faults)
 * against OssClient with setTimeout(1.5): every call throws a short OssException within the timeout plus a second,
 * and this process's peak RSS (reset through /proc/self/clear_refs before each call) grows by a few MiB at most,
 * whatever the answer's size.
 */
final class HostileServerTest extends TestCase
{
    private const TIMEOUT_S = 1.5;
    private const RSS_BOUND_KIB = 48 * 1024;
    private const GIB = 1 << 30;

    private Emulator $emulator;
    private OssClient $client;
    private ?string $partFile = null;

    protected function setUp(): void
    {
        $this->emulator = Emulator::get();
        $this->client = new OssClient([
            'endpoint' => $this->emulator->endpoint(),
            'provider' => new \OSS\Credentials\StaticCredentialsProvider(Emulator::KEY_ID, Emulator::KEY_SECRET),
            'ossrsLimits' => ['max_object_bytes' => 16 << 20],
        ]);
        $this->client->setTimeout(self::TIMEOUT_S);
    }

    protected function tearDown(): void
    {
        $this->emulator->setFaults([]);
        if ($this->partFile !== null) {
            unlink($this->partFile);
        }
    }

    /** @return array<string, array{0: string, 1: array<string, mixed>, 2: string}> operation, fault, message part */
    public static function hostileAnswers(): array
    {
        return [
            'put with callback, endless 200 body' => [
                'put', ['fault' => 'huge_body', 'status' => 200, 'chunked' => true], 'max_response_bytes',
            ],
            'put with callback, 1 GiB 500 body' => [
                'put', ['fault' => 'huge_body', 'status' => 500, 'bytes' => self::GIB], 'max_error_body_bytes',
            ],
            'initiate, stall' => ['initiate', ['fault' => 'stall'], 'timeout_ms'],
            'initiate, 50 MiB UploadId' => [
                'initiate', ['fault' => 'oversized_field', 'field' => 'UploadId', 'bytes' => 50 << 20],
                'max_response_bytes',
            ],
            'upload part, endless 100 Continue' => ['part', ['fault' => 'endless_continue', 'ms' => 300], 'timeout_ms'],
            'upload part, endless 403 body' => [
                'part', ['fault' => 'huge_body', 'status' => 403, 'chunked' => true], 'max_error_body_bytes',
            ],
            'complete with callback, body dripped' => [
                'complete', ['fault' => 'drip', 'part' => 'body', 'ms' => 400], 'timeout_ms',
            ],
            'get, head dripped' => ['get', ['fault' => 'drip', 'part' => 'head', 'ms' => 400], 'timeout_ms'],
            'get, 2 GiB object' => [
                'get', ['fault' => 'huge_body', 'status' => 200, 'bytes' => 2 * self::GIB], 'max_object_bytes',
            ],
        ];
    }

    /**
     * @dataProvider hostileAnswers
     * @param array<string, mixed> $fault
     */
    public function testAHostileAnswerEndsInAShortErrorInTimeAndBoundedMemory(
        string $operation,
        array $fault,
        string $named
    ): void {
        $run = $this->prepare($operation);
        $this->emulator->setFaults([$fault + ['operation' => self::OPERATIONS[$operation]]]);
        $before = self::peakRssKib(true);
        $started = microtime(true);
        try {
            $run();
            self::fail('the call succeeded');
        } catch (OssException $e) {
            $took = microtime(true) - $started;
            $grew = self::peakRssKib(false) - $before;
            self::assertStringContainsString($named, $e->getMessage());
            self::assertLessThan(600, strlen($e->getMessage()), $e->getMessage());
            self::assertLessThan(self::TIMEOUT_S + 1, $took, $e->getMessage());
            self::assertLessThan(self::RSS_BOUND_KIB, $grew, 'peak RSS growth in KiB');
        }
    }

    public function testLimitsAreCheckedBeforeAnyRequest(): void
    {
        $count = $this->emulator->requestCount();
        foreach ([['max_object_bytes' => 0], ['max_answer' => 5], ['max_response_bytes' => 'lots'], 'all'] as $bad) {
            try {
                $this->client->ossrsSetLimits($bad);
                self::fail('accepted ' . var_export($bad, true));
            } catch (OssException $e) {
                self::assertNotSame('', $e->getMessage());
            }
        }
        self::assertSame($count, $this->emulator->requestCount());
    }

    public function testASmallLimitRefusesAnOrdinaryObject(): void
    {
        $this->client->putObject(Emulator::BUCKET, 'hostile/limit.txt', str_repeat('x', 2000));
        $this->client->ossrsSetLimits(['max_object_bytes' => 1000]);
        try {
            $this->client->getObject(Emulator::BUCKET, 'hostile/limit.txt');
            self::fail('a 2000-byte object was read with a 1000-byte limit');
        } catch (OssException $e) {
            self::assertStringContainsString('declares 2000 bytes, over the 1000-byte limit', $e->getMessage());
        }
        $this->client->ossrsSetLimits(['max_object_bytes' => 2000]);
        self::assertSame(str_repeat('x', 2000), $this->client->getObject(Emulator::BUCKET, 'hostile/limit.txt'));
    }

    private const OPERATIONS = [
        'put' => 'PutObject',
        'initiate' => 'InitiateMultipartUpload',
        'part' => 'UploadPart',
        'complete' => 'CompleteMultipartUpload',
        'get' => 'GetObject',
    ];

    /** Does what $operation needs first (without faults) and returns the call under test. */
    private function prepare(string $operation): \Closure
    {
        $c = $this->client;
        $bucket = Emulator::BUCKET;
        $key = 'hostile/' . $operation . '-' . bin2hex(random_bytes(4));
        $callback = [
            OssClient::OSS_CALLBACK => json_encode([
                'callbackUrl' => $this->emulator->callbackUrl('/hostile'),
                'callbackBody' => 'object=${object}',
            ]),
        ];
        $part = $this->partFile = (string) tempnam(sys_get_temp_dir(), 'ossrs-part');
        file_put_contents($part, 'part');
        $partOptions = [OssClient::OSS_FILE_UPLOAD => $part, OssClient::OSS_PART_NUM => 1];
        switch ($operation) {
            case 'put':
                return fn () => $c->putObject($bucket, $key, 'body', $callback);
            case 'initiate':
                return fn () => $c->initiateMultipartUpload($bucket, $key);
            case 'part':
                $id = $c->initiateMultipartUpload($bucket, $key);
                return fn () => $c->uploadPart($bucket, $key, $id, $partOptions);
            case 'complete':
                $id = $c->initiateMultipartUpload($bucket, $key);
                $etag = $c->uploadPart($bucket, $key, $id, $partOptions);
                $parts = [['PartNumber' => 1, 'ETag' => $etag]];
                return fn () => $c->completeMultipartUpload($bucket, $key, $id, $parts, $callback);
            default:
                $c->putObject($bucket, $key, 'the object');
                return fn () => $c->getObject($bucket, $key);
        }
    }

    /** Peak RSS of this process in KiB, reset first when $reset (Linux clear_refs 5). */
    private static function peakRssKib(bool $reset): int
    {
        if ($reset) {
            file_put_contents('/proc/self/clear_refs', '5');
        }
        preg_match('/^VmHWM:\s+(\d+) kB/m', (string) file_get_contents('/proc/self/status'), $m);
        return (int) $m[1];
    }
}
