/* The C side of `make bench` (bench/run.py drives it): one libossrs client per process.
 *
 *   bench_client upload FILE PARALLELISM PART_SIZE
 *       W1 (b): the managed upload oss_upload_file (initiate, parts in parallel with Content-MD5, complete with
 *       the JSON callback), progress NULL.
 *   bench_client put COUNT SIZE
 *       W2: COUNT sequential oss_put_object_with_callback calls of SIZE random bytes each, on one client.
 *
 * Environment: OSS_ENDPOINT (http:// or https://), OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_BUCKET, OSS_OBJECT,
 * OSS_CALLBACK_URL, OSS_CALLBACK_HOST, OSS_CA_CERT_FILE (optional: an extra PEM CA, the `ca_cert_file` setting; W2
 * over HTTPS). On success prints one line `elapsed_s=<seconds> status=<http> body=<reply>`, where the
 * elapsed time covers the uploads only (not process start-up, client creation or buffer filling); exits 1 after
 * printing the error otherwise. */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ossrs.h"

/* The JSON callback of php-example/samples/multipart_callback.php, byte for byte but for its placeholders. */
static const char *CALLBACK_FMT =
    "{\n"
    "        \"callbackUrl\":\"%s\",\n"
    "        \"callbackHost\":\"%s\",\n"
    "        \"callbackBody\":\"{\\\"mimeType\\\":${mimeType},\\\"size\\\":${size},\\\"x:var1\\\":${x:var1},"
    "\\\"x:var2\\\":${x:var2}}\",\n"
    "        \"callbackBodyType\":\"application/json\"\n"
    "    }";
static const char *CALLBACK_VAR = "{\n        \"x:var1\":\"value1\",\n        \"x:var2\":\"\xe5\x80\xbc" "2\"\n    }";

static const char *env_or(const char *name, const char *fallback) {
    const char *v = getenv(name);
    return (v != NULL && v[0] != '\0') ? v : fallback;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fail(const char *what, oss_result rc, oss_error *err) {
    fprintf(stderr, "%s failed: result %d (%s)", what, (int)rc, oss_result_message(rc));
    if (err != NULL) {
        fprintf(stderr, ": %s (http %u, request id %s)", oss_error_message(err), (unsigned)oss_error_http_status(err),
                oss_error_request_id(err));
        oss_error_free(err);
    }
    fputc('\n', stderr);
    return 1;
}

static const oss_client *make_client(void) {
    static const char *keys[][2] = {
        {"endpoint", "OSS_ENDPOINT"},
        {"access_key_id", "OSS_ACCESS_KEY_ID"},
        {"access_key_secret", "OSS_ACCESS_KEY_SECRET"},
        {"ca_cert_file", "OSS_CA_CERT_FILE"}, /* empty (unset): the system store only */
    };
    oss_config_builder *builder = oss_config_builder_new();
    const oss_client *client = NULL;
    oss_error *err = NULL;
    oss_result rc = OSS_RESULT_OK;
    size_t i;
    for (i = 0; i < sizeof keys / sizeof keys[0] && rc == OSS_RESULT_OK; i++) {
        rc = oss_config_builder_set(builder, keys[i][0], env_or(keys[i][1], ""), &err);
    }
    if (rc == OSS_RESULT_OK) {
        rc = oss_config_builder_build(builder, &client, &err);
    }
    oss_config_builder_free(builder);
    if (rc != OSS_RESULT_OK) {
        fail("creating the client", rc, err);
        return NULL;
    }
    return client;
}

static void print_ok(double elapsed, const oss_response *resp) {
    printf("elapsed_s=%.6f status=%u body=", elapsed, (unsigned)oss_response_status(resp));
    fwrite(oss_response_body(resp), 1, oss_response_body_len(resp), stdout);
    putchar('\n');
}

static int run_upload(const oss_client *client, const char *bucket, const char *object, const char *callback,
                      const char *path, unsigned long parallelism, unsigned long long part_size) {
    oss_options *options = oss_options_new();
    oss_response *resp = NULL;
    oss_error *err = NULL;
    oss_result rc;
    double t0;
    if (options == NULL) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    rc = oss_options_set_part_size(options, (uint64_t)part_size, &err);
    if (rc == OSS_RESULT_OK) {
        rc = oss_options_set_parallelism(options, (uint32_t)parallelism, &err);
    }
    if (rc != OSS_RESULT_OK) {
        oss_options_free(options);
        return fail("setting the options", rc, err);
    }
    t0 = now_s();
    rc = oss_upload_file(client, bucket, object, path, callback, CALLBACK_VAR, options, NULL, NULL, &resp, &err);
    if (rc != OSS_RESULT_OK) {
        oss_options_free(options);
        return fail("oss_upload_file", rc, err);
    }
    print_ok(now_s() - t0, resp);
    oss_response_free(resp);
    oss_options_free(options);
    return 0;
}

static int run_put(const oss_client *client, const char *bucket, const char *object, const char *callback,
                   unsigned long count, size_t size) {
    unsigned char *data = malloc(size > 0 ? size : 1);
    char key[1100];
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    oss_response *resp = NULL;
    oss_error *err = NULL;
    oss_result rc;
    unsigned long i;
    size_t j;
    double t0;
    if (data == NULL) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (j = 0; j < size; j++) { /* xorshift: incompressible bytes without reading /dev/urandom */
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        data[j] = (unsigned char)(x >> 24);
    }
    t0 = now_s();
    for (i = 0; i < count; i++) {
        if (resp != NULL) {
            oss_response_free(resp);
            resp = NULL;
        }
        snprintf(key, sizeof key, "%s-%lu.bin", object, i);
        rc = oss_put_object_with_callback(client, bucket, key, data, size, callback, CALLBACK_VAR, NULL, &resp, &err);
        if (rc != OSS_RESULT_OK) {
            free(data);
            fprintf(stderr, "request %lu of %lu: ", i + 1, count);
            return fail("oss_put_object_with_callback", rc, err);
        }
    }
    print_ok(now_s() - t0, resp);
    oss_response_free(resp);
    free(data);
    return 0;
}

int main(int argc, char **argv) {
    const char *bucket = env_or("OSS_BUCKET", "bkt");
    const char *object = env_or("OSS_OBJECT", "bench/object");
    const oss_client *client;
    char callback[2048];
    int status;
    if (argc < 2 || (strcmp(argv[1], "upload") == 0 && argc != 5) || (strcmp(argv[1], "put") == 0 && argc != 4) ||
        (strcmp(argv[1], "upload") != 0 && strcmp(argv[1], "put") != 0)) {
        fprintf(stderr, "usage: %s upload FILE PARALLELISM PART_SIZE | put COUNT SIZE\n", argv[0]);
        return 2;
    }
    snprintf(callback, sizeof callback, CALLBACK_FMT, env_or("OSS_CALLBACK_URL", "http://127.0.0.1:9090"),
             env_or("OSS_CALLBACK_HOST", "127.0.0.1"));
    client = make_client();
    if (client == NULL) {
        return 1;
    }
    if (strcmp(argv[1], "upload") == 0) {
        status = run_upload(client, bucket, object, callback, argv[2], strtoul(argv[3], NULL, 10),
                            strtoull(argv[4], NULL, 10));
    } else {
        status = run_put(client, bucket, object, callback, strtoul(argv[2], NULL, 10), (size_t)strtoul(argv[3], NULL, 10));
    }
    oss_client_free(client);
    return status;
}
