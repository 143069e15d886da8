<?php

declare(strict_types=1);

namespace OSS\Core;

use OSS\Native\Digest;

/**
 * The official SDK's OssUtil helpers, with its names, parameters and results. File hashing is done by libossrs;
 * everything else is plain PHP.
 *
 * Where the SDK would raise a warning or a TypeError on a value of the wrong type, these helpers convert it as PHP
 * converts text (ints, floats, bools, Stringable objects; null as '') or throw an OssException saying what is wrong.
 */
class OssUtil
{
    const OSS_CONTENT = 'content';
    const OSS_LENGTH = 'length';
    const OSS_HEADERS = 'headers';
    const OSS_MAX_OBJECT_GROUP_VALUE = 1000;
    const OSS_MAX_PART_SIZE = 5368709120;
    const OSS_MID_PART_SIZE = 10485760;
    const OSS_MIN_PART_SIZE = 102400;

    /** Bytes written per fwrite() by generateFile; each chunk repeats one random character. */
    private const GENERATE_CHUNK = 1048576;

    /**
     * The query string of $options: `key=value` pairs joined by `&`, keys in natural case-insensitive order,
     * both parts rawurlencode()d; a value that is empty (or null/false) gives the bare key. Integer keys and
     * array values are left out.
     *
     * @param array<mixed>|null $options
     * @return string
     * @throws OssException when $options is neither an array nor null, or a value cannot be read as text
     */
    public static function toQueryString($options = array())
    {
        if ($options === null) {
            return '';
        }
        if (!is_array($options)) {
            throw new OssException('options must be an array, ' . get_debug_type($options) . ' given');
        }
        uksort($options, static fn ($a, $b): int => strnatcasecmp((string) $a, (string) $b));
        $pairs = [];
        foreach ($options as $key => $value) {
            if (!is_string($key) || is_array($value)) {
                continue;
            }
            $text = ArgumentCheck::text($value, 'query parameter "' . $key . '"');
            $pairs[] = $text === '' ? rawurlencode($key) : rawurlencode($key) . '=' . rawurlencode($text);
        }
        return implode('&', $pairs);
    }

    /**
     * The SDK's entity replacement: `&` → `&amp;`, `'` → `&apos;`, `"` → `&quot;`, and, as in the SDK (whose
     * replacements run one after the other), `<` → `&amp;lt;` and `>` → `&amp;gt;`. An array is processed
     * element by element, keys kept.
     *
     * @param string|array<mixed> $subject
     * @return string|array<mixed>
     * @throws OssException when a value cannot be read as text
     */
    public static function sReplace($subject)
    {
        if (is_array($subject)) {
            return array_map([self::class, 'sReplace'], $subject);
        }
        return strtr(ArgumentCheck::text($subject, 'subject'), [
            '<' => '&amp;lt;',
            '>' => '&amp;gt;',
            '&' => '&amp;',
            "'" => '&apos;',
            '"' => '&quot;',
        ]);
    }

    /**
     * 1 when $str holds a byte of 0x80 or above followed by another character (other than a newline), else 0:
     * the SDK's test for non-ASCII (for example Chinese) text.
     *
     * @param string $str
     * @return int
     */
    public static function chkChinese($str)
    {
        return preg_match('/[\x80-\xff]./', ArgumentCheck::text($str, 'string')) === 1 ? 1 : 0;
    }

    /**
     * The SDK's guess whether $str is GB2312 rather than UTF-8: only the first byte in 0xE4–0xE9 is looked at;
     * true when the two bytes after it are not UTF-8 continuation bytes, or when fewer than three bytes follow it
     * (so, as in the SDK, a three-byte character at the very end counts as incomplete); false without such a byte.
     *
     * @param string $str
     * @return bool
     */
    public static function isGb2312($str)
    {
        $utf8 = self::firstCjkLeadIsUtf8(ArgumentCheck::text($str, 'string'));
        return $utf8 === null ? false : !$utf8;
    }

    /**
     * The SDK's encoding check. With $gbk true: whether $str is GBK, i.e. the first byte in 0xE4–0xE9 does not
     * start a complete UTF-8 sequence (see isGb2312), true without such a byte. With $gbk false: whether it is
     * UTF-8, false without such a byte.
     *
     * @param string $str
     * @param bool $gbk
     * @return bool
     */
    public static function checkChar($str, $gbk = true)
    {
        $gbk = (bool) $gbk;
        $utf8 = self::firstCjkLeadIsUtf8(ArgumentCheck::text($str, 'string'));
        if ($utf8 === null) {
            return $gbk;
        }
        return $gbk ? !$utf8 : $utf8;
    }

    /**
     * Whether $bucket is a valid bucket name: 3–63 characters of [a-z0-9-], starting with a letter or digit.
     *
     * @param string $bucket
     * @return bool
     */
    public static function validateBucket($bucket)
    {
        return is_string($bucket) && preg_match('/^[a-z0-9][a-z0-9-]{2,62}$/', $bucket) === 1;
    }

    /**
     * Whether $object is a valid object name: 1–1023 bytes without a line break, not starting with / or \.
     *
     * @param string $object
     * @return bool
     */
    public static function validateObject($object)
    {
        return is_string($object)
            && preg_match('/^.{1,1023}$/', $object) === 1
            && $object[0] !== '/'
            && $object[0] !== '\\';
    }

    /**
     * Whether $str begins with $findMe (always true for an empty $findMe).
     *
     * @param string $str
     * @param string $findMe
     * @return bool
     */
    public static function startsWith($str, $findMe)
    {
        $prefix = ArgumentCheck::text($findMe, 'prefix');
        return strncmp(ArgumentCheck::text($str, 'string'), $prefix, strlen($prefix)) === 0;
    }

    /**
     * The PutBucket body: `<?xml version="1.0" encoding="UTF-8"?>`, a newline and
     * `<CreateBucketConfiguration><StorageClass>…</StorageClass></CreateBucketConfiguration>` plus a newline;
     * an empty storage class gives `<StorageClass/>`.
     *
     * @param string $storageClass
     * @return string
     * @throws OssException when $storageClass cannot be read as text
     */
    public static function createBucketXmlBody($storageClass)
    {
        return '<?xml version="1.0" encoding="UTF-8"?>' . "\n" . '<CreateBucketConfiguration>'
            . self::xmlElement('StorageClass', ArgumentCheck::text($storageClass, 'storage class'))
            . "</CreateBucketConfiguration>\n";
    }

    /**
     * Refuses options that are not an array; null and other values loosely equal to null (false, 0, '') pass.
     *
     * @param mixed $options
     * @return void
     * @throws OssException "<value>:option must be array"
     */
    public static function validateOptions($options)
    {
        if ($options == null || is_array($options)) {
            return;
        }
        throw new OssException(ArgumentCheck::describe($options) . ':option must be array');
    }

    /**
     * Refuses an empty() request body ('', '0', null, 0, []).
     *
     * @param mixed $content
     * @return void
     * @throws OssException "http body content is invalid"
     */
    public static function validateContent($content)
    {
        if (empty($content)) {
            throw new OssException('http body content is invalid');
        }
    }

    /**
     * Throws $errMsg when $name is empty(), except for the string '0'.
     *
     * @param mixed $name
     * @param string $errMsg
     * @return void
     * @throws OssException $errMsg
     */
    public static function throwOssExceptionWithMessageIfEmpty($name, $errMsg)
    {
        if (empty($name) && $name !== '0') {
            throw new OssException(is_array($errMsg) ? $errMsg : ArgumentCheck::describe($errMsg));
        }
    }

    /**
     * For tests and samples: writes $size bytes of letters and digits to $filename (1 MiB runs of one random
     * character). When a file of exactly that size is already there it is kept and, as in the SDK,
     * "<filename> already exists, no need to create again. " is printed.
     *
     * @param string $filename
     * @param int $size bytes (an int or a string holding one)
     * @return void
     * @throws OssException when $size is not a whole number of at least 0, or the file cannot be written
     */
    public static function generateFile($filename, $size)
    {
        $path = ArgumentCheck::text($filename, 'file name');
        $left = ArgumentCheck::integer($size, 'file size', 0);
        clearstatcache(true, $path);
        if (is_file($path) && filesize($path) === $left) {
            echo $path . ' already exists, no need to create again. ';
            return;
        }
        $handle = @fopen($path, 'wb');
        if ($handle === false) {
            throw new OssException('cannot open ' . $path . ' for writing: ' . self::lastError());
        }
        $alphabet = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
        try {
            while ($left > 0) {
                $chunk = min($left, self::GENERATE_CHUNK);
                $written = @fwrite($handle, str_repeat($alphabet[random_int(0, strlen($alphabet) - 1)], $chunk));
                if ($written !== $chunk) {
                    throw new OssException('writing ' . $path . ' failed: ' . self::lastError());
                }
                $left -= $chunk;
            }
        } finally {
            fclose($handle);
        }
    }

    /**
     * Base64 of the MD5 of the inclusive byte range [$from_pos, $to_pos] of $filename, computed by libossrs.
     *
     * Returns '' when the range is negative, longer than 5 GiB, starts or ends past the end of the file, or the
     * file cannot be read; a range with $to_pos < $from_pos gives the MD5 of nothing ("1B2M2Y8AsgTpgAmY7PhCfg==").
     *
     * @param string $filename
     * @param int $from_pos first byte
     * @param int $to_pos last byte (inclusive)
     * @return string
     * @throws OssException only when libossrs cannot be loaded
     */
    public static function getMd5SumForFile($filename, $from_pos, $to_pos)
    {
        if (!is_string($filename) || !is_numeric($from_pos) || !is_numeric($to_pos)) {
            return '';
        }
        $from = (int) $from_pos;
        $to = (int) $to_pos;
        if ($to - $from > self::OSS_MAX_PART_SIZE || $from < 0 || $to < 0 || !is_file($filename)) {
            return '';
        }
        $size = filesize($filename);
        if ($size === false || $from >= $size || $to >= $size) {
            return '';
        }
        return Digest::fileContentMd5($filename, $from, max(0, $to - $from + 1)) ?? '';
    }

    /**
     * Whether PHP runs on Windows (PHP_OS starts with "WIN", case-insensitively).
     *
     * @return bool
     */
    public static function isWin()
    {
        return strncasecmp(PHP_OS, 'WIN', 3) === 0;
    }

    /**
     * $file_path as the file system takes it: on Windows, a non-ASCII UTF-8 path (see chkChinese) is converted
     * to GBK; elsewhere, or when the conversion fails, the path is returned as it is.
     *
     * @param string $file_path
     * @return string
     */
    public static function encodePath($file_path)
    {
        $path = ArgumentCheck::text($file_path, 'file path');
        if (self::chkChinese($path) === 1 && self::isWin()) {
            $converted = @iconv('UTF-8', 'GBK', $path);
            if (is_string($converted)) {
                return $converted;
            }
        }
        return $path;
    }

    /**
     * Whether the text of $endpoint before its first ':' is an IP address (so "10.0.0.1" and "10.0.0.1:80" are;
     * IPv6 literals, which contain ':', are not).
     *
     * @param string $endpoint
     * @return bool
     */
    public static function isIPFormat($endpoint)
    {
        $host = explode(':', ArgumentCheck::text($endpoint, 'endpoint'), 2)[0];
        return filter_var($host, FILTER_VALIDATE_IP) !== false;
    }

    /**
     * The host[:port] of $endpoint: the text after the first "://" (if any), cut at the first '#', '?' or '/',
     * without the user info (everything through the first '@'). It must match ^[\w.-]+(:[0-9]+)?$.
     *
     * @param string $endpoint
     * @return string
     * @throws OssException "endpoint is invalid:<endpoint>"
     */
    public static function getHostPortFromEndpoint($endpoint)
    {
        $text = ArgumentCheck::text($endpoint, 'endpoint');
        $rest = $text;
        $scheme = strpos($rest, '://');
        if ($scheme !== false) {
            $rest = substr($rest, $scheme + 3);
        }
        $rest = substr($rest, 0, strcspn($rest, '#?/'));
        $at = strpos($rest, '@');
        if ($at !== false) {
            $rest = substr($rest, $at + 1);
        }
        if (preg_match('/^[\w.-]+(:[0-9]+)?$/', $rest) !== 1) {
            throw new OssException('endpoint is invalid:' . $text);
        }
        return $rest;
    }

    /**
     * The DeleteMultipleObjects body for $objects (names) and $quiet ('true' or 'false'), as the SDK writes it:
     * `<?xml version="1.0" encoding="utf-8"?>` and one line `<Delete><Quiet>…</Quiet><Object><Key>…</Key></Object>…`,
     * `&`, `<` and `>` escaped.
     *
     * @param string[] $objects
     * @param string $quiet
     * @return string
     */
    public static function createDeleteObjectsXmlBody($objects, $quiet)
    {
        $xml = '<?xml version="1.0" encoding="utf-8"?>' . "\n" . '<Delete><Quiet>' . self::xmlText((string) $quiet)
            . '</Quiet>';
        foreach ($objects as $object) {
            $xml .= '<Object><Key>' . self::xmlText((string) $object) . '</Key></Object>';
        }
        return $xml . "</Delete>\n";
    }

    /**
     * The DeleteMultipleObjects body for versioned objects: like createDeleteObjectsXmlBody, each `<Object>`
     * also carrying `<VersionId>…</VersionId>` when the version id is not empty() ('', null and '0' are left
     * out). An empty Quiet value gives `<Quiet/>`.
     *
     * Each object is an OSS\Model\DeleteObjectInfo in the SDK; any object with getKey() and getVersionId()
     * methods is accepted (duck typing). Keys are escaped once (`&`, `<`, `>`), as in createDeleteObjectsXmlBody;
     * the SDK escapes `<` and `>` twice.
     *
     * @param iterable<object> $objects
     * @param string $quiet 'true' or 'false'
     * @return string
     * @throws OssException when $objects is not iterable or an entry lacks getKey()/getVersionId()
     */
    public static function createDeleteObjectVersionsXmlBody($objects, $quiet)
    {
        if (!is_iterable($objects)) {
            throw new OssException('objects must be an array, ' . get_debug_type($objects) . ' given');
        }
        $xml = '<?xml version="1.0" encoding="utf-8"?>' . "\n" . '<Delete>'
            . self::xmlElement('Quiet', ArgumentCheck::text($quiet, 'quiet'));
        foreach ($objects as $index => $object) {
            if (!is_object($object) || !method_exists($object, 'getKey') || !method_exists($object, 'getVersionId')) {
                throw new OssException('objects[' . $index . '] must be an object with getKey() and getVersionId() '
                    . '(such as OSS\Model\DeleteObjectInfo), ' . get_debug_type($object) . ' given');
            }
            $xml .= '<Object>' . self::xmlElement('Key', ArgumentCheck::text($object->getKey(), 'object key'));
            $versionId = $object->getVersionId();
            if (!empty($versionId)) {
                $xml .= self::xmlElement('VersionId', ArgumentCheck::text($versionId, 'version id'));
            }
            $xml .= '</Object>';
        }
        return $xml . "</Delete>\n";
    }

    /**
     * The CompleteMultipartUpload body: `<?xml version="1.0" encoding="utf-8"?>`, a newline and
     * `<CompleteMultipartUpload><Part><PartNumber>…</PartNumber><ETag>…</ETag></Part>…</CompleteMultipartUpload>`
     * plus a newline, parts in the order given (`<CompleteMultipartUpload/>` for none). ETags are written as
     * given, quotes included.
     *
     * @param array<array{PartNumber: int|string, ETag: string}> $listParts
     * @return string
     * @throws OssException when $listParts is not iterable or a part lacks PartNumber or ETag
     */
    public static function createCompleteMultipartUploadXmlBody($listParts)
    {
        if (!is_iterable($listParts)) {
            throw new OssException('listParts must be an array, ' . get_debug_type($listParts) . ' given');
        }
        $parts = '';
        foreach ($listParts as $index => $part) {
            if (!is_array($part) && !$part instanceof \ArrayAccess) {
                throw new OssException('listParts[' . $index . '] must be an array with PartNumber and ETag, '
                    . get_debug_type($part) . ' given');
            }
            foreach (['PartNumber', 'ETag'] as $field) {
                if (!isset($part[$field])) {
                    throw new OssException('listParts[' . $index . '] has no ' . $field);
                }
            }
            $parts .= '<Part>'
                . self::xmlElement('PartNumber', ArgumentCheck::text($part['PartNumber'], 'PartNumber'))
                . self::xmlElement('ETag', ArgumentCheck::text($part['ETag'], 'ETag'))
                . '</Part>';
        }
        return '<?xml version="1.0" encoding="utf-8"?>' . "\n"
            . ($parts === '' ? '<CompleteMultipartUpload/>' : '<CompleteMultipartUpload>' . $parts
                . '</CompleteMultipartUpload>') . "\n";
    }

    /**
     * The regular files in $dir (symbolic links to files included), as uploadDir takes them:
     * md5(path . file) => ['path' => file path, 'file' => name relative to $dir, without a leading '/'].
     *
     * $exclude is a '|'-separated list ('.' and '..' are always added) compared with the lower-cased name. As in
     * the SDK: without $recursive only the entries of $dir itself are listed, each path being $dir . '/' . name;
     * with $recursive, subdirectories are walked (not through links) and an exclude entry must match the path
     * relative to $dir as it starts, with its leading '/' when $dir has no trailing one ("/sub/a.txt"), so the
     * default list excludes nothing there. The order is the directory's own. Unlike the SDK, 'path' is always a
     * string (the SDK gives an SplFileInfo in recursive mode).
     *
     * @param string $dir
     * @param string $exclude
     * @param bool $recursive
     * @return array<string, array{path: string, file: string}>
     * @throws OssException when $dir is not a readable directory
     */
    public static function readDir($dir, $exclude = ".|..|.svn|.git", $recursive = false)
    {
        $base = ArgumentCheck::text($dir, 'directory');
        $skip = array_unique(array_merge(explode('|', ArgumentCheck::text($exclude, 'exclude list')), ['.', '..']));
        if (!is_dir($base)) {
            throw new OssException($base . ' is not a directory');
        }
        $files = [];
        if ($recursive) {
            try {
                $entries = new \RecursiveIteratorIterator(new \RecursiveDirectoryIterator($base));
                foreach ($entries as $entry) {
                    /** @var \SplFileInfo $entry */
                    if ($entry->isDir()) {
                        continue;
                    }
                    $path = $entry->getPathname();
                    $relative = strncmp($path, $base, strlen($base)) === 0 ? substr($path, strlen($base)) : $path;
                    if (!in_array(strtolower($relative), $skip, true) && is_file($path)) {
                        $name = ltrim($relative, '/');
                        $files[md5($path . $name)] = ['path' => $path, 'file' => $name];
                    }
                }
            } catch (\UnexpectedValueException $e) {
                throw new OssException('cannot read directory ' . $base . ': ' . $e->getMessage());
            }
            return $files;
        }
        $handle = @opendir($base);
        if ($handle === false) {
            throw new OssException('cannot read directory ' . $base . ': ' . self::lastError());
        }
        while (($name = readdir($handle)) !== false) {
            $path = $base . '/' . $name;
            if (!in_array(strtolower($name), $skip, true) && is_file($path)) {
                $files[md5($path . $name)] = ['path' => $path, 'file' => $name];
            }
        }
        closedir($handle);
        return $files;
    }

    /**
     * $key decoded as OSS encoded it: unchanged for an empty encoding ('' or null), rawurldecode()d for 'url'.
     *
     * @param string $key
     * @param string $encoding
     * @return string
     * @throws OssException "Unrecognized encoding type: <encoding>"
     */
    public static function decodeKey($key, $encoding)
    {
        if ($encoding === null || $encoding === false || $encoding === '') {
            return $key;
        }
        $type = ArgumentCheck::text($encoding, 'encoding type');
        if ($type === 'url') {
            return rawurldecode(ArgumentCheck::text($key, 'key'));
        }
        throw new OssException('Unrecognized encoding type: ' . $type);
    }

    /**
     * The URL of parse_url()'s parts: [scheme://]host[:port][path][?query]; user info and fragment are left out,
     * as are unset or null parts. Anything but an array (or ArrayAccess) gives ''.
     *
     * @param array<string, mixed>|false $parsed_url
     * @return string
     */
    public static function unparseUrl($parsed_url)
    {
        if (!is_array($parsed_url) && !$parsed_url instanceof \ArrayAccess) {
            return '';
        }
        $part = static fn (string $name, string $before, string $after): string => isset($parsed_url[$name])
            ? $before . ArgumentCheck::text($parsed_url[$name], 'URL ' . $name) . $after
            : '';
        return $part('scheme', '', '://') . $part('host', '', '') . $part('port', ':', '') . $part('path', '', '')
            . $part('query', '?', '');
    }

    private static function xmlText(string $text): string
    {
        return htmlspecialchars($text, ENT_XML1 | ENT_NOQUOTES, 'UTF-8');
    }

    /** `<name>text</name>` with `&`, `<`, `>` and CR escaped as libxml writes them, `<name/>` for ''. */
    private static function xmlElement(string $name, string $text): string
    {
        if ($text === '') {
            return '<' . $name . '/>';
        }
        $escaped = strtr($text, ['&' => '&amp;', '<' => '&lt;', '>' => '&gt;', "\r" => '&#13;']);
        return '<' . $name . '>' . $escaped . '</' . $name . '>';
    }

    /**
     * For isGb2312 and checkChar: null when $str has no byte in 0xE4–0xE9, else whether the first such byte is
     * followed by two UTF-8 continuation bytes and at least one byte more (the SDK's bound).
     */
    private static function firstCjkLeadIsUtf8(string $str): ?bool
    {
        $length = strlen($str);
        for ($i = 0; $i < $length; $i++) {
            $byte = ord($str[$i]);
            if ($byte < 0xE4 || $byte > 0xE9) {
                continue;
            }
            if ($i + 3 >= $length) {
                return false;
            }
            $next = ord($str[$i + 1]);
            $after = ord($str[$i + 2]);
            return $next >= 0x80 && $next <= 0xBF && $after >= 0x80 && $after <= 0xBF;
        }
        return null;
    }

    /** The message of the last PHP warning, for error texts. */
    private static function lastError(): string
    {
        $error = error_get_last();
        return $error === null ? 'unknown error' : $error['message'];
    }
}
