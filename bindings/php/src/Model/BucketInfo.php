<?php

declare(strict_types=1);

namespace OSS\Model;

/** A bucket, as listBuckets() and getBucketInfo() describe it. */
class BucketInfo
{
    private $location;
    private $name;
    private $createDate;
    private $storageClass;
    private $extranetEndpoint;
    private $intranetEndpoint;
    private $region;

    public function __construct($location = '', $name = '', $createDate = '')
    {
        $this->location = $location;
        $this->name = $name;
        $this->createDate = $createDate;
    }

    /**
     * @internal the bucket element of a ListBuckets or GetBucketInfo result, as libossrs reads it
     * @param mixed $bucket
     */
    public static function fromResult($bucket): self
    {
        $bucket = is_array($bucket) ? $bucket : [];
        $text = static fn (string $name) => is_string($bucket[$name] ?? null) ? $bucket[$name] : null;
        $info = new self($text('Location'), $text('Name'), $text('CreationDate'));
        $info->storageClass = $text('StorageClass');
        $info->extranetEndpoint = $text('ExtranetEndpoint');
        $info->intranetEndpoint = $text('IntranetEndpoint');
        $info->region = $text('Region');
        return $info;
    }

    /** @return string|null the location, e.g. 'oss-cn-hangzhou' */
    public function getLocation()
    {
        return $this->location;
    }

    /** @return string|null */
    public function getName()
    {
        return $this->name;
    }

    /** @return string|null ISO 8601, as OSS wrote it */
    public function getCreateDate()
    {
        return $this->createDate;
    }

    /** @return string|null 'Standard', 'IA', 'Archive' or 'ColdArchive' */
    public function getStorageClass()
    {
        return $this->storageClass;
    }

    /** @return string|null */
    public function getExtranetEndpoint()
    {
        return $this->extranetEndpoint;
    }

    /** @return string|null */
    public function getIntranetEndpoint()
    {
        return $this->intranetEndpoint;
    }

    /** @return string|null the region id, e.g. 'cn-hangzhou' */
    public function getRegion()
    {
        return $this->region;
    }
}
