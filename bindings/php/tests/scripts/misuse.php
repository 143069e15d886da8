<?php

/**
 * Calls OssClient the wrong way in every way the SDK would answer with a TypeError, a warning or a crash, and
 * prints one JSON line per case: the class and message of what was thrown. Run as a child process so that a
 * fatal error or a segfault shows up as the exit code. Argument: a closed endpoint (no request may succeed).
 */

declare(strict_types=1);

require dirname(__DIR__, 2) . '/autoload.php';

use OSS\Core\OssUtil;
use OSS\Credentials\StaticCredentialsProvider;
use OSS\OssClient;

$endpoint = $argv[1];
$file = tempnam(sys_get_temp_dir(), 'misuse');
file_put_contents($file, 'abcdef');
register_shutdown_function('unlink', $file);
$client = new OssClient('AKIDEXAMPLE', 'SECRETEXAMPLE', $endpoint);
$big = tempnam(sys_get_temp_dir(), 'misuse');
file_put_contents($big, str_repeat('x', 250000));
register_shutdown_function('unlink', $big);
$multi = static fn (array $extra): array => $extra + [OssClient::OSS_PART_SIZE => OssClient::OSS_MIN_PART_SIZE];
$part = static fn (array $extra): array => $extra + [OssClient::OSS_FILE_UPLOAD => $file, OssClient::OSS_PART_NUM => 1];

$cases = [
    'array object' => fn () => $client->putObject('bkt', ['a'], 'x'),
    'array bucket' => fn () => $client->putObject(['bkt'], 'a', 'x'),
    'object instance as object' => fn () => $client->putObject('bkt', new stdClass(), 'x'),
    'array content' => fn () => $client->putObject('bkt', 'a', ['x']),
    'resource content' => fn () => $client->putObject('bkt', 'a', STDIN),
    'string options' => fn () => $client->putObject('bkt', 'a', 'x', 'options'),
    'integer options' => fn () => $client->putObject('bkt', 'a', 'x', 42),
    'headers string' => fn () => $client->putObject('bkt', 'a', 'x', [OssClient::OSS_HEADERS => 'x']),
    'header array value' => fn () => $client->putObject('bkt', 'a', 'x', [OssClient::OSS_HEADERS => ['a' => []]]),
    'CRLF header value' => fn () => $client->putObject('bkt', 'a', 'x', [OssClient::OSS_HEADERS => ['x-oss-meta-a' => "1\r\nX-Evil: 1"]]),
    'CRLF header name' => fn () => $client->putObject('bkt', 'a', 'x', [OssClient::OSS_HEADERS => ["X-A\r\nX-Evil" => '1']]),
    'NUL in object' => fn () => $client->putObject('bkt', "a\0b", 'x'),
    'NUL in callback' => fn () => $client->putObject('bkt', 'a', 'x', [OssClient::OSS_CALLBACK => "{\0}"]),
    'callback not JSON' => fn () => $client->putObject('bkt', 'a', 'x', [OssClient::OSS_CALLBACK => '{']),
    'callback array' => fn () => $client->putObject('bkt', 'a', 'x', [OssClient::OSS_CALLBACK => ['u']]),
    'uploadPart null options' => fn () => $client->uploadPart('bkt', 'a', 'id', null),
    'uploadPart no partNumber' => fn () => $client->uploadPart('bkt', 'a', 'id', [OssClient::OSS_FILE_UPLOAD => $file]),
    'uploadPart array path' => fn () => $client->uploadPart('bkt', 'a', 'id', $part([OssClient::OSS_FILE_UPLOAD => [$file]])),
    'uploadPart huge partNumber' => fn () => $client->uploadPart('bkt', 'a', 'id', $part([OssClient::OSS_PART_NUM => PHP_INT_MAX])),
    'uploadPart float partNumber' => fn () => $client->uploadPart('bkt', 'a', 'id', $part([OssClient::OSS_PART_NUM => 1.5])),
    'uploadPart object seekTo' => fn () => $client->uploadPart('bkt', 'a', 'id', $part([OssClient::OSS_SEEK_TO => new stdClass()])),
    'uploadPart negative length' => fn () => $client->uploadPart('bkt', 'a', 'id', $part([OssClient::OSS_LENGTH => -5])),
    'uploadPart range past EOF' => fn () => $client->uploadPart('bkt', 'a', 'id', $part([OssClient::OSS_LENGTH => 7])),
    'uploadPart seek past EOF' => fn () => $client->uploadPart('bkt', 'a', 'id', $part([OssClient::OSS_SEEK_TO => 100])),
    'uploadPart missing file' => fn () => $client->uploadPart('bkt', 'a', 'id', $part([OssClient::OSS_FILE_UPLOAD => '/nonexistent'])),
    'uploadPart directory' => fn () => $client->uploadPart('bkt', 'a', 'id', $part([OssClient::OSS_FILE_UPLOAD => '/tmp'])),
    'uploadPart empty upload id' => fn () => $client->uploadPart('bkt', 'a', '', $part([])),
    'uploadPart CRLF upload id' => fn () => $client->uploadPart('bkt', 'a', "id\r\nX: 1", $part([])),
    'uploadPart array md5' => fn () => $client->uploadPart('bkt', 'a', 'id', $part([OssClient::OSS_CONTENT_MD5 => ['x']])),
    'complete string parts' => fn () => $client->completeMultipartUpload('bkt', 'a', 'id', 'parts'),
    'complete scalar part' => fn () => $client->completeMultipartUpload('bkt', 'a', 'id', [1]),
    'complete array ETag' => fn () => $client->completeMultipartUpload('bkt', 'a', 'id', [['PartNumber' => 1, 'ETag' => ['x']]]),
    'complete part 0' => fn () => $client->completeMultipartUpload('bkt', 'a', 'id', [['PartNumber' => 0, 'ETag' => '"e"']]),
    'complete array upload id' => fn () => $client->completeMultipartUpload('bkt', 'a', ['id'], []),
    'listParts array upload id' => fn () => $client->listParts('bkt', 'a', ['id']),
    'abort object options' => fn () => $client->abortMultipartUpload('bkt', 'a', 'id', new stdClass()),
    'getObject string headers with etag' => fn () => $client->getObject('bkt', 'a', [OssClient::OSS_HEADERS => 'h', OssClient::OSS_ETAG => 'e']),
    'getObject array range' => fn () => $client->getObject('bkt', 'a', [OssClient::OSS_RANGE => [0, 1]]),
    'uploadFile array path' => fn () => $client->uploadFile('bkt', 'a', ['f']),
    'uploadFile directory' => fn () => $client->uploadFile('bkt', 'a', '/tmp'),
    'multiuploadFile array bucket' => fn () => $client->multiuploadFile(['bkt'], 'a', $big),
    'multiuploadFile array object' => fn () => $client->multiuploadFile('bkt', ['a'], $big, $multi([])),
    'multiuploadFile array path' => fn () => $client->multiuploadFile('bkt', 'a', [$big]),
    'multiuploadFile missing file' => fn () => $client->multiuploadFile('bkt', 'a', '/nonexistent'),
    'multiuploadFile directory' => fn () => $client->multiuploadFile('bkt', 'a', '/tmp'),
    'multiuploadFile stream' => fn () => $client->multiuploadFile('bkt', 'a', STDIN),
    'multiuploadFile part size 0' => fn () => $client->multiuploadFile('bkt', 'a', $big, [OssClient::OSS_PART_SIZE => 0]),
    'multiuploadFile negative part size' => fn () => $client->multiuploadFile('bkt', 'a', $big, [OssClient::OSS_PART_SIZE => -1]),
    'multiuploadFile object part size' => fn () => $client->multiuploadFile('bkt', 'a', $big, [OssClient::OSS_PART_SIZE => new stdClass()]),
    'multiuploadFile parallelism 0' => fn () => $client->multiuploadFile('bkt', 'a', $big, $multi([OssClient::OSSRS_PARALLELISM => 0])),
    'multiuploadFile parallelism 65' => fn () => $client->multiuploadFile('bkt', 'a', $big, $multi([OssClient::OSSRS_PARALLELISM => 65])),
    'multiuploadFile huge parallelism' => fn () => $client->multiuploadFile('bkt', 'a', $big, $multi([OssClient::OSSRS_PARALLELISM => PHP_INT_MAX])),
    'multiuploadFile array parallelism' => fn () => $client->multiuploadFile('bkt', 'a', $big, $multi([OssClient::OSSRS_PARALLELISM => []])),
    'multiuploadFile non-callable progress' => fn () => $client->multiuploadFile('bkt', 'a', $big, $multi([OssClient::OSSRS_PROGRESS => 'nope'])),
    'multiuploadFile integer progress' => fn () => $client->multiuploadFile('bkt', 'a', $big, $multi([OssClient::OSSRS_PROGRESS => 1])),
    'multiuploadFile CRLF upload id' => fn () => $client->multiuploadFile('bkt', 'a', $big, $multi([OssClient::OSS_UPLOAD_ID => "id\r\nX: 1"])),
    'multiuploadFile seekTo past the end' => fn () => $client->multiuploadFile('bkt', 'a', $big, $multi([OssClient::OSS_SEEK_TO => PHP_INT_MAX])),
    'multiuploadFile range past the end' => fn () => $client->multiuploadFile('bkt', 'a', $big, $multi([OssClient::OSS_SEEK_TO => 1, OssClient::OSS_LENGTH => filesize($big)])),
    'multiuploadFile array length' => fn () => $client->multiuploadFile('bkt', 'a', $big, $multi([OssClient::OSS_LENGTH => [1]])),
    'multiuploadFile callback not JSON' => fn () => $client->multiuploadFile('bkt', 'a', $big, $multi([OssClient::OSS_CALLBACK => '{'])),
    'multiuploadFile callback array' => fn () => $client->multiuploadFile('bkt', 'a', $big, $multi([OssClient::OSS_CALLBACK => ['u']])),
    'multiuploadFile CRLF header' => fn () => $client->multiuploadFile('bkt', 'a', $big, $multi([OssClient::OSS_HEADERS => ['x-oss-meta-a' => "1\r\nX: 1"]])),
    'multiuploadFile invalid ACL' => fn () => $client->multiuploadFile('bkt', 'a', $big, $multi([OssClient::OSS_HEADERS => ['x-oss-acl' => 'open']])),
    'generateMultiuploadParts array' => fn () => $client->generateMultiuploadParts([1]),
    'generateMultiuploadParts object part size' => fn () => $client->generateMultiuploadParts(10, new stdClass()),
    'constructor array endpoint' => fn () => new OssClient('a', 'b', ['h']),
    'constructor object provider' => fn () => new OssClient(['endpoint' => 'h', 'provider' => 'p']),
    'constructor CRLF proxy' => fn () => (new OssClient('a', 'b', $endpoint, false, null, "http://h\r\n:1"))->putObject('bkt', 'a', 'x'),
    'constructor CRLF token' => fn () => (new OssClient('a', 'b', $endpoint, false, "t\r\nX: 1"))->putObject('bkt', 'a', 'x'),
    'provider returning a string' => fn () => (new OssClient(['endpoint' => $endpoint, 'provider' => new class () implements OSS\Credentials\CredentialsProvider {
        public function getCredentials()
        {
            return 'creds';
        }
    }]))->putObject('bkt', 'a', 'x'),
    'v4 without region' => fn () => (new OssClient(['endpoint' => $endpoint, 'signatureVersion' => 'v4',
        'provider' => new StaticCredentialsProvider('a', 'b')]))->putObject('bkt', 'a', 'x'),
    'setTimeout array' => fn () => $client->setTimeout([]),
    'setMaxTries string' => fn () => $client->setMaxTries('many'),
];

foreach ($cases as $name => $case) {
    try {
        $case();
        $outcome = ['class' => null, 'message' => 'returned normally'];
    } catch (Throwable $e) {
        $outcome = ['class' => get_class($e), 'message' => $e->getMessage()];
    }
    echo json_encode(['case' => $name] + $outcome), "\n";
}
echo json_encode(['case' => 'md5 of an array path', 'class' => null, 'message' => OssUtil::getMd5SumForFile([], 0, 1)]), "\n";
