<?php

/**
 * Router for `php -S`: a fake OSS endpoint that records every request as one JSON line (method, target, headers,
 * base64 body) in the file named by RECORDER_LOG and answers like OSS would for the request's shape:
 * InitiateMultipartUpload gets an UploadId, UploadPart an ETag, ListParts a two-part listing, and an object
 * whose name starts with "status-NNN" gets HTTP NNN with an OSS error document (CallbackFailed for 203).
 * The default answer is 200 with an ETag; with an x-oss-callback header its body is a callback-server reply.
 */

$headers = getallheaders();
$body = file_get_contents('php://input');
$target = $_SERVER['REQUEST_URI'];
file_put_contents(getenv('RECORDER_LOG'), json_encode([
    'method' => $_SERVER['REQUEST_METHOD'],
    'target' => $target,
    'headers' => $headers,
    'body' => base64_encode($body),
]) . "\n", FILE_APPEND | LOCK_EX);

$path = (string) parse_url($target, PHP_URL_PATH);
parse_str((string) parse_url($target, PHP_URL_QUERY), $query);
$name = rawurldecode(basename($path));
header('x-oss-request-id: REQ-' . substr(md5($target . $body), 0, 8));
header('Server: AliyunOSS');

if (preg_match('/^status-(\d{3})/', $name, $m) === 1) {
    $status = (int) $m[1];
    $code = $status === 203 ? 'CallbackFailed' : 'TestError' . $status;
    http_response_code($status);
    header('Content-Type: application/xml');
    header('ETag: "STORED-' . $status . '"');
    echo "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>$code</Code>\n  <Message>Status $status as asked</Message>\n"
        . "  <RequestId>XML-ID</RequestId>\n  <HostId>recorder</HostId>\n</Error>\n";
    return true;
}
if (array_key_exists('uploads', $query)) {
    header('Content-Type: application/xml');
    echo "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InitiateMultipartUploadResult><Bucket>bkt</Bucket><Key>$name</Key>"
        . "<UploadId>UPLOAD-1</UploadId></InitiateMultipartUploadResult>";
    return true;
}
if (isset($query['uploadId'], $query['partNumber'])) {
    header('ETag: "PART-' . $query['partNumber'] . '-' . strtoupper(md5($body)) . '"');
    return true;
}
if (isset($query['uploadId']) && $_SERVER['REQUEST_METHOD'] === 'GET') {
    header('Content-Type: application/xml');
    echo '<?xml version="1.0" encoding="UTF-8"?><ListPartsResult><Bucket>bkt</Bucket><Key>' . $name . '</Key>'
        . '<UploadId>' . $query['uploadId'] . '</UploadId><NextPartNumberMarker>2</NextPartNumberMarker>'
        . '<MaxParts>2</MaxParts><IsTruncated>true</IsTruncated>'
        . '<Part><PartNumber>1</PartNumber><LastModified>2026-11-24T10:00:00.000Z</LastModified>'
        . '<ETag>"E1"</ETag><Size>102400</Size></Part>'
        . '<Part><PartNumber>2</PartNumber><LastModified>2026-11-24T10:00:01.000Z</LastModified>'
        . '<ETag>"E2"</ETag><Size>5</Size></Part></ListPartsResult>';
    return true;
}
header('ETag: "' . strtoupper(md5($body)) . '"');
if (isset($headers['x-oss-callback'])) {
    header('Content-Type: application/json');
    echo '{"Status":"OK","from":"recorder"}';
}
return true;
