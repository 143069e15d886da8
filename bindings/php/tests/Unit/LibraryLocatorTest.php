<?php

declare(strict_types=1);

namespace OSS\Tests\Unit;

use OSS\Core\OssException;
use OSS\Native\Library;
use OSS\Native\LibraryLocator;
use OSS\Tests\Support\Paths;
use OSS\Tests\Support\UnitTestCase;

/** Where libossrs is looked for, and the header rewriting behind ffi.preload. */
final class LibraryLocatorTest extends UnitTestCase
{
    private string|false $saved;

    protected function setUp(): void
    {
        $this->saved = getenv(LibraryLocator::ENV_OVERRIDE);
    }

    protected function tearDown(): void
    {
        putenv($this->saved === false ? LibraryLocator::ENV_OVERRIDE : LibraryLocator::ENV_OVERRIDE . '=' . $this->saved);
    }

    public function testSearchOrderWithoutOverride(): void
    {
        putenv(LibraryLocator::ENV_OVERRIDE);
        $package = Paths::package();
        $repository = Paths::repository();
        $platform = strtolower(PHP_OS_FAMILY) . '-' . strtolower(php_uname('m'));
        self::assertSame([
            $package . '/native/' . $platform . '/libossrs.so',
            $package . '/native/libossrs.so',
            $repository . '/target/release/libossrs.so',
            $repository . '/target/debug/libossrs.so',
            'libossrs.so',
        ], LibraryLocator::candidates());
        self::assertTrue(LibraryLocator::isBareName('libossrs.so'));
        self::assertFalse(LibraryLocator::isBareName('./libossrs.so'));
    }

    public function testTheOverrideIsTheOnlyCandidate(): void
    {
        putenv(LibraryLocator::ENV_OVERRIDE . '=/opt/ossrs/libossrs.so');
        self::assertSame(['/opt/ossrs/libossrs.so'], LibraryLocator::candidates());
        self::assertSame('/opt/ossrs/libossrs.so', LibraryLocator::firstExisting());
    }

    public function testTheCommittedHeaderIsReadyForFfiPreload(): void
    {
        $header = (string) file_get_contents(LibraryLocator::headerPath());
        $lines = explode("\n", $header);
        self::assertSame('#define FFI_SCOPE "OSSRS"', $lines[0]);
        self::assertSame('#define FFI_LIB "libossrs.so"', $lines[1]);
        self::assertMatchesRegularExpression('/^\d+\.\d+\.\d+/', (string) LibraryLocator::headerVersion($header));
        self::assertSame(LibraryLocator::headerVersion($header), Library::HEADER_VERSION, 'preload mode checks this');
        $newLines = explode("\n", LibraryLocator::headerFor($header, '/opt/ossrs 1/libossrs.so'));
        self::assertSame('#define FFI_SCOPE "OSSRS"', $newLines[0]);
        self::assertSame('#define FFI_LIB "/opt/ossrs 1/libossrs.so"', $newLines[1]);
        self::assertSame(array_slice($lines, 2), array_slice($newLines, 2));
        $this->expectException(OssException::class);
        LibraryLocator::headerFor($header, "/opt/\"/libossrs.so");
    }
}
