<?php

declare(strict_types=1);

namespace OSS\Tests\Ffi;

use OSS\Core\OssException;
use OSS\Model\DeletedObjectInfo;
use OSS\Model\DeleteMarkerInfo;
use OSS\Model\DeleteObjectInfo;
use OSS\Model\ObjectVersionInfo;
use OSS\Model\ObjectVersionListInfo;
use OSS\Model\PrefixInfo;
use OSS\OssClient;
use OSS\Tests\Support\Emulator;
use PHPUnit\Framework\TestCase;

/**
 * Bucket versioning (putBucketVersioning, getBucketVersioning, listObjectVersions, deleteObjectVersions, and the
 * versionId option of getObject, deleteObject and copyObject) against the emulator, each test in a bucket of its own.
 */
final class VersioningTest extends TestCase
{
    private OssClient $client;
    private string $bucket;

    protected function setUp(): void
    {
        $this->client = new OssClient(Emulator::KEY_ID, Emulator::KEY_SECRET, Emulator::get()->endpoint());
        $this->bucket = 'versions-' . bin2hex(random_bytes(4));
        $this->client->createBucket($this->bucket);
    }

    private static function assertOssError(string $code, string $status, callable $call): OssException
    {
        try {
            $call();
        } catch (OssException $e) {
            self::assertSame([$code, $status], [$e->getErrorCode(), $e->getHTTPStatus()], $e->getMessage());
            return $e;
        }
        self::fail("no $code");
    }

    /**
     * The requests the emulator logged for this test's bucket with $method and sub-resource $sub.
     *
     * @return list<array<string, mixed>>
     */
    private function sent(string $method, string $sub): array
    {
        return array_values(array_filter(Emulator::get()->requests(), fn ($r) => $r['method'] === $method
            && $r['path'] === '/' . $this->bucket . '/'
            && in_array($sub, array_map(fn ($p) => explode('=', $p)[0], explode('&', $r['query'])), true)));
    }

    private function enable(): void
    {
        $this->client->putBucketVersioning($this->bucket, 'Enabled');
    }

    public function testTheStatusIsNullUntilSetThenEnabledOrSuspended(): void
    {
        self::assertNull($this->client->getBucketVersioning($this->bucket));
        $result = $this->client->putBucketVersioning($this->bucket, 'Enabled');
        self::assertSame(200, $result['info']['http_code']);
        self::assertSame('Enabled', $this->client->getBucketVersioning($this->bucket));
        $this->client->putBucketVersioning($this->bucket, 'Suspended');
        self::assertSame('Suspended', $this->client->getBucketVersioning($this->bucket));
        self::assertOssError('MalformedXML', '400', fn () => $this->client->putBucketVersioning($this->bucket, 'Off'));
        self::assertSame('Suspended', $this->client->getBucketVersioning($this->bucket));
        self::assertCount(3, $this->sent('PUT', 'versioning'));
    }

    public function testEachWriteIsAVersionAndADeleteHidesThemBehindAMarker(): void
    {
        $this->enable();
        $first = $this->client->putObject($this->bucket, 'doc.txt', 'one');
        $second = $this->client->putObject($this->bucket, 'doc.txt', 'two');
        $v1 = $first['x-oss-version-id'];
        $v2 = $second['x-oss-version-id'];
        self::assertNotSame($v1, $v2);
        self::assertSame('two', $this->client->getObject($this->bucket, 'doc.txt'));
        self::assertSame('one', $this->client->getObject($this->bucket, 'doc.txt', [OssClient::OSS_VERSION_ID => $v1]));
        $head = $this->client->getObjectMeta($this->bucket, 'doc.txt', [OssClient::OSS_VERSION_ID => $v1]);
        self::assertSame($v1, $head['x-oss-version-id']);
        self::assertSame('3', $head['content-length']);

        $deleted = $this->client->deleteObject($this->bucket, 'doc.txt');
        self::assertSame(204, $deleted['info']['http_code']);
        self::assertSame('true', $deleted['x-oss-delete-marker']);
        $marker = $deleted['x-oss-version-id'];
        self::assertFalse($this->client->doesObjectExist($this->bucket, 'doc.txt'));
        self::assertOssError('NoSuchKey', '404', fn () => $this->client->getObject($this->bucket, 'doc.txt'));
        self::assertOssError('MethodNotAllowed', '405', fn () => $this->client->getObject(
            $this->bucket,
            'doc.txt',
            [OssClient::OSS_VERSION_ID => $marker]
        ));
        self::assertOssError('NoSuchVersion', '404', fn () => $this->client->getObject(
            $this->bucket,
            'doc.txt',
            [OssClient::OSS_VERSION_ID => 'CAEQ000000000000DEADBEEF']
        ));
        self::assertSame('two', $this->client->getObject($this->bucket, 'doc.txt', [OssClient::OSS_VERSION_ID => $v2]));
        self::assertSame([], $this->client->listObjects($this->bucket)->getObjectList());

        $list = $this->client->listObjectVersions($this->bucket);
        self::assertInstanceOf(ObjectVersionListInfo::class, $list);
        self::assertSame($this->bucket, $list->getBucketName());
        self::assertSame('false', $list->getIsTruncated());
        $markers = $list->getDeleteMarkerList();
        self::assertCount(1, $markers);
        self::assertInstanceOf(DeleteMarkerInfo::class, $markers[0]);
        self::assertSame(['doc.txt', $marker, 'true'], [
            $markers[0]->getKey(), $markers[0]->getVersionId(), $markers[0]->getIsLatest(),
        ]);
        $versions = $list->getObjectVersionList();
        self::assertContainsOnlyInstancesOf(ObjectVersionInfo::class, $versions);
        self::assertSame([[$v2, 'false', 3], [$v1, 'false', 3]], array_map(
            fn (ObjectVersionInfo $v) => [$v->getVersionId(), $v->getIsLatest(), $v->getSize()],
            $versions
        ));
        self::assertSame('"' . strtoupper(md5('two')) . '"', $versions[0]->getETag());
        self::assertSame(['Normal', 'Standard'], [$versions[0]->getType(), $versions[0]->getStorageClass()]);

        // Deleting the marker for good brings the newest version back.
        $this->client->deleteObject($this->bucket, 'doc.txt', [OssClient::OSS_VERSION_ID => $marker]);
        self::assertSame('two', $this->client->getObject($this->bucket, 'doc.txt'));
        // Deleting a version for good removes its bytes; the other version becomes current.
        $this->client->deleteObject($this->bucket, 'doc.txt', [OssClient::OSS_VERSION_ID => $v2]);
        self::assertSame('one', $this->client->getObject($this->bucket, 'doc.txt'));
        self::assertSame([[$v1, 'one']], Emulator::get()->objectVersions($this->bucket, 'doc.txt'));
    }

    public function testAnOlderVersionIsCopiedBackOverTheCurrentOne(): void
    {
        $this->enable();
        $v1 = $this->client->putObject($this->bucket, 'page.html', 'old')['x-oss-version-id'];
        $this->client->putObject($this->bucket, 'page.html', 'new');
        $copy = $this->client->copyObject($this->bucket, 'page.html', $this->bucket, 'page.html', [
            OssClient::OSS_VERSION_ID => $v1,
        ]);
        self::assertSame($v1, $copy['x-oss-copy-source-version-id']);
        self::assertSame('old', $this->client->getObject($this->bucket, 'page.html'));
        self::assertCount(3, $this->client->listObjectVersions($this->bucket)->getObjectVersionList());
    }

    public function testAnObjectFromBeforeVersioningIsTheNullVersionWhichSuspendedWritesReplace(): void
    {
        $this->client->putObject($this->bucket, 'a.txt', 'before');
        self::assertArrayNotHasKey('x-oss-version-id', $this->client->getObjectMeta($this->bucket, 'a.txt'));
        $this->enable();
        self::assertSame('null', $this->client->getObjectMeta($this->bucket, 'a.txt')['x-oss-version-id']);
        $this->client->putObject($this->bucket, 'a.txt', 'enabled');
        $this->client->putBucketVersioning($this->bucket, 'Suspended');
        self::assertSame('null', $this->client->putObject($this->bucket, 'a.txt', 'suspended')['x-oss-version-id']);
        $versions = $this->client->listObjectVersions($this->bucket)->getObjectVersionList();
        self::assertSame(['null', 'true'], [$versions[0]->getVersionId(), $versions[0]->getIsLatest()]);
        self::assertCount(2, $versions, 'the null version was replaced, the Enabled one kept');
        self::assertSame('suspended', $this->client->getObject($this->bucket, 'a.txt', [OssClient::OSS_VERSION_ID => 'null']));
        $bytes = array_column(Emulator::get()->objectVersions($this->bucket, 'a.txt'), 1);
        self::assertSame(['suspended', 'enabled'], $bytes);
    }

    public function testListingPagesWithKeyAndVersionMarkersGroupsPrefixesAndDecodesKeys(): void
    {
        $this->enable();
        $ids = [];
        foreach (['a+b &c.txt', 'b.txt', 'dir/x.txt', 'dir/y.txt'] as $key) {
            foreach (['1', '2'] as $body) {
                $ids[$key][] = $this->client->putObject($this->bucket, $key, $body)['x-oss-version-id'];
            }
        }
        $page = $this->client->listObjectVersions($this->bucket, [OssClient::OSS_MAX_KEYS => 3]);
        self::assertSame(['true', 3], [$page->getIsTruncated(), $page->getMaxKeys()]);
        self::assertSame(
            [['a+b &c.txt', $ids['a+b &c.txt'][1]], ['a+b &c.txt', $ids['a+b &c.txt'][0]], ['b.txt', $ids['b.txt'][1]]],
            array_map(fn ($v) => [$v->getKey(), $v->getVersionId()], $page->getObjectVersionList())
        );
        self::assertSame(['b.txt', $ids['b.txt'][1]], [$page->getNextKeyMarker(), $page->getNextVersionIdMarker()]);
        $next = $this->client->listObjectVersions($this->bucket, [
            OssClient::OSS_KEY_MARKER => $page->getNextKeyMarker(),
            OssClient::OSS_VERSION_ID_MARKER => $page->getNextVersionIdMarker(),
        ]);
        self::assertSame('false', $next->getIsTruncated());
        self::assertSame('/', $next->getDelimiter());
        self::assertSame([['b.txt', $ids['b.txt'][0], 'false']], array_map(
            fn ($v) => [$v->getKey(), $v->getVersionId(), $v->getIsLatest()],
            $next->getObjectVersionList()
        ));
        self::assertSame(['dir/'], array_map(fn (PrefixInfo $p) => $p->getPrefix(), $next->getPrefixList()));
        $dir = $this->client->listObjectVersions($this->bucket, [OssClient::OSS_PREFIX => 'dir/']);
        self::assertSame(['dir/x.txt', 'dir/x.txt', 'dir/y.txt', 'dir/y.txt'], array_map(
            fn ($v) => $v->getKey(),
            $dir->getObjectVersionList()
        ));
        self::assertOssError('InvalidArgument', '400', fn () => $this->client->listObjectVersions($this->bucket, [
            OssClient::OSS_VERSION_ID_MARKER => $ids['b.txt'][0],
        ]));
    }

    public function testDeleteObjectVersionsDeletesVersionsForGoodAndAddsOrRemovesMarkers(): void
    {
        $this->enable();
        $v1 = $this->client->putObject($this->bucket, 'k1', 'x')['x-oss-version-id'];
        $v2 = $this->client->putObject($this->bucket, 'k1', 'y')['x-oss-version-id'];
        $this->client->putObject($this->bucket, 'k 2&<>', 'z');
        $deleted = $this->client->deleteObjectVersions($this->bucket, [
            new DeleteObjectInfo('k1', $v1),
            new DeleteObjectInfo('k 2&<>'),
        ]);
        self::assertContainsOnlyInstancesOf(DeletedObjectInfo::class, $deleted);
        self::assertSame(['k1', $v1, '', ''], [
            $deleted[0]->getKey(), $deleted[0]->getVersionId(), $deleted[0]->getDeleteMarker(),
            $deleted[0]->getDeleteMarkerVersionId(),
        ]);
        self::assertSame(['k 2&<>', '', 'true'], [
            $deleted[1]->getKey(), $deleted[1]->getVersionId(), $deleted[1]->getDeleteMarker(),
        ]);
        $marker = $deleted[1]->getDeleteMarkerVersionId();
        self::assertNotSame('', $marker);
        self::assertSame('y', $this->client->getObject($this->bucket, 'k1'));
        self::assertFalse($this->client->doesObjectExist($this->bucket, 'k 2&<>'));

        $again = $this->client->deleteObjectVersions($this->bucket, [new DeleteObjectInfo('k 2&<>', $marker)]);
        self::assertSame([$marker, 'true', $marker], [
            $again[0]->getVersionId(), $again[0]->getDeleteMarker(), $again[0]->getDeleteMarkerVersionId(),
        ]);
        self::assertSame('z', $this->client->getObject($this->bucket, 'k 2&<>'));
        self::assertSame([], $this->client->deleteObjectVersions(
            $this->bucket,
            [new DeleteObjectInfo('k1', $v2)],
            ['quiet' => true]
        ));
        self::assertFalse($this->client->doesObjectExist($this->bucket, 'k1'));
        self::assertSame([], Emulator::get()->objectVersions($this->bucket, 'k1'));

        self::assertCount(3, $this->sent('POST', 'delete'));
    }

    public function testDeleteObjectVersionsRefusesWhatItCannotSendBeforeAnyRequest(): void
    {
        $before = Emulator::get()->requestCount();
        foreach ([[], 'k1', [new \stdClass()], [new DeleteObjectInfo('')], [new DeleteObjectInfo("a\r\nb")]] as $bad) {
            try {
                $this->client->deleteObjectVersions($this->bucket, $bad);
                self::fail('accepted ' . json_encode($bad));
            } catch (OssException $e) {
                self::assertSame('', $e->getHTTPStatus());
            }
        }
        self::assertSame($before, Emulator::get()->requestCount());
    }

    public function testABucketWithVersionsLeftIsNotEmpty(): void
    {
        $this->enable();
        $v = $this->client->putObject($this->bucket, 'only', 'x')['x-oss-version-id'];
        $marker = $this->client->deleteObject($this->bucket, 'only')['x-oss-version-id'];
        self::assertSame([], $this->client->listObjects($this->bucket)->getObjectList());
        self::assertOssError('BucketNotEmpty', '409', fn () => $this->client->deleteBucket($this->bucket));
        $this->client->deleteObjectVersions($this->bucket, [
            new DeleteObjectInfo('only', $v), new DeleteObjectInfo('only', $marker),
        ]);
        $this->client->deleteBucket($this->bucket);
        self::assertFalse($this->client->doesBucketExist($this->bucket));
    }
}
