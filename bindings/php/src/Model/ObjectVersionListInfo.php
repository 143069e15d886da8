<?php

declare(strict_types=1);

namespace OSS\Model;

/** The answer of listObjectVersions: one page of versions, delete markers and common prefixes. */
class ObjectVersionListInfo
{
    private string $bucketName;
    private string $prefix;
    private string $keyMarker;
    private string $nextKeyMarker;
    private string $versionIdMarker;
    private string $nextVersionIdMarker;
    private int $maxKeys;
    private string $delimiter;
    private string $isTruncated;
    /** @var ObjectVersionInfo[] */
    private array $objectVersionList;
    /** @var DeleteMarkerInfo[] */
    private array $deleteMarkerList;
    /** @var PrefixInfo[] */
    private array $prefixList;

    /**
     * @param ObjectVersionInfo[] $objectversionList
     * @param DeleteMarkerInfo[] $deleteMarkerList
     * @param PrefixInfo[] $prefixList
     */
    public function __construct(
        $bucketName,
        $prefix,
        $keyMarker,
        $nextKeyMarker,
        $versionIdMarker,
        $nextVersionIdMarker,
        $maxKeys,
        $delimiter,
        $isTruncated,
        array $objectversionList,
        array $deleteMarkerList,
        array $prefixList
    ) {
        $this->bucketName = (string) $bucketName;
        $this->prefix = (string) $prefix;
        $this->keyMarker = (string) $keyMarker;
        $this->nextKeyMarker = (string) $nextKeyMarker;
        $this->versionIdMarker = (string) $versionIdMarker;
        $this->nextVersionIdMarker = (string) $nextVersionIdMarker;
        $this->maxKeys = (int) $maxKeys;
        $this->delimiter = (string) $delimiter;
        $this->isTruncated = (string) $isTruncated;
        $this->objectVersionList = $objectversionList;
        $this->deleteMarkerList = $deleteMarkerList;
        $this->prefixList = $prefixList;
    }

    /** @return string */
    public function getBucketName()
    {
        return $this->bucketName;
    }

    /** @return string */
    public function getPrefix()
    {
        return $this->prefix;
    }

    /** @return string */
    public function getKeyMarker()
    {
        return $this->keyMarker;
    }

    /** @return string the key-marker of the next page ('' on the last page) */
    public function getNextKeyMarker()
    {
        return $this->nextKeyMarker;
    }

    /** @return string */
    public function getVersionIdMarker()
    {
        return $this->versionIdMarker;
    }

    /** @return string the version-id-marker of the next page ('' on the last page) */
    public function getNextVersionIdMarker()
    {
        return $this->nextVersionIdMarker;
    }

    /** @return int */
    public function getMaxKeys()
    {
        return $this->maxKeys;
    }

    /** @return string */
    public function getDelimiter()
    {
        return $this->delimiter;
    }

    /** @return string 'true' or 'false', as OSS wrote it */
    public function getIsTruncated()
    {
        return $this->isTruncated;
    }

    /** @return ObjectVersionInfo[] */
    public function getObjectVersionList()
    {
        return $this->objectVersionList;
    }

    /** @return DeleteMarkerInfo[] */
    public function getDeleteMarkerList()
    {
        return $this->deleteMarkerList;
    }

    /** @return PrefixInfo[] */
    public function getPrefixList()
    {
        return $this->prefixList;
    }
}
