<?php

declare(strict_types=1);

namespace OSS\Core;

/**
 * The public methods of the official OssClient (aliyun-oss-php-sdk 2.7.3) that ossrs does not implement yet, with
 * the official parameter lists: an application that calls one gets an OssException it can catch, never a PHP fatal
 * "Call to undefined method". A method leaves this trait when OssClient implements it (tests/Unit/MethodListTest
 * checks both).
 */
trait UnsupportedMethods
{
    /** @throws OssException always: not supported by ossrs yet */
    public function abortBucketWorm($bucket, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function addBucketCname($bucket, $cname, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function completeBucketWorm($bucket, $wormId, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function createBucketCnameToken($bucket, $cname, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function deleteBucketCname($bucket, $cname, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function deleteBucketEncryption($bucket, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function deleteBucketLifecycle($bucket, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function deleteBucketLiveChannel($bucket, $channelName, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function deleteBucketLogging($bucket, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function deleteBucketPolicy($bucket, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function deleteBucketTags($bucket, $tags = null, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function deleteBucketWebsite($bucket, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function extendBucketWorm($bucket, $wormId, $day, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function generatePresignedRtmpUrl($bucket, $channelName, $expiration, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function getBucketCname($bucket, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function getBucketCnameToken($bucket, $cname, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function getBucketEncryption($bucket, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function getBucketLifecycle($bucket, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function getBucketLogging($bucket, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function getBucketPolicy($bucket, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function getBucketReferer($bucket, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function getBucketRequestPayment($bucket, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function getBucketStorageCapacity($bucket, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function getBucketTags($bucket, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function getBucketTransferAcceleration($bucket, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function getBucketWebsite($bucket, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function getBucketWorm($bucket, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function getLiveChannelHistory($bucket, $channelName, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function getLiveChannelInfo($bucket, $channelName, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function getLiveChannelStatus($bucket, $channelName, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function initiateBucketWorm($bucket, $day, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function listBucketLiveChannels($bucket, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function postVodPlaylist($bucket, $channelName, $playlistName, $setTime)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function putBucketEncryption($bucket, $sseConfig, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function putBucketLifecycle($bucket, $lifecycleConfig, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function putBucketLiveChannel($bucket, $channelName, $channelConfig, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function putBucketLogging($bucket, $targetBucket, $targetPrefix, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function putBucketPolicy($bucket, $policy, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function putBucketReferer($bucket, $refererConfig, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function putBucketRequestPayment($bucket, $payer, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function putBucketStorageCapacity($bucket, $storageCapacity, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function putBucketTags($bucket, $taggingConfig, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function putBucketTransferAcceleration($bucket, $enabled, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function putBucketWebsite($bucket, $websiteConfig, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function putLiveChannelStatus($bucket, $channelName, $channelStatus, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }

    /** @throws OssException always: not supported by ossrs yet */
    public function signRtmpUrl($bucket, $channelName, $timeout = 60, $options = null)
    {
        throw UnsupportedMethod::exception(__FUNCTION__);
    }
}
