<?php

declare(strict_types=1);

namespace OSS\Tests\Unit;

use OSS\Core\OssException;
use OSS\Credentials\EnvironmentVariableCredentialsProvider;
use OSS\Credentials\StaticCredentialsProvider;
use OSS\OssClient;
use OSS\Tests\Support\UnitTestCase;

/** Both constructor forms and their checks (docs/php-sdk-behaviour.md "Constructor"); nothing native is loaded. */
final class ConstructorTest extends UnitTestCase
{
    /** @return array<string, array{0: list<mixed>, 1: string}> */
    public function invalidArguments(): array
    {
        $provider = new StaticCredentialsProvider('id', 'secret');
        return [
            'empty id' => [['', 'secret', 'oss-cn-hangzhou.aliyuncs.com'], 'access key id is empty'],
            'blank id' => [['  ', 'secret', 'oss-cn-hangzhou.aliyuncs.com'], 'access key id is empty'],
            'id "0"' => [['0', 'secret', 'oss-cn-hangzhou.aliyuncs.com'], 'access key id is empty'],
            'null id' => [[null, 'secret', 'oss-cn-hangzhou.aliyuncs.com'], 'access key id is empty'],
            'empty secret' => [['id', ' ', 'oss-cn-hangzhou.aliyuncs.com'], 'access key secret is empty'],
            'empty endpoint' => [['id', 'secret', ' / '], 'endpoint is empty'],
            'missing endpoint' => [['id', 'secret'], 'endpoint is empty'],
            'invalid endpoint' => [['id', 'secret', 'http://exa mple.com'], 'endpoint is invalid:exa mple.com'],
            'IPv6 endpoint' => [['id', 'secret', 'http://[::1]:8080'], 'endpoint is invalid:[::1]:8080'],
            'other scheme' => [['id', 'secret', 'ftp://h'], 'endpoint is invalid:ftp://h (unsupported scheme "ftp")'],
            'array id' => [[['id'], 'secret', 'h'], 'access key id must be a string, array given'],
            'config without endpoint' => [[['provider' => $provider]], 'endpoint is empty'],
            'config without provider' => [[['endpoint' => 'h']], 'provider must be an instance of CredentialsProvider'],
            'config with a bad provider' => [
                [['endpoint' => 'h', 'provider' => new \stdClass()]],
                'provider must be an instance of CredentialsProvider',
            ],
            'config with an invalid endpoint first' => [[['endpoint' => 'a b']], 'endpoint is invalid:a b'],
            'config with an array region' => [
                [['endpoint' => 'h', 'provider' => $provider, 'region' => ['x']]],
                'region must be a string, array given',
            ],
            'unparsable proxy' => [['id', 'secret', 'h', false, null, 'http://'], 'request_proxy is invalid: http://'],
        ];
    }

    /**
     * @dataProvider invalidArguments
     * @param list<mixed> $args
     */
    public function testInvalidArgumentsThrowTheSdkMessage(array $args, string $message): void
    {
        $this->expectException(OssException::class);
        $this->expectExceptionMessage($message);
        new OssClient(...$args);
    }

    public function testPositionalFormTrimsAndDetectsHttps(): void
    {
        $client = new OssClient(' id ', ' secret ', ' https://oss-cn-hangzhou.aliyuncs.com/ ');
        self::assertTrue($client->isUseSSL());
        $client->setUseSSL(false);
        self::assertFalse($client->isUseSSL());
        self::assertFalse((new OssClient('id', 'secret', 'http://oss-cn-hangzhou.aliyuncs.com'))->isUseSSL());
        self::assertFalse((new OssClient('id', 'secret', 'oss-cn-hangzhou.aliyuncs.com'))->isUseSSL());
    }

    public function testSchemeIsMatchedCaseInsensitively(): void
    {
        self::assertTrue((new OssClient('id', 'secret', 'HTTPS://oss-cn-hangzhou.aliyuncs.com'))->isUseSSL());
    }

    public function testConfigArrayForm(): void
    {
        $client = new OssClient([
            'endpoint' => 'https://oss-cn-hangzhou.aliyuncs.com',
            'provider' => new EnvironmentVariableCredentialsProvider(),
            'signatureVersion' => 'v4',
            'region' => 'cn-hangzhou',
            'cname' => false,
            'forcePathStyle' => true,
            'cloudBoxId' => '',
            'request_proxy' => 'http://user:pass@127.0.0.1:3128',
        ]);
        self::assertTrue($client->isUseSSL());
    }

    public function testTuningMethods(): void
    {
        $client = new OssClient('id', 'secret', 'oss-cn-hangzhou.aliyuncs.com');
        self::assertSame(3, $client->getMaxRetries());
        $client->setMaxTries(5);
        self::assertSame(5, $client->getMaxRetries());
        $client->setTimeout(30);
        $client->setConnectTimeout(2.5);
        $client->setSignStsInUrl(true);
        $this->expectException(OssException::class);
        $this->expectExceptionMessage('timeout must be a non-negative number of seconds, abc given');
        $client->setTimeout('abc');
    }
}
