<?php

declare(strict_types=1);

namespace OSS\Tests\Ffi;

use OSS\Core\OssException;
use OSS\Credentials\StaticCredentialsProvider;
use OSS\Model\CorsConfig;
use OSS\Model\CorsRule;
use OSS\OssClient;
use OSS\Tests\Support\Emulator;
use PHPUnit\Framework\TestCase;

/**
 * generatePostObjectForm (V1, V4, STS) posted the way a browser does to the emulator, which checks the policy and
 * the signature; the bucket CORS methods and optionsObject.
 */
final class PostObjectFormTest extends TestCase
{
    /** @return array<string, OssClient> */
    private static function clients(): array
    {
        $endpoint = Emulator::get()->endpoint();
        return [
            'v1' => new OssClient(Emulator::KEY_ID, Emulator::KEY_SECRET, $endpoint),
            'v4' => new OssClient([
                'provider' => new StaticCredentialsProvider(Emulator::KEY_ID, Emulator::KEY_SECRET),
                'endpoint' => $endpoint,
                'signatureVersion' => 'v4',
                'region' => Emulator::REGION,
            ]),
            'sts v4' => new OssClient([
                'provider' => new StaticCredentialsProvider(Emulator::STS_ID, Emulator::STS_SECRET, Emulator::STS_TOKEN),
                'endpoint' => $endpoint,
                'signatureVersion' => 'v4',
                'region' => Emulator::REGION,
            ]),
        ];
    }

    /**
     * Posts $fields and a file as multipart/form-data, as a browser does.
     *
     * @param array<string, string> $fields
     * @return array{0: int, 1: string}
     */
    private static function post(string $url, array $fields, string $file, string $filename): array
    {
        $boundary = 'b' . bin2hex(random_bytes(8));
        $body = '';
        foreach ($fields as $name => $value) {
            $body .= "--$boundary\r\nContent-Disposition: form-data; name=\"$name\"\r\n\r\n$value\r\n";
        }
        $body .= "--$boundary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"$filename\"\r\n"
            . "Content-Type: application/octet-stream\r\n\r\n$file\r\n--$boundary--\r\n";
        $context = stream_context_create(['http' => [
            'method' => 'POST',
            'header' => "Content-Type: multipart/form-data; boundary=$boundary\r\n",
            'content' => $body,
            'ignore_errors' => true,
        ]]);
        $answer = file_get_contents($url, false, $context);
        preg_match('#^HTTP/\S+ (\d+)#', $http_response_header[0] ?? '', $m);
        return [(int) ($m[1] ?? 0), (string) $answer];
    }

    public function testFormsUploadWithTheirCallbackForV1V4AndSts(): void
    {
        foreach (self::clients() as $name => $client) {
            $dir = 'browser/' . str_replace(' ', '-', $name) . '/';
            $form = $client->generatePostObjectForm(Emulator::BUCKET, [
                'key_prefix' => $dir,
                'expires_in' => 600,
                'content_length_range' => [1, 1 << 20],
                OssClient::OSS_CALLBACK => json_encode([
                    'callbackUrl' => Emulator::get()->callbackUrl('/browser'),
                    'callbackBody' => 'object=${object}&size=${size}&page=${x:page}',
                ]),
                OssClient::OSS_CALLBACK_VAR => json_encode(['x:page' => 'upload.html']),
            ]);
            $documented = $name === 'v1'
                ? ['accessid', 'host', 'policy', 'signature', 'expire', 'dir', 'callback']
                : ['host', 'policy', 'x_oss_signature_version', 'x_oss_credential', 'x_oss_date', 'signature',
                    'security_token', 'dir', 'expire', 'callback'];
            foreach ($documented as $key) {
                self::assertArrayHasKey($key, $form, $name);
            }
            self::assertSame($dir, $form['dir']);
            self::assertSame($dir . '${filename}', $form['key']);
            self::assertSame($name === 'sts v4' ? Emulator::STS_TOKEN : '', $form['security_token'] ?? '');
            self::assertGreaterThan(time() + 500, $form['expire']);
            self::assertSame('key', array_key_first($form['fields']));
            $file = random_bytes(5000);
            [$status, $body] = self::post($form['host'], $form['fields'], $file, 'photo.jpg');
            self::assertSame([200, '{"Status":"OK"}'], [$status, $body], $name);
            self::assertSame($file, $client->getObject(Emulator::BUCKET, $dir . 'photo.jpg'));
            $callback = Emulator::get()->callbackContaining('/browser', 'object=' . rawurlencode($dir . 'photo.jpg'));
            self::assertTrue($callback['signature_valid']);
            self::assertStringEndsWith('&size=5000&page=upload.html', $callback['body']);

            $tampered = $form['fields'];
            $tampered['x:page'] = 'evil.html';
            [$status, $body] = self::post($form['host'], $tampered, $file, 'x.jpg');
            self::assertSame(403, $status, $name . ': ' . $body);
            self::assertStringContainsString('Invalid according to Policy', $body);
        }
    }

    public function testBadOptionsAreRefusedBeforeSigning(): void
    {
        $client = self::clients()['v1'];
        foreach ([
            'unknown generatePostObjectForm option' => ['key' => 'a', 'colour' => 'red'],
            'exactly one of key and key_prefix' => [],
            'success_action_status' => ['key' => 'a', 'success_action_status' => 302],
            'callback' => ['key' => 'a', OssClient::OSS_CALLBACK => '{"callbackUrl":""}'],
        ] as $says => $options) {
            try {
                $client->generatePostObjectForm(Emulator::BUCKET, $options);
                self::fail('signed: ' . $says);
            } catch (OssException $e) {
                self::assertStringContainsString($says, $e->getMessage());
            }
        }
    }

    public function testCorsRulesAndOptionsObject(): void
    {
        $client = self::clients()['v1'];
        $rule = new CorsRule();
        $rule->addAllowedOrigin('http://127.0.0.1:*');
        $rule->addAllowedMethod('POST');
        $rule->addAllowedMethod('GET');
        $rule->addAllowedHeader('*');
        $rule->addExposeHeader('ETag');
        $rule->setMaxAgeSeconds(30);
        $config = new CorsConfig();
        $config->addRule($rule);
        $config->setResponseVary(true);
        $client->putBucketCors(Emulator::BUCKET, $config);
        try {
            $got = $client->getBucketCors(Emulator::BUCKET);
            self::assertTrue($got->getResponseVary());
            $rules = $got->getRules();
            self::assertCount(1, $rules);
            self::assertSame(['POST', 'GET'], $rules[0]->getAllowedMethods());
            self::assertSame(['http://127.0.0.1:*'], $rules[0]->getAllowedOrigins());
            self::assertSame('30', (string) $rules[0]->getMaxAgeSeconds());
            $answer = $client->optionsObject(Emulator::BUCKET, 'any', 'http://127.0.0.1:8080', 'POST', 'content-type');
            self::assertSame('http://127.0.0.1:8080', $answer['access-control-allow-origin']);
            self::assertSame('content-type', $answer['access-control-allow-headers']);
            try {
                $client->optionsObject(Emulator::BUCKET, 'any', 'http://evil.example', 'POST', '');
                self::fail('a foreign origin was allowed');
            } catch (OssException $e) {
                self::assertSame(['AccessForbidden', '403'], [$e->getErrorCode(), $e->getHTTPStatus()]);
            }
        } finally {
            $client->deleteBucketCors(Emulator::BUCKET);
        }
        try {
            $client->getBucketCors(Emulator::BUCKET);
            self::fail('rules left after deleteBucketCors');
        } catch (OssException $e) {
            self::assertSame('NoSuchCORSConfiguration', $e->getErrorCode());
        }
    }
}
