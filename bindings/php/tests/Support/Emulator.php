<?php

declare(strict_types=1);

namespace OSS\Tests\Support;

use PHPUnit\Framework\Assert;

/**
 * The project's OSS emulator and callback receiver, started once per test process from the Cargo build
 * (target/debug/oss-emulator, target/debug/callback-receiver; OSSRS_EMULATOR_BIN and
 * OSSRS_CALLBACK_RECEIVER_BIN override the paths).
 *
 * When a binary is missing or does not start, tests that need it are skipped with the reason, unless
 * OSSRS_REQUIRE_EMULATOR=1, which turns that into a failure.
 */
final class Emulator
{
    public const BUCKET = 'ossrs-php-test';
    public const REGION = 'cn-hangzhou';
    public const KEY_ID = 'AKIDEXAMPLE';
    public const KEY_SECRET = 'SECRETEXAMPLE';
    public const STS_ID = 'STSKEYID';
    public const STS_SECRET = 'STSSECRET';
    public const STS_TOKEN = 'STSTOKENEXAMPLE';

    private static ?self $instance = null;
    private static ?string $unavailable = null;

    private Process $emulator;
    private Process $receiver;
    private string $receiverLog;

    private function __construct(Process $emulator, Process $receiver, string $receiverLog)
    {
        $this->emulator = $emulator;
        $this->receiver = $receiver;
        $this->receiverLog = $receiverLog;
    }

    /** The running emulator, or the current test is skipped (or failed, see the class doc). */
    public static function get(): self
    {
        if (self::$instance === null && self::$unavailable === null) {
            self::$instance = self::start();
        }
        if (self::$instance === null) {
            $message = 'OSS emulator unavailable: ' . self::$unavailable
                . ' (build it with `cargo build --workspace`; these tests run once it exists)';
            if (getenv('OSSRS_REQUIRE_EMULATOR') === '1') {
                Assert::fail($message);
            }
            Assert::markTestSkipped($message);
        }
        return self::$instance;
    }

    private static function start(): ?self
    {
        $emulatorBin = getenv('OSSRS_EMULATOR_BIN') ?: Paths::debugBinary('oss-emulator');
        $receiverBin = getenv('OSSRS_CALLBACK_RECEIVER_BIN') ?: Paths::debugBinary('callback-receiver');
        foreach ([$emulatorBin, $receiverBin] as $binary) {
            if (!is_file($binary) || !is_executable($binary)) {
                self::$unavailable = $binary . ' does not exist';
                return null;
            }
        }
        $dir = Paths::scratch() . '/emulator';
        mkdir($dir . '/data', 0755, true);
        $receiverLog = $dir . '/callbacks.jsonl';
        touch($receiverLog);
        $receiver = Process::startServer(
            [$receiverBin, '--port', '0', '--allow-key-prefix', 'http://127.0.0.1:', '--log', $receiverLog],
            [],
            $why
        );
        if ($receiver === null) {
            self::$unavailable = (string) $why;
            return null;
        }
        $emulator = Process::startServer([
            $emulatorBin, '--port', '0', '--data-dir', $dir . '/data', '--bucket', self::BUCKET,
            '--key', self::KEY_ID . ':' . self::KEY_SECRET,
            '--sts', self::STS_ID . ':' . self::STS_SECRET . ':' . self::STS_TOKEN,
            '--region', self::REGION, '--log', $dir . '/requests.jsonl',
        ], [], $why);
        if ($emulator === null) {
            $receiver->stop();
            self::$unavailable = (string) $why;
            return null;
        }
        $owner = getmypid();
        register_shutdown_function(static function () use ($emulator, $receiver, $owner): void {
            if (getmypid() === $owner) {
                $emulator->stop();
                $receiver->stop();
            }
        });
        return new self($emulator, $receiver, $receiverLog);
    }

    /** The endpoint (an IP, so requests are path-style). */
    public function endpoint(): string
    {
        return 'http://127.0.0.1:' . $this->emulator->port;
    }

    /**
     * OSS requests the emulator received so far (its `/__emulator/stats` counter, which does not count the
     * private endpoints): unchanged across a call means the call sent nothing.
     */
    public function requestCount(): int
    {
        $context = stream_context_create(['http' => ['timeout' => 10, 'ignore_errors' => true]]);
        $json = file_get_contents($this->endpoint() . '/__emulator/stats', false, $context);
        $stats = is_string($json) ? json_decode($json, true) : null;
        if (!is_array($stats) || !is_int($stats['requests'] ?? null)) {
            Assert::fail('cannot read the emulator\'s request counter: ' . var_export($json, true));
        }
        return $stats['requests'];
    }

    /** The emulator as an HTTP proxy (it accepts absolute-form requests for *.aliyuncs.com hosts). */
    public function proxy(): string
    {
        return 'http://127.0.0.1:' . $this->emulator->port;
    }

    /** A callback URL on the receiver. */
    public function callbackUrl(string $path = '/callback'): string
    {
        return 'http://127.0.0.1:' . $this->receiver->port . $path;
    }

    /**
     * The callbacks the receiver got so far (path, query, headers, body, signature_valid, pub_key_url).
     *
     * @return list<array<string, mixed>>
     */
    public function callbacks(): array
    {
        $callbacks = [];
        foreach (file($this->receiverLog, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) ?: [] as $line) {
            $callbacks[] = json_decode($line, true);
        }
        return $callbacks;
    }

    /**
     * The callback received on $path whose body contains $needle.
     *
     * @return array<string, mixed>
     */
    public function callbackContaining(string $path, string $needle): array
    {
        foreach (array_reverse($this->callbacks()) as $callback) {
            if ($callback['path'] === $path && strpos((string) $callback['body'], $needle) !== false) {
                return $callback;
            }
        }
        Assert::fail('no callback on ' . $path . ' with "' . $needle . '" in its body; got ' . json_encode($this->callbacks()));
    }

    /**
     * The emulator's request log so far (method, path, query, headers as [name, value] pairs, status, …), oldest
     * first.
     *
     * @return list<array<string, mixed>>
     */
    public function requests(): array
    {
        $requests = [];
        $log = dirname($this->receiverLog) . '/requests.jsonl';
        foreach (file($log, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) ?: [] as $line) {
            $requests[] = json_decode($line, true);
        }
        return $requests;
    }

    /**
     * Every stored version and delete marker of bucket/key, newest first, read from the emulator's data directory
     * (data/objects/<bucket>/<sha256 of the key>[.<version id>].json beside its .data): [version id, bytes] for a
     * version, [version id, null] for a delete marker.
     *
     * @return list<array{0: string, 1: ?string}>
     */
    public function objectVersions(string $bucket, string $key): array
    {
        $dir = dirname($this->receiverLog) . '/data/objects/' . $bucket;
        $entries = [];
        foreach (glob($dir . '/' . hash('sha256', $key) . '*.json') ?: [] as $file) {
            $meta = json_decode((string) file_get_contents($file), true);
            $data = substr($file, 0, -strlen('.json')) . '.data';
            $bytes = ($meta['delete_marker'] ?? false) ? null : (string) file_get_contents($data);
            $entries[] = [(int) ($meta['seq'] ?? 0), (string) $meta['version_id'], $bytes];
        }
        usort($entries, fn ($a, $b) => $b[0] <=> $a[0]);
        return array_map(fn ($e) => [$e[1], $e[2]], $entries);
    }

    /**
     * The ids of the multipart uploads open now (neither completed nor aborted), sorted: the emulator keeps each
     * one's parts in data/uploads/<id>/ until then.
     *
     * @return list<string>
     */
    public function openUploads(): array
    {
        $dir = dirname($this->receiverLog) . '/data/uploads';
        Assert::assertDirectoryExists($dir, 'the emulator keeps open uploads here');
        $ids = array_values(array_diff(scandir($dir) ?: [], ['.', '..']));
        sort($ids);
        return $ids;
    }

    /**
     * Replaces the emulator's fault rules (`PUT /__emulator/faults`; the JSON form documented in
     * emulator/src/faults.rs); no rules clears them.
     *
     * @param list<array<string, mixed>> $rules
     */
    public function setFaults(array $rules): void
    {
        $context = stream_context_create(['http' => [
            'method' => 'PUT',
            'header' => "Content-Type: application/json\r\n",
            'content' => json_encode(['seed' => 1, 'rules' => $rules], JSON_THROW_ON_ERROR),
            'timeout' => 10,
            'ignore_errors' => true,
        ]]);
        $answer = file_get_contents($this->endpoint() . '/__emulator/faults', false, $context);
        Assert::assertSame(
            'HTTP/1.1 200 OK',
            $http_response_header[0] ?? '',
            'the emulator took the fault rules: ' . var_export($answer, true)
        );
    }
}
