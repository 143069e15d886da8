#define FFI_SCOPE "OSSRS"
#define FFI_LIB "libossrs.so"

/* ossrs 0.1.0: generated from the same sources as include/ossrs.h. Do not edit. */

typedef enum oss_result {
  OSS_RESULT_OK = 0,
  OSS_RESULT_NULL_PARAMETER = 100,
  OSS_RESULT_INVALID_UTF8 = 101,
  OSS_RESULT_INVALID_ARGUMENT = 102,
  OSS_RESULT_INVALID_BUCKET_NAME = 103,
  OSS_RESULT_INVALID_OBJECT_NAME = 104,
  OSS_RESULT_INVALID_PART_NUMBER = 105,
  OSS_RESULT_INVALID_CALLBACK = 106,
  OSS_RESULT_INVALID_HEADER = 107,
  OSS_RESULT_INVALID_ENDPOINT = 108,
  OSS_RESULT_INVALID_CONFIG = 109,
  OSS_RESULT_ALREADY_USED = 110,
  OSS_RESULT_INVALID_HANDLE = 111,
  OSS_RESULT_WRONG_PROCESS = 112,
  OSS_RESULT_INSUFFICIENT_SIZE = 113,
  OSS_RESULT_PANIC = 199,
  OSS_RESULT_FILE_NOT_FOUND = 200,
  OSS_RESULT_FILE_UNREADABLE = 201,
  OSS_RESULT_RANGE_OUT_OF_FILE = 202,
  OSS_RESULT_IO = 203,
  OSS_RESULT_CONNECT = 300,
  OSS_RESULT_TIMEOUT = 301,
  OSS_RESULT_TRANSPORT = 302,
  OSS_RESULT_SERVICE_ERROR = 400,
  OSS_RESULT_CALLBACK_FAILED = 401,
  OSS_RESULT_INVALID_RESPONSE = 402,
  OSS_RESULT_CRC64_MISMATCH = 500,
  OSS_RESULT_ABORTED_BY_CALLBACK = 501,
  OSS_RESULT_CALLBACK_SIGNATURE_INVALID = 600,
  OSS_RESULT_CALLBACK_KEY_URL_NOT_ALLOWED = 601,
  OSS_RESULT_CALLBACK_KEY_FETCH_FAILED = 602,
  OSS_RESULT_CALLBACK_MALFORMED = 603,
} oss_result;

typedef struct oss_callback_verifier oss_callback_verifier;

typedef struct oss_client oss_client;

typedef struct oss_config_builder oss_config_builder;

typedef struct oss_error oss_error;

typedef struct oss_options oss_options;

typedef struct oss_post_form oss_post_form;

typedef struct oss_response oss_response;

typedef struct oss_part {
  uint32_t part_number;
  const char *etag;
} oss_part;

typedef int32_t (*oss_write_fn)(void *userdata,
                                const uint8_t *data,
                                size_t len);

typedef int64_t (*oss_read_fn)(void *userdata,
                               uint8_t *buf,
                               size_t cap);

typedef int32_t (*oss_progress_fn)(void *userdata,
                                   uint32_t part_number,
                                   uint64_t bytes_done,
                                   uint64_t bytes_total);

const char *oss_operations(void);

enum oss_result oss_client_call(const struct oss_client *client,
                                const char *operation,
                                const char *bucket,
                                const char *object,
                                const struct oss_options *options,
                                const void *body,
                                size_t body_len,
                                struct oss_response **response_out,
                                struct oss_error **error_out);

enum oss_result oss_callback_verifier_new(const char *const *allowed_prefixes,
                                          size_t count,
                                          struct oss_callback_verifier **verifier_out,
                                          struct oss_error **error_out);

enum oss_result oss_callback_verifier_set_public_key_pem(struct oss_callback_verifier *verifier,
                                                         const char *pem,
                                                         struct oss_error **error_out);

enum oss_result oss_callback_verifier_verify(const struct oss_callback_verifier *verifier,
                                             const char *path,
                                             const char *query,
                                             const void *body,
                                             size_t body_len,
                                             const char *authorization,
                                             const char *pub_key_url,
                                             struct oss_error **error_out);

void oss_callback_verifier_free(struct oss_callback_verifier *verifier);

void oss_client_free(const struct oss_client *client);

uint64_t oss_client_id(const struct oss_client *client);

struct oss_config_builder *oss_config_builder_new(void);

enum oss_result oss_config_builder_set(struct oss_config_builder *builder,
                                       const char *key,
                                       const char *value,
                                       struct oss_error **error_out);

enum oss_result oss_config_builder_build(struct oss_config_builder *builder,
                                         const struct oss_client **client_out,
                                         struct oss_error **error_out);

enum oss_result oss_config_builder_build_shared(struct oss_config_builder *builder,
                                                const struct oss_client **client_out,
                                                struct oss_error **error_out);

enum oss_result oss_client_build_shared(const char *settings,
                                        size_t settings_len,
                                        const struct oss_client **client_out,
                                        struct oss_error **error_out);

void oss_config_builder_free(struct oss_config_builder *builder);

enum oss_result oss_content_md5(const void *data,
                                size_t len,
                                char *md5_out,
                                size_t md5_out_len,
                                struct oss_error **error_out);

enum oss_result oss_file_content_md5(const char *path,
                                     uint64_t offset,
                                     uint64_t length,
                                     char *md5_out,
                                     size_t md5_out_len,
                                     struct oss_error **error_out);

const char *oss_content_type_for_name(const char *name);

enum oss_result oss_error_result(const struct oss_error *error);

const char *oss_error_message(const struct oss_error *error);

uint16_t oss_error_http_status(const struct oss_error *error);

const char *oss_error_code(const struct oss_error *error);

const char *oss_error_oss_message(const struct oss_error *error);

const char *oss_error_request_id(const struct oss_error *error);

const char *oss_error_host_id(const struct oss_error *error);

const uint8_t *oss_error_body(const struct oss_error *error);

size_t oss_error_body_len(const struct oss_error *error);

const struct oss_response *oss_error_response(const struct oss_error *error);

uint32_t oss_error_attempts(const struct oss_error *error);

void oss_error_free(struct oss_error *error);

enum oss_result oss_initiate_multipart_upload(const struct oss_client *client,
                                              const char *bucket,
                                              const char *object,
                                              const struct oss_options *options,
                                              struct oss_response **response_out,
                                              struct oss_error **error_out);

enum oss_result oss_upload_part(const struct oss_client *client,
                                const char *bucket,
                                const char *object,
                                const char *upload_id,
                                uint32_t part_number,
                                const void *data,
                                size_t len,
                                const char *content_md5,
                                const struct oss_options *options,
                                struct oss_response **response_out,
                                struct oss_error **error_out);

enum oss_result oss_upload_part_from_file(const struct oss_client *client,
                                          const char *bucket,
                                          const char *object,
                                          const char *upload_id,
                                          uint32_t part_number,
                                          const char *path,
                                          uint64_t offset,
                                          uint64_t length,
                                          const char *content_md5,
                                          const struct oss_options *options,
                                          struct oss_response **response_out,
                                          struct oss_error **error_out);

enum oss_result oss_complete_multipart_upload(const struct oss_client *client,
                                              const char *bucket,
                                              const char *object,
                                              const char *upload_id,
                                              const struct oss_part *parts,
                                              size_t part_count,
                                              const char *callback,
                                              const char *callback_var,
                                              const struct oss_options *options,
                                              struct oss_response **response_out,
                                              struct oss_error **error_out);

enum oss_result oss_abort_multipart_upload(const struct oss_client *client,
                                           const char *bucket,
                                           const char *object,
                                           const char *upload_id,
                                           const struct oss_options *options,
                                           struct oss_response **response_out,
                                           struct oss_error **error_out);

enum oss_result oss_list_parts(const struct oss_client *client,
                               const char *bucket,
                               const char *object,
                               const char *upload_id,
                               const struct oss_options *options,
                               struct oss_response **response_out,
                               struct oss_error **error_out);

enum oss_result oss_get_object(const struct oss_client *client,
                               const char *bucket,
                               const char *object,
                               const struct oss_options *options,
                               struct oss_response **response_out,
                               struct oss_error **error_out);

enum oss_result oss_head_object(const struct oss_client *client,
                                const char *bucket,
                                const char *object,
                                const struct oss_options *options,
                                struct oss_response **response_out,
                                struct oss_error **error_out);

enum oss_result oss_delete_object(const struct oss_client *client,
                                  const char *bucket,
                                  const char *object,
                                  const struct oss_options *options,
                                  struct oss_response **response_out,
                                  struct oss_error **error_out);

enum oss_result oss_get_object_to_sink(const struct oss_client *client,
                                       const char *bucket,
                                       const char *object,
                                       const struct oss_options *options,
                                       oss_write_fn write,
                                       void *userdata,
                                       struct oss_response **response_out,
                                       struct oss_error **error_out);

enum oss_result oss_get_object_to_file(const struct oss_client *client,
                                       const char *bucket,
                                       const char *object,
                                       const char *path,
                                       const struct oss_options *options,
                                       struct oss_response **response_out,
                                       struct oss_error **error_out);

struct oss_options *oss_options_new(void);

enum oss_result oss_options_set_header(struct oss_options *options,
                                       const char *name,
                                       const char *value,
                                       struct oss_error **error_out);

enum oss_result oss_options_set_query(struct oss_options *options,
                                      const char *name,
                                      const char *value,
                                      struct oss_error **error_out);

enum oss_result oss_options_set_check_md5(struct oss_options *options,
                                          bool enabled,
                                          struct oss_error **error_out);

enum oss_result oss_options_set_part_size(struct oss_options *options,
                                          uint64_t part_size,
                                          struct oss_error **error_out);

enum oss_result oss_options_set_parallelism(struct oss_options *options,
                                            uint32_t parallelism,
                                            struct oss_error **error_out);

enum oss_result oss_options_set_keep_on_failure(struct oss_options *options,
                                                bool keep,
                                                struct oss_error **error_out);

enum oss_result oss_options_set_checkpoint_file(struct oss_options *options,
                                                const char *path,
                                                struct oss_error **error_out);

enum oss_result oss_options_set_file_range(struct oss_options *options,
                                           uint64_t offset,
                                           uint64_t length,
                                           struct oss_error **error_out);

enum oss_result oss_options_set_upload_id(struct oss_options *options,
                                          const char *upload_id,
                                          struct oss_error **error_out);

enum oss_result oss_options_set_body_file(struct oss_options *options,
                                          const char *path,
                                          struct oss_error **error_out);

enum oss_result oss_options_set_body_reader(struct oss_options *options,
                                            oss_read_fn read,
                                            void *userdata,
                                            int64_t length,
                                            struct oss_error **error_out);

enum oss_result oss_options_set_callback(struct oss_options *options,
                                         const char *callback,
                                         const char *callback_var,
                                         struct oss_error **error_out);

void oss_options_free(struct oss_options *options);

enum oss_result oss_post_form_new(const struct oss_client *client,
                                  const char *bucket,
                                  const char *spec,
                                  uint64_t now,
                                  struct oss_post_form **form_out,
                                  struct oss_error **error_out);

const char *oss_post_form_url(const struct oss_post_form *form);

const char *oss_post_form_json(const struct oss_post_form *form);

size_t oss_post_form_field_count(const struct oss_post_form *form);

const char *oss_post_form_field_name(const struct oss_post_form *form,
                                     size_t index);

const char *oss_post_form_field_value(const struct oss_post_form *form,
                                      size_t index);

void oss_post_form_free(struct oss_post_form *form);

enum oss_result oss_presign_url(const struct oss_client *client,
                                const char *method,
                                const char *bucket,
                                const char *object,
                                uint64_t expires,
                                const char *callback,
                                const char *callback_var,
                                const struct oss_options *options,
                                char **url_out,
                                struct oss_error **error_out);

void oss_string_free(char *s);

enum oss_result oss_put_object_with_callback(const struct oss_client *client,
                                             const char *bucket,
                                             const char *object,
                                             const void *data,
                                             size_t len,
                                             const char *callback,
                                             const char *callback_var,
                                             const struct oss_options *options,
                                             struct oss_response **response_out,
                                             struct oss_error **error_out);

enum oss_result oss_put_object_from_file_with_callback(const struct oss_client *client,
                                                       const char *bucket,
                                                       const char *object,
                                                       const char *path,
                                                       const char *callback,
                                                       const char *callback_var,
                                                       const struct oss_options *options,
                                                       struct oss_response **response_out,
                                                       struct oss_error **error_out);

const char *oss_response_head(const struct oss_response *response);

const char *oss_response_json(const struct oss_response *response);

uint16_t oss_response_status(const struct oss_response *response);

size_t oss_response_header_count(const struct oss_response *response);

const char *oss_response_header_name(const struct oss_response *response,
                                     size_t index);

const char *oss_response_header_value(const struct oss_response *response,
                                      size_t index);

const char *oss_response_header(const struct oss_response *response,
                                const char *name);

const char *oss_response_request_id(const struct oss_response *response);

const char *oss_response_etag(const struct oss_response *response);

const uint8_t *oss_response_body(const struct oss_response *response);

size_t oss_response_body_len(const struct oss_response *response);

const char *oss_response_url(const struct oss_response *response);

const char *oss_response_method(const struct oss_response *response);

uint64_t oss_response_total_time_us(const struct oss_response *response);

uint64_t oss_response_bytes_sent(const struct oss_response *response);

bool oss_response_recovered(const struct oss_response *response);

const char *oss_response_upload_id(const struct oss_response *response);

size_t oss_response_part_count(const struct oss_response *response);

uint32_t oss_response_part_number(const struct oss_response *response,
                                  size_t index);

const char *oss_response_part_etag(const struct oss_response *response,
                                   size_t index);

uint64_t oss_response_part_size(const struct oss_response *response,
                                size_t index);

const char *oss_response_part_last_modified(const struct oss_response *response,
                                            size_t index);

uint32_t oss_response_max_parts(const struct oss_response *response);

bool oss_response_parts_truncated(const struct oss_response *response);

uint32_t oss_response_next_part_number_marker(const struct oss_response *response);

void oss_response_free(struct oss_response *response);

const char *oss_result_message(enum oss_result result);

enum oss_result oss_upload_file(const struct oss_client *client,
                                const char *bucket,
                                const char *object,
                                const char *path,
                                const char *callback,
                                const char *callback_var,
                                const struct oss_options *options,
                                oss_progress_fn progress,
                                void *userdata,
                                struct oss_response **response_out,
                                struct oss_error **error_out);

const char *oss_version(void);
