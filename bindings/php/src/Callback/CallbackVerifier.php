<?php

declare(strict_types=1);

namespace OSS\Callback;

use OSS\Core\OssException;
use OSS\Native\NativeCallbackVerifier;

/**
 * Verifies the upload callbacks OSS POSTs to an application server, as Alibaba documents it: the
 * `authorization` header is an RSA/MD5 signature over the URL-decoded path, the query and the body, made with
 * the key whose URL the base64 `x-oss-pub-key-url` header names. The URL must start with an allowed prefix
 * (default http://gosspublic.alicdn.com/ and https://gosspublic.alicdn.com/) before anything is fetched; keys
 * are fetched by libossrs with a short timeout and cached per process. A pinned key skips the fetch.
 *
 * ```php
 * $verifier = new CallbackVerifier();
 * try {
 *     $body = $verifier->verifyRequest();          // $_SERVER and php://input
 * } catch (CallbackVerificationException $e) {
 *     http_response_code($e->isKeyFetchFailure() ? 503 : 403);
 *     exit;
 * }
 * parse_str($body, $fields);
 * header('Content-Type: application/json');
 * echo json_encode(['Status' => 'OK']);
 * ```
 */
final class CallbackVerifier
{
    /** Option: list of accepted key URL prefixes (http:// or https:// and a whole host), replacing the defaults. */
    public const ALLOWED_KEY_URL_PREFIXES = 'allowed_key_url_prefixes';
    /** Option: a pinned public key (PEM); x-oss-pub-key-url is then ignored and nothing is fetched. */
    public const PUBLIC_KEY_PEM = 'public_key_pem';

    /** The prefixes OSS documents. */
    public const DEFAULT_KEY_URL_PREFIXES = ['http://gosspublic.alicdn.com/', 'https://gosspublic.alicdn.com/'];

    private NativeCallbackVerifier $native;

    /**
     * @param array{allowed_key_url_prefixes?: list<string>, public_key_pem?: string|null} $options
     * @throws OssException for an unknown option, a prefix that is not http(s):// and a host, or a PEM that is
     *                      not an RSA public key; also when libossrs cannot be loaded
     */
    public function __construct(array $options = [])
    {
        $unknown = array_diff(array_keys($options), [self::ALLOWED_KEY_URL_PREFIXES, self::PUBLIC_KEY_PEM]);
        if ($unknown !== []) {
            throw new OssException(
                'unknown CallbackVerifier option(s): ' . implode(', ', $unknown) . '; use '
                . self::ALLOWED_KEY_URL_PREFIXES . ' or ' . self::PUBLIC_KEY_PEM
            );
        }
        $prefixes = $options[self::ALLOWED_KEY_URL_PREFIXES] ?? self::DEFAULT_KEY_URL_PREFIXES;
        if (!is_array($prefixes) || $prefixes === [] || array_filter($prefixes, 'is_string') !== $prefixes) {
            throw new OssException(self::ALLOWED_KEY_URL_PREFIXES . ' must be a non-empty list of strings');
        }
        $pem = $options[self::PUBLIC_KEY_PEM] ?? null;
        if ($pem !== null && !is_string($pem)) {
            throw new OssException(self::PUBLIC_KEY_PEM . ' must be a PEM string');
        }
        $this->native = NativeCallbackVerifier::create(array_values($prefixes), $pem);
    }

    /**
     * Checks one callback.
     *
     * @param string $path the request path as received, still percent-encoded, without the query
     * @param string $query the raw query without '?' ('' when none), e.g. $_SERVER['QUERY_STRING']
     * @param string $body the raw body as received (php://input), never re-encoded
     * @param string $authorization the `authorization` header
     * @param string $pubKeyUrl the `x-oss-pub-key-url` header as received (base64); '' when absent
     * @throws CallbackVerificationException when the callback is not proven to come from OSS (see its codes)
     * @throws OssException for a usage error (a NUL byte, a path holding '?')
     */
    public function verify(string $path, string $query, string $body, string $authorization, string $pubKeyUrl): void
    {
        $this->native->verify($path, $query, $body, $authorization, $pubKeyUrl);
    }

    /**
     * Checks one callback given as its parts, for servers without $_SERVER and php://input (Swoole, RoadRunner,
     * Octane, PSR-7 requests): the method, the path and query as received and the headers (names in any case;
     * a value may be a list, as PSR-7's getHeaders() gives them, whose first entry counts).
     *
     * @param string $method OSS POSTs callbacks; any other method is refused as MALFORMED
     * @param string $path the request path, still percent-encoded; a '?query' here is split off when $query is ''
     * @param string $query the raw query without '?'
     * @param array<string, string|list<string>> $headers
     * @param string $body the raw body
     * @return string the verified body
     * @throws CallbackVerificationException when the callback is not proven to come from OSS
     * @throws OssException for a usage error
     */
    public function verifyMessage(string $method, string $path, string $query, array $headers, string $body): string
    {
        if (strtoupper($method) !== 'POST') {
            throw new CallbackVerificationException(
                'OSS sends callbacks with POST, not ' . $method,
                CallbackVerificationException::MALFORMED
            );
        }
        $mark = strpos($path, '?');
        if ($mark !== false && $query === '') {
            [$path, $query] = [substr($path, 0, $mark), substr($path, $mark + 1)];
        }
        $header = static function (string $name) use ($headers): string {
            foreach ($headers as $key => $value) {
                if (is_string($key) && strcasecmp($key, $name) === 0) {
                    $value = is_array($value) ? ($value[0] ?? '') : $value;
                    return is_string($value) ? $value : '';
                }
            }
            return '';
        };
        $this->verify($path, $query, $body, $header('authorization'), $header('x-oss-pub-key-url'));
        return $body;
    }

    /**
     * Checks the current request: REQUEST_URI, HTTP_AUTHORIZATION (or REDIRECT_HTTP_AUTHORIZATION, which Apache
     * sets after a rewrite) and HTTP_X_OSS_PUB_KEY_URL from $server, and the body from php://input.
     *
     * @param array<string, mixed>|null $server defaults to $_SERVER
     * @param string|null $body defaults to the contents of php://input
     * @return string the verified body
     * @throws CallbackVerificationException when the callback is not proven to come from OSS
     * @throws OssException for a usage error
     */
    public function verifyRequest(?array $server = null, ?string $body = null): string
    {
        $server = $server ?? $_SERVER;
        $uri = (string) ($server['REQUEST_URI'] ?? '');
        $mark = strpos($uri, '?');
        $path = $mark === false ? $uri : substr($uri, 0, $mark);
        $query = $mark === false ? '' : substr($uri, $mark + 1);
        if ($body === null) {
            $body = file_get_contents('php://input');
            if ($body === false) {
                throw new OssException('cannot read the callback body from php://input');
            }
        }
        $authorization = (string) ($server['HTTP_AUTHORIZATION'] ?? $server['REDIRECT_HTTP_AUTHORIZATION'] ?? '');
        $this->verify($path, $query, $body, $authorization, (string) ($server['HTTP_X_OSS_PUB_KEY_URL'] ?? ''));
        return $body;
    }
}
