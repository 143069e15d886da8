<?php

declare(strict_types=1);

namespace OSS\Model;

/** A bucket's versioning configuration: its status, 'Enabled' or 'Suspended' (null when never set). */
class VersioningConfig implements XmlConfig
{
    private ?string $status;

    public function __construct($status = null)
    {
        $this->status = $status === null ? null : (string) $status;
    }

    /** Takes the Status of a `VersioningConfiguration` document; a document without one leaves it as it was. */
    public function parseFromXml($strXml)
    {
        if (preg_match('#<Status>(.*?)</Status>#s', (string) $strXml, $m) === 1) {
            $this->status = html_entity_decode($m[1], ENT_XML1 | ENT_QUOTES, 'UTF-8');
        }
    }

    /** @return string the document PutBucketVersioning sends */
    public function serializeToXml()
    {
        $status = $this->status === null
            ? ''
            : '<Status>' . htmlspecialchars($this->status, ENT_XML1 | ENT_NOQUOTES, 'UTF-8') . '</Status>';
        return '<?xml version="1.0" encoding="utf-8"?>' . "\n"
            . '<VersioningConfiguration>' . $status . "</VersioningConfiguration>\n";
    }

    public function __toString()
    {
        return $this->serializeToXml();
    }

    /** @return string|null */
    public function getStatus()
    {
        return $this->status;
    }
}
