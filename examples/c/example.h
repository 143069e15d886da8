/* Helpers shared by the ossrs C examples: configuration from the environment and error reporting. */
#ifndef OSSRS_EXAMPLE_H
#define OSSRS_EXAMPLE_H

#include <stdio.h>
#include <stdlib.h>

#include "ossrs.h"

/* The value of environment variable `name`, or `fallback` when it is unset. */
static const char *env_or(const char *name, const char *fallback) {
    const char *v = getenv(name);
    return (v != NULL && v[0] != '\0') ? v : fallback;
}

/* Prints everything an error object knows (code, message, HTTP status, OSS code, request id), frees it and
 * returns 1, so callers can write `return report("what", rc, err);`. */
static int report(const char *what, oss_result rc, oss_error *err) {
    fprintf(stderr, "%s failed: result %d (%s)\n", what, (int)rc, oss_result_message(rc));
    if (err != NULL) {
        fprintf(stderr, "  message:     %s\n", oss_error_message(err));
        if (oss_error_http_status(err) != 0) {
            fprintf(stderr, "  http status: %u\n", (unsigned)oss_error_http_status(err));
            fprintf(stderr, "  OSS code:    %s\n", oss_error_code(err));
            fprintf(stderr, "  OSS message: %s\n", oss_error_oss_message(err));
            fprintf(stderr, "  request id:  %s\n", oss_error_request_id(err));
        }
        oss_error_free(err);
    }
    return 1;
}

/* Builds a client from OSS_ENDPOINT, OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET (and OSS_SESSION_TOKEN,
 * OSS_REGION + OSS_SIGNATURE_VERSION when set). Returns NULL after printing the error. */
static const oss_client *client_from_env(void) {
    static const char *keys[][2] = {
        {"endpoint", "OSS_ENDPOINT"},
        {"access_key_id", "OSS_ACCESS_KEY_ID"},
        {"access_key_secret", "OSS_ACCESS_KEY_SECRET"},
        {"security_token", "OSS_SESSION_TOKEN"},
        {"region", "OSS_REGION"},
        {"signature_version", "OSS_SIGNATURE_VERSION"},
    };
    oss_config_builder *builder = oss_config_builder_new();
    const oss_client *client = NULL;
    oss_error *err = NULL;
    size_t i;
    oss_result rc = OSS_RESULT_OK;
    for (i = 0; i < sizeof keys / sizeof keys[0] && rc == OSS_RESULT_OK; i++) {
        const char *value = getenv(keys[i][1]);
        if (value != NULL) {
            rc = oss_config_builder_set(builder, keys[i][0], value, &err);
        }
    }
    if (rc == OSS_RESULT_OK) {
        rc = oss_config_builder_build(builder, &client, &err);
    }
    oss_config_builder_free(builder);
    if (rc != OSS_RESULT_OK) {
        report("creating the client", rc, err);
        return NULL;
    }
    return client;
}

#endif
