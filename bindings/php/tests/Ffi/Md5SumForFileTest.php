<?php

declare(strict_types=1);

namespace OSS\Tests\Ffi;

use OSS\Core\OssUtil;
use OSS\Tests\Support\Paths;
use PHPUnit\Framework\TestCase;

/**
 * OssUtil::getMd5SumForFile: inclusive range, '' outside the file (docs/php-sdk-behaviour.md "getMd5SumForFile"),
 * via libossrs.
 */
final class Md5SumForFileTest extends TestCase
{
    private static string $file;

    public static function setUpBeforeClass(): void
    {
        self::$file = Paths::file('md5-250000.bin', Paths::patternBytes(250000));
    }

    /** @return array<string, array{0: mixed, 1: mixed, 2: string}> */
    public function ranges(): array
    {
        return [
            'first ten bytes' => [0, 9, 'xWvVSA9uVBPLYqCtlmZhOg=='],
            'first part' => [0, 102399, 'Gg+BVH5bounEpLlKdHMZkw=='],
            'numeric strings' => ['0', '9', 'xWvVSA9uVBPLYqCtlmZhOg=='],
            'last byte' => [249999, 249999, base64_encode(md5(chr(249999 % 251), true))],
            'end past the file' => [249990, 250000, ''],
            'start past the file' => [250000, 250001, ''],
            'negative start' => [-1, 5, ''],
            'negative end' => [0, -1, ''],
            'reversed range' => [10, 5, '1B2M2Y8AsgTpgAmY7PhCfg=='],
            'array bound' => [[0], 5, ''],
        ];
    }

    /**
     * @dataProvider ranges
     * @param mixed $from
     * @param mixed $to
     */
    public function testRange($from, $to, string $expected): void
    {
        self::assertSame($expected, OssUtil::getMd5SumForFile(self::$file, $from, $to));
    }

    public function testMissingFilesAndDirectoriesGiveEmptyStringsWithoutWarnings(): void
    {
        self::assertSame('', OssUtil::getMd5SumForFile(self::$file . '.missing', 0, 1));
        self::assertSame('', OssUtil::getMd5SumForFile(Paths::scratch(), 0, 1));
        self::assertSame('', OssUtil::getMd5SumForFile(['x'], 0, 1));
    }

    public function testMatchesPhpsOwnMd5OnARandomRange(): void
    {
        $bytes = (string) file_get_contents(self::$file);
        self::assertSame(
            base64_encode(md5(substr($bytes, 12345, 100000), true)),
            OssUtil::getMd5SumForFile(self::$file, 12345, 112344)
        );
    }
}
