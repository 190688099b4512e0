/* transport.h - HTTPS to the collector: libcurl's multi interface driven by
 * the libuv loop, so the daemon never blocks on the network.
 *
 * Every request is mutual TLS with the agent's key and certificate, checked
 * against the pinned CA and the collector's name. Connections are kept and
 * reused between requests. */
#ifndef HYGIE_TRANSPORT_H
#define HYGIE_TRANSPORT_H

#include <curl/curl.h>
#include <stdbool.h>
#include <uv.h>

#include "curl_api.h"
#include "state.h"

#define TRANSPORT_RESPONSE_MAX (1024 * 1024)

struct transport;
struct transport_req;

typedef void transport_done_fn(struct transport_req *r);

struct transport_req {
        CURL *easy;
        struct curl_slist *headers;
        char *body; /* the response, NUL-terminated, bounded */
        size_t len;
        long status; /* HTTP status, 0 when none came back */
        CURLcode result;
        char error[CURL_ERROR_SIZE];
        long retry_after; /* seconds, -1 when absent */
        char etag[64];
        transport_done_fn *done; /* called on the loop; then transport_req_free */
        void *user;
        struct transport *t;
        struct transport_req *next; /* among the requests under way */
};

struct transport {
        uv_loop_t *loop;
        uv_timer_t timer;
        const struct curl_api *cu;
        CURLM *multi;
        char base[512];
        char ca[PATH_MAX], cert[PATH_MAX], key[PATH_MAX];
        struct transport_req *active; /* under way */
};

int transport_init(struct transport *t, uv_loop_t *loop, const struct agent_state *st);
/* Starts a request (path below the server URL). body may be NULL; it is
 * copied. headers: NULL-terminated "Name: value" lines, or NULL. */
int transport_start(struct transport *t, struct transport_req *r, const char *method,
                    const char *path, const void *body, size_t len, const char *const *headers);
void transport_req_free(struct transport_req *r);
/* Aborts the requests under way (their done callbacks do not run) and
 * closes the timer; the loop then ends once the close callbacks ran. */
void transport_close(struct transport *t);

/* What went wrong, in a line, for a finished request that did not get 2xx. */
const char *transport_describe(const struct transport_req *r, char *buf, size_t size);

#endif
