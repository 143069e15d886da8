/* The generic call and the typed functions with logic, from C: copy an object (CopyObject through
 * oss_client_call), list a prefix (ListObjectsV2, the result read from oss_response_json), presign a GET URL
 * (oss_presign_url, no I/O) and stream the copy back, counting its bytes (oss_get_object_to_sink).
 *
 * Environment: OSS_ENDPOINT, OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_BUCKET. Prints what each step returned. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "example.h"

/* Counts the bytes of a streamed download. */
static int32_t count_bytes(void *userdata, const uint8_t *data, size_t len) {
    (void)data;
    *(size_t *)userdata += len;
    return 0;
}

int main(void) {
    const char *bucket = env_or("OSS_BUCKET", "bkt");
    const char *text = "copied through the generic call";
    const oss_client *client = client_from_env();
    oss_options *options;
    oss_response *resp = NULL;
    oss_error *err = NULL;
    oss_result rc;
    char *url = NULL;
    char source[512];
    size_t received = 0;

    if (client == NULL) {
        return 1;
    }
    rc = oss_put_object_with_callback(client, bucket, "examples/source.txt", text, strlen(text), NULL, NULL,
                                      NULL, &resp, &err);
    if (rc != OSS_RESULT_OK) {
        return report("PutObject", rc, err);
    }
    oss_response_free(resp);

    /* CopyObject: the source is a header, as OSS defines it. */
    snprintf(source, sizeof source, "/%s/examples/source.txt", bucket);
    options = oss_options_new();
    rc = oss_options_set_header(options, "x-oss-copy-source", source, &err);
    if (rc == OSS_RESULT_OK) {
        rc = oss_client_call(client, "CopyObject", bucket, "examples/copy.txt", options, NULL, 0, &resp, &err);
    }
    oss_options_free(options);
    if (rc != OSS_RESULT_OK) {
        return report("CopyObject", rc, err);
    }
    printf("CopyObject: %u %s\n", (unsigned)oss_response_status(resp), oss_response_json(resp));
    oss_response_free(resp);

    /* ListObjectsV2 of the prefix: the whole answer, result included, is one JSON document. */
    options = oss_options_new();
    rc = oss_options_set_query(options, "prefix", "examples/", &err);
    if (rc == OSS_RESULT_OK) {
        rc = oss_client_call(client, "ListObjectsV2", bucket, NULL, options, NULL, 0, &resp, &err);
    }
    oss_options_free(options);
    if (rc != OSS_RESULT_OK) {
        return report("ListObjectsV2", rc, err);
    }
    printf("ListObjectsV2: %s\n", oss_response_json(resp));
    oss_response_free(resp);

    /* A URL anyone can GET for five minutes. */
    rc = oss_presign_url(client, "GET", bucket, "examples/copy.txt", (uint64_t)time(NULL) + 300, NULL, NULL, NULL,
                         &url, &err);
    if (rc != OSS_RESULT_OK) {
        return report("presigning", rc, err);
    }
    printf("presigned: %s\n", url);
    oss_string_free(url);

    /* The copy, streamed: libossrs never holds the object. */
    rc = oss_get_object_to_sink(client, bucket, "examples/copy.txt", NULL, count_bytes, &received, &resp, &err);
    if (rc != OSS_RESULT_OK) {
        return report("GetObject", rc, err);
    }
    printf("streamed: %zu bytes, status %u\n", received, (unsigned)oss_response_status(resp));
    oss_response_free(resp);
    oss_client_free(client);
    return 0;
}
