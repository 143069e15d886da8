<?php

declare(strict_types=1);

namespace OSS\Core;

/**
 * Everything an OssClient was configured with except the credentials, and how it becomes the
 * settings of libossrs (`oss_client_build_shared`).
 */
final class ClientSettings
{
    public Endpoint $endpoint;
    public bool $useSsl;
    public bool $cname = false;
    public bool $pathStyle = false;
    public string $region = '';
    public string $signatureVersion = 'v1';
    public string $cloudBoxId = '';
    /** Proxy URL for libossrs (http://[user:pass@]host[:port]), null to use http_proxy / https_proxy / no_proxy. */
    public ?string $proxy = null;
    /** Timeout of a whole call in seconds, every retry included; 0 = none (the SDK's default is 60 days). */
    public float $timeout = 0;
    /** Connect timeout in seconds; 0 = libossrs's default (10 s, as the SDK). */
    public float $connectTimeout = 0;
    /** Retries of requests that are safe to repeat (libossrs `max_retries`). */
    public int $maxRetries = 3;
    /**
     * ossrs's answer limits and attempt timeout, as libossrs keys (LIMIT_KEYS) => positive integers.
     *
     * @var array<string, int>
     */
    public array $limits = [];

    /** The libossrs settings setLimits() accepts. */
    public const LIMIT_KEYS = ['max_response_bytes', 'max_error_body_bytes', 'max_object_bytes', 'attempt_timeout_ms'];

    public function __construct(Endpoint $endpoint)
    {
        $this->endpoint = $endpoint;
        $this->useSsl = $endpoint->https;
    }

    /**
     * The SDK's request_proxy: parsed with parse_url, the scheme ignored (always an HTTP proxy), user and password
     * used only when both are present.
     *
     * @param mixed $proxy
     * @throws OssException when the value has no host or holds spaces or control characters
     */
    public function setProxy($proxy): void
    {
        if ($proxy === null || $proxy === false || $proxy === '') {
            $this->proxy = null;
            return;
        }
        $text = ArgumentCheck::text($proxy, 'request_proxy');
        $parts = preg_match('/[\x00-\x20\x7f]/', $text) === 1 ? false : parse_url($text);
        if ($parts === false || !isset($parts['host'])) {
            throw new OssException('request_proxy is invalid: ' . $text);
        }
        $url = 'http://';
        if (isset($parts['user'], $parts['pass'])) {
            $url .= $parts['user'] . ':' . $parts['pass'] . '@';
        }
        $url .= $parts['host'];
        if (isset($parts['port'])) {
            $url .= ':' . $parts['port'];
        }
        $this->proxy = $url;
    }

    /**
     * Sets some of LIMIT_KEYS (others keep their values).
     *
     * @param mixed $limits
     * @throws OssException for anything but an array of LIMIT_KEYS => integers above 0
     */
    public function setLimits($limits): void
    {
        if (!is_array($limits)) {
            throw new OssException('the ossrs limits must be an array, not ' . get_debug_type($limits));
        }
        foreach ($limits as $key => $value) {
            if (!in_array($key, self::LIMIT_KEYS, true)) {
                throw new OssException(
                    'unknown ossrs limit ' . var_export($key, true) . ' (' . implode(', ', self::LIMIT_KEYS) . ')'
                );
            }
            $this->limits[$key] = ArgumentCheck::integer($value, $key, 1);
        }
    }

    /**
     * The libossrs configuration for these settings and $credentials (an object with the getters of
     * OSS\Credentials\Credentials).
     *
     * @return array<string, string>
     * @throws OssException "access key id is empty" / "access key secret is empty"
     */
    public function nativeConfig(object $credentials): array
    {
        $id = self::credential($credentials, 'getAccessKeyId');
        $secret = self::credential($credentials, 'getSecretKey');
        if (empty($id)) {
            throw new OssException('access key id is empty');
        }
        if (empty($secret)) {
            throw new OssException('access key secret is empty');
        }
        $config = [
            'endpoint' => $this->endpoint->url($this->useSsl),
            'access_key_id' => $id,
            'access_key_secret' => $secret,
            'cname' => $this->cname ? 'true' : 'false',
            'path_style' => $this->pathStyle ? 'true' : 'false',
            'signature_version' => $this->signatureVersion,
        ];
        $token = self::credential($credentials, 'getSecurityToken');
        if ($token !== '') {
            $config['security_token'] = $token;
        }
        if ($this->region !== '') {
            $config['region'] = $this->region;
        }
        if ($this->cloudBoxId !== '') {
            $config['cloudbox_id'] = $this->cloudBoxId;
        }
        if ($this->proxy !== null) {
            $config['proxy'] = $this->proxy;
        }
        if ($this->timeout > 0) {
            $config['timeout_ms'] = (string) max(1, (int) round($this->timeout * 1000));
        }
        if ($this->connectTimeout > 0) {
            $config['connect_timeout_ms'] = (string) max(1, (int) round($this->connectTimeout * 1000));
        }
        $config['max_retries'] = (string) min(100, $this->maxRetries);
        foreach ($this->limits as $key => $value) {
            $config[$key] = (string) $value;
        }
        return $config;
    }

    private static function credential(object $credentials, string $getter): string
    {
        if (!method_exists($credentials, $getter)) {
            throw new OssException(
                'the credentials provider returned ' . get_class($credentials) . ', which has no ' . $getter . '()'
            );
        }
        $value = $credentials->$getter();
        return ($value === null || $value === false) ? '' : ArgumentCheck::text($value, 'credentials ' . $getter . '()');
    }
}
