/* The managed upload: a whole file in one call, parts uploaded in parallel (each with its Content-MD5), a JSON
 * upload callback on completion, the CRC-64 of the object checked, and a progress bar drawn on the terminal by the
 * progress callback (which libossrs always calls on this thread).
 *
 * Environment: OSS_ENDPOINT, OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_BUCKET, OSS_OBJECT, OSS_CALLBACK_URL,
 * OSS_PART_SIZE (default 10 MiB), OSS_PARALLELISM (default 4), OSS_CHECKPOINT (a checkpoint file: makes the upload
 * resumable; rerun the program after a failure or kill and only the missing parts are sent). Argument: the file. */
#include <stdio.h>
#include <stdlib.h>

#include "example.h"

/* Draws "[#####     ]  52% part 7" and never cancels (returning non-zero would). */
static int32_t draw_progress(void *userdata, uint32_t part_number, uint64_t done, uint64_t total) {
    int width = 40, filled = total ? (int)(done * (uint64_t)width / total) : width, i;
    FILE *out = (FILE *)userdata;
    fputc('\r', out);
    fputc('[', out);
    for (i = 0; i < width; i++) {
        fputc(i < filled ? '#' : ' ', out);
    }
    fprintf(out, "] %3d%% part %u", total ? (int)(done * 100 / total) : 100, (unsigned)part_number);
    fflush(out);
    return 0;
}

int main(int argc, char **argv) {
    const char *bucket = env_or("OSS_BUCKET", "bkt");
    const char *object = env_or("OSS_OBJECT", "upload-file.bin");
    char callback[512];
    const oss_client *client;
    oss_options *options;
    oss_response *resp = NULL;
    oss_error *err = NULL;
    oss_result rc;

    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 2;
    }
    snprintf(callback, sizeof callback,
             "{\"callbackUrl\":\"%s\",\"callbackBody\":\"{\\\"object\\\":${object},\\\"size\\\":${size}}\","
             "\"callbackBodyType\":\"application/json\"}",
             env_or("OSS_CALLBACK_URL", "http://127.0.0.1:9090"));
    client = client_from_env();
    if (client == NULL) {
        return 1;
    }
    options = oss_options_new();
    rc = oss_options_set_part_size(options, strtoull(env_or("OSS_PART_SIZE", "10485760"), NULL, 10), &err);
    if (rc == OSS_RESULT_OK) {
        rc = oss_options_set_parallelism(options, (uint32_t)strtoul(env_or("OSS_PARALLELISM", "4"), NULL, 10), &err);
    }
    if (rc == OSS_RESULT_OK && getenv("OSS_CHECKPOINT") != NULL) {
        rc = oss_options_set_checkpoint_file(options, getenv("OSS_CHECKPOINT"), &err);
    }
    if (rc == OSS_RESULT_OK) {
        rc = oss_upload_file(client, bucket, object, argv[1], callback, NULL, options, draw_progress, stderr, &resp, &err);
    }
    fputc('\n', stderr);
    oss_options_free(options);
    oss_client_free(client);
    if (rc != OSS_RESULT_OK) {
        return report("upload_file", rc, err);
    }
    fwrite(oss_response_body(resp), 1, oss_response_body_len(resp), stdout);
    printf("\n%u\netag: %s\n", (unsigned)oss_response_status(resp), oss_response_etag(resp));
    oss_response_free(resp);
    return 0;
}
