#ifndef AHUB_CCURL_H
#define AHUB_CCURL_H

// A narrow C surface over libcurl's easy interface. libcurl's options are set
// through a variadic function that Swift cannot call; here they are plain fields.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Call once per process before any transfer (libcurl's global init is not thread-safe).
/// Returns 0 on success.
int ahub_http_global_init(void);

/// What libcurl was built with: "libcurl/7.88.1 OpenSSL/3.0 zlib nghttp2 ..."
const char *ahub_http_version(void);

/// A set of flags written by one thread (a signal handler's queue) and read by transfers.
int ahub_flag_get(const int *flag);
void ahub_flag_set(int *flag, int value);

/// Receives the body as it arrives instead of buffering it (server-sent events).
/// Return nonzero to abort the transfer.
typedef int (*ahub_http_data_callback)(void *context, const char *bytes, size_t length);

typedef struct ahub_http_options {
    const char *url;
    const char *method;             // NULL: GET
    const char *const *headers;     // "Name: value" lines
    int header_count;
    const char *body;               // request body for POST, or NULL
    size_t body_length;
    const char *user_agent;
    const char *ca_bundle;          // NULL: the system's CA store
    long connect_timeout_ms;
    long timeout_ms;                // the whole transfer
    long max_redirects;             // 0: do not follow redirects
    int64_t max_bytes;              // body size cap; 0: none
    const int *cancel;              // nonzero aborts the transfer; may be NULL
    ahub_http_data_callback on_data; // may be NULL
    void *context;
} ahub_http_options;

typedef struct ahub_http_result {
    int curl_code;                  // CURLE_OK (0) when a response was received
    long status;                    // HTTP status of the last response
    long http_version;              // 10, 11, 20, 30
    long redirects;
    int exceeded;                   // the body passed max_bytes
    int cancelled;                  // the cancel flag stopped it
    char error[256];                // libcurl's message when curl_code != 0
    char *body;                     // malloc'd; NULL when empty or streamed
    size_t body_length;
    char *headers;                  // the last response's header block, malloc'd
    size_t headers_length;
    char *effective_url;            // malloc'd
} ahub_http_result;

typedef struct ahub_http_session ahub_http_session;

/// A reusable transfer handle: keeps connections (and TLS sessions) alive between requests.
/// Not thread-safe: one thread at a time.
ahub_http_session *ahub_http_session_new(void);
void ahub_http_session_free(ahub_http_session *session);

/// Performs one request. Always fills `result`; free it with ahub_http_result_free.
void ahub_http_perform(ahub_http_session *session, const ahub_http_options *options, ahub_http_result *result);
void ahub_http_result_free(ahub_http_result *result);

/// curl error codes the Swift side tells apart.
enum {
    AHUB_CURLE_OK = 0,
    AHUB_CURLE_UNSUPPORTED_PROTOCOL = 1,
    AHUB_CURLE_URL_MALFORMAT = 3,
    AHUB_CURLE_COULDNT_RESOLVE_PROXY = 5,
    AHUB_CURLE_COULDNT_RESOLVE_HOST = 6,
    AHUB_CURLE_COULDNT_CONNECT = 7,
    AHUB_CURLE_PARTIAL_FILE = 18,
    AHUB_CURLE_WRITE_ERROR = 23,
    AHUB_CURLE_OUT_OF_MEMORY = 27,
    AHUB_CURLE_OPERATION_TIMEDOUT = 28,
    AHUB_CURLE_ABORTED_BY_CALLBACK = 42,
    AHUB_CURLE_TOO_MANY_REDIRECTS = 47,
    AHUB_CURLE_GOT_NOTHING = 52,
    AHUB_CURLE_SEND_ERROR = 55,
    AHUB_CURLE_RECV_ERROR = 56,
    AHUB_CURLE_PEER_FAILED_VERIFICATION = 60,
    AHUB_CURLE_BAD_CONTENT_ENCODING = 61,
    AHUB_CURLE_FILESIZE_EXCEEDED = 63,
    AHUB_CURLE_SSL_CACERT_BADFILE = 77,
    AHUB_CURLE_HTTP2 = 16,
    AHUB_CURLE_HTTP2_STREAM = 92,
    AHUB_CURLE_SSL_CONNECT_ERROR = 35,
    /* libcurl 8.6 and later: response headers past its limit */
    AHUB_CURLE_TOO_LARGE = 100,
};

#ifdef __cplusplus
}
#endif

#endif
