<?php

declare(strict_types=1);

namespace OSS\Tests\Unit;

use OSS\Tests\Support\Paths;
use OSS\Tests\Support\UnitTestCase;

/**
 * The two samples of Aliyun's upload-callback page in php-example/samples/ are the page's code blocks byte for
 * byte, except that each "<your...>" placeholder is replaced by a getenv() call. The page is read from
 * /work/shared/seed/upload-callback.md when it exists, else from the committed copy next to the samples.
 */
final class SampleFidelityTest extends UnitTestCase
{
    /** Every allowed difference: placeholder text => its replacement. */
    private const REPLACEMENTS = [
        '"<yourAccessKeyId>"' => 'getenv("OSS_ACCESS_KEY_ID")',
        '"<yourAccessKeySecret>"' => 'getenv("OSS_ACCESS_KEY_SECRET")',
        '"<yourBucketName>"' => 'getenv("OSS_BUCKET")',
        '"<yourObjectName>"' => 'getenv("OSS_OBJECT")',
        '"<yourLocalFile>"' => 'getenv("OSS_UPLOAD_FILE")',
        // Inside the single-quoted callback JSON: leave the string, call getenv(), continue it.
        '<yourCallbackServerUrl>' => '\' . getenv("OSS_CALLBACK_URL") . \'',
        '<yourCallbackServerHost>' => '\' . getenv("OSS_CALLBACK_HOST") . \'',
    ];

    private const SAMPLES = ['put_object_callback.php', 'multipart_callback.php'];

    public static function pagePath(): string
    {
        $seed = '/work/shared/seed/upload-callback.md';
        return is_file($seed) ? $seed : dirname(Paths::package(), 2) . '/php-example/samples/upload-callback.md';
    }

    /** @return list<string> the page's PHP code blocks, in page order */
    public static function codeBlocks(string $page): array
    {
        preg_match_all('/^```language-php\n(.*?)^```$/ms', $page, $matches);
        return $matches[1];
    }

    public function testEachSampleIsTheCodeBlockWithOnlyThePlaceholdersReplaced(): void
    {
        $blocks = self::codeBlocks((string) file_get_contents(self::pagePath()));
        self::assertCount(2, $blocks, 'the page has two PHP code blocks');
        foreach (self::SAMPLES as $i => $sample) {
            self::assertStringContainsString('<your', $blocks[$i]);
            $expected = strtr($blocks[$i], self::REPLACEMENTS);
            self::assertStringNotContainsString('<your', $expected, 'every placeholder has a replacement');
            $path = dirname(Paths::package(), 2) . '/php-example/samples/' . $sample;
            self::assertSame($expected, file_get_contents($path), $sample . ' differs from the page');
        }
    }

    public function testTheCommittedPageCopyIsCurrent(): void
    {
        $copy = dirname(Paths::package(), 2) . '/php-example/samples/upload-callback.md';
        if (self::pagePath() === $copy) {
            self::markTestSkipped('the original page is not on this machine');
        }
        self::assertFileEquals(self::pagePath(), $copy);
    }

    public function testSamplesKeepTheHardCodedEndpoint(): void
    {
        foreach (self::SAMPLES as $sample) {
            $code = (string) file_get_contents(dirname(Paths::package(), 2) . '/php-example/samples/' . $sample);
            self::assertStringContainsString('$endpoint = "http://oss-cn-hangzhou.aliyuncs.com";', $code);
        }
    }
}
