<?php
/*
 * W2 through PHP FFI (bench/run.py runs it with `php -d ffi.enable=1`): COUNT sequential putObject calls of SIZE
 * random bytes each, every one with the upload callback (OSS_CALLBACK + OSS_CALLBACK_VAR), on one OSS\OssClient.
 *
 * Usage: php -d ffi.enable=1 bench/w2_put.php COUNT SIZE
 * Environment: OSS_ENDPOINT (http:// or https://), OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_BUCKET, OSS_OBJECT,
 * OSS_CALLBACK_URL, OSS_CALLBACK_HOST; over HTTPS with a CA of its own, SSL_CERT_FILE (OssClient has no CA-file
 * option: the file replaces libossrs's system store). Prints `elapsed_s=<seconds> status=<http> body=<reply>`; the time covers the loop only.
 */
require_once __DIR__ . '/../bindings/php/autoload.php';

use OSS\OssClient;
use OSS\Core\OssException;

$count = (int) ($argv[1] ?? 2000);
$size = (int) ($argv[2] ?? 4096);
$bucket = getenv('OSS_BUCKET');
$object = getenv('OSS_OBJECT');

[$callback, $var] = require __DIR__ . '/seed_callback.php';
$options = array(OssClient::OSS_CALLBACK => $callback, OssClient::OSS_CALLBACK_VAR => $var);

$client = new OssClient(getenv('OSS_ACCESS_KEY_ID'), getenv('OSS_ACCESS_KEY_SECRET'), getenv('OSS_ENDPOINT'));
$content = random_bytes($size);
$result = null;
$t0 = hrtime(true);
try {
    for ($i = 0; $i < $count; $i++) {
        $result = $client->putObject($bucket, $object . '-' . $i . '.bin', $content, $options);
    }
} catch (OssException $e) {
    fwrite(STDERR, 'putObject ' . ($i + 1) . " of $count failed: " . $e->getMessage() . "\n");
    exit(1);
}
$elapsed = (hrtime(true) - $t0) / 1e9;
printf("elapsed_s=%.6f status=%s body=%s\n", $elapsed, $result['info']['http_code'] ?? '?', $result['body'] ?? '');
