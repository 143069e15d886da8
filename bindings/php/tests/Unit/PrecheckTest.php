<?php

declare(strict_types=1);

namespace OSS\Tests\Unit;

use OSS\Core\OssException;
use OSS\OssClient;
use OSS\Tests\Support\UnitTestCase;

/**
 * Argument checks before any I/O, with the SDK's messages and order (object, then options, then bucket;
 * docs/php-sdk-behaviour.md "Argument checks"), and OssException instead of the SDK's TypeErrors and warnings for
 * wrong PHP types. All of these fail before libossrs is loaded.
 */
final class PrecheckTest extends UnitTestCase
{
    private OssClient $client;

    protected function setUp(): void
    {
        $this->client = new OssClient('id', 'secret', 'http://127.0.0.1:1');
    }

    /** @return array<string, array{0: string, 1: list<mixed>, 2: string}> */
    public function invalidCalls(): array
    {
        $file = __FILE__;
        return [
            'empty object' => ['putObject', ['bkt', '', 'x'], 'object name is empty'],
            'null object' => ['putObject', ['bkt', null, 'x'], 'object name is empty'],
            'object with a leading slash' => ['putObject', ['bkt', '/a', 'x'], '"/a" object name is invalid'],
            'object with a leading backslash' => ['putObject', ['bkt', '\\a', 'x'], '"\\a" object name is invalid'],
            'object of 1024 bytes' => ['putObject', ['bkt', str_repeat('x', 1024), 'x'], 'object name is invalid'],
            'object with a line break' => ['putObject', ['bkt', "a\nb", 'x'], "\"a\nb\" object name is invalid"],
            'object before options' => ['putObject', ['bkt', '', 'x', 'nope'], 'object name is empty'],
            'options before bucket' => ['putObject', ['', 'a', 'x', 'nope'], 'nope:option must be array'],
            'empty bucket' => ['putObject', ['', 'a', 'x'], 'bucket is not allowed empty'],
            'bucket "0"' => ['putObject', ['0', 'a', 'x'], 'bucket is not allowed empty'],
            'upper-case bucket' => ['putObject', ['Bkt', 'a', 'x'], '"Bkt"bucket name is invalid'],
            'short bucket' => ['putObject', ['ab', 'a', 'x'], '"ab"bucket name is invalid'],
            'bucket starting with a dash' => ['putObject', ['-ab', 'a', 'x'], '"-ab"bucket name is invalid'],
            'object options on initiate' => ['initiateMultipartUpload', ['bkt', 'a', 5], '5:option must be array'],
            'options object' => ['putObject', ['bkt', 'a', 'x', new \stdClass()], 'stdClass:option must be array'],
            'array object name' => ['putObject', ['bkt', ['a'], 'x'], 'object name must be a string, array given'],
            'object as object name' => [
                'putObject', ['bkt', new \stdClass(), 'x'], 'object name must be a string, stdClass given',
            ],
            'array bucket' => ['putObject', [['b'], 'a', 'x'], 'bucket name must be a string, array given'],
            'array content' => ['putObject', ['bkt', 'a', ['x']], 'content must be a string, array given'],
            'invalid ACL' => [
                'putObject', ['bkt', 'a', 'x', [OssClient::OSS_HEADERS => [OssClient::OSS_ACL => 'open']]],
                'open:acl is invalid(private,public-read,public-read-write)',
            ],
            'headers not an array' => [
                'putObject', ['bkt', 'a', 'x', [OssClient::OSS_HEADERS => 'x-oss-meta-a: b']],
                'the headers option must be an array, string given',
            ],
            'header value array' => [
                'putObject', ['bkt', 'a', 'x', [OssClient::OSS_HEADERS => ['x-oss-meta-a' => ['b']]]],
                'header x-oss-meta-a must be a string, array given',
            ],
            'header list instead of map' => [
                'putObject', ['bkt', 'a', 'x', [OssClient::OSS_HEADERS => ['x-oss-meta-a: b']]],
                'header names must be strings, the headers option has the key 0',
            ],
            'callback array' => [
                'putObject', ['bkt', 'a', 'x', [OssClient::OSS_CALLBACK => ['callbackUrl' => 'u']]],
                'the x-oss-callback option must be a string, array given',
            ],
            'uploadPart without fileUpload' => [
                'uploadPart', ['bkt', 'a', 'id', [OssClient::OSS_PART_NUM => 1]],
                'The `fileUpload` options is required in uploadPart().',
            ],
            'uploadPart without partNumber' => [
                'uploadPart', ['bkt', 'a', 'id', [OssClient::OSS_FILE_UPLOAD => $file]],
                'The `partNumber` options is required in uploadPart().',
            ],
            'uploadPart without options' => ['uploadPart', ['bkt', 'a', 'id'], 'The `fileUpload` options is required'],
            'uploadPart checks the object first' => [
                'uploadPart', ['bkt', '', 'id', []], 'object name is empty',
            ],
            'uploadPart with a stream' => [
                'uploadPart', ['bkt', 'a', 'id', [OssClient::OSS_FILE_UPLOAD => STDIN, OssClient::OSS_PART_NUM => 1]],
                'the fileUpload option must be a file path, resource (stream) given',
            ],
            'uploadPart with a word as partNumber' => [
                'uploadPart', ['bkt', 'a', 'id', [OssClient::OSS_FILE_UPLOAD => $file, OssClient::OSS_PART_NUM => 'one']],
                'the partNumber option must be an integer, one given',
            ],
            'uploadPart with a negative seekTo' => [
                'uploadPart', ['bkt', 'a', 'id', [
                    OssClient::OSS_FILE_UPLOAD => $file, OssClient::OSS_PART_NUM => 1, OssClient::OSS_SEEK_TO => -1,
                ]],
                'the seekTo option must be at least 0, -1 given',
            ],
            'uploadPart with an array upload id' => [
                'uploadPart', ['bkt', 'a', ['id'], [OssClient::OSS_FILE_UPLOAD => $file, OssClient::OSS_PART_NUM => 1]],
                'upload id must be a string, array given',
            ],
            'complete with a string part list' => [
                'completeMultipartUpload', ['bkt', 'a', 'id', 'parts'],
                'listParts must be an array of [PartNumber, ETag] arrays',
            ],
            'complete with a part lacking its ETag' => [
                'completeMultipartUpload', ['bkt', 'a', 'id', [['PartNumber' => 1]]],
                'listParts[0] must be an array with PartNumber and ETag',
            ],
            'complete with a word as PartNumber' => [
                'completeMultipartUpload', ['bkt', 'a', 'id', [['PartNumber' => 'x', 'ETag' => '"e"']]],
                'listParts[0][PartNumber] must be an integer, x given',
            ],
            'uploadFile with an empty path' => ['uploadFile', ['bkt', 'a', ''], 'file path is invalid'],
            'uploadFile with a missing file' => [
                'uploadFile', ['bkt', 'a', '/nonexistent/f.txt'], '/nonexistent/f.txt file does not exist',
            ],
            'multiuploadFile with an empty path' => ['multiuploadFile', ['bkt', 'a', ''], 'parameter invalid, file is empty'],
            'multiuploadFile with a missing file' => [
                'multiuploadFile', ['bkt', 'a', '/nonexistent/f.bin'], '/nonexistent/f.bin file does not exist',
            ],
            'multiuploadFile with a directory' => [
                'multiuploadFile', ['bkt', 'a', __DIR__], __DIR__ . ' is not a regular file',
            ],
            'multiuploadFile with an array path' => [
                'multiuploadFile', ['bkt', 'a', [$file]], 'file path must be a string, array given',
            ],
            'multiuploadFile with a NUL in the path' => [
                'multiuploadFile', ['bkt', 'a', $file . "\0x"], 'file path contains a NUL byte',
            ],
            'multiuploadFile with an array bucket' => [
                'multiuploadFile', [['bkt'], 'a', $file], 'bucket name must be a string, array given',
            ],
            'multiuploadFile checks the object first' => ['multiuploadFile', ['bkt', '', ''], 'object name is empty'],
            'multiuploadFile with string options' => ['multiuploadFile', ['bkt', 'a', $file, 'x'], 'x:option must be array'],
            'multiuploadFile with part size 0' => [
                'multiuploadFile', ['bkt', 'a', $file, [OssClient::OSS_PART_SIZE => 0]],
                'the partSize option must be at least 1, 0 given',
            ],
            'multiuploadFile with a negative part size' => [
                'multiuploadFile', ['bkt', 'a', $file, [OssClient::OSS_PART_SIZE => -102400]],
                'the partSize option must be at least 1, -102400 given',
            ],
            'multiuploadFile with a word as part size' => [
                'multiuploadFile', ['bkt', 'a', $file, [OssClient::OSS_PART_SIZE => '10M']],
                'the partSize option must be an integer, 10M given',
            ],
            'multiuploadFile with an array part size' => [
                'multiuploadFile', ['bkt', 'a', $file, [OssClient::OSS_PART_SIZE => [1]]],
                'the partSize option must be an integer, array given',
            ],
            'multiuploadFile with parallelism 0' => [
                'multiuploadFile', ['bkt', 'a', $file, [OssClient::OSSRS_PARALLELISM => 0]],
                'the ossrs.parallelism option must be at least 1, 0 given',
            ],
            'multiuploadFile with parallelism 65' => [
                'multiuploadFile', ['bkt', 'a', $file, [OssClient::OSSRS_PARALLELISM => 65]],
                'the ossrs.parallelism option must be at most 64, 65 given',
            ],
            'multiuploadFile with a float parallelism' => [
                'multiuploadFile', ['bkt', 'a', $file, [OssClient::OSSRS_PARALLELISM => 2.5]],
                'the ossrs.parallelism option must be an integer, 2.5 given',
            ],
            'multiuploadFile with a string as progress' => [
                'multiuploadFile', ['bkt', 'a', $file, [OssClient::OSSRS_PROGRESS => 'no_such_function']],
                'the ossrs.progress option must be callable as function (int $partNumber, int $bytesDone, '
                    . 'int $bytesTotal), no_such_function given',
            ],
            'multiuploadFile with an object as progress' => [
                'multiuploadFile', ['bkt', 'a', $file, [OssClient::OSSRS_PROGRESS => new \stdClass()]],
                'the ossrs.progress option must be callable as function (int $partNumber, int $bytesDone, '
                    . 'int $bytesTotal), stdClass given',
            ],
            'multiuploadFile from past the end of the file' => [
                'multiuploadFile', ['bkt', 'a', $file, [OssClient::OSS_SEEK_TO => 1 << 40]],
                'the seekTo option (1099511627776) is past the end of the file',
            ],
            'multiuploadFile of a negative length' => [
                'multiuploadFile', ['bkt', 'a', $file, [OssClient::OSS_LENGTH => -10]],
                'the length option must be at least 0, -10 given',
            ],
            'multiuploadFile with an array as upload id' => [
                'multiuploadFile', ['bkt', 'a', $file, [OssClient::OSS_UPLOAD_ID => ['id']]],
                'the uploadId option must be',
            ],
            'multiuploadFile with a negative seekTo' => [
                'multiuploadFile', ['bkt', 'a', $file, [OssClient::OSS_SEEK_TO => -1]],
                'the seekTo option must be at least 0, -1 given',
            ],
            'getObject into an array' => [
                'getObject', ['bkt', 'a', [OssClient::OSS_FILE_DOWNLOAD => ['/tmp/x']]],
                'the fileDownload option must be a string, array given',
            ],
        ];
    }

    /**
     * @dataProvider invalidCalls
     * @param list<mixed> $args
     */
    public function testInvalidCallThrowsBeforeAnyIo(string $method, array $args, string $message): void
    {
        try {
            $this->client->$method(...$args);
            self::fail('no exception');
        } catch (OssException $e) {
            self::assertStringContainsString($message, $e->getMessage());
            self::assertSame('', $e->getHTTPStatus());
        }
    }

    public function testObjectNameZeroAndTrailingNewlinePassTheSdkChecks(): void
    {
        // The SDK accepts "0" (empty() is special-cased) and a single trailing "\n" (PCRE $); these fail only
        // later, at libossrs or at the bucket check.
        foreach (['0', "a\n"] as $object) {
            try {
                $this->client->putObject('', $object, 'x');
                self::fail('no exception');
            } catch (OssException $e) {
                self::assertSame('bucket is not allowed empty', $e->getMessage());
            }
        }
    }
}
