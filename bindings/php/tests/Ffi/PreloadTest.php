<?php

declare(strict_types=1);

namespace OSS\Tests\Ffi;

use OSS\Native\Library;
use OSS\Tests\Support\Emulator;
use OSS\Tests\Support\Paths;
use OSS\Tests\Support\Process;
use OSS\Tests\Support\Recorder;
use PHPUnit\Framework\TestCase;

/**
 * The production setup of PHP-FPM, reproduced with `php -S` (whose cli-server SAPI is restricted like FPM):
 * ffi.enable=preload, ffi.preload with a header from bin/ossrs-ffi-header.php, opcache.preload=preload.php and,
 * when running as root, opcache.preload_user. The request script is not preloaded: FFI::cdef() is refused there,
 * while OssClient does a putObject with a callback.
 */
final class PreloadTest extends TestCase
{
    private static ?Process $server = null;

    public static function setUpBeforeClass(): void
    {
        if (!extension_loaded('Zend OPcache')) {
            self::fail('the preload test needs the OPcache extension (php8.2-opcache)');
        }
        $header = Paths::scratch() . '/ossrs-preload.h';
        $generate = Process::php(Paths::package() . '/bin/ossrs-ffi-header.php', [$header]);
        self::assertSame(0, $generate['exit'], $generate['stderr']);
        $settings = [
            'ffi.enable=preload',
            'opcache.enable=1',
            'opcache.enable_cli=1',
            'opcache.preload=' . Paths::package() . '/preload.php',
            'ffi.preload=' . $header,
        ];
        if (function_exists('posix_geteuid') && posix_geteuid() === 0) {
            $settings[] = 'opcache.preload_user=' . self::unprivilegedUser();
        }
        $router = dirname(__DIR__) . '/scripts/preload-request.php';
        $server = Process::startOnFreePort(static function (int $port) use ($settings, $router): array {
            $argv = [PHP_BINARY];
            foreach ($settings as $setting) {
                array_push($argv, '-d', $setting);
            }
            return array_merge($argv, ['-S', '127.0.0.1:' . $port, $router]);
        }, ['OSSRS_LIB' => false], $why);
        if ($server === null) {
            self::fail('php -S with preloading did not start: ' . $why);
        }
        self::$server = $server;
    }

    public static function tearDownAfterClass(): void
    {
        if (self::$server !== null) {
            self::$server->stop();
        }
    }

    public function testRestrictedFfiInRequestsAndAPutWithCallbackThroughTheRecorder(): void
    {
        $recorder = Recorder::start();
        try {
            $report = $this->request($recorder->endpoint(), 'bkt', 'preload.txt', 'http://127.0.0.1:1/cb');
            $sent = $recorder->last();
        } finally {
            $recorder->stop();
        }
        self::assertSame('cli-server', $report['sapi']);
        self::assertSame('preload', $report['ffi.enable']);
        self::assertTrue($report['preloaded'], 'the package classes are preloaded');
        self::assertSame('FFI\Exception: FFI API is restricted by "ffi.enable" configuration directive', $report['cdef']);
        self::assertSame(Library::version(), $report['version']);
        self::assertSame('scope OSSRS', $report['source'], 'loaded through ffi.preload');
        self::assertSame(200, $report['status'] ?? $report['error']);
        self::assertSame('{"Status":"OK","from":"recorder"}', $report['body']);
        self::assertSame('uploaded under ffi.enable=preload', $sent['body']);
        self::assertNotNull(Recorder::header($sent, 'x-oss-callback'));
    }

    public function testAPutWithCallbackThroughTheEmulator(): void
    {
        $emulator = Emulator::get();
        $report = $this->request($emulator->endpoint(), Emulator::BUCKET, 'preload-emulator.txt', $emulator->callbackUrl('/preload'));
        self::assertSame(200, $report['status'] ?? $report['error']);
        $callback = $emulator->callbackContaining('/preload', 'object=preload-emulator.txt');
        self::assertStringContainsString('from=preload', $callback['body']);
        self::assertSame($callback['body'] !== '' ? true : null, $callback['signature_valid']);
        self::assertNotSame('', $report['body']);
    }

    public function testAMultiuploadFileWithProgressThroughTheEmulator(): void
    {
        $emulator = Emulator::get();
        $report = $this->request(
            $emulator->endpoint(),
            Emulator::BUCKET,
            'preload-multiupload.txt',
            $emulator->callbackUrl('/preload-multiupload'),
            'multiupload'
        );
        self::assertSame(200, $report['status'] ?? $report['error']);
        // The progress trampoline belongs to one request: the next request makes its own.
        $again = $this->request(
            $emulator->endpoint(),
            Emulator::BUCKET,
            'preload-multiupload-again.txt',
            $emulator->callbackUrl('/preload-multiupload'),
            'multiupload'
        );
        self::assertSame(200, $again['status'] ?? $again['error']);
        self::assertCount(3, $again['progress']);
        self::assertSame('scope OSSRS', $report['source']);
        $progress = $report['progress'];
        $parts = array_column($progress, 0);
        sort($parts);
        self::assertSame([1, 2, 3], $parts, 'each part reported once');
        $done = array_column($progress, 1);
        self::assertSame($done, array_values(array_unique($done)));
        sort($done);
        self::assertSame($done, array_column($progress, 1), 'bytes done grow');
        self::assertSame(280000, end($done));
        self::assertSame([280000], array_values(array_unique(array_column($progress, 2))));
        self::assertSame('DomainException: thrown in a progress closure', $report['rethrown'] ?? null);
        $callback = $emulator->callbackContaining('/preload-multiupload', 'object=preload-multiupload.txt');
        self::assertStringContainsString('from=preload', $callback['body']);
        self::assertNotSame('', $report['body']);
    }

    /** @return array<string, mixed> the request script's report */
    private function request(string $endpoint, string $bucket, string $object, string $callback, string $mode = ''): array
    {
        $query = http_build_query(compact('endpoint', 'bucket', 'object', 'callback', 'mode'));
        $answer = file_get_contents('http://127.0.0.1:' . self::$server->port . '/?' . $query);
        self::assertIsString($answer);
        $report = json_decode($answer, true);
        self::assertIsArray($report, $answer);
        return $report;
    }

    private static function unprivilegedUser(): string
    {
        foreach (['nobody', 'www-data', 'daemon'] as $user) {
            if (posix_getpwnam($user) !== false) {
                return $user;
            }
        }
        self::fail('running as root, and no unprivileged user for opcache.preload_user exists');
    }
}
