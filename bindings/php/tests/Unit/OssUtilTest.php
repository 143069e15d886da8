<?php

declare(strict_types=1);

namespace OSS\Tests\Unit;

use OSS\Core\OssException;
use OSS\Core\OssUtil;
use OSS\Tests\Support\UnitTestCase;

/**
 * The OssUtil helpers of the official SDK (2.7.x), except getMd5SumForFile (libossrs, see tests/Ffi): same
 * names and parameters, the SDK's results for valid input, an OssException instead of a warning or TypeError.
 */
final class OssUtilTest extends UnitTestCase
{
    private const XML_UTF8 = '<?xml version="1.0" encoding="utf-8"?>' . "\n";

    private ?string $dir = null;

    protected function tearDown(): void
    {
        if ($this->dir !== null) {
            self::removeTree($this->dir);
            $this->dir = null;
        }
    }

    /** @return array<string, array{0: list<array{0: string, 1?: string}>}> official parameter lists */
    public function officialMethods(): array
    {
        $methods = [
            'toQueryString' => [['options', 'array (\n)']],
            'sReplace' => [['subject']],
            'chkChinese' => [['str']],
            'isGb2312' => [['str']],
            'checkChar' => [['str'], ['gbk', 'true']],
            'validateBucket' => [['bucket']],
            'validateObject' => [['object']],
            'startsWith' => [['str'], ['findMe']],
            'createBucketXmlBody' => [['storageClass']],
            'validateOptions' => [['options']],
            'validateContent' => [['content']],
            'throwOssExceptionWithMessageIfEmpty' => [['name'], ['errMsg']],
            'generateFile' => [['filename'], ['size']],
            'getMd5SumForFile' => [['filename'], ['from_pos'], ['to_pos']],
            'isWin' => [],
            'encodePath' => [['file_path']],
            'isIPFormat' => [['endpoint']],
            'getHostPortFromEndpoint' => [['endpoint']],
            'createDeleteObjectsXmlBody' => [['objects'], ['quiet']],
            'createDeleteObjectVersionsXmlBody' => [['objects'], ['quiet']],
            'createCompleteMultipartUploadXmlBody' => [['listParts']],
            'readDir' => [['dir'], ['exclude', "'.|..|.svn|.git'"], ['recursive', 'false']],
            'decodeKey' => [['key'], ['encoding']],
            'unparseUrl' => [['parsed_url']],
        ];
        $cases = [];
        foreach ($methods as $name => $params) {
            $cases[$name] = [$name, $params];
        }
        return $cases;
    }

    /**
     * @dataProvider officialMethods
     * @param list<array{0: string, 1?: string}> $params
     */
    public function testOfficialStaticMethodWithItsParameters(string $name, array $params): void
    {
        $method = new \ReflectionMethod(OssUtil::class, $name);
        self::assertTrue($method->isPublic() && $method->isStatic(), $name);
        $actual = [];
        foreach ($method->getParameters() as $p) {
            $actual[] = $p->isDefaultValueAvailable()
                ? [$p->getName(), str_replace("\n", '\n', var_export($p->getDefaultValue(), true))]
                : [$p->getName()];
        }
        self::assertSame($params, $actual, $name);
    }

    public function testOfficialConstants(): void
    {
        self::assertSame([
            'OSS_CONTENT' => 'content',
            'OSS_LENGTH' => 'length',
            'OSS_HEADERS' => 'headers',
            'OSS_MAX_OBJECT_GROUP_VALUE' => 1000,
            'OSS_MAX_PART_SIZE' => 5368709120,
            'OSS_MID_PART_SIZE' => 10485760,
            'OSS_MIN_PART_SIZE' => 102400,
        ], (new \ReflectionClass(OssUtil::class))->getConstants(\ReflectionClassConstant::IS_PUBLIC));
    }

    public function testToQueryStringSortsNaturallyAndEncodes(): void
    {
        self::assertSame('', OssUtil::toQueryString());
        self::assertSame('', OssUtil::toQueryString([]));
        self::assertSame('', OssUtil::toQueryString(null));
        self::assertSame(
            'A=1&a2=y&a10=x&b=2&e&f&fl=1.5&i=0&n&sp%20ace=v%2Fw%2Bx&t=1',
            OssUtil::toQueryString([
                'b' => '2', 'A' => '1', 'a10' => 'x', 'a2' => 'y', 'e' => '', 'n' => null, 't' => true,
                'f' => false, 'arr' => [1], '5' => 'integer key', 'sp ace' => 'v/w+x', 'i' => 0, 'fl' => 1.5,
            ])
        );
        self::assertSame('acl&partNumber=3&uploadId=X', OssUtil::toQueryString(['uploadId' => 'X', 'partNumber' => 3, 'acl' => '']));
    }

    public function testToQueryStringRefusesWhatIsNotAnArray(): void
    {
        $this->expectException(OssException::class);
        $this->expectExceptionMessage('options must be an array, string given');
        OssUtil::toQueryString('a=b');
    }

    public function testToQueryStringRefusesAnObjectValue(): void
    {
        $this->expectException(OssException::class);
        $this->expectExceptionMessage('query parameter "k" must be a string, stdClass given');
        OssUtil::toQueryString(['k' => new \stdClass()]);
    }

    public function testSReplaceMatchesTheSdkIncludingItsDoubleEscaping(): void
    {
        self::assertSame('&amp;lt;a&amp;gt;&amp;&apos;&quot;', OssUtil::sReplace('<a>&\'"'));
        self::assertSame('plain', OssUtil::sReplace('plain'));
        self::assertSame('12', OssUtil::sReplace(12));
        self::assertSame('', OssUtil::sReplace(null));
        self::assertSame(['k' => '&amp;lt;', 3 => '&quot;'], OssUtil::sReplace(['k' => '<', 3 => '"']));
    }

    public function testChkChinese(): void
    {
        self::assertSame(0, OssUtil::chkChinese('abc'));
        self::assertSame(1, OssUtil::chkChinese('中'));
        self::assertSame(1, OssUtil::chkChinese("a\xe4b"));
        self::assertSame(0, OssUtil::chkChinese("\x80"));
        self::assertSame(0, OssUtil::chkChinese("\x80\n"));
        self::assertSame(0, OssUtil::chkChinese(123));
    }

    public function testIsGb2312AndCheckChar(): void
    {
        // [string, isGb2312, checkChar(gbk: true), checkChar(gbk: false)], as the SDK answers.
        $cases = [
            ['abc', false, true, false],
            ['', false, true, false],
            ['中', true, true, false],          // the SDK's bound: a final three-byte character counts as incomplete
            ['中a', false, false, true],
            ['中ab', false, false, true],
            ["\xe4\x41\x41\x41", true, true, false],
            ["\xb0\xa1", false, true, false],  // GB2312 "啊": no byte in 0xE4–0xE9
            ["x\xe9\x80", true, true, false],
            ["\xe9\x80\x80\x80", false, false, true],
        ];
        foreach ($cases as [$str, $gb2312, $gbk, $utf8]) {
            self::assertSame($gb2312, OssUtil::isGb2312($str), bin2hex($str));
            self::assertSame($gbk, OssUtil::checkChar($str), bin2hex($str));
            self::assertSame($utf8, OssUtil::checkChar($str, false), bin2hex($str));
        }
        self::assertFalse(OssUtil::isGb2312(42));
    }

    public function testStartsWith(): void
    {
        self::assertTrue(OssUtil::startsWith('abc', 'a'));
        self::assertTrue(OssUtil::startsWith('abc', 'abc'));
        self::assertTrue(OssUtil::startsWith('abc', ''));
        self::assertTrue(OssUtil::startsWith('', ''));
        self::assertFalse(OssUtil::startsWith('abc', 'b'));
        self::assertFalse(OssUtil::startsWith('abc', 'abcd'));
        self::assertFalse(OssUtil::startsWith('', 'a'));
        self::assertTrue(OssUtil::startsWith(1234, '12'));
    }

    public function testCreateBucketXmlBody(): void
    {
        self::assertSame(
            '<?xml version="1.0" encoding="UTF-8"?>' . "\n"
            . "<CreateBucketConfiguration><StorageClass>IA</StorageClass></CreateBucketConfiguration>\n",
            OssUtil::createBucketXmlBody('IA')
        );
        self::assertSame(
            '<?xml version="1.0" encoding="UTF-8"?>' . "\n"
            . "<CreateBucketConfiguration><StorageClass/></CreateBucketConfiguration>\n",
            OssUtil::createBucketXmlBody('')
        );
        self::assertStringContainsString(
            '<StorageClass>a"b\'c&gt;d&lt;e&amp;f</StorageClass>',
            OssUtil::createBucketXmlBody('a"b\'c>d<e&f')
        );
    }

    public function testValidateOptions(): void
    {
        foreach ([null, [], ['a' => 1], 0, '', false] as $options) {
            OssUtil::validateOptions($options);
        }
        foreach (['x' => 'x', '0' => '0', '1' => true, 'stdClass' => new \stdClass()] as $text => $options) {
            try {
                OssUtil::validateOptions($options);
                self::fail('no exception for ' . $text);
            } catch (OssException $e) {
                self::assertSame($text . ':option must be array', $e->getMessage());
            }
        }
    }

    public function testValidateContent(): void
    {
        OssUtil::validateContent('body');
        OssUtil::validateContent([1]);
        foreach ([null, '', '0', 0, []] as $content) {
            try {
                OssUtil::validateContent($content);
                self::fail('no exception for ' . var_export($content, true));
            } catch (OssException $e) {
                self::assertSame('http body content is invalid', $e->getMessage());
            }
        }
    }

    public function testThrowOssExceptionWithMessageIfEmpty(): void
    {
        OssUtil::throwOssExceptionWithMessageIfEmpty('0', 'unused');
        OssUtil::throwOssExceptionWithMessageIfEmpty('bucket', 'unused');
        OssUtil::throwOssExceptionWithMessageIfEmpty(1, 'unused');
        foreach ([null, '', 0, 0.0, false, []] as $name) {
            try {
                OssUtil::throwOssExceptionWithMessageIfEmpty($name, 'bucket is empty');
                self::fail('no exception for ' . var_export($name, true));
            } catch (OssException $e) {
                self::assertSame('bucket is empty', $e->getMessage());
            }
        }
    }

    public function testGenerateFileWritesTheSizeAsked(): void
    {
        $dir = $this->tempDir();
        foreach ([0, 1, 100, 1048576, 1048577 + 4096] as $size) {
            $file = $dir . '/gen-' . $size;
            OssUtil::generateFile($file, $size);
            clearstatcache();
            self::assertSame($size, filesize($file), (string) $size);
            self::assertMatchesRegularExpression('/^[0-9A-Za-z]*$/D', (string) file_get_contents($file));
        }
        OssUtil::generateFile($dir . '/string-size', '2048');
        self::assertSame(2048, filesize($dir . '/string-size'));
    }

    public function testGenerateFileRewritesAFileOfAnotherSizeAndKeepsOneOfTheSameSize(): void
    {
        $file = $this->tempDir() . '/existing';
        file_put_contents($file, str_repeat('-', 10));
        OssUtil::generateFile($file, 5);
        clearstatcache();
        self::assertSame(5, filesize($file));
        self::assertStringNotContainsString('-', (string) file_get_contents($file));

        file_put_contents($file, 'hello');
        $this->expectOutputString($file . ' already exists, no need to create again. ');
        OssUtil::generateFile($file, 5);
        self::assertSame('hello', file_get_contents($file));
    }

    public function testGenerateFileRefusesABadSizeOrPath(): void
    {
        $dir = $this->tempDir();
        foreach (['-1' => -1, 'abc' => 'abc'] as $label => $size) {
            try {
                OssUtil::generateFile($dir . '/bad', $size);
                self::fail('no exception for size ' . $label);
            } catch (OssException $e) {
                self::assertStringStartsWith('file size must be', $e->getMessage());
            }
        }
        self::assertFileDoesNotExist($dir . '/bad');
        $this->expectException(OssException::class);
        $this->expectExceptionMessage('cannot open ' . $dir . '/missing/file for writing');
        OssUtil::generateFile($dir . '/missing/file', 1);
    }

    public function testIsWinAndEncodePath(): void
    {
        self::assertSame(PHP_OS_FAMILY === 'Windows', OssUtil::isWin());
        self::assertSame('dir/a.txt', OssUtil::encodePath('dir/a.txt'));
        if (!OssUtil::isWin()) {
            self::assertSame('目录/文件.txt', OssUtil::encodePath('目录/文件.txt'));
        }
    }

    public function testIsIPFormat(): void
    {
        foreach (['1.2.3.4', '1.2.3.4:80', '127.0.0.1:', '0.0.0.0'] as $endpoint) {
            self::assertTrue(OssUtil::isIPFormat($endpoint), $endpoint);
        }
        foreach (['::1', '[::1]:80', 'oss-cn-hangzhou.aliyuncs.com', '1.2.3.4.5', '', '1.2.3.256'] as $endpoint) {
            self::assertFalse(OssUtil::isIPFormat($endpoint), $endpoint);
        }
    }

    public function testGetHostPortFromEndpoint(): void
    {
        $cases = [
            'http://oss-cn-hangzhou.aliyuncs.com' => 'oss-cn-hangzhou.aliyuncs.com',
            'https://user:pw@a.com:8080/path?x#y' => 'a.com:8080',
            'a.com:80' => 'a.com:80',
            'a_b.c-d' => 'a_b.c-d',
            'http://a.com?x/y' => 'a.com',
            'a.com#frag/x' => 'a.com',
            '127.0.0.1:9' => '127.0.0.1:9',
        ];
        foreach ($cases as $endpoint => $hostPort) {
            self::assertSame($hostPort, OssUtil::getHostPortFromEndpoint($endpoint), $endpoint);
        }
        // 'x://y://z': only the first "://" is removed, which leaves "y:".
        foreach (['a.com:', '', '[::1]:80', 'a.com:80:90', 'ä.com', 'x://y://z'] as $endpoint) {
            try {
                OssUtil::getHostPortFromEndpoint($endpoint);
                self::fail('no exception for ' . $endpoint);
            } catch (OssException $e) {
                self::assertSame('endpoint is invalid:' . $endpoint, $e->getMessage());
            }
        }
    }

    public function testCreateDeleteObjectsXmlBodyIsUnchanged(): void
    {
        self::assertSame(
            self::XML_UTF8 . "<Delete><Quiet>true</Quiet><Object><Key>a</Key></Object><Object><Key>x&amp;y</Key></Object></Delete>\n",
            OssUtil::createDeleteObjectsXmlBody(['a', 'x&y'], 'true')
        );
    }

    public function testCreateDeleteObjectVersionsXmlBody(): void
    {
        $objects = [
            self::deleteInfo('a', 'CAEQ1'),
            self::deleteInfo('b', ''),
            self::deleteInfo('c', null),
            self::deleteInfo('d', '0'),
            self::deleteInfo('e&<>"\'', 'v2'),
        ];
        self::assertSame(
            self::XML_UTF8 . '<Delete><Quiet>false</Quiet>'
            . '<Object><Key>a</Key><VersionId>CAEQ1</VersionId></Object>'
            . '<Object><Key>b</Key></Object><Object><Key>c</Key></Object><Object><Key>d</Key></Object>'
            . '<Object><Key>e&amp;&lt;&gt;"\'</Key><VersionId>v2</VersionId></Object>'
            . "</Delete>\n",
            OssUtil::createDeleteObjectVersionsXmlBody($objects, 'false')
        );
        self::assertSame(self::XML_UTF8 . "<Delete><Quiet>true</Quiet></Delete>\n", OssUtil::createDeleteObjectVersionsXmlBody([], 'true'));
        // Booleans come out as PHP prints them, as in the SDK.
        self::assertSame(self::XML_UTF8 . "<Delete><Quiet>1</Quiet></Delete>\n", OssUtil::createDeleteObjectVersionsXmlBody([], true));
        self::assertSame(self::XML_UTF8 . "<Delete><Quiet/></Delete>\n", OssUtil::createDeleteObjectVersionsXmlBody([], false));
    }

    public function testCreateDeleteObjectVersionsXmlBodyRefusesObjectsWithoutTheAccessors(): void
    {
        $this->expectException(OssException::class);
        $this->expectExceptionMessage('objects[1] must be an object with getKey() and getVersionId()');
        OssUtil::createDeleteObjectVersionsXmlBody([self::deleteInfo('a', 'v'), 'b'], 'false');
    }

    public function testCreateCompleteMultipartUploadXmlBody(): void
    {
        self::assertSame(
            self::XML_UTF8 . '<CompleteMultipartUpload>'
            . '<Part><PartNumber>1</PartNumber><ETag>"3858F62230AC3C915F300C664312C11F"</ETag></Part>'
            . '<Part><PartNumber>2</PartNumber><ETag>x&gt;y</ETag></Part>'
            . "</CompleteMultipartUpload>\n",
            OssUtil::createCompleteMultipartUploadXmlBody([
                ['PartNumber' => 1, 'ETag' => '"3858F62230AC3C915F300C664312C11F"'],
                ['ETag' => 'x>y', 'PartNumber' => '2'],
            ])
        );
        self::assertSame(self::XML_UTF8 . "<CompleteMultipartUpload/>\n", OssUtil::createCompleteMultipartUploadXmlBody([]));
    }

    public function testCreateCompleteMultipartUploadXmlBodyRefusesAPartWithoutETag(): void
    {
        $this->expectException(OssException::class);
        $this->expectExceptionMessage('listParts[0] has no ETag');
        OssUtil::createCompleteMultipartUploadXmlBody([['PartNumber' => 1]]);
    }

    public function testReadDir(): void
    {
        $dir = $this->tempDir();
        mkdir($dir . '/sub/deep', 0755, true);
        mkdir($dir . '/.git');
        $files = ['a.txt', 'B.TXT', '.svn', '.git/config', 'sub/b.txt', 'sub/deep/c.txt'];
        foreach ($files as $file) {
            file_put_contents($dir . '/' . $file, $file);
        }
        $entry = static fn (string $path, string $file): array => [md5($path . $file) => ['path' => $path, 'file' => $file]];

        $flat = OssUtil::readDir($dir);
        ksort($flat);
        $expected = $entry($dir . '/a.txt', 'a.txt') + $entry($dir . '/B.TXT', 'B.TXT');
        ksort($expected);
        self::assertSame($expected, $flat);

        // Names are lower-cased before they are compared with the exclude list.
        self::assertSame([$dir . '/.svn'], array_column(OssUtil::readDir($dir, 'a.txt|b.txt'), 'path'));
        // A trailing '/' is kept in the paths, as in the SDK.
        self::assertArrayHasKey(md5($dir . '//a.txt' . 'a.txt'), OssUtil::readDir($dir . '/'));

        $all = OssUtil::readDir($dir, '.|..|.svn|.git', true);
        $expected = [];
        foreach ($files as $file) {
            $expected += $entry($dir . '/' . $file, $file);
        }
        ksort($all);
        ksort($expected);
        self::assertSame($expected, $all);

        // Recursively, the exclude list is matched against "/" + the relative path.
        $names = array_column(OssUtil::readDir($dir, '/a.txt|/sub/b.txt|.svn', true), 'file');
        sort($names);
        self::assertSame(['.git/config', '.svn', 'B.TXT', 'sub/deep/c.txt'], $names);
    }

    public function testReadDirRefusesAMissingDirectory(): void
    {
        $missing = $this->tempDir() . '/missing';
        foreach ([false, true] as $recursive) {
            try {
                OssUtil::readDir($missing, '.|..', $recursive);
                self::fail('no exception');
            } catch (OssException $e) {
                self::assertSame($missing . ' is not a directory', $e->getMessage());
            }
        }
    }

    public function testDecodeKey(): void
    {
        self::assertSame('a%20b+c', OssUtil::decodeKey('a%20b+c', ''));
        self::assertSame('a%20b', OssUtil::decodeKey('a%20b', null));
        self::assertSame('a b+c/中', OssUtil::decodeKey('a%20b+c%2F%E4%B8%AD', 'url'));
        $this->expectException(OssException::class);
        $this->expectExceptionMessage('Unrecognized encoding type: URL');
        OssUtil::decodeKey('a', 'URL');
    }

    public function testUnparseUrl(): void
    {
        self::assertSame('https://h.com:81/p/a?q=1', OssUtil::unparseUrl(parse_url('https://u:p@h.com:81/p/a?q=1#f')));
        self::assertSame('/p?q', OssUtil::unparseUrl(parse_url('/p?q')));
        self::assertSame('h', OssUtil::unparseUrl(['host' => 'h', 'port' => null]));
        self::assertSame('', OssUtil::unparseUrl([]));
        self::assertSame('', OssUtil::unparseUrl(false));
    }

    private static function deleteInfo(string $key, ?string $versionId): object
    {
        return new class ($key, $versionId) {
            private string $key;
            private ?string $versionId;

            public function __construct(string $key, ?string $versionId)
            {
                $this->key = $key;
                $this->versionId = $versionId;
            }

            public function getKey(): string
            {
                return $this->key;
            }

            public function getVersionId(): ?string
            {
                return $this->versionId;
            }
        };
    }

    private function tempDir(): string
    {
        if ($this->dir === null) {
            $this->dir = sys_get_temp_dir() . '/ossrs-ossutil-' . getmypid() . '-' . bin2hex(random_bytes(4));
            mkdir($this->dir, 0755, true);
        }
        return $this->dir;
    }

    private static function removeTree(string $dir): void
    {
        $entries = new \RecursiveIteratorIterator(
            new \RecursiveDirectoryIterator($dir, \FilesystemIterator::SKIP_DOTS),
            \RecursiveIteratorIterator::CHILD_FIRST
        );
        foreach ($entries as $entry) {
            $entry->isDir() && !$entry->isLink() ? rmdir($entry->getPathname()) : unlink($entry->getPathname());
        }
        rmdir($dir);
    }
}
