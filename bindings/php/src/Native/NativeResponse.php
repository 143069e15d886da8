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
        // One FFI call and explode(): status, url, method, total_time_us, bytes_sent, body_len, recovered,
        // attempts, then name/value lines (libossrs gives the names in lower case); 4-6 times cheaper than
        // json_decode of oss_response_json.
        $lines = explode("\n", (string) $this->ffi->oss_response_head($this->handle));
        $result = [];
        $contentType = null;
        for ($i = 8, $end = count($lines) - 1; $i < $end; $i += 2) {
            $name = $lines[$i];
            $result[$name] = $lines[$i + 1];
            if ($contentType === null && $name === 'content-type') {
                $contentType = $lines[$i + 1];
            }
        }
        $totalTimeUs = (int) $lines[3];
        $bodyLength = (int) $lines[5];
        $result['info'] = [
            'url' => $lines[1],
            'content_type' => $contentType,
            'http_code' => (int) $lines[0],
            'total_time' => $totalTimeUs / 1e6,
            'size_upload' => (float) $lines[4],
            'size_download' => (float) $bodyLength,
            'total_time_us' => $totalTimeUs,
            'method' => $lines[2],
            // libossrs: the answer was lost and success was confirmed by ListParts + HEAD (whose answer this is).
            'ossrs_recovered' => $lines[6] === '1',
        ];
        $result['oss-request-url'] = $lines[1];
        $result['oss-redirects'] = 0;
        $result['body'] = $this->bodyOf($bodyLength);
        return $result;
    }

    /**
     * What the generic call parsed: the operation's XML result as arrays (the `result` of `oss_response_json`),
     * null when it has none.
     *
     * @return array<string, mixed>|string|null
     */
    public function result()
    {
        $json = (string) $this->ffi->oss_response_json($this->handle);
        return json_decode($json, true, 64, JSON_THROW_ON_ERROR)['result'];
    }

    /** The raw body. */
    public function body(): string
    {
        return $this->bodyOf((int) $this->ffi->oss_response_body_len($this->handle));
    }

    private function bodyOf(int $length): string
    {
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
