<?php

declare(strict_types=1);

namespace OSS\Tests\Ffi;

use OSS\Core\OssException;
use OSS\OssClient;
use OSS\Tests\Support\Emulator;
use PHPUnit\Framework\TestCase;

/**
 * Image processing: processObject and asyncProcessObject (the result saved with sys/saveas) and getObject with
 * OSS_PROCESS, against the emulator's image service; the stored results are decoded and measured.
 */
final class ProcessTest extends TestCase
{
    private OssClient $client;
    private string $dir;

    protected function setUp(): void
    {
        $this->client = new OssClient(Emulator::KEY_ID, Emulator::KEY_SECRET, Emulator::get()->endpoint());
        $this->dir = 'process-' . bin2hex(random_bytes(4)) . '/';
        $this->client->putObject(Emulator::BUCKET, $this->dir . 'photo.png', self::png(400, 200));
    }

    protected function tearDown(): void
    {
        Emulator::get()->setFaults([]);
    }

    /** An RGB PNG of $width x $height with a gradient, written without GD. */
    private static function png(int $width, int $height): string
    {
        $raw = '';
        for ($y = 0; $y < $height; $y++) {
            $raw .= "\0";
            for ($x = 0; $x < $width; $x++) {
                $raw .= chr($x % 256) . chr($y % 256) . chr(128);
            }
        }
        $chunk = fn (string $type, string $data): string => pack('N', strlen($data)) . $type . $data
            . pack('N', crc32($type . $data));
        return "\x89PNG\r\n\x1a\n" . $chunk('IHDR', pack('NNCCCCC', $width, $height, 8, 2, 0, 0, 0))
            . $chunk('IDAT', (string) gzcompress($raw)) . $chunk('IEND', '');
    }

    /** @return array{0: int, 1: int} the width and height in a PNG's header */
    private static function pngSize(string $png): array
    {
        self::assertSame("\x89PNG\r\n\x1a\n", substr($png, 0, 8), 'a PNG');
        $size = unpack('Nw/Nh', substr($png, 16, 8));
        return [$size['w'], $size['h']];
    }

    private static function base64url(string $text): string
    {
        return rtrim(strtr(base64_encode($text), '+/', '-_'), '=');
    }

    private function saveAs(string $key, ?string $bucket = null): string
    {
        return '|sys/saveas,o_' . self::base64url($key) . ($bucket === null ? '' : ',b_' . self::base64url($bucket));
    }

    public function testProcessObjectSavesTheResizedImageAndAnswersOssJson(): void
    {
        $b = Emulator::BUCKET;
        $target = $this->dir . 'thumb ä.png';
        $answer = $this->client->processObject($b, $this->dir . 'photo.png', 'image/resize,w_100' . $this->saveAs($target));
        $json = json_decode($answer, true);
        $stored = $this->client->getObject($b, $target);
        self::assertSame(['bucket' => $b, 'fileSize' => strlen($stored), 'object' => $target, 'status' => 'OK'], $json);
        self::assertSame([100, 50], self::pngSize($stored));
        self::assertSame('image/png', $this->client->getObjectMeta($b, $target)['content-type']);
    }

    public function testPipelinesRotateCropConvertAndSaveToAnotherBucket(): void
    {
        $other = 'thumbs-' . bin2hex(random_bytes(4));
        $this->client->createBucket($other);
        $source = $this->dir . 'photo.png';
        $this->client->processObject(Emulator::BUCKET, $source, 'image/crop,x_100,y_0,w_100,h_150/rotate,90/format,png'
            . $this->saveAs('r.png', $other));
        self::assertSame([150, 100], self::pngSize($this->client->getObject($other, 'r.png')));
        $this->client->processObject(Emulator::BUCKET, $source, 'image/resize,m_fill,w_64,h_64/format,jpg/quality,q_80'
            . $this->saveAs('f.jpg', $other));
        $jpeg = $this->client->getObject($other, 'f.jpg');
        self::assertSame("\xFF\xD8", substr($jpeg, 0, 2));
        $info = json_decode($this->client->getObject($other, 'f.jpg', [OssClient::OSS_PROCESS => 'image/info']), true);
        self::assertSame(['64', '64', 'jpg', (string) strlen($jpeg)], [
            $info['ImageWidth']['value'], $info['ImageHeight']['value'], $info['Format']['value'],
            $info['FileSize']['value'],
        ]);
    }

    public function testGetObjectWithOssProcessAnswersTheProcessedImageAndStoresNothing(): void
    {
        $b = Emulator::BUCKET;
        $before = count($this->client->listObjects($b, [OssClient::OSS_PREFIX => $this->dir])->getObjectList());
        $thumb = $this->client->getObject($b, $this->dir . 'photo.png', [OssClient::OSS_PROCESS => 'image/resize,l_80']);
        self::assertSame([80, 40], self::pngSize($thumb));
        self::assertCount($before, $this->client->listObjects($b, [OssClient::OSS_PREFIX => $this->dir])->getObjectList());
        $url = $this->client->signUrl($b, $this->dir . 'photo.png', 60, OssClient::OSS_HTTP_GET, [
            OssClient::OSS_PROCESS => 'image/resize,p_10',
        ]);
        self::assertSame([40, 20], self::pngSize((string) file_get_contents($url)));
    }

    public function testAsyncProcessObjectAnswersTheTaskAndIsNeverRepeated(): void
    {
        $b = Emulator::BUCKET;
        $answer = json_decode($this->client->asyncProcessObject($b, $this->dir . 'photo.png', 'image/resize,w_10'
            . $this->saveAs($this->dir . 'async.png')), true);
        self::assertSame(['EventId', 'RequestId', 'TaskId'], array_keys($answer));
        self::assertSame([10, 5], self::pngSize($this->client->getObject($b, $this->dir . 'async.png')));

        $count = fn (string $sub): int => count(array_filter(
            Emulator::get()->requests(),
            fn ($r) => $r['method'] === 'POST' && str_contains($r['query'], $sub) && str_contains($r['path'], $this->dir)
        ));
        $before = $count('x-oss-async-process');
        Emulator::get()->setFaults([['fault' => 'error', 'status' => 503, 'limit' => 1, 'operation' => 'AsyncProcessObject']]);
        try {
            $this->client->asyncProcessObject($b, $this->dir . 'photo.png', 'image/resize,w_10' . $this->saveAs('x.png'));
            self::fail('a 503 was hidden');
        } catch (OssException $e) {
            self::assertSame(['ServiceUnavailable', '503'], [$e->getErrorCode(), $e->getHTTPStatus()]);
        }
        self::assertSame($before + 1, $count('x-oss-async-process'), 'sent once, never repeated');

        $before = $count('x-oss-process');
        Emulator::get()->setFaults([['fault' => 'error', 'status' => 503, 'limit' => 1, 'operation' => 'ProcessObject']]);
        $this->client->processObject($b, $this->dir . 'photo.png', 'image/resize,w_10' . $this->saveAs($this->dir . 'y.png'));
        self::assertSame($before + 2, $count('x-oss-process'), 'ProcessObject is repeated after a 503');
    }

    public function testWhatOssRefusesIsRefusedWithItsCode(): void
    {
        $b = Emulator::BUCKET;
        $this->client->putObject($b, $this->dir . 'notes.txt', 'not an image');
        $cases = [
            ['InvalidArgument', '400', $this->dir . 'photo.png', 'image/resize,w_100'],
            ['InvalidArgument', '400', $this->dir . 'photo.png', 'image/resize,w_0' . $this->saveAs('a')],
            ['InvalidArgument', '400', $this->dir . 'notes.txt', 'image/resize,w_10' . $this->saveAs('a')],
            ['NotImplemented', '501', $this->dir . 'photo.png', 'image/rotate,45' . $this->saveAs('a')],
            ['NoSuchKey', '404', $this->dir . 'missing.png', 'image/resize,w_10' . $this->saveAs('a')],
            ['NoSuchBucket', '404', $this->dir . 'photo.png', 'image/resize,w_10' . $this->saveAs('a', 'no-such-bucket-x')],
        ];
        foreach ($cases as [$code, $status, $object, $process]) {
            try {
                $this->client->processObject($b, $object, $process);
                self::fail("no $code for $process");
            } catch (OssException $e) {
                self::assertSame([$code, $status], [$e->getErrorCode(), $e->getHTTPStatus()], $process);
            }
        }
        $this->expectException(OssException::class);
        $this->client->processObject($b, $this->dir . 'photo.png', ['image/resize,w_1']);
    }
}
