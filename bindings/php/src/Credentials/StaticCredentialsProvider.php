<?php

declare(strict_types=1);

namespace OSS\Credentials;

use OSS\Core\OssException;

/**
 * Fixed credentials given to the constructor (what the positional OssClient constructor uses).
 */
class StaticCredentialsProvider implements CredentialsProvider
{
    private Credentials $credentials;

    /**
     * @param string $key access key id
     * @param string $secret access key secret
     * @param string|null $token STS security token
     * @throws OssException when the id or the secret is empty
     */
    public function __construct($key, $secret, $token = null)
    {
        $this->credentials = new Credentials($key, $secret, $token);
    }

    /** @return Credentials */
    public function getCredentials()
    {
        return $this->credentials;
    }
}
