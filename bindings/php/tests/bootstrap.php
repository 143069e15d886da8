<?php

declare(strict_types=1);

/*
 * PHPUnit bootstrap: the package's own autoloader plus one for the test support classes (OSS\Tests\ → tests/),
 * and the recording of every OssException for scripts/secret-scan.sh (see tests/Support/ErrorTexts.php).
 */

require dirname(__DIR__) . '/autoload.php';

spl_autoload_register(static function (string $class): void {
    $prefix = 'OSS\\Tests\\';
    if (strncmp($class, $prefix, strlen($prefix)) === 0) {
        $file = __DIR__ . '/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});

error_reporting(E_ALL);

\OSS\Tests\Support\ErrorTexts::instrument();
