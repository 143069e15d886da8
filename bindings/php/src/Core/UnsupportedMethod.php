<?php

declare(strict_types=1);

namespace OSS\Core;

/** The exception of an official OssClient method that ossrs does not implement yet (UnsupportedMethods). */
final class UnsupportedMethod
{
    private function __construct()
    {
    }

    public static function exception(string $method): OssException
    {
        return new OssException(
            'OssClient::' . $method . '() is not supported by ossrs yet; nothing was sent (see the README of '
            . 'bindings/php for the methods ossrs implements)'
        );
    }
}
