<?php

declare(strict_types=1);

namespace OSS\Core;

/**
 * The endpoint given to the constructor: its scheme decides https, and its host[:port] is what libossrs gets.
 *
 * Parsing follows the SDK (docs/php-sdk-behaviour.md "Endpoints and addressing"): the scheme prefix is removed,
 * the rest is cut at '#', '?' and '/', userinfo is dropped, and what is left must match ^[\w.-]+(:[0-9]+)?$.
 * Like libossrs, and unlike the SDK, the scheme is matched case-insensitively (the SDK silently sends "HTTPS://"
 * endpoints over plain http) and a scheme other than http or https is refused.
 */
final class Endpoint
{
    public string $host;
    public bool $https;

    private function __construct(string $host, bool $https)
    {
        $this->host = $host;
        $this->https = $https;
    }

    /**
     * @throws OssException "endpoint is empty" / "endpoint is invalid:<endpoint>"
     */
    public static function parse(string $endpoint): self
    {
        $endpoint = trim(trim($endpoint), '/');
        if ($endpoint === '') {
            throw new OssException('endpoint is empty');
        }
        $https = false;
        $rest = $endpoint;
        if (preg_match('~^([A-Za-z][A-Za-z0-9+.-]*)://~', $endpoint, $m) === 1) {
            $scheme = strtolower($m[1]);
            if ($scheme !== 'http' && $scheme !== 'https') {
                throw new OssException('endpoint is invalid:' . $endpoint . ' (unsupported scheme "' . $scheme . '")');
            }
            $https = $scheme === 'https';
            $rest = substr($endpoint, strlen($m[0]));
        }
        $host = $rest;
        foreach (['#', '?', '/'] as $cut) {
            $host = explode($cut, $host, 2)[0];
        }
        $at = strpos($host, '@');
        if ($at !== false) {
            $host = substr($host, $at + 1);
        }
        if (preg_match('/^[\w.-]+(:[0-9]+)?$/D', $host) !== 1) {
            throw new OssException('endpoint is invalid:' . $rest);
        }
        return new self($host, $https);
    }

    /** The endpoint as libossrs takes it, with the scheme chosen by $https. */
    public function url(bool $https): string
    {
        return ($https ? 'https://' : 'http://') . $this->host;
    }
}
