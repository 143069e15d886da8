<?php

declare(strict_types=1);

namespace OSS\Tests\Ffi;

use OSS\Core\OssException;
use OSS\Credentials\StaticCredentialsProvider;
use OSS\OssClient;
use OSS\Tests\Support\Paths;
use OSS\Tests\Support\Recorder;
use PHPUnit\Framework\TestCase;

/**
 * What goes on the wire and what comes back, against a recording fake endpoint: the checklist items of
 * docs/php-sdk-behaviour.md "Quirk checklist" that concern requests, signatures, return shapes and exceptions.
 */
final class WireTest extends TestCase
{
    private const PINNED_DATE = 'Wed, 28 Dec 2022 10:27:41 GMT';
    private const KAT_CALLBACK = '{"callbackUrl":"http://cb.example.com/cb","callbackBody":"bucket=${bucket}&object=${object}"}';
    private const KAT_VAR = '{"x:var1":"value1"}';

    private static Recorder $recorder;
    private OssClient $client;

    public static function setUpBeforeClass(): void
    {
        self::$recorder = Recorder::start();
    }

    public static function tearDownAfterClass(): void
    {
        self::$recorder->stop();
    }

    protected function setUp(): void
    {
        $this->client = new OssClient('AKIDEXAMPLE', 'SECRETEXAMPLE', self::$recorder->endpoint());
    }

    public function testPutObjectWithCallbackSendsMd5AndBase64CallbacksAndReturnsTheSdkShape(): void
    {
        $callback = "{\n  \"callbackUrl\":\"http://cb.example.com/cb\",\n  \"callbackBody\":\"a=\${object}\"\n}";
        $var = '{"x:var1":"value1","x:var2":"值2"}';
        $result = $this->client->putObject('bkt', 'dir/b.file', 'random content', [
            OssClient::OSS_CALLBACK => $callback,
            OssClient::OSS_CALLBACK_VAR => $var,
        ]);

        $sent = self::$recorder->last();
        self::assertSame('PUT', $sent['method']);
        self::assertSame('/bkt/dir/b.file', $sent['target']);
        self::assertSame('random content', $sent['body']);
        self::assertSame('xTMZXcQlNQMHGhnULwjodw==', Recorder::header($sent, 'Content-MD5'));
        self::assertSame('application/octet-stream', Recorder::header($sent, 'Content-Type'));
        self::assertSame(base64_encode($callback), Recorder::header($sent, 'x-oss-callback'));
        self::assertSame(base64_encode($var), Recorder::header($sent, 'x-oss-callback-var'));
        self::assertStringStartsWith('OSS AKIDEXAMPLE:', (string) Recorder::header($sent, 'Authorization'));

        $keys = array_keys($result);
        self::assertSame(['info', 'oss-request-url', 'oss-redirects', 'body'], array_slice($keys, -4));
        foreach (array_slice($keys, 0, -4) as $name) {
            self::assertSame(strtolower($name), $name, 'header names are lower-cased');
        }
        self::assertSame('"C533195DC4253503071A19D42F08E877"', $result['etag']);
        self::assertStringStartsWith('REQ-', $result['x-oss-request-id']);
        self::assertSame('{"Status":"OK","from":"recorder"}', $result['body']);
        $info = $result['info'];
        self::assertSame(200, $info['http_code']);
        self::assertSame(self::$recorder->endpoint() . '/bkt/dir/b.file', $info['url']);
        self::assertSame('application/json', $info['content_type']);
        self::assertSame('PUT', $info['method']);
        self::assertIsFloat($info['total_time']);
        self::assertSame(14.0, $info['size_upload']);
        self::assertSame((float) strlen($result['body']), $info['size_download']);
        self::assertSame($info['url'], $result['oss-request-url']);
    }

    public function testPinnedDateReproducesTheSdkSignaturesV1StsAndV4(): void
    {
        $options = [
            OssClient::OSS_DATE => self::PINNED_DATE,
            OssClient::OSS_CALLBACK => self::KAT_CALLBACK,
            OssClient::OSS_CALLBACK_VAR => self::KAT_VAR,
        ];
        $this->client->putObject('bkt', 'b.file', 'random content', $options);
        self::assertSame('OSS AKIDEXAMPLE:c7FB2tIG8RBT14+YKnNBgbyh+N0=', Recorder::header(self::$recorder->last(), 'Authorization'));

        $sts = new OssClient('AKIDEXAMPLE', 'SECRETEXAMPLE', self::$recorder->endpoint(), false, 'STSTOKENEXAMPLE');
        $sts->putObject('bkt', 'b.file', 'random content', [OssClient::OSS_DATE => self::PINNED_DATE]);
        $sent = self::$recorder->last();
        self::assertSame('STSTOKENEXAMPLE', Recorder::header($sent, 'x-oss-security-token'));
        self::assertSame('OSS AKIDEXAMPLE:YqWLZ2CVF4Vaas4rTWyhA5gy2zE=', Recorder::header($sent, 'Authorization'));

        $v4 = new OssClient([
            'provider' => new StaticCredentialsProvider('AKIDEXAMPLE', 'SECRETEXAMPLE'),
            'endpoint' => self::$recorder->endpoint(),
            'signatureVersion' => 'v4',
            'region' => 'cn-hangzhou',
        ]);
        $v4->putObject('bkt', 'b.file', 'random content', $options);
        $sent = self::$recorder->last();
        self::assertSame('20221228T102741Z', Recorder::header($sent, 'x-oss-date'));
        self::assertSame(
            'OSS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20221228/cn-hangzhou/oss/aliyun_v4_request,'
            . 'Signature=a0cea5bc9b772f01e957d7b3161a78dd2271955d80fddd5fbbede126fde38398',
            Recorder::header($sent, 'Authorization')
        );
    }

    public function testHeaderValuesAreTrimmedAndEmptyOrZeroValuesAreNotSent(): void
    {
        $this->client->putObject('bkt', 'meta.bin', 'x', [OssClient::OSS_HEADERS => [
            'x-oss-meta-zero' => '0',
            'x-oss-meta-empty' => '',
            'x-oss-meta-blank' => '  ',
            'x-oss-meta-kept' => "  value \t",
            'Cache-Control' => 'no-cache',
        ]]);
        $sent = self::$recorder->last();
        self::assertNull(Recorder::header($sent, 'x-oss-meta-zero'));
        self::assertNull(Recorder::header($sent, 'x-oss-meta-empty'));
        self::assertNull(Recorder::header($sent, 'x-oss-meta-blank'));
        self::assertSame('value', Recorder::header($sent, 'x-oss-meta-kept'));
        self::assertSame('no-cache', Recorder::header($sent, 'Cache-Control'));
    }

    /** @return array<string, array{0: string, 1: string}> */
    public function contentTypes(): array
    {
        return [
            'upper-case extension' => ['x.JPG', 'image/jpeg'],
            'last extension wins' => ['a.tar.gz', 'application/x-gzip'],
            'csv is not in the table' => ['a.csv', 'application/octet-stream'],
            'unknown extension' => ['b.file', 'application/octet-stream'],
            'no extension' => ['README', 'application/octet-stream'],
            'text' => ['notes.txt', 'text/plain'],
        ];
    }

    /** @dataProvider contentTypes */
    public function testContentTypeIsInferredFromTheObjectName(string $object, string $type): void
    {
        $this->client->putObject('bkt', $object, 'x');
        self::assertSame($type, Recorder::header(self::$recorder->last(), 'Content-Type'));
    }

    public function testExplicitContentTypeAndFormUrlencodedRewrite(): void
    {
        $this->client->putObject('bkt', 'a.txt', 'x', [OssClient::OSS_CONTENT_TYPE => 'image/png']);
        self::assertSame('image/png', Recorder::header(self::$recorder->last(), 'Content-Type'));
        $this->client->putObject('bkt', 'a.txt', 'x', [OssClient::OSS_CONTENT_TYPE => 'application/x-www-form-urlencoded']);
        self::assertSame('application/octet-stream', Recorder::header(self::$recorder->last(), 'Content-Type'));
    }

    public function testInitiateSendsTheEmptyBodyMd5AndReturnsTheUploadId(): void
    {
        self::assertSame('UPLOAD-1', $this->client->initiateMultipartUpload('bkt', 'multipart-callback-test.txt'));
        $sent = self::$recorder->last();
        self::assertSame('POST', $sent['method']);
        self::assertSame('/bkt/multipart-callback-test.txt?uploads', $sent['target']);
        self::assertSame('1B2M2Y8AsgTpgAmY7PhCfg==', Recorder::header($sent, 'Content-MD5'));
        self::assertSame('text/plain', Recorder::header($sent, 'Content-Type'));
    }

    public function testUploadPartStreamsTheRangeAndSendsMd5OnlyWhenGiven(): void
    {
        $bytes = Paths::patternBytes(250000);
        $file = Paths::file('seed-250000.bin', $bytes);
        $etag = $this->client->uploadPart('bkt', 'm.txt', 'UPLOAD-1', [
            OssClient::OSS_FILE_UPLOAD => $file,
            OssClient::OSS_PART_NUM => 2,
            OssClient::OSS_SEEK_TO => 102400,
            OssClient::OSS_LENGTH => 102400,
            OssClient::OSS_CHECK_MD5 => true,
        ]);
        $sent = self::$recorder->last();
        self::assertSame('/bkt/m.txt?partNumber=2&uploadId=UPLOAD-1', $sent['target']);
        self::assertSame(substr($bytes, 102400, 102400), $sent['body']);
        self::assertNull(Recorder::header($sent, 'Content-MD5'), 'uploadPart computes no MD5, even with checkmd5');
        self::assertSame('application/octet-stream', Recorder::header($sent, 'Content-Type'), 'no inference for parts');
        self::assertSame('"PART-2-' . strtoupper(md5(substr($bytes, 102400, 102400))) . '"', $etag, 'quotes kept');

        $this->client->uploadPart('bkt', 'm.txt', 'UPLOAD-1', [
            OssClient::OSS_FILE_UPLOAD => $file,
            OssClient::OSS_PART_NUM => '3',
            OssClient::OSS_SEEK_TO => '204800',
            OssClient::OSS_CONTENT_MD5 => 'xWvVSA9uVBPLYqCtlmZhOg==',
        ]);
        $sent = self::$recorder->last();
        self::assertSame(substr($bytes, 204800), $sent['body'], 'the length defaults to the rest of the file');
        self::assertSame('xWvVSA9uVBPLYqCtlmZhOg==', Recorder::header($sent, 'Content-MD5'));
    }

    public function testCompleteSendsTheSdkXmlInTheGivenOrder(): void
    {
        $result = $this->client->completeMultipartUpload('bkt', 'm.txt', 'UPLOAD-1', [
            ['PartNumber' => 2, 'ETag' => '"DDD151E78EF9F976E3E80A227AF56180"'],
            ['PartNumber' => 1, 'ETag' => '"1A0F<&>"'],
        ], [OssClient::OSS_CONTENT_TYPE => 'text/plain']);
        $sent = self::$recorder->last();
        self::assertSame('/bkt/m.txt?uploadId=UPLOAD-1', $sent['target']);
        self::assertSame('application/xml', Recorder::header($sent, 'Content-Type'));
        self::assertSame(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CompleteMultipartUpload>"
            . '<Part><PartNumber>2</PartNumber><ETag>"DDD151E78EF9F976E3E80A227AF56180"</ETag></Part>'
            . '<Part><PartNumber>1</PartNumber><ETag>"1A0F&lt;&amp;&gt;"</ETag></Part>'
            . "</CompleteMultipartUpload>\n",
            $sent['body']
        );
        self::assertSame(base64_encode(md5($sent['body'], true)), Recorder::header($sent, 'Content-MD5'));
        self::assertSame(200, $result['info']['http_code']);
        self::assertSame('POST', $result['info']['method']);
    }

    public function testA203IsAnErrorOnlyWhenACallbackWasSent(): void
    {
        $result = $this->client->putObject('bkt', 'status-203.txt', 'x');
        self::assertSame(203, $result['info']['http_code']);

        try {
            $this->client->putObject('bkt', 'status-203.txt', 'x', [OssClient::OSS_CALLBACK => self::KAT_CALLBACK]);
            self::fail('no exception');
        } catch (OssException $e) {
            self::assertSame('203', $e->getHTTPStatus());
            self::assertSame('CallbackFailed', $e->getErrorCode());
            self::assertSame('Status 203 as asked', $e->getErrorMessage());
            self::assertStringStartsWith('REQ-', $e->getRequestId(), 'the request id comes from the header');
            self::assertSame('CallbackFailed: Status 203 as asked RequestId: ' . $e->getRequestId(), $e->getMessage());
            self::assertStringContainsString('<Code>CallbackFailed</Code>', $e->getDetails());
        }
    }

    public function testErrorAnswersBecomeOssExceptionsWithStringStatus(): void
    {
        try {
            $this->client->putObject('bkt', 'status-403.txt', 'x');
            self::fail('no exception');
        } catch (OssException $e) {
            self::assertSame('403', $e->getHTTPStatus());
            self::assertSame('TestError403', $e->getErrorCode());
            self::assertStringStartsWith('<?xml', $e->getDetails());
            self::assertSame(0, $e->getCode());
        }
    }

    public function testHeaderInjectionIsRefusedBeforeAnyRequest(): void
    {
        $before = count(self::$recorder->requests());
        foreach ([
            [OssClient::OSS_HEADERS => ['x-oss-meta-a' => "b\r\nx-oss-meta-evil: 1"]],
            [OssClient::OSS_HEADERS => ["x-oss-meta-a\r\nx-evil" => 'b']],
            [OssClient::OSS_HEADERS => ['Content-Length' => '3']],
            [OssClient::OSS_CONTENT_TYPE => "text/plain\nX-Evil: 1"],
            [OssClient::OSS_HEADERS => ['x-oss-meta-a' => "b\0c"]],
        ] as $options) {
            try {
                $this->client->putObject('bkt', 'a.txt', 'x', $options);
                self::fail('no exception for ' . json_encode($options));
            } catch (OssException $e) {
                self::assertSame('', $e->getHTTPStatus());
                self::assertStringNotContainsString('RequestCoreException', $e->getMessage());
            }
        }
        self::assertCount($before, self::$recorder->requests());
    }

    public function testUsageErrorsFromLibossrsHappenBeforeAnyRequest(): void
    {
        $before = count(self::$recorder->requests());
        $file = Paths::file('small.bin', 'abcdef');
        $cases = [
            'upload id is empty' => fn () => $this->client->uploadPart('bkt', 'a', '', [
                OssClient::OSS_FILE_UPLOAD => $file, OssClient::OSS_PART_NUM => 1,
            ]),
            'lies outside' => fn () => $this->client->uploadPart('bkt', 'a', 'UPLOAD-1', [
                OssClient::OSS_FILE_UPLOAD => $file, OssClient::OSS_PART_NUM => 1, OssClient::OSS_SEEK_TO => 4,
                OssClient::OSS_LENGTH => 3,
            ]),
            'part number 0 is out of range' => fn () => $this->client->uploadPart('bkt', 'a', 'UPLOAD-1', [
                OssClient::OSS_FILE_UPLOAD => $file, OssClient::OSS_PART_NUM => 0,
            ]),
            'not the base64 of a 16-byte MD5' => fn () => $this->client->uploadPart('bkt', 'a', 'UPLOAD-1', [
                OssClient::OSS_FILE_UPLOAD => $file, OssClient::OSS_PART_NUM => 1, OssClient::OSS_CONTENT_MD5 => 'nope',
            ]),
            'missing.bin' => fn () => $this->client->uploadPart('bkt', 'a', 'UPLOAD-1', [
                OssClient::OSS_FILE_UPLOAD => $file . '.missing.bin', OssClient::OSS_PART_NUM => 1,
            ]),
            'callback' => fn () => $this->client->putObject('bkt', 'a', 'x', [OssClient::OSS_CALLBACK => 'not json']),
            'object name is invalid' => fn () => $this->client->putObject('bkt', "a\n", 'x'),
            'NUL byte' => fn () => $this->client->putObject('bkt', "a\0b", 'x'),
        ];
        foreach ($cases as $needle => $call) {
            try {
                $call();
                self::fail('no exception: ' . $needle);
            } catch (OssException $e) {
                self::assertStringContainsString($needle, $e->getMessage());
            }
        }
        self::assertCount($before, self::$recorder->requests());
    }

    public function testUploadFileInfersTheTypeFromTheFileAndSendsMd5OnlyOnRequest(): void
    {
        $file = Paths::file('data.json', '{"a":1}');
        $this->client->uploadFile('bkt', 'stored.txt', $file);
        $sent = self::$recorder->last();
        self::assertSame('{"a":1}', $sent['body']);
        self::assertSame('application/json', Recorder::header($sent, 'Content-Type'));
        self::assertNull(Recorder::header($sent, 'Content-MD5'));

        $plain = Paths::file('data.unknownext', 'xyz');
        $result = $this->client->uploadFile('bkt', 'stored.txt', $plain, [OssClient::OSS_CHECK_MD5 => true]);
        $sent = self::$recorder->last();
        self::assertSame('text/plain', Recorder::header($sent, 'Content-Type'), 'then the object name decides');
        self::assertSame(base64_encode(md5('xyz', true)), Recorder::header($sent, 'Content-MD5'));
        self::assertSame(200, $result['info']['http_code']);

        $this->client->uploadFile('bkt', 'stored.txt', $plain, [OssClient::OSS_CHECK_MD5 => 'true']);
        self::assertNull(Recorder::header(self::$recorder->last(), 'Content-MD5'), 'only === true counts');
    }

    public function testListPartsAbortGetHeadAndDelete(): void
    {
        $info = $this->client->listParts('bkt', 'm.txt', 'UPLOAD-9', ['max-parts' => 2, 'part-number-marker' => 0]);
        self::assertStringContainsString('max-parts=2', self::$recorder->last()['target']);
        self::assertSame(['bkt', 'm.txt', 'UPLOAD-9', 2, 2, 'true'], [
            $info->getBucket(), $info->getKey(), $info->getUploadId(), $info->getNextPartNumberMarker(),
            $info->getMaxParts(), $info->getIsTruncated(),
        ]);
        $parts = $info->getListPart();
        self::assertCount(2, $parts);
        self::assertSame([1, '2026-11-24T10:00:00.000Z', '"E1"', 102400], [
            $parts[0]->getPartNumber(), $parts[0]->getLastModified(), $parts[0]->getEtag(), $parts[0]->getSize(),
        ]);

        $abort = $this->client->abortMultipartUpload('bkt', 'm.txt', 'UPLOAD-9');
        self::assertSame('DELETE', self::$recorder->last()['method']);
        self::assertSame(200, $abort['info']['http_code']);

        $this->client->getObject('bkt', 'g.txt', [OssClient::OSS_RANGE => '0-9', OssClient::OSS_ETAG => '"e"']);
        $sent = self::$recorder->last();
        self::assertSame('GET', $sent['method']);
        self::assertSame('bytes=0-9', Recorder::header($sent, 'Range'));
        self::assertSame('"e"', Recorder::header($sent, 'If-None-Match'));

        self::assertTrue($this->client->doesObjectExist('bkt', 'g.txt'));
        self::assertFalse($this->client->doesObjectExist('bkt', 'status-404.txt'));
        self::assertArrayNotHasKey('body', $this->client->getObjectMeta('bkt', 'g.txt'));
        self::assertSame('DELETE', $this->client->deleteObject('bkt', 'g.txt')['info']['method']);
    }

    public function testRequestProxySendsAbsoluteFormRequests(): void
    {
        $client = new OssClient('AKIDEXAMPLE', 'SECRETEXAMPLE', 'http://oss-cn-hangzhou.aliyuncs.com', false, null, self::$recorder->endpoint());
        $result = $client->putObject('bkt', 'proxied.txt', 'x');
        self::assertSame('http://bkt.oss-cn-hangzhou.aliyuncs.com/proxied.txt', self::$recorder->last()['target']);
        self::assertSame('bkt.oss-cn-hangzhou.aliyuncs.com', Recorder::header(self::$recorder->last(), 'Host'));
        self::assertSame(200, $result['info']['http_code']);
    }

    public function testCredentialsAreFetchedPerRequestAndTheNativeClientIsKeptUntilTheyChange(): void
    {
        $provider = new class () implements \OSS\Credentials\CredentialsProvider {
            public int $calls = 0;
            public string $secret = 'SECRETEXAMPLE';

            public function getCredentials()
            {
                $this->calls++;
                return new \OSS\Credentials\Credentials('AKIDEXAMPLE', $this->secret);
            }
        };
        $client = new OssClient(['endpoint' => self::$recorder->endpoint(), 'provider' => $provider]);
        $native = new \ReflectionProperty(OssClient::class, 'native');
        $native->setAccessible(true);
        $client->putObject('bkt', 'a.txt', 'x');
        $first = $native->getValue($client);
        $client->putObject('bkt', 'a.txt', 'x');
        self::assertSame(2, $provider->calls);
        self::assertSame($first, $native->getValue($client), 'same credentials: the client (and its connections) is kept');
        $provider->secret = 'ROTATED';
        $client->putObject('bkt', 'a.txt', 'x');
        self::assertNotSame($first, $native->getValue($client), 'new credentials: a new client');
        $client->setTimeout(30);
        $second = $native->getValue($client);
        $client->putObject('bkt', 'a.txt', 'x');
        self::assertNotSame($second, $native->getValue($client), 'new settings: a new client');
    }

    public function testANulByteInASettingCannotSmuggleInAnotherSetting(): void
    {
        // The settings reach libossrs as "key\0value\0" fields: a NUL in a value would start a new setting.
        $before = count(self::$recorder->requests());
        $cases = [
            'setting access_key_secret' => new OssClient('AKIDEXAMPLE', "SECRET\0endpoint\0http://127.0.0.1:9", self::$recorder->endpoint()),
            'setting access_key_id' => new OssClient("AK\0proxy\0http://127.0.0.1:9", 'SECRETEXAMPLE', self::$recorder->endpoint()),
            'setting security_token' => new OssClient('AKIDEXAMPLE', 'SECRETEXAMPLE', self::$recorder->endpoint(), false, "T\0region\0x"),
            'setting region' => new OssClient(['endpoint' => self::$recorder->endpoint(), 'region' => "cn\0cname\0true",
                'provider' => new StaticCredentialsProvider('AKIDEXAMPLE', 'SECRETEXAMPLE')]),
        ];
        foreach ($cases as $needle => $client) {
            try {
                $client->putObject('bkt', 'a.txt', 'x');
                self::fail('no exception: ' . $needle);
            } catch (OssException $e) {
                self::assertStringContainsString($needle . ' contains a NUL byte', $e->getMessage());
                self::assertStringNotContainsString('SECRET', $e->getMessage());
            }
        }
        self::assertCount($before, self::$recorder->requests(), 'refused before any request');
    }

    public function testEverySetterReachesTheNextRequestOfAClientWithFixedCredentials(): void
    {
        $client = new OssClient('AKIDEXAMPLE', 'SECRETEXAMPLE', self::$recorder->endpoint());
        $native = new \ReflectionProperty(OssClient::class, 'native');
        $native->setAccessible(true);
        $client->putObject('bkt', 'a.txt', 'x');
        $before = $native->getValue($client);
        $client->putObject('bkt', 'a.txt', 'x');
        self::assertSame($before, $native->getValue($client), 'nothing changed: the same client');
        $setters = [
            'setMaxTries' => fn () => $client->setMaxTries(1),
            'setTimeout' => fn () => $client->setTimeout(30),
            'setConnectTimeout' => fn () => $client->setConnectTimeout(5),
            'ossrsSetLimits' => fn () => $client->ossrsSetLimits(['max_response_bytes' => 1 << 20]),
            'setUseSSL' => fn () => $client->setUseSSL(true),
        ];
        foreach ($setters as $setter => $set) {
            $set();
            try {
                $client->putObject('bkt', 'a.txt', 'x');
            } catch (OssException $e) {
                self::assertSame('setUseSSL', $setter, $e->getMessage()); // the recorder speaks no TLS
            }
            self::assertNotSame($before, $native->getValue($client), $setter . ' changes the next request\'s client');
            $before = $native->getValue($client);
        }
    }

    public function testCredentialsOfASubclassAreCheckedOnEveryRequest(): void
    {
        $credentials = new class ('AKIDEXAMPLE', 'SECRETEXAMPLE') extends \OSS\Credentials\Credentials {
            public string $secret = 'SECRETEXAMPLE';

            public function getSecretKey()
            {
                return $this->secret;
            }
        };
        $provider = new class ($credentials) implements \OSS\Credentials\CredentialsProvider {
            private \OSS\Credentials\Credentials $credentials;

            public function __construct(\OSS\Credentials\Credentials $credentials)
            {
                $this->credentials = $credentials;
            }

            public function getCredentials()
            {
                return $this->credentials;
            }
        };
        $client = new OssClient(['endpoint' => self::$recorder->endpoint(), 'provider' => $provider]);
        $client->putObject('bkt', 'a.txt', 'x');
        $signed = Recorder::header(self::$recorder->last(), 'Authorization');
        $credentials->secret = 'ROTATED';
        $client->putObject('bkt', 'a.txt', 'x');
        self::assertNotSame($signed, Recorder::header(self::$recorder->last(), 'Authorization'), 'signed with the new secret');
    }

    public function testTransportFailuresReadLikeRequestCoreExceptions(): void
    {
        $client = new OssClient('AKIDEXAMPLE', 'SECRETEXAMPLE', 'http://127.0.0.1:1');
        try {
            $client->putObject('bkt', 'a.txt', 'x');
            self::fail('no exception');
        } catch (OssException $e) {
            self::assertMatchesRegularExpression('/^RequestCoreException: .+ \(300\)$/s', $e->getMessage());
            self::assertStringContainsString('127.0.0.1:1', $e->getMessage());
            self::assertSame('', $e->getHTTPStatus());
        }
    }
}
