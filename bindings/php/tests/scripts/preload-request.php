<?php

/**
 * Request handler for the preload test, served by `php -S` with ffi.enable=preload: this file is NOT preloaded,
 * so FFI::cdef() must be refused here while OssClient (preloaded) works. Query parameters: endpoint, bucket,
 * object, callback (URL); the answer is a JSON report.
 */

declare(strict_types=1);

use OSS\OssClient;

header('Content-Type: application/json');
$report = [
    'sapi' => PHP_SAPI,
    'ffi.enable' => ini_get('ffi.enable'),
    'preloaded' => class_exists(OssClient::class, false) && class_exists(OSS\Native\NativeClient::class, false),
];
try {
    FFI::cdef('int abs(int);');
    $report['cdef'] = 'allowed';
} catch (Throwable $e) {
    $report['cdef'] = get_class($e) . ': ' . $e->getMessage();
}
try {
    $report['version'] = OSS\Native\Library::version();
    $report['source'] = OSS\Native\Library::source();
    $client = new OssClient('AKIDEXAMPLE', 'SECRETEXAMPLE', $_GET['endpoint']);
    $callback = '{"callbackUrl":"' . $_GET['callback'] . '","callbackBody":"bucket=${bucket}&object=${object}&from=preload"}';
    $result = $client->putObject($_GET['bucket'], $_GET['object'], 'uploaded under ffi.enable=preload', [
        OssClient::OSS_CALLBACK => $callback,
    ]);
    $report['status'] = $result['info']['http_code'];
    $report['body'] = $result['body'];
} catch (Throwable $e) {
    $report['error'] = get_class($e) . ': ' . $e->getMessage();
}
echo json_encode($report);
