<?php

declare(strict_types=1);

namespace OSS\Native;

use FFI;
use FFI\CData;
use OSS\Core\OssException;

/**
 * Turns a failed libossrs call (its `oss_result` and `oss_error`) into the OssException the SDK would throw.
 *
 * - OSS answered with an error (SERVICE_ERROR, CALLBACK_FAILED): the details-array form, with the status as a
 *   string, the x-oss-request-id header, the code and message from the XML and the raw body.
 * - The request could not be completed (CONNECT, TIMEOUT, TRANSPORT):
 *   "RequestCoreException: <libossrs message> (<result code>)", like the SDK's RequestCore_Exception.
 * - Anything else (usage errors, local files, a 2xx answer lacking what was needed): the libossrs message.
 */
final class NativeError
{
    private function __construct()
    {
    }

    /**
     * Throws for $result unless it is OSS_RESULT_OK; frees *$error on every path.
     *
     * @param CData $error an `oss_error*` the call may have set
     * @throws OssException
     */
    public static function check(FFI $ffi, int $result, CData $error): void
    {
        try {
            if ($result !== $ffi->OSS_RESULT_OK) {
                throw self::exception($ffi, $result, $error);
            }
        } finally {
            if (!FFI::isNull($error)) {
                $ffi->oss_error_free($error);
            }
        }
    }

    private static function exception(FFI $ffi, int $result, CData $error): OssException
    {
        if (FFI::isNull($error)) {
            return new OssException((string) $ffi->oss_result_message($result));
        }
        $message = (string) $ffi->oss_error_message($error);
        $status = (int) $ffi->oss_error_http_status($error);
        $answered = $result === $ffi->OSS_RESULT_SERVICE_ERROR || $result === $ffi->OSS_RESULT_CALLBACK_FAILED;
        if ($answered && $status > 0) {
            $length = (int) $ffi->oss_error_body_len($error);
            return new OssException([
                'status' => (string) $status,
                'request-id' => (string) $ffi->oss_error_request_id($error),
                'code' => (string) $ffi->oss_error_code($error),
                'message' => (string) $ffi->oss_error_oss_message($error),
                'body' => $length > 0 ? FFI::string($ffi->oss_error_body($error), $length) : '',
            ]);
        }
        if (in_array($result, [$ffi->OSS_RESULT_CONNECT, $ffi->OSS_RESULT_TIMEOUT, $ffi->OSS_RESULT_TRANSPORT], true)) {
            return new OssException('RequestCoreException: ' . $message . ' (' . $result . ')');
        }
        // Refused before sending: the code OSS would have answered (InvalidArgument, …), no HTTP status.
        return new OssException($message, (string) $ffi->oss_error_code($error));
    }
}
