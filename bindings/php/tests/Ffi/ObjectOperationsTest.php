<?php

declare(strict_types=1);

namespace OSS\Tests\Ffi;

use OSS\Core\OssException;
use OSS\Model\ObjectInfo;
use OSS\Model\ObjectListInfo;
use OSS\Model\ObjectListInfoV2;
use OSS\Model\PrefixInfo;
use OSS\Model\RestoreConfig;
use OSS\OssClient;
use OSS\Tests\Support\Emulator;
use PHPUnit\Framework\TestCase;

/**
 * The object methods that go through libossrs's generic call (copyObject, listObjects, listObjectsV2,
 * deleteObjects, getObjectAcl, putObjectAcl, getBucketAcl, doesBucketExist) against the emulator: the SDK's
 * return shapes and the state they leave.
 */
final class ObjectOperationsTest extends TestCase
{
    private OssClient $client;
    private string $dir;

    protected function setUp(): void
    {
        $this->client = new OssClient(Emulator::KEY_ID, Emulator::KEY_SECRET, Emulator::get()->endpoint());
        $this->dir = 'ops-' . bin2hex(random_bytes(4)) . '/';
    }

    public function testCopyObjectReturnsLastModifiedAndETagThenTheHeaders(): void
    {
        $b = Emulator::BUCKET;
        $this->client->putObject($b, $this->dir . 'src a+b.txt', 'copy me', [
            OssClient::OSS_HEADERS => ['x-oss-meta-kind' => 'source'],
        ]);
        $result = $this->client->copyObject($b, $this->dir . 'src a+b.txt', $b, $this->dir . 'dst.txt');
        self::assertSame('copy me', $this->client->getObject($b, $this->dir . 'dst.txt'));
        self::assertMatchesRegularExpression('/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/', $result[0]);
        self::assertSame($result['etag'], $result[1]);
        self::assertSame(200, $result['info']['http_code']);
        self::assertArrayNotHasKey('body', $result);
        self::assertSame('source', $this->client->getObjectMeta($b, $this->dir . 'dst.txt')['x-oss-meta-kind']);
        try {
            $this->client->copyObject($b, $this->dir . 'missing', $b, $this->dir . 'x');
            self::fail('copied a missing object');
        } catch (OssException $e) {
            self::assertSame('NoSuchKey', $e->getErrorCode());
            self::assertSame('404', $e->getHTTPStatus());
        }
    }

    public function testCopyConditionsAreCheckedAgainstTheSource(): void
    {
        $b = Emulator::BUCKET;
        $etag = $this->client->putObject($b, $this->dir . 'cond-src', 'conditional')['etag'];
        $copy = fn (array $headers) => $this->client->copyObject($b, $this->dir . 'cond-src', $b, $this->dir . 'cond-dst', [
            OssClient::OSS_HEADERS => $headers,
        ]);
        $copy(['x-oss-copy-source-if-match' => $etag, 'x-oss-copy-source-if-none-match' => '"0"']);
        self::assertSame('conditional', $this->client->getObject($b, $this->dir . 'cond-dst'));
        $this->client->deleteObject($b, $this->dir . 'cond-dst');
        $refusals = [
            ['PreconditionFailed', '412', ['x-oss-copy-source-if-match' => '"0123"']],
            ['PreconditionFailed', '412', ['x-oss-copy-source-if-unmodified-since' => gmdate('D, d M Y H:i:s', time() - 3600) . ' GMT']],
            ['', '304', ['x-oss-copy-source-if-none-match' => $etag]],
            ['', '304', ['x-oss-copy-source-if-modified-since' => gmdate('D, d M Y H:i:s', time() + 3600) . ' GMT']],
        ];
        foreach ($refusals as [$code, $status, $headers]) {
            try {
                $copy($headers);
                self::fail('copied despite ' . json_encode($headers));
            } catch (OssException $e) {
                self::assertSame([$code, $status], [$e->getErrorCode(), $e->getHTTPStatus()], json_encode($headers));
            }
        }
        self::assertFalse($this->client->doesObjectExist($b, $this->dir . 'cond-dst'));
        // GetObject's conditions, as the SDK sends them for OSS_LAST_MODIFIED and OSS_ETAG.
        $future = gmdate('D, d M Y H:i:s', time() + 3600) . ' GMT';
        foreach ([[OssClient::OSS_ETAG => $etag], [OssClient::OSS_LAST_MODIFIED => $future]] as $options) {
            try {
                $this->client->getObject($b, $this->dir . 'cond-src', $options);
                self::fail('read despite ' . json_encode($options));
            } catch (OssException $e) {
                self::assertSame('304', $e->getHTTPStatus());
            }
        }
        self::assertSame('conditional', $this->client->getObject($b, $this->dir . 'cond-src', [OssClient::OSS_ETAG => '"1"']));
    }

    /** The flow of the SDK's own samples/Callback.php: a multipart upload built with uploadPartCopy, completed with a callback. */
    public function testUploadPartCopyBuildsAMultipartUploadCompletedWithACallback(): void
    {
        $b = Emulator::BUCKET;
        $source = random_bytes(300 * 1024);
        $this->client->putObject($b, $this->dir . 'source.bin', $source);
        $object = $this->dir . 'multipart-callback-test.txt';
        $uploadId = $this->client->initiateMultipartUpload($b, $object);
        $first = $this->client->uploadPartCopy($b, $this->dir . 'source.bin', $b, $object, 1, $uploadId, [
            'start' => 0, 'end' => 200 * 1024 - 1,
        ]);
        $second = $this->client->uploadPartCopy($b, $this->dir . 'source.bin', $b, $object, 2, $uploadId, [
            'start' => 200 * 1024,
        ]);
        $third = $this->client->uploadPartCopy($b, $this->dir . 'source.bin', $b, $object, 3, $uploadId);
        self::assertSame('"' . strtoupper(md5(substr($source, 0, 200 * 1024))) . '"', $first);
        $parts = $this->client->listParts($b, $object, $uploadId)->getListPart();
        self::assertSame([1, 2, 3], array_map(fn ($p) => $p->getPartNumber(), $parts));
        self::assertSame([200 * 1024, 100 * 1024, 300 * 1024], array_map(fn ($p) => $p->getSize(), $parts));
        $result = $this->client->completeMultipartUpload($b, $object, $uploadId, [
            ['PartNumber' => 1, 'ETag' => $first], ['PartNumber' => 2, 'ETag' => $second],
            ['PartNumber' => 3, 'ETag' => $third],
        ], [
            OssClient::OSS_CALLBACK => json_encode([
                'callbackUrl' => Emulator::get()->callbackUrl('/copied'),
                'callbackBody' => '{"size":${size},"x:var1":${x:var1}}',
                'callbackBodyType' => 'application/json',
            ]),
            OssClient::OSS_CALLBACK_VAR => json_encode(['x:var1' => 'value1']),
        ]);
        self::assertSame(200, $result['info']['http_code']);
        self::assertSame($source . $source, $this->client->getObject($b, $object));
        $callback = Emulator::get()->callbackContaining('/copied', '"size":' . (600 * 1024));
        self::assertTrue($callback['signature_valid']);
        self::assertStringContainsString('"x:var1":"value1"', $callback['body']);

        try {
            $this->client->uploadPartCopy($b, $this->dir . 'source.bin', $b, $object, 1, '');
            self::fail('a part copy without an upload id was sent');
        } catch (OssException $e) {
            self::assertSame(['InvalidArgument', ''], [$e->getErrorCode(), $e->getHTTPStatus()]);
        }
        $other = $this->client->initiateMultipartUpload($b, $object);
        try {
            $this->client->uploadPartCopy($b, $this->dir . 'source.bin', $b, $object, 1, $other, ['start' => 400000]);
            self::fail('a range past the end was copied');
        } catch (OssException $e) {
            self::assertSame(['InvalidArgument', '400'], [$e->getErrorCode(), $e->getHTTPStatus()]);
        }
        $this->client->abortMultipartUpload($b, $object, $other);
    }

    public function testRestoreObjectMakesAnArchivedObjectReadable(): void
    {
        $b = Emulator::BUCKET;
        $key = $this->dir . 'cold.bin';
        $this->client->putObject($b, $key, 'frozen bytes', [
            OssClient::OSS_HEADERS => ['x-oss-storage-class' => OssClient::OSS_STORAGE_ARCHIVE],
        ]);
        try {
            $this->client->getObject($b, $key);
            self::fail('an archived object was read before its restore');
        } catch (OssException $e) {
            self::assertSame(['InvalidObjectState', '403'], [$e->getErrorCode(), $e->getHTTPStatus()]);
        }
        $started = $this->client->restoreObject($b, $key, [OssClient::OSS_RESTORE_CONFIG => new RestoreConfig(2)]);
        self::assertSame(202, $started['info']['http_code']);
        try {
            $this->client->restoreObject($b, $key);
            self::fail('a second restore was accepted while the first runs');
        } catch (OssException $e) {
            self::assertSame(['RestoreAlreadyInProgress', '409'], [$e->getErrorCode(), $e->getHTTPStatus()]);
        }
        usleep(2100000);
        self::assertSame('frozen bytes', $this->client->getObject($b, $key));
        self::assertSame(200, $this->client->restoreObject($b, $key)['info']['http_code']);
        self::assertStringStartsWith('ongoing-request="false"', $this->client->getObjectMeta($b, $key)['x-oss-restore']);
        try {
            $this->client->restoreObject($b, $key, [OssClient::OSS_RESTORE_CONFIG => '<RestoreRequest/>']);
            self::fail('a string was taken as a RestoreConfig');
        } catch (OssException $e) {
            self::assertSame('', $e->getHTTPStatus());
        }
    }

    public function testListObjectsPagesWithTheSdkShapes(): void
    {
        $b = Emulator::BUCKET;
        foreach (['a.txt', 'sub/1', 'sub/2', 'x y&z.txt'] as $name) {
            $this->client->putObject($b, $this->dir . $name, $name);
        }
        $page = $this->client->listObjects($b, [OssClient::OSS_PREFIX => $this->dir, OssClient::OSS_MAX_KEYS => 2]);
        self::assertInstanceOf(ObjectListInfo::class, $page);
        self::assertSame($b, $page->getBucketName());
        self::assertSame($this->dir, $page->getPrefix());
        self::assertSame('/', $page->getDelimiter());
        self::assertSame(2, $page->getMaxKeys());
        self::assertSame('true', $page->getIsTruncated());
        $keys = array_map(static fn (ObjectInfo $o): string => $o->getKey(), $page->getObjectList());
        self::assertSame([$this->dir . 'a.txt'], $keys);
        self::assertSame([$this->dir . 'sub/'], array_map(
            static fn (PrefixInfo $p): string => $p->getPrefix(),
            $page->getPrefixList()
        ));
        self::assertSame($this->dir . 'sub/', $page->getNextMarker());
        $object = $page->getObjectList()[0];
        self::assertSame(5, $object->getSize());
        self::assertSame('5', $object->getSizeStr());
        self::assertSame('Normal', $object->getType());
        self::assertSame('"' . strtoupper(md5('a.txt')) . '"', $object->getETag());

        $rest = $this->client->listObjects($b, [
            OssClient::OSS_PREFIX => $this->dir,
            OssClient::OSS_MARKER => $page->getNextMarker(),
        ]);
        self::assertSame('false', $rest->getIsTruncated());
        self::assertSame([$this->dir . 'x y&z.txt'], array_map(
            static fn (ObjectInfo $o): string => $o->getKey(),
            $rest->getObjectList()
        ));
        self::assertSame('', $rest->getNextMarker());
    }

    public function testListObjectsV2FollowsContinuationTokens(): void
    {
        $b = Emulator::BUCKET;
        foreach (['1', '2', '3'] as $name) {
            $this->client->putObject($b, $this->dir . $name, $name);
        }
        $options = [OssClient::OSS_PREFIX => $this->dir, OssClient::OSS_MAX_KEYS => 2, OssClient::OSS_DELIMITER => ''];
        $first = $this->client->listObjectsV2($b, $options);
        self::assertInstanceOf(ObjectListInfoV2::class, $first);
        self::assertSame(2, $first->getKeyCount());
        self::assertSame('true', $first->getIsTruncated());
        self::assertNull($first->getObjectList()[0]->getOwner());
        $token = $first->getNextContinuationToken();
        self::assertNotSame('', $token);
        $second = $this->client->listObjectsV2($b, $options + [
            OssClient::OSS_CONTINUATION_TOKEN => $token,
            'fetch-owner' => true,
        ]);
        self::assertSame($token, $second->getContinuationToken());
        self::assertSame([$this->dir . '3'], array_map(
            static fn (ObjectInfo $o): string => $o->getKey(),
            $second->getObjectList()
        ));
        self::assertNotNull($second->getObjectList()[0]->getOwner());
        $after = $this->client->listObjectsV2($b, $options + [OssClient::OSS_START_AFTER => $this->dir . '2']);
        self::assertSame($this->dir . '2', $after->getStartAfter());
        self::assertSame(1, $after->getKeyCount());
    }

    public function testDeleteObjectsDeletesExactlyTheNamedKeys(): void
    {
        $b = Emulator::BUCKET;
        // The SDK escapes '<' twice and would delete "c&lt;d"; ossrs deletes "c<d".
        $names = [$this->dir . 'a&b', $this->dir . 'c<d', $this->dir . 'keep'];
        foreach ($names as $name) {
            $this->client->putObject($b, $name, 'x');
        }
        $deleted = $this->client->deleteObjects($b, [$names[0], $names[1]]);
        self::assertSame([$names[0], $names[1]], $deleted);
        self::assertFalse($this->client->doesObjectExist($b, $names[0]));
        self::assertFalse($this->client->doesObjectExist($b, $names[1]));
        self::assertTrue($this->client->doesObjectExist($b, $names[2]));
        self::assertSame([], $this->client->deleteObjects($b, [$names[2]], ['quiet' => true]));
        self::assertFalse($this->client->doesObjectExist($b, $names[2]));
        foreach ([[], 'one', null] as $bad) {
            try {
                $this->client->deleteObjects($b, $bad);
                self::fail('accepted ' . var_export($bad, true));
            } catch (OssException $e) {
                self::assertSame('objects must be array', $e->getMessage());
            }
        }
    }

    public function testAclsAndBucketExistence(): void
    {
        $b = Emulator::BUCKET;
        $this->client->putObject($b, $this->dir . 'acl', 'x');
        self::assertSame('default', $this->client->getObjectAcl($b, $this->dir . 'acl'));
        $result = $this->client->putObjectAcl($b, $this->dir . 'acl', 'public-read');
        self::assertSame(200, $result['info']['http_code']);
        self::assertSame('public-read', $this->client->getObjectAcl($b, $this->dir . 'acl'));
        try {
            $this->client->putObjectAcl($b, $this->dir . 'acl', 'everyone');
            self::fail('accepted an unknown ACL');
        } catch (OssException $e) {
            self::assertSame('InvalidArgument', $e->getErrorCode());
        }
        self::assertSame('private', $this->client->getBucketAcl($b));
        self::assertSame('oss-' . Emulator::REGION, $this->client->getBucketLocation($b));
        self::assertSame(Emulator::REGION, $this->client->getBucketMeta($b)['x-oss-bucket-region']);
        self::assertTrue($this->client->doesBucketExist($b));
        self::assertFalse($this->client->doesBucketExist('no-such-bucket-here'));
    }

    public function testAppendObjectAndAppendFile(): void
    {
        $b = Emulator::BUCKET;
        $key = $this->dir . 'log.txt';
        self::assertSame(6, $this->client->appendObject($b, $key, 'first ', 0));
        $file = tempnam(sys_get_temp_dir(), 'ossrs-append');
        file_put_contents($file, 'second');
        try {
            self::assertSame(12, $this->client->appendFile($b, $key, $file, 6, [OssClient::OSS_CHECK_MD5 => true]));
        } finally {
            unlink($file);
        }
        self::assertSame('first second', $this->client->getObject($b, $key));
        self::assertSame('text/plain', $this->client->getObjectMeta($b, $key)['content-type']);
        try {
            $this->client->appendObject($b, $key, 'x', 3);
            self::fail('appended at the wrong position');
        } catch (OssException $e) {
            self::assertSame('PositionNotEqualToLength', $e->getErrorCode());
            self::assertSame('409', $e->getHTTPStatus());
        }
        try {
            $this->client->appendFile($b, $key, '/no/such/file', 12);
            self::fail('appended a missing file');
        } catch (OssException $e) {
            self::assertSame('/no/such/file file does not exist', $e->getMessage());
        }
    }

    public function testCreateObjectDirAndSimplifiedMeta(): void
    {
        $b = Emulator::BUCKET;
        $result = $this->client->createObjectDir($b, $this->dir . 'folder');
        self::assertSame(200, $result['info']['http_code']);
        self::assertTrue($this->client->doesObjectExist($b, $this->dir . 'folder/'));
        self::assertSame('', $this->client->getObject($b, $this->dir . 'folder/'));
        $this->client->putObject($b, $this->dir . 'meta.txt', '12345');
        $meta = $this->client->getSimplifiedObjectMeta($b, $this->dir . 'meta.txt');
        self::assertSame('5', $meta['content-length']);
        self::assertSame('"' . strtoupper(md5('12345')) . '"', $meta['etag']);
        self::assertArrayHasKey('last-modified', $meta);
        self::assertArrayNotHasKey('body', $meta);
    }

    public function testLocalRefusalsCarryTheCodeOssWouldHaveAnswered(): void
    {
        $b = Emulator::BUCKET;
        $cases = [
            'a callback that is not JSON' => fn () => $this->client->putObject($b, $this->dir . 'x', 'x', [
                OssClient::OSS_CALLBACK => '{not json',
            ]),
            'part number 10001' => fn () => $this->client->uploadPart($b, $this->dir . 'x', 'UPLOAD', [
                OssClient::OSS_CONTENT => 'x',
                OssClient::OSS_FILE_UPLOAD => __FILE__,
                OssClient::OSS_PART_NUM => 10001,
            ]),
        ];
        foreach ($cases as $what => $call) {
            try {
                $call();
                self::fail($what . ' was sent');
            } catch (OssException $e) {
                self::assertSame('InvalidArgument', $e->getErrorCode(), $what . ': ' . $e->getMessage());
                self::assertSame('', $e->getHTTPStatus(), $what);
            }
        }
    }

    public function testSymlinks(): void
    {
        $b = Emulator::BUCKET;
        $this->client->putObject($b, $this->dir . 'target file', 'pointed at');
        $result = $this->client->putSymlink($b, $this->dir . 'link', $this->dir . 'target file');
        self::assertSame(200, $result['info']['http_code']);
        $link = $this->client->getSymlink($b, $this->dir . 'link');
        self::assertSame($this->dir . 'target file', $link['x-oss-symlink-target']);
        self::assertArrayNotHasKey('body', $link);
        self::assertSame('pointed at', $this->client->getObject($b, $this->dir . 'link'));
    }

    public function testListMultipartUploads(): void
    {
        $b = Emulator::BUCKET;
        $ids = [];
        foreach (['a b', 'c'] as $name) {
            $ids[$this->dir . $name] = $this->client->initiateMultipartUpload($b, $this->dir . $name);
        }
        $list = $this->client->listMultipartUploads($b, ['prefix' => $this->dir, 'max-uploads' => 1]);
        self::assertSame('true', $list->getIsTruncated());
        self::assertSame($this->dir, $list->getPrefix());
        self::assertSame(1, $list->getMaxUploads());
        self::assertCount(1, $list->getUploads());
        $first = $list->getUploads()[0];
        self::assertSame($this->dir . 'a b', $first->getKey());
        self::assertSame($ids[$this->dir . 'a b'], $first->getUploadId());
        self::assertMatchesRegularExpression('/^\d{4}-\d\d-\d\dT/', $first->getInitiated());
        $rest = $this->client->listMultipartUploads($b, [
            'prefix' => $this->dir,
            'key-marker' => $list->getNextKeyMarker(),
            'upload-id-marker' => $list->getNextUploadIdMarker(),
        ]);
        self::assertSame('false', $rest->getIsTruncated());
        self::assertSame([$this->dir . 'c'], array_map(static fn ($u) => $u->getKey(), $rest->getUploads()));
        foreach ($ids as $key => $id) {
            $this->client->abortMultipartUpload($b, $key, $id);
        }
    }

    public function testObjectTagging(): void
    {
        $b = Emulator::BUCKET;
        $key = $this->dir . 'tagged';
        $this->client->putObject($b, $key, 'x');
        $config = new \OSS\Model\TaggingConfig();
        $config->addTag(new \OSS\Model\Tag('team & role', 'a<b'));
        $config->addTag(new \OSS\Model\Tag('empty', ''));
        self::assertSame(200, $this->client->putObjectTagging($b, $key, $config)['info']['http_code']);
        $tags = $this->client->getObjectTagging($b, $key)->getTags();
        self::assertSame([['team & role', 'a<b'], ['empty', '']], array_map(
            static fn ($t) => [$t->getKey(), $t->getValue()],
            $tags
        ));
        $parsed = new \OSS\Model\TaggingConfig();
        $parsed->parseFromXml($config->serializeToXml());
        self::assertEquals($config, $parsed, 'serializeToXml and parseFromXml round-trip');
        $this->client->deleteObjectTagging($b, $key);
        self::assertSame([], $this->client->getObjectTagging($b, $key)->getTags());
    }
}
