<?php

declare(strict_types=1);

namespace OSS\Tests\Ffi;

use OSS\Core\OssException;
use OSS\Model\BucketInfo;
use OSS\Model\BucketListInfo;
use OSS\Model\BucketStat;
use OSS\OssClient;
use OSS\Tests\Support\Emulator;
use PHPUnit\Framework\TestCase;

/**
 * The bucket methods (createBucket, listBuckets, getBucketInfo, putBucketAcl, getBucketStat, deleteBucket) against
 * the emulator: the SDK's return shapes and the state they leave.
 */
final class BucketOperationsTest extends TestCase
{
    private OssClient $client;
    private string $bucket;

    protected function setUp(): void
    {
        $this->client = new OssClient(Emulator::KEY_ID, Emulator::KEY_SECRET, Emulator::get()->endpoint());
        $this->bucket = 'made-' . bin2hex(random_bytes(4));
    }

    private static function assertOssError(string $code, string $status, callable $call): void
    {
        try {
            $call();
            self::fail("no $code");
        } catch (OssException $e) {
            self::assertSame([$code, $status], [$e->getErrorCode(), $e->getHTTPStatus()], $e->getMessage());
        }
    }

    public function testABucketIsCreatedDescribedListedChangedAndDeleted(): void
    {
        $result = $this->client->createBucket($this->bucket, OssClient::OSS_ACL_TYPE_PUBLIC_READ, [
            OssClient::OSS_STORAGE => OssClient::OSS_STORAGE_IA,
        ]);
        self::assertSame(200, $result['info']['http_code']);
        self::assertOssError('BucketAlreadyExists', '409', fn () => $this->client->createBucket($this->bucket));
        self::assertTrue($this->client->doesBucketExist($this->bucket));

        $info = $this->client->getBucketInfo($this->bucket);
        self::assertInstanceOf(BucketInfo::class, $info);
        self::assertSame($this->bucket, $info->getName());
        self::assertSame('IA', $info->getStorageClass());
        self::assertSame('oss-' . Emulator::REGION, $info->getLocation());
        self::assertSame(Emulator::REGION, $info->getRegion());
        self::assertSame('oss-' . Emulator::REGION . '.aliyuncs.com', $info->getExtranetEndpoint());
        self::assertSame('oss-' . Emulator::REGION . '-internal.aliyuncs.com', $info->getIntranetEndpoint());
        self::assertMatchesRegularExpression('/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/', $info->getCreateDate());
        self::assertSame('public-read', $this->client->getBucketAcl($this->bucket));
        $this->client->putBucketAcl($this->bucket, OssClient::OSS_ACL_TYPE_PRIVATE);
        self::assertSame('private', $this->client->getBucketAcl($this->bucket));

        $list = $this->client->listBuckets();
        self::assertInstanceOf(BucketListInfo::class, $list);
        $names = array_map(fn (BucketInfo $b) => $b->getName(), $list->getBucketList());
        self::assertContains(Emulator::BUCKET, $names);
        self::assertContains($this->bucket, $names);
        $sorted = $names;
        sort($sorted, SORT_STRING);
        self::assertSame($sorted, $names);
        $one = $this->client->listBuckets([OssClient::OSS_QUERY_STRING => ['prefix' => $this->bucket]]);
        self::assertSame([$this->bucket], array_map(fn (BucketInfo $b) => $b->getName(), $one->getBucketList()));

        $this->client->putObject($this->bucket, 'a', '12345');
        $this->client->putObject($this->bucket, 'b', '678');
        $upload = $this->client->initiateMultipartUpload($this->bucket, 'c');
        $stat = $this->client->getBucketStat($this->bucket);
        self::assertInstanceOf(BucketStat::class, $stat);
        self::assertSame([8, 2, 1, 8, 2, 0], [
            $stat->getStorage(), $stat->getObjectCount(), $stat->getMultipartUploadCount(),
            $stat->getStandardStorage(), $stat->getStandardObjectCount(), $stat->getArchiveObjectCount(),
        ]);
        self::assertGreaterThan(time() - 600, $stat->getLastModifiedTime());

        self::assertOssError('BucketNotEmpty', '409', fn () => $this->client->deleteBucket($this->bucket));
        $this->client->deleteObjects($this->bucket, ['a', 'b']);
        self::assertOssError('BucketNotEmpty', '409', fn () => $this->client->deleteBucket($this->bucket));
        $this->client->abortMultipartUpload($this->bucket, 'c', $upload);
        $result = $this->client->deleteBucket($this->bucket);
        self::assertSame(204, $result['info']['http_code']);
        self::assertFalse($this->client->doesBucketExist($this->bucket));
        self::assertOssError('NoSuchBucket', '404', fn () => $this->client->getBucketInfo($this->bucket));
    }

    public function testBadArgumentsAreRefusedBeforeAnyRequest(): void
    {
        $before = Emulator::get()->requestCount();
        foreach ([
            'bad acl' => fn () => $this->client->createBucket($this->bucket, 'everyone'),
            'bad storage' => fn () => $this->client->createBucket($this->bucket, 'private', [
                OssClient::OSS_STORAGE => 'Glacier',
            ]),
            'bad bucket' => fn () => $this->client->createBucket('Bad_Name'),
            'bad put acl' => fn () => $this->client->putBucketAcl(Emulator::BUCKET, 'open'),
        ] as $case => $call) {
            try {
                $call();
                self::fail("$case was sent");
            } catch (OssException $e) {
                self::assertSame('', $e->getHTTPStatus(), $case);
            }
        }
        self::assertSame($before, Emulator::get()->requestCount());
        $cname = new OssClient(Emulator::KEY_ID, Emulator::KEY_SECRET, Emulator::get()->endpoint(), true);
        try {
            $cname->listBuckets();
            self::fail('listed buckets through a CNAME');
        } catch (OssException $e) {
            self::assertSame('operation is not permitted with CName host', $e->getMessage());
        }
    }
}
