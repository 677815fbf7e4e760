#include "CCurl.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

struct ahub_http_session {
    CURL *easy;
};

int ahub_http_global_init(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

const char *ahub_http_version(void) { return curl_version(); }

int ahub_flag_get(const int *flag) { return __atomic_load_n(flag, __ATOMIC_ACQUIRE); }
void ahub_flag_set(int *flag, int value) { __atomic_store_n(flag, value, __ATOMIC_RELEASE); }

ahub_http_session *ahub_http_session_new(void) {
    ahub_http_session *session = calloc(1, sizeof *session);
    if (!session) return NULL;
    session->easy = curl_easy_init();
    if (!session->easy) { free(session); return NULL; }
    return session;
}

void ahub_http_session_free(ahub_http_session *session) {
    if (!session) return;
    curl_easy_cleanup(session->easy);
    free(session);
}

typedef struct buffer {
    char *bytes;
    size_t length, capacity;
} buffer;

static int buffer_append(buffer *b, const char *bytes, size_t length) {
    if (b->length + length + 1 > b->capacity) {
        size_t capacity = b->capacity ? b->capacity : 16384;
        while (capacity < b->length + length + 1) capacity *= 2;
        char *grown = realloc(b->bytes, capacity);
        if (!grown) return -1;
        b->bytes = grown;
        b->capacity = capacity;
    }
    memcpy(b->bytes + b->length, bytes, length);
    b->length += length;
    b->bytes[b->length] = 0;
    return 0;
}

typedef struct transfer {
    const ahub_http_options *options;
    ahub_http_result *result;
    buffer body, headers;
    int64_t received;
} transfer;

static size_t on_body(char *bytes, size_t size, size_t count, void *userdata) {
    transfer *t = userdata;
    size_t length = size * count;
    t->received += (int64_t)length;
    if (t->options->max_bytes > 0 && t->received > t->options->max_bytes) {
        t->result->exceeded = 1;
        return 0; // CURLE_WRITE_ERROR
    }
    if (t->options->on_data) {
        if (t->options->on_data(t->options->context, bytes, length) != 0) return 0;
        // The reader may have seen all it wants (a stream's end marker): stop now, not at the next progress call.
        if (t->options->cancel && ahub_flag_get(t->options->cancel)) {
            t->result->cancelled = 1;
            return 0;
        }
        return length;
    }
    return buffer_append(&t->body, bytes, length) == 0 ? length : 0;
}

static size_t on_header(char *bytes, size_t size, size_t count, void *userdata) {
    transfer *t = userdata;
    size_t length = size * count;
    // Each response (a redirect, a 100 Continue) starts with its status line: keep the last block only.
    if (length >= 5 && memcmp(bytes, "HTTP/", 5) == 0) t->headers.length = 0;
    return buffer_append(&t->headers, bytes, length) == 0 ? length : 0;
}

static int on_progress(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow) {
    (void)dltotal; (void)dlnow; (void)ultotal; (void)ulnow;
    transfer *t = userdata;
    if (t->options->cancel && ahub_flag_get(t->options->cancel)) {
        t->result->cancelled = 1;
        return 1;
    }
    return 0;
}

void ahub_http_perform(ahub_http_session *session, const ahub_http_options *o, ahub_http_result *r) {
    memset(r, 0, sizeof *r);
    if (!session || !session->easy) {
        r->curl_code = CURLE_FAILED_INIT;
        strncpy(r->error, "libcurl could not start a transfer", sizeof r->error - 1);
        return;
    }
    CURL *easy = session->easy;
    curl_easy_reset(easy); // keeps live connections, the DNS cache and TLS sessions

    transfer t = {.options = o, .result = r};
    struct curl_slist *headers = NULL;
    for (int i = 0; i < o->header_count; i++) headers = curl_slist_append(headers, o->headers[i]);

    curl_easy_setopt(easy, CURLOPT_URL, o->url);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, o->max_redirects > 0 ? 1L : 0L);
    curl_easy_setopt(easy, CURLOPT_MAXREDIRS, o->max_redirects);
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, ""); // every encoding this libcurl decodes
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
    if (o->ca_bundle) curl_easy_setopt(easy, CURLOPT_CAINFO, o->ca_bundle);
    if (o->user_agent) curl_easy_setopt(easy, CURLOPT_USERAGENT, o->user_agent);
    if (o->connect_timeout_ms > 0) curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
    if (o->timeout_ms > 0) curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, o->timeout_ms);
    if (o->max_bytes > 0) curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_bytes);
    if (headers) curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    if (o->method) curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, o->method);
    if (o->body) {
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)o->body_length);
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, o->body);
    }
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(easy, CURLOPT_XFERINFODATA, &t);
    curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
    char error[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error);

    CURLcode code = curl_easy_perform(easy);
    r->curl_code = (int)code;
    if (code != CURLE_OK) {
        const char *message = error[0] ? error : curl_easy_strerror(code);
        strncpy(r->error, message, sizeof r->error - 1);
    }
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &r->status);
    long version = 0;
    curl_easy_getinfo(easy, CURLINFO_HTTP_VERSION, &version);
    switch (version) {
    case CURL_HTTP_VERSION_1_0: r->http_version = 10; break;
    case CURL_HTTP_VERSION_1_1: r->http_version = 11; break;
    case CURL_HTTP_VERSION_2_0: r->http_version = 20; break;
    case CURL_HTTP_VERSION_3: r->http_version = 30; break;
    default: r->http_version = 0;
    }
    curl_easy_getinfo(easy, CURLINFO_REDIRECT_COUNT, &r->redirects);
    char *effective = NULL;
    curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL, &effective);
    if (effective) r->effective_url = strdup(effective);
    r->body = t.body.bytes;
    r->body_length = t.body.length;
    r->headers = t.headers.bytes;
    r->headers_length = t.headers.length;
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, NULL);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(headers);
}

void ahub_http_result_free(ahub_http_result *r) {
    free(r->body);
    free(r->headers);
    free(r->effective_url);
    r->body = r->headers = r->effective_url = NULL;
}
