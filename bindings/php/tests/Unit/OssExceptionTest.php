<?php

declare(strict_types=1);

namespace OSS\Tests\Unit;

use OSS\Core\OssException;
use OSS\Tests\Support\UnitTestCase;

/** OssException built from a string and from OSS error details (docs/php-sdk-behaviour.md "Exceptions"). */
final class OssExceptionTest extends UnitTestCase
{
    public function testFromAStringEveryGetterIsEmpty(): void
    {
        $e = new OssException('object name is empty');
        self::assertInstanceOf(\Exception::class, $e);
        self::assertSame('object name is empty', $e->getMessage());
        self::assertSame(0, $e->getCode());
        self::assertNull($e->getPrevious());
        foreach (['getErrorCode', 'getErrorMessage', 'getRequestId', 'getHTTPStatus', 'getDetails'] as $getter) {
            self::assertSame('', $e->$getter(), $getter);
        }
    }

    public function testFromDetailsTheMessageIsCodeMessageRequestId(): void
    {
        $body = '<?xml version="1.0"?><Error><Code>SignatureDoesNotMatch</Code></Error>';
        $e = new OssException([
            'status' => '403',
            'request-id' => '5C3D9175B6FC201200000009',
            'code' => 'SignatureDoesNotMatch',
            'message' => 'The request signature we calculated does not match',
            'body' => $body,
        ]);
        self::assertSame(
            'SignatureDoesNotMatch: The request signature we calculated does not match RequestId: 5C3D9175B6FC201200000009',
            $e->getMessage()
        );
        self::assertSame('403', $e->getHTTPStatus());
        self::assertSame('SignatureDoesNotMatch', $e->getErrorCode());
        self::assertSame('The request signature we calculated does not match', $e->getErrorMessage());
        self::assertSame('5C3D9175B6FC201200000009', $e->getRequestId());
        self::assertSame($body, $e->getDetails());
        self::assertSame(0, $e->getCode());
    }

    public function testMissingDetailsReadAsEmptyWithoutWarnings(): void
    {
        $e = new OssException(['status' => '404', 'request-id' => 'RID']);
        self::assertSame(':  RequestId: RID', $e->getMessage());
        self::assertSame('404', $e->getHTTPStatus());
        self::assertSame('', $e->getErrorCode());
        self::assertSame('', $e->getDetails());
    }
}
