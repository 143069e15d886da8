<?php

declare(strict_types=1);

namespace OSS\Tests\Ffi;

use OSS\Core\OssException;
use OSS\Native\ProgressCallback;
use OSS\OssClient;
use OSS\Tests\Support\Emulator;
use OSS\Tests\Support\Paths;
use OSS\Tests\Support\Process;
use PHPUnit\Framework\TestCase;

/**
 * OssClient::multiuploadFile (libossrs's oss_upload_file) against the project's OSS emulator: byte-exact round
 * trips, the callback on CompleteMultipartUpload, per-part Content-MD5, parallelism, headers, 203 CallbackFailed,
 * the SDK's single-PutObject shortcut for small files, and the progress callable (reports, cancel, exceptions,
 * memory over 500 calls).
 */
final class MultiuploadFileTest extends TestCase
{
    private const MIB = 1024 * 1024;
    private const VAR = "{\n        \"x:var1\":\"value1\",\n        \"x:var2\":\"值2\"\n    }";

    private Emulator $emulator;
    private OssClient $client;

    protected function setUp(): void
    {
        $this->emulator = Emulator::get();
        $this->client = new OssClient(Emulator::KEY_ID, Emulator::KEY_SECRET, $this->emulator->endpoint());
    }

    protected function assertPostConditions(): void
    {
        self::assertSame(0, ProgressCallback::depth(), 'every progress frame was left');
    }

    public function testTwentyFiveMibInFiveMibPartsIsByteExactWithTheCallbackOnComplete(): void
    {
        $bytes = random_bytes(25 * self::MIB + 12345);
        $file = Paths::file('multiupload-25mib.bin', $bytes);
        $object = 'multiupload/25mib.bin';
        $reports = [];
        $result = $this->client->multiuploadFile(Emulator::BUCKET, $object, $file, [
            OssClient::OSS_PART_SIZE => 5 * self::MIB,
            OssClient::OSSRS_PARALLELISM => 4,
            OssClient::OSS_CALLBACK => json_encode([
                'callbackUrl' => $this->emulator->callbackUrl('/multiupload'),
                'callbackBody' => '{"object":${object},"size":${size},"mimeType":${mimeType},'
                    . '"x:var1":${x:var1},"x:var2":${x:var2}}',
                'callbackBodyType' => 'application/json',
            ]),
            OssClient::OSS_CALLBACK_VAR => self::VAR,
            OssClient::OSSRS_PROGRESS => function (int $part, int $done, int $total) use (&$reports): void {
                $reports[] = [$part, $done, $total];
            },
        ]);

        // The flat result array of CompleteMultipartUpload, with the callback server's reply as body.
        self::assertSame(200, $result['info']['http_code']);
        self::assertSame('POST', $result['info']['method']);
        self::assertStringContainsString('?uploadId=', $result['info']['url']);
        self::assertSame($result['info']['url'], $result['oss-request-url']);
        self::assertSame(0, $result['oss-redirects']);
        self::assertNotEmpty($result['x-oss-request-id']);
        self::assertMatchesRegularExpression('/^"[0-9A-F]{32}-6"$/', $result['etag']);
        self::assertIsArray(json_decode($result['body'], true), 'the receiver\'s JSON reply: ' . $result['body']);
        self::assertSame('body', array_key_last($result), 'body comes last, as in the SDK');

        $received = $this->emulator->callbackContaining('/multiupload', '"object":"multiupload/25mib.bin"');
        self::assertTrue($received['signature_valid'], 'the emulator signed the callback');
        self::assertSame([
            'object' => $object,
            'size' => strlen($bytes),
            'mimeType' => 'application/octet-stream',
            'x:var1' => 'value1',
            'x:var2' => '值2',
        ], json_decode($received['body'], true));

        self::assertTrue(md5($bytes) === md5($this->client->getObject(Emulator::BUCKET, $object)), 'byte-exact');

        // Progress: each of the 6 parts once, bytes growing to the file size.
        $this->assertProgress($reports, 6, strlen($bytes));

        // On the wire: the callback on Complete only; every part with its Content-MD5.
        $requests = $this->requestsFor($object);
        $initiate = $this->only($requests, 'POST', 'uploads');
        $complete = $this->only($requests, 'POST', 'uploadId=');
        self::assertNull(self::header($initiate, 'x-oss-callback'), 'no callback on Initiate');
        self::assertNotNull(self::header($complete, 'x-oss-callback'), 'the callback on Complete');
        self::assertNotNull(self::header($complete, 'x-oss-callback-var'));
        $parts = $this->partRequests($requests);
        self::assertSame([1, 2, 3, 4, 5, 6], array_keys($parts));
        foreach ($parts as $number => $part) {
            $slice = substr($bytes, ($number - 1) * 5 * self::MIB, 5 * self::MIB);
            self::assertSame(base64_encode(md5($slice, true)), self::header($part, 'content-md5'), 'part ' . $number);
            self::assertSame(200, $part['status']);
        }
        self::assertSame([], $this->openUploadsOf($object));
    }

    public function testParallelismOneAndFourWithCheckMd5(): void
    {
        $bytes = random_bytes(6 * 102400 + 777);
        $file = Paths::file('multiupload-parallel.bin', $bytes);
        foreach ([1, 4] as $parallelism) {
            $object = 'multiupload/parallel-' . $parallelism . '.bin';
            $reports = [];
            $result = $this->client->multiuploadFile(Emulator::BUCKET, $object, $file, [
                OssClient::OSS_PART_SIZE => OssClient::OSS_MIN_PART_SIZE,
                OssClient::OSS_CHECK_MD5 => true,
                OssClient::OSSRS_PARALLELISM => (string) $parallelism,
                OssClient::OSSRS_PROGRESS => static function (int $part, int $done, int $total) use (&$reports): bool {
                    $reports[] = [$part, $done, $total];
                    return true;
                },
            ]);
            self::assertSame(200, $result['info']['http_code']);
            self::assertStringContainsString('<CompleteMultipartUploadResult', $result['body'], 'no callback: the XML');
            self::assertSame(md5($bytes), md5($this->client->getObject(Emulator::BUCKET, $object)));
            $this->assertProgress($reports, 7, strlen($bytes));
            if ($parallelism === 1) {
                self::assertSame([1, 2, 3, 4, 5, 6, 7], array_column($reports, 0), 'one at a time, in order');
            }
            foreach ($this->partRequests($this->requestsFor($object)) as $number => $part) {
                $slice = substr($bytes, ($number - 1) * 102400, 102400);
                self::assertSame(base64_encode(md5($slice, true)), self::header($part, 'content-md5'));
            }
        }
    }

    public function testPartSizesAreClampedAsTheSdkDoesAndTheDefaultIsTenMib(): void
    {
        $bytes = random_bytes(250000);
        $file = Paths::file('multiupload-clamp.bin', $bytes);
        $reports = [];
        $this->client->multiuploadFile(Emulator::BUCKET, 'multiupload/clamp.bin', $file, [
            OssClient::OSS_PART_SIZE => 1000,
            OssClient::OSSRS_PROGRESS => function (int $part, int $done, int $total) use (&$reports): void {
                $reports[] = [$part, $done, $total];
            },
        ]);
        $this->assertProgress($reports, 3, 250000);
        $sizes = array_map(
            static fn (array $r): int => (int) $r['body_len'],
            $this->partRequests($this->requestsFor('multiupload/clamp.bin'))
        );
        self::assertSame([1 => 102400, 2 => 102400, 3 => 45200], $sizes, 'parts of OSS_MIN_PART_SIZE');

        $big = Paths::file('multiupload-default.bin', random_bytes(10 * self::MIB + 1));
        $reports = [];
        $this->client->multiuploadFile(Emulator::BUCKET, 'multiupload/default.bin', $big, [
            OssClient::OSSRS_PROGRESS => function (int $part, int $done, int $total) use (&$reports): void {
                $reports[] = [$part, $done, $total];
            },
        ]);
        $this->assertProgress($reports, 2, 10 * self::MIB + 1);
        $sizes = array_map(
            static fn (array $r): int => (int) $r['body_len'],
            $this->partRequests($this->requestsFor('multiupload/default.bin'))
        );
        self::assertSame([1 => OssClient::OSS_MID_PART_SIZE, 2 => 1], $sizes, 'parts of OSS_MID_PART_SIZE by default');
    }

    public function testHeadersMetadataAndContentTypeGoOnInitiateAndAreStored(): void
    {
        $file = Paths::file('multiupload-headers.txt', random_bytes(300000));
        $this->client->multiuploadFile(Emulator::BUCKET, 'multiupload/headers.bin', $file, [
            OssClient::OSS_PART_SIZE => 102400,
            OssClient::OSS_HEADERS => ['x-oss-meta-author' => 'alice', 'x-oss-meta-zero' => '0'],
        ]);
        $meta = $this->client->getObjectMeta(Emulator::BUCKET, 'multiupload/headers.bin');
        self::assertSame('text/plain', $meta['content-type'], 'inferred from the file name first, as the SDK does');
        self::assertSame('alice', $meta['x-oss-meta-author']);
        self::assertArrayNotHasKey('x-oss-meta-zero', $meta, '"0" is not sent, as in the SDK');
        self::assertSame('300000', $meta['content-length']);
        $initiate = $this->only($this->requestsFor('multiupload/headers.bin'), 'POST', 'uploads');
        self::assertSame('alice', self::header($initiate, 'x-oss-meta-author'));

        $this->client->multiuploadFile(Emulator::BUCKET, 'multiupload/typed.bin', $file, [
            OssClient::OSS_PART_SIZE => 102400,
            OssClient::OSS_CONTENT_TYPE => 'application/x-custom',
            // The SDK's range options are accepted when they name the whole file.
            OssClient::OSS_SEEK_TO => 0,
            OssClient::OSS_LENGTH => '300000',
        ]);
        $meta = $this->client->getObjectMeta(Emulator::BUCKET, 'multiupload/typed.bin');
        self::assertSame('application/x-custom', $meta['content-type']);

        $plain = Paths::file('multiupload-noext', random_bytes(300000));
        $this->client->multiuploadFile(Emulator::BUCKET, 'multiupload/named.json', $plain, [OssClient::OSS_PART_SIZE => 102400]);
        $meta = $this->client->getObjectMeta(Emulator::BUCKET, 'multiupload/named.json');
        self::assertSame('application/json', $meta['content-type'], 'then from the object name');
    }

    public function testAFileSmallerThanThePartSizeIsOnePutObjectWithTheCallback(): void
    {
        $file = Paths::file('multiupload-small.txt', 'small file');
        $reports = [];
        $result = $this->client->multiuploadFile(Emulator::BUCKET, 'multiupload/small.txt', $file, [
            OssClient::OSS_CALLBACK => json_encode([
                'callbackUrl' => $this->emulator->callbackUrl('/multiupload-small'),
                'callbackBody' => 'object=${object}&size=${size}',
            ]),
            OssClient::OSSRS_PROGRESS => function (int $part, int $done, int $total) use (&$reports): void {
                $reports[] = [$part, $done, $total];
            },
        ]);
        self::assertSame(200, $result['info']['http_code']);
        self::assertSame('PUT', $result['info']['method']);
        self::assertIsArray(json_decode($result['body'], true), $result['body']);
        self::assertSame([[1, 10, 10]], $reports, 'one report after the PutObject');
        $received = $this->emulator->callbackContaining('/multiupload-small', 'object=multiupload%2Fsmall.txt');
        self::assertStringContainsString('size=10', $received['body']);
        $requests = $this->requestsFor('multiupload/small.txt');
        self::assertSame(['PUT'], array_column($requests, 'method'), 'no multipart requests');
        self::assertSame('small file', $this->client->getObject(Emulator::BUCKET, 'multiupload/small.txt'));

        $empty = Paths::file('multiupload-empty.bin', '');
        $result = $this->client->multiuploadFile(Emulator::BUCKET, 'multiupload/empty.bin', $empty);
        self::assertSame(200, $result['info']['http_code']);
        self::assertSame('', $this->client->getObject(Emulator::BUCKET, 'multiupload/empty.bin'));

        // Exactly the part size is a multipart upload of one part (the SDK's "<" test).
        $exact = Paths::file('multiupload-exact.bin', random_bytes(102400));
        $result = $this->client->multiuploadFile(Emulator::BUCKET, 'multiupload/exact.bin', $exact, [
            OssClient::OSS_PART_SIZE => 102400,
        ]);
        self::assertSame('POST', $result['info']['method']);
        self::assertSame(md5_file($exact), md5($this->client->getObject(Emulator::BUCKET, 'multiupload/exact.bin')));
    }

    public function testAFailedCallbackIs203AndTheObjectIsStored(): void
    {
        $bytes = random_bytes(250000);
        $file = Paths::file('multiupload-cbfail.bin', $bytes);
        $before = $this->emulator->openUploads();
        try {
            $this->client->multiuploadFile(Emulator::BUCKET, 'multiupload/cbfail.bin', $file, [
                OssClient::OSS_PART_SIZE => 102400,
                OssClient::OSS_CALLBACK => json_encode(['callbackUrl' => 'http://127.0.0.1:1/cb', 'callbackBody' => 'object=${object}']),
            ]);
            self::fail('no exception');
        } catch (OssException $e) {
            self::assertSame('203', $e->getHTTPStatus());
            self::assertSame('CallbackFailed', $e->getErrorCode());
            self::assertNotSame('', $e->getRequestId());
            self::assertSame('CallbackFailed: ' . $e->getErrorMessage() . ' RequestId: ' . $e->getRequestId(), $e->getMessage());
            self::assertStringContainsString('<Code>CallbackFailed</Code>', $e->getDetails());
        }
        self::assertSame(md5($bytes), md5($this->client->getObject(Emulator::BUCKET, 'multiupload/cbfail.bin')));
        self::assertSame($before, $this->emulator->openUploads());
    }

    public function testReturningFalseFromProgressCancelsAndAbortsTheUpload(): void
    {
        $file = Paths::file('multiupload-cancel.bin', random_bytes(5 * 102400));
        $object = 'multiupload/cancel.bin';
        $before = $this->emulator->openUploads();
        $calls = 0;
        try {
            $this->client->multiuploadFile(Emulator::BUCKET, $object, $file, [
                OssClient::OSS_PART_SIZE => 102400,
                OssClient::OSSRS_PARALLELISM => 1,
                OssClient::OSSRS_PROGRESS => function (int $part) use (&$calls): bool {
                    $calls++;
                    return $part < 2;
                },
            ]);
            self::fail('no exception');
        } catch (OssException $e) {
            self::assertSame('the progress callback cancelled the upload', $e->getMessage());
            self::assertSame('', $e->getHTTPStatus());
        }
        self::assertSame(2, $calls, 'no report after the cancel');
        $this->assertAborted($object, $before);
    }

    public function testACheckpointResumesWithOnlyTheMissingParts(): void
    {
        $bytes = random_bytes(6 * 102400 + 7);
        $file = Paths::file('multiupload-resume.bin', $bytes);
        $checkpoint = $file . '.checkpoint';
        @unlink($checkpoint);
        $object = 'multiupload/resume.bin';
        $options = [
            OssClient::OSS_PART_SIZE => 102400,
            OssClient::OSSRS_PARALLELISM => 1,
            OssClient::OSSRS_CHECKPOINT => $checkpoint,
            OssClient::OSSRS_PROGRESS => static function (int $part): bool {
                return $part < 3;
            },
        ];
        try {
            $this->client->multiuploadFile(Emulator::BUCKET, $object, $file, $options);
            self::fail('no exception');
        } catch (OssException $e) {
            self::assertStringContainsString('kept for resuming', $e->getMessage());
        }
        self::assertFileExists($checkpoint);
        self::assertCount(1, $this->openUploadsOf($object), 'the upload is kept for the checkpoint');
        $sentBefore = count($this->partRequests($this->requestsFor($object)));
        self::assertGreaterThanOrEqual(3, $sentBefore, 'parts 1-3 (and perhaps more, sent before the cancel was seen)');

        $reports = [];
        $options[OssClient::OSSRS_PROGRESS] = static function (int $part, int $done) use (&$reports): void {
            $reports[] = [$part, $done];
        };
        $result = $this->client->multiuploadFile(Emulator::BUCKET, $object, $file, $options);
        self::assertSame(200, $result['info']['http_code']);
        self::assertFalse($result['info']['ossrs_recovered']);
        self::assertSame([4, 4 * 102400], $reports[0], 'progress continues from the stored parts');
        self::assertCount(4, $reports, 'parts 4-7 only');
        self::assertTrue(md5($bytes) === md5($this->client->getObject(Emulator::BUCKET, $object)), 'byte-exact');
        self::assertFileDoesNotExist($checkpoint);
        self::assertSame([], $this->openUploadsOf($object));

        foreach ([42, ''] as $bad) {
            try {
                $this->client->multiuploadFile(Emulator::BUCKET, $object, $file, [OssClient::OSSRS_CHECKPOINT => $bad]);
                self::fail('no exception');
            } catch (OssException $e) {
                self::assertSame('the ossrs.checkpoint option must be a non-empty file path', $e->getMessage());
            }
        }
    }

    public function testAnExceptionFromProgressIsRethrownUnchangedAndTheUploadAborted(): void
    {
        $file = Paths::file('multiupload-throw.bin', random_bytes(6 * 102400));
        $object = 'multiupload/throw.bin';
        $before = $this->emulator->openUploads();
        $thrown = new \DomainException('the progress bar broke', 42);
        $calls = 0;
        try {
            $this->client->multiuploadFile(Emulator::BUCKET, $object, $file, [
                OssClient::OSS_PART_SIZE => 102400,
                OssClient::OSSRS_PARALLELISM => 3,
                OssClient::OSSRS_PROGRESS => function () use ($thrown, &$calls): void {
                    $calls++;
                    throw $thrown;
                },
            ]);
            self::fail('no exception');
        } catch (\Throwable $e) {
            self::assertSame($thrown, $e, 'the very exception object');
            self::assertSame(\DomainException::class, get_class($e));
            self::assertSame('the progress bar broke', $e->getMessage());
            self::assertSame(42, $e->getCode());
        }
        self::assertSame(1, $calls, 'the upload stopped at the first report');
        $this->assertAborted($object, $before);

        // A user error handler's ErrorException is caught the same way.
        $warn = Paths::file('multiupload-warn.bin', random_bytes(3 * 102400));
        set_error_handler(static function (int $no, string $message): bool {
            throw new \ErrorException($message, 0, $no);
        });
        try {
            $this->client->multiuploadFile(Emulator::BUCKET, 'multiupload/warn.bin', $warn, [
                OssClient::OSS_PART_SIZE => 102400,
                OssClient::OSSRS_PROGRESS => static function (): void {
                    trigger_error('a warning in the progress callable', E_USER_WARNING);
                },
            ]);
            self::fail('no exception');
        } catch (\ErrorException $e) {
            self::assertSame('a warning in the progress callable', $e->getMessage());
        } finally {
            restore_error_handler();
        }

        // The client and the trampoline keep working.
        $reports = [];
        $this->client->multiuploadFile(Emulator::BUCKET, $object, $file, [
            OssClient::OSS_PART_SIZE => 102400,
            OssClient::OSSRS_PROGRESS => function (int $part, int $done, int $total) use (&$reports): void {
                $reports[] = [$part, $done, $total];
            },
        ]);
        $this->assertProgress($reports, 6, 6 * 102400);
        self::assertSame(md5_file($file), md5($this->client->getObject(Emulator::BUCKET, $object)));
    }

    public function testProgressCallablesMayBeAnyCallableAndMayNestUploads(): void
    {
        $file = Paths::file('multiupload-nest.bin', random_bytes(2 * 102400));
        $inner = new class () {
            /** @var list<int> */
            public array $parts = [];

            public function report(int $part): void
            {
                $this->parts[] = $part;
            }
        };
        $outer = [];
        $this->client->multiuploadFile(Emulator::BUCKET, 'multiupload/outer.bin', $file, [
            OssClient::OSS_PART_SIZE => 102400,
            OssClient::OSSRS_PARALLELISM => 1,
            OssClient::OSSRS_PROGRESS => function (int $part) use (&$outer, $file, $inner): void {
                $outer[] = $part;
                if ($part === 1) {
                    // Another upload with its own progress callable, from inside this one's.
                    $other = new OssClient(Emulator::KEY_ID, Emulator::KEY_SECRET, $this->emulator->endpoint());
                    $other->multiuploadFile(Emulator::BUCKET, 'multiupload/inner.bin', $file, [
                        OssClient::OSS_PART_SIZE => 102400,
                        OssClient::OSSRS_PARALLELISM => 1,
                        OssClient::OSSRS_PROGRESS => [$inner, 'report'],
                    ]);
                }
            },
        ]);
        self::assertSame([1, 2], $outer);
        self::assertSame([1, 2], $inner->parts);
        self::assertSame(md5_file($file), md5($this->client->getObject(Emulator::BUCKET, 'multiupload/inner.bin')));
        self::assertSame(md5_file($file), md5($this->client->getObject(Emulator::BUCKET, 'multiupload/outer.bin')));
    }

    /** OSS_SEEK_TO / OSS_LENGTH upload a slice of the file, OSS_UPLOAD_ID fills an upload the caller started. */
    public function testASliceOfTheFileAndAnOpenUpload(): void
    {
        $data = random_bytes(700 * 1024);
        $file = Paths::file('multiupload-slice.bin', $data);
        $b = Emulator::BUCKET;
        $this->client->multiuploadFile($b, 'slice/multipart.bin', $file, [
            OssClient::OSS_PART_SIZE => 200 * 1024, OssClient::OSS_SEEK_TO => 1000, OssClient::OSS_LENGTH => 450 * 1024,
        ]);
        self::assertSame(substr($data, 1000, 450 * 1024), $this->client->getObject($b, 'slice/multipart.bin'));
        self::assertCount(3, $this->partRequests($this->requestsFor('slice/multipart.bin')));
        $this->client->multiuploadFile($b, 'slice/small.bin', $file, [
            OssClient::OSS_SEEK_TO => 10, OssClient::OSS_CONTENT_LENGTH => 20, OssClient::OSS_CHECK_MD5 => true,
        ]);
        self::assertSame(substr($data, 10, 20), $this->client->getObject($b, 'slice/small.bin'));

        $uploadId = $this->client->initiateMultipartUpload($b, 'slice/into.bin');
        $result = $this->client->multiuploadFile($b, 'slice/into.bin', $file, [
            OssClient::OSS_PART_SIZE => 300 * 1024, OssClient::OSS_UPLOAD_ID => $uploadId,
        ]);
        self::assertSame(200, $result['info']['http_code']);
        self::assertSame($data, $this->client->getObject($b, 'slice/into.bin'));
        self::assertSame([], $this->openUploadsOf('slice/into.bin'));
        try {
            $this->client->multiuploadFile($b, 'slice/x.bin', $file, [OssClient::OSS_SEEK_TO => 700 * 1024 - 5,
                OssClient::OSS_LENGTH => 10]);
            self::fail('a range past the end was sent');
        } catch (OssException $e) {
            self::assertStringContainsString('lies outside', $e->getMessage());
        }
    }

    public function testLibossrsRefusesBeforeAnyRequest(): void
    {
        // 10001 parts of the smallest size: a sparse file, refused before InitiateMultipartUpload.
        $sparse = Paths::scratch() . '/multiupload-sparse.bin';
        $handle = fopen($sparse, 'w');
        ftruncate($handle, 102400 * 10000 + 1);
        fclose($handle);
        $cases = [
            'too many parts' => [$sparse, [OssClient::OSS_PART_SIZE => 102400], 'OSS allows 10000'],
            'callback that is not JSON' => [$sparse, [OssClient::OSS_CALLBACK => '{'], 'callback'],
            'header injection' => [$sparse, [OssClient::OSS_HEADERS => ['x-oss-meta-a' => "1\r\nX-Evil: 1"]], 'x-oss-meta-a'],
        ];
        $logged = count($this->emulator->requests());
        foreach ($cases as $name => [$file, $options, $message]) {
            try {
                $this->client->multiuploadFile(Emulator::BUCKET, 'multiupload/refused.bin', $file, $options);
                self::fail($name . ': no exception');
            } catch (OssException $e) {
                self::assertStringContainsString($message, $e->getMessage(), $name);
                self::assertSame('', $e->getHTTPStatus(), $name);
            }
        }
        self::assertCount($logged, $this->emulator->requests(), 'no request reached the emulator');
    }

    public function testFiveHundredUploadsWithProgressDoNotGrowMemory(): void
    {
        $run = Process::php(
            dirname(__DIR__) . '/scripts/multiupload-loop.php',
            [$this->emulator->endpoint(), Emulator::BUCKET, '500', Paths::scratch() . '/multiupload-loop.bin'],
            [],
            ['-d', 'ffi.enable=1', '-d', 'display_errors=stderr']
        );
        self::assertSame(0, $run['exit'], $run['stderr']);
        self::assertSame('', $run['stderr']);
        fwrite(STDERR, "\n[memory, multiuploadFile with progress] " . trim($run['stdout']) . "\n");
        $figures = json_decode(trim($run['stdout']), true);
        self::assertSame(500, $figures['calls']);
        self::assertSame(40, $figures['cancelled'], 'one call in 10 cancels (those that throw aside)');
        self::assertSame(20, $figures['rethrown'], 'one call in 25 throws from its progress callable');
        // 3 reports per completed upload, 2 per cancelled one (at the second part, in parallel; at least 1).
        self::assertGreaterThanOrEqual(440 * 3 + 40 + 20, $figures['reports']);
        // A trampoline per call would cost about 150 bytes of zend memory each
        // (docs/php-ffi.md "Closures and trampolines"): 75 kB here.
        self::assertLessThan(16 * 1024, $figures['memory_after'] - $figures['memory_before'], 'zend memory growth');
        self::assertLessThan(2 * 1024 * 1024, $figures['rss_after'] - $figures['rss_before'], 'RSS growth');
    }

    /**
     * Each part reported exactly once, bytes done growing strictly up to the file size, the total always the size.
     *
     * @param list<array{0: int, 1: int, 2: int}> $reports
     */
    private function assertProgress(array $reports, int $parts, int $size): void
    {
        self::assertCount($parts, $reports, json_encode($reports));
        $numbers = array_column($reports, 0);
        sort($numbers);
        self::assertSame(range(1, $parts), $numbers, 'each part once');
        $previous = 0;
        foreach ($reports as [, $done, $total]) {
            self::assertGreaterThan($previous, $done, 'bytes done grow');
            self::assertSame($size, $total);
            $previous = $done;
        }
        self::assertSame($size, $previous, 'the last report is the file size');
    }

    /**
     * The upload of $object was initiated, then aborted: no upload is left open and there is no object.
     *
     * @param list<string> $openBefore
     */
    private function assertAborted(string $object, array $openBefore): void
    {
        $requests = $this->requestsFor($object);
        $this->only($requests, 'POST', 'uploads');
        $abort = $this->only($requests, 'DELETE', 'uploadId=');
        self::assertSame(204, $abort['status']);
        self::assertSame([], array_filter($requests, static fn (array $r): bool => $r['method'] === 'POST'
            && strpos((string) $r['query'], 'uploadId=') === 0), 'never completed');
        self::assertSame($openBefore, $this->emulator->openUploads(), 'no upload left open');
        self::assertFalse($this->client->doesObjectExist(Emulator::BUCKET, $object));
    }

    /** @return list<string> the open uploads whose requests name $object */
    private function openUploadsOf(string $object): array
    {
        $ids = [];
        foreach ($this->requestsFor($object) as $request) {
            if (preg_match('/uploadId=([0-9A-F]+)/', (string) $request['query'], $m) === 1) {
                $ids[$m[1]] = true;
            }
        }
        return array_values(array_intersect($this->emulator->openUploads(), array_keys($ids)));
    }

    /** @return list<array<string, mixed>> the emulator's log entries for $object (path-style, plain names) */
    private function requestsFor(string $object): array
    {
        $path = '/' . Emulator::BUCKET . '/' . $object;
        return array_values(array_filter(
            $this->emulator->requests(),
            static fn (array $r): bool => $r['path'] === $path
        ));
    }

    /**
     * The UploadPart requests by part number.
     *
     * @param list<array<string, mixed>> $requests
     * @return array<int, array<string, mixed>>
     */
    private function partRequests(array $requests): array
    {
        $parts = [];
        foreach ($requests as $request) {
            if ($request['method'] === 'PUT' && preg_match('/partNumber=(\d+)/', (string) $request['query'], $m) === 1) {
                self::assertArrayNotHasKey((int) $m[1], $parts, 'part ' . $m[1] . ' sent once');
                $parts[(int) $m[1]] = $request;
            }
        }
        ksort($parts);
        return $parts;
    }

    /**
     * The single request with $method whose query starts with $query.
     *
     * @param list<array<string, mixed>> $requests
     * @return array<string, mixed>
     */
    private function only(array $requests, string $method, string $query): array
    {
        $matching = array_values(array_filter(
            $requests,
            static fn (array $r): bool => $r['method'] === $method && strpos((string) $r['query'], $query) === 0
        ));
        self::assertCount(1, $matching, $method . ' ?' . $query . ' in ' . json_encode(array_column($requests, 'query')));
        return $matching[0];
    }

    /** @param array<string, mixed> $request a log entry */
    private static function header(array $request, string $name): ?string
    {
        foreach ($request['headers'] as [$header, $value]) {
            if (strcasecmp($header, $name) === 0) {
                return $value;
            }
        }
        return null;
    }
}
