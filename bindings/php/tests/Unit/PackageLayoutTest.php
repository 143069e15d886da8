<?php

declare(strict_types=1);

namespace OSS\Tests\Unit;

use OSS\Tests\Support\Paths;
use OSS\Tests\Support\UnitTestCase;

/**
 * The Composer package is complete and keeps the preload rule: every use of the restricted FFI API lives in
 * OSS\Native, the namespace preload.php preloads (docs/php-ffi.md "Preloading").
 */
final class PackageLayoutTest extends UnitTestCase
{
    public function testComposerManifest(): void
    {
        $composer = json_decode((string) file_get_contents(Paths::package() . '/composer.json'), true);
        self::assertSame(['OSS\\' => 'src/'], $composer['autoload']['psr-4']);
        self::assertSame('>=8.1', $composer['require']['php']);
        self::assertArrayHasKey('ext-ffi', $composer['require']);
    }

    /** @return array<string, array{0: string, 1: string}> class name and file of every package class */
    public function packageClasses(): array
    {
        $classes = [];
        $src = Paths::package() . '/src';
        $files = new \RecursiveIteratorIterator(new \RecursiveDirectoryIterator($src, \FilesystemIterator::SKIP_DOTS));
        foreach ($files as $file) {
            $relative = substr($file->getPathname(), strlen($src) + 1, -4);
            $class = 'OSS\\' . str_replace('/', '\\', $relative);
            $classes[$class] = [$class, $file->getPathname()];
        }
        ksort($classes);
        return $classes;
    }

    /** @dataProvider packageClasses */
    public function testEachFileDeclaresItsPsr4ClassWithStrictTypes(string $class, string $file): void
    {
        self::assertTrue(class_exists($class) || interface_exists($class) || trait_exists($class), $class . ' autoloads');
        $code = (string) file_get_contents($file);
        self::assertStringContainsString('declare(strict_types=1);', $code);
        self::assertStringStartsWith('<?php', $code);
    }

    /** @return array<string, array{0: string, 1: string}> the package classes outside OSS\Native */
    public function nonNativeClasses(): array
    {
        return array_filter(
            $this->packageClasses(),
            static fn (array $case): bool => strpos($case[0], 'OSS\\Native\\') !== 0
        );
    }

    /** @dataProvider nonNativeClasses */
    public function testRestrictedFfiCallsOnlyInTheNativeNamespace(string $class, string $file): void
    {
        $pattern = '/\bFFI::(cdef|load|scope|new|cast|addr|string|isNull|memcpy|free|type|sizeof)\b|->(new|cast)\(/';
        self::assertDoesNotMatchRegularExpression($pattern, (string) file_get_contents($file), $class);
    }

    public function testPreloadAndHeaderScriptsExist(): void
    {
        self::assertFileExists(Paths::package() . '/preload.php');
        self::assertFileExists(Paths::package() . '/bin/ossrs-ffi-header.php');
        self::assertFileExists(Paths::package() . '/README.md');
        self::assertFileExists(Paths::package() . '/run-tests.sh');
        self::assertTrue(is_executable(Paths::package() . '/run-tests.sh'));
    }
}
