<?php

declare(strict_types=1);

namespace OSS\Model;

/**
 * An object's tags, as putObjectTagging() takes them and getObjectTagging() returns them. The XML is written and
 * read without SimpleXML (which ossrs does not require): `<Tagging><TagSet><Tag><Key/><Value/></Tag>…</TagSet>`,
 * text escaped once.
 */
class TaggingConfig implements XmlConfig
{
    /** @var Tag[] */
    private array $tags = [];

    public function __construct()
    {
    }

    /** @return Tag[] */
    public function getTags()
    {
        return $this->tags;
    }

    /** @param Tag $tag */
    public function addTag($tag)
    {
        $this->tags[] = $tag;
    }

    /** Adds the tags of a `Tagging` document; a document without tags adds none. */
    public function parseFromXml($strXml)
    {
        $pattern = '#<Tag>\s*<Key>(.*?)</Key>\s*(?:<Value>(.*?)</Value>|<Value\s*/>)?\s*</Tag>#s';
        if (preg_match_all($pattern, (string) $strXml, $matches, PREG_SET_ORDER) === false) {
            return;
        }
        foreach ($matches as $m) {
            $this->addTag(new Tag(self::text($m[1]), self::text($m[2] ?? '')));
        }
    }

    /** @return string */
    public function serializeToXml()
    {
        $xml = '<?xml version="1.0" encoding="utf-8"?>' . "\n" . '<Tagging><TagSet>';
        foreach ($this->tags as $tag) {
            $xml .= '<Tag><Key>' . self::escape($tag->getKey()) . '</Key><Value>' . self::escape($tag->getValue())
                . '</Value></Tag>';
        }
        return $xml . "</TagSet></Tagging>\n";
    }

    public function __toString()
    {
        return $this->serializeToXml();
    }

    /**
     * ossrs: a TaggingConfig from the `Tag` list of libossrs's JSON result.
     *
     * @param mixed $result
     */
    public static function fromResult($result): self
    {
        $config = new self();
        $tags = is_array($result) && is_array($result['TagSet'] ?? null) ? ($result['TagSet']['Tag'] ?? []) : [];
        foreach ($tags as $tag) {
            $config->addTag(new Tag($tag['Key'] ?? '', $tag['Value'] ?? ''));
        }
        return $config;
    }

    private static function escape(string $text): string
    {
        return htmlspecialchars($text, ENT_XML1 | ENT_NOQUOTES, 'UTF-8');
    }

    private static function text(string $xml): string
    {
        return html_entity_decode($xml, ENT_XML1 | ENT_QUOTES, 'UTF-8');
    }
}
