<?php
/*
 * W1 (e) through PHP FFI (bench/run.py runs it with `php -d ffi.enable=1`): one OssClient::multiuploadFile of FILE
 * in parts of PART_SIZE, PARALLELISM parts at a time, Content-MD5 on every part (OSS_CHECK_MD5) and the seed
 * sample's JSON callback on complete.
 *
 * Usage: php -d ffi.enable=1 bench/w1_multiupload.php FILE PARALLELISM PART_SIZE
 * Environment: OSS_ENDPOINT, OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_BUCKET, OSS_OBJECT, OSS_CALLBACK_URL,
 * OSS_CALLBACK_HOST. Prints `elapsed_s=<seconds> status=<http> body=<reply>`; the time covers the upload only.
 */
require_once __DIR__ . '/../bindings/php/autoload.php';

use OSS\OssClient;
use OSS\Core\OssException;

[$file, $parallelism, $partSize] = [$argv[1], (int) $argv[2], (int) $argv[3]];
[$callback, $var] = require __DIR__ . '/seed_callback.php';
$client = new OssClient(getenv('OSS_ACCESS_KEY_ID'), getenv('OSS_ACCESS_KEY_SECRET'), getenv('OSS_ENDPOINT'));
$t0 = hrtime(true);
try {
    $result = $client->multiuploadFile(getenv('OSS_BUCKET'), getenv('OSS_OBJECT'), $file, [
        OssClient::OSS_PART_SIZE => $partSize,
        OssClient::OSS_CHECK_MD5 => true,
        OssClient::OSSRS_PARALLELISM => $parallelism,
        OssClient::OSS_CALLBACK => $callback,
        OssClient::OSS_CALLBACK_VAR => $var,
    ]);
} catch (OssException $e) {
    fwrite(STDERR, 'multiuploadFile failed: ' . $e->getMessage() . "\n");
    exit(1);
}
printf("elapsed_s=%.6f status=%s body=%s\n", (hrtime(true) - $t0) / 1e9, $result['info']['http_code'], $result['body']);
