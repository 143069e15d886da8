<?php

declare(strict_types=1);

namespace OSS\Model;

/** One object version of listObjectVersions. */
class ObjectVersionInfo
{
    private string $key;
    private string $versionId;
    private string $lastModified;
    private string $eTag;
    private string $type;
    private string $size;
    private string $storageClass;
    private string $isLatest;

    public function __construct($key, $versionId, $lastModified, $eTag, $type, $size, $storageClass, $isLatest)
    {
        $this->key = (string) $key;
        $this->versionId = (string) $versionId;
        $this->lastModified = (string) $lastModified;
        $this->eTag = (string) $eTag;
        $this->type = (string) $type;
        $this->size = (string) $size;
        $this->storageClass = (string) $storageClass;
        $this->isLatest = (string) $isLatest;
    }

    /** @return string the key, URL-decoded */
    public function getKey()
    {
        return $this->key;
    }

    /** @return string 'null' for a version written without versioning */
    public function getVersionId()
    {
        return $this->versionId;
    }

    /** @return string ISO 8601, as OSS wrote it */
    public function getLastModified()
    {
        return $this->lastModified;
    }

    /** @return string with its quotes */
    public function getETag()
    {
        return $this->eTag;
    }

    /** @return string Normal, Multipart, Appendable or Symlink */
    public function getType()
    {
        return $this->type;
    }

    /** @return int */
    public function getSize()
    {
        return (int) $this->size;
    }

    /** @return string the size as OSS wrote it (for sizes beyond PHP_INT_MAX) */
    public function getSizeStr()
    {
        return $this->size;
    }

    /** @return string */
    public function getStorageClass()
    {
        return $this->storageClass;
    }

    /** @return string 'true' or 'false', as OSS wrote it */
    public function getIsLatest()
    {
        return $this->isLatest;
    }
}
