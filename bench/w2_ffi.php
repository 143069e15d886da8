<?php
/*
 * W2's PHP floor (bench/run.py runs it with `php -d ffi.enable=1`): the C call OssClient::putObject makes, straight
 * through PHP FFI and without OssClient: COUNT sequential oss_put_object_with_callback of SIZE random bytes each, with
 * the callback of w2_put.php, each answer read as OssClient reads it (oss_response_head + explode) and freed. The
 * gap between this and w2_put.php is what the PHP binding itself costs per call; the gap between this and C is PHP
 * FFI plus reading the answer into PHP.
 *
 * Usage: php -d ffi.enable=1 bench/w2_ffi.php COUNT SIZE
 * Environment: as w2_put.php. Prints `elapsed_s=<seconds> status=<http> body=<reply>`; the time covers the loop only.
 */
require_once __DIR__ . '/../bindings/php/autoload.php';

use OSS\Native\Library;

$count = (int) ($argv[1] ?? 2000);
$size = (int) ($argv[2] ?? 4096);
$bucket = getenv('OSS_BUCKET');
$object = getenv('OSS_OBJECT');
[$callback, $var] = require __DIR__ . '/seed_callback.php';

$ffi = Library::ffi();
$error = $ffi->new('oss_error*');
$fail = function (string $what) use ($ffi, $error): void {
    fwrite(STDERR, $what . ' failed: ' . (FFI::isNull($error) ? '' : $ffi->oss_error_message($error)) . "\n");
    exit(1);
};
$builder = $ffi->oss_config_builder_new();
foreach (['endpoint' => 'OSS_ENDPOINT', 'access_key_id' => 'OSS_ACCESS_KEY_ID',
          'access_key_secret' => 'OSS_ACCESS_KEY_SECRET'] as $key => $name) {
    if ($ffi->oss_config_builder_set($builder, $key, (string) getenv($name), FFI::addr($error)) !== 0) {
        $fail('setting ' . $key);
    }
}
$client = $ffi->new('oss_client*');
$built = $ffi->oss_config_builder_build($builder, FFI::addr($client), FFI::addr($error));
$ffi->oss_config_builder_free($builder);
if ($built !== 0) {
    $fail('building the client');
}

$content = random_bytes($size);
$head = null;
$t0 = hrtime(true);
for ($i = 0; $i < $count; $i++) {
    $response = $ffi->new('oss_response*');
    $result = $ffi->oss_put_object_with_callback($client, $bucket, $object . '-' . $i . '.bin', $content,
        strlen($content), $callback, $var, null, FFI::addr($response), FFI::addr($error));
    if ($result !== 0) {
        $fail('oss_put_object_with_callback ' . ($i + 1) . " of $count");
    }
    $head = explode("\n", (string) $ffi->oss_response_head($response));
    $body = FFI::string($ffi->oss_response_body($response), (int) $head[5]);
    $ffi->oss_response_free($response);
}
$elapsed = (hrtime(true) - $t0) / 1e9;
$ffi->oss_client_free($client);
printf("elapsed_s=%.6f status=%s body=%s\n", $elapsed, $head[0] ?? '?', $body ?? '');
