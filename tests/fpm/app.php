<?php

/**
 * The application endpoint of the FPM load test (tests/fpm/run.py), served by nginx and PHP-FPM with the
 * production settings of bindings/php/README.md. Every upload builds a new OssClient, as applications do, and
 * carries an upload callback to the callback receiver (callbackBody "key=${object}"):
 *   POST /app.php?op=put&key=K     putObject(K, request body)
 *   POST /app.php?op=multi&key=K   multiuploadFile(K, FPM_TEST_BIG_FILE) in 1 MiB parts
 *   POST /app.php?op=fork&key=K    puts the body to K-before (so the worker has a cached native client and open
 *                                  connections), fork()s: the child puts it to K-child with its own OssClient
 *                                  and _exit()s; the parent waits for it, then puts it to K-after
 * The answer is JSON {"status": "ok"|"error", "key", "pid", "id": the native client id (0 while OssClient has no
 * ossrsNativeClientId()), "error": on failure}; a fork answer is K-after's with K-before's and K-child's under
 * "before" and "child". A failed upload (OssException) is answered with HTTP 500, so that PHP's answers stand
 * apart from nginx's 502 and 504.
 * sabotage=crash|corrupt|double-callback|leak (run.py's FPM_TEST_SABOTAGE) breaks the request on purpose.
 */

declare(strict_types=1);

use OSS\Core\OssException;
use OSS\OssClient;

/** @return array<string, mixed> */
function upload(string $op, string $key, string $body, string $sabotage): array
{
    $answer = ['status' => 'ok', 'key' => $key, 'pid' => getmypid(), 'id' => 0];
    try {
        $client = new OssClient('AKIDEXAMPLE', 'SECRETEXAMPLE', (string) getenv('FPM_TEST_ENDPOINT'));
        $client->setTimeout((float) getenv('FPM_TEST_TIMEOUT'));
        if (method_exists($client, 'ossrsNativeClientId')) {
            $answer['id'] = $client->ossrsNativeClientId();
        }
        $callback = json_encode([
            'callbackUrl' => getenv('FPM_TEST_CALLBACK_URL'),
            'callbackBody' => 'key=${object}',
            'callbackBodyType' => 'application/x-www-form-urlencoded',
        ], JSON_UNESCAPED_SLASHES);
        $bucket = (string) getenv('FPM_TEST_BUCKET');
        if ($op === 'multi') {
            $client->multiuploadFile($bucket, $key, (string) getenv('FPM_TEST_BIG_FILE'), [
                OssClient::OSS_PART_SIZE => 1024 * 1024,
                OssClient::OSS_CALLBACK => $callback,
            ]);
        } else {
            $client->putObject($bucket, $key, $sabotage === 'corrupt' ? 'X' . substr($body, 1) : $body, [
                OssClient::OSS_CALLBACK => $callback,
            ]);
        }
    } catch (OssException $e) {
        $answer['status'] = 'error';
        $answer['error'] = get_class($e) . ': ' . ($e->getErrorCode() !== '' ? $e->getErrorCode() : $e->getMessage());
    }
    if ($sabotage === 'double-callback' && $answer['status'] === 'ok') {
        file_get_contents((string) getenv('FPM_TEST_CALLBACK_URL'), false, stream_context_create(['http' => [
            'method' => 'POST',
            'header' => 'Content-Type: application/x-www-form-urlencoded',
            'content' => 'key=' . $key,
            'ignore_errors' => true,
        ]]));
    }
    return $answer;
}

/** @return array<string, mixed> the parent's last upload, with the others under "before" and "child" */
function forked(string $key, string $body): array
{
    $before = upload('put', $key . '-before', $body, '');
    $file = (string) tempnam(sys_get_temp_dir(), 'fpm-fork-');
    $child = FpmTestLibc::fork();
    if ($child === 0) {
        try {
            file_put_contents($file, json_encode(upload('put', $key . '-child', $body, '')));
        } finally {
            FpmTestLibc::exit(0);
        }
    }
    $status = $child > 0 ? FpmTestLibc::wait($child) : -1;
    $answer = upload('put', $key . '-after', $body, '');
    $answer['before'] = $before;
    $answer['child'] = json_decode((string) file_get_contents($file), true)
        ?? ['status' => 'error', 'key' => $key . '-child', 'error' => "no report from the child (fork $child, wait status $status)"];
    unlink($file);
    return $answer;
}

$op = $_GET['op'] ?? 'put';
$key = $_GET['key'] ?? '';
$body = (string) file_get_contents('php://input');
$sabotage = $_GET['sabotage'] ?? '';
if ($sabotage === 'crash') {
    FpmTestLibc::libc()->memset(null, 0, 1);   // writes to address 0: SIGSEGV
}
if ($sabotage === 'leak') {
    $libc = FpmTestLibc::libc();
    $libc->memset($libc->malloc(1 << 20), 1, 1 << 20);   // 1 MiB never freed, written so that it counts in RSS
}
$answer = $op === 'fork' ? forked($key, $body) : upload($op, $key, $body, $sabotage);
http_response_code($answer['status'] === 'ok' ? 200 : 500);
header('Content-Type: application/json');
echo json_encode($answer);
