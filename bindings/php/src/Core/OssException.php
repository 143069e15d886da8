<?php

declare(strict_types=1);

namespace OSS\Core;

/**
 * The one exception OssClient throws, shaped like the official SDK's.
 *
 * Built from a string (local and transport errors: every getter returns '') or from the details array of an
 * OSS error answer: ['status' => '403', 'request-id' => …, 'code' => …, 'message' => …, 'body' => raw body],
 * in which case getMessage() is "<code>: <message> RequestId: <request-id>". getCode() is always 0, as in the SDK.
 */
class OssException extends \Exception
{
    /** @var array<string, string> */
    private array $details = [];

    /**
     * @param string|array<string, mixed> $details
     * @param string $errorCode ossrs: with a string $details, the code OSS answers for the same mistake when the
     *        request was refused before it was sent (getHTTPStatus() stays '')
     */
    public function __construct($details, string $errorCode = '')
    {
        if (is_array($details)) {
            foreach (['status', 'request-id', 'code', 'message', 'body'] as $key) {
                $this->details[$key] = isset($details[$key]) ? (string) $details[$key] : '';
            }
            parent::__construct(
                $this->details['code'] . ': ' . $this->details['message'] . ' RequestId: ' . $this->details['request-id']
            );
        } else {
            parent::__construct((string) $details);
            if ($errorCode !== '') {
                $this->details['code'] = $errorCode;
            }
        }
    }

    /** The HTTP status as a string ('403', '203'), '' when OSS did not answer. */
    public function getHTTPStatus()
    {
        return $this->details['status'] ?? '';
    }

    /** The x-oss-request-id response header, '' when none. */
    public function getRequestId()
    {
        return $this->details['request-id'] ?? '';
    }

    /** The OSS error code (SignatureDoesNotMatch, CallbackFailed, …), '' when none. */
    public function getErrorCode()
    {
        return $this->details['code'] ?? '';
    }

    /** The OSS error message, '' when none. */
    public function getErrorMessage()
    {
        return $this->details['message'] ?? '';
    }

    /** The raw response body (the error XML), '' when none. */
    public function getDetails()
    {
        return $this->details['body'] ?? '';
    }
}
