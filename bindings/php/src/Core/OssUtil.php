<?php

declare(strict_types=1);

namespace OSS\Core;

use OSS\Native\Digest;

/**
 * The static helpers of the official SDK's OssUtil that upload code uses. File hashing is done by libossrs.
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
     * Base64 of the MD5 of the inclusive byte range [$from, $to] of $file, computed by libossrs.
     *
     * Returns '' when the range is negative, longer than 5 GiB, starts or ends past the end of the file, or the
     * file cannot be read; a range with $to < $from gives the MD5 of nothing ("1B2M2Y8AsgTpgAmY7PhCfg==").
     *
     * @param string $filename
     * @param int $from first byte
     * @param int $to last byte (inclusive)
     * @return string
     * @throws OssException only when libossrs cannot be loaded
     */
    public static function getMd5SumForFile($filename, $from, $to)
    {
        if (!is_string($filename) || !is_numeric($from) || !is_numeric($to)) {
            return '';
        }
        $from = (int) $from;
        $to = (int) $to;
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

    private static function xmlText(string $text): string
    {
        return htmlspecialchars($text, ENT_XML1 | ENT_NOQUOTES, 'UTF-8');
    }
}
