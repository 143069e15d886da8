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
