/* Reads an object back with GetObject and compares its Content-MD5 with a local file's: the check that an upload
 * stored exactly what was sent.
 *
 * Environment: OSS_ENDPOINT, OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_BUCKET. Arguments: OBJECT FILE.
 * Exit status 0 when the MD5s match. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "example.h"

int main(int argc, char **argv) {
    const char *bucket = env_or("OSS_BUCKET", "bkt");
    char stored[25], source[25];
    const oss_client *client;
    oss_response *resp = NULL;
    oss_error *err = NULL;
    oss_result rc;
    struct stat st;
    int match;

    if (argc != 3 || stat(argv[2], &st) != 0) {
        fprintf(stderr, "usage: %s OBJECT FILE\n", argv[0]);
        return 2;
    }
    client = client_from_env();
    if (client == NULL) {
        return 1;
    }
    rc = oss_get_object(client, bucket, argv[1], NULL, &resp, &err);
    oss_client_free(client);
    if (rc != OSS_RESULT_OK) {
        return report("get_object", rc, err);
    }
    rc = oss_content_md5(oss_response_body(resp), oss_response_body_len(resp), stored, sizeof stored, &err);
    oss_response_free(resp);
    if (rc != OSS_RESULT_OK) {
        return report("content_md5", rc, err);
    }
    rc = oss_file_content_md5(argv[2], 0, (uint64_t)st.st_size, source, sizeof source, &err);
    if (rc != OSS_RESULT_OK) {
        return report("file_content_md5", rc, err);
    }
    match = strcmp(stored, source) == 0;
    printf("%s: stored MD5 %s, source MD5 %s: %s\n", argv[1], stored, source, match ? "match" : "MISMATCH");
    return match ? 0 : 1;
}
