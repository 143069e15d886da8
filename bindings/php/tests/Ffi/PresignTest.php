<?php

declare(strict_types=1);

namespace OSS\Tests\Ffi;

use OSS\Core\OssException;
use OSS\Credentials\StaticCredentialsProvider;
use OSS\OssClient;
use OSS\Tests\Support\Emulator;
use PHPUnit\Framework\TestCase;

/**
 * signUrl and generatePresignedUrl (V1 and V4, STS) used with PHP's own HTTP client against the emulator, which
 * verifies the query signature and the expiry.
 */
final class PresignTest extends TestCase
{
    /** @return array<string, array{0: OssClient}> */
    public static function clients(): array
    {
        $endpoint = Emulator::get()->endpoint();
        $v4 = new OssClient([
            'endpoint' => $endpoint,
            'provider' => new StaticCredentialsProvider(Emulator::KEY_ID, Emulator::KEY_SECRET),
            'signatureVersion' => OssClient::OSS_SIGNATURE_VERSION_V4,
            'region' => Emulator::REGION,
        ]);
        $sts = new OssClient(Emulator::STS_ID, Emulator::STS_SECRET, $endpoint, false, Emulator::STS_TOKEN);
        return [
            'v1' => [new OssClient(Emulator::KEY_ID, Emulator::KEY_SECRET, $endpoint)],
            'v4' => [$v4],
            'sts' => [$sts],
        ];
    }

    /** @return array{0: int, 1: string} status and body */
    private static function fetch(string $method, string $url, string $body = '', array $headers = []): array
    {
        $context = stream_context_create(['http' => [
            'method' => $method,
            'content' => $body,
            'header' => implode("\r\n", $headers),
            'ignore_errors' => true,
            'timeout' => 10,
        ]]);
        // PHP adds (and warns about) a form Content-Type when none is given: that too breaks a signed one.
        $answer = (string) @file_get_contents($url, false, $context);
        preg_match('#^HTTP/1\.\d (\d+)#', $http_response_header[0] ?? '', $m);
        return [(int) ($m[1] ?? 0), $answer];
    }

    /** @dataProvider clients */
    public function testSignedUrlsWorkForGetAndPut(OssClient $client): void
    {
        $key = 'presign/' . bin2hex(random_bytes(4)) . '/a b.txt';
        $client->putObject(Emulator::BUCKET, $key, 'signed');
        $url = $client->signUrl(Emulator::BUCKET, $key, 60);
        self::assertSame([200, 'signed'], self::fetch('GET', $url));
        self::assertSame(403, self::fetch('GET', str_replace('a%20b', 'a%20c', $url))[0]);

        $put = $client->generatePresignedUrl(Emulator::BUCKET, $key . '.put', time() + 60, OssClient::OSS_HTTP_PUT, [
            OssClient::OSS_CONTENT_TYPE => 'text/x-presigned',
        ]);
        self::assertSame(403, self::fetch('PUT', $put, 'no type')[0], 'the signed Content-Type is required');
        self::assertSame(200, self::fetch('PUT', $put, 'uploaded', ['Content-Type: text/x-presigned'])[0]);
        self::assertSame('uploaded', $client->getObject(Emulator::BUCKET, $key . '.put'));
    }

    public function testExpiredUrlsAndBadArgumentsAreRefused(): void
    {
        $client = self::clients()['v1'][0];
        $client->putObject(Emulator::BUCKET, 'presign/expiring', 'x');
        $url = $client->generatePresignedUrl(Emulator::BUCKET, 'presign/expiring', time() + 1);
        sleep(2);
        [$status, $body] = self::fetch('GET', $url);
        self::assertSame(403, $status);
        self::assertStringContainsString('Request has expired', $body);
        foreach ([[-5, 'GET'], [60, 'PATCH']] as [$timeout, $method]) {
            try {
                $client->signUrl(Emulator::BUCKET, 'k', $timeout, $method);
                self::fail("signed $timeout $method");
            } catch (OssException $e) {
                self::assertNotSame('', $e->getMessage());
            }
        }
        $v4 = self::clients()['v4'][0];
        try {
            $v4->signUrl(Emulator::BUCKET, 'k', 8 * 86400);
            self::fail('a V4 URL for 8 days');
        } catch (OssException $e) {
            self::assertStringContainsString('7 days', $e->getMessage());
        }
    }
}
