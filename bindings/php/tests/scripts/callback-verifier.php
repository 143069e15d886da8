<?php

/**
 * A callback server for CallbackVerifierTest, served by `php -S` (ffi.enable=1): it verifies each request with
 * OSS\Callback\CallbackVerifier::verifyRequest() as an application would, accepting keys from 127.0.0.1 (the
 * emulator), and answers 200 {"Status":"OK","verified":true,...} or 403/503 {"Status":"Error","code",...}.
 * OSS requires a Content-Length on the answer, which `php -S` does not add by itself.
 */

declare(strict_types=1);

require dirname(__DIR__, 2) . '/autoload.php';

use OSS\Callback\CallbackVerificationException;
use OSS\Callback\CallbackVerifier;

$status = 200;
try {
    $verifier = new CallbackVerifier([CallbackVerifier::ALLOWED_KEY_URL_PREFIXES => ['http://127.0.0.1:']]);
    $body = $verifier->verifyRequest();
    parse_str($body, $fields);
    $answer = [
        'Status' => 'OK',
        'verified' => true,
        'object' => $fields['object'] ?? null,
        'my' => $fields['my'] ?? null,
        'ffi' => ini_get('ffi.enable') . ', ' . OSS\Native\Library::source(),
    ];
} catch (CallbackVerificationException $e) {
    $status = $e->isKeyFetchFailure() ? 503 : 403;
    $answer = ['Status' => 'Error', 'code' => $e->getCode(), 'message' => $e->getMessage()];
} catch (Throwable $e) {
    $status = 500;
    $answer = ['Status' => 'Error', 'code' => 0, 'message' => get_class($e) . ': ' . $e->getMessage()];
}
$json = (string) json_encode($answer);
http_response_code($status);
header('Content-Type: application/json');
header('Content-Length: ' . strlen($json));
echo $json;
