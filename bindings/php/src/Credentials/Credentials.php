<?php

declare(strict_types=1);

namespace OSS\Credentials;

use OSS\Core\OssException;

/**
 * An access key id, its secret and an optional STS security token. Id and secret are trimmed; the token is not.
 */
class Credentials
{
    private string $key;
    private string $secret;
    /** @var string|null|false false when read from an unset environment variable, as in the SDK */
    private $token;

    /**
     * @param string $key access key id
     * @param string $secret access key secret
     * @param string|null $token STS security token
     * @throws OssException when the id or the secret is empty
     */
    public function __construct($key, $secret, $token = null)
    {
        if (empty($key) || !is_scalar($key)) {
            throw new OssException('access key id is empty');
        }
        if (empty($secret) || !is_scalar($secret)) {
            throw new OssException('access key secret is empty');
        }
        $this->key = trim((string) $key);
        $this->secret = trim((string) $secret);
        $this->token = $token;
    }

    /** @return string */
    public function getAccessKeyId()
    {
        return $this->key;
    }

    /** @return string */
    public function getSecretKey()
    {
        return $this->secret;
    }

    /** @return string|null */
    public function getSecurityToken()
    {
        return $this->token;
    }
}
