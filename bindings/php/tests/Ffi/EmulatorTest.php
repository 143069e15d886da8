<?php

declare(strict_types=1);

namespace OSS\Tests\Ffi;

use OSS\Core\OssException;
use OSS\Core\OssUtil;
use OSS\Credentials\StaticCredentialsProvider;
use OSS\OssClient;
use OSS\Tests\Support\Emulator;
use OSS\Tests\Support\Paths;
use PHPUnit\Framework\TestCase;

/**
 * Upload flows with callbacks against the project's OSS emulator (real V1/V4 signature checks, MD5 checks,
 * multipart assembly, signed callbacks to the callback receiver, 203 CallbackFailed).
 */
final class EmulatorTest extends TestCase
{
    private const VAR = "{\n        \"x:var1\":\"value1\",\n        \"x:var2\":\"值2\"\n    }";

    private Emulator $emulator;
    private OssClient $client;

    protected function setUp(): void
    {
        $this->emulator = Emulator::get();
        $this->client = new OssClient(Emulator::KEY_ID, Emulator::KEY_SECRET, $this->emulator->endpoint());
    }

    public function testOssClientsWithTheSameSettingsShareOneNativeClient(): void
    {
        $first = $this->client->ossrsNativeClientId();
        $this->client->putObject(Emulator::BUCKET, 'shared/one.txt', 'one');
        unset($this->client);
        $again = new OssClient(Emulator::KEY_ID, Emulator::KEY_SECRET, $this->emulator->endpoint());
        self::assertSame($first, $again->ossrsNativeClientId(), 'a later OssClient (a later FPM request) reuses it');
        self::assertSame(200, $again->putObject(Emulator::BUCKET, 'shared/two.txt', 'two')['info']['http_code']);
        $other = new OssClient(Emulator::KEY_ID, Emulator::KEY_SECRET, $this->emulator->endpoint());
        $other->setTimeout(30);
        self::assertNotSame($first, $other->ossrsNativeClientId(), 'other settings, another native client');
        $provider = new StaticCredentialsProvider(Emulator::KEY_ID, Emulator::KEY_SECRET, 'token');
        $sts = new OssClient(['provider' => $provider, 'endpoint' => $this->emulator->endpoint()]);
        self::assertNotSame($first, $sts->ossrsNativeClientId(), 'other credentials, another native client');
    }

    public function testPutObjectWithCallbackReturnsTheCallbackReply(): void
    {
        $callback = json_encode([
            'callbackUrl' => $this->emulator->callbackUrl('/put'),
            'callbackHost' => 'callback.example.com',
            'callbackBody' => 'bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}'
                . '&my_var1=${x:var1}&my_var2=${x:var2}',
            'callbackBodyType' => 'application/x-www-form-urlencoded',
        ]);
        $result = $this->client->putObject(Emulator::BUCKET, 'put/callback.txt', 'hello callback', [
            OssClient::OSS_CALLBACK => $callback,
            OssClient::OSS_CALLBACK_VAR => self::VAR,
        ]);
        self::assertSame(200, $result['info']['http_code']);
        self::assertIsArray(json_decode($result['body'], true), 'the body is the receiver\'s JSON reply: ' . $result['body']);
        self::assertNotEmpty($result['x-oss-request-id']);
        self::assertSame('"' . strtoupper(md5('hello callback')) . '"', $result['etag']);

        $received = $this->emulator->callbackContaining('/put', 'object=put%2Fcallback.txt');
        self::assertTrue($received['signature_valid'], 'the emulator signed the callback');
        self::assertStringContainsString('bucket=' . Emulator::BUCKET, $received['body']);
        self::assertStringContainsString('size=14&mimeType=text%2Fplain', $received['body']);
        self::assertStringContainsString('my_var1=value1&my_var2=%E5%80%BC2', $received['body']);
        self::assertSame('callback.example.com', $received['headers']['Host'] ?? $received['headers']['host'] ?? null);
        self::assertSame('hello callback', $this->client->getObject(Emulator::BUCKET, 'put/callback.txt'));
    }

    public function testMultipartUploadWithCallbackOnComplete(): void
    {
        $bytes = Paths::patternBytes(250000);
        $file = Paths::file('multipart-250000.txt', $bytes);
        $object = 'multipart/callback-test.txt';
        $uploadId = $this->client->initiateMultipartUpload(Emulator::BUCKET, $object);
        $etags = [];
        foreach ($this->client->generateMultiuploadParts(filesize($file), 102400) as $i => $piece) {
            $from = $piece[OssClient::OSS_SEEK_TO];
            $to = $from + $piece[OssClient::OSS_LENGTH] - 1;
            $etags[] = $this->client->uploadPart(Emulator::BUCKET, $object, $uploadId, [
                OssClient::OSS_FILE_UPLOAD => $file,
                OssClient::OSS_PART_NUM => $i + 1,
                OssClient::OSS_SEEK_TO => $from,
                OssClient::OSS_LENGTH => $to - $from + 1,
                OssClient::OSS_CHECK_MD5 => true,
                OssClient::OSS_CONTENT_MD5 => OssUtil::getMd5SumForFile($file, $from, $to),
            ]);
        }
        self::assertSame('"' . strtoupper(md5(substr($bytes, 0, 102400))) . '"', $etags[0], 'ETag with its quotes');

        $listed = $this->client->listParts(Emulator::BUCKET, $object, $uploadId);
        self::assertSame([1, 2, 3], array_map(static fn ($p) => $p->getPartNumber(), $listed->getListPart()));
        self::assertSame([102400, 102400, 45200], array_map(static fn ($p) => $p->getSize(), $listed->getListPart()));
        self::assertSame($etags, array_map(static fn ($p) => $p->getEtag(), $listed->getListPart()));
        self::assertSame('false', $listed->getIsTruncated());
        self::assertSame($uploadId, $listed->getUploadId());
        $page = $this->client->listParts(Emulator::BUCKET, $object, $uploadId, ['max-parts' => 2]);
        self::assertCount(2, $page->getListPart());
        self::assertSame('true', $page->getIsTruncated());
        self::assertSame(2, $page->getNextPartNumberMarker());

        $parts = [];
        foreach ($etags as $i => $etag) {
            $parts[] = ['PartNumber' => $i + 1, 'ETag' => $etag];
        }
        $callback = json_encode([
            'callbackUrl' => $this->emulator->callbackUrl('/complete'),
            'callbackBody' => '{"mimeType":${mimeType},"size":${size},"x:var1":${x:var1},"x:var2":${x:var2}}',
            'callbackBodyType' => 'application/json',
        ]);
        $result = $this->client->completeMultipartUpload(Emulator::BUCKET, $object, $uploadId, $parts, [
            OssClient::OSS_CALLBACK => $callback,
            OssClient::OSS_CALLBACK_VAR => self::VAR,
        ]);
        self::assertSame(200, $result['info']['http_code']);
        self::assertIsArray(json_decode($result['body'], true), $result['body']);
        $received = $this->emulator->callbackContaining('/complete', '250000');
        self::assertTrue($received['signature_valid']);
        self::assertSame(
            ['mimeType' => 'text/plain', 'size' => 250000, 'x:var1' => 'value1', 'x:var2' => '值2'],
            json_decode($received['body'], true)
        );
        self::assertSame(md5($bytes), md5($this->client->getObject(Emulator::BUCKET, $object)));
    }

    public function testCompleteWithoutCallbackReturnsTheResultXml(): void
    {
        $file = Paths::file('single-part.bin', 'single part');
        $uploadId = $this->client->initiateMultipartUpload(Emulator::BUCKET, 'multipart/plain.bin');
        $etag = $this->client->uploadPart(Emulator::BUCKET, 'multipart/plain.bin', $uploadId, [
            OssClient::OSS_FILE_UPLOAD => $file,
            OssClient::OSS_PART_NUM => 1,
        ]);
        $result = $this->client->completeMultipartUpload(
            Emulator::BUCKET,
            'multipart/plain.bin',
            $uploadId,
            [['PartNumber' => 1, 'ETag' => $etag]]
        );
        self::assertStringContainsString('<CompleteMultipartUploadResult', $result['body']);
        self::assertSame('single part', $this->client->getObject(Emulator::BUCKET, 'multipart/plain.bin'));
    }

    public function testSignatureV4AndStsCredentials(): void
    {
        $clients = [
            'v4' => new OssClient([
                'provider' => new StaticCredentialsProvider(Emulator::KEY_ID, Emulator::KEY_SECRET),
                'endpoint' => $this->emulator->endpoint(),
                'signatureVersion' => 'v4',
                'region' => Emulator::REGION,
            ]),
            'sts v1' => new OssClient(Emulator::STS_ID, Emulator::STS_SECRET, $this->emulator->endpoint(), false, Emulator::STS_TOKEN),
            'sts v4' => new OssClient([
                'provider' => new StaticCredentialsProvider(Emulator::STS_ID, Emulator::STS_SECRET, Emulator::STS_TOKEN),
                'endpoint' => $this->emulator->endpoint(),
                'signatureVersion' => 'v4',
                'region' => Emulator::REGION,
            ]),
        ];
        $file = Paths::file('v4-part.bin', str_repeat('v4', 1000));
        foreach ($clients as $name => $client) {
            $object = 'signing/' . str_replace(' ', '-', $name) . '/测试 file+1.txt';
            $result = $client->putObject(Emulator::BUCKET, $object, $name, [
                OssClient::OSS_CALLBACK => json_encode([
                    'callbackUrl' => $this->emulator->callbackUrl('/signing'),
                    'callbackBody' => 'object=${object}',
                ]),
            ]);
            self::assertSame(200, $result['info']['http_code'], $name);
            self::assertSame($name, $client->getObject(Emulator::BUCKET, $object), $name);
            $uploadId = $client->initiateMultipartUpload(Emulator::BUCKET, $object . '.mp');
            $etag = $client->uploadPart(Emulator::BUCKET, $object . '.mp', $uploadId, [
                OssClient::OSS_FILE_UPLOAD => $file,
                OssClient::OSS_PART_NUM => 1,
            ]);
            $client->completeMultipartUpload(Emulator::BUCKET, $object . '.mp', $uploadId, [['PartNumber' => 1, 'ETag' => $etag]]);
            self::assertTrue($client->doesObjectExist(Emulator::BUCKET, $object . '.mp'), $name);
        }
    }

    public function testWrongSecretIs403(): void
    {
        $client = new OssClient(Emulator::KEY_ID, 'WRONG-SECRET', $this->emulator->endpoint());
        try {
            $client->putObject(Emulator::BUCKET, 'denied.txt', 'x');
            self::fail('no exception');
        } catch (OssException $e) {
            self::assertSame('403', $e->getHTTPStatus());
            self::assertSame('SignatureDoesNotMatch', $e->getErrorCode());
            self::assertNotSame('', $e->getRequestId());
            self::assertSame(
                'SignatureDoesNotMatch: ' . $e->getErrorMessage() . ' RequestId: ' . $e->getRequestId(),
                $e->getMessage()
            );
            self::assertStringContainsString('<Code>SignatureDoesNotMatch</Code>', $e->getDetails());
        }
    }

    public function testWrongStsTokenIs403(): void
    {
        $client = new OssClient(Emulator::STS_ID, Emulator::STS_SECRET, $this->emulator->endpoint(), false, 'WRONG-TOKEN');
        try {
            $client->putObject(Emulator::BUCKET, 'denied.txt', 'x');
            self::fail('no exception');
        } catch (OssException $e) {
            self::assertSame('403', $e->getHTTPStatus());
        }
    }

    public function testWrongPartMd5IsInvalidDigest(): void
    {
        $file = Paths::file('digest.bin', 'the real part');
        $uploadId = $this->client->initiateMultipartUpload(Emulator::BUCKET, 'digest.bin');
        try {
            $this->client->uploadPart(Emulator::BUCKET, 'digest.bin', $uploadId, [
                OssClient::OSS_FILE_UPLOAD => $file,
                OssClient::OSS_PART_NUM => 1,
                OssClient::OSS_CONTENT_MD5 => base64_encode(md5('another part', true)),
            ]);
            self::fail('no exception');
        } catch (OssException $e) {
            self::assertSame('400', $e->getHTTPStatus());
            self::assertSame('InvalidDigest', $e->getErrorCode());
        } finally {
            $this->client->abortMultipartUpload(Emulator::BUCKET, 'digest.bin', $uploadId);
        }
    }

    public function testFailedCallbackIs203OnlyWhenACallbackWasSentAndTheObjectIsStored(): void
    {
        $unreachable = json_encode(['callbackUrl' => 'http://127.0.0.1:1/cb', 'callbackBody' => 'object=${object}']);
        try {
            $this->client->putObject(Emulator::BUCKET, 'cbfail.txt', 'stored anyway', [OssClient::OSS_CALLBACK => $unreachable]);
            self::fail('no exception');
        } catch (OssException $e) {
            self::assertSame('203', $e->getHTTPStatus());
            self::assertSame('CallbackFailed', $e->getErrorCode());
            self::assertNotSame('', $e->getErrorMessage());
            self::assertNotSame('', $e->getRequestId());
            self::assertSame('CallbackFailed: ' . $e->getErrorMessage() . ' RequestId: ' . $e->getRequestId(), $e->getMessage());
            self::assertStringContainsString('<Code>CallbackFailed</Code>', $e->getDetails());
        }
        self::assertSame('stored anyway', $this->client->getObject(Emulator::BUCKET, 'cbfail.txt'));
        self::assertSame(200, $this->client->putObject(Emulator::BUCKET, 'cbfail.txt', 'no callback')['info']['http_code']);

        $file = Paths::file('cbfail-part.bin', 'part');
        $uploadId = $this->client->initiateMultipartUpload(Emulator::BUCKET, 'cbfail-mp.txt');
        $etag = $this->client->uploadPart(Emulator::BUCKET, 'cbfail-mp.txt', $uploadId, [
            OssClient::OSS_FILE_UPLOAD => $file,
            OssClient::OSS_PART_NUM => 1,
        ]);
        try {
            $this->client->completeMultipartUpload(Emulator::BUCKET, 'cbfail-mp.txt', $uploadId, [['PartNumber' => 1, 'ETag' => $etag]], [
                OssClient::OSS_CALLBACK => $unreachable,
            ]);
            self::fail('no exception');
        } catch (OssException $e) {
            self::assertSame('203', $e->getHTTPStatus());
            self::assertSame('CallbackFailed', $e->getErrorCode());
        }
        self::assertSame('part', $this->client->getObject(Emulator::BUCKET, 'cbfail-mp.txt'));
    }

    public function testAbortDiscardsTheUpload(): void
    {
        $uploadId = $this->client->initiateMultipartUpload(Emulator::BUCKET, 'aborted.bin');
        $result = $this->client->abortMultipartUpload(Emulator::BUCKET, 'aborted.bin', $uploadId);
        self::assertSame(204, $result['info']['http_code']);
        try {
            $this->client->listParts(Emulator::BUCKET, 'aborted.bin', $uploadId);
            self::fail('no exception');
        } catch (OssException $e) {
            self::assertSame('404', $e->getHTTPStatus());
            self::assertSame('NoSuchUpload', $e->getErrorCode());
        }
    }

    public function testUploadFileWithMd5CheckMetadataAndContentType(): void
    {
        $file = Paths::file('upload-file.json', '{"uploaded":true}');
        $result = $this->client->uploadFile(Emulator::BUCKET, 'files/upload.dat', $file, [
            OssClient::OSS_CHECK_MD5 => true,
            OssClient::OSS_HEADERS => ['x-oss-meta-zero' => '0', 'x-oss-meta-one' => ' 1 ', 'Cache-Control' => 'no-cache'],
        ]);
        self::assertSame(200, $result['info']['http_code']);
        $meta = $this->client->getObjectMeta(Emulator::BUCKET, 'files/upload.dat');
        self::assertSame('application/json', $meta['content-type'], 'the local file\'s extension decides');
        self::assertSame('1', $meta['x-oss-meta-one']);
        self::assertArrayNotHasKey('x-oss-meta-zero', $meta, '"0" is not sent, as in the SDK');
        self::assertSame('{"uploaded":true}', $this->client->getObject(Emulator::BUCKET, 'files/upload.dat'));
        self::assertSame('{"up', $this->client->getObject(Emulator::BUCKET, 'files/upload.dat', [OssClient::OSS_RANGE => '0-3']));
        $this->client->deleteObject(Emulator::BUCKET, 'files/upload.dat');
        self::assertFalse($this->client->doesObjectExist(Emulator::BUCKET, 'files/upload.dat'));
    }
}
