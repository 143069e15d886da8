<?php

declare(strict_types=1);

namespace OSS\Tests\Support;

/**
 * Child processes: one-shot commands with captured output, and long-running servers that print their port.
 */
final class Process
{
    /** @var resource */
    private $handle;
    /** @var array<int, resource> */
    private array $pipes;
    public int $port = 0;

    /**
     * @param resource $handle
     * @param array<int, resource> $pipes
     */
    private function __construct($handle, array $pipes)
    {
        $this->handle = $handle;
        $this->pipes = $pipes;
    }

    /**
     * Runs $command to completion.
     *
     * @param list<string> $command
     * @param array<string, string> $env added to (or, with false, removed from) the current environment
     * @return array{exit: int, stdout: string, stderr: string}
     */
    public static function run(array $command, array $env = [], ?string $cwd = null, int $timeout = 300): array
    {
        $proc = proc_open($command, [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, $cwd, self::env($env));
        if (!is_resource($proc)) {
            throw new \RuntimeException('cannot start ' . implode(' ', $command));
        }
        fclose($pipes[0]);
        $out = ['', ''];
        $open = [1 => $pipes[1], 2 => $pipes[2]];
        $deadline = microtime(true) + $timeout;
        while ($open !== [] && microtime(true) < $deadline) {
            $read = array_values($open);
            $write = $except = null;
            if (stream_select($read, $write, $except, 1) === false) {
                break;
            }
            foreach ($read as $stream) {
                $index = array_search($stream, $open, true);
                $chunk = fread($stream, 65536);
                if ($chunk === '' || $chunk === false) {
                    fclose($stream);
                    unset($open[$index]);
                } else {
                    $out[$index - 1] .= $chunk;
                }
            }
        }
        foreach ($open as $stream) {
            fclose($stream);
            proc_terminate($proc, 9);
        }
        $exit = proc_close($proc);
        return ['exit' => $exit, 'stdout' => $out[0], 'stderr' => $out[1]];
    }

    /**
     * Runs a PHP script with the current PHP binary.
     *
     * @param list<string> $args the script's arguments
     * @param array<string, string|false> $env
     * @param list<string> $phpArgs options before the script (-d ...)
     * @return array{exit: int, stdout: string, stderr: string}
     */
    public static function php(string $script, array $args = [], array $env = [], array $phpArgs = []): array
    {
        return self::run(array_merge([PHP_BINARY], $phpArgs, [$script], $args), $env);
    }

    /**
     * Starts a server that prints its port as the first line of stdout (oss-emulator, callback-receiver, the
     * recorder). Its output goes to files, so a chatty server never blocks on a full pipe. Returns null, with
     * $why set, when it exits or stays silent.
     *
     * @param list<string> $command
     * @param array<string, string|false> $env
     */
    public static function startServer(array $command, array $env, ?string &$why, float $timeout = 15.0): ?self
    {
        $base = Paths::scratch() . '/' . basename($command[0]) . '-' . bin2hex(random_bytes(3));
        $stdout = $base . '.out';
        $stderr = $base . '.err';
        $proc = proc_open(
            $command,
            [0 => ['pipe', 'r'], 1 => ['file', $stdout, 'w'], 2 => ['file', $stderr, 'w']],
            $pipes,
            null,
            self::env($env)
        );
        if (!is_resource($proc)) {
            $why = 'cannot start ' . $command[0];
            return null;
        }
        $server = new self($proc, $pipes);
        $deadline = microtime(true) + $timeout;
        while (microtime(true) < $deadline) {
            $output = (string) file_get_contents($stdout);
            if (strpos($output, "\n") !== false) {
                $first = trim(strstr($output, "\n", true));
                if (ctype_digit($first)) {
                    $server->port = (int) $first;
                    return $server;
                }
                $why = $command[0] . ' printed "' . $first . '" instead of its port';
                $server->stop();
                return null;
            }
            if (!proc_get_status($proc)['running']) {
                $why = $command[0] . ' exited without printing its port' . self::tail((string) file_get_contents($stderr));
                $server->stop();
                return null;
            }
            usleep(20000);
        }
        $why = $command[0] . ' printed no port within ' . $timeout . ' s';
        $server->stop();
        return null;
    }

    /**
     * Starts a server on a port chosen here (php -S cannot report one) and waits until it accepts connections.
     *
     * @param \Closure(int): list<string> $command the command line for a port
     * @param array<string, string|false> $env
     */
    public static function startOnFreePort(\Closure $command, array $env, ?string &$why): ?self
    {
        $probe = stream_socket_server('tcp://127.0.0.1:0');
        if ($probe === false) {
            $why = 'cannot find a free port';
            return null;
        }
        $port = (int) substr((string) strrchr((string) stream_socket_get_name($probe, false), ':'), 1);
        fclose($probe);
        $argv = $command($port);
        $log = Paths::scratch() . '/' . basename($argv[0]) . '-' . $port . '.log';
        $proc = proc_open($argv, [0 => ['pipe', 'r'], 1 => ['file', $log, 'a'], 2 => ['file', $log, 'a']], $pipes, null, self::env($env));
        if (!is_resource($proc)) {
            $why = 'cannot start ' . $argv[0];
            return null;
        }
        $server = new self($proc, $pipes);
        $server->port = $port;
        $deadline = microtime(true) + 15;
        while (microtime(true) < $deadline) {
            $socket = @stream_socket_client('tcp://127.0.0.1:' . $port, $errno, $errstr, 0.2);
            if ($socket !== false) {
                fclose($socket);
                return $server;
            }
            if (!proc_get_status($proc)['running']) {
                break;
            }
            usleep(20000);
        }
        $why = $argv[0] . ' did not listen on port ' . $port . self::tail((string) file_get_contents($log));
        $server->stop();
        return null;
    }

    /** Stops the process (SIGTERM, then SIGKILL) and closes its pipes. */
    public function stop(): void
    {
        if (!is_resource($this->handle)) {
            return;
        }
        if (proc_get_status($this->handle)['running']) {
            proc_terminate($this->handle, 15);
            $deadline = microtime(true) + 3;
            while (proc_get_status($this->handle)['running'] && microtime(true) < $deadline) {
                usleep(20000);
            }
            if (proc_get_status($this->handle)['running']) {
                proc_terminate($this->handle, 9);
            }
        }
        foreach ($this->pipes as $pipe) {
            if (is_resource($pipe)) {
                fclose($pipe);
            }
        }
        proc_close($this->handle);
    }

    /**
     * @param array<string, string|false> $overrides
     * @return array<string, string>
     */
    private static function env(array $overrides): array
    {
        $env = getenv();
        foreach ($overrides as $name => $value) {
            if ($value === false) {
                unset($env[$name]);
            } else {
                $env[$name] = $value;
            }
        }
        return $env;
    }

    private static function tail(string $stderr): string
    {
        $stderr = trim($stderr);
        return $stderr === '' ? '' : ' (stderr: ' . substr($stderr, -300) . ')';
    }
}
