<?php

declare(strict_types=1);

namespace OSS\Model;

/** One entry of deleteObjectVersions' answer. */
class DeletedObjectInfo
{
    private string $key;
    private string $versionId;
    private string $deleteMarker;
    private string $deleteMarkerVersionId;

    public function __construct($key, $versionId, $deleteMarker, $deleteMarkerVersionId)
    {
        $this->key = (string) $key;
        $this->versionId = (string) $versionId;
        $this->deleteMarker = (string) $deleteMarker;
        $this->deleteMarkerVersionId = (string) $deleteMarkerVersionId;
    }

    /** @return string the key, URL-decoded */
    public function getKey()
    {
        return $this->key;
    }

    /** @return string the version deleted ('' when none was named) */
    public function getVersionId()
    {
        return $this->versionId;
    }

    /** @return string 'true' when a delete marker was added or deleted, else '' */
    public function getDeleteMarker()
    {
        return $this->deleteMarker;
    }

    /** @return string the id of that delete marker, else '' */
    public function getDeleteMarkerVersionId()
    {
        return $this->deleteMarkerVersionId;
    }
}
