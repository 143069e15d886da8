<?php

declare(strict_types=1);

namespace OSS\Model;

/** One object tag: a key and a value. */
class Tag
{
    private string $key;
    private string $value;

    public function __construct($key, $value)
    {
        $this->key = (string) $key;
        $this->value = (string) $value;
    }

    /** @return string */
    public function getKey()
    {
        return $this->key;
    }

    /** @return string */
    public function getValue()
    {
        return $this->value;
    }
}
