<?php

/**
 * One OssClient used before fork(), then in the child and in the parent. libossrs clients belong to the process
 * that made them, so the child must transparently get its own. Prints one JSON line per process, with the id of
 * the native client used before the fork and after it.
 * Argument: endpoint.
 */

declare(strict_types=1);

require dirname(__DIR__, 2) . '/autoload.php';

use OSS\OssClient;

$client = new OssClient('AKIDEXAMPLE', 'SECRETEXAMPLE', $argv[1]);
$client->putObject('bkt', 'before-fork.txt', 'parent');
$before = $client->ossrsNativeClientId();
$pid = pcntl_fork();
if ($pid === -1) {
    exit(3);
}
$who = $pid === 0 ? 'child' : 'parent';
try {
    $status = $client->putObject('bkt', $who . '.txt', $who)['info']['http_code'];
    $ids = ['before' => $before, 'after' => $client->ossrsNativeClientId()];
    // One write per line: parent and child share stdout, and `echo a, b` would be two writes that can interleave.
    echo json_encode(['process' => $who, 'status' => $status, 'ids' => $ids]) . "\n";
} catch (Throwable $e) {
    echo json_encode(['process' => $who, 'error' => get_class($e) . ': ' . $e->getMessage()]) . "\n";
    exit(1);
}
if ($pid === 0) {
    exit(0);
}
pcntl_waitpid($pid, $childStatus);
exit(pcntl_wexitstatus($childStatus) === 0 ? 0 : 2);
