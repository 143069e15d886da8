<?php

declare(strict_types=1);

namespace OSS\Model;

/** The buckets listBuckets() found. */
class BucketListInfo
{
    /** @var BucketInfo[] */
    private array $bucketList;

    /** @param BucketInfo[] $bucketList */
    public function __construct(array $bucketList)
    {
        $this->bucketList = $bucketList;
    }

    /** @return BucketInfo[] */
    public function getBucketList()
    {
        return $this->bucketList;
    }
}
