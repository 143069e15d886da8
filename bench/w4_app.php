<?php
/*
 * W4's application endpoint, served by nginx and PHP-FPM (bench/workloads.py starts them): like a web application,
 * every request builds a new OSS\OssClient and sends one 4 KiB putObject with the upload callback (the JSON callback
 * of php-example/samples/multipart_callback.php) to the discard sink; `?tls=1` goes over HTTPS, `?noop=1` stops
 * after loading the package (the ceiling of nginx + FPM on this machine). The same file runs on ossrs (preloaded)
 * and on the official SDK (W4_AUTOLOAD names its autoload.php). Answers the HTTP status of the upload, or 500 with
 * the error.
 *
 * Pool environment: FPM_TEST_ENDPOINT (http://), W4_TLS_ENDPOINT (https://), FPM_TEST_BUCKET,
 * FPM_TEST_CALLBACK_URL, W4_AUTOLOAD; over HTTPS ossrs trusts the sink's CA through SSL_CERT_FILE, the SDK's curl
 * through php.ini's curl.cainfo.
 */
require_once getenv('W4_AUTOLOAD');

use OSS\Core\OssException;
use OSS\OssClient;

if (isset($_GET['noop'])) {
    echo "200\n";
    return;
}

$callback =
    '{
        "callbackUrl":"' . getenv('FPM_TEST_CALLBACK_URL') . '",
        "callbackHost":"127.0.0.1",
        "callbackBody":"{\"mimeType\":${mimeType},\"size\":${size},\"x:var1\":${x:var1},\"x:var2\":${x:var2}}",
        "callbackBodyType":"application/json"
    }';
$var =
    '{
        "x:var1":"value1",
        "x:var2":"值2"
    }';
$endpoint = getenv(($_GET['tls'] ?? '0') === '1' ? 'W4_TLS_ENDPOINT' : 'FPM_TEST_ENDPOINT');
try {
    $client = new OssClient('LTAI5tBenchAccessKeyId', 'BenchAccessKeySecretNeverLogged', $endpoint);
    $result = $client->putObject(getenv('FPM_TEST_BUCKET'), 'w4/' . getmypid() . '.bin', str_repeat('w4', 2048), [
        OssClient::OSS_CALLBACK => $callback,
        OssClient::OSS_CALLBACK_VAR => $var,
    ]);
    echo $result['info']['http_code'], "\n";
} catch (OssException $e) {
    http_response_code(500);
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
