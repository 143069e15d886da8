<?php

declare(strict_types=1);

namespace OSS\Model;

/** A bucket's storage and object counts, as getBucketStat() reports them (bytes and counts as ints; null when OSS did not say). */
class BucketStat
{
    /** @var array<string, int> the GetBucketStat elements that were present, by element name */
    private array $values = [];

    /**
     * @internal the GetBucketStat result, as libossrs reads it
     * @param mixed $result
     */
    public static function fromResult($result): self
    {
        $stat = new self();
        foreach (is_array($result) ? $result : [] as $name => $value) {
            if (is_string($value)) {
                $stat->values[$name] = (int) $value;
            }
        }
        return $stat;
    }

    private function value(string $name): ?int
    {
        return $this->values[$name] ?? null;
    }

    /** @return int|null bytes stored */
    public function getStorage()
    {
        return $this->value('Storage');
    }

    /** @return int|null */
    public function getObjectCount()
    {
        return $this->value('ObjectCount');
    }

    /** @return int|null multipart uploads started and not completed or aborted */
    public function getMultipartUploadCount()
    {
        return $this->value('MultipartUploadCount');
    }

    /** @return int|null */
    public function getLiveChannelCount()
    {
        return $this->value('LiveChannelCount');
    }

    /** @return int|null Unix seconds */
    public function getLastModifiedTime()
    {
        return $this->value('LastModifiedTime');
    }

    /** @return int|null */
    public function getStandardStorage()
    {
        return $this->value('StandardStorage');
    }

    /** @return int|null */
    public function getStandardObjectCount()
    {
        return $this->value('StandardObjectCount');
    }

    /** @return int|null */
    public function getInfrequentAccessStorage()
    {
        return $this->value('InfrequentAccessStorage');
    }

    /** @return int|null */
    public function getInfrequentAccessRealStorage()
    {
        return $this->value('InfrequentAccessRealStorage');
    }

    /** @return int|null */
    public function getInfrequentAccessObjectCount()
    {
        return $this->value('InfrequentAccessObjectCount');
    }

    /** @return int|null */
    public function getArchiveStorage()
    {
        return $this->value('ArchiveStorage');
    }

    /** @return int|null */
    public function getArchiveRealStorage()
    {
        return $this->value('ArchiveRealStorage');
    }

    /** @return int|null */
    public function getArchiveObjectCount()
    {
        return $this->value('ArchiveObjectCount');
    }

    /** @return int|null */
    public function getColdArchiveStorage()
    {
        return $this->value('ColdArchiveStorage');
    }

    /** @return int|null */
    public function getColdArchiveRealStorage()
    {
        return $this->value('ColdArchiveRealStorage');
    }

    /** @return int|null */
    public function getColdArchiveObjectCount()
    {
        return $this->value('ColdArchiveObjectCount');
    }
}
