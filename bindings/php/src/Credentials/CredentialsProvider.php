<?php

declare(strict_types=1);

namespace OSS\Credentials;

/**
 * Supplies credentials. OssClient calls getCredentials() before every request, as the official SDK does,
 * so a provider may rotate STS tokens.
 */
interface CredentialsProvider
{
    /**
     * @return Credentials
     */
    public function getCredentials();
}
