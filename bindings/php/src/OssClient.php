<?php

declare(strict_types=1);

namespace OSS;

use OSS\Core\ArgumentCheck;
use OSS\Core\ClientSettings;
use OSS\Core\Endpoint;
use OSS\Core\OptionsMapper;
use OSS\Core\OssException;
use OSS\Core\OssUtil;
use OSS\Core\RequestOptions;
use OSS\Core\UnsupportedMethods;
use OSS\Credentials\Credentials;
use OSS\Credentials\CredentialsProvider;
use OSS\Credentials\StaticCredentialsProvider;
use OSS\Model\BucketInfo;
use OSS\Model\BucketListInfo;
use OSS\Model\BucketStat;
use OSS\Model\CorsConfig;
use OSS\Model\DeletedObjectInfo;
use OSS\Model\DeleteMarkerInfo;
use OSS\Model\DeleteObjectInfo;
use OSS\Model\ListMultipartUploadInfo;
use OSS\Model\ListPartsInfo;
use OSS\Model\ObjectInfo;
use OSS\Model\ObjectListInfo;
use OSS\Model\ObjectListInfoV2;
use OSS\Model\ObjectVersionInfo;
use OSS\Model\ObjectVersionListInfo;
use OSS\Model\PrefixInfo;
use OSS\Model\RestoreConfig;
use OSS\Model\TaggingConfig;
use OSS\Model\UploadInfo;
use OSS\Model\VersioningConfig;
use OSS\Native\CString;
use OSS\Native\Digest;
use OSS\Native\NativeClient;

/**
 * Drop-in replacement for the official Aliyun SDK's OSS\OssClient (upload and upload-callback operations).
 *
 * Arguments are checked with the SDK's messages and mapped to libossrs calls; HTTP, signing (V1, or V4 with
 * 'signatureVersion' => 'v4'), MD5 and file reading happen in libossrs through PHP FFI. Results have the SDK's
 * shapes and failures throw OSS\Core\OssException, also for wrong PHP types where the SDK would raise a TypeError.
 * Differences from the SDK are listed in bindings/php/README.md.
 */
class OssClient
{
    use UnsupportedMethods;

    // Option keys (docs/php-sdk-behaviour.md "Constants"; values are the SDK's).
    const OSS_LIFECYCLE_EXPIRATION = 'Expiration';
    const OSS_LIFECYCLE_TIMING_DAYS = 'Days';
    const OSS_LIFECYCLE_TIMING_DATE = 'Date';
    const OSS_BUCKET = 'bucket';
    const OSS_OBJECT = 'object';
    const OSS_HEADERS = OssUtil::OSS_HEADERS;
    const OSS_METHOD = 'method';
    const OSS_QUERY = 'query';
    const OSS_BASENAME = 'basename';
    const OSS_MAX_KEYS = 'max-keys';
    const OSS_UPLOAD_ID = 'uploadId';
    const OSS_PART_NUM = 'partNumber';
    const OSS_COMP = 'comp';
    const OSS_LIVE_CHANNEL_STATUS = 'status';
    const OSS_LIVE_CHANNEL_START_TIME = 'startTime';
    const OSS_LIVE_CHANNEL_END_TIME = 'endTime';
    const OSS_POSITION = 'position';
    const OSS_PREFIX = 'prefix';
    const OSS_DELIMITER = 'delimiter';
    const OSS_MARKER = 'marker';
    const OSS_KEY_MARKER = 'key-marker';
    const OSS_VERSION_ID_MARKER = 'version-id-marker';
    const OSS_START_AFTER = 'start-after';
    const OSS_CONTINUATION_TOKEN = 'continuation-token';
    const OSS_LIST_TYPE = 'list-type';
    const OSS_RANGE = 'range';
    const OSS_ETAG = 'etag';
    const OSS_LAST_MODIFIED = 'lastmodified';
    const OSS_CONTENT = OssUtil::OSS_CONTENT;
    const OSS_BODY = 'body';
    const OSS_LENGTH = OssUtil::OSS_LENGTH;
    const OSS_FILE_DOWNLOAD = 'fileDownload';
    const OSS_FILE_UPLOAD = 'fileUpload';
    const OSS_PART_SIZE = 'partSize';
    const OSS_SEEK_TO = 'seekTo';
    const OSS_SIZE = 'size';
    const OSS_QUERY_STRING = 'query_string';
    const OSS_SUB_RESOURCE = 'sub_resource';
    const OSS_CHECK_MD5 = 'checkmd5';
    const OSS_CHECK_CRC = 'checkcrc64';
    const OSS_ADDITIONAL_HEADERS = 'additionalHeaders';
    const OSS_STORAGE = 'storage';
    const OSS_RESTORE = 'restore';
    const OSS_RESTORE_CONFIG = 'restore-config';
    const OSS_VERSION_ID = 'versionId';
    const OSS_PROCESS = 'x-oss-process';
    const OSS_TRAFFIC_LIMIT = 'x-oss-traffic-limit';
    const OSS_CALLBACK = 'x-oss-callback';
    const OSS_CALLBACK_VAR = 'x-oss-callback-var';
    const OSS_PROGRESS_CALLBACK = 'x-progress-callback';
    const OSS_ENCODING_TYPE = 'encoding-type';
    const OSS_ENCODING_TYPE_URL = 'url';
    // Header names.
    const OSS_ACCEPT_ENCODING = 'Accept-Encoding';
    const OSS_CONTENT_MD5 = 'Content-Md5';
    const OSS_SELF_CONTENT_MD5 = 'x-oss-meta-md5';
    const OSS_CONTENT_TYPE = 'Content-Type';
    const OSS_CONTENT_LENGTH = 'Content-Length';
    const OSS_IF_MODIFIED_SINCE = 'If-Modified-Since';
    const OSS_IF_UNMODIFIED_SINCE = 'If-Unmodified-Since';
    const OSS_IF_MATCH = 'If-Match';
    const OSS_IF_NONE_MATCH = 'If-None-Match';
    const OSS_CACHE_CONTROL = 'Cache-Control';
    const OSS_EXPIRES = 'Expires';
    const OSS_PREAUTH = 'preauth';
    const OSS_CONTENT_COING = 'Content-Coding';
    const OSS_CONTENT_DISPOSTION = 'Content-Disposition';
    const OS_CONTENT_RANGE = 'Content-Range';
    const OSS_HOST = 'Host';
    const OSS_DATE = 'Date';
    const OSS_AUTHORIZATION = 'Authorization';
    const OSS_DEFAULT_PREFIX = 'x-oss-';
    const OSS_ACL = 'x-oss-acl';
    const OSS_OBJECT_ACL = 'x-oss-object-acl';
    const OSS_OBJECT_GROUP = 'x-oss-file-group';
    const OSS_OBJECT_COPY_SOURCE = 'x-oss-copy-source';
    const OSS_OBJECT_COPY_SOURCE_RANGE = 'x-oss-copy-source-range';
    const OSS_SYMLINK_TARGET = 'x-oss-symlink-target';
    const OSS_HEADER_VERSION_ID = 'x-oss-version-id';
    const OSS_SECURITY_TOKEN = 'x-oss-security-token';
    const OSS_REQUEST_PAYER = 'x-oss-request-payer';
    const OSS_OPTIONS_ORIGIN = 'Origin';
    const OSS_OPTIONS_REQUEST_METHOD = 'Access-Control-Request-Method';
    const OSS_OPTIONS_REQUEST_HEADERS = 'Access-Control-Request-Headers';
    // Result keys.
    const OSS_INFO = 'info';
    const OSS_HTTP_CODE = 'http_code';
    const OSS_REQUEST_ID = 'x-oss-request-id';
    // Presigned URL parameters.
    const OSS_URL_ACCESS_KEY_ID = 'OSSAccessKeyId';
    const OSS_URL_EXPIRES = 'Expires';
    const OSS_URL_SIGNATURE = 'Signature';
    // Sizes.
    const OSS_MAX_KEYS_VALUE = 100;
    const OSS_MAX_OBJECT_GROUP_VALUE = OssUtil::OSS_MAX_OBJECT_GROUP_VALUE;
    const OSS_MAX_PART_SIZE = OssUtil::OSS_MAX_PART_SIZE;
    const OSS_MID_PART_SIZE = OssUtil::OSS_MID_PART_SIZE;
    const OSS_MIN_PART_SIZE = OssUtil::OSS_MIN_PART_SIZE;
    const OSS_FILE_SLICE_SIZE = 8192;
    // Methods.
    const OSS_HTTP_GET = 'GET';
    const OSS_HTTP_PUT = 'PUT';
    const OSS_HTTP_HEAD = 'HEAD';
    const OSS_HTTP_POST = 'POST';
    const OSS_HTTP_DELETE = 'DELETE';
    const OSS_HTTP_OPTIONS = 'OPTIONS';
    // Values.
    const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
    const OSS_ACL_TYPE_PRIVATE = 'private';
    const OSS_ACL_TYPE_PUBLIC_READ = 'public-read';
    const OSS_ACL_TYPE_PUBLIC_READ_WRITE = 'public-read-write';
    const OSS_STORAGE_STANDARD = 'Standard';
    const OSS_STORAGE_IA = 'IA';
    const OSS_STORAGE_ARCHIVE = 'Archive';
    const OSS_STORAGE_COLDARCHIVE = 'ColdArchive';
    const OSS_MULTI_PART = 'uploads';
    const OSS_MULTI_DELETE = 'delete';
    const OSS_HOST_TYPE_NORMAL = 'normal';
    const OSS_HOST_TYPE_IP = 'ip';
    const OSS_HOST_TYPE_SPECIAL = 'special';
    const OSS_HOST_TYPE_CNAME = 'cname';
    const OSS_HOST_TYPE_PATH_STYLE = 'path-style';
    const OSS_NAME = 'aliyun-sdk-php';
    const OSS_VERSION = '2.7.3';
    const OSS_BUILD = '20260626';
    const OSS_SIGNATURE_VERSION_V1 = 'v1';
    const OSS_SIGNATURE_VERSION_V4 = 'v4';
    const OSS_DEFAULT_PRODUCT = 'oss';
    const OSS_CLOUDBOX_PRODUCT = 'oss-cloudbox';
    // ossrs's own multiuploadFile options (not in the SDK).
    /** Parts uploaded at once by multiuploadFile: an integer 1..64, default 2. */
    const OSSRS_PARALLELISM = 'ossrs.parallelism';
    /**
     * multiuploadFile progress: a callable function (int $partNumber, int $bytesDone, int $bytesTotal): ?bool,
     * called after each stored part; returning false cancels (and aborts) the upload.
     */
    const OSSRS_PROGRESS = 'ossrs.progress';
    /**
     * multiuploadFile checkpoint file (a path): makes the upload resumable. After a failure, crash or kill, the
     * same call again sends only the parts OSS does not have yet; the file is deleted when the upload completes.
     */
    const OSSRS_CHECKPOINT = 'ossrs.checkpoint';
    /** Largest OSSRS_PARALLELISM libossrs accepts. */
    const OSSRS_MAX_PARALLELISM = 64;

    /** The storage classes createBucket accepts. */
    private const STORAGE_CLASSES = [
        self::OSS_STORAGE_STANDARD, self::OSS_STORAGE_IA, self::OSS_STORAGE_ARCHIVE, self::OSS_STORAGE_COLDARCHIVE,
    ];

    /** @var list<string> */
    public static $OSS_ACL_TYPES = [
        self::OSS_ACL_TYPE_PRIVATE,
        self::OSS_ACL_TYPE_PUBLIC_READ,
        self::OSS_ACL_TYPE_PUBLIC_READ_WRITE,
    ];

    private ClientSettings $settings;
    private CredentialsProvider $provider;
    private ?NativeClient $native = null;
    /**
     * The Credentials that $native was last checked against, while no setting changed since (see
     * settingsChanged()); null when the next request must check again.
     */
    private ?Credentials $checkedCredentials = null;

    /**
     * Either the positional form ($accessKeyId, $accessKeySecret, $endpoint, $isCName = false,
     * $securityToken = null, $requestProxy = null), or one config array with 'endpoint', 'provider' (a
     * CredentialsProvider) and optionally 'cname', 'request_proxy', 'forcePathStyle' (=== true), 'region',
     * 'cloudBoxId' and 'signatureVersion' (=== 'v4').
     *
     * Nothing native is loaded here: libossrs is loaded and the client built on the first request.
     *
     * @param mixed ...$args
     * @throws OssException "access key id is empty", "access key secret is empty", "endpoint is empty",
     *                      "endpoint is invalid:…", "provider must be an instance of CredentialsProvider"
     */
    public function __construct(...$args)
    {
        if (count($args) === 1 && is_array($args[0])) {
            $this->configure($args[0]);
            return;
        }
        [$accessKeyId, $accessKeySecret, $endpoint, $isCName, $securityToken, $requestProxy] =
            $args + [null, null, null, false, null, null];
        $accessKeyId = trim(ArgumentCheck::text($accessKeyId, 'access key id'));
        $accessKeySecret = trim(ArgumentCheck::text($accessKeySecret, 'access key secret'));
        $endpoint = trim(trim(ArgumentCheck::text($endpoint, 'endpoint')), '/');
        if (empty($accessKeyId)) {
            throw new OssException('access key id is empty');
        }
        if (empty($accessKeySecret)) {
            throw new OssException('access key secret is empty');
        }
        $this->configure([
            'endpoint' => $endpoint,
            'cname' => $isCName,
            'request_proxy' => $requestProxy,
            'provider' => new StaticCredentialsProvider($accessKeyId, $accessKeySecret, $securityToken),
        ]);
    }

    /**
     * Uploads $content as $bucket/$object (PutObject). Content-MD5 is always sent; the Content-Type is
     * OSS_CONTENT_TYPE or inferred from the object name. With OSS_CALLBACK (and OSS_CALLBACK_VAR) OSS calls the
     * callback server and 'body' of the result is its reply; a failed callback throws (HTTP status '203').
     *
     * @param string $bucket
     * @param string $object
     * @param string $content
     * @param array|null $options
     * @return array the response headers (lower-cased names), 'info', 'oss-request-url', 'oss-redirects', 'body'
     * @throws OssException
     */
    public function putObject($bucket, $object, $content, $options = null)
    {
        [$bucket, $object, $options] = $this->precheckCommon($bucket, $object, $options);
        $content = ArgumentCheck::text($content, 'content');
        $request = OptionsMapper::map($options, true, false);
        $callback = OptionsMapper::nonEmptyText($options, self::OSS_CALLBACK);
        $callbackVar = OptionsMapper::nonEmptyText($options, self::OSS_CALLBACK_VAR);
        return $this->nativeClient($options)->putObject($bucket, $object, $content, $callback, $callbackVar, $request);
    }

    /**
     * Uploads the local file $file as $bucket/$object, streamed by libossrs. Content-MD5 is sent when
     * OSS_CHECK_MD5 === true (or OSS_CONTENT_MD5 is given); the Content-Type is OSS_CONTENT_TYPE, else inferred
     * from the file's extension, else from the object's.
     *
     * @param string $bucket
     * @param string $object
     * @param string $file
     * @param array|null $options
     * @return array the result array, as putObject
     * @throws OssException
     */
    public function uploadFile($bucket, $object, $file, $options = null)
    {
        return $this->uploadFileRange($bucket, $object, $file, $options, null);
    }

    /**
     * uploadFile of the whole file, or of $range ([first byte, length]) of it.
     *
     * @param mixed $bucket
     * @param mixed $object
     * @param mixed $file
     * @param mixed $options
     * @param array{0: int, 1: int}|null $range
     * @return array<string, mixed>
     * @throws OssException
     */
    private function uploadFileRange($bucket, $object, $file, $options, ?array $range): array
    {
        [$bucket, $object, $options] = $this->precheckCommon($bucket, $object, $options);
        if (empty($file)) {
            throw new OssException('file path is invalid');
        }
        $file = ArgumentCheck::text($file, 'file path');
        if (!file_exists($file)) {
            throw new OssException($file . ' file does not exist');
        }
        $request = OptionsMapper::map($options, true, true);
        $request->checkMd5 = ($options[self::OSS_CHECK_MD5] ?? null) === true;
        $request->fileRange = $range;
        $callback = OptionsMapper::nonEmptyText($options, self::OSS_CALLBACK);
        $callbackVar = OptionsMapper::nonEmptyText($options, self::OSS_CALLBACK_VAR);
        $native = $this->nativeClient($options);
        self::addFileContentType($options, $file, $request);
        return $native->putObjectFromFile($bucket, $object, $file, $callback, $callbackVar, $request);
    }

    /**
     * Uploads the local file $file as $bucket/$object with a multipart upload made by libossrs
     * (`oss_upload_file`): InitiateMultipartUpload with the headers, the parts of OSS_PART_SIZE bytes (default
     * OSS_MID_PART_SIZE, 10 MiB; clamped to OSS_MIN_PART_SIZE..OSS_MAX_PART_SIZE as the SDK does) uploaded
     * OSSRS_PARALLELISM at a time (default 2), each with its Content-MD5, then CompleteMultipartUpload with
     * OSS_CALLBACK / OSS_CALLBACK_VAR, where OSS runs the callback. The CRC-64 of the stored object is checked, and
     * on any failure the upload is aborted. As in the SDK, a file smaller than the part size is sent with
     * uploadFile (one PutObject, which carries the callback).
     *
     * OSSRS_PROGRESS: a callable (int $partNumber, int $bytesDone, int $bytesTotal), called on this thread after
     * each stored part (in completion order; $bytesDone grows to the file size). Returning false cancels the upload
     * (an OssException); an exception it throws cancels the upload and is rethrown unchanged.
     *
     * @param string $bucket
     * @param string $object
     * @param string $file
     * @param array|null $options
     * @return array the result array of CompleteMultipartUpload (or of uploadFile), as completeMultipartUpload
     * @throws OssException
     */
    public function multiuploadFile($bucket, $object, $file, $options = null)
    {
        [$bucket, $object, $options] = $this->precheckCommon($bucket, $object, $options);
        if (empty($file)) {
            throw new OssException('parameter invalid, file is empty');
        }
        $file = ArgumentCheck::text($file, 'file path');
        CString::check($file, 'file path');
        if (!file_exists($file)) {
            throw new OssException($file . ' file does not exist');
        }
        if (!is_file($file)) {
            throw new OssException($file . ' is not a regular file');
        }
        $size = filesize($file);
        if ($size === false || !is_readable($file)) {
            throw new OssException($file . ' is not readable');
        }
        [$start, $length] = self::multiuploadRange($options, $size);
        $partSize = self::multiuploadPartSize($options);
        $parallelism = self::multiuploadParallelism($options);
        $progress = self::multiuploadProgress($options);
        $checkpoint = self::multiuploadCheckpoint($options);
        $uploadId = isset($options[self::OSS_UPLOAD_ID])
            ? ArgumentCheck::text($options[self::OSS_UPLOAD_ID], 'the uploadId option')
            : null;
        $range = [$start, $length] === [0, $size] ? null : [$start, $length];
        if ($length < $partSize && $uploadId === null) {
            // The SDK's shortcut: one PutObject (which also carries the callback).
            $result = $this->uploadFileRange($bucket, $object, $file, $options, $range);
            if ($progress !== null) {
                $progress(1, $length, $length);
            }
            return $result;
        }
        $request = OptionsMapper::map($options, true, false);
        $request->partSize = $partSize;
        $request->parallelism = $parallelism;
        $request->checkpoint = $checkpoint;
        $request->fileRange = $range;
        $request->uploadId = $uploadId;
        $callback = OptionsMapper::nonEmptyText($options, self::OSS_CALLBACK);
        $callbackVar = OptionsMapper::nonEmptyText($options, self::OSS_CALLBACK_VAR);
        $native = $this->nativeClient($options);
        self::addFileContentType($options, $file, $request);
        return $native->uploadFile($bucket, $object, $file, $callback, $callbackVar, $request, $progress);
    }

    /**
     * Starts a multipart upload (the Content-Type is OSS_CONTENT_TYPE or inferred from the object name).
     *
     * @param string $bucket
     * @param string $object
     * @param array|null $options
     * @return string the upload id
     * @throws OssException
     */
    public function initiateMultipartUpload($bucket, $object, $options = null)
    {
        [$bucket, $object, $options] = $this->precheckCommon($bucket, $object, $options);
        $request = OptionsMapper::map($options, true, false);
        return $this->nativeClient($options)->initiateMultipartUpload($bucket, $object, $request);
    }

    /**
     * Splits a file of $file_size bytes into parts of $partSize bytes (clamped to 100 KiB..5 GiB): a list of
     * [OSS_SEEK_TO => offset, OSS_LENGTH => length]. Pure arithmetic, as in the SDK.
     *
     * @param int $file_size
     * @param int $partSize
     * @return list<array{seekTo: int, length: int}>
     * @throws OssException when a size is not a number
     */
    public function generateMultiuploadParts($file_size, $partSize = 5242880)
    {
        if (!is_numeric($file_size)) {
            throw new OssException('file size must be a number, ' . ArgumentCheck::describe($file_size) . ' given');
        }
        if (!is_scalar($partSize) && $partSize !== null) {
            throw new OssException('part size must be a number, ' . get_debug_type($partSize) . ' given');
        }
        $partSize = (int) $partSize;
        if ($partSize <= self::OSS_MIN_PART_SIZE) {
            $partSize = self::OSS_MIN_PART_SIZE;
        } elseif ($partSize > self::OSS_MAX_PART_SIZE) {
            $partSize = self::OSS_MAX_PART_SIZE;
        }
        $remaining = $file_size + 0;
        $parts = [];
        for ($i = 0; $remaining > 0; $i++) {
            $remaining -= $partSize;
            $parts[] = [
                self::OSS_SEEK_TO => $partSize * $i,
                self::OSS_LENGTH => $remaining > 0 ? $partSize : $remaining + $partSize,
            ];
        }
        return $parts;
    }

    /**
     * Uploads one part from a file: OSS_FILE_UPLOAD (path) and OSS_PART_NUM are required; the part is the
     * OSS_LENGTH bytes (default: to the end of the file) from OSS_SEEK_TO (default 0). No MD5 is computed; pass
     * OSS_CONTENT_MD5 (see OssUtil::getMd5SumForFile) to have OSS verify the part.
     *
     * @param string $bucket
     * @param string $object
     * @param string $uploadId
     * @param array|null $options
     * @return string the part's ETag, quotes included
     * @throws OssException
     */
    public function uploadPart($bucket, $object, $uploadId, $options = null)
    {
        [$bucket, $object, $options] = $this->precheckCommon($bucket, $object, $options);
        ArgumentCheck::requireOption($options, self::OSS_FILE_UPLOAD, __FUNCTION__);
        ArgumentCheck::requireOption($options, self::OSS_PART_NUM, __FUNCTION__);
        $uploadId = ArgumentCheck::text($uploadId, 'upload id');
        $file = $options[self::OSS_FILE_UPLOAD];
        if (!is_string($file)) {
            throw new OssException('the fileUpload option must be a file path, ' . get_debug_type($file) . ' given');
        }
        $partNumber = ArgumentCheck::integer($options[self::OSS_PART_NUM], 'the partNumber option', 0);
        if ($partNumber > 0xFFFFFFFF) {
            throw new OssException('the partNumber option is out of range (1..10000), ' . $partNumber . ' given');
        }
        $seekTo = isset($options[self::OSS_SEEK_TO])
            ? ArgumentCheck::integer($options[self::OSS_SEEK_TO], 'the seekTo option', 0)
            : 0;
        if (isset($options[self::OSS_LENGTH])) {
            $length = ArgumentCheck::integer($options[self::OSS_LENGTH], 'the length option', 0);
        } elseif (isset($options[self::OSS_CONTENT_LENGTH])) {
            $length = ArgumentCheck::integer($options[self::OSS_CONTENT_LENGTH], 'the Content-Length option', 0);
        } else {
            $size = is_file($file) ? filesize($file) : false;
            $length = $size === false ? 0 : max(0, $size - $seekTo);
        }
        $contentMd5 = OptionsMapper::nonEmptyText($options, self::OSS_CONTENT_MD5);
        $request = OptionsMapper::map($options, true, false);
        return $this->nativeClient($options)->uploadPartFromFile(
            $bucket,
            $object,
            $uploadId,
            $partNumber,
            $file,
            $seekTo,
            $length,
            $contentMd5 === null ? null : trim($contentMd5),
            $request
        );
    }

    /**
     * Uploads the files of $localDirectory (its subdirectories too with $recursive) as $prefix/name, each with
     * multiuploadFile (100 KiB parts, Content-MD5 with $checkMd5), one after another in name order. A file that
     * fails does not stop the others.
     *
     * @param string $bucket
     * @param string $prefix the key prefix, without a trailing '/' ('' for none)
     * @param string $localDirectory
     * @param string $exclude names to skip, '|'-separated (see OssUtil::readDir)
     * @param bool $recursive
     * @param bool $checkMd5
     * @return array ['succeededList' => [object, …], 'failedList' => [object => error message, …]]
     * @throws OssException for an empty bucket or directory argument, a prefix that is not a string, a path that
     *         is not a directory, or a directory without files
     */
    public function uploadDir($bucket, $prefix, $localDirectory, $exclude = '.|..|.svn|.git', $recursive = false, $checkMd5 = true)
    {
        if (empty($bucket)) {
            throw new OssException('parameter error, bucket is empty');
        }
        if (!is_string($prefix)) {
            throw new OssException('parameter error, prefix is not string');
        }
        if (empty($localDirectory)) {
            throw new OssException('parameter error, localDirectory is empty');
        }
        $directory = ArgumentCheck::text($localDirectory, 'localDirectory');
        if (!is_dir($directory)) {
            throw new OssException('parameter error: ' . $directory . ' is not a directory, please check it');
        }
        $files = OssUtil::readDir($directory, $exclude, (bool) $recursive);
        if ($files === []) {
            throw new OssException($directory . ' is empty...');
        }
        usort($files, static fn (array $a, array $b): int => strcmp($a['file'], $b['file']));
        $result = ['succeededList' => [], 'failedList' => []];
        foreach ($files as $file) {
            $object = ($prefix !== '' ? $prefix . '/' : '') . $file['file'];
            try {
                $this->multiuploadFile($bucket, $object, $file['path'], [
                    self::OSS_PART_SIZE => OssUtil::OSS_MIN_PART_SIZE,
                    self::OSS_CHECK_MD5 => (bool) $checkMd5,
                ]);
                $result['succeededList'][] = $object;
            } catch (OssException $e) {
                $result['failedList'][$object] = $e->getMessage();
            }
        }
        return $result;
    }

    /**
     * Uploads part $partNumber of $uploadId by copying $fromBucket/$fromObject, or the bytes options['start']
     * (default 0) to options['end'] (inclusive; default the end) of it (UploadPartCopy); options['versionId']
     * names a version of the source.
     *
     * @param string $fromBucket
     * @param string $fromObject
     * @param string $toBucket
     * @param string $toObject
     * @param int $partNumber
     * @param string $uploadId
     * @param array|null $options
     * @return string the part's ETag, quoted, for completeMultipartUpload
     * @throws OssException for an empty upload id or a part number outside 1..10000 (before any request), or
     *         OSS's answer (InvalidArgument for a range past the end of the source, NoSuchKey, NoSuchUpload)
     */
    public function uploadPartCopy($fromBucket, $fromObject, $toBucket, $toObject, $partNumber, $uploadId, $options = null)
    {
        [$fromBucket, $fromObject] = $this->precheckCommon($fromBucket, $fromObject, $options);
        [$toBucket, $toObject, $options] = $this->precheckCommon($toBucket, $toObject, $options);
        $start = ArgumentCheck::text($options['start'] ?? '0', 'the start option');
        $end = ArgumentCheck::text($options['end'] ?? '', 'the end option');
        $source = '/' . $fromBucket . '/' . rawurlencode($fromObject);
        if (isset($options[self::OSS_VERSION_ID])) {
            $source .= '?versionId=' . ArgumentCheck::text($options[self::OSS_VERSION_ID], 'versionId');
            unset($options[self::OSS_VERSION_ID]);
        }
        $options[self::OSS_HEADERS][self::OSS_OBJECT_COPY_SOURCE] = $source;
        $options[self::OSS_HEADERS][self::OSS_OBJECT_COPY_SOURCE_RANGE] = 'bytes=' . $start . '-' . $end;
        $request = OptionsMapper::map($options, false, false);
        $request->query[] = ['partNumber', ArgumentCheck::text($partNumber, 'part number')];
        $request->query[] = ['uploadId', ArgumentCheck::text($uploadId, 'upload id')];
        $etag = $this->nativeClient($options)->call('UploadPartCopy', $toBucket, $toObject, $request)[1]['etag'] ?? null;
        if (!is_string($etag)) {
            throw new OssException('cannot get ETag');
        }
        return $etag;
    }

    /**
     * Uploads what $handle (an open stream) holds from its current position as $bucket/$object (PutObject), read
     * by libossrs as it sends the request, through one buffer: never loaded whole. The length is
     * OSS_CONTENT_LENGTH, else what is left of a seekable stream of known size, else unknown (the body is sent
     * chunked). With OSS_CHECK_MD5 === true the Content-MD5 of the rest of a seekable stream is computed first.
     * OSS_CALLBACK / OSS_CALLBACK_VAR work as for putObject. The request is never repeated: a stream cannot be
     * read twice.
     *
     * @param string $bucket
     * @param string $object
     * @param resource $handle
     * @param array|null $options
     * @return array the result array, as putObject
     * @throws OssException "The handle must be an opened stream", or a failed read, or OSS's answer
     */
    public function uploadStream($bucket, $object, $handle, $options = null)
    {
        [$bucket, $object, $options] = $this->precheckCommon($bucket, $object, $options);
        if (!is_resource($handle) || get_resource_type($handle) !== 'stream') {
            throw new OssException('The handle must be an opened stream');
        }
        $request = OptionsMapper::map($options, true, true);
        $request->bodyStream = $handle;
        $request->bodyLength = self::streamLength($handle, $options);
        if (($options[self::OSS_CHECK_MD5] ?? null) === true && !isset($options[self::OSS_CONTENT_MD5])) {
            $request->headers[] = [self::OSS_CONTENT_MD5, self::streamMd5($handle)];
        }
        if (!isset($options[self::OSS_CONTENT_TYPE])) {
            $type = Digest::contentTypeForName($object) ?? 'application/octet-stream';
            $request->headers[] = [self::OSS_CONTENT_TYPE, $type];
        }
        $request->callback = OptionsMapper::nonEmptyText($options, self::OSS_CALLBACK);
        $request->callbackVar = OptionsMapper::nonEmptyText($options, self::OSS_CALLBACK_VAR);
        return $this->nativeClient($options)->call('PutObject', $bucket, $object, $request)[1];
    }

    /**
     * Completes a multipart upload with $listParts (a list of ['PartNumber' => n, 'ETag' => etag], written in the
     * order given). With OSS_CALLBACK OSS calls the callback server here; 'body' is then its reply, otherwise the
     * CompleteMultipartUploadResult XML.
     *
     * @param string $bucket
     * @param string $object
     * @param string $uploadId
     * @param array $listParts
     * @param array|null $options
     * @return array the result array, as putObject
     * @throws OssException
     */
    public function completeMultipartUpload($bucket, $object, $uploadId, $listParts, $options = null)
    {
        [$bucket, $object, $options] = $this->precheckCommon($bucket, $object, $options);
        $uploadId = ArgumentCheck::text($uploadId, 'upload id');
        if (!is_array($listParts)) {
            throw new OssException('listParts must be an array of [PartNumber, ETag] arrays');
        }
        $parts = [];
        foreach ($listParts as $i => $part) {
            if (!is_array($part) || !isset($part['PartNumber'], $part['ETag'])) {
                throw new OssException('listParts[' . $i . '] must be an array with PartNumber and ETag');
            }
            $number = ArgumentCheck::integer($part['PartNumber'], 'listParts[' . $i . '][PartNumber]', 0);
            if ($number > 0xFFFFFFFF) {
                throw new OssException('listParts[' . $i . '][PartNumber] is out of range (1..10000)');
            }
            $parts[] = [$number, ArgumentCheck::text($part['ETag'], 'listParts[' . $i . '][ETag]')];
        }
        $request = OptionsMapper::map($options, false, false);
        $callback = OptionsMapper::nonEmptyText($options, self::OSS_CALLBACK);
        $callbackVar = OptionsMapper::nonEmptyText($options, self::OSS_CALLBACK_VAR);
        return $this->nativeClient($options)
            ->completeMultipartUpload($bucket, $object, $uploadId, $parts, $callback, $callbackVar, $request);
    }

    /**
     * Aborts a multipart upload and discards its parts.
     *
     * @param string $bucket
     * @param string $object
     * @param string $uploadId
     * @param array|null $options
     * @return array the result array, as putObject
     * @throws OssException
     */
    public function abortMultipartUpload($bucket, $object, $uploadId, $options = null)
    {
        [$bucket, $object, $options] = $this->precheckCommon($bucket, $object, $options);
        $uploadId = ArgumentCheck::text($uploadId, 'upload id');
        $request = OptionsMapper::map($options, true, false);
        return $this->nativeClient($options)->abortMultipartUpload($bucket, $object, $uploadId, $request);
    }

    /**
     * Lists the parts uploaded so far; page with the options 'max-parts' and 'part-number-marker'.
     *
     * @param string $bucket
     * @param string $object
     * @param string $uploadId
     * @param array|null $options
     * @return ListPartsInfo
     * @throws OssException
     */
    public function listParts($bucket, $object, $uploadId, $options = null)
    {
        [$bucket, $object, $options] = $this->precheckCommon($bucket, $object, $options);
        $uploadId = ArgumentCheck::text($uploadId, 'upload id');
        $request = OptionsMapper::map($options, true, false, ['max-parts', 'part-number-marker'], false);
        return $this->nativeClient($options)->listParts($bucket, $object, $uploadId, $request);
    }

    /**
     * Downloads an object into a string, or with OSS_FILE_DOWNLOAD into a file (a path: written beside it and
     * renamed only when complete and CRC-checked, so a failed download leaves an existing file as it was) or a
     * stream resource (written as the bytes arrive); then '' is returned and the object is never held in
     * memory. OSS_RANGE ('0-9' becomes "Range: bytes=0-9"), OSS_LAST_MODIFIED (If-Modified-Since) and OSS_ETAG
     * (If-None-Match) work as in the SDK. A string download is refused beyond ossrsSetLimits' max_object_bytes.
     *
     * @param string $bucket
     * @param string $object
     * @param array|null $options
     * @return string
     * @throws OssException
     */
    public function getObject($bucket, $object, $options = null)
    {
        [$bucket, $object, $options] = $this->precheckCommon($bucket, $object, $options);
        $request = OptionsMapper::map($options, true, false);
        $conditions = [
            self::OSS_LAST_MODIFIED => self::OSS_IF_MODIFIED_SINCE,
            self::OSS_ETAG => self::OSS_IF_NONE_MATCH,
            self::OSS_RANGE => self::OSS_RANGE,
        ];
        foreach ($conditions as $option => $header) {
            if (isset($options[$option])) {
                $value = ArgumentCheck::text($options[$option], 'the ' . $option . ' option');
                $request->headers[] = [$header, $option === self::OSS_RANGE ? 'bytes=' . $value : $value];
            }
        }
        $download = $options[self::OSS_FILE_DOWNLOAD] ?? null;
        if (is_resource($download)) {
            $this->nativeClient($options)->getObjectToStream($bucket, $object, $download, $request);
            return '';
        }
        if ($download !== null) {
            $path = ArgumentCheck::text($download, 'the fileDownload option');
            $this->nativeClient($options)->getObjectToFile($bucket, $object, $path, $request);
            return '';
        }
        return $this->nativeClient($options)->getObject($bucket, $object, $request);
    }

    /**
     * The object's metadata: the result array of a HEAD request, without 'body'.
     *
     * @param string $bucket
     * @param string $object
     * @param array|null $options
     * @return array
     * @throws OssException
     */
    public function getObjectMeta($bucket, $object, $options = null)
    {
        [$bucket, $object, $options] = $this->precheckCommon($bucket, $object, $options);
        $request = OptionsMapper::map($options, true, false);
        $result = $this->nativeClient($options)->headObject($bucket, $object, $request);
        unset($result[self::OSS_BODY]);
        return $result;
    }

    /**
     * Whether the object exists (HEAD: true for 2xx, false for 404, an exception otherwise).
     *
     * @param string $bucket
     * @param string $object
     * @param array|null $options
     * @return bool
     * @throws OssException
     */
    public function doesObjectExist($bucket, $object, $options = null)
    {
        [$bucket, $object, $options] = $this->precheckCommon($bucket, $object, $options);
        $request = OptionsMapper::map($options, true, false);
        return self::exists(fn () => $this->nativeClient($options)->headObject($bucket, $object, $request));
    }

    /**
     * Deletes an object.
     *
     * @param string $bucket
     * @param string $object
     * @param array|null $options
     * @return array the result array, as putObject
     * @throws OssException
     */
    public function deleteObject($bucket, $object, $options = null)
    {
        [$bucket, $object, $options] = $this->precheckCommon($bucket, $object, $options);
        $request = OptionsMapper::map($options, true, false);
        return $this->nativeClient($options)->deleteObject($bucket, $object, $request);
    }

    /**
     * Copies $fromBucket/$fromObject to $toBucket/$toObject (CopyObject; OSS_HEADERS may carry
     * x-oss-metadata-directive, x-oss-meta-*, x-oss-object-acl; OSS_VERSION_ID names a source version).
     *
     * @param string $fromBucket
     * @param string $fromObject
     * @param string $toBucket
     * @param string $toObject
     * @param array|null $options
     * @return array LastModified and ETag of the copy (at 0 and 1, as strings where the SDK has SimpleXMLElement
     *         objects), then the result array's headers and info
     * @throws OssException
     */
    public function copyObject($fromBucket, $fromObject, $toBucket, $toObject, $options = null)
    {
        [$fromBucket, $fromObject, $options] = $this->precheckCommon($fromBucket, $fromObject, $options);
        [$toBucket, $toObject, $options] = $this->precheckCommon($toBucket, $toObject, $options);
        $source = '/' . $fromBucket . '/' . rawurlencode($fromObject);
        if (isset($options[self::OSS_VERSION_ID])) {
            $source .= '?versionId=' . ArgumentCheck::text($options[self::OSS_VERSION_ID], 'versionId');
            unset($options[self::OSS_VERSION_ID]);
        }
        $request = OptionsMapper::map($options, true, false);
        $request->headers[] = [self::OSS_OBJECT_COPY_SOURCE, $source];
        [$result, $flat] = $this->nativeClient($options)->call('CopyObject', $toBucket, $toObject, $request);
        unset($flat['body']);
        $copied = [];
        foreach (['LastModified', 'ETag'] as $field) {
            if (isset($result[$field])) {
                $copied[] = $result[$field];
            }
        }
        return array_merge($copied, $flat);
    }

    /**
     * Lists objects (ListObjects): OSS_PREFIX, OSS_DELIMITER (default '/'), OSS_MARKER, OSS_MAX_KEYS (default 100);
     * sent URL-encoded and decoded, as the SDK does.
     *
     * @param string $bucket
     * @param array|null $options
     * @return ObjectListInfo
     * @throws OssException
     */
    public function listObjects($bucket, $options = null)
    {
        [$bucket, $options] = $this->precheckBucket($bucket, $options);
        $request = $this->listingRequest($options, [
            self::OSS_MARKER => $options[self::OSS_MARKER] ?? '',
        ]);
        [$result] = $this->nativeClient($options)->call('ListObjects', $bucket, '', $request);
        $result = is_array($result) ? $result : [];
        $url = ($result['EncodingType'] ?? '') === 'url';
        return new ObjectListInfo(
            $result['Name'] ?? '',
            self::listed($result, 'Prefix', $url),
            self::listed($result, 'Marker', $url),
            self::listed($result, 'NextMarker', $url),
            (int) ($result['MaxKeys'] ?? 0),
            self::listed($result, 'Delimiter', $url),
            $result['IsTruncated'] ?? '',
            self::objectInfos($result, $url),
            self::prefixInfos($result, $url)
        );
    }

    /**
     * Lists objects (ListObjectsV2): as listObjects with OSS_START_AFTER and OSS_CONTINUATION_TOKEN instead of the
     * marker, and 'fetch-owner'.
     *
     * @param string $bucket
     * @param array|null $options
     * @return ObjectListInfoV2
     * @throws OssException
     */
    public function listObjectsV2($bucket, $options = null)
    {
        [$bucket, $options] = $this->precheckBucket($bucket, $options);
        $extra = [self::OSS_START_AFTER => $options[self::OSS_START_AFTER] ?? ''];
        if (isset($options['fetch-owner'])) {
            $extra['fetch-owner'] = $options['fetch-owner'] === true ? 'true' : $options['fetch-owner'];
        }
        $request = $this->listingRequest($options, $extra);
        [$result] = $this->nativeClient($options)->call('ListObjectsV2', $bucket, '', $request);
        $result = is_array($result) ? $result : [];
        $url = ($result['EncodingType'] ?? '') === 'url';
        return new ObjectListInfoV2(
            $result['Name'] ?? '',
            self::listed($result, 'Prefix', $url),
            (int) ($result['MaxKeys'] ?? 0),
            self::listed($result, 'Delimiter', $url),
            $result['IsTruncated'] ?? '',
            self::objectInfos($result, $url),
            self::prefixInfos($result, $url),
            $result['ContinuationToken'] ?? '',
            $result['NextContinuationToken'] ?? '',
            self::listed($result, 'StartAfter', $url),
            (int) ($result['KeyCount'] ?? 0)
        );
    }

    /**
     * Deletes up to 1000 objects in one request (DeleteMultipleObjects, with its Content-MD5); 'quiet' => true
     * (or 'true') asks OSS not to list them.
     *
     * @param string $bucket
     * @param array $objects object names
     * @param array|null $options
     * @return array the names OSS reports deleted (strings; none in quiet mode)
     * @throws OssException
     */
    public function deleteObjects($bucket, $objects, $options = null)
    {
        [$bucket, $options] = $this->precheckBucket($bucket, $options);
        if (!is_array($objects) || !$objects) {
            throw new OssException('objects must be array');
        }
        $names = [];
        foreach ($objects as $object) {
            $names[] = ArgumentCheck::objectName($object);
        }
        $request = OptionsMapper::map($options, false, false);
        $request->headers[] = ['Content-Type', 'application/xml'];
        $body = OssUtil::createDeleteObjectsXmlBody($names, self::quiet($options));
        [$result] = $this->nativeClient($options)->call('DeleteMultipleObjects', $bucket, '', $request, $body);
        $deleted = [];
        foreach ((is_array($result) ? $result['Deleted'] ?? [] : []) as $entry) {
            $deleted[] = (string) ($entry['Key'] ?? '');
        }
        return $deleted;
    }

    /**
     * Deletes objects or versions of them (DeleteMultipleObjects with version ids): each entry an
     * OSS\Model\DeleteObjectInfo; one with a version id deletes that version (or delete marker) for good, one
     * without deletes the current version as DeleteObject does (in a bucket with versioning: adds a delete
     * marker). Options 'quiet' as deleteObjects.
     *
     * @param string $bucket
     * @param DeleteObjectInfo[] $objects
     * @param array|null $options
     * @return DeletedObjectInfo[] what was deleted (none in quiet mode)
     * @throws OssException
     */
    public function deleteObjectVersions($bucket, $objects, $options = null)
    {
        [$bucket, $options] = $this->precheckBucket($bucket, $options);
        if (!is_array($objects) || !$objects) {
            throw new OssException('objects must be array');
        }
        $body = OssUtil::createDeleteObjectVersionsXmlBody($objects, self::quiet($options));
        foreach ($objects as $object) {
            ArgumentCheck::objectName($object->getKey());
        }
        $request = OptionsMapper::map($options, false, false);
        $request->headers[] = ['Content-Type', 'application/xml'];
        [$result] = $this->nativeClient($options)->call('DeleteMultipleObjects', $bucket, '', $request, $body);
        $result = is_array($result) ? $result : [];
        $url = ($result['EncodingType'] ?? '') === 'url';
        $deleted = [];
        foreach ($result['Deleted'] ?? [] as $entry) {
            $entry = is_array($entry) ? $entry : [];
            $deleted[] = new DeletedObjectInfo(
                self::listed($entry, 'Key', $url),
                self::listed($entry, 'VersionId', false),
                self::listed($entry, 'DeleteMarker', false),
                self::listed($entry, 'DeleteMarkerVersionId', false)
            );
        }
        return $deleted;
    }

    /**
     * The object's ACL: 'default', 'private', 'public-read' or 'public-read-write'.
     *
     * @param string $bucket
     * @param string $object
     * @param array|null $options
     * @return string
     * @throws OssException
     */
    public function getObjectAcl($bucket, $object, $options = null)
    {
        [$bucket, $object, $options] = $this->precheckCommon($bucket, $object, $options);
        [$result] = $this->nativeClient($options)->call('GetObjectAcl', $bucket, $object, new RequestOptions());
        return self::grant($result);
    }

    /**
     * Sets the object's ACL ('default', 'private', 'public-read', 'public-read-write').
     *
     * @param string $bucket
     * @param string $object
     * @param string $acl
     * @param array|null $options
     * @return array the result array, as putObject
     * @throws OssException
     */
    public function putObjectAcl($bucket, $object, $acl, $options = null)
    {
        [$bucket, $object, $options] = $this->precheckCommon($bucket, $object, $options);
        $request = OptionsMapper::map($options, false, false);
        $request->headers[] = [self::OSS_OBJECT_ACL, ArgumentCheck::text($acl, 'acl')];
        return $this->nativeClient($options)->call('PutObjectAcl', $bucket, $object, $request)[1];
    }

    /**
     * The bucket's ACL: 'private', 'public-read' or 'public-read-write'.
     *
     * @param string $bucket
     * @param array|null $options
     * @return string
     * @throws OssException
     */
    public function getBucketAcl($bucket, $options = null)
    {
        [$bucket, $options] = $this->precheckBucket($bucket, $options);
        [$result] = $this->nativeClient($options)->call('GetBucketAcl', $bucket, '', new RequestOptions());
        return self::grant($result);
    }

    /**
     * Whether the bucket exists (GetBucketAcl: false for 404 NoSuchBucket, an exception for other errors).
     *
     * @param string $bucket
     * @return bool
     * @throws OssException
     */
    public function doesBucketExist($bucket)
    {
        [$bucket] = $this->precheckBucket($bucket, null);
        return self::exists(fn () => $this->nativeClient([])->call('GetBucketAcl', $bucket, '', new RequestOptions()));
    }

    /**
     * Creates the "directory" $object . '/' (an empty object).
     *
     * @param string $bucket
     * @param string $object
     * @param array|null $options
     * @return array the result array, as putObject
     * @throws OssException
     */
    public function createObjectDir($bucket, $object, $options = null)
    {
        [$bucket, $object, $options] = $this->precheckCommon($bucket, $object, $options);
        return $this->putObject($bucket, $object . '/', '', $options);
    }

    /**
     * ETag, size (content-length) and last-modified of an object (GetObjectMeta), as a result array of headers.
     *
     * @param string $bucket
     * @param string $object
     * @param array|null $options
     * @return array
     * @throws OssException
     */
    public function getSimplifiedObjectMeta($bucket, $object, $options = null)
    {
        [$bucket, $object, $options] = $this->precheckCommon($bucket, $object, $options);
        return $this->headers('GetObjectMeta', $bucket, $object, $options);
    }

    /**
     * Appends $content at $position (AppendObject; 0 creates an Appendable object). Never retried by libossrs: a
     * repeated append could write the data twice. OSS_CHECK_MD5 sends Content-MD5.
     *
     * @param string $bucket
     * @param string $object
     * @param string $content
     * @param int $position
     * @param array|null $options
     * @return int the next append position
     * @throws OssException (409 PositionNotEqualToLength when $position is not the object's length)
     */
    public function appendObject($bucket, $object, $content, $position, $options = null)
    {
        [$bucket, $object, $options] = $this->precheckCommon($bucket, $object, $options);
        $content = ArgumentCheck::text($content, 'content');
        $request = $this->appendRequest($object, $position, $options, null);
        $answer = $this->nativeClient($options)->call('AppendObject', $bucket, $object, $request, $content);
        return $this->nextAppendPosition($answer);
    }

    /**
     * Appends the file $file at $position, streamed from disk by libossrs (see appendObject).
     *
     * @param string $bucket
     * @param string $object
     * @param string $file
     * @param int $position
     * @param array|null $options
     * @return int the next append position
     * @throws OssException
     */
    public function appendFile($bucket, $object, $file, $position, $options = null)
    {
        [$bucket, $object, $options] = $this->precheckCommon($bucket, $object, $options);
        if (empty($file)) {
            throw new OssException('file path is invalid');
        }
        $file = ArgumentCheck::text($file, 'file path');
        if (!file_exists($file)) {
            throw new OssException($file . ' file does not exist');
        }
        $request = $this->appendRequest($object, $position, $options, $file);
        $answer = $this->nativeClient($options)->call('AppendObject', $bucket, $object, $request);
        return $this->nextAppendPosition($answer);
    }

    /**
     * Makes $symlink point at $targetObject (PutSymlink; the target is sent URL-encoded, as the SDK does).
     *
     * @param string $bucket
     * @param string $symlink
     * @param string $targetObject
     * @param array|null $options
     * @return array the result array, as putObject
     * @throws OssException
     */
    public function putSymlink($bucket, $symlink, $targetObject, $options = null)
    {
        [$bucket, $symlink, $options] = $this->precheckCommon($bucket, $symlink, $options);
        $request = OptionsMapper::map($options, true, false);
        $request->headers[] = [self::OSS_SYMLINK_TARGET, rawurlencode(ArgumentCheck::text($targetObject, 'target'))];
        return $this->nativeClient($options)->call('PutSymlink', $bucket, $symlink, $request)[1];
    }

    /**
     * The symlink's headers, x-oss-symlink-target decoded to the target's name (GetSymlink).
     *
     * @param string $bucket
     * @param string $symlink
     * @param array|null $options
     * @return array
     * @throws OssException
     */
    public function getSymlink($bucket, $symlink, $options = null)
    {
        [$bucket, $symlink, $options] = $this->precheckCommon($bucket, $symlink, $options);
        $result = $this->headers('GetSymlink', $bucket, $symlink, $options);
        $result[self::OSS_SYMLINK_TARGET] = rawurldecode((string) ($result[self::OSS_SYMLINK_TARGET] ?? ''));
        return $result;
    }

    /**
     * Lists the bucket's open multipart uploads (ListMultipartUploads): 'delimiter', 'key-marker', 'max-uploads',
     * 'prefix', 'upload-id-marker'; sent URL-encoded and decoded, as the SDK does.
     *
     * @param string $bucket
     * @param array|null $options
     * @return ListMultipartUploadInfo
     * @throws OssException
     */
    public function listMultipartUploads($bucket, $options = null)
    {
        [$bucket, $options] = $this->precheckBucket($bucket, $options);
        $request = OptionsMapper::map($options, false, false);
        foreach (['delimiter', 'key-marker', 'max-uploads', 'prefix', 'upload-id-marker'] as $param) {
            if (isset($options[$param])) {
                $value = $options[$param];
                $request->query[] = [$param, ArgumentCheck::text(is_int($value) ? (string) $value : $value, $param)];
            }
        }
        $request->query[] = [self::OSS_ENCODING_TYPE, self::OSS_ENCODING_TYPE_URL];
        [$result] = $this->nativeClient($options)->call('ListMultipartUploads', $bucket, '', $request);
        $result = is_array($result) ? $result : [];
        $url = ($result['EncodingType'] ?? '') === 'url';
        $uploads = [];
        foreach ($result['Upload'] ?? [] as $upload) {
            $upload = is_array($upload) ? $upload : [];
            $uploads[] = new UploadInfo(
                self::listed($upload, 'Key', $url),
                $upload['UploadId'] ?? '',
                $upload['Initiated'] ?? ''
            );
        }
        return new ListMultipartUploadInfo(
            $result['Bucket'] ?? '',
            self::listed($result, 'KeyMarker', $url),
            $result['UploadIdMarker'] ?? '',
            self::listed($result, 'NextKeyMarker', $url),
            $result['NextUploadIdMarker'] ?? '',
            self::listed($result, 'Delimiter', $url),
            self::listed($result, 'Prefix', $url),
            (int) ($result['MaxUploads'] ?? 0),
            $result['IsTruncated'] ?? '',
            $uploads
        );
    }

    /**
     * Checks that PHP can run ossrs: the FFI extension must be loaded (the SDK checks for curl instead).
     *
     * @throws OssException when it is not
     */
    public static function checkEnv()
    {
        if (!extension_loaded('FFI')) {
            throw new OssException('Extension {FFI} is not installed or not enabled, please check your php env.');
        }
    }

    /**
     * Sets the object's tags (PutObjectTagging), replacing any it had.
     *
     * @param string $bucket
     * @param string $object
     * @param TaggingConfig $taggingConfig
     * @param array|null $options
     * @return array the result array, as putObject
     * @throws OssException
     */
    public function putObjectTagging($bucket, $object, $taggingConfig, $options = null)
    {
        [$bucket, $object, $options] = $this->precheckCommon($bucket, $object, $options);
        if (!$taggingConfig instanceof TaggingConfig) {
            throw new OssException(
                'taggingConfig must be a TaggingConfig, ' . get_debug_type($taggingConfig) . ' given'
            );
        }
        $request = OptionsMapper::map($options, false, false);
        $request->headers[] = [self::OSS_CONTENT_TYPE, 'application/xml'];
        $body = $taggingConfig->serializeToXml();
        return $this->nativeClient($options)->call('PutObjectTagging', $bucket, $object, $request, $body)[1];
    }

    /**
     * The object's tags (GetObjectTagging).
     *
     * @param string $bucket
     * @param string $object
     * @param array|null $options
     * @return TaggingConfig
     * @throws OssException
     */
    public function getObjectTagging($bucket, $object, $options = null)
    {
        [$bucket, $object, $options] = $this->precheckCommon($bucket, $object, $options);
        $request = OptionsMapper::map($options, false, false);
        $answer = $this->nativeClient($options)->call('GetObjectTagging', $bucket, $object, $request);
        return TaggingConfig::fromResult($answer[0]);
    }

    /**
     * Removes the object's tags (DeleteObjectTagging).
     *
     * @param string $bucket
     * @param string $object
     * @param array|null $options
     * @return array the result array, as putObject
     * @throws OssException
     */
    public function deleteObjectTagging($bucket, $object, $options = null)
    {
        [$bucket, $object, $options] = $this->precheckCommon($bucket, $object, $options);
        $request = OptionsMapper::map($options, false, false);
        return $this->nativeClient($options)->call('DeleteObjectTagging', $bucket, $object, $request)[1];
    }

    /**
     * The bucket's region as OSS names its location (`oss-cn-hangzhou`; GetBucketLocation).
     *
     * @param string $bucket
     * @param array|null $options
     * @return string
     * @throws OssException
     */
    public function getBucketLocation($bucket, $options = null)
    {
        [$bucket, $options] = $this->precheckBucket($bucket, $options);
        $request = OptionsMapper::map($options, false, false);
        $location = $this->nativeClient($options)->call('GetBucketLocation', $bucket, '', $request)[0];
        return is_string($location) ? $location : '';
    }

    /**
     * The bucket's headers (GetBucketMeta, `HEAD /bucket`; `x-oss-bucket-region` among them).
     *
     * @param string $bucket
     * @param array|null $options
     * @return array the result array without 'body'
     * @throws OssException
     */
    public function getBucketMeta($bucket, $options = null)
    {
        [$bucket, $options] = $this->precheckBucket($bucket, $options);
        return $this->headers('GetBucketMeta', $bucket, '', $options);
    }

    /**
     * The account's buckets (ListBuckets; `query_string` may hold prefix, marker and max-keys).
     *
     * @param array|null $options
     * @return BucketListInfo
     * @throws OssException also when the endpoint is a CNAME (bound to one bucket), before any request
     */
    public function listBuckets($options = null)
    {
        if ($this->settings->cname) {
            throw new OssException('operation is not permitted with CName host');
        }
        $options = ArgumentCheck::options($options);
        $request = OptionsMapper::map($options, false, false);
        [$result] = $this->nativeClient($options)->call('ListBuckets', '', '', $request);
        $buckets = is_array($result) && is_array($result['Buckets'] ?? null) ? ($result['Buckets']['Bucket'] ?? []) : [];
        return new BucketListInfo(array_map([BucketInfo::class, 'fromResult'], $buckets));
    }

    /**
     * Creates $bucket with the ACL $acl ('private', 'public-read', 'public-read-write') and, with
     * options['storage'], a storage class (OssClient::OSS_STORAGE_*).
     *
     * @param string $bucket
     * @param string $acl
     * @param array|null $options
     * @return array the result array, as putObject
     * @throws OssException for a bad ACL or storage class (before any request), or OSS's answer
     *         (409 BucketAlreadyExists, …)
     */
    public function createBucket($bucket, $acl = self::OSS_ACL_TYPE_PRIVATE, $options = null)
    {
        [$bucket, $options] = $this->precheckBucket($bucket, $options);
        $options[self::OSS_HEADERS][self::OSS_ACL] = $acl;
        $body = '';
        if (isset($options[self::OSS_STORAGE])) {
            $class = $options[self::OSS_STORAGE];
            if (!in_array($class, self::STORAGE_CLASSES, true)) {
                throw new OssException('storage name is invalid');
            }
            $body = OssUtil::createBucketXmlBody($class);
            unset($options[self::OSS_STORAGE]);
        }
        $request = OptionsMapper::map($options, false, false);
        return $this->nativeClient($options)->call('CreateBucket', $bucket, '', $request, $body)[1];
    }

    /**
     * Deletes $bucket, which must hold no objects and no multipart uploads (409 BucketNotEmpty otherwise).
     *
     * @param string $bucket
     * @param array|null $options
     * @return array the result array, as putObject
     * @throws OssException
     */
    public function deleteBucket($bucket, $options = null)
    {
        [$bucket, $options] = $this->precheckBucket($bucket, $options);
        $request = OptionsMapper::map($options, false, false);
        return $this->nativeClient($options)->call('DeleteBucket', $bucket, '', $request)[1];
    }

    /**
     * Sets the bucket's ACL ('private', 'public-read' or 'public-read-write'; checked before any request).
     *
     * @param string $bucket
     * @param string $acl
     * @param array|null $options
     * @return array the result array, as putObject
     * @throws OssException
     */
    public function putBucketAcl($bucket, $acl, $options = null)
    {
        [$bucket, $options] = $this->precheckBucket($bucket, $options);
        $options[self::OSS_HEADERS][self::OSS_ACL] = $acl;
        $request = OptionsMapper::map($options, false, false);
        return $this->nativeClient($options)->call('PutBucketAcl', $bucket, '', $request)[1];
    }

    /**
     * The bucket's description (GetBucketInfo): name, location, region, creation date, storage class, endpoints.
     *
     * @param string $bucket
     * @param array|null $options
     * @return BucketInfo
     * @throws OssException also 'xml format exception' when the answer has no Bucket element
     */
    public function getBucketInfo($bucket, $options = null)
    {
        [$bucket, $options] = $this->precheckBucket($bucket, $options);
        $request = OptionsMapper::map($options, false, false);
        [$result] = $this->nativeClient($options)->call('GetBucketInfo', $bucket, '', $request);
        if (!is_array($result) || !is_array($result['Bucket'] ?? null)) {
            throw new OssException('xml format exception');
        }
        return BucketInfo::fromResult($result['Bucket']);
    }

    /**
     * The bucket's storage and object counts (GetBucketStat).
     *
     * @param string $bucket
     * @param array|null $options
     * @return BucketStat
     * @throws OssException
     */
    public function getBucketStat($bucket, $options = null)
    {
        [$bucket, $options] = $this->precheckBucket($bucket, $options);
        $request = OptionsMapper::map($options, false, false);
        return BucketStat::fromResult($this->nativeClient($options)->call('GetBucketStat', $bucket, '', $request)[0]);
    }

    /**
     * Processes an image object and saves the result (ProcessObject: `POST ?x-oss-process`): $process is an image
     * pipeline ending with sys/saveas, e.g. 'image/resize,w_100|sys/saveas,o_' . base64url(target) . ',b_' .
     * base64url(bucket), as OSS documents it.
     *
     * @param string $bucket
     * @param string $object
     * @param string $process
     * @param array|null $options
     * @return string OSS's JSON answer: {"bucket","fileSize","object","status"}
     * @throws OssException
     */
    public function processObject($bucket, $object, $process, $options = null)
    {
        return $this->process('ProcessObject', 'x-oss-process', $bucket, $object, $process, $options);
    }

    /**
     * Starts an asynchronous processing task on the object (AsyncProcessObject: `POST ?x-oss-async-process`):
     * $asyncProcess ends with sys/saveas. Never repeated after a transient failure (a repeat would start a second
     * task).
     *
     * @param string $bucket
     * @param string $object
     * @param string $asyncProcess
     * @param array|null $options
     * @return string OSS's JSON answer: {"EventId","RequestId","TaskId"}
     * @throws OssException
     */
    public function asyncProcessObject($bucket, $object, $asyncProcess, $options = null)
    {
        return $this->process('AsyncProcessObject', 'x-oss-async-process', $bucket, $object, $asyncProcess, $options);
    }

    /**
     * The body `$field=$process` sent to $operation; the answer's body.
     *
     * @param mixed $bucket
     * @param mixed $object
     * @param mixed $process
     * @param mixed $options
     * @throws OssException
     */
    private function process(string $operation, string $field, $bucket, $object, $process, $options): string
    {
        [$bucket, $object, $options] = $this->precheckCommon($bucket, $object, $options);
        $body = $field . '=' . ArgumentCheck::text($process, 'process');
        $request = OptionsMapper::map($options, false, false);
        $request->headers[] = [self::OSS_CONTENT_TYPE, 'application/octet-stream'];
        return (string) $this->nativeClient($options)->call($operation, $bucket, $object, $request, $body)[1]['body'];
    }

    /**
     * Sets the bucket's versioning (PutBucketVersioning): $status 'Enabled' or 'Suspended' (OSS answers any other
     * value with MalformedXML). A bucket with versioning keeps every version of its objects; it never goes back to
     * having none.
     *
     * @param string $bucket
     * @param string $status
     * @param array|null $options
     * @return array the result array, as putObject
     * @throws OssException
     */
    public function putBucketVersioning($bucket, $status, $options = null)
    {
        [$bucket, $options] = $this->precheckBucket($bucket, $options);
        $body = (new VersioningConfig(ArgumentCheck::text($status, 'status')))->serializeToXml();
        $request = OptionsMapper::map($options, false, false);
        $request->headers[] = [self::OSS_CONTENT_TYPE, 'application/xml'];
        return $this->nativeClient($options)->call('PutBucketVersioning', $bucket, '', $request, $body)[1];
    }

    /**
     * The bucket's versioning status (GetBucketVersioning).
     *
     * @param string $bucket
     * @param array|null $options
     * @return string|null 'Enabled' or 'Suspended'; null for a bucket that never had versioning
     * @throws OssException
     */
    public function getBucketVersioning($bucket, $options = null)
    {
        [$bucket, $options] = $this->precheckBucket($bucket, $options);
        $request = OptionsMapper::map($options, false, false);
        [$result] = $this->nativeClient($options)->call('GetBucketVersioning', $bucket, '', $request);
        return is_array($result) && is_string($result['Status'] ?? null) ? $result['Status'] : null;
    }

    /**
     * Lists the versions and delete markers of the bucket's objects (ListObjectVersions): keys in order, each
     * key's versions newest first. Options as listObjects, with OSS_KEY_MARKER and OSS_VERSION_ID_MARKER (from the
     * previous page's getNextKeyMarker() and getNextVersionIdMarker()) instead of the marker.
     *
     * @param string $bucket
     * @param array|null $options
     * @return ObjectVersionListInfo
     * @throws OssException
     */
    public function listObjectVersions($bucket, $options = null)
    {
        [$bucket, $options] = $this->precheckBucket($bucket, $options);
        $request = $this->listingRequest($options, [
            self::OSS_KEY_MARKER => $options[self::OSS_KEY_MARKER] ?? '',
            self::OSS_VERSION_ID_MARKER => $options[self::OSS_VERSION_ID_MARKER] ?? '',
        ]);
        [$result] = $this->nativeClient($options)->call('ListObjectVersions', $bucket, '', $request);
        $result = is_array($result) ? $result : [];
        $url = ($result['EncodingType'] ?? '') === 'url';
        $text = static fn (array $entry, string $field): string => self::listed($entry, $field, false);
        $versions = [];
        foreach ($result['Version'] ?? [] as $entry) {
            $entry = is_array($entry) ? $entry : [];
            $versions[] = new ObjectVersionInfo(
                self::listed($entry, 'Key', $url),
                $text($entry, 'VersionId'),
                $text($entry, 'LastModified'),
                $text($entry, 'ETag'),
                $text($entry, 'Type'),
                $entry['Size'] ?? '0',
                $text($entry, 'StorageClass'),
                $text($entry, 'IsLatest')
            );
        }
        $markers = [];
        foreach ($result['DeleteMarker'] ?? [] as $entry) {
            $entry = is_array($entry) ? $entry : [];
            $markers[] = new DeleteMarkerInfo(
                self::listed($entry, 'Key', $url),
                $text($entry, 'VersionId'),
                $text($entry, 'LastModified'),
                $text($entry, 'IsLatest')
            );
        }
        return new ObjectVersionListInfo(
            $text($result, 'Name'),
            self::listed($result, 'Prefix', $url),
            self::listed($result, 'KeyMarker', $url),
            self::listed($result, 'NextKeyMarker', $url),
            $text($result, 'VersionIdMarker'),
            $text($result, 'NextVersionIdMarker'),
            (int) ($result['MaxKeys'] ?? 0),
            self::listed($result, 'Delimiter', $url),
            $text($result, 'IsTruncated'),
            $versions,
            $markers,
            self::prefixInfos($result, $url)
        );
    }

    /**
     * Sets the bucket's CORS rules (PutBucketCors), replacing any it had.
     *
     * @param string $bucket
     * @param CorsConfig $corsConfig
     * @param array|null $options
     * @return array the result array, as putObject
     * @throws OssException
     */
    public function putBucketCors($bucket, $corsConfig, $options = null)
    {
        [$bucket, $options] = $this->precheckBucket($bucket, $options);
        if (!$corsConfig instanceof CorsConfig) {
            throw new OssException('corsConfig must be a CorsConfig, ' . get_debug_type($corsConfig) . ' given');
        }
        $request = OptionsMapper::map($options, false, false);
        $request->headers[] = [self::OSS_CONTENT_TYPE, 'application/xml'];
        $body = $corsConfig->serializeToXml();
        return $this->nativeClient($options)->call('PutBucketCors', $bucket, '', $request, $body)[1];
    }

    /**
     * The bucket's CORS rules (GetBucketCors; OSS answers 404 NoSuchCORSConfiguration without any).
     *
     * @param string $bucket
     * @param array|null $options
     * @return CorsConfig
     * @throws OssException
     */
    public function getBucketCors($bucket, $options = null)
    {
        [$bucket, $options] = $this->precheckBucket($bucket, $options);
        $request = OptionsMapper::map($options, false, false);
        return CorsConfig::fromResult($this->nativeClient($options)->call('GetBucketCors', $bucket, '', $request)[0]);
    }

    /**
     * Removes the bucket's CORS rules (DeleteBucketCors).
     *
     * @param string $bucket
     * @param array|null $options
     * @return array the result array, as putObject
     * @throws OssException
     */
    public function deleteBucketCors($bucket, $options = null)
    {
        [$bucket, $options] = $this->precheckBucket($bucket, $options);
        $request = OptionsMapper::map($options, false, false);
        return $this->nativeClient($options)->call('DeleteBucketCors', $bucket, '', $request)[1];
    }

    /**
     * A CORS preflight for $object (OptionsObject): what OSS answers a browser asking whether $origin may send
     * $request_method with $request_headers.
     *
     * @param string $bucket
     * @param string $object
     * @param string $origin
     * @param string $request_method
     * @param string $request_headers comma-separated header names ('' for none)
     * @param array|null $options
     * @return array the result array without 'body' (the access-control-* headers among them)
     * @throws OssException 403 AccessForbidden when no rule allows it
     */
    public function optionsObject($bucket, $object, $origin, $request_method, $request_headers, $options = null)
    {
        [$bucket, $object, $options] = $this->precheckCommon($bucket, $object, $options);
        $options[self::OSS_HEADERS][self::OSS_OPTIONS_ORIGIN] = $origin;
        $options[self::OSS_HEADERS][self::OSS_OPTIONS_REQUEST_METHOD] = $request_method;
        $options[self::OSS_HEADERS][self::OSS_OPTIONS_REQUEST_HEADERS] = $request_headers;
        return $this->headers('OptionsObject', $bucket, $object, $options);
    }

    /**
     * Starts restoring an Archive, ColdArchive or DeepColdArchive object (RestoreObject), for OSS_RESTORE_CONFIG's
     * days (a RestoreConfig; default one day). OSS answers 202 when the restore starts, 200 when the object is
     * already restored, 409 RestoreAlreadyInProgress while it runs and 400 OperationNotSupported for other classes.
     *
     * @param string $bucket
     * @param string $object
     * @param array|null $options
     * @return array the result array, as putObject ('info' => ['http_code' => 202 or 200, …])
     * @throws OssException
     */
    public function restoreObject($bucket, $object, $options = null)
    {
        [$bucket, $object, $options] = $this->precheckCommon($bucket, $object, $options);
        $body = '';
        if (isset($options[self::OSS_RESTORE_CONFIG])) {
            $config = $options[self::OSS_RESTORE_CONFIG];
            if (!$config instanceof RestoreConfig) {
                throw new OssException('the restore-config option must be a RestoreConfig, ' . get_debug_type($config)
                    . ' given');
            }
            $body = $config->serializeToXml();
            unset($options[self::OSS_RESTORE_CONFIG]);
        }
        $request = OptionsMapper::map($options, false, false);
        if ($body !== '') {
            $request->headers[] = [self::OSS_CONTENT_TYPE, 'application/xml'];
        }
        return $this->nativeClient($options)->call('RestoreObject', $bucket, $object, $request, $body)[1];
    }

    /**
     * ossrs: the form a web page needs to upload a file straight to OSS (PostObject), signed here with this
     * client's credentials and signature version so the browser never sees the secret. $options (see the README's
     * "Browser uploads"): 'key' or 'key_prefix' (the page's key is then prefix + '${filename}'), 'expires_in'
     * (seconds, default 3600, at most 7 days), 'content_length_range' => [min, max], 'content_type',
     * 'success_action_status', 'success_action_redirect', OSS_CALLBACK (callback JSON, checked as for
     * putObject) and OSS_CALLBACK_VAR (its x: variables as JSON), 'fields' (more fields), 'conditions'.
     * Every field is pinned by the policy: changing one makes OSS refuse the upload.
     *
     * Returns the keys of Alibaba's documented app-server answer — V1: 'accessid', 'host', 'policy',
     * 'signature', 'expire', 'dir', 'callback'; V4: 'host', 'policy', 'x_oss_signature_version',
     * 'x_oss_credential', 'x_oss_date', 'signature', 'security_token', 'dir', 'expire', 'callback' — plus
     * 'key' and 'fields' (every form field in order, the file to be appended last).
     *
     * @param string $bucket
     * @param array $options
     * @return array<string, mixed>
     * @throws OssException before anything is signed, for anything OSS would refuse
     */
    public function generatePostObjectForm($bucket, $options)
    {
        [$bucket, $options] = $this->precheckBucket($bucket, $options);
        $spec = [];
        foreach (['key', 'key_prefix', 'expires_in', 'content_length_range', 'content_type', 'success_action_status',
            'success_action_redirect', 'fields', 'conditions'] as $name) {
            if (array_key_exists($name, $options)) {
                $spec[$name] = $options[$name];
            }
        }
        $unknown = array_diff(array_keys($options), array_keys($spec), [self::OSS_CALLBACK, self::OSS_CALLBACK_VAR]);
        if ($unknown !== []) {
            throw new OssException('unknown generatePostObjectForm option(s): ' . implode(', ', $unknown));
        }
        $callback = OptionsMapper::nonEmptyText($options, self::OSS_CALLBACK);
        if ($callback !== null) {
            $spec['callback'] = $callback;
        }
        $vars = OptionsMapper::nonEmptyText($options, self::OSS_CALLBACK_VAR);
        if ($vars !== null) {
            $decoded = json_decode($vars, true);
            if (!is_array($decoded)) {
                throw new OssException('the x-oss-callback-var option must be a JSON object');
            }
            $spec['callback_var'] = $decoded;
        }
        $json = json_encode((object) $spec, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
        if ($json === false) {
            throw new OssException('the form options cannot be written as JSON: ' . json_last_error_msg());
        }
        $form = $this->nativeClient([])->postForm($bucket, $json);
        $fields = $form['fields'];
        $answer = [
            'host' => $form['url'],
            'policy' => $fields['policy'],
            'dir' => $options['key_prefix'] ?? '',
            'expire' => $form['expiration'],
            'callback' => $fields['callback'] ?? '',
            'key' => $fields['key'],
        ];
        if (isset($fields['x-oss-signature'])) {
            $answer += [
                'x_oss_signature_version' => $fields['x-oss-signature-version'],
                'x_oss_credential' => $fields['x-oss-credential'],
                'x_oss_date' => $fields['x-oss-date'],
                'signature' => $fields['x-oss-signature'],
                'security_token' => $fields['x-oss-security-token'] ?? '',
            ];
        } else {
            $answer += ['accessid' => $fields['OSSAccessKeyId'], 'signature' => $fields['Signature']];
            if (isset($fields['x-oss-security-token'])) {
                $answer['security_token'] = $fields['x-oss-security-token'];
            }
        }
        $answer['fields'] = $fields;
        return $answer;
    }

    /**
     * A URL that allows $method on $bucket/$object for $timeout seconds from now (see generatePresignedUrl).
     *
     * @param string $bucket
     * @param string $object
     * @param int $timeout seconds
     * @param string $method
     * @param array|null $options
     * @return string
     * @throws OssException
     */
    public function signUrl($bucket, $object, $timeout = 60, $method = self::OSS_HTTP_GET, $options = null)
    {
        $seconds = ArgumentCheck::integer($timeout, 'timeout', 1);
        return $this->generatePresignedUrl($bucket, $object, time() + $seconds, $method, $options);
    }

    /**
     * A URL that allows $method (GET, PUT; ossrs also HEAD, POST, DELETE) on $bucket/$object until $expiration
     * (Unix seconds), signed by libossrs with the client's signature version (V4: at most 7 days ahead) and
     * current credentials (an STS token is signed into the URL). OSS_CONTENT_TYPE, OSS_CONTENT_MD5 and
     * OSS_HEADERS are signed: the request must send them. Query options (response-*, x-oss-process, …) become
     * part of the URL. OSS_CALLBACK / OSS_CALLBACK_VAR are checked and signed as the x-oss-callback(-var) headers
     * (base64) the PUT must send. No I/O.
     *
     * @param string $bucket
     * @param string $object
     * @param int $expiration Unix seconds
     * @param string $method
     * @param array|null $options
     * @return string
     * @throws OssException
     */
    public function generatePresignedUrl($bucket, $object, $expiration, $method = self::OSS_HTTP_GET, $options = null)
    {
        [$bucket, $object, $options] = $this->precheckCommon($bucket, $object, $options);
        $expires = ArgumentCheck::integer($expiration, 'expiration', 0);
        $method = ArgumentCheck::text($method, 'method');
        $request = OptionsMapper::map($options, true, true);
        $callback = OptionsMapper::nonEmptyText($options, self::OSS_CALLBACK);
        $callbackVar = OptionsMapper::nonEmptyText($options, self::OSS_CALLBACK_VAR);
        return $this->nativeClient($options)
            ->presignUrl($method, $bucket, $object, $expires, $callback, $callbackVar, $request);
    }

    /**
     * How often libossrs retries a request that is safe to repeat (connection errors, timeouts, 5xx, 429, 408;
     * never a request whose repetition could run a callback twice), with exponential backoff and jitter.
     *
     * @param int $maxRetries
     */
    public function setMaxTries($maxRetries = 3)
    {
        $this->settings->maxRetries = ArgumentCheck::integer($maxRetries, 'maxRetries', 0);
        $this->settingsChanged();
    }

    /** @return int */
    public function getMaxRetries()
    {
        return $this->settings->maxRetries;
    }

    /**
     * The timeout of a whole call in seconds (0 keeps the default: none): every attempt, retry pause and, for
     * completeMultipartUpload, the checks of whether a lost answer took effect. multiuploadFile's initiate, each
     * part and its complete are calls of their own. A call out of time throws with the attempts made.
     *
     * @param int|float $timeout
     */
    public function setTimeout($timeout)
    {
        $this->settings->timeout = self::seconds($timeout, 'timeout');
        $this->settingsChanged();
    }

    /**
     * The connect timeout in seconds (0 keeps the default: 10 s).
     *
     * @param int|float $connectTimeout
     */
    public function setConnectTimeout($connectTimeout)
    {
        $this->settings->connectTimeout = self::seconds($connectTimeout, 'connect timeout');
        $this->settingsChanged();
    }

    /**
     * Use https (true) or http (false) from now on, whatever the endpoint said.
     *
     * @param bool $useSSL
     */
    public function setUseSSL($useSSL)
    {
        $this->settings->useSsl = (bool) $useSSL;
        $this->settingsChanged();
    }

    /** @return bool */
    public function isUseSSL()
    {
        return $this->settings->useSsl;
    }

    /**
     * Accepted for compatibility; like the SDK, it changes nothing.
     *
     * @param bool $enable
     */
    public function setSignStsInUrl($enable)
    {
    }

    /**
     * ossrs only: bounds on what one answer may make this process hold, and on one attempt's time, as libossrs
     * settings: 'max_response_bytes' (default 8 MiB: an XML result or a callback server's reply),
     * 'max_error_body_bytes' (64 KiB), 'max_object_bytes' (1 GiB: getObject into memory), 'attempt_timeout_ms'
     * (none: one attempt may take the whole call's timeout). Also the array constructor's key 'ossrsLimits'.
     * An answer over its limit throws an OssException naming the limit, without being read further.
     *
     * @param array<string, int> $limits some of those keys => integers above 0
     * @throws OssException for unknown keys or values that are not positive integers
     */
    public function ossrsSetLimits($limits): void
    {
        $this->settings->setLimits($limits);
        $this->settingsChanged();
    }

    /**
     * ossrs only: the id of the libossrs client (connection pool) this OssClient uses now, built on first use.
     * OssClients of one process with the same settings and credentials share one, also across the requests of a
     * PHP-FPM worker; a forked child gets its own.
     *
     * @throws OssException when the settings or credentials are refused
     */
    public function ossrsNativeClientId(): int
    {
        return $this->nativeClient([])->id();
    }

    /**
     * @param array<mixed> $config
     * @throws OssException
     */
    private function configure(array $config): void
    {
        $endpoint = $config['endpoint'] ?? '';
        if (empty($endpoint)) {
            throw new OssException('endpoint is empty');
        }
        $settings = new ClientSettings(Endpoint::parse(ArgumentCheck::text($endpoint, 'endpoint')));
        $provider = $config['provider'] ?? null;
        if (!$provider instanceof CredentialsProvider) {
            throw new OssException('provider must be an instance of CredentialsProvider');
        }
        $settings->cname = !empty($config['cname']);
        $settings->pathStyle = ($config['forcePathStyle'] ?? null) === true;
        $settings->region = ArgumentCheck::text($config['region'] ?? '', 'region');
        $settings->cloudBoxId = ArgumentCheck::text($config['cloudBoxId'] ?? '', 'cloudBoxId');
        $settings->signatureVersion = ($config['signatureVersion'] ?? null) === self::OSS_SIGNATURE_VERSION_V4
            ? self::OSS_SIGNATURE_VERSION_V4
            : self::OSS_SIGNATURE_VERSION_V1;
        $settings->setProxy($config['request_proxy'] ?? null);
        $settings->setLimits($config['ossrsLimits'] ?? []);
        $this->settings = $settings;
        $this->provider = $provider;
    }

    /**
     * The bytes uploadStream sends from $handle: OSS_CONTENT_LENGTH, else the rest of a seekable stream of known
     * size, else null (unknown).
     *
     * @param resource $handle
     * @param array<mixed> $options
     * @throws OssException for a Content-Length that is not a non-negative integer
     */
    private static function streamLength($handle, array $options): ?int
    {
        if (isset($options[self::OSS_CONTENT_LENGTH])) {
            return ArgumentCheck::integer($options[self::OSS_CONTENT_LENGTH], 'the Content-Length option', 0);
        }
        $stat = @fstat($handle);
        $position = @ftell($handle);
        $seekable = (bool) (stream_get_meta_data($handle)['seekable'] ?? false);
        if (!$seekable || !is_array($stat) || !is_int($position) || ($stat['mode'] & 0170000) !== 0100000) {
            return null;
        }
        return max(0, $stat['size'] - $position);
    }

    /**
     * Base64 of the MD5 of the rest of $handle, which is left where it was.
     *
     * @param resource $handle
     * @throws OssException when the stream cannot be read twice
     */
    private static function streamMd5($handle): string
    {
        $position = @ftell($handle);
        if (!(stream_get_meta_data($handle)['seekable'] ?? false) || !is_int($position)) {
            throw new OssException('OSS_CHECK_MD5 needs a seekable stream (the stream is read twice)');
        }
        $context = hash_init('md5');
        hash_update_stream($context, $handle);
        if (@fseek($handle, $position) !== 0) {
            throw new OssException('cannot seek the stream back after computing its MD5');
        }
        return base64_encode(hash_final($context, true));
    }

    /**
     * The request of appendObject / appendFile: the position, Content-Type (the option, else from the file's
     * extension, then the object's, as the SDK), Content-MD5 with OSS_CHECK_MD5, the file as the body.
     *
     * @param mixed $position
     * @param array<mixed> $options
     * @throws OssException
     */
    private function appendRequest(string $object, $position, array $options, ?string $file): RequestOptions
    {
        $position = ArgumentCheck::integer($position, 'position', 0);
        $request = OptionsMapper::map($options, true, true);
        $request->query[] = [self::OSS_POSITION, (string) $position];
        $request->checkMd5 = ($options[self::OSS_CHECK_MD5] ?? null) === true;
        $request->bodyFile = $file;
        if (!isset($options[self::OSS_CONTENT_TYPE])) {
            $type = ($file !== null ? Digest::contentTypeForName($file) : null)
                ?? Digest::contentTypeForName($object) ?? 'application/octet-stream';
            $request->headers[] = [self::OSS_CONTENT_TYPE, $type];
        }
        return $request;
    }

    /**
     * @param array{0: mixed, 1: array<string, mixed>} $answer
     * @throws OssException "cannot get next-append-position", as the SDK
     */
    private function nextAppendPosition(array $answer): int
    {
        $next = $answer[1]['x-oss-next-append-position'] ?? null;
        if (!is_string($next) || !ctype_digit($next)) {
            throw new OssException('cannot get next-append-position');
        }
        return (int) $next;
    }

    /**
     * True when $call succeeds, false when OSS answers 404; other failures are thrown.
     *
     * @throws OssException
     */
    private static function exists(callable $call): bool
    {
        try {
            $call();
            return true;
        } catch (OssException $e) {
            if ($e->getHTTPStatus() === '404') {
                return false;
            }
            throw $e;
        }
    }

    /**
     * The result array of a generic-call operation whose answer is its headers (no 'body').
     *
     * @param array<mixed> $options
     * @return array<string, mixed>
     * @throws OssException
     */
    private function headers(string $operation, string $bucket, string $object, array $options): array
    {
        $request = OptionsMapper::map($options, false, false);
        $result = $this->nativeClient($options)->call($operation, $bucket, $object, $request)[1];
        unset($result['body']);
        return $result;
    }

    /**
     * The SDK's precheckCommon for bucket operations: the options, then the bucket.
     *
     * @param mixed $bucket
     * @param mixed $options
     * @return array{0: string, 1: array<mixed>}
     * @throws OssException
     */
    private function precheckBucket($bucket, $options): array
    {
        $options = ArgumentCheck::options($options);
        return [ArgumentCheck::bucketName($bucket), $options];
    }

    /**
     * The query of a listing, as the SDK sends it: the options' own, then encoding-type=url and the prefix,
     * delimiter (default '/') and max-keys (default 100) with $extra.
     *
     * @param array<mixed> $options
     * @param array<string, mixed> $extra
     * @throws OssException
     */
    private function listingRequest(array $options, array $extra): RequestOptions
    {
        $request = OptionsMapper::map($options, false, false);
        $query = [
            self::OSS_ENCODING_TYPE => self::OSS_ENCODING_TYPE_URL,
            self::OSS_DELIMITER => $options[self::OSS_DELIMITER] ?? '/',
            self::OSS_PREFIX => $options[self::OSS_PREFIX] ?? '',
            self::OSS_MAX_KEYS => $options[self::OSS_MAX_KEYS] ?? self::OSS_MAX_KEYS_VALUE,
        ] + $extra;
        foreach ($query as $name => $value) {
            $request->query[] = [$name, ArgumentCheck::text(is_int($value) ? (string) $value : $value, $name)];
        }
        return $request;
    }

    /**
     * The Quiet of a batch delete: 'true' for options['quiet'] true or 'true', else 'false' (as the SDK).
     *
     * @param array<mixed> $options
     */
    private static function quiet(array $options): string
    {
        $quiet = $options['quiet'] ?? false;
        return ($quiet === true || $quiet === 'true') ? 'true' : 'false';
    }

    /** @param array<string, mixed> $result */
    private static function listed(array $result, string $field, bool $urlEncoded): string
    {
        $value = is_string($result[$field] ?? null) ? $result[$field] : '';
        return $urlEncoded ? rawurldecode($value) : $value;
    }

    /**
     * @param array<string, mixed> $result
     * @return ObjectInfo[]
     */
    private static function objectInfos(array $result, bool $urlEncoded): array
    {
        $list = [];
        foreach ($result['Contents'] ?? [] as $entry) {
            $list[] = ObjectInfo::fromListing(is_array($entry) ? $entry : [], $urlEncoded);
        }
        return $list;
    }

    /**
     * @param array<string, mixed> $result
     * @return PrefixInfo[]
     */
    private static function prefixInfos(array $result, bool $urlEncoded): array
    {
        $list = [];
        foreach ($result['CommonPrefixes'] ?? [] as $entry) {
            $list[] = new PrefixInfo(self::listed(is_array($entry) ? $entry : [], 'Prefix', $urlEncoded));
        }
        return $list;
    }

    /**
     * The Grant of an AccessControlPolicy result.
     *
     * @param mixed $result
     * @throws OssException when there is none, as the SDK's "xml format exception"
     */
    private static function grant($result): string
    {
        $grant = is_array($result) ? ($result['AccessControlList']['Grant'][0] ?? null) : null;
        if (!is_string($grant)) {
            throw new OssException('xml format exception');
        }
        return $grant;
    }

    /**
     * The SDK's precheckCommon: the object first, then the options, then the bucket.
     *
     * @param mixed $bucket
     * @param mixed $object
     * @param mixed $options
     * @return array{0: string, 1: string, 2: array<mixed>}
     * @throws OssException
     */
    private function precheckCommon($bucket, $object, $options): array
    {
        $object = ArgumentCheck::objectName($object);
        $options = ArgumentCheck::options($options);
        $bucket = ArgumentCheck::bucketName($bucket);
        return [$bucket, $object, $options];
    }

    /**
     * The native client for the current credentials and settings, after the SDK's last checks (the ACL header).
     * getCredentials() is called on every request; the native client, with its keep-alive connections, is
     * rebuilt only when the credentials or settings changed, or in a forked child. The same Credentials object
     * returned again, with no setting changed, is taken as checked (its strings cannot change).
     *
     * @param array<mixed> $options
     * @throws OssException
     */
    private function nativeClient(array $options): NativeClient
    {
        ArgumentCheck::acl($options);
        $credentials = $this->provider->getCredentials();
        if ($this->checkedCredentials !== null && $credentials === $this->checkedCredentials
            && $this->native !== null && $this->native->inCreatingProcess()) {
            return $this->native;
        }
        $this->checkedCredentials = null;
        if (!is_object($credentials)) {
            throw new OssException(
                'the credentials provider returned ' . get_debug_type($credentials) . ' instead of Credentials'
            );
        }
        $config = $this->settings->nativeConfig($credentials);
        if ($this->native === null || !$this->native->isReusableFor($config)) {
            $this->native = null;
            $this->native = NativeClient::create($config);
        }
        // A Credentials itself (not a subclass) never changes what its getters return (a token object could).
        if (get_class($credentials) === Credentials::class && !is_object($credentials->getSecurityToken())) {
            $this->checkedCredentials = $credentials;
        }
        return $this->native;
    }

    /** After a setting changed: the next request builds its configuration again. */
    private function settingsChanged(): void
    {
        $this->checkedCredentials = null;
    }

    /**
     * The bytes of the file multiuploadFile uploads: [first byte, length] from OSS_SEEK_TO (default 0) and
     * OSS_LENGTH, else OSS_CONTENT_LENGTH, else the rest of the file. A range past the end of the file is refused
     * by libossrs before any request.
     *
     * @param array<mixed> $options
     * @return array{0: int, 1: int}
     * @throws OssException for values that are not non-negative integers, or a start past the end of the file
     */
    private static function multiuploadRange(array $options, int $size): array
    {
        $start = isset($options[self::OSS_SEEK_TO])
            ? ArgumentCheck::integer($options[self::OSS_SEEK_TO], 'the seekTo option', 0)
            : 0;
        if ($start > $size) {
            throw new OssException('the seekTo option (' . $start . ') is past the end of the file (' . $size
                . ' bytes)');
        }
        foreach ([self::OSS_LENGTH, self::OSS_CONTENT_LENGTH] as $key) {
            if (isset($options[$key])) {
                return [$start, ArgumentCheck::integer($options[$key], 'the ' . $key . ' option', 0)];
            }
        }
        return [$start, $size - $start];
    }

    /**
     * OSS_PART_SIZE: a positive integer, clamped as the SDK does (at most OSS_MIN_PART_SIZE → OSS_MIN_PART_SIZE,
     * above OSS_MAX_PART_SIZE → OSS_MAX_PART_SIZE); OSS_MID_PART_SIZE when absent.
     *
     * @param array<mixed> $options
     * @throws OssException
     */
    private static function multiuploadPartSize(array $options): int
    {
        if (!isset($options[self::OSS_PART_SIZE])) {
            return self::OSS_MID_PART_SIZE;
        }
        $partSize = ArgumentCheck::integer($options[self::OSS_PART_SIZE], 'the partSize option', 1);
        return min(max($partSize, self::OSS_MIN_PART_SIZE), self::OSS_MAX_PART_SIZE);
    }

    /**
     * Without OSS_CONTENT_TYPE, the type of the file's extension goes first (before the object name's), as the SDK
     * does for file uploads. Needs the library loaded (call nativeClient() first).
     */
    private static function addFileContentType(?array $options, string $file, RequestOptions $request): void
    {
        if (!isset($options[self::OSS_CONTENT_TYPE])) {
            $type = Digest::contentTypeForName($file);
            if ($type !== null) {
                array_unshift($request->headers, [self::OSS_CONTENT_TYPE, $type]);
            }
        }
    }

    /** OSSRS_CHECKPOINT: a non-empty path, or null for none. */
    private static function multiuploadCheckpoint(?array $options): ?string
    {
        if (!isset($options[self::OSSRS_CHECKPOINT])) {
            return null;
        }
        $path = $options[self::OSSRS_CHECKPOINT];
        if (!is_string($path) || $path === '') {
            throw new OssException('the ossrs.checkpoint option must be a non-empty file path');
        }
        return $path;
    }

    /**
     * OSSRS_PARALLELISM: an integer 1..64, or null for libossrs's default (2).
     *
     * @param array<mixed> $options
     * @throws OssException
     */
    private static function multiuploadParallelism(array $options): ?int
    {
        if (!isset($options[self::OSSRS_PARALLELISM])) {
            return null;
        }
        $parallelism = ArgumentCheck::integer($options[self::OSSRS_PARALLELISM], 'the ossrs.parallelism option', 1);
        if ($parallelism > self::OSSRS_MAX_PARALLELISM) {
            throw new OssException('the ossrs.parallelism option must be at most ' . self::OSSRS_MAX_PARALLELISM
                . ', ' . $parallelism . ' given');
        }
        return $parallelism;
    }

    /**
     * OSSRS_PROGRESS: a callable, or null.
     *
     * @param array<mixed> $options
     * @throws OssException
     */
    private static function multiuploadProgress(array $options): ?\Closure
    {
        $progress = $options[self::OSSRS_PROGRESS] ?? null;
        if ($progress === null) {
            return null;
        }
        if (!is_callable($progress)) {
            throw new OssException('the ossrs.progress option must be callable as function (int $partNumber, '
                . 'int $bytesDone, int $bytesTotal), ' . ArgumentCheck::describe($progress) . ' given');
        }
        return \Closure::fromCallable($progress);
    }

    /**
     * @param mixed $value
     * @throws OssException
     */
    private static function seconds($value, string $what): float
    {
        if (!is_numeric($value) || $value < 0) {
            throw new OssException($what . ' must be a non-negative number of seconds, '
                . ArgumentCheck::describe($value) . ' given');
        }
        return (float) $value;
    }
}
