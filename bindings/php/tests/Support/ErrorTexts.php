<?php

declare(strict_types=1);

namespace OSS\Tests\Support;

/**
 * Collects the error texts the PHP suite sees, for scripts/secret-scan.sh (the access key secret and the STS
 * token must never appear in an error message). One JSON line per error in
 * <target>/ossrs-error-texts/php-<pid>.jsonl, where <target> is CARGO_TARGET_DIR or the repository's target/
 * (OSSRS_ERROR_TEXTS_DIR overrides the directory). The Rust tests write rust-<pid>-*.jsonl next to it.
 *
 * Every OssException built in the PHPUnit process is recorded: instrument() (called by bootstrap.php) defines
 * OSS\Core\OssException from the package's own source before the autoloader would load it, with one change:
 * the constructor records the finished exception. Texts from child processes (tests/scripts) are recorded by
 * the tests that read them, with record().
 */
final class ErrorTexts
{
    private function __construct()
    {
    }

    public static function directory(): string
    {
        $dir = getenv('OSSRS_ERROR_TEXTS_DIR');
        if (is_string($dir) && $dir !== '') {
            return $dir;
        }
        $target = getenv('CARGO_TARGET_DIR');
        if (!is_string($target) || $target === '') {
            $target = Paths::repository() . '/target';
        }
        return $target . '/ossrs-error-texts';
    }

    /**
     * Appends one error's texts.
     *
     * @param array<string, mixed> $fields
     */
    public static function record(string $source, array $fields): void
    {
        $dir = self::directory();
        if (!is_dir($dir)) {
            @mkdir($dir, 0777, true);
        }
        $line = json_encode(
            ['source' => $source] + $fields,
            JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE
        );
        if ($line !== false) {
            @file_put_contents($dir . '/php-' . getmypid() . '.jsonl', $line . "\n", FILE_APPEND | LOCK_EX);
        }
    }

    /** Records a throwable's message and, for an OssException, its OSS details. */
    public static function recordThrowable(\Throwable $e, string $source): void
    {
        $fields = ['class' => get_class($e), 'message' => $e->getMessage()];
        if ($e instanceof \OSS\Core\OssException) {
            $fields += [
                'status' => $e->getHTTPStatus(),
                'request_id' => $e->getRequestId(),
                'code' => $e->getErrorCode(),
                'oss_message' => $e->getErrorMessage(),
                'body' => $e->getDetails(),
            ];
        }
        self::record($source, $fields);
    }

    /**
     * Defines OSS\Core\OssException with a recording constructor (see the class doc). Fails loudly when the
     * class is already loaded or its source no longer has the expected constructor.
     */
    public static function instrument(): void
    {
        $class = \OSS\Core\OssException::class;
        if (class_exists($class, false)) {
            throw new \LogicException($class . ' was loaded before ErrorTexts::instrument()');
        }
        $file = Paths::package() . '/src/Core/OssException.php';
        $source = (string) file_get_contents($file);
        $constructor = 'public function __construct($details, string $errorCode = \'\')';
        if (substr_count($source, $constructor) !== 1 || strncmp($source, '<?php', 5) !== 0) {
            throw new \LogicException('cannot instrument ' . $file . ': update tests/Support/ErrorTexts.php');
        }
        $recording = 'public function __construct($details, string $errorCode = \'\')' . "\n"
            . '    {' . "\n"
            . '        $this->constructForTheSecretScan($details, $errorCode);' . "\n"
            . '        \\' . self::class . '::recordThrowable($this, \'php\');' . "\n"
            . '    }' . "\n\n"
            . '    private function constructForTheSecretScan($details, string $errorCode)';
        eval(substr(str_replace($constructor, $recording, $source), 5));
    }
}
