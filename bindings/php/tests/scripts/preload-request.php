<?php

/**
 * Request handler for the preload test, served by `php -S` with ffi.enable=preload: this file is NOT preloaded,
 * so FFI::cdef() must be refused here while OssClient (preloaded) works. Query parameters: endpoint, bucket,
 * object, callback (URL) and optionally mode=multiupload (multiuploadFile of a 3-part file with a progress
 * closure, then one whose closure throws); the answer is a JSON report.
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
    if (($_GET['mode'] ?? '') === 'multiupload') {
        $file = tempnam(sys_get_temp_dir(), 'ossrs-preload-');
        file_put_contents($file, str_repeat('preload', 40000));
        try {
            $report['progress'] = [];
            $result = $client->multiuploadFile($_GET['bucket'], $_GET['object'], $file, [
                OssClient::OSS_PART_SIZE => OssClient::OSS_MIN_PART_SIZE,
                OssClient::OSS_CALLBACK => $callback,
                OssClient::OSSRS_PROGRESS => static function (int $part, int $done, int $total) use (&$report): void {
                    $report['progress'][] = [$part, $done, $total];
                },
            ]);
            try {
                $client->multiuploadFile($_GET['bucket'], $_GET['object'] . '.cancelled', $file, [
                    OssClient::OSS_PART_SIZE => OssClient::OSS_MIN_PART_SIZE,
                    OssClient::OSSRS_PROGRESS => static function (): void {
                        throw new DomainException('thrown in a progress closure');
                    },
                ]);
            } catch (Throwable $e) {
                $report['rethrown'] = get_class($e) . ': ' . $e->getMessage();
            }
        } finally {
            unlink($file);
        }
    } else {
        $result = $client->putObject($_GET['bucket'], $_GET['object'], 'uploaded under ffi.enable=preload', [
            OssClient::OSS_CALLBACK => $callback,
        ]);
    }
    $report['status'] = $result['info']['http_code'];
    $report['body'] = $result['body'];
} catch (Throwable $e) {
    $report['error'] = get_class($e) . ': ' . $e->getMessage();
}
echo json_encode($report);
