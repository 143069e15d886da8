<?php

declare(strict_types=1);

namespace OSS\Model;

/** One object of a listing. */
class ObjectInfo
{
    private string $key;
    private string $lastModified;
    private string $eTag;
    private string $type;
    private string $size;
    private string $storageClass;
    private ?Owner $owner;
    private ?string $restoreInfo;

    public function __construct(
        $key,
        $lastModified,
        $eTag,
        $type,
        $size,
        $storageClass,
        $owner = null,
        $restoreInfo = null
    ) {
        $this->key = (string) $key;
        $this->lastModified = (string) $lastModified;
        $this->eTag = (string) $eTag;
        $this->type = (string) $type;
        $this->size = (string) $size;
        $this->storageClass = (string) $storageClass;
        $this->owner = $owner;
        $this->restoreInfo = $restoreInfo === null ? null : (string) $restoreInfo;
    }

    /** @return string the key, URL-decoded */
    public function getKey()
    {
        return $this->key;
    }

    /** @return string ISO 8601, as OSS wrote it */
    public function getLastModified()
    {
        return $this->lastModified;
    }

    /** @return string with its quotes */
    public function getETag()
    {
        return $this->eTag;
    }

    /** @return string Normal, Multipart, Appendable or Symlink */
    public function getType()
    {
        return $this->type;
    }

    /** @return int */
    public function getSize()
    {
        return (int) $this->size;
    }

    /** @return string the size as OSS wrote it (for sizes beyond PHP_INT_MAX) */
    public function getSizeStr()
    {
        return $this->size;
    }

    /** @return string */
    public function getStorageClass()
    {
        return $this->storageClass;
    }

    /** @return string|null */
    public function getRestoreInfo()
    {
        return $this->restoreInfo;
    }

    /** @return Owner|null */
    public function getOwner()
    {
        return $this->owner;
    }

    /**
     * ossrs: an ObjectInfo from one `Contents` entry of libossrs's JSON result, its key decoded when the listing
     * was URL-encoded.
     *
     * @param array<string, mixed> $entry
     */
    public static function fromListing(array $entry, bool $urlEncoded): self
    {
        $owner = isset($entry['Owner']) && is_array($entry['Owner'])
            ? new Owner($entry['Owner']['ID'] ?? '', $entry['Owner']['DisplayName'] ?? '')
            : null;
        $key = (string) ($entry['Key'] ?? '');
        return new self(
            $urlEncoded ? rawurldecode($key) : $key,
            $entry['LastModified'] ?? '',
            $entry['ETag'] ?? '',
            $entry['Type'] ?? '',
            $entry['Size'] ?? '0',
            $entry['StorageClass'] ?? '',
            $owner,
            $entry['RestoreInfo'] ?? null
        );
    }
}
