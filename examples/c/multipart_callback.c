/* Seed flow B in C: a multipart upload with a Content-MD5 on every part and a JSON upload callback on
 * CompleteMultipartUpload, as in the "multipart upload with callback" sample of Aliyun's PHP documentation.
 *
 * Environment: OSS_ENDPOINT, OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_BUCKET, OSS_OBJECT,
 * OSS_CALLBACK_URL, OSS_CALLBACK_HOST, OSS_PART_SIZE (default 10 MiB). Argument: the file to upload. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "example.h"

#define MAX_PARTS 10000

int main(int argc, char **argv) {
    const char *bucket = env_or("OSS_BUCKET", "bkt");
    const char *object = env_or("OSS_OBJECT", "multipart-callback.bin");
    const unsigned long long part_size = strtoull(env_or("OSS_PART_SIZE", "10485760"), NULL, 10);
    const char *callback_var = "{\n        \"x:var1\":\"value1\",\n        \"x:var2\":\"\xe5\x80\xbc" "2\"\n    }";
    static oss_part parts[MAX_PARTS];
    static char etags[MAX_PARTS][72];
    char callback[1024], upload_id[256], md5[25];
    const oss_client *client;
    oss_response *resp = NULL;
    oss_error *err = NULL;
    oss_result rc;
    struct stat st;
    unsigned long long offset, size;
    size_t count = 0;
    int status = 1;

    if (argc < 2 || stat(argv[1], &st) != 0 || part_size == 0) {
        fprintf(stderr, "usage: %s FILE (an existing file; OSS_PART_SIZE > 0)\n", argv[0]);
        return 2;
    }
    size = (unsigned long long)st.st_size;
    snprintf(callback, sizeof callback,
             "{\n"
             "        \"callbackUrl\":\"%s\",\n"
             "        \"callbackHost\":\"%s\",\n"
             "        \"callbackBody\":\"{\\\"mimeType\\\":${mimeType},\\\"size\\\":${size},"
             "\\\"x:var1\\\":${x:var1},\\\"x:var2\\\":${x:var2}}\",\n"
             "        \"callbackBodyType\":\"application/json\"\n"
             "    }",
             env_or("OSS_CALLBACK_URL", "http://127.0.0.1:9090"), env_or("OSS_CALLBACK_HOST", "127.0.0.1"));

    client = client_from_env();
    if (client == NULL) {
        return 1;
    }
    /* Step 1: initiate; the upload id identifies the upload from now on. */
    rc = oss_initiate_multipart_upload(client, bucket, object, NULL, &resp, &err);
    if (rc != OSS_RESULT_OK) {
        report("initiate_multipart_upload", rc, err);
        goto done;
    }
    snprintf(upload_id, sizeof upload_id, "%s", oss_response_upload_id(resp));
    oss_response_free(resp);
    printf("initiateMultipartUpload OK: %s\n", upload_id);

    /* Step 2: upload the parts, each with its Content-MD5 so OSS rejects a corrupted part. */
    for (offset = 0; offset < size || (size == 0 && count == 0); offset += part_size) {
        unsigned long long len = size - offset < part_size ? size - offset : part_size;
        if (count == MAX_PARTS) {
            fprintf(stderr, "more than %d parts: raise OSS_PART_SIZE\n", MAX_PARTS);
            goto abort;
        }
        rc = oss_file_content_md5(argv[1], offset, len, md5, sizeof md5, &err);
        if (rc != OSS_RESULT_OK) {
            report("file_content_md5", rc, err);
            goto abort;
        }
        rc = oss_upload_part_from_file(client, bucket, object, upload_id, (uint32_t)(count + 1), argv[1], offset, len, md5,
                                       NULL, &resp, &err);
        if (rc != OSS_RESULT_OK) {
            report("upload_part_from_file", rc, err);
            goto abort;
        }
        snprintf(etags[count], sizeof etags[count], "%s", oss_response_etag(resp));
        oss_response_free(resp);
        parts[count].part_number = (uint32_t)(count + 1);
        parts[count].etag = etags[count];
        printf("uploadPart #%u OK: %s\n", (unsigned)(count + 1), etags[count]);
        count++;
        if (size == 0) {
            break;
        }
    }

    /* Step 3: complete; OSS runs the callback now and returns the callback server's reply. */
    rc = oss_complete_multipart_upload(client, bucket, object, upload_id, parts, count, callback, callback_var, NULL, &resp,
                                       &err);
    if (rc != OSS_RESULT_OK) {
        report("complete_multipart_upload", rc, err);
        goto done;
    }
    fwrite(oss_response_body(resp), 1, oss_response_body_len(resp), stdout);
    printf("\n%u\n", (unsigned)oss_response_status(resp));
    printf("etag: %s\n", oss_response_etag(resp));
    oss_response_free(resp);
    status = 0;
    goto done;

abort:
    if (oss_abort_multipart_upload(client, bucket, object, upload_id, NULL, NULL, NULL) == OSS_RESULT_OK) {
        fprintf(stderr, "upload %s aborted\n", upload_id);
    }
done:
    oss_client_free(client);
    return status;
}
