<?php

declare(strict_types=1);

namespace OSS\Tests\Unit;

use OSS\Core\OssException;
use OSS\Core\UnsupportedMethods;
use OSS\OssClient;
use OSS\Tests\Support\UnitTestCase;

/**
 * Every public method of the official OssClient (aliyun-oss-php-sdk 2.7.3; tests/data/official-ossclient-methods.json
 * lists their names, static-ness and parameter lists, read from the SDK with reflection) exists in ours with the same
 * parameters, so swapping the package never ends in "Call to undefined method". Those ossrs does not implement yet
 * come from the UnsupportedMethods trait and throw an OssException without any I/O.
 */
final class MethodListTest extends UnitTestCase
{
    /** @return array<string, array{static: bool, params: list<array<string, mixed>>}> */
    private static function official(): array
    {
        $json = (string) file_get_contents(dirname(__DIR__) . '/data/official-ossclient-methods.json');
        return json_decode($json, true, 512, JSON_THROW_ON_ERROR);
    }

    /** @return array<string, array{0: string}> */
    public static function officialMethods(): array
    {
        $names = array_keys(self::official());
        return array_combine($names, array_map(static fn (string $n): array => [$n], $names));
    }

    /** @dataProvider officialMethods */
    public function testTheOfficialMethodExistsWithItsParameters(string $name): void
    {
        $expected = self::official()[$name];
        self::assertTrue(method_exists(OssClient::class, $name), $name . ' is missing');
        $method = new \ReflectionMethod(OssClient::class, $name);
        self::assertTrue($method->isPublic(), $name);
        self::assertSame($expected['static'], $method->isStatic(), $name . ' static');
        if ($name === '__construct') {
            // Ours takes the positional form and the array form (...$args), as the official one does.
            self::assertTrue($method->isVariadic());
            return;
        }
        $params = [];
        foreach ($method->getParameters() as $p) {
            $d = ['name' => $p->getName()];
            if ($p->isVariadic()) {
                $d['variadic'] = true;
            }
            if ($p->isDefaultValueAvailable()) {
                $d['default'] = var_export($p->getDefaultValue(), true);
            }
            $params[] = $d;
        }
        self::assertSame($expected['params'], $params, $name . ' parameters');
    }

    public function testUnsupportedMethodsAreOnlyThoseOssClientDoesNotImplement(): void
    {
        $trait = new \ReflectionClass(UnsupportedMethods::class);
        $stubs = array_map(static fn (\ReflectionMethod $m): string => $m->getName(), $trait->getMethods());
        foreach ($stubs as $name) {
            $method = new \ReflectionMethod(OssClient::class, $name);
            self::assertStringEndsWith('UnsupportedMethods.php', (string) $method->getFileName(), $name);
            self::assertArrayHasKey($name, self::official(), $name . ' is not an official method');
        }
        fwrite(STDERR, sprintf(
            "\n[method list] %d official methods, %d implemented by ossrs, %d not yet (UnsupportedMethods)\n",
            count(self::official()),
            count(self::official()) - count($stubs),
            count($stubs)
        ));
    }

    public function testCheckEnvPassesWhereFfiIsLoaded(): void
    {
        self::assertTrue(extension_loaded('FFI'));
        OssClient::checkEnv();
        $this->addToAssertionCount(1);
    }

    public function testAnUnsupportedMethodThrowsBeforeAnyIo(): void
    {
        $client = new OssClient('id', 'secret', 'http://127.0.0.1:9');
        try {
            $client->putBucketLifecycle('bkt', null);
            self::fail('no exception');
        } catch (OssException $e) {
            self::assertStringStartsWith('OssClient::putBucketLifecycle() is not supported by ossrs yet', $e->getMessage());
            self::assertSame('', $e->getHTTPStatus());
        }
    }
}
