<?php

declare(strict_types=1);

namespace OSS\Model;

/**
 * The answer to listParts(): the parts of one multipart upload, possibly one page of them.
 */
class ListPartsInfo
{
    private string $bucket;
    private string $key;
    private string $uploadId;
    private int $nextPartNumberMarker;
    private int $maxParts;
    private string $isTruncated;
    /** @var list<PartInfo> */
    private array $listPart;

    /**
     * @param string $isTruncated 'true' or 'false', as the SDK keeps the XML text
     * @param list<PartInfo> $listPart
     */
    public function __construct(
        string $bucket,
        string $key,
        string $uploadId,
        int $nextPartNumberMarker,
        int $maxParts,
        string $isTruncated,
        array $listPart
    ) {
        $this->bucket = $bucket;
        $this->key = $key;
        $this->uploadId = $uploadId;
        $this->nextPartNumberMarker = $nextPartNumberMarker;
        $this->maxParts = $maxParts;
        $this->isTruncated = $isTruncated;
        $this->listPart = $listPart;
    }

    /** @return string */
    public function getBucket()
    {
        return $this->bucket;
    }

    /** @return string */
    public function getKey()
    {
        return $this->key;
    }

    /** @return string */
    public function getUploadId()
    {
        return $this->uploadId;
    }

    /** @return int the part-number-marker for the next page */
    public function getNextPartNumberMarker()
    {
        return $this->nextPartNumberMarker;
    }

    /** @return int */
    public function getMaxParts()
    {
        return $this->maxParts;
    }

    /** @return string 'true' when more parts follow, else 'false' */
    public function getIsTruncated()
    {
        return $this->isTruncated;
    }

    /** @return list<PartInfo> */
    public function getListPart()
    {
        return $this->listPart;
    }
}
