<?php

declare(strict_types=1);

namespace OSS\Model;

/** A page of listObjects(). */
class ObjectListInfo
{
    private string $bucketName;
    private string $prefix;
    private string $marker;
    private string $nextMarker;
    private int $maxKeys;
    private string $delimiter;
    private ?string $isTruncated;
    /** @var ObjectInfo[] */
    private array $objectList;
    /** @var PrefixInfo[] */
    private array $prefixList;

    /**
     * @param ObjectInfo[] $objectList
     * @param PrefixInfo[] $prefixList
     */
    public function __construct(
        $bucketName,
        $prefix,
        $marker,
        $nextMarker,
        $maxKeys,
        $delimiter,
        $isTruncated,
        array $objectList,
        array $prefixList
    ) {
        $this->bucketName = (string) $bucketName;
        $this->prefix = (string) $prefix;
        $this->marker = (string) $marker;
        $this->nextMarker = (string) $nextMarker;
        $this->maxKeys = (int) $maxKeys;
        $this->delimiter = (string) $delimiter;
        $this->isTruncated = $isTruncated === null ? null : (string) $isTruncated;
        $this->objectList = $objectList;
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
    public function getMarker()
    {
        return $this->marker;
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

    /** @return string|null "true" or "false", as the SDK returns it */
    public function getIsTruncated()
    {
        return $this->isTruncated;
    }

    /** @return ObjectInfo[] */
    public function getObjectList()
    {
        return $this->objectList;
    }

    /** @return PrefixInfo[] */
    public function getPrefixList()
    {
        return $this->prefixList;
    }

    /** @return string */
    public function getNextMarker()
    {
        return $this->nextMarker;
    }
}
