/* Seed flow A in C: a simple upload (PutObject) with a form-encoded upload callback, as in the
 * "simple upload with callback" sample of Aliyun's PHP documentation. Prints the callback server's reply
 * (the response body) and the HTTP status.
 *
 * Environment: OSS_ENDPOINT, OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_BUCKET, OSS_OBJECT,
 * OSS_CALLBACK_URL, OSS_CALLBACK_HOST. Argument: the file whose bytes are uploaded (default: this source). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "example.h"

/* Reads a whole (small) file into a malloc'ed buffer. */
static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    long size;
    if (f == NULL) {
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        data = malloc((size_t)size + 1);
        if (data != NULL && fread(data, 1, (size_t)size, f) != (size_t)size) {
            free(data);
            data = NULL;
        }
        *len = (size_t)size;
    }
    fclose(f);
    return data;
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : __FILE__;
    const char *bucket = env_or("OSS_BUCKET", "bkt");
    const char *object = env_or("OSS_OBJECT", "put-callback.c");
    char callback[2048];
    const char *callback_var = "{\n        \"x:var1\":\"value1\",\n        \"x:var2\":\"\xe5\x80\xbc" "2\"\n    }";
    const oss_client *client;
    oss_response *resp = NULL;
    oss_error *err = NULL;
    oss_result rc;
    size_t len = 0;
    char *data;

    snprintf(callback, sizeof callback,
             "{\n"
             "        \"callbackUrl\":\"%s\",\n"
             "        \"callbackHost\":\"%s\",\n"
             "        \"callbackBody\":\"bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}"
             "&imageInfo.height=${imageInfo.height}&imageInfo.width=${imageInfo.width}&imageInfo.format=${imageInfo.format}"
             "&my_var1=${x:var1}&my_var2=${x:var2}\",\n"
             "        \"callbackBodyType\":\"application/x-www-form-urlencoded\"\n"
             "    }",
             env_or("OSS_CALLBACK_URL", "http://127.0.0.1:9090"), env_or("OSS_CALLBACK_HOST", "127.0.0.1"));

    data = read_file(path, &len);
    if (data == NULL) {
        fprintf(stderr, "cannot read %s\n", path);
        return 1;
    }
    client = client_from_env();
    if (client == NULL) {
        free(data);
        return 1;
    }
    rc = oss_put_object_with_callback(client, bucket, object, data, len, callback, callback_var, NULL, &resp, &err);
    free(data);
    if (rc != OSS_RESULT_OK) {
        oss_client_free(client);
        return report("put_object_with_callback", rc, err);
    }
    fwrite(oss_response_body(resp), 1, oss_response_body_len(resp), stdout);
    printf("\n%u\n", (unsigned)oss_response_status(resp));
    printf("etag: %s\nrequest id: %s\n", oss_response_etag(resp), oss_response_request_id(resp));
    oss_response_free(resp);
    oss_client_free(client);
    return 0;
}
