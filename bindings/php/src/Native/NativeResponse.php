<?php

declare(strict_types=1);

namespace OSS\Native;

use FFI;
use FFI\CData;
use OSS\Model\ListPartsInfo;
use OSS\Model\PartInfo;

/**
 * Reads a successful answer (`oss_response`) into the shapes the SDK returns. Holds the handle until free().
 */
final class NativeResponse
{
    private FFI $ffi;
    private ?CData $handle;
    /** @var array<string, mixed>|null */
    private ?array $document = null;

    /** @param CData $handle an `oss_response*` this object now owns */
    public function __construct(FFI $ffi, CData $handle)
    {
        $this->ffi = $ffi;
        $this->handle = $handle;
    }

    /**
     * The SDK's flat result array (docs/php-sdk-behaviour.md "Result arrays"): every response header under its
     * lower-cased name (a later duplicate wins), then 'info' (the curl_getinfo()-style subset: url, content_type,
     * http_code as int, total_time, size_upload, size_download, total_time_us, method), 'oss-request-url',
     * 'oss-redirects' and 'body' (the raw body: the callback server's reply for a callback upload).
     *
     * @return array<string, mixed>
     */
    public function toResultArray(): array
    {
        $doc = $this->document();
        $result = [];
        $contentType = null;
        // libossrs gives the names in lower case.
        foreach ($doc['headers'] as [$name, $value]) {
            $result[$name] = $value;
            if ($contentType === null && $name === 'content-type') {
                $contentType = $value;
            }
        }
        $totalTimeUs = (int) $doc['total_time_us'];
        $result['info'] = [
            'url' => $doc['url'],
            'content_type' => $contentType,
            'http_code' => (int) $doc['status'],
            'total_time' => $totalTimeUs / 1e6,
            'size_upload' => (float) $doc['bytes_sent'],
            'size_download' => (float) $doc['body_len'],
            'total_time_us' => $totalTimeUs,
            'method' => $doc['method'],
            // libossrs: the answer was lost and success was confirmed by ListParts + HEAD (whose answer this is).
            'ossrs_recovered' => (bool) $doc['recovered'],
        ];
        $result['oss-request-url'] = $doc['url'];
        $result['oss-redirects'] = 0;
        $result['body'] = $this->body();
        return $result;
    }

    /**
     * The whole answer but the body, as `oss_response_json` gives it in one FFI call: status, headers (name/value
     * pairs), url, method, total_time_us, bytes_sent, body_len, recovered, attempts and result (the operation's
     * XML result as arrays, for the generic call; else null).
     *
     * @return array<string, mixed>
     */
    public function document(): array
    {
        if ($this->document === null) {
            $json = (string) $this->ffi->oss_response_json($this->handle);
            $this->document = json_decode($json, true, 64, JSON_THROW_ON_ERROR);
        }
        return $this->document;
    }

    /** The raw body. */
    public function body(): string
    {
        $length = (int) $this->ffi->oss_response_body_len($this->handle);
        return $length > 0 ? FFI::string($this->ffi->oss_response_body($this->handle), $length) : '';
    }

    /** The ETag header exactly as sent, quotes included ('' when absent; libossrs refuses part answers without one). */
    public function etag(): string
    {
        return (string) $this->ffi->oss_response_etag($this->handle);
    }

    /** The upload id of an InitiateMultipartUpload answer. */
    public function uploadId(): string
    {
        return (string) $this->ffi->oss_response_upload_id($this->handle);
    }

    /**
     * The ListParts answer as libossrs parsed it; bucket, key and upload id are the request's.
     */
    public function listPartsInfo(string $bucket, string $key, string $uploadId): ListPartsInfo
    {
        $ffi = $this->ffi;
        $h = $this->handle;
        $parts = [];
        $count = (int) $ffi->oss_response_part_count($h);
        for ($i = 0; $i < $count; $i++) {
            $parts[] = new PartInfo(
                (int) $ffi->oss_response_part_number($h, $i),
                (string) $ffi->oss_response_part_last_modified($h, $i),
                (string) $ffi->oss_response_part_etag($h, $i),
                (int) $ffi->oss_response_part_size($h, $i)
            );
        }
        return new ListPartsInfo(
            $bucket,
            $key,
            $uploadId,
            (int) $ffi->oss_response_next_part_number_marker($h),
            (int) $ffi->oss_response_max_parts($h),
            $ffi->oss_response_parts_truncated($h) ? 'true' : 'false',
            $parts
        );
    }

    /** Frees the handle; later calls do nothing. */
    public function free(): void
    {
        if ($this->handle !== null) {
            $this->ffi->oss_response_free($this->handle);
            $this->handle = null;
        }
    }
}
