<?php

declare(strict_types=1);

namespace OSS\Model;

use OSS\Core\OssException;

/** The `RestoreRequest` of restoreObject (OSS_RESTORE_CONFIG): how many days the restored copy stays, and the tier. */
class RestoreConfig implements XmlConfig
{
    /** @var int|string */
    private $day;
    /** @var string|null */
    private $tier;

    /**
     * @param int|string $day
     * @param string|null $tier 'Expedited', 'Standard' or 'Bulk' (ColdArchive objects)
     */
    public function __construct($day, $tier = null)
    {
        $this->day = $day;
        $this->tier = $tier;
    }

    /** @throws OssException always: OSS never sends this document */
    public function parseFromXml($strXml)
    {
        throw new OssException('Not implemented.');
    }

    /** The `RestoreRequest` document. */
    public function serializeToXml()
    {
        $xml = new \SimpleXMLElement('<?xml version="1.0" encoding="utf-8"?><RestoreRequest></RestoreRequest>');
        $xml->addChild('Days', (string) $this->day);
        if ($this->tier !== null) {
            $xml->addChild('JobParameters')->addChild('Tier', htmlspecialchars((string) $this->tier, ENT_XML1));
        }
        return $xml->asXML();
    }

    public function __toString()
    {
        return $this->serializeToXml();
    }

    /** @return int|string */
    public function getDay()
    {
        return $this->day;
    }

    /** @return string|null */
    public function getTier()
    {
        return $this->tier;
    }
}
