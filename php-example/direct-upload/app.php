<?php

/**
 * The app server of the direct-upload example, for `php -S 127.0.0.1:PORT app.php` (see run.sh):
 *
 *   GET  /                the page (index.html)
 *   GET  /form?v=v1|v4&expires=SECONDS
 *                         a signed PostObject form for uploads/${filename}, at most 1 MiB, with an upload callback
 *                         to /callback (OssClient::generatePostObjectForm)
 *   POST /callback        OSS's upload callback: verified with CallbackVerifier, recorded, answered with JSON that
 *                         OSS hands back to the browser
 *   GET  /uploads         the callbacks recorded so far (JSON)
 *   GET  /object?key=K    the stored object (for checking it)
 *
 * Environment: OSS_ENDPOINT, OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_BUCKET, OSS_REGION, APP_URL (how OSS
 * reaches this app), APP_DATA (a writable directory), KEY_URL_PREFIX (the public key URLs to trust).
 */

declare(strict_types=1);

require_once __DIR__ . '/../autoload.php';

use OSS\Callback\CallbackVerificationException;
use OSS\Callback\CallbackVerifier;
use OSS\Core\OssException;
use OSS\Credentials\StaticCredentialsProvider;
use OSS\OssClient;

const MAX_BYTES = 1048576;

function env(string $name): string
{
    $value = getenv($name);
    if ($value === false || $value === '') {
        throw new RuntimeException($name . ' is not set');
    }
    return $value;
}

function json(int $status, $value): void
{
    $body = json_encode($value, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
    http_response_code($status);
    header('Content-Type: application/json');
    header('Content-Length: ' . strlen($body));
    echo $body;
}

function client(string $version): OssClient
{
    return new OssClient([
        'provider' => new StaticCredentialsProvider(env('OSS_ACCESS_KEY_ID'), env('OSS_ACCESS_KEY_SECRET')),
        'endpoint' => env('OSS_ENDPOINT'),
        'signatureVersion' => $version === 'v4' ? OssClient::OSS_SIGNATURE_VERSION_V4 : OssClient::OSS_SIGNATURE_VERSION_V1,
        'region' => env('OSS_REGION'),
    ]);
}

$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);
$records = env('APP_DATA') . '/callbacks.jsonl';
try {
    switch ($path) {
        case '/':
        case '/index.html':
            header('Content-Type: text/html; charset=utf-8');
            readfile(__DIR__ . '/index.html');
            break;
        case '/form':
            $version = ($_GET['v'] ?? 'v4') === 'v1' ? 'v1' : 'v4';
            $form = client($version)->generatePostObjectForm(env('OSS_BUCKET'), [
                'key_prefix' => 'uploads/',
                'expires_in' => max(1, (int) ($_GET['expires'] ?? 600)),
                'content_length_range' => [1, MAX_BYTES],
                OssClient::OSS_CALLBACK => json_encode([
                    'callbackUrl' => env('APP_URL') . '/callback',
                    'callbackBody' => '{"object":${object},"size":${size},"etag":${etag},"mimeType":${mimeType},'
                        . '"page":${x:page}}',
                    'callbackBodyType' => 'application/json',
                ]),
                OssClient::OSS_CALLBACK_VAR => json_encode(['x:page' => 'direct-upload ' . $version]),
            ]);
            json(200, $form + ['version' => $version, 'max_bytes' => MAX_BYTES]);
            break;
        case '/callback':
            $verifier = new CallbackVerifier([CallbackVerifier::ALLOWED_KEY_URL_PREFIXES => [env('KEY_URL_PREFIX')]]);
            $body = $verifier->verifyRequest();
            $upload = json_decode($body, true);
            file_put_contents($records, json_encode(['verified' => true, 'upload' => $upload]) . "\n", FILE_APPEND | LOCK_EX);
            json(200, ['Status' => 'OK', 'verified' => true, 'object' => $upload['object'] ?? null,
                'size' => $upload['size'] ?? null]);
            break;
        case '/uploads':
            $lines = is_file($records) ? file($records, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) : [];
            json(200, array_map(static fn (string $l) => json_decode($l, true), $lines));
            break;
        case '/object':
            $bytes = client('v4')->getObject(env('OSS_BUCKET'), (string) ($_GET['key'] ?? ''));
            header('Content-Type: application/octet-stream');
            header('Content-Length: ' . strlen($bytes));
            echo $bytes;
            break;
        default:
            json(404, ['error' => 'no such page']);
    }
} catch (CallbackVerificationException $e) {
    json($e->isKeyFetchFailure() ? 503 : 403, ['error' => $e->getMessage()]);
} catch (OssException $e) {
    json(500, ['error' => $e->getMessage(), 'code' => $e->getErrorCode()]);
}
