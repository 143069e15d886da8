<?php

declare(strict_types=1);

namespace OSS\Model;

use OSS\Core\OssException;

/** A bucket's CORS configuration (putBucketCors, getBucketCors): up to ten CorsRule and ResponseVary. */
class CorsConfig implements XmlConfig
{
    const OSS_CORS_ALLOWED_ORIGIN = 'AllowedOrigin';
    const OSS_CORS_ALLOWED_METHOD = 'AllowedMethod';
    const OSS_CORS_ALLOWED_HEADER = 'AllowedHeader';
    const OSS_CORS_EXPOSE_HEADER = 'ExposeHeader';
    const OSS_CORS_MAX_AGE_SECONDS = 'MaxAgeSeconds';
    const OSS_MAX_RULES = 10;

    /** @var list<CorsRule> */
    private array $rules = [];
    private ?bool $responseVary = null;

    public function __construct()
    {
    }

    /** @return list<CorsRule> */
    public function getRules()
    {
        return $this->rules;
    }

    /**
     * @param CorsRule $rule
     * @throws OssException past OSS_MAX_RULES rules
     */
    public function addRule($rule)
    {
        if (count($this->rules) >= self::OSS_MAX_RULES) {
            throw new OssException('num of rules in the config exceeds self::OSS_MAX_RULES: ' . self::OSS_MAX_RULES);
        }
        if (!$rule instanceof CorsRule) {
            throw new OssException('a CORS rule must be a CorsRule, ' . get_debug_type($rule) . ' given');
        }
        $this->rules[] = $rule;
    }

    /** @param bool $value whether OSS answers with `Vary: Origin` */
    public function setResponseVary($value)
    {
        $this->responseVary = (bool) $value;
    }

    /** @return bool */
    public function getResponseVary()
    {
        return $this->responseVary ?? false;
    }

    /** Fills this configuration from a `CORSConfiguration` document. */
    public function parseFromXml($strXml)
    {
        $xml = @simplexml_load_string((string) $strXml);
        if ($xml === false) {
            throw new OssException('the CORS configuration is not valid XML');
        }
        if (isset($xml->ResponseVary)) {
            $this->responseVary = strtolower((string) $xml->ResponseVary) === 'true';
        }
        foreach ($xml->CORSRule ?? [] as $rule) {
            $this->addRule(self::rule(static fn (string $name): array => array_map('strval', iterator_to_array(
                $rule->{$name},
                false
            )), isset($rule->MaxAgeSeconds) ? (string) $rule->MaxAgeSeconds : null));
        }
    }

    /**
     * @internal a CorsConfig from the GetBucketCors result, as libossrs reads it
     * @param mixed $result
     */
    public static function fromResult($result): self
    {
        $config = new self();
        $result = is_array($result) ? $result : [];
        if (isset($result['ResponseVary'])) {
            $config->responseVary = strtolower((string) $result['ResponseVary']) === 'true';
        }
        foreach ($result['CORSRule'] ?? [] as $rule) {
            $rule = is_array($rule) ? $rule : [];
            $list = static fn (string $name): array => array_values(array_filter($rule[$name] ?? [], 'is_string'));
            $config->addRule(self::rule($list, isset($rule['MaxAgeSeconds']) ? (string) $rule['MaxAgeSeconds'] : null));
        }
        return $config;
    }

    /** @param callable(string): list<string> $values */
    private static function rule(callable $values, ?string $maxAge): CorsRule
    {
        $rule = new CorsRule();
        array_map([$rule, 'addAllowedOrigin'], $values(self::OSS_CORS_ALLOWED_ORIGIN));
        array_map([$rule, 'addAllowedMethod'], $values(self::OSS_CORS_ALLOWED_METHOD));
        array_map([$rule, 'addAllowedHeader'], $values(self::OSS_CORS_ALLOWED_HEADER));
        array_map([$rule, 'addExposeHeader'], $values(self::OSS_CORS_EXPOSE_HEADER));
        if ($maxAge !== null) {
            $rule->setMaxAgeSeconds($maxAge);
        }
        return $rule;
    }

    /** The `CORSConfiguration` document, as the SDK writes it. */
    public function serializeToXml()
    {
        $xml = new \SimpleXMLElement('<?xml version="1.0" encoding="utf-8"?><CORSConfiguration></CORSConfiguration>');
        foreach ($this->rules as $rule) {
            $xmlRule = $xml->addChild('CORSRule');
            $rule->appendToXml($xmlRule);
        }
        if ($this->responseVary !== null) {
            $xml->addChild('ResponseVary', $this->responseVary ? 'true' : 'false');
        }
        return $xml->asXML();
    }

    public function __toString()
    {
        return $this->serializeToXml();
    }
}
