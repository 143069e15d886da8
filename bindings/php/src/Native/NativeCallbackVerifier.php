<?php

declare(strict_types=1);

namespace OSS\Native;

use FFI;
use FFI\CData;
use OSS\Callback\CallbackVerificationException;
use OSS\Core\OssException;

/**
 * One libossrs callback verifier (`oss_callback_verifier`). libossrs checks the key URL, fetches and caches the
 * public key (the cache is per process, so PHP-FPM workers fetch a key once, not once per request) and checks
 * the RSA/MD5 signature. Strings and the body are passed without copies.
 */
final class NativeCallbackVerifier
{
    private FFI $ffi;
    private ?CData $handle;

    private function __construct(FFI $ffi, CData $handle)
    {
        $this->ffi = $ffi;
        $this->handle = $handle;
    }

    /**
     * @param list<string> $allowedPrefixes key URL prefixes; [] keeps libossrs's defaults (gosspublic.alicdn.com)
     * @param string|null $publicKeyPem a pinned public key: then nothing is fetched
     * @throws OssException when libossrs refuses a prefix or the key
     */
    public static function create(array $allowedPrefixes, ?string $publicKeyPem): self
    {
        $ffi = Library::ffi();
        $count = count($allowedPrefixes);
        $list = null;
        $buffers = [];
        if ($count > 0) {
            // PHP strings cannot be stored in a `const char*[]`: copy each into a NUL-terminated buffer that
            // lives until the call returns (libossrs keeps no pointer).
            $list = $ffi->new('const char*[' . $count . ']');
            foreach (array_values($allowedPrefixes) as $i => $prefix) {
                CString::check($prefix, 'key URL prefix');
                $buffer = $ffi->new('char[' . (strlen($prefix) + 1) . ']');
                FFI::memcpy($buffer, $prefix, strlen($prefix));
                $buffers[] = $buffer;
                $list[$i] = $ffi->cast('const char*', FFI::addr($buffer));
            }
        }
        $verifier = $ffi->new('oss_callback_verifier*');
        $error = $ffi->new('oss_error*');
        $result = $ffi->oss_callback_verifier_new($list, $count, FFI::addr($verifier), FFI::addr($error));
        NativeError::check($ffi, $result, $error);
        $self = new self($ffi, $verifier);
        if ($publicKeyPem !== null) {
            CString::check($publicKeyPem, 'public key PEM');
            $error = $ffi->new('oss_error*');
            $result = $ffi->oss_callback_verifier_set_public_key_pem($self->handle, $publicKeyPem, FFI::addr($error));
            NativeError::check($ffi, $result, $error);
        }
        return $self;
    }

    public function __destruct()
    {
        if ($this->handle !== null) {
            $this->ffi->oss_callback_verifier_free($this->handle);
            $this->handle = null;
        }
    }

    /**
     * @param string $pubKeyUrl the x-oss-pub-key-url header as received (base64), '' when absent
     * @throws CallbackVerificationException when the callback is not proven to come from OSS
     * @throws OssException for a usage error (a NUL byte, a path holding the query)
     */
    public function verify(string $path, string $query, string $body, string $authorization, string $pubKeyUrl): void
    {
        $texts = ['path' => $path, 'query' => $query, 'authorization' => $authorization, 'x-oss-pub-key-url' => $pubKeyUrl];
        foreach ($texts as $what => $text) {
            CString::check($text, 'the callback ' . $what);
        }
        $error = $this->ffi->new('oss_error*');
        $result = $this->ffi->oss_callback_verifier_verify(
            $this->handle,
            $path,
            $query,
            $body,
            strlen($body),
            $authorization,
            $pubKeyUrl,
            FFI::addr($error)
        );
        if (in_array($result, CallbackVerificationException::CODES, true) && !FFI::isNull($error)) {
            $message = (string) $this->ffi->oss_error_message($error);
            $this->ffi->oss_error_free($error);
            throw new CallbackVerificationException($message, $result);
        }
        NativeError::check($this->ffi, $result, $error);
    }
}
