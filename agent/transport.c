/* transport.c - libcurl multi on libuv: one uv_poll per socket curl watches,
 * one uv_timer for curl's timeouts. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "log.h"
#include "transport.h"

struct sock {
        uv_poll_t poll;
        curl_socket_t fd;
        struct transport *t;
};

static void unlink_req(struct transport *t, struct transport_req *r)
{
        for (struct transport_req **p = &t->active; *p; p = &(*p)->next) {
                if (*p == r) {
                        *p = r->next;
                        r->next = NULL;
                        return;
                }
        }
}

static void check_done(struct transport *t)
{
        CURLMsg *msg;
        int left;

        while ((msg = t->cu->multi_info_read(t->multi, &left))) {
                struct transport_req *r;

                if (msg->msg != CURLMSG_DONE)
                        continue;
                t->cu->easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&r);
                r->result = msg->data.result;
                t->cu->easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &r->status);
                t->cu->multi_remove_handle(t->multi, r->easy);
                unlink_req(t, r);
                r->done(r);
        }
}

static void on_poll(uv_poll_t *p, int status, int events)
{
        struct sock *s = p->data;
        int flags = 0, running;

        if (status < 0)
                flags = CURL_CSELECT_ERR;
        if (events & UV_READABLE)
                flags |= CURL_CSELECT_IN;
        if (events & UV_WRITABLE)
                flags |= CURL_CSELECT_OUT;
        s->t->cu->multi_socket_action(s->t->multi, s->fd, flags, &running);
        check_done(s->t);
}

static void on_sock_closed(uv_handle_t *h)
{
        free(h->data);
}

static int on_socket(CURL *easy, curl_socket_t fd, int what, void *user, void *sockp)
{
        struct transport *t = user;
        struct sock *s = sockp;
        int events = 0;

        (void)easy;
        if (what == CURL_POLL_REMOVE) {
                if (s) {
                        uv_poll_stop(&s->poll);
                        uv_close((uv_handle_t *)&s->poll, on_sock_closed);
                        t->cu->multi_assign(t->multi, fd, NULL);
                }
                return 0;
        }
        if (!s) {
                s = calloc(1, sizeof(*s));
                if (!s)
                        return -1;
                s->fd = fd;
                s->t = t;
                if (uv_poll_init_socket(t->loop, &s->poll, fd) < 0) {
                        free(s);
                        return -1;
                }
                s->poll.data = s;
                t->cu->multi_assign(t->multi, fd, s);
        }
        if (what & CURL_POLL_IN)
                events |= UV_READABLE;
        if (what & CURL_POLL_OUT)
                events |= UV_WRITABLE;
        uv_poll_start(&s->poll, events, on_poll);
        return 0;
}

static void on_timer(uv_timer_t *timer)
{
        struct transport *t = timer->data;
        int running;

        t->cu->multi_socket_action(t->multi, CURL_SOCKET_TIMEOUT, 0, &running);
        check_done(t);
}

static int on_curl_timer(CURLM *multi, long ms, void *user)
{
        struct transport *t = user;

        (void)multi;
        if (ms < 0)
                uv_timer_stop(&t->timer);
        else
                uv_timer_start(&t->timer, on_timer, (uint64_t)ms, 0);
        return 0;
}

int transport_init(struct transport *t, uv_loop_t *loop, const struct agent_state *st)
{
        struct error e;

        memset(t, 0, sizeof(*t));
        t->loop = loop;
        snprintf(t->base, sizeof(t->base), "%s", st->server);
        state_path(st->dir, "ca.crt", t->ca, sizeof(t->ca));
        state_path(st->dir, "agent.crt", t->cert, sizeof(t->cert));
        state_path(st->dir, "agent.key", t->key, sizeof(t->key));
        if (!(t->cu = curl_api(&e))) {
                log_error("msg=\"cannot talk to the collector\" error=\"%s\"", e.msg);
                return -ENOENT;
        }
        t->multi = t->cu->multi_init();
        if (!t->multi)
                return -ENOMEM;
        uv_timer_init(loop, &t->timer);
        t->timer.data = t;
        t->cu->multi_setopt(t->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
        t->cu->multi_setopt(t->multi, CURLMOPT_SOCKETDATA, t);
        t->cu->multi_setopt(t->multi, CURLMOPT_TIMERFUNCTION, on_curl_timer);
        t->cu->multi_setopt(t->multi, CURLMOPT_TIMERDATA, t);
        return 0;
}

static size_t on_body(char *data, size_t size, size_t n, void *user)
{
        struct transport_req *r = user;
        size_t len = size * n;
        char *p;

        if (len > TRANSPORT_RESPONSE_MAX - r->len)
                return 0; /* too long: curl fails the transfer */
        p = realloc(r->body, r->len + len + 1);
        if (!p)
                return 0;
        memcpy(p + r->len, data, len);
        r->body = p;
        r->len += len;
        p[r->len] = '\0';
        return len;
}

static size_t on_header(char *data, size_t size, size_t n, void *user)
{
        struct transport_req *r = user;
        size_t len = size * n;
        char line[256];

        if (len >= sizeof(line))
                return len;
        memcpy(line, data, len);
        line[len] = '\0';
        line[strcspn(line, "\r\n")] = '\0';
        if (strncasecmp(line, "Retry-After:", 12) == 0) {
                char *end;
                long v = strtol(line + 12, &end, 10);

                if (end != line + 12 && v >= 0)
                        r->retry_after = v > 86400 ? 86400 : v;
        } else if (strncasecmp(line, "ETag:", 5) == 0) {
                snprintf(r->etag, sizeof(r->etag), "%s", line + 5 + strspn(line + 5, " "));
        }
        return len;
}

int transport_start(struct transport *t, struct transport_req *r, const char *method,
                    const char *path, const void *body, size_t len, const char *const *headers)
{
        char url[1024];

        r->t = t;
        r->retry_after = -1;
        r->easy = t->cu->easy_init();
        if (!r->easy)
                return -ENOMEM;
        for (; headers && *headers; headers++)
                r->headers = t->cu->slist_append(r->headers, *headers);
        /* No "Expect: 100-continue" round trip before a report. */
        r->headers = t->cu->slist_append(r->headers, "Expect:");
        snprintf(url, sizeof(url), "%s%s", t->base, path);
        t->cu->easy_setopt(r->easy, CURLOPT_URL, url);
        t->cu->easy_setopt(r->easy, CURLOPT_PRIVATE, r);
        t->cu->easy_setopt(r->easy, CURLOPT_HTTPHEADER, r->headers);
        t->cu->easy_setopt(r->easy, CURLOPT_CAINFO, t->ca);
        t->cu->easy_setopt(r->easy, CURLOPT_CAPATH, NULL);
        t->cu->easy_setopt(r->easy, CURLOPT_SSLCERT, t->cert);
        t->cu->easy_setopt(r->easy, CURLOPT_SSLKEY, t->key);
        t->cu->easy_setopt(r->easy, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2);
        t->cu->easy_setopt(r->easy, CURLOPT_PROTOCOLS_STR, "https");
        t->cu->easy_setopt(r->easy, CURLOPT_NOSIGNAL, 1L);
        t->cu->easy_setopt(r->easy, CURLOPT_CONNECTTIMEOUT, 20L);
        t->cu->easy_setopt(r->easy, CURLOPT_TIMEOUT, 120L);
        t->cu->easy_setopt(r->easy, CURLOPT_ERRORBUFFER, r->error);
        t->cu->easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, on_body);
        t->cu->easy_setopt(r->easy, CURLOPT_WRITEDATA, r);
        t->cu->easy_setopt(r->easy, CURLOPT_HEADERFUNCTION, on_header);
        t->cu->easy_setopt(r->easy, CURLOPT_HEADERDATA, r);
        t->cu->easy_setopt(r->easy, CURLOPT_USERAGENT, "hygie-agent/" HYGIE_VERSION);
        if (strcmp(method, "POST") == 0) {
                t->cu->easy_setopt(r->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
                t->cu->easy_setopt(r->easy, CURLOPT_COPYPOSTFIELDS, body ? body : "");
        }
        if (t->cu->multi_add_handle(t->multi, r->easy) != CURLM_OK) {
                t->cu->easy_cleanup(r->easy);
                r->easy = NULL;
                return -EIO;
        }
        r->next = t->active;
        t->active = r;
        return 0;
}

void transport_req_free(struct transport_req *r)
{
        if (r->easy)
                r->t->cu->easy_cleanup(r->easy);
        if (r->headers)
                r->t->cu->slist_free_all(r->headers);
        free(r->body);
        r->easy = NULL;
        r->headers = NULL;
        r->body = NULL;
}

static void on_timer_closed(uv_handle_t *h)
{
        (void)h;
}

void transport_close(struct transport *t)
{
        if (!t->multi)
                return;
        /* Removing the easy handles makes curl release its sockets. */
        while (t->active) {
                struct transport_req *r = t->active;

                t->cu->multi_remove_handle(t->multi, r->easy);
                t->active = r->next;
                r->next = NULL;
        }
        t->cu->multi_cleanup(t->multi);
        t->multi = NULL;
        uv_timer_stop(&t->timer);
        uv_close((uv_handle_t *)&t->timer, on_timer_closed);
}

const char *transport_describe(const struct transport_req *r, char *buf, size_t size)
{
        if (r->result != CURLE_OK) {
                snprintf(buf, size, "%s",
                         r->error[0] ? r->error : r->t->cu->easy_strerror(r->result));
                return buf;
        }
        if (r->body) {
                json_t *o = json_loads(r->body, 0, NULL);
                const char *msg =
                    json_string_value(json_object_get(json_object_get(o, "error"), "message"));

                if (msg) {
                        snprintf(buf, size, "HTTP %ld: %s", r->status, msg);
                        json_decref(o);
                        return buf;
                }
                json_decref(o);
        }
        snprintf(buf, size, "HTTP %ld", r->status);
        return buf;
}
