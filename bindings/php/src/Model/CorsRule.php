<?php

declare(strict_types=1);

namespace OSS\Model;

use OSS\Core\OssException;

/** One rule of a bucket's CORS configuration: who may call, with which methods and headers. */
class CorsRule
{
    /** @var list<string> */
    private array $allowedHeaders = [];
    /** @var list<string> */
    private array $allowedOrigins = [];
    /** @var list<string> */
    private array $allowedMethods = [];
    /** @var list<string> */
    private array $exposeHeaders = [];
    /** @var int|string|null */
    private $maxAgeSeconds = null;

    /** @param string $allowedOrigin an origin, which may hold one '*' */
    public function addAllowedOrigin($allowedOrigin)
    {
        if (!empty($allowedOrigin)) {
            $this->allowedOrigins[] = (string) $allowedOrigin;
        }
    }

    /** @param string $allowedMethod GET, PUT, DELETE, POST or HEAD */
    public function addAllowedMethod($allowedMethod)
    {
        if (!empty($allowedMethod)) {
            $this->allowedMethods[] = (string) $allowedMethod;
        }
    }

    /** @param string $allowedHeader a request header name, which may hold one '*' */
    public function addAllowedHeader($allowedHeader)
    {
        if (!empty($allowedHeader)) {
            $this->allowedHeaders[] = (string) $allowedHeader;
        }
    }

    /** @param string $exposeHeader a response header the page may read */
    public function addExposeHeader($exposeHeader)
    {
        if (!empty($exposeHeader)) {
            $this->exposeHeaders[] = (string) $exposeHeader;
        }
    }

    /** @return int|string|null */
    public function getMaxAgeSeconds()
    {
        return $this->maxAgeSeconds;
    }

    /** @param int|string $maxAgeSeconds how long a browser may cache the preflight's answer */
    public function setMaxAgeSeconds($maxAgeSeconds)
    {
        $this->maxAgeSeconds = $maxAgeSeconds;
    }

    /** @return list<string> */
    public function getAllowedHeaders()
    {
        return $this->allowedHeaders;
    }

    /** @return list<string> */
    public function getAllowedOrigins()
    {
        return $this->allowedOrigins;
    }

    /** @return list<string> */
    public function getAllowedMethods()
    {
        return $this->allowedMethods;
    }

    /** @return list<string> */
    public function getExposeHeaders()
    {
        return $this->exposeHeaders;
    }

    /**
     * Adds this rule's elements to $xmlRule (a `CORSRule` element), as the SDK's serializer does.
     *
     * @param \SimpleXMLElement $xmlRule
     * @throws OssException when MaxAgeSeconds is not set (the SDK requires it)
     */
    public function appendToXml(&$xmlRule)
    {
        if ($this->maxAgeSeconds === null) {
            throw new OssException('maxAgeSeconds is not set in the Rule');
        }
        foreach ([
            CorsConfig::OSS_CORS_ALLOWED_ORIGIN => $this->allowedOrigins,
            CorsConfig::OSS_CORS_ALLOWED_METHOD => $this->allowedMethods,
            CorsConfig::OSS_CORS_ALLOWED_HEADER => $this->allowedHeaders,
            CorsConfig::OSS_CORS_EXPOSE_HEADER => $this->exposeHeaders,
        ] as $name => $values) {
            foreach ($values as $value) {
                $xmlRule->addChild($name, htmlspecialchars($value, ENT_XML1 | ENT_NOQUOTES, 'UTF-8'));
            }
        }
        $xmlRule->addChild(CorsConfig::OSS_CORS_MAX_AGE_SECONDS, (string) $this->maxAgeSeconds);
    }
}
