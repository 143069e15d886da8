<?php

declare(strict_types=1);

namespace OSS\Model;

/** A common prefix ("folder") of a listing. */
class PrefixInfo
{
    private string $prefix;

    public function __construct($prefix)
    {
        $this->prefix = (string) $prefix;
    }

    /** @return string */
    public function getPrefix()
    {
        return $this->prefix;
    }
}
