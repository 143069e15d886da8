<?php

declare(strict_types=1);

namespace OSS\Tests\Unit;

use OSS\Core\OssUtil;
use OSS\OssClient;
use OSS\Tests\Support\UnitTestCase;

/** The class constants apps read, with the SDK's exact values (docs/php-sdk-behaviour.md "Constants"). */
final class ConstantsTest extends UnitTestCase
{
    /** @return array<string, array{0: string, 1: string|int}> */
    public function clientConstants(): array
    {
        $expected = [
            'OSS_CALLBACK' => 'x-oss-callback', 'OSS_CALLBACK_VAR' => 'x-oss-callback-var',
            'OSS_FILE_UPLOAD' => 'fileUpload', 'OSS_FILE_DOWNLOAD' => 'fileDownload', 'OSS_PART_NUM' => 'partNumber',
            'OSS_PART_SIZE' => 'partSize', 'OSS_SEEK_TO' => 'seekTo', 'OSS_LENGTH' => 'length',
            'OSS_CHECK_MD5' => 'checkmd5', 'OSS_CONTENT_MD5' => 'Content-Md5', 'OSS_CONTENT_TYPE' => 'Content-Type',
            'OSS_CONTENT_LENGTH' => 'Content-Length', 'OSS_HEADERS' => 'headers', 'OSS_CONTENT' => 'content',
            'OSS_UPLOAD_ID' => 'uploadId', 'OSS_DATE' => 'Date', 'OSS_HOST' => 'Host',
            'OSS_QUERY_STRING' => 'query_string', 'OSS_SUB_RESOURCE' => 'sub_resource',
            'OSS_ADDITIONAL_HEADERS' => 'additionalHeaders', 'OSS_BUCKET' => 'bucket', 'OSS_OBJECT' => 'object',
            'OSS_METHOD' => 'method', 'OSS_VERSION_ID' => 'versionId', 'OSS_PROCESS' => 'x-oss-process',
            'OSS_TRAFFIC_LIMIT' => 'x-oss-traffic-limit', 'OSS_STORAGE' => 'storage', 'OSS_SIZE' => 'size',
            'OSS_ACL' => 'x-oss-acl', 'OSS_OBJECT_ACL' => 'x-oss-object-acl',
            'OSS_SECURITY_TOKEN' => 'x-oss-security-token', 'OSS_REQUEST_PAYER' => 'x-oss-request-payer',
            'OSS_CACHE_CONTROL' => 'Cache-Control', 'OSS_EXPIRES' => 'Expires',
            'OSS_CONTENT_DISPOSTION' => 'Content-Disposition', 'OSS_CONTENT_COING' => 'Content-Coding',
            'OSS_IF_MATCH' => 'If-Match', 'OSS_IF_NONE_MATCH' => 'If-None-Match',
            'OSS_IF_MODIFIED_SINCE' => 'If-Modified-Since', 'OSS_IF_UNMODIFIED_SINCE' => 'If-Unmodified-Since',
            'OSS_RANGE' => 'range', 'OSS_ACCEPT_ENCODING' => 'Accept-Encoding', 'OSS_SELF_CONTENT_MD5' => 'x-oss-meta-md5',
            'OSS_OBJECT_COPY_SOURCE' => 'x-oss-copy-source', 'OSS_OBJECT_COPY_SOURCE_RANGE' => 'x-oss-copy-source-range',
            'OSS_SYMLINK_TARGET' => 'x-oss-symlink-target', 'OSS_HEADER_VERSION_ID' => 'x-oss-version-id',
            'OSS_DEFAULT_PREFIX' => 'x-oss-', 'OSS_INFO' => 'info', 'OSS_HTTP_CODE' => 'http_code', 'OSS_BODY' => 'body',
            'OSS_REQUEST_ID' => 'x-oss-request-id', 'OSS_ETAG' => 'etag', 'OSS_LAST_MODIFIED' => 'lastmodified',
            'OSS_MIN_PART_SIZE' => 102400, 'OSS_MID_PART_SIZE' => 10485760, 'OSS_MAX_PART_SIZE' => 5368709120,
            'OSS_FILE_SLICE_SIZE' => 8192, 'OSS_MAX_OBJECT_GROUP_VALUE' => 1000, 'OSS_MAX_KEYS_VALUE' => 100,
            'DEFAULT_CONTENT_TYPE' => 'application/octet-stream', 'OSS_HTTP_GET' => 'GET', 'OSS_HTTP_PUT' => 'PUT',
            'OSS_HTTP_HEAD' => 'HEAD', 'OSS_HTTP_POST' => 'POST', 'OSS_HTTP_DELETE' => 'DELETE',
            'OSS_HTTP_OPTIONS' => 'OPTIONS', 'OSS_ACL_TYPE_PRIVATE' => 'private',
            'OSS_ACL_TYPE_PUBLIC_READ' => 'public-read', 'OSS_ACL_TYPE_PUBLIC_READ_WRITE' => 'public-read-write',
            'OSS_STORAGE_STANDARD' => 'Standard', 'OSS_STORAGE_IA' => 'IA', 'OSS_STORAGE_ARCHIVE' => 'Archive',
            'OSS_STORAGE_COLDARCHIVE' => 'ColdArchive', 'OSS_NAME' => 'aliyun-sdk-php', 'OSS_VERSION' => '2.7.3',
            'OSS_BUILD' => '20260626', 'OSS_SIGNATURE_VERSION_V1' => 'v1', 'OSS_SIGNATURE_VERSION_V4' => 'v4',
            'OSS_DEFAULT_PRODUCT' => 'oss', 'OSS_CLOUDBOX_PRODUCT' => 'oss-cloudbox',
            'OSS_HOST_TYPE_NORMAL' => 'normal', 'OSS_HOST_TYPE_IP' => 'ip', 'OSS_HOST_TYPE_SPECIAL' => 'special',
            'OSS_HOST_TYPE_CNAME' => 'cname', 'OSS_HOST_TYPE_PATH_STYLE' => 'path-style', 'OSS_MULTI_PART' => 'uploads',
            'OSS_MULTI_DELETE' => 'delete', 'OSS_ENCODING_TYPE' => 'encoding-type', 'OSS_ENCODING_TYPE_URL' => 'url',
        ];
        $cases = [];
        foreach ($expected as $name => $value) {
            $cases[$name] = [$name, $value];
        }
        return $cases;
    }

    /**
     * @dataProvider clientConstants
     * @param string|int $value
     */
    public function testOssClientConstant(string $name, $value): void
    {
        self::assertSame($value, constant(OssClient::class . '::' . $name));
    }

    public function testConstantsAreReadableThroughAnInstance(): void
    {
        $client = new OssClient('id', 'secret', 'http://127.0.0.1:1');
        self::assertSame('seekTo', $client::OSS_SEEK_TO);
        self::assertSame('checkmd5', $client::OSS_CHECK_MD5);
    }

    public function testOssrsOwnMultiuploadOptionKeysDoNotCollideWithTheSdks(): void
    {
        self::assertSame('ossrs.parallelism', OssClient::OSSRS_PARALLELISM);
        self::assertSame('ossrs.progress', OssClient::OSSRS_PROGRESS);
        self::assertSame('ossrs.checkpoint', OssClient::OSSRS_CHECKPOINT);
        self::assertSame(64, OssClient::OSSRS_MAX_PARALLELISM);
        $sdkValues = array_filter(
            (new \ReflectionClass(OssClient::class))->getConstants(),
            static fn (string $name): bool => strpos($name, 'OSSRS_') !== 0,
            ARRAY_FILTER_USE_KEY
        );
        self::assertNotContains(OssClient::OSSRS_PARALLELISM, $sdkValues);
        self::assertNotContains(OssClient::OSSRS_PROGRESS, $sdkValues);
        self::assertNotContains(OssClient::OSSRS_CHECKPOINT, $sdkValues);
    }

    public function testAclTypesAndOssUtilConstants(): void
    {
        self::assertSame(['private', 'public-read', 'public-read-write'], OssClient::$OSS_ACL_TYPES);
        self::assertSame('content', OssUtil::OSS_CONTENT);
        self::assertSame('length', OssUtil::OSS_LENGTH);
        self::assertSame('headers', OssUtil::OSS_HEADERS);
        self::assertSame(102400, OssUtil::OSS_MIN_PART_SIZE);
        self::assertSame(10485760, OssUtil::OSS_MID_PART_SIZE);
        self::assertSame(5368709120, OssUtil::OSS_MAX_PART_SIZE);
    }
}
