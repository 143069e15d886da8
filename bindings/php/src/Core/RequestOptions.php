<?php

declare(strict_types=1);

namespace OSS\Core;

/**
 * The per-request extras libossrs takes as an `oss_options`: headers, query parameters and the check-MD5 flag,
 * already converted to strings by OptionsMapper.
 */
final class RequestOptions
{
    /** @var list<array{0: string, 1: string}> name/value pairs, in the order the SDK assembles them */
    public array $headers = [];
    /** @var list<array{0: string, 1: string}> */
    public array $query = [];
    public bool $checkMd5 = false;

    public function isEmpty(): bool
    {
        return $this->headers === [] && $this->query === [] && !$this->checkMd5;
    }
}
