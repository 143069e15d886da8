<?php

declare(strict_types=1);

namespace OSS\Tests\Ffi;

use OSS\Native\Library;
use OSS\Native\LibraryLocator;
use OSS\Tests\Support\Paths;
use OSS\Tests\Support\Process;
use PHPUnit\Framework\TestCase;

/**
 * Loading libossrs: the version check, and clear errors naming every path tried. Failure cases run in child
 * processes, with a copy of the package where the layout has to differ.
 */
final class LibraryLoadingTest extends TestCase
{
    private const PROBE = 'require $argv[1] . "/autoload.php"; '
        . 'try { echo OSS\Native\Library::version(), "|", OSS\Native\Library::source(); } '
        . 'catch (OSS\Core\OssException $e) { echo "OssException: ", $e->getMessage(); }';

    public function testLoadedLibraryMatchesTheHeaderVersion(): void
    {
        $header = (string) file_get_contents(LibraryLocator::headerPath());
        self::assertSame(LibraryLocator::headerVersion($header), Library::version());
        self::assertNotSame('', Library::source());
    }

    public function testAMissingOverrideIsNamed(): void
    {
        $out = $this->probe(Paths::package(), ['OSSRS_LIB' => '/nonexistent/libossrs.so']);
        self::assertSame(
            'OssException: libossrs could not be loaded; tried: /nonexistent/libossrs.so (not found). Build it with '
            . '`cargo build`, or point OSSRS_LIB (or php.ini ossrs.lib) at libossrs.',
            $out
        );
    }

    public function testTheIniOverrideIsHonoured(): void
    {
        $library = Paths::repository() . '/target/debug/libossrs.so';
        if (!is_file($library)) {
            self::markTestSkipped('no debug build');
        }
        $out = $this->probe(Paths::package(), ['OSSRS_LIB' => false], ['-d', 'ossrs.lib=' . $library]);
        self::assertStringEndsWith('|' . $library, $out);
    }

    public function testEverySearchedPathIsNamedWhenNothingLoads(): void
    {
        $copy = $this->packageCopy('nowhere');
        $out = $this->probe($copy, ['OSSRS_LIB' => false, 'LD_LIBRARY_PATH' => false]);
        $platform = strtolower(PHP_OS_FAMILY) . '-' . strtolower(php_uname('m'));
        $repository = dirname($copy, 2);
        self::assertStringStartsWith('OssException: libossrs could not be loaded; tried: ', $out);
        foreach ([
            $copy . '/native/' . $platform . '/libossrs.so (not found)',
            $copy . '/native/libossrs.so (not found)',
            $repository . '/target/release/libossrs.so (not found)',
            $repository . '/target/debug/libossrs.so (not found)',
            'libossrs.so (',
        ] as $tried) {
            self::assertStringContainsString($tried, $out);
        }
    }

    public function testThePackagesNativeDirectoryIsSearched(): void
    {
        $copy = $this->packageCopy('bundled');
        mkdir($copy . '/native');
        copy(Paths::repository() . '/target/debug/libossrs.so', $copy . '/native/libossrs.so');
        self::assertStringEndsWith('|' . $copy . '/native/libossrs.so', $this->probe($copy, ['OSSRS_LIB' => false]));
    }

    public function testAVersionMismatchIsRefused(): void
    {
        $copy = $this->packageCopy('mismatch');
        $header = $copy . '/resources/ossrs.h';
        file_put_contents($header, preg_replace('~/\* ossrs [0-9][^:]*:~', '/* ossrs 99.0.0:', (string) file_get_contents($header)));
        $out = $this->probe($copy, ['OSSRS_LIB' => Paths::repository() . '/target/debug/libossrs.so']);
        self::assertStringStartsWith('OssException: libossrs ' . Library::version() . ' (', $out);
        self::assertStringContainsString('does not match the version of the PHP binding\'s header (99.0.0', $out);
    }

    public function testDisabledFfiIsExplained(): void
    {
        $out = $this->probe(Paths::package(), [], ['-d', 'ffi.enable=0']);
        self::assertStringStartsWith('OssException: PHP FFI is disabled (ffi.enable=0)', $out);
    }

    /**
     * @param array<string, string|false> $env
     * @param list<string> $phpArgs
     */
    private function probe(string $package, array $env, array $phpArgs = ['-d', 'ffi.enable=1']): string
    {
        $run = Process::run(array_merge([PHP_BINARY], $phpArgs, ['-r', self::PROBE, $package]), $env);
        self::assertSame(0, $run['exit'], $run['stderr']);
        self::assertSame('', $run['stderr']);
        return $run['stdout'];
    }

    /** A copy of the package (autoload.php, src/, resources/) two levels below a fresh directory. */
    private function packageCopy(string $name): string
    {
        $copy = Paths::scratch() . '/' . $name . '/bindings/php';
        mkdir($copy . '/resources', 0755, true);
        copy(Paths::package() . '/autoload.php', $copy . '/autoload.php');
        copy(LibraryLocator::headerPath(), $copy . '/resources/ossrs.h');
        $run = Process::run(['cp', '-R', Paths::package() . '/src', $copy . '/src']);
        self::assertSame(0, $run['exit'], $run['stderr']);
        return $copy;
    }
}
