<?php

declare(strict_types=1);

namespace OSS\Model;

/** A configuration that travels as an XML document (the official SDK's interface of the same name). */
interface XmlConfig
{
    /** Fills this object from an XML document. */
    public function parseFromXml($strXml);

    /** The XML document for this object. */
    public function serializeToXml();
}
