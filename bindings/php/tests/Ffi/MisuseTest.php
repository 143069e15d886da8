<?php

declare(strict_types=1);

namespace OSS\Tests\Ffi;

use OSS\Core\OssException;
use OSS\Credentials\StaticCredentialsProvider;
use OSS\OssClient;
use OSS\Tests\Support\Emulator;
use OSS\Tests\Support\ErrorTexts;
use OSS\Tests\Support\Paths;
use OSS\Tests\Support\Process;
use PHPUnit\Framework\TestCase;

/**
 * Wrong PHP types and unsafe values give an OssException before any I/O, never a fatal error, a TypeError, a
 * warning or a segfault.
 *
 * - testEveryMisuseIsAnOssExceptionInAHealthyProcess: the calls of tests/scripts/misuse.php run in a child
 *   process so that a crash would show as its exit code; the endpoint is a closed port, so a call that reached
 *   the network would say so.
 * - testHostileCallIsRefusedBeforeAnyRequest: more hostile calls (hostileCalls()), in this process against the
 *   emulator, with every PHP warning or notice turned into a failure; the emulator's request counter must not
 *   move, and the message must say what is wrong.
 */
final class MisuseTest extends TestCase
{
    public function testEveryMisuseIsAnOssExceptionInAHealthyProcess(): void
    {
        $run = Process::php(
            dirname(__DIR__) . '/scripts/misuse.php',
            ['http://127.0.0.1:1'],
            [],
            ['-d', 'ffi.enable=1', '-d', 'error_reporting=-1', '-d', 'display_errors=stderr']
        );
        self::assertSame(0, $run['exit'], 'exit code; stderr: ' . $run['stderr']);
        self::assertSame('', $run['stderr'], 'no warnings, notices or deprecations');
        $lines = array_map(static fn (string $l): array => json_decode($l, true), array_filter(explode("\n", $run['stdout'])));
        self::assertGreaterThan(40, count($lines));
        foreach ($lines as $line) {
            ErrorTexts::record('php-misuse-child', ['case' => $line['case'], 'class' => $line['class'], 'message' => $line['message']]);
            if ($line['case'] === 'md5 of an array path') {
                self::assertSame('', $line['message']);
                continue;
            }
            self::assertSame(OssException::class, $line['class'], $line['case'] . ': ' . $line['message']);
            self::assertStringNotContainsString('RequestCoreException', $line['message'], $line['case'] . ' reached the network');
            self::assertNotSame('', $line['message'], $line['case']);
        }
    }

    /**
     * @dataProvider hostileCallNames
     */
    public function testHostileCallIsRefusedBeforeAnyRequest(string $case): void
    {
        $emulator = Emulator::get();
        $file = Paths::file('hostile-ten.txt', '0123456789');
        [$call, $fragment] = self::hostileCalls($emulator->endpoint(), $file)[$case];
        $before = $emulator->requestCount();
        set_error_handler(static function (int $level, string $message, string $where, int $line): bool {
            throw new \ErrorException($message, 0, $level, $where, $line);
        });
        try {
            $call();
            $thrown = null;
        } catch (\Throwable $e) {
            $thrown = $e;
        } finally {
            restore_error_handler();
        }
        self::assertSame($before, $emulator->requestCount(), $case . ': a request reached the emulator');
        self::assertNotNull($thrown, $case . ': returned normally');
        self::assertSame(
            OssException::class,
            get_class($thrown),
            $case . ': ' . get_class($thrown) . ': ' . $thrown->getMessage()
        );
        self::assertStringContainsString($fragment, $thrown->getMessage(), $case);
        self::assertStringNotContainsString(Emulator::KEY_SECRET, $thrown->getMessage(), $case);
        self::assertStringNotContainsString(Emulator::STS_TOKEN, $thrown->getMessage(), $case);
    }

    /** The counter the test above relies on does count: one valid call, one request. */
    public function testTheRequestCounterSeesAValidCall(): void
    {
        $emulator = Emulator::get();
        $client = new OssClient(Emulator::KEY_ID, Emulator::KEY_SECRET, $emulator->endpoint());
        $before = $emulator->requestCount();
        $client->putObject(Emulator::BUCKET, 'hostile/valid.txt', 'x');
        self::assertSame($before + 1, $emulator->requestCount());
    }

    /** @return iterable<string, array{string}> */
    public function hostileCallNames(): iterable
    {
        foreach (array_keys(self::hostileCalls('http://127.0.0.1:1', '/nonexistent')) as $name) {
            yield $name => [$name];
        }
    }

    /**
     * Each case: the call, and a fragment its OssException message must contain. None of them may send a
     * request. (tests/scripts/misuse.php has the other wrong-type calls; these are not repeated here.)
     *
     * @return array<string, array{\Closure, string}>
     */
    private static function hostileCalls(string $endpoint, string $file): array
    {
        $client = new OssClient(Emulator::KEY_ID, Emulator::KEY_SECRET, $endpoint);
        $b = Emulator::BUCKET;
        $put = static fn (array $options) => $client->putObject($b, 'hostile.txt', 'x', $options);
        $part = static fn (array $extra): array => $extra + [OssClient::OSS_FILE_UPLOAD => $file, OssClient::OSS_PART_NUM => 1];
        $upload = static fn (array $extra) => $client->uploadPart($b, 'hostile.txt', 'UPLOADID', $part($extra));
        $callback = '{"callbackUrl":"http://127.0.0.1:9/cb","callbackBody":"object=${object}"}';
        $sixUrls = implode(';', array_fill(0, 6, 'http://127.0.0.1:9/'));
        $sts = static fn (string $token) => new OssClient(Emulator::STS_ID, Emulator::STS_SECRET, $endpoint, false, $token);
        return [
            // Values of the wrong type where a string is expected.
            'null bucket' => [fn () => $client->putObject(null, 'a', 'x'), 'bucket is not allowed empty'],
            'false bucket' => [fn () => $client->putObject(false, 'a', 'x'), 'bucket is not allowed empty'],
            'true bucket' => [fn () => $client->putObject(true, 'a', 'x'), '"1"bucket name is invalid'],
            'integer bucket' => [fn () => $client->putObject(42, 'a', 'x'), '"42"bucket name is invalid'],
            'float bucket' => [fn () => $client->initiateMultipartUpload(1.5, 'a'), '"1.5"bucket name is invalid'],
            'null object' => [fn () => $client->putObject($b, null, 'x'), 'object name is empty'],
            'closure content' => [fn () => $client->putObject($b, 'a', fn () => 'x'), 'content must be a string, Closure given'],
            'object upload id' => [fn () => $client->uploadPart($b, 'a', new \stdClass(), $part([])), 'upload id must be a string, stdClass given'],
            'null upload id' => [fn () => $client->uploadPart($b, 'a', null, $part([])), 'upload id is empty'],
            'array callback-var' => [fn () => $put([OssClient::OSS_CALLBACK => $callback, OssClient::OSS_CALLBACK_VAR => ['x:a' => 'b']]), 'x-oss-callback-var option must be a string, array given'],
            'object headers' => [fn () => $put([OssClient::OSS_HEADERS => new \stdClass()]), 'headers'],
            'array Content-Type' => [fn () => $put([OssClient::OSS_CONTENT_TYPE => ['text/plain']]), 'Content-Type must be a string, array given'],
            'null part list' => [fn () => $client->completeMultipartUpload($b, 'a', 'UPLOADID', null), 'listParts must be an array'],
            'string partNumber' => [fn () => $upload([OssClient::OSS_PART_NUM => 'abc']), 'the partNumber option must be an integer, abc given'],
            'array secret' => [fn () => new OssClient(Emulator::KEY_ID, [Emulator::KEY_SECRET], $endpoint), 'access key secret must be a string, array given'],
            // Invalid UTF-8 in every kind of text argument.
            'invalid UTF-8 object' => [fn () => $client->putObject($b, "a\xff", 'x'), 'not valid UTF-8'],
            'invalid UTF-8 bucket' => [fn () => $client->putObject("b\xffk", 'a', 'x'), "bucket name is invalid"],
            'invalid UTF-8 upload id' => [fn () => $client->uploadPart($b, 'a', "id\xff", $part([])), 'upload_id is not valid UTF-8'],
            'invalid UTF-8 upload id (listParts)' => [fn () => $client->listParts($b, 'a', "id\xfe"), 'upload_id is not valid UTF-8'],
            'invalid UTF-8 callback' => [fn () => $put([OssClient::OSS_CALLBACK => "{\"callbackUrl\":\"\xff\"}"]), 'callback is not valid UTF-8'],
            'invalid UTF-8 callback-var' => [fn () => $put([OssClient::OSS_CALLBACK => $callback, OssClient::OSS_CALLBACK_VAR => "{\"x:a\":\"\xff\"}"]), 'callback_var is not valid UTF-8'],
            'invalid UTF-8 header value' => [fn () => $put([OssClient::OSS_HEADERS => ['x-oss-meta-a' => "\xff\xfe"]]), 'value is not valid UTF-8'],
            'invalid UTF-8 header name' => [fn () => $put([OssClient::OSS_HEADERS => ["x-oss-meta-\xff" => 'v']]), 'name is not valid UTF-8'],
            'invalid UTF-8 ETag' => [fn () => $client->completeMultipartUpload($b, 'a', 'UPLOADID', [['PartNumber' => 1, 'ETag' => "\"\xff\""]]), 'etag is not valid UTF-8'],
            'invalid UTF-8 file path' => [fn () => $client->uploadFile($b, 'a', "/tmp/\xff"), 'file does not exist'],
            // Header injection and other control characters.
            'CR/LF in Content-Type' => [fn () => $put([OssClient::OSS_CONTENT_TYPE => "text/plain\r\nX-Evil: 1"]), 'header injection refused'],
            'LF in x-oss-meta' => [fn () => $put([OssClient::OSS_HEADERS => ['x-oss-meta-a' => "1\nX-Evil: 1"]]), 'header injection refused'],
            'CR in Cache-Control' => [fn () => $put([OssClient::OSS_HEADERS => ['Cache-Control' => "no-cache\rX-Evil: 1"]]), 'header injection refused'],
            'control character in x-oss-meta' => [fn () => $put([OssClient::OSS_HEADERS => ['x-oss-meta-a' => "a\x01b"]]), 'control character'],
            'CR/LF in a Range' => [fn () => $client->getObject($b, 'a', [OssClient::OSS_RANGE => "0-1\r\nX-Evil: 1"]), 'header injection refused'],
            'CR/LF in max-parts' => [fn () => $client->listParts($b, 'a', 'UPLOADID', ['max-parts' => "1\r\nX-Evil: 1"]), 'max-parts'],
            'LF in upload id (listParts)' => [fn () => $client->listParts($b, 'a', "id\nX-Evil: 1"), 'upload id contains CR or LF'],
            'CR/LF in the object name' => [fn () => $client->putObject($b, "a\r\nX-Evil: 1", 'x'), 'object name is invalid'],
            // Bucket names that would change the host, and other bad ones.
            'bucket evil.com/x' => [fn () => $client->putObject('evil.com/x', 'a', 'x'), '"evil.com/x"bucket name is invalid'],
            'bucket a.b' => [fn () => $client->putObject('a.b', 'a', 'x'), '"a.b"bucket name is invalid'],
            'bucket UPPER' => [fn () => $client->putObject('UPPER', 'a', 'x'), '"UPPER"bucket name is invalid'],
            'bucket -lead' => [fn () => $client->putObject('-lead', 'a', 'x'), '"-lead"bucket name is invalid'],
            'bucket too short' => [fn () => $client->putObject('ab', 'a', 'x'), '"ab"bucket name is invalid'],
            'bucket too long' => [fn () => $client->putObject(str_repeat('a', 64), 'a', 'x'), 'bucket name is invalid'],
            // Object names the SDK refuses, and dot segments.
            'object /lead' => [fn () => $client->putObject($b, '/lead', 'x'), '"/lead" object name is invalid'],
            'object \\lead' => [fn () => $client->putObject($b, '\\lead', 'x'), 'object name is invalid'],
            'object of 1024 bytes' => [fn () => $client->putObject($b, str_repeat('x', 1024), 'x'), 'object name is invalid'],
            'object a/../b' => [fn () => $client->putObject($b, 'a/../b', 'x'), 'path segment would be removed'],
            // Multipart.
            'uploadPart without fileUpload' => [fn () => $client->uploadPart($b, 'a', 'UPLOADID', [OssClient::OSS_PART_NUM => 1]), 'The `fileUpload` options is required in uploadPart().'],
            'uploadPart partNumber 0' => [fn () => $upload([OssClient::OSS_PART_NUM => 0]), 'part number 0 is out of range'],
            'uploadPart partNumber 10001' => [fn () => $upload([OssClient::OSS_PART_NUM => 10001]), 'part number 10001 is out of range'],
            'uploadPart negative partNumber' => [fn () => $upload([OssClient::OSS_PART_NUM => -1]), 'the partNumber option must be at least 0, -1 given'],
            'uploadPart negative seekTo' => [fn () => $upload([OssClient::OSS_SEEK_TO => -1]), 'the seekTo option must be at least 0, -1 given'],
            'uploadPart range past EOF' => [fn () => $upload([OssClient::OSS_SEEK_TO => 5, OssClient::OSS_LENGTH => 6]), 'lies outside'],
            'uploadPart bad Content-MD5' => [fn () => $upload([OssClient::OSS_CONTENT_MD5 => 'nope']), 'is not the base64 of a 16-byte MD5'],
            'complete part 10001' => [fn () => $client->completeMultipartUpload($b, 'a', 'UPLOADID', [['PartNumber' => 10001, 'ETag' => '"e"']]), 'part number 10001 is out of range'],
            'complete empty upload id' => [fn () => $client->completeMultipartUpload($b, 'a', '', [['PartNumber' => 1, 'ETag' => '"e"']]), 'upload id is empty'],
            'complete without ETag' => [fn () => $client->completeMultipartUpload($b, 'a', 'UPLOADID', [['PartNumber' => 1]]), 'listParts[0] must be an array with PartNumber and ETag'],
            // Callbacks OSS would refuse.
            'more than 5 callback URLs' => [fn () => $put([OssClient::OSS_CALLBACK => '{"callbackUrl":"' . $sixUrls . '","callbackBody":"a"}']), 'at most 5'],
            'callback over 5 KB' => [fn () => $put([OssClient::OSS_CALLBACK => '{"callbackUrl":"http://127.0.0.1:9/","callbackBody":"' . str_repeat('a', 4000) . '"}']), 'over the 5 KB OSS limit'],
            'callback-var over 5 KB' => [fn () => $put([OssClient::OSS_CALLBACK => $callback, OssClient::OSS_CALLBACK_VAR => '{"x:a":"' . str_repeat('v', 4000) . '"}']), 'callback-var is'],
            'x: key with capitals' => [fn () => $put([OssClient::OSS_CALLBACK => $callback, OssClient::OSS_CALLBACK_VAR => '{"x:Var":"a"}']), 'must be lower case'],
            'callback-var without callback' => [fn () => $put([OssClient::OSS_CALLBACK_VAR => '{"x:a":"b"}']), 'callback-var was given without a callback'],
            // Credentials and endpoint.
            'control character in the STS token' => [fn () => $sts("tok\x01")->putObject($b, 'a', 'x'), 'security token contains'],
            'CR/LF in the STS token' => [fn () => $sts("tok\r\nX-Evil: 1")->putObject($b, 'a', 'x'), 'security token contains'],
            'colon in the access key id' => [fn () => (new OssClient('AK:X', Emulator::KEY_SECRET, $endpoint))->putObject($b, 'a', 'x'), "access key id contains ':'"],
            'CR/LF in the endpoint' => [fn () => (new OssClient(Emulator::KEY_ID, Emulator::KEY_SECRET, $endpoint . "\r\nX-Evil: 1"))->putObject($b, 'a', 'x'), 'endpoint'],
            'v4 region with a slash' => [fn () => (new OssClient(['endpoint' => $endpoint, 'signatureVersion' => 'v4', 'region' => 'cn/x',
                'provider' => new StaticCredentialsProvider(Emulator::KEY_ID, Emulator::KEY_SECRET)]))->putObject($b, 'a', 'x'), 'region is invalid'],
        ];
    }
}
