<?php

declare(strict_types=1);

namespace OSS\Model;

/** A page of listMultipartUploads(). */
class ListMultipartUploadInfo
{
    private string $bucket;
    private string $keyMarker;
    private string $uploadIdMarker;
    private string $nextKeyMarker;
    private string $nextUploadIdMarker;
    private string $delimiter;
    private string $prefix;
    private int $maxUploads;
    private string $isTruncated;
    /** @var UploadInfo[] */
    private array $uploads;

    /** @param UploadInfo[] $uploads */
    public function __construct(
        $bucket,
        $keyMarker,
        $uploadIdMarker,
        $nextKeyMarker,
        $nextUploadIdMarker,
        $delimiter,
        $prefix,
        $maxUploads,
        $isTruncated,
        array $uploads
    ) {
        $this->bucket = (string) $bucket;
        $this->keyMarker = (string) $keyMarker;
        $this->uploadIdMarker = (string) $uploadIdMarker;
        $this->nextKeyMarker = (string) $nextKeyMarker;
        $this->nextUploadIdMarker = (string) $nextUploadIdMarker;
        $this->delimiter = (string) $delimiter;
        $this->prefix = (string) $prefix;
        $this->maxUploads = (int) $maxUploads;
        $this->isTruncated = (string) $isTruncated;
        $this->uploads = $uploads;
    }

    /** @return string */
    public function getBucket()
    {
        return $this->bucket;
    }

    /** @return string */
    public function getKeyMarker()
    {
        return $this->keyMarker;
    }

    /** @return string */
    public function getUploadIdMarker()
    {
        return $this->uploadIdMarker;
    }

    /** @return string */
    public function getNextKeyMarker()
    {
        return $this->nextKeyMarker;
    }

    /** @return string */
    public function getNextUploadIdMarker()
    {
        return $this->nextUploadIdMarker;
    }

    /** @return string */
    public function getDelimiter()
    {
        return $this->delimiter;
    }

    /** @return string */
    public function getPrefix()
    {
        return $this->prefix;
    }

    /** @return int */
    public function getMaxUploads()
    {
        return $this->maxUploads;
    }

    /** @return string "true" or "false", as the SDK returns it */
    public function getIsTruncated()
    {
        return $this->isTruncated;
    }

    /** @return UploadInfo[] */
    public function getUploads()
    {
        return $this->uploads;
    }
}
