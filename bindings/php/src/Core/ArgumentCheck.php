<?php

declare(strict_types=1);

namespace OSS\Core;

/**
 * Checks and converts what callers pass to OssClient, before any I/O.
 *
 * The official SDK's checks come first, with its exact messages (docs/php-sdk-behaviour.md "Argument checks").
 * Where the SDK would hit a TypeError, a warning or a silent conversion (an array as object name, a non-array
 * options argument), the value is refused here with a clear OssException instead. Stricter rules (CR/LF in names,
 * NUL bytes, header injection) are enforced again by libossrs.
 */
final class ArgumentCheck
{
    private function __construct()
    {
    }

    /**
     * The object name, as precheckCommon checks it.
     *
     * @param mixed $object
     * @throws OssException "object name is empty" / '"<name>" object name is invalid'
     */
    public static function objectName($object): string
    {
        if (empty($object) && $object !== '0') {
            throw new OssException('object name is empty');
        }
        $name = self::text($object, 'object name');
        if (!OssUtil::validateObject($name)) {
            throw new OssException('"' . $name . '" object name is invalid');
        }
        return $name;
    }

    /**
     * The options argument: null becomes [].
     *
     * @param mixed $options
     * @return array<mixed>
     * @throws OssException "<value>:option must be array"
     */
    public static function options($options): array
    {
        if ($options === null) {
            return [];
        }
        if (!is_array($options)) {
            throw new OssException(self::describe($options) . ':option must be array');
        }
        return $options;
    }

    /**
     * The bucket name, as precheckCommon checks it.
     *
     * @param mixed $bucket
     * @throws OssException "bucket is not allowed empty" / '"<name>"bucket name is invalid'
     */
    public static function bucketName($bucket): string
    {
        if (empty($bucket)) {
            throw new OssException('bucket is not allowed empty');
        }
        $name = self::text($bucket, 'bucket name');
        if (!OssUtil::validateBucket($name)) {
            throw new OssException('"' . $name . '"' . 'bucket name is invalid');
        }
        return $name;
    }

    /**
     * A required option of $function (uploadPart's fileUpload and partNumber).
     *
     * @param array<mixed> $options
     * @throws OssException "The `<key>` options is required in <function>()."
     */
    public static function requireOption(array $options, string $key, string $function): void
    {
        if (!isset($options[$key])) {
            throw new OssException('The `' . $key . '` options is required in ' . $function . '().');
        }
    }

    /**
     * The SDK's ACL check on options['headers']['x-oss-acl'], run on every request.
     *
     * @param array<mixed> $options
     * @throws OssException "<acl>:acl is invalid(private,public-read,public-read-write)"
     */
    public static function acl(array $options): void
    {
        $headers = $options['headers'] ?? null;
        if (!is_array($headers) || empty($headers['x-oss-acl'])) {
            return;
        }
        $acl = self::text($headers['x-oss-acl'], 'x-oss-acl header');
        if (!in_array(strtolower($acl), ['private', 'public-read', 'public-read-write'], true)) {
            throw new OssException($acl . ':acl is invalid(private,public-read,public-read-write)');
        }
    }

    /**
     * A value used as text: strings as they are; ints, floats, bools and Stringable objects converted as PHP
     * converts them; null as ''.
     *
     * @param mixed $value
     * @throws OssException for arrays, resources and other objects
     */
    public static function text($value, string $what): string
    {
        if (is_string($value)) {
            return $value;
        }
        if ($value === null || is_scalar($value) || $value instanceof \Stringable) {
            return (string) $value;
        }
        throw new OssException($what . ' must be a string, ' . get_debug_type($value) . ' given');
    }

    /**
     * An integer option (seekTo, length, partNumber): an int, or a string or float holding a whole number.
     *
     * @param mixed $value
     * @throws OssException when it is not a whole number or is below $min
     */
    public static function integer($value, string $what, int $min): int
    {
        if (is_string($value)) {
            $value = trim($value);
        }
        $int = filter_var($value, FILTER_VALIDATE_INT);
        if ($int === false && is_float($value) && floor($value) === $value && abs($value) < PHP_INT_MAX) {
            $int = (int) $value;
        }
        if (!is_int($int) || is_bool($value)) {
            throw new OssException($what . ' must be an integer, ' . self::describe($value) . ' given');
        }
        if ($int < $min) {
            throw new OssException($what . ' must be at least ' . $min . ', ' . $int . ' given');
        }
        return $int;
    }

    /**
     * How a value reads in a message: scalars as PHP prints them, anything else by its type.
     *
     * @param mixed $value
     */
    public static function describe($value): string
    {
        if (is_scalar($value) || $value === null || $value instanceof \Stringable) {
            return (string) $value;
        }
        return get_debug_type($value);
    }
}
