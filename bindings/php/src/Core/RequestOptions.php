<?php

declare(strict_types=1);

namespace OSS\Core;

/**
 * The per-request extras libossrs takes as an `oss_options`: headers, query parameters, the check-MD5 flag
 * (already converted to strings by OptionsMapper) and, for multiuploadFile (`oss_upload_file`), the part size and
 * parallelism (null: libossrs's defaults) and the checkpoint file that makes it resumable (null: none); for the
 * generic call, a file or a stream to send as the body and an upload callback.
 */
final class RequestOptions
{
    /** @var list<array{0: string, 1: string}> name/value pairs, in the order the SDK assembles them */
    public array $headers = [];
    /** @var list<array{0: string, 1: string}> */
    public array $query = [];
    public bool $checkMd5 = false;
    public ?int $partSize = null;
    public ?int $parallelism = null;
    public ?string $checkpoint = null;
    /** @var array{0: int, 1: int}|null For file uploads: [first byte, length] of the file (null: all of it). */
    public ?array $fileRange = null;
    /** For multiuploadFile: the open upload to upload the parts into (null: a new one). */
    public ?string $uploadId = null;
    /** For the generic call: the body is this file, streamed by libossrs (null: the string passed). */
    public ?string $bodyFile = null;
    /** @var resource|null For the generic call: the body is read from this stream, from where it is, as it is sent. */
    public $bodyStream = null;
    /** The bytes to read from $bodyStream (null: to its end, sent chunked). */
    public ?int $bodyLength = null;
    /** For the generic call: the upload callback JSON (null: none) and its variables' JSON. */
    public ?string $callback = null;
    public ?string $callbackVar = null;

    public function isEmpty(): bool
    {
        return $this->headers === [] && $this->query === [] && !$this->checkMd5 && $this->partSize === null
            && $this->parallelism === null && $this->checkpoint === null && $this->bodyFile === null
            && $this->bodyStream === null && $this->callback === null && $this->fileRange === null
            && $this->uploadId === null;
    }
}
