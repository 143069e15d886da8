<?php

declare(strict_types=1);

namespace OSS\Tests\Unit;

use OSS\Core\OptionsMapper;
use OSS\Core\OssException;
use OSS\OssClient;
use OSS\Tests\Support\UnitTestCase;

/** How SDK option arrays become libossrs headers and query parameters (docs/php-sdk-behaviour.md "Options"). */
final class OptionsMapperTest extends UnitTestCase
{
    public function testHeadersFollowTheSdkOrderAndDropEmptyValues(): void
    {
        $request = OptionsMapper::map([
            OssClient::OSS_HEADERS => [
                'x-oss-meta-zero' => '0',
                'x-oss-meta-blank' => '   ',
                'x-oss-meta-null' => null,
                'x-oss-meta-false' => false,
                'x-oss-meta-true' => true,
                'x-oss-meta-int' => 42,
                'Cache-Control' => " no-cache\r\n",
            ],
            OssClient::OSS_CONTENT_MD5 => 'md5',
            OssClient::OSS_DATE => 'Wed, 28 Dec 2022 10:27:41 GMT',
            OssClient::OSS_CONTENT_TYPE => ' text/plain ',
        ], true, true);
        self::assertSame([
            ['Content-Type', 'text/plain'],
            ['Date', 'Wed, 28 Dec 2022 10:27:41 GMT'],
            ['Content-Md5', 'md5'],
            ['x-oss-meta-true', '1'],
            ['x-oss-meta-int', '42'],
            ['Cache-Control', 'no-cache'],
        ], $request->headers);
        self::assertFalse($request->checkMd5);
    }

    public function testContentTypeAndMd5CanBeLeftToTheOperation(): void
    {
        $request = OptionsMapper::map([
            OssClient::OSS_CONTENT_TYPE => 'text/plain',
            OssClient::OSS_CONTENT_MD5 => 'md5',
        ], false, false);
        self::assertSame([], $request->headers);
        self::assertTrue($request->isEmpty());
    }

    public function testQueryParametersFromTopLevelKeysAndQueryString(): void
    {
        $request = OptionsMapper::map([
            OssClient::OSS_TRAFFIC_LIMIT => 819200,
            OssClient::OSS_QUERY_STRING => ['a' => 'b', 'bare' => '', 'skipped' => ['x']],
            'max-parts' => 10,
            OssClient::OSS_PART_NUM => 3,
        ], true, false, ['max-parts']);
        self::assertSame([['x-oss-traffic-limit', '819200'], ['max-parts', '10'], ['a', 'b'], ['bare', '']], $request->query);
        $listParts = OptionsMapper::map([OssClient::OSS_QUERY_STRING => ['a' => 'b']], true, false, [], false);
        self::assertSame([], $listParts->query);
    }

    public function testCallbacksAreTextOrAbsent(): void
    {
        self::assertNull(OptionsMapper::nonEmptyText([], OssClient::OSS_CALLBACK));
        self::assertNull(OptionsMapper::nonEmptyText([OssClient::OSS_CALLBACK => ''], OssClient::OSS_CALLBACK));
        self::assertSame('{}', OptionsMapper::nonEmptyText([OssClient::OSS_CALLBACK => '{}'], OssClient::OSS_CALLBACK));
        $this->expectException(OssException::class);
        OptionsMapper::nonEmptyText([OssClient::OSS_CALLBACK => new \stdClass()], OssClient::OSS_CALLBACK);
    }

    public function testStringableValuesAreAccepted(): void
    {
        $value = new class () {
            public function __toString(): string
            {
                return 'v';
            }
        };
        self::assertSame([['x-oss-meta-s', 'v']], OptionsMapper::map([OssClient::OSS_HEADERS => ['x-oss-meta-s' => $value]], true, true)->headers);
    }
}
