<?php

/**
 * Memory check: N putObject calls with a header option on one OssClient, after a warm-up; one call in 100 fails,
 * to cover the error path. Prints JSON with zend memory (memory_get_usage) and resident set size (VmRSS of
 * /proc/self/status) before and after the loop.
 * Arguments: endpoint, bucket, number of calls, and how calls fail:
 *   recorder   every call carries a callback; the failing ones target "status-403.txt" (answered 403)
 *   emulator   the failing calls carry a callback to a closed port (answered 203 CallbackFailed)
 */

declare(strict_types=1);

require dirname(__DIR__, 2) . '/autoload.php';

use OSS\Core\OssException;
use OSS\OssClient;

[, $endpoint, $bucket, $count, $mode] = $argv;
$count = (int) $count;

function rss(): int
{
    preg_match('/^VmRSS:\s+(\d+) kB/m', (string) file_get_contents('/proc/self/status'), $m);
    return (int) $m[1] * 1024;
}

$client = new OssClient('AKIDEXAMPLE', 'SECRETEXAMPLE', $endpoint);
$body = str_repeat('ossrs', 200);
$callback = '{"callbackUrl":"http://127.0.0.1:1/cb","callbackBody":"bucket=${bucket}&object=${object}"}';
$failures = 0;
$put = static function (int $i) use ($client, $bucket, $body, $callback, $mode, &$failures): void {
    $failing = $i % 100 === 99;
    $options = [OssClient::OSS_HEADERS => ['x-oss-meta-i' => $i]];
    if ($mode === 'recorder' || $failing) {
        $options[OssClient::OSS_CALLBACK] = $callback;
    }
    $object = $mode === 'recorder' && $failing ? 'status-403.txt' : 'loop-' . ($i % 10) . '.txt';
    try {
        $result = $client->putObject($bucket, $object, $body, $options);
        if ($result['info']['http_code'] !== 200) {
            throw new RuntimeException('unexpected status ' . $result['info']['http_code']);
        }
    } catch (OssException $e) {
        $failures++;
    }
};
for ($i = 0; $i < 300; $i++) {
    $put($i);
}
gc_collect_cycles();
$before = ['memory' => memory_get_usage(), 'rss' => rss()];
$start = microtime(true);
$failures = 0;
for ($i = 0; $i < $count; $i++) {
    $put($i);
}
gc_collect_cycles();
echo json_encode([
    'calls' => $count,
    'failures' => $failures,
    'seconds' => round(microtime(true) - $start, 2),
    'memory_before' => $before['memory'],
    'memory_after' => memory_get_usage(),
    'rss_before' => $before['rss'],
    'rss_after' => rss(),
]), "\n";
