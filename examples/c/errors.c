/* Error handling: every call returns an oss_result; on failure the oss_error object says what happened. This
 * program provokes the three kinds a caller meets — a usage error caught before any request, an answer from OSS
 * (here a wrong secret: 403 SignatureDoesNotMatch), and a failed upload callback (203 CallbackFailed, where the
 * object is stored and its ETag is still readable) — and prints the code, message and request id of each.
 *
 * Environment: OSS_ENDPOINT, OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_BUCKET. Exit status 0 when each error
 * came out as expected. */
#include <stdio.h>
#include <string.h>

#include "example.h"

/* Prints an error's details and frees it; returns its result code. */
static oss_result explain(const char *title, oss_result rc, oss_error *err) {
    const oss_response *answer = oss_error_response(err);
    printf("%s\n  result:      %d (%s)\n  message:     %s\n", title, (int)rc, oss_result_message(rc), oss_error_message(err));
    if (answer != NULL) {
        printf("  http status: %u\n  OSS code:    %s\n  request id:  %s\n", (unsigned)oss_error_http_status(err),
               oss_error_code(err), oss_error_request_id(err));
        if (rc == OSS_RESULT_CALLBACK_FAILED) {
            printf("  stored ETag: %s\n", oss_response_etag(answer));
        }
    }
    oss_error_free(err);
    return rc;
}

int main(void) {
    const char *bucket = env_or("OSS_BUCKET", "bkt");
    const char *closed = "{\"callbackUrl\":\"http://127.0.0.1:1/\",\"callbackBody\":\"object=${object}\"}";
    const oss_client *client = client_from_env();
    oss_config_builder *builder;
    const oss_client *wrong = NULL;
    oss_error *err = NULL;
    oss_result rc;
    int ok = 1;

    if (client == NULL) {
        return 1;
    }
    /* 1. Refused before any request: a bucket name that would change the host. */
    rc = oss_put_object_with_callback(client, "evil.com/x", "k", "x", 1, NULL, NULL, NULL, NULL, &err);
    ok &= explain("usage error", rc, err) == OSS_RESULT_INVALID_BUCKET_NAME;
    /* 2. OSS refuses the request. */
    builder = oss_config_builder_new();
    oss_config_builder_set(builder, "endpoint", env_or("OSS_ENDPOINT", ""), NULL);
    oss_config_builder_set(builder, "access_key_id", env_or("OSS_ACCESS_KEY_ID", ""), NULL);
    oss_config_builder_set(builder, "access_key_secret", "not-the-secret", NULL);
    rc = oss_config_builder_build(builder, &wrong, &err);
    oss_config_builder_free(builder);
    if (rc != OSS_RESULT_OK) {
        oss_client_free(client);
        return report("building the client", rc, err);
    }
    rc = oss_put_object_with_callback(wrong, bucket, "k", "x", 1, NULL, NULL, NULL, NULL, &err);
    ok &= explain("service error", rc, err) == OSS_RESULT_SERVICE_ERROR;
    oss_client_free(wrong);
    /* 3. The object is stored but the callback server cannot be reached. */
    rc = oss_put_object_with_callback(client, bucket, "errors.txt", "kept", 4, closed, NULL, NULL, NULL, &err);
    ok &= explain("callback failed", rc, err) == OSS_RESULT_CALLBACK_FAILED;
    oss_client_free(client);
    return ok ? 0 : 1;
}
