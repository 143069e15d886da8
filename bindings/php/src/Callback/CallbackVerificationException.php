<?php

declare(strict_types=1);

namespace OSS\Callback;

use OSS\Core\OssException;

/**
 * A callback that CallbackVerifier could not prove to come from OSS. getCode() tells why (the libossrs result
 * code); answer such a callback with an error status and ignore its body.
 *
 * - SIGNATURE_INVALID: forged, or the path, query or body differ from what OSS signed. Answer 400/403.
 * - KEY_URL_NOT_ALLOWED: x-oss-pub-key-url is outside the allowed prefixes (nothing was fetched). Answer 400/403.
 * - KEY_FETCH_FAILED: the public key could not be fetched; the callback may be genuine. Answer 5xx.
 * - MALFORMED: the authorization or x-oss-pub-key-url header is missing or not base64. Answer 400.
 */
final class CallbackVerificationException extends OssException
{
    public const SIGNATURE_INVALID = 600;
    public const KEY_URL_NOT_ALLOWED = 601;
    public const KEY_FETCH_FAILED = 602;
    public const MALFORMED = 603;

    /** Every code this exception is thrown with. */
    public const CODES = [self::SIGNATURE_INVALID, self::KEY_URL_NOT_ALLOWED, self::KEY_FETCH_FAILED, self::MALFORMED];

    public function __construct(string $message, int $code)
    {
        parent::__construct('callback verification failed: ' . $message);
        $this->code = $code;
    }

    /** Whether the callback may be genuine and only the key could not be fetched (worth a 5xx answer). */
    public function isKeyFetchFailure(): bool
    {
        return $this->code === self::KEY_FETCH_FAILED;
    }
}
