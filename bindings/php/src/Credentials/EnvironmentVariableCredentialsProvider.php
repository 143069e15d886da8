<?php

declare(strict_types=1);

namespace OSS\Credentials;

use OSS\Core\OssException;

/**
 * Reads OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET and OSS_SESSION_TOKEN on every call.
 */
class EnvironmentVariableCredentialsProvider implements CredentialsProvider
{
    /**
     * @return Credentials
     * @throws OssException when the id or the secret is not set
     */
    public function getCredentials()
    {
        return new Credentials(
            getenv('OSS_ACCESS_KEY_ID'),
            getenv('OSS_ACCESS_KEY_SECRET'),
            getenv('OSS_SESSION_TOKEN')
        );
    }
}
