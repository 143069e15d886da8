<?php

declare(strict_types=1);

namespace OSS\Core;

/**
 * Turns the official SDK's options arrays into what libossrs takes (docs/php-sdk-behaviour.md "Options").
 *
 * Headers are assembled in the SDK's order: Content-Type, Date, Content-Md5 (for the operations that keep the
 * caller's value), then everything in options['headers']. Values are trimmed and, as the SDK's empty() test does,
 * '', '0', null and false are not sent. Values that are not text (arrays, objects) and integer header names
 * are refused with an OssException instead of the SDK's warnings or TypeErrors.
 */
final class OptionsMapper
{
    /**
     * Top-level option keys that the SDK sends as query parameters, in its order (partNumber and uploadId are
     * arguments here); keys of a set, so that map() finds the given ones with one array_intersect_key().
     */
    private const QUERY_KEYS = [
        'response-content-type' => true, 'response-content-language' => true, 'response-cache-control' => true,
        'response-content-encoding' => true, 'response-expires' => true, 'response-content-disposition' => true,
        'comp' => true, 'status' => true, 'startTime' => true, 'endTime' => true, 'x-oss-process' => true,
        'position' => true, 'symlink' => true, 'restore' => true, 'tagging' => true, 'wormId' => true,
        'x-oss-traffic-limit' => true, 'versionId' => true, 'continuation-token' => true, 'cname' => true,
    ];

    private function __construct()
    {
    }

    /**
     * @param array<mixed> $options the caller's options
     * @param bool $contentType whether OSS_CONTENT_TYPE is sent (Complete forces application/xml instead)
     * @param bool $contentMd5 whether OSS_CONTENT_MD5 is sent as given (the SDK overwrites it for string bodies)
     * @param list<string> $extraQueryKeys operation-specific top-level keys sent as query (listParts paging)
     * @param bool $userQuery whether options['query_string'] is merged (listParts resets it, as the SDK)
     * @throws OssException for values that are not text
     */
    public static function map(
        array $options,
        bool $contentType,
        bool $contentMd5,
        array $extraQueryKeys = [],
        bool $userQuery = true
    ): RequestOptions {
        $request = new RequestOptions();
        if ($contentType) {
            self::addHeader($request, 'Content-Type', $options['Content-Type'] ?? null);
        }
        self::addHeader($request, 'Date', $options['Date'] ?? null);
        if ($contentMd5) {
            self::addHeader($request, 'Content-Md5', $options['Content-Md5'] ?? null);
        }
        $headers = $options['headers'] ?? [];
        if (!is_array($headers)) {
            throw new OssException('the headers option must be an array, ' . get_debug_type($headers) . ' given');
        }
        foreach ($headers as $name => $value) {
            if (!is_string($name)) {
                throw new OssException('header names must be strings, the headers option has the key ' . $name);
            }
            self::addHeader($request, $name, $value);
        }
        $queryKeys = self::QUERY_KEYS;
        if ($extraQueryKeys !== []) {
            $queryKeys += array_fill_keys($extraQueryKeys, true);
        }
        foreach (array_intersect_key($queryKeys, $options) as $key => $_) {
            self::addQuery($request, $key, $options[$key]);
        }
        if ($userQuery && isset($options['query_string'])) {
            if (!is_array($options['query_string'])) {
                throw new OssException('the query_string option must be an array');
            }
            foreach ($options['query_string'] as $key => $value) {
                self::addQuery($request, (string) $key, $value);
            }
        }
        return $request;
    }

    /**
     * The text option under $key (the callback or callback-var JSON, a part's Content-MD5), or null when it is
     * absent or empty: then no callback (or MD5) is sent.
     *
     * @param array<mixed> $options
     */
    public static function nonEmptyText(array $options, string $key): ?string
    {
        $value = $options[$key] ?? null;
        if ($value === null || $value === '' || $value === false) {
            return null;
        }
        return ArgumentCheck::text($value, 'the ' . $key . ' option');
    }

    /** @param mixed $value */
    private static function addHeader(RequestOptions $request, string $name, $value): void
    {
        if ($value === null || $value === false) {
            return;
        }
        $text = trim(ArgumentCheck::text($value, 'header ' . $name));
        if (empty($text)) {
            return;
        }
        $request->headers[] = [$name, $text];
    }

    /** @param mixed $value */
    private static function addQuery(RequestOptions $request, string $key, $value): void
    {
        if (is_array($value)) {
            return;
        }
        $request->query[] = [$key, ArgumentCheck::text($value, 'query parameter ' . $key)];
    }
}
