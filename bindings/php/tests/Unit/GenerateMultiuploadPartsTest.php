<?php

declare(strict_types=1);

namespace OSS\Tests\Unit;

use OSS\Core\OssException;
use OSS\OssClient;
use OSS\Tests\Support\UnitTestCase;

/**
 * generateMultiuploadParts: pure arithmetic with the SDK's clamping
 * (docs/php-sdk-behaviour.md "generateMultiuploadParts").
 */
final class GenerateMultiuploadPartsTest extends UnitTestCase
{
    private OssClient $client;

    protected function setUp(): void
    {
        $this->client = new OssClient('id', 'secret', 'oss-cn-hangzhou.aliyuncs.com');
    }

    public function testSplitsWithTheMinimumPartSize(): void
    {
        self::assertSame(
            [
                ['seekTo' => 0, 'length' => 102400],
                ['seekTo' => 102400, 'length' => 102400],
                ['seekTo' => 204800, 'length' => 45200],
            ],
            $this->client->generateMultiuploadParts(250000, 102400)
        );
    }

    public function testDefaultPartSizeAndAOneByteRemainder(): void
    {
        self::assertSame(
            [['seekTo' => 0, 'length' => 5242880], ['seekTo' => 5242880, 'length' => 1]],
            $this->client->generateMultiuploadParts(5242881)
        );
    }

    public function testEmptyFileHasNoParts(): void
    {
        self::assertSame([], $this->client->generateMultiuploadParts(0));
    }

    public function testSmallPartSizesAreRaisedAndHugeOnesCapped(): void
    {
        self::assertSame([['seekTo' => 0, 'length' => 1000]], $this->client->generateMultiuploadParts(1000, 1));
        self::assertCount(2, $this->client->generateMultiuploadParts(102401, 'not a number'));
        self::assertSame(
            [['seekTo' => 0, 'length' => 5368709120], ['seekTo' => 5368709120, 'length' => 1]],
            $this->client->generateMultiuploadParts(5368709121, 10 * 5368709120)
        );
    }

    public function testNumericStringSizeAndTheSeedSampleSplit(): void
    {
        $parts = $this->client->generateMultiuploadParts('25165824', 10 * 1024 * 1024);
        self::assertSame([0, 10485760, 20971520], array_column($parts, 'seekTo'));
        self::assertSame([10485760, 10485760, 4194304], array_column($parts, 'length'));
    }

    public function testNonNumericFileSizeIsRefused(): void
    {
        $this->expectException(OssException::class);
        $this->expectExceptionMessage('file size must be a number, array given');
        $this->client->generateMultiuploadParts([1]);
    }
}
