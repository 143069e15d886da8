<?php

declare(strict_types=1);

namespace OSS\Model;

/** One multipart upload still open, as listMultipartUploads() reports it. */
class UploadInfo
{
    private string $key;
    private string $uploadId;
    private string $initiated;

    public function __construct($key, $uploadId, $initiated)
    {
        $this->key = (string) $key;
        $this->uploadId = (string) $uploadId;
        $this->initiated = (string) $initiated;
    }

    /** @return string the key, URL-decoded */
    public function getKey()
    {
        return $this->key;
    }

    /** @return string */
    public function getUploadId()
    {
        return $this->uploadId;
    }

    /** @return string ISO 8601, as OSS wrote it */
    public function getInitiated()
    {
        return $this->initiated;
    }
}
