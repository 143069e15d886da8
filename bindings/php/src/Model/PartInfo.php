<?php

declare(strict_types=1);

namespace OSS\Model;

/**
 * One uploaded part, as listParts() reports it.
 */
class PartInfo
{
    private int $partNumber;
    private string $lastModified;
    private string $eTag;
    private int $size;

    public function __construct(int $partNumber, string $lastModified, string $eTag, int $size)
    {
        $this->partNumber = $partNumber;
        $this->lastModified = $lastModified;
        $this->eTag = $eTag;
        $this->size = $size;
    }

    /** @return int */
    public function getPartNumber()
    {
        return $this->partNumber;
    }

    /** @return string the LastModified text as OSS wrote it */
    public function getLastModified()
    {
        return $this->lastModified;
    }

    /** @return string the ETag with its quotes, as OSS sent it */
    public function getEtag()
    {
        return $this->eTag;
    }

    /** @return int size in bytes */
    public function getSize()
    {
        return $this->size;
    }
}
