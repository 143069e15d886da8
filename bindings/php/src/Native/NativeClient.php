<?php

declare(strict_types=1);

namespace OSS\Native;

use FFI;
use FFI\CData;
use OSS\Core\OssException;
use OSS\Core\RequestOptions;
use OSS\Model\ListPartsInfo;

/**
 * One libossrs client (`oss_client`: configuration, credentials and a keep-alive connection pool) and the calls
 * made on it. Each call borrows PHP strings directly (zero-copy for bodies), and frees every native object it
 * gets back (response, error, options) on every path.
 *
 * The native client comes from libossrs's per-process cache (`oss_client_build_shared`): an OssClient
 * built in a later request of the same PHP worker with the same settings reuses the connection pool and TLS
 * sessions of the earlier one. A client belongs to the process that created it: after fork() the owner must
 * build a new one (see isReusableFor()).
 */
final class NativeClient
{
    private FFI $ffi;
    private ?CData $handle;
    /** @var array<string, string> */
    private array $config;
    private int $pid;

    /** @param array<string, string> $config */
    private function __construct(FFI $ffi, CData $handle, array $config)
    {
        $this->ffi = $ffi;
        $this->handle = $handle;
        $this->config = $config;
        $this->pid = getmypid();
    }

    /**
     * The process's shared client for these libossrs settings (`oss_client_build_shared`: one FFI call, the
     * settings packed as "key\0value\0" fields, which is why no value may hold a NUL byte).
     *
     * @param array<string, string> $config
     * @throws OssException when a value holds a NUL byte or libossrs refuses the configuration
     */
    public static function create(array $config): self
    {
        $packed = '';
        foreach ($config as $key => $value) {
            CString::check($value, 'setting ' . $key);
            $packed .= $key . "\0" . $value . "\0";
        }
        $ffi = Library::ffi();
        $client = $ffi->new('oss_client*');
        $error = $ffi->new('oss_error*');
        $result = $ffi->oss_client_build_shared($packed, strlen($packed), FFI::addr($client), FFI::addr($error));
        NativeError::check($ffi, $result, $error);
        return new self($ffi, $client, $config);
    }

    /**
     * Whether this client was built from the same configuration and may be used in this process.
     *
     * @param array<string, string> $config
     */
    public function isReusableFor(array $config): bool
    {
        return $this->config === $config && $this->inCreatingProcess();
    }

    /** Whether this is the process that built the client (not a child forked since). */
    public function inCreatingProcess(): bool
    {
        return $this->handle !== null && $this->pid === getmypid();
    }

    /** The id of the libossrs client (connection pool) behind this handle (`oss_client_id`). */
    public function id(): int
    {
        return (int) $this->ffi->oss_client_id($this->handle);
    }

    public function __destruct()
    {
        if ($this->handle !== null) {
            // In a forked child libossrs leaves the parent's resources alone, so this is always safe.
            $this->ffi->oss_client_free($this->handle);
            $this->handle = null;
        }
    }

    /**
     * PutObject from memory ($content is passed to C without a copy).
     *
     * @return array<string, mixed> the SDK's result array
     * @throws OssException
     */
    public function putObject(
        string $bucket,
        string $object,
        string $content,
        ?string $callback,
        ?string $callbackVar,
        RequestOptions $request
    ): array {
        $this->checkText(['bucket name' => $bucket, 'object name' => $object]);
        $this->checkCallback($callback, $callbackVar);
        return $this->run(
            $request,
            function (?CData $options, CData $out, CData $error) use (
                $bucket,
                $object,
                $content,
                $callback,
                $callbackVar
            ): int {
                return $this->ffi->oss_put_object_with_callback(
                    $this->handle,
                    $bucket,
                    $object,
                    $content,
                    strlen($content),
                    $callback,
                    $callbackVar,
                    $options,
                    $out,
                    $error
                );
            },
            fn (NativeResponse $response): array => $response->toResultArray()
        );
    }

    /**
     * PutObject streaming the file at $path.
     *
     * @return array<string, mixed> the SDK's result array
     * @throws OssException
     */
    public function putObjectFromFile(
        string $bucket,
        string $object,
        string $path,
        ?string $callback,
        ?string $callbackVar,
        RequestOptions $request
    ): array {
        $this->checkText(['bucket name' => $bucket, 'object name' => $object, 'file path' => $path]);
        $this->checkCallback($callback, $callbackVar);
        return $this->run(
            $request,
            function (?CData $options, CData $out, CData $error) use (
                $bucket,
                $object,
                $path,
                $callback,
                $callbackVar
            ): int {
                return $this->ffi->oss_put_object_from_file_with_callback(
                    $this->handle,
                    $bucket,
                    $object,
                    $path,
                    $callback,
                    $callbackVar,
                    $options,
                    $out,
                    $error
                );
            },
            fn (NativeResponse $response): array => $response->toResultArray()
        );
    }

    /**
     * The managed multipart upload of the whole file at $path (`oss_upload_file`): parts in parallel, each with its
     * Content-MD5, the callback on CompleteMultipartUpload, CRC-64 checked, the upload aborted on failure. The part
     * size and parallelism travel in $request. $progress is called after each part with (part number, bytes done,
     * file size); returning false cancels. Whatever it throws cancels the upload and is rethrown here, unchanged,
     * once `oss_upload_file` returned.
     *
     * @param callable(int, int, int): mixed|null $progress
     * @return array<string, mixed> the SDK's result array (of CompleteMultipartUpload)
     * @throws OssException
     * @throws \Throwable what $progress threw
     */
    public function uploadFile(
        string $bucket,
        string $object,
        string $path,
        ?string $callback,
        ?string $callbackVar,
        RequestOptions $request,
        ?callable $progress
    ): array {
        $this->checkText(['bucket name' => $bucket, 'object name' => $object, 'file path' => $path]);
        $this->checkCallback($callback, $callbackVar);
        $pointer = $progress === null ? null : ProgressCallback::pointer($this->ffi);
        $call = function (?CData $options, CData $out, CData $error) use (
            $bucket,
            $object,
            $path,
            $callback,
            $callbackVar,
            $pointer
        ): int {
            return $this->ffi->oss_upload_file(
                $this->handle,
                $bucket,
                $object,
                $path,
                $callback,
                $callbackVar,
                $options,
                $pointer,
                null,
                $out,
                $error
            );
        };
        $read = fn (NativeResponse $response): array => $response->toResultArray();
        if ($progress === null) {
            return $this->run($request, $call, $read);
        }
        return ProgressCallback::frames()->around($progress, fn (): array => $this->run($request, $call, $read));
    }

    /**
     * InitiateMultipartUpload.
     *
     * @return string the upload id
     * @throws OssException
     */
    public function initiateMultipartUpload(string $bucket, string $object, RequestOptions $request): string
    {
        $this->checkText(['bucket name' => $bucket, 'object name' => $object]);
        return $this->run(
            $request,
            function (?CData $options, CData $out, CData $error) use ($bucket, $object): int {
                return $this->ffi->oss_initiate_multipart_upload($this->handle, $bucket, $object, $options, $out, $error);
            },
            fn (NativeResponse $response): string => $response->uploadId()
        );
    }

    /**
     * UploadPart streaming $length bytes of $path from $offset.
     *
     * @return string the part's ETag, quotes included
     * @throws OssException
     */
    public function uploadPartFromFile(
        string $bucket,
        string $object,
        string $uploadId,
        int $partNumber,
        string $path,
        int $offset,
        int $length,
        ?string $contentMd5,
        RequestOptions $request
    ): string {
        $this->checkText([
            'bucket name' => $bucket,
            'object name' => $object,
            'upload id' => $uploadId,
            'file path' => $path,
        ]);
        if ($contentMd5 !== null) {
            CString::check($contentMd5, 'Content-MD5');
        }
        return $this->run(
            $request,
            function (?CData $options, CData $out, CData $error) use (
                $bucket,
                $object,
                $uploadId,
                $partNumber,
                $path,
                $offset,
                $length,
                $contentMd5
            ): int {
                return $this->ffi->oss_upload_part_from_file(
                    $this->handle,
                    $bucket,
                    $object,
                    $uploadId,
                    $partNumber,
                    $path,
                    $offset,
                    $length,
                    $contentMd5,
                    $options,
                    $out,
                    $error
                );
            },
            fn (NativeResponse $response): string => $response->etag()
        );
    }

    /**
     * CompleteMultipartUpload with the parts in the order given.
     *
     * @param list<array{0: int, 1: string}> $parts part number and ETag (quotes kept)
     * @return array<string, mixed> the SDK's result array
     * @throws OssException
     */
    public function completeMultipartUpload(
        string $bucket,
        string $object,
        string $uploadId,
        array $parts,
        ?string $callback,
        ?string $callbackVar,
        RequestOptions $request
    ): array {
        $this->checkText(['bucket name' => $bucket, 'object name' => $object, 'upload id' => $uploadId]);
        $this->checkCallback($callback, $callbackVar);
        $count = count($parts);
        $list = $count > 0 ? $this->ffi->new('oss_part[' . $count . ']') : null;
        $etags = [];
        foreach (array_values($parts) as $i => [$number, $etag]) {
            CString::check($etag, 'ETag of part ' . $number);
            // Owned copies that live until the call returns: a struct field cannot point at a PHP string.
            $etags[$i] = $this->ffi->new('char[' . (strlen($etag) + 1) . ']');
            FFI::memcpy($etags[$i], $etag, strlen($etag));
            $list[$i]->part_number = $number;
            $list[$i]->etag = $this->ffi->cast('char*', FFI::addr($etags[$i]));
        }
        return $this->run(
            $request,
            function (?CData $options, CData $out, CData $error) use (
                $bucket,
                $object,
                $uploadId,
                $list,
                $count,
                $callback,
                $callbackVar
            ): int {
                return $this->ffi->oss_complete_multipart_upload(
                    $this->handle,
                    $bucket,
                    $object,
                    $uploadId,
                    $list,
                    $count,
                    $callback,
                    $callbackVar,
                    $options,
                    $out,
                    $error
                );
            },
            fn (NativeResponse $response): array => $response->toResultArray()
        );
    }

    /**
     * AbortMultipartUpload.
     *
     * @return array<string, mixed> the SDK's result array
     * @throws OssException
     */
    public function abortMultipartUpload(
        string $bucket,
        string $object,
        string $uploadId,
        RequestOptions $request
    ): array {
        $this->checkText(['bucket name' => $bucket, 'object name' => $object, 'upload id' => $uploadId]);
        return $this->run(
            $request,
            function (?CData $options, CData $out, CData $error) use ($bucket, $object, $uploadId): int {
                return $this->ffi
                    ->oss_abort_multipart_upload($this->handle, $bucket, $object, $uploadId, $options, $out, $error);
            },
            fn (NativeResponse $response): array => $response->toResultArray()
        );
    }

    /**
     * ListParts.
     *
     * @throws OssException
     */
    public function listParts(
        string $bucket,
        string $object,
        string $uploadId,
        RequestOptions $request
    ): ListPartsInfo {
        $this->checkText(['bucket name' => $bucket, 'object name' => $object, 'upload id' => $uploadId]);
        return $this->run(
            $request,
            function (?CData $options, CData $out, CData $error) use ($bucket, $object, $uploadId): int {
                return $this->ffi->oss_list_parts($this->handle, $bucket, $object, $uploadId, $options, $out, $error);
            },
            fn (NativeResponse $response): ListPartsInfo => $response->listPartsInfo($bucket, $object, $uploadId)
        );
    }

    /**
     * GetObject.
     *
     * @return string the object's bytes
     * @throws OssException
     */
    public function getObject(string $bucket, string $object, RequestOptions $request): string
    {
        $this->checkText(['bucket name' => $bucket, 'object name' => $object]);
        return $this->run(
            $request,
            function (?CData $options, CData $out, CData $error) use ($bucket, $object): int {
                return $this->ffi->oss_get_object($this->handle, $bucket, $object, $options, $out, $error);
            },
            fn (NativeResponse $response): string => $response->body()
        );
    }

    /**
     * Any operation of libossrs's table (`oss_client_call`), by its OSS name: the one execute path of the methods
     * without logic of their own. $bucket and $object are '' where the operation does not take them.
     *
     * @return array{0: mixed, 1: array<string, mixed>} the parsed XML result (arrays; null when there is none)
     *         and the SDK's flat result array (headers, info, body)
     * @throws OssException
     */
    public function call(
        string $operation,
        string $bucket,
        string $object,
        RequestOptions $request,
        string $body = ''
    ): array {
        $this->checkText(['bucket name' => $bucket, 'object name' => $object]);
        $run = fn (): array => $this->run(
            $request,
            function (?CData $options, CData $out, CData $error) use ($operation, $bucket, $object, $body): int {
                return $this->ffi->oss_client_call(
                    $this->handle,
                    $operation,
                    $bucket,
                    $object,
                    $options,
                    $body,
                    strlen($body),
                    $out,
                    $error
                );
            },
            fn (NativeResponse $response): array => [$response->result(), $response->toResultArray()]
        );
        if ($request->bodyStream === null) {
            return $run();
        }
        // The stream is read by the trampoline while libossrs sends the request.
        return ReadCallback::frames()->around(ReadCallback::readerFrom($request->bodyStream), $run);
    }

    /**
     * A signed PostObject form (`oss_post_form_new`, then `oss_post_form_json`): no I/O.
     *
     * @return array{url: string, fields: array<string, string>, expiration: int, policy: array<string, mixed>}
     * @throws OssException
     */
    public function postForm(string $bucket, string $spec): array
    {
        $this->checkText(['bucket name' => $bucket, 'form spec' => $spec]);
        $ffi = $this->ffi;
        $out = $ffi->new('oss_post_form*');
        $error = $ffi->new('oss_error*');
        try {
            $result = $ffi->oss_post_form_new($this->handle, $bucket, $spec, 0, FFI::addr($out), FFI::addr($error));
            NativeError::check($ffi, $result, $error);
            $form = json_decode((string) $ffi->oss_post_form_json($out), true, 64, JSON_THROW_ON_ERROR);
        } finally {
            if (!FFI::isNull($out)) {
                $ffi->oss_post_form_free($out);
            }
        }
        // The field order is kept: the file must follow them, and PHP's array keeps insertion order.
        $fields = [];
        foreach ($form['field_order'] as $name) {
            $fields[$name] = $form['fields'][$name];
        }
        return ['url' => $form['url'], 'fields' => $fields, 'expiration' => $form['expiration'],
            'policy' => $form['policy']];
    }

    /**
     * A presigned URL (`oss_presign_url`): no I/O.
     *
     * @throws OssException
     */
    public function presignUrl(
        string $method,
        string $bucket,
        string $object,
        int $expires,
        ?string $callback,
        ?string $callbackVar,
        RequestOptions $request
    ): string {
        $this->checkText(['method' => $method, 'bucket name' => $bucket, 'object name' => $object]);
        $this->checkCallback($callback, $callbackVar);
        $ffi = $this->ffi;
        $options = NativeOptions::create($ffi, $request);
        $url = $ffi->new('char*');
        $error = $ffi->new('oss_error*');
        try {
            $result = $ffi->oss_presign_url(
                $this->handle,
                $method,
                $bucket,
                $object,
                max(0, $expires),
                $callback,
                $callbackVar,
                $options,
                FFI::addr($url),
                FFI::addr($error)
            );
            NativeError::check($ffi, $result, $error);
            return FFI::string($url);
        } finally {
            if (!FFI::isNull($url)) {
                $ffi->oss_string_free($url);
            }
            NativeOptions::free($ffi, $options);
        }
    }

    /**
     * GetObject into the file $path (replaced only when the download is complete and checked).
     *
     * @return array<string, mixed> the SDK's result array (body '')
     * @throws OssException
     */
    public function getObjectToFile(string $bucket, string $object, string $path, RequestOptions $request): array
    {
        $this->checkText(['bucket name' => $bucket, 'object name' => $object, 'file path' => $path]);
        return $this->run(
            $request,
            function (?CData $options, CData $out, CData $error) use ($bucket, $object, $path): int {
                return $this->ffi->oss_get_object_to_file($this->handle, $bucket, $object, $path, $options, $out, $error);
            },
            fn (NativeResponse $response): array => $response->toResultArray()
        );
    }

    /**
     * GetObject written to $stream as it arrives (never held whole).
     *
     * @param resource $stream
     * @return array<string, mixed> the SDK's result array (body '')
     * @throws OssException, or what writing to the stream threw
     */
    public function getObjectToStream(string $bucket, string $object, $stream, RequestOptions $request): array
    {
        $this->checkText(['bucket name' => $bucket, 'object name' => $object]);
        $pointer = WriteCallback::pointer($this->ffi);
        $call = function (?CData $options, CData $out, CData $error) use ($bucket, $object, $pointer): int {
            $handle = $this->handle;
            return $this->ffi->oss_get_object_to_sink($handle, $bucket, $object, $options, $pointer, null, $out, $error);
        };
        return WriteCallback::frames()->around(
            WriteCallback::writerTo($stream),
            fn (): array => $this->run($request, $call, fn (NativeResponse $r): array => $r->toResultArray())
        );
    }

    /**
     * HeadObject.
     *
     * @return array<string, mixed> the SDK's result array
     * @throws OssException
     */
    public function headObject(string $bucket, string $object, RequestOptions $request): array
    {
        $this->checkText(['bucket name' => $bucket, 'object name' => $object]);
        return $this->run(
            $request,
            function (?CData $options, CData $out, CData $error) use ($bucket, $object): int {
                return $this->ffi->oss_head_object($this->handle, $bucket, $object, $options, $out, $error);
            },
            fn (NativeResponse $response): array => $response->toResultArray()
        );
    }

    /**
     * DeleteObject.
     *
     * @return array<string, mixed> the SDK's result array
     * @throws OssException
     */
    public function deleteObject(string $bucket, string $object, RequestOptions $request): array
    {
        $this->checkText(['bucket name' => $bucket, 'object name' => $object]);
        return $this->run(
            $request,
            function (?CData $options, CData $out, CData $error) use ($bucket, $object): int {
                return $this->ffi->oss_delete_object($this->handle, $bucket, $object, $options, $out, $error);
            },
            fn (NativeResponse $response): array => $response->toResultArray()
        );
    }

    /**
     * Builds the options, makes one call with (options, response_out, error_out), reads the answer with $read and
     * frees the options, the response and the error on every path.
     *
     * @template T
     * @param \Closure(?CData, CData, CData): int $call calls one C operation
     * @param \Closure(NativeResponse): T $read
     * @return T
     * @throws OssException
     */
    private function run(RequestOptions $request, \Closure $call, \Closure $read)
    {
        $ffi = $this->ffi;
        $options = NativeOptions::create($ffi, $request);
        $out = $ffi->new('oss_response*');
        $error = $ffi->new('oss_error*');
        try {
            $result = $call($options, FFI::addr($out), FFI::addr($error));
            NativeError::check($ffi, $result, $error);
            $response = new NativeResponse($ffi, $out);
            $out = null; // owned by $response from here on
            try {
                return $read($response);
            } finally {
                $response->free();
            }
        } finally {
            if ($out !== null && !FFI::isNull($out)) {
                $ffi->oss_response_free($out);
            }
            NativeOptions::free($ffi, $options);
        }
    }

    /**
     * @param array<string, string> $texts what each string is => the string
     * @throws OssException when one holds a NUL byte
     */
    private function checkText(array $texts): void
    {
        foreach ($texts as $what => $text) {
            CString::check($text, $what);
        }
    }

    /** @throws OssException when the callback JSON holds a NUL byte */
    private function checkCallback(?string $callback, ?string $callbackVar): void
    {
        if ($callback !== null) {
            CString::check($callback, 'the x-oss-callback option');
        }
        if ($callbackVar !== null) {
            CString::check($callbackVar, 'the x-oss-callback-var option');
        }
    }
}
