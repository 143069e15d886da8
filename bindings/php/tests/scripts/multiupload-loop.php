<?php

/**
 * Memory check of multiuploadFile with a progress callable: N uploads of a 3-part file on one OssClient, after a
 * warm-up. Every call passes a new closure; one call in 10 cancels (the closure returns false) and one in 25
 * throws from the closure, to cover the cancel and rethrow paths. Prints JSON with the number of calls, progress
 * reports, cancellations, rethrown exceptions, zend memory (memory_get_usage) and resident set size (VmRSS) before
 * and after the loop.
 * Arguments: endpoint, bucket, number of calls, scratch file path.
 */

declare(strict_types=1);

require dirname(__DIR__, 2) . '/autoload.php';

use OSS\Core\OssException;
use OSS\OssClient;

[, $endpoint, $bucket, $count, $file] = $argv;
$count = (int) $count;

function rss(): int
{
    preg_match('/^VmRSS:\s+(\d+) kB/m', (string) file_get_contents('/proc/self/status'), $m);
    return (int) $m[1] * 1024;
}

file_put_contents($file, str_repeat('ossrs-multiupload', 15000)); // 255000 bytes: 3 parts of at most 102400
$client = new OssClient('AKIDEXAMPLE', 'SECRETEXAMPLE', $endpoint);
$stats = ['reports' => 0, 'cancelled' => 0, 'rethrown' => 0];
$upload = static function (int $i) use ($client, $bucket, $file, &$stats): void {
    $progress = static function (int $part, int $done, int $total) use ($i, &$stats): bool {
        $stats['reports']++;
        if ($i % 25 === 24) {
            throw new DomainException('stop ' . $i);
        }
        return $i % 10 !== 9;
    };
    try {
        $result = $client->multiuploadFile($bucket, 'multiupload-loop-' . ($i % 10) . '.bin', $file, [
            OssClient::OSS_PART_SIZE => OssClient::OSS_MIN_PART_SIZE,
            OssClient::OSS_HEADERS => ['x-oss-meta-i' => $i],
            OssClient::OSSRS_PROGRESS => $progress,
        ]);
        if ($result['info']['http_code'] !== 200) {
            throw new RuntimeException('unexpected status ' . $result['info']['http_code']);
        }
    } catch (OssException $e) {
        $stats['cancelled']++;
    } catch (DomainException $e) {
        $stats['rethrown']++;
    }
};
for ($i = 0; $i < 50; $i++) {
    $upload($i);
}
gc_collect_cycles();
$before = ['memory' => memory_get_usage(), 'rss' => rss()];
$stats = ['reports' => 0, 'cancelled' => 0, 'rethrown' => 0];
$start = microtime(true);
for ($i = 0; $i < $count; $i++) {
    $upload($i);
}
gc_collect_cycles();
echo json_encode([
    'calls' => $count,
    'seconds' => round(microtime(true) - $start, 2),
] + $stats + [
    'memory_before' => $before['memory'],
    'memory_after' => memory_get_usage(),
    'rss_before' => $before['rss'],
    'rss_after' => rss(),
]), "\n";
