<?php

declare(strict_types=1);

namespace OSS\Native;

use FFI;
use FFI\CData;
use OSS\Core\RequestOptions;

/**
 * Builds the `oss_options` for one request (or one multiuploadFile) from a RequestOptions. libossrs refuses
 * header injection (CR/LF/NUL in a value), names that are not HTTP tokens and headers it sets itself; those errors
 * surface here.
 */
final class NativeOptions
{
    private function __construct()
    {
    }

    /**
     * A new `oss_options*` (caller frees it with free()), or null when there is nothing to set.
     *
     * @throws \OSS\Core\OssException when libossrs refuses a header or query parameter
     */
    public static function create(FFI $ffi, RequestOptions $request): ?CData
    {
        if ($request->isEmpty()) {
            return null;
        }
        $options = $ffi->oss_options_new();
        try {
            foreach ($request->headers as [$name, $value]) {
                CString::check($name, 'header name');
                CString::check($value, 'header ' . $name);
                $error = $ffi->new('oss_error*');
                $result = $ffi->oss_options_set_header($options, $name, $value, FFI::addr($error));
                NativeError::check($ffi, $result, $error);
            }
            foreach ($request->query as [$name, $value]) {
                CString::check($name, 'query parameter name');
                CString::check($value, 'query parameter ' . $name);
                $error = $ffi->new('oss_error*');
                $result = $ffi->oss_options_set_query($options, $name, $value, FFI::addr($error));
                NativeError::check($ffi, $result, $error);
            }
            if ($request->checkMd5) {
                $error = $ffi->new('oss_error*');
                NativeError::check($ffi, $ffi->oss_options_set_check_md5($options, true, FFI::addr($error)), $error);
            }
            if ($request->partSize !== null) {
                $error = $ffi->new('oss_error*');
                $result = $ffi->oss_options_set_part_size($options, $request->partSize, FFI::addr($error));
                NativeError::check($ffi, $result, $error);
            }
            if ($request->parallelism !== null) {
                $error = $ffi->new('oss_error*');
                $result = $ffi->oss_options_set_parallelism($options, $request->parallelism, FFI::addr($error));
                NativeError::check($ffi, $result, $error);
            }
            if ($request->checkpoint !== null) {
                CString::check($request->checkpoint, 'the ossrs.checkpoint option');
                $error = $ffi->new('oss_error*');
                $result = $ffi->oss_options_set_checkpoint_file($options, $request->checkpoint, FFI::addr($error));
                NativeError::check($ffi, $result, $error);
            }
            if ($request->bodyFile !== null) {
                CString::check($request->bodyFile, 'file path');
                $error = $ffi->new('oss_error*');
                $result = $ffi->oss_options_set_body_file($options, $request->bodyFile, FFI::addr($error));
                NativeError::check($ffi, $result, $error);
            }
            if ($request->fileRange !== null) {
                [$offset, $length] = $request->fileRange;
                $error = $ffi->new('oss_error*');
                $result = $ffi->oss_options_set_file_range($options, $offset, $length, FFI::addr($error));
                NativeError::check($ffi, $result, $error);
            }
            if ($request->uploadId !== null) {
                CString::check($request->uploadId, 'the uploadId option');
                $error = $ffi->new('oss_error*');
                $result = $ffi->oss_options_set_upload_id($options, $request->uploadId, FFI::addr($error));
                NativeError::check($ffi, $result, $error);
            }
            if ($request->bodyStream !== null) {
                $error = $ffi->new('oss_error*');
                $pointer = ReadCallback::pointer($ffi);
                $length = $request->bodyLength ?? -1;
                $result = $ffi->oss_options_set_body_reader($options, $pointer, null, $length, FFI::addr($error));
                NativeError::check($ffi, $result, $error);
            }
            if ($request->callback !== null) {
                CString::check($request->callback, 'the x-oss-callback option');
                if ($request->callbackVar !== null) {
                    CString::check($request->callbackVar, 'the x-oss-callback-var option');
                }
                $error = $ffi->new('oss_error*');
                $result = $ffi->oss_options_set_callback(
                    $options,
                    $request->callback,
                    $request->callbackVar,
                    FFI::addr($error)
                );
                NativeError::check($ffi, $result, $error);
            }
        } catch (\Throwable $e) {
            $ffi->oss_options_free($options);
            throw $e;
        }
        return $options;
    }

    /** Frees what create() returned (null is fine). */
    public static function free(FFI $ffi, ?CData $options): void
    {
        if ($options !== null) {
            $ffi->oss_options_free($options);
        }
    }
}
