<?php

declare(strict_types=1);

namespace OSS\Model;

/** A page of listObjectsV2(). */
class ObjectListInfoV2
{
    private string $bucketName;
    private string $prefix;
    private int $maxKeys;
    private string $delimiter;
    private ?string $isTruncated;
    /** @var ObjectInfo[] */
    private array $objectList;
    /** @var PrefixInfo[] */
    private array $prefixList;
    private string $continuationToken;
    private string $nextContinuationToken;
    private string $startAfter;
    private int $keyCount;

    /**
     * @param ObjectInfo[] $objectList
     * @param PrefixInfo[] $prefixList
     */
    public function __construct(
        $bucketName,
        $prefix,
        $maxKeys,
        $delimiter,
        $isTruncated,
        array $objectList,
        array $prefixList,
        $continuationToken,
        $nextContinuationToken,
        $startAfter,
        $keyCount
    ) {
        $this->bucketName = (string) $bucketName;
        $this->prefix = (string) $prefix;
        $this->maxKeys = (int) $maxKeys;
        $this->delimiter = (string) $delimiter;
        $this->isTruncated = $isTruncated === null ? null : (string) $isTruncated;
        $this->objectList = $objectList;
        $this->prefixList = $prefixList;
        $this->continuationToken = (string) $continuationToken;
        $this->nextContinuationToken = (string) $nextContinuationToken;
        $this->startAfter = (string) $startAfter;
        $this->keyCount = (int) $keyCount;
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
    public function getContinuationToken()
    {
        return $this->continuationToken;
    }

    /** @return string */
    public function getNextContinuationToken()
    {
        return $this->nextContinuationToken;
    }

    /** @return string */
    public function getStartAfter()
    {
        return $this->startAfter;
    }

    /** @return int */
    public function getKeyCount()
    {
        return $this->keyCount;
    }
}
