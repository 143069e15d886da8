<?php

declare(strict_types=1);

namespace OSS\Model;

/** An object to delete with deleteObjectVersions: its key and, to delete one version for good, the version id. */
class DeleteObjectInfo
{
    private string $key;
    private string $versionId;

    public function __construct($key, $versionId = '')
    {
        $this->key = (string) $key;
        $this->versionId = (string) $versionId;
    }

    /** @return string */
    public function getKey()
    {
        return $this->key;
    }

    /** @return string '' for the current version (a delete marker is added in a bucket with versioning) */
    public function getVersionId()
    {
        return $this->versionId;
    }
}
