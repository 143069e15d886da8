/* A browser upload's form, signed on the server from C: oss_post_form_new for a key prefix, a size range and an
 * upload callback, then every field printed as `name=value` lines (the accessors), and the whole form as JSON.
 * A web page posts these fields, then the file, as multipart/form-data to the printed URL.
 *
 * Environment: OSS_ENDPOINT, OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET (OSS_SIGNATURE_VERSION=v4 and OSS_REGION for
 * a V4 form), OSS_BUCKET, CALLBACK_URL. */
#include <stdio.h>

#include "example.h"

int main(void) {
    const char *bucket = env_or("OSS_BUCKET", "bkt");
    const oss_client *client = client_from_env();
    oss_post_form *form = NULL;
    oss_error *err = NULL;
    oss_result rc;
    char spec[1024];
    size_t i;

    if (client == NULL) {
        return 1;
    }
    snprintf(spec, sizeof spec,
             "{\"key_prefix\":\"uploads/\",\"expires_in\":600,\"content_length_range\":[1,10485760],"
             "\"callback\":\"{\\\"callbackUrl\\\":\\\"%s\\\",\\\"callbackBody\\\":\\\"object=${object}&size=${size}\\\"}\","
             "\"callback_var\":{\"x:page\":\"example\"}}",
             env_or("CALLBACK_URL", "http://127.0.0.1:9090/callback"));
    rc = oss_post_form_new(client, bucket, spec, 0, &form, &err);
    if (rc != OSS_RESULT_OK) {
        oss_client_free(client);
        return report("oss_post_form_new", rc, err);
    }
    printf("url=%s\n", oss_post_form_url(form));
    for (i = 0; i < oss_post_form_field_count(form); i++) {
        printf("%s=%s\n", oss_post_form_field_name(form, i), oss_post_form_field_value(form, i));
    }
    printf("json=%s\n", oss_post_form_json(form));
    oss_post_form_free(form);

    /* Refused before anything is signed: a size range that allows nothing. */
    rc = oss_post_form_new(client, bucket, "{\"key\":\"a\",\"content_length_range\":[5,1]}", 0, &form, &err);
    printf("bad spec: %s\n", oss_result_message(rc));
    oss_error_free(err);
    oss_client_free(client);
    return rc == OSS_RESULT_INVALID_ARGUMENT ? 0 : 1;
}
