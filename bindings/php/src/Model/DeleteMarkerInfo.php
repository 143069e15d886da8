<?php

declare(strict_types=1);

namespace OSS\Model;

/** A delete marker of listObjectVersions. */
class DeleteMarkerInfo
{
    private string $key;
    private string $versionId;
    private string $lastModified;
    private string $isLatest;

    public function __construct($key, $versionId, $lastModified, $isLatest)
    {
        $this->key = (string) $key;
        $this->versionId = (string) $versionId;
        $this->lastModified = (string) $lastModified;
        $this->isLatest = (string) $isLatest;
    }

    /** @return string the key, URL-decoded */
    public function getKey()
    {
        return $this->key;
    }

    /** @return string */
    public function getVersionId()
    {
        return $this->versionId;
    }

    /** @return string ISO 8601, as OSS wrote it */
    public function getLastModified()
    {
        return $this->lastModified;
    }

    /** @return string 'true' or 'false', as OSS wrote it */
    public function getIsLatest()
    {
        return $this->isLatest;
    }
}
