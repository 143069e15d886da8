<?php

declare(strict_types=1);

namespace OSS\Tests\Ffi;

use OSS\Callback\CallbackVerificationException;
use OSS\Callback\CallbackVerifier;
use OSS\Core\OssException;
use OSS\Native\Library;
use OSS\OssClient;
use OSS\Tests\Support\Emulator;
use OSS\Tests\Support\Paths;
use OSS\Tests\Support\Process;
use PHPUnit\Framework\TestCase;

/**
 * OSS\Callback\CallbackVerifier against callbacks the OSS emulator really sent, signed with its own RSA code:
 * a PHP callback server under `php -S` (tests/scripts/callback-verifier.php) accepts them through
 * verifyRequest() and refuses forged ones; in-process, forged, tampered, foreign-key and malformed callbacks
 * are rejected with distinct codes.
 */
final class CallbackVerifierTest extends TestCase
{
    private static ?Process $server = null;

    public static function setUpBeforeClass(): void
    {
        $script = dirname(__DIR__) . '/scripts/callback-verifier.php';
        $server = Process::startOnFreePort(
            static fn (int $port): array => [PHP_BINARY, '-d', 'ffi.enable=1', '-S', '127.0.0.1:' . $port, $script],
            [],
            $why
        );
        if ($server === null) {
            self::fail('php -S with the callback verifier did not start: ' . $why);
        }
        self::$server = $server;
    }

    public static function tearDownAfterClass(): void
    {
        if (self::$server !== null) {
            self::$server->stop();
        }
    }

    public function testAPhpCallbackServerAcceptsARealCallbackFromTheEmulator(): void
    {
        $emulator = Emulator::get();
        $client = new OssClient(Emulator::KEY_ID, Emulator::KEY_SECRET, $emulator->endpoint());
        $callback = json_encode([
            'callbackUrl' => 'http://127.0.0.1:' . self::$server->port . '/notify%20me.php?src=emulator&x=a%20b',
            'callbackBody' => 'bucket=${bucket}&object=${object}&size=${size}&my=${x:my}',
            'callbackBodyType' => 'application/x-www-form-urlencoded',
        ]);
        $result = $client->putObject(Emulator::BUCKET, 'verify/php receiver.txt', 'verified in PHP', [
            OssClient::OSS_CALLBACK => $callback,
            OssClient::OSS_CALLBACK_VAR => '{"x:my":"值 & more"}',
        ]);
        self::assertSame(200, $result['info']['http_code']);
        $reply = json_decode($result['body'], true);
        self::assertIsArray($reply, $result['body']);
        self::assertStringStartsWith('1, ', $reply['ffi']);
        unset($reply['ffi']);
        self::assertSame(
            ['Status' => 'OK', 'verified' => true, 'object' => 'verify/php receiver.txt', 'my' => '值 & more'],
            $reply,
            $result['body']
        );
    }

    public function testThePhpCallbackServerRefusesForgedAndForeignCallbacks(): void
    {
        $received = $this->realCallback('/server-forged', 'verify/server-forged.txt');
        $keyUrl = self::header($received, 'x-oss-pub-key-url');
        $forged = $this->post('/cb', 'bucket=evil', base64_encode(str_repeat("\x5a", 128)), $keyUrl);
        self::assertSame([403, CallbackVerificationException::SIGNATURE_INVALID], [$forged[0], $forged[1]['code']]);
        // A genuine signature replayed over another body.
        $replayed = $this->post($received['path'], $received['body'] . '&admin=1', self::header($received, 'authorization'), $keyUrl);
        self::assertSame([403, CallbackVerificationException::SIGNATURE_INVALID], [$replayed[0], $replayed[1]['code']]);
        $foreign = $this->post('/cb', 'bucket=evil', 'AAAA', base64_encode('http://evil.example/key.pem'));
        self::assertSame([403, CallbackVerificationException::KEY_URL_NOT_ALLOWED], [$foreign[0], $foreign[1]['code']]);
        $malformed = $this->post('/cb', 'bucket=evil', '', $keyUrl);
        self::assertSame([403, CallbackVerificationException::MALFORMED], [$malformed[0], $malformed[1]['code']]);
        $unreachable = $this->post('/cb', 'bucket=evil', 'AAAA', base64_encode('http://127.0.0.1:1/key.pem'));
        self::assertSame([503, CallbackVerificationException::KEY_FETCH_FAILED], [$unreachable[0], $unreachable[1]['code']]);
    }

    public function testThePhpCallbackServerWorksUnderFfiPreload(): void
    {
        if (!extension_loaded('Zend OPcache')) {
            self::fail('this test needs the OPcache extension (php8.2-opcache)');
        }
        $header = Paths::scratch() . '/ossrs-callback-verifier-preload.h';
        $generate = Process::php(Paths::package() . '/bin/ossrs-ffi-header.php', [$header]);
        self::assertSame(0, $generate['exit'], $generate['stderr']);
        $argv = [
            PHP_BINARY, '-d', 'ffi.enable=preload', '-d', 'opcache.enable=1', '-d', 'opcache.enable_cli=1',
            '-d', 'opcache.preload=' . Paths::package() . '/preload.php', '-d', 'ffi.preload=' . $header,
        ];
        if (function_exists('posix_geteuid') && posix_geteuid() === 0) {
            foreach (['nobody', 'www-data', 'daemon'] as $user) {
                if (posix_getpwnam($user) !== false) {
                    array_push($argv, '-d', 'opcache.preload_user=' . $user);
                    break;
                }
            }
        }
        $script = dirname(__DIR__) . '/scripts/callback-verifier.php';
        $preloaded = Process::startOnFreePort(
            static fn (int $port): array => array_merge($argv, ['-S', '127.0.0.1:' . $port, $script]),
            ['OSSRS_LIB' => false],
            $why
        );
        self::assertNotNull($preloaded, 'php -S with preloading did not start: ' . $why);
        try {
            $received = $this->realCallback('/preloaded?mode=preload', 'verify/preloaded.txt');
            $auth = self::header($received, 'authorization');
            $keyUrl = self::header($received, 'x-oss-pub-key-url');
            $path = $received['path'] . '?' . $received['query'];
            $accepted = $this->post($path, $received['body'], $auth, $keyUrl, $preloaded->port);
            self::assertSame([200, true], [$accepted[0], $accepted[1]['verified'] ?? $accepted[1]]);
            self::assertSame('preload, scope OSSRS', $accepted[1]['ffi'], 'the preloaded classes, through ffi.preload');
            $tampered = $this->post($path, $received['body'] . 'x', $auth, $keyUrl, $preloaded->port);
            self::assertSame([403, CallbackVerificationException::SIGNATURE_INVALID], [$tampered[0], $tampered[1]['code']]);
        } finally {
            $preloaded->stop();
        }
    }

    public function testARealCallbackIsAcceptedAndItsAlterationsAreRejected(): void
    {
        $received = $this->realCallback('/in-process?id=7', 'verify/in-process.txt');
        $path = $received['path'];
        $query = $received['query'];
        $body = $received['body'];
        $auth = self::header($received, 'authorization');
        $keyUrl = self::header($received, 'x-oss-pub-key-url');
        self::assertSame('id=7', $query);
        $verifier = new CallbackVerifier([CallbackVerifier::ALLOWED_KEY_URL_PREFIXES => ['http://127.0.0.1:']]);
        $verifier->verify($path, $query, $body, $auth, $keyUrl);

        $code = static function (callable $call): int {
            try {
                $call();
            } catch (CallbackVerificationException $e) {
                self::assertStringStartsWith('callback verification failed: ', $e->getMessage());
                return $e->getCode();
            }
            return 0;
        };
        $invalid = CallbackVerificationException::SIGNATURE_INVALID;
        self::assertSame($invalid, $code(fn () => $verifier->verify($path, $query, $body . ' ', $auth, $keyUrl)), 'tampered body');
        self::assertSame($invalid, $code(fn () => $verifier->verify($path, 'id=8', $body, $auth, $keyUrl)), 'tampered query');
        self::assertSame($invalid, $code(fn () => $verifier->verify('/other', $query, $body, $auth, $keyUrl)), 'tampered path');
        $forged = base64_encode(str_repeat("\x01", strlen((string) base64_decode($auth))));
        self::assertSame($invalid, $code(fn () => $verifier->verify($path, $query, $body, $forged, $keyUrl)), 'forged');
        self::assertSame(
            CallbackVerificationException::MALFORMED,
            $code(fn () => $verifier->verify($path, $query, $body, 'not base64!', $keyUrl))
        );
        self::assertSame(CallbackVerificationException::MALFORMED, $code(fn () => $verifier->verify($path, $query, $body, $auth, '')));

        // verifyRequest() reads the same request from $_SERVER-shaped data.
        $server = [
            'REQUEST_URI' => $path . '?' . $query,
            'HTTP_AUTHORIZATION' => $auth,
            'HTTP_X_OSS_PUB_KEY_URL' => $keyUrl,
        ];
        self::assertSame($body, $verifier->verifyRequest($server, $body));
        self::assertSame($invalid, $code(fn () => $verifier->verifyRequest($server, $body . 'x')));
        unset($server['HTTP_AUTHORIZATION']);
        $server['REDIRECT_HTTP_AUTHORIZATION'] = $auth;
        self::assertSame($body, $verifier->verifyRequest($server, $body), 'Apache after a rewrite');
    }

    /** The explicit form (Swoole, RoadRunner, Octane, PSR-7): method, path, query, headers and body as given. */
    public function testVerifyMessageTakesTheRequestAsParts(): void
    {
        $received = $this->realCallback('/parts/cb.php?a=1', 'cb/parts.txt');
        $verifier = new CallbackVerifier([CallbackVerifier::ALLOWED_KEY_URL_PREFIXES => ['http://127.0.0.1:']]);
        $psr7 = [];
        foreach ($received['headers'] as $name => $value) {
            $psr7[strtoupper($name)] = [$value];
        }
        $body = $verifier->verifyMessage('POST', $received['path'], $received['query'], $psr7, $received['body']);
        self::assertSame($received['body'], $body);
        $together = $received['path'] . '?' . $received['query'];
        self::assertSame($body, $verifier->verifyMessage('post', $together, '', $received['headers'], $body));
        foreach ([
            'another body' => ['POST', $received['path'], $received['query'], $psr7, $body . '&x=1'],
            'another query' => ['POST', $received['path'], 'a=2', $psr7, $body],
            'no headers' => ['POST', $received['path'], $received['query'], [], $body],
            'a GET' => ['GET', $received['path'], $received['query'], $psr7, $body],
        ] as $case => $args) {
            try {
                $verifier->verifyMessage(...$args);
                self::fail($case . ' was accepted');
            } catch (CallbackVerificationException $e) {
                $expected = $case === 'another body' || $case === 'another query'
                    ? CallbackVerificationException::SIGNATURE_INVALID
                    : CallbackVerificationException::MALFORMED;
                self::assertSame($expected, $e->getCode(), $case . ': ' . $e->getMessage());
            }
        }
    }

    public function testAForeignKeyUrlIsRefusedWithoutConnecting(): void
    {
        $received = $this->realCallback('/foreign', 'verify/foreign.txt');
        $trap = stream_socket_server('tcp://127.0.0.1:0');
        self::assertNotFalse($trap);
        $trapUrl = 'http://127.0.0.1:' . substr((string) strrchr((string) stream_socket_get_name($trap, false), ':'), 1) . '/key.pem';
        $emulatorOnly = new CallbackVerifier([
            CallbackVerifier::ALLOWED_KEY_URL_PREFIXES => [Emulator::get()->endpoint() . '/__emulator/'],
        ]);
        foreach ([$emulatorOnly, new CallbackVerifier()] as $verifier) {
            try {
                $verifier->verify($received['path'], $received['query'], $received['body'], self::header($received, 'authorization'), base64_encode($trapUrl));
                self::fail('a key URL outside the allowed prefixes was accepted');
            } catch (CallbackVerificationException $e) {
                self::assertSame(CallbackVerificationException::KEY_URL_NOT_ALLOWED, $e->getCode());
                self::assertStringContainsString($trapUrl, $e->getMessage());
            }
        }
        self::assertFalse(@stream_socket_accept($trap, 0), 'nothing connected to the key URL');
        fclose($trap);
    }

    public function testAPinnedKeyIsUsedWithoutAUrl(): void
    {
        $received = $this->realCallback('/pinned', 'verify/pinned.txt');
        $pem = file_get_contents($received['pub_key_url']);
        self::assertIsString($pem);
        $verifier = new CallbackVerifier([CallbackVerifier::PUBLIC_KEY_PEM => $pem]);
        $auth = self::header($received, 'authorization');
        $verifier->verify($received['path'], $received['query'], $received['body'], $auth, '');
        $verifier->verify($received['path'], $received['query'], $received['body'], $auth, base64_encode('http://evil.example/k.pem'));
        $this->expectException(CallbackVerificationException::class);
        $this->expectExceptionCode(CallbackVerificationException::SIGNATURE_INVALID);
        $verifier->verify($received['path'], $received['query'], $received['body'] . '&x=1', $auth, '');
    }

    public function testOptionsAreChecked(): void
    {
        $cases = [
            [['allowed_prefixes' => ['http://127.0.0.1:']], 'unknown CallbackVerifier option'],
            [[CallbackVerifier::ALLOWED_KEY_URL_PREFIXES => []], 'non-empty list of strings'],
            [[CallbackVerifier::ALLOWED_KEY_URL_PREFIXES => [42]], 'non-empty list of strings'],
            [[CallbackVerifier::ALLOWED_KEY_URL_PREFIXES => ['ftp://keys.example/']], 'must be http:// or https://'],
            [[CallbackVerifier::ALLOWED_KEY_URL_PREFIXES => ["http://a\0b/"]], 'NUL byte'],
            [[CallbackVerifier::PUBLIC_KEY_PEM => 'not a key'], 'pinned public key'],
        ];
        foreach ($cases as [$options, $expected]) {
            try {
                new CallbackVerifier($options);
                self::fail('accepted ' . json_encode($options));
            } catch (OssException $e) {
                self::assertNotInstanceOf(CallbackVerificationException::class, $e);
                self::assertStringContainsString($expected, $e->getMessage());
            }
        }
    }

    public function testExceptionCodesMatchTheLibrary(): void
    {
        $ffi = Library::ffi();
        self::assertSame($ffi->OSS_RESULT_CALLBACK_SIGNATURE_INVALID, CallbackVerificationException::SIGNATURE_INVALID);
        self::assertSame($ffi->OSS_RESULT_CALLBACK_KEY_URL_NOT_ALLOWED, CallbackVerificationException::KEY_URL_NOT_ALLOWED);
        self::assertSame($ffi->OSS_RESULT_CALLBACK_KEY_FETCH_FAILED, CallbackVerificationException::KEY_FETCH_FAILED);
        self::assertSame($ffi->OSS_RESULT_CALLBACK_MALFORMED, CallbackVerificationException::MALFORMED);
        self::assertInstanceOf(OssException::class, new CallbackVerificationException('x', 600));
    }

    /**
     * Uploads $object with a callback to the emulator's callback receiver on $pathAndQuery and returns what the
     * receiver got (path, query, headers, body, pub_key_url).
     *
     * @return array<string, mixed>
     */
    private function realCallback(string $pathAndQuery, string $object): array
    {
        $emulator = Emulator::get();
        $client = new OssClient(Emulator::KEY_ID, Emulator::KEY_SECRET, $emulator->endpoint());
        $client->putObject(Emulator::BUCKET, $object, 'payload of ' . $object, [
            OssClient::OSS_CALLBACK => json_encode([
                'callbackUrl' => $emulator->callbackUrl($pathAndQuery),
                'callbackBody' => 'bucket=${bucket}&object=${object}&etag=${etag}&size=${size}',
            ]),
        ]);
        $path = (string) strtok($pathAndQuery, '?');
        return $emulator->callbackContaining($path, 'object=' . rawurlencode($object));
    }

    /** @param array<string, mixed> $received */
    private static function header(array $received, string $name): string
    {
        foreach ($received['headers'] as $header => $value) {
            if (strcasecmp($header, $name) === 0) {
                return $value;
            }
        }
        self::fail('the callback has no ' . $name . ' header');
    }

    /** @return array{0: int, 1: array<string, mixed>} status and JSON answer of the PHP callback server */
    private function post(string $path, string $body, string $authorization, string $pubKeyUrl, ?int $port = null): array
    {
        $context = stream_context_create(['http' => [
            'method' => 'POST',
            'header' => "Content-Type: application/x-www-form-urlencoded\r\nauthorization: " . $authorization
                . "\r\nx-oss-pub-key-url: " . $pubKeyUrl . "\r\n",
            'content' => $body,
            'ignore_errors' => true,
        ]]);
        $answer = file_get_contents('http://127.0.0.1:' . ($port ?? self::$server->port) . $path, false, $context);
        self::assertIsString($answer);
        $status = (int) explode(' ', $http_response_header[0])[1];
        $json = json_decode($answer, true);
        self::assertIsArray($json, $answer);
        return [$status, $json];
    }
}
