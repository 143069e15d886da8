<?php

declare(strict_types=1);

namespace OSS\Tests\Support;

use OSS\Native\Library;
use PHPUnit\Framework\TestCase;

/**
 * Base of the Unit suite: every test also checks that it did not load libossrs (the Unit suite runs first).
 */
abstract class UnitTestCase extends TestCase
{
    protected function assertPostConditions(): void
    {
        self::assertSame('', Library::source(), 'a Unit test must not load libossrs');
    }
}
