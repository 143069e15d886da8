<?php

declare(strict_types=1);

namespace OSS\Tests\Support;

/**
 * A fake OSS endpoint (`php -S` with recorder-router.php) that records each request and answers by the request's
 * shape; see the router for the rules. Used for assertions on what goes on the wire.
 */
final class Recorder
{
    private Process $server;
    private string $log;

    private function __construct(Process $server, string $log)
    {
        $this->server = $server;
        $this->log = $log;
    }

    public static function start(): self
    {
        $log = Paths::scratch() . '/recorder-' . bin2hex(random_bytes(4)) . '.jsonl';
        touch($log);
        $router = __DIR__ . '/recorder-router.php';
        $server = Process::startOnFreePort(
            static fn (int $port): array => [PHP_BINARY, '-n', '-S', '127.0.0.1:' . $port, $router],
            ['RECORDER_LOG' => $log],
            $why
        );
        if ($server === null) {
            throw new \RuntimeException('the recorder did not start: ' . $why);
        }
        return new self($server, $log);
    }

    public function endpoint(): string
    {
        return 'http://127.0.0.1:' . $this->server->port;
    }

    /**
     * The requests recorded so far, oldest first: method, target, headers (name => value) and body.
     *
     * @return list<array{method: string, target: string, headers: array<string, string>, body: string}>
     */
    public function requests(): array
    {
        $requests = [];
        foreach (file($this->log, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) ?: [] as $line) {
            $request = json_decode($line, true);
            $request['body'] = base64_decode($request['body']);
            $requests[] = $request;
        }
        return $requests;
    }

    /**
     * The last request.
     *
     * @return array{method: string, target: string, headers: array<string, string>, body: string}
     */
    public function last(): array
    {
        $requests = $this->requests();
        if ($requests === []) {
            throw new \RuntimeException('the recorder has not seen a request');
        }
        return $requests[count($requests) - 1];
    }

    /** The value of header $name (case-insensitive) in $request, null when absent. */
    public static function header(array $request, string $name): ?string
    {
        foreach ($request['headers'] as $n => $v) {
            if (strcasecmp($n, $name) === 0) {
                return $v;
            }
        }
        return null;
    }

    public function stop(): void
    {
        $this->server->stop();
    }
}
