<?php

/**
 * PSR-4 autoloader for applications that do not use Composer (the official SDK ships one too, and the
 * upload-callback samples require it): maps OSS\Foo\Bar to src/Foo/Bar.php.
 */

spl_autoload_register(static function (string $class): void {
    $prefix = 'OSS\\';
    if (strncmp($class, $prefix, strlen($prefix)) !== 0) {
        return;
    }
    $file = __DIR__ . '/src/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
    if (is_file($file)) {
        require $file;
    }
});
