<?php

declare(strict_types=1);

namespace OSS\Tests\Unit;

use OSS\Core\OssException;
use OSS\Credentials\Credentials;
use OSS\Credentials\CredentialsProvider;
use OSS\Credentials\EnvironmentVariableCredentialsProvider;
use OSS\Credentials\StaticCredentialsProvider;
use OSS\Tests\Support\UnitTestCase;

/** The credentials classes of the SDK's config-array constructor. */
final class CredentialsTest extends UnitTestCase
{
    public function testStaticProviderTrimsIdAndSecretButNotTheToken(): void
    {
        $provider = new StaticCredentialsProvider(' id ', ' secret ', ' token ');
        self::assertInstanceOf(CredentialsProvider::class, $provider);
        $credentials = $provider->getCredentials();
        self::assertSame('id', $credentials->getAccessKeyId());
        self::assertSame('secret', $credentials->getSecretKey());
        self::assertSame(' token ', $credentials->getSecurityToken());
        self::assertNull((new Credentials('a', 'b'))->getSecurityToken());
    }

    public function testEmptyIdOrSecretIsRefused(): void
    {
        foreach ([['', 's', 'access key id is empty'], ['i', '', 'access key secret is empty']] as [$id, $secret, $msg]) {
            try {
                new Credentials($id, $secret);
                self::fail('no exception');
            } catch (OssException $e) {
                self::assertSame($msg, $e->getMessage());
            }
        }
    }

    public function testEnvironmentProviderReadsOnEveryCall(): void
    {
        $saved = [getenv('OSS_ACCESS_KEY_ID'), getenv('OSS_ACCESS_KEY_SECRET'), getenv('OSS_SESSION_TOKEN')];
        try {
            putenv('OSS_ACCESS_KEY_ID=env-id');
            putenv('OSS_ACCESS_KEY_SECRET=env-secret');
            putenv('OSS_SESSION_TOKEN');
            $provider = new EnvironmentVariableCredentialsProvider();
            self::assertSame('env-id', $provider->getCredentials()->getAccessKeyId());
            self::assertFalse($provider->getCredentials()->getSecurityToken());
            putenv('OSS_SESSION_TOKEN=tok');
            self::assertSame('tok', $provider->getCredentials()->getSecurityToken());
            putenv('OSS_ACCESS_KEY_ID');
            $this->expectException(OssException::class);
            $this->expectExceptionMessage('access key id is empty');
            $provider->getCredentials();
        } finally {
            foreach (['OSS_ACCESS_KEY_ID', 'OSS_ACCESS_KEY_SECRET', 'OSS_SESSION_TOKEN'] as $i => $name) {
                putenv($saved[$i] === false ? $name : $name . '=' . $saved[$i]);
            }
        }
    }
}
