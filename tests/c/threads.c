/* One client shared by 8 threads doing 100 uploads each; every object is read back and compared.
 * Environment: OSS_ENDPOINT, OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_BUCKET. Exit status 0 on success. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "../../examples/c/example.h"

#define THREADS 8
#define UPLOADS 100

static const oss_client *client;
static const char *bucket;

static void *worker(void *arg) {
    int t = *(int *)arg, i, failures = 0;
    char key[64], body[128];
    for (i = 0; i < UPLOADS; i++) {
        oss_response *resp = NULL;
        oss_error *err = NULL;
        int len = snprintf(body, sizeof body, "thread %d upload %d: %s", t, i, i % 2 ? "odd" : "even");
        snprintf(key, sizeof key, "threads/%d/%d.txt", t, i);
        if (oss_put_object_with_callback(client, bucket, key, body, (size_t)len, NULL, NULL, NULL, NULL, &err) != OSS_RESULT_OK) {
            fprintf(stderr, "put %s: %s\n", key, oss_error_message(err));
            oss_error_free(err);
            failures++;
            continue;
        }
        if (oss_get_object(client, bucket, key, NULL, &resp, &err) != OSS_RESULT_OK) {
            fprintf(stderr, "get %s: %s\n", key, oss_error_message(err));
            oss_error_free(err);
            failures++;
            continue;
        }
        if (oss_response_body_len(resp) != (size_t)len || memcmp(oss_response_body(resp), body, (size_t)len) != 0) {
            fprintf(stderr, "%s: read back different bytes\n", key);
            failures++;
        }
        oss_response_free(resp);
    }
    *(int *)arg = failures;
    return NULL;
}

int main(void) {
    pthread_t threads[THREADS];
    int ids[THREADS], t, failures = 0;
    bucket = env_or("OSS_BUCKET", "bkt");
    client = client_from_env();
    if (client == NULL) {
        return 1;
    }
    for (t = 0; t < THREADS; t++) {
        ids[t] = t;
        if (pthread_create(&threads[t], NULL, worker, &ids[t]) != 0) {
            return 1;
        }
    }
    for (t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        failures += ids[t];
    }
    oss_client_free(client);
    printf("%d uploads by %d threads, %d failures\n", THREADS * UPLOADS, THREADS, failures);
    return failures == 0 ? 0 : 1;
}
