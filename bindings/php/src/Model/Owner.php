<?php

declare(strict_types=1);

namespace OSS\Model;

/** The owner of an object, as a listing reports it (with fetch-owner for ListObjectsV2). */
class Owner
{
    private string $id;
    private string $displayName;

    public function __construct($id, $displayName)
    {
        $this->id = (string) $id;
        $this->displayName = (string) $displayName;
    }

    /** @return string */
    public function getId()
    {
        return $this->id;
    }

    /** @return string */
    public function getDisplayName()
    {
        return $this->displayName;
    }
}
