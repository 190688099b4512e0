/* server.c - connections: accept, TLS, bounded HTTP/1.1, timeouts, stop.
 *
 * Each connection moves through phases, each with its own deadline:
 * handshake, idle (waiting for a request), request (bytes of one arriving),
 * busy (its route is working: no deadline, no reading), writing (the answer
 * going out). A slow or half-open client only ever costs its own slot. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "api.h"
#include "ca.h"
#include "log.h"
#include "notify.h"
#include "rootfs.h"
#include "server.h"
#include "util.h"

#define CONN_BUF 16384

enum phase { PH_HANDSHAKE, PH_IDLE, PH_REQUEST, PH_BUSY, PH_WRITING };

struct conn {
        uv_tcp_t tcp;
        uv_timer_t timer;
        struct server *srv;
        struct tls_conn tls;
        struct http_in *in; /* while a request is on its way */
        char *rbuf;         /* plaintext not yet parsed */
        size_t roff, rlen;
        enum phase phase;
        unsigned writes, handles;
        bool closing, close_after, peer_known;
        struct conn_peer peer;
        uint64_t started;
        struct http_request *req; /* being handled */
        char addr[64];
        struct conn *prev, *next;
};

static void conn_close(struct conn *c);
static void pump(struct conn *c);
static void resume_reading(struct conn *c);
static void finish_stop(struct server *s);

static void on_timeout(uv_timer_t *t)
{
        struct conn *c = t->data;

        if (c->phase == PH_REQUEST) {
                c->srv->m.timeouts++;
                log_info("msg=\"request too slow\" peer=%s", c->addr);
                conn_reply_error(c, 408, "timeout", "the request took too long to arrive");
                c->close_after = true;
                return;
        }
        if (c->phase != PH_IDLE)
                c->srv->m.timeouts++;
        conn_close(c);
}

static void set_phase(struct conn *c, enum phase p)
{
        const struct server_config *cfg = &c->srv->cfg;
        unsigned ms = 0;

        c->phase = p;
        switch (p) {
        case PH_HANDSHAKE:
                ms = cfg->handshake_timeout_ms;
                break;
        case PH_IDLE:
                ms = cfg->idle_timeout_ms;
                break;
        case PH_REQUEST:
                ms = cfg->request_timeout_ms;
                break;
        case PH_WRITING:
                ms = cfg->write_timeout_ms;
                break;
        case PH_BUSY:
                break;
        }
        if (ms)
                uv_timer_start(&c->timer, on_timeout, ms, 0);
        else
                uv_timer_stop(&c->timer);
}

/* Freeing, once both handles are closed and no route holds the connection. */

static void conn_free(struct conn *c)
{
        struct server *s = c->srv;

        if (c->handles > 0 || c->phase == PH_BUSY)
                return;
        if (c->prev)
                c->prev->next = c->next;
        else
                s->conns = c->next;
        if (c->next)
                c->next->prev = c->prev;
        s->m.connections--;
        if (c->peer_known && c->peer.rc == 0)
                s->m.agents_connected--;
        tls_conn_free(&c->tls);
        if (c->in)
                http_in_free(c->in);
        free(c->in);
        free(c->rbuf);
        free(c);
        if (s->stopping && !s->conns)
                finish_stop(s);
}

static void on_handle_closed(uv_handle_t *h)
{
        struct conn *c = h->data;

        c->handles--;
        conn_free(c);
}

static void conn_close(struct conn *c)
{
        if (c->closing)
                return;
        c->closing = true;
        uv_read_stop((uv_stream_t *)&c->tcp);
        uv_close((uv_handle_t *)&c->timer, on_handle_closed);
        uv_close((uv_handle_t *)&c->tcp, on_handle_closed);
}

/* Writing. */

struct write_req {
        uv_write_t req;
        struct conn *c;
        char data[];
};

static void response_done(struct conn *c);

static void on_written(uv_write_t *req, int status)
{
        struct write_req *w = (struct write_req *)req;
        struct conn *c = w->c;

        free(w);
        c->writes--;
        if (status < 0) {
                conn_close(c);
                return;
        }
        if (c->writes == 0 && c->phase == PH_WRITING && !c->closing)
                response_done(c);
}

/* Sends what TLS has ready. */
static int flush(struct conn *c)
{
        size_t n;

        while (!c->closing && (n = tls_conn_pending(&c->tls)) > 0) {
                struct write_req *w = malloc(sizeof(*w) + n);
                uv_buf_t b;

                if (!w)
                        return -ENOMEM;
                w->c = c;
                n = tls_conn_take(&c->tls, w->data, n);
                b = uv_buf_init(w->data, (unsigned)n);
                if (uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1, on_written) < 0) {
                        free(w);
                        conn_close(c);
                        return -EPIPE;
                }
                c->writes++;
        }
        return 0;
}

static unsigned latency_bucket(double seconds)
{
        static const double bounds[LATENCY_BUCKETS] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                        0.1,   0.25,   0.5,   1,    2.5,   10 };
        unsigned i = 0;

        while (i < LATENCY_BUCKETS && seconds > bounds[i])
                i++;
        return i;
}

void conn_reply(struct conn *c, unsigned status, const char *type, const char *body, size_t len,
                const char *extra)
{
        struct server *s = c->srv;
        bool keep = !c->close_after && !s->stopping && c->req && c->req->keep_alive;
        bool head = c->req && c->req->method == HTTP_HEAD;
        char hdr[1024];
        int n;

        if (c->closing) {
                c->phase = PH_IDLE;
                conn_free(c);
                return;
        }
        if (status / 100 <= 5)
                s->m.requests[status / 100]++;
        if (c->req && c->req->method == HTTP_POST && c->started) {
                double t = (double)(uv_hrtime() - c->started) / 1e9;

                s->m.latency[latency_bucket(t)]++;
                s->m.latency_sum += t;
        }
        n = snprintf(hdr, sizeof(hdr),
                     "HTTP/1.1 %u %s\r\n"
                     "Content-Type: %s\r\n"
                     "Content-Length: %zu\r\n"
                     "Cache-Control: no-store\r\n"
                     "X-Content-Type-Options: nosniff\r\n"
                     "%s%s\r\n",
                     status, http_reason(status), type, len, keep ? "" : "Connection: close\r\n",
                     extra ? extra : "");
        if (!keep)
                c->close_after = true;
        set_phase(c, PH_WRITING);
        if (n < 0 || (size_t)n >= sizeof(hdr) || tls_conn_write(&c->tls, hdr, (size_t)n) < 0 ||
            (!head && len > 0 && tls_conn_write(&c->tls, body, len) < 0) || flush(c) < 0) {
                conn_close(c);
                return;
        }
        if (c->writes == 0)
                response_done(c);
}

const struct msgcat *server_reader(struct server *s, struct http_request *r)
{
        char v[8];
        int l = -1;

        if (http_query(r, "lang", v, sizeof(v)) == 0)
                l = lang_from_code(v);
        if (l < 0)
                l = (int)lang_from_accept(http_header(r, "Accept-Language"), LANG_EN);
        return l == LANG_FR && s->fr.data ? &s->fr : NULL;
}

const struct msgcat *conn_reader(struct conn *c)
{
        return c->req ? server_reader(c->srv, c->req) : NULL;
}

void conn_reply_error(struct conn *c, unsigned status, const char *code, const char *fmt, ...)
{
        /* What a request sent comes back in messages: as text that always
         * encodes, whatever bytes it held. */
        const struct msgcat *cat = conn_reader(c);
        char msg[512], clean[sizeof(msg) * 3];
        json_t *o;
        char *text;
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), lang_tr(cat, fmt), ap);
        va_end(ap);
        if (cat && strcmp(fmt, "%s") == 0) {
                const char *t = lang_tr(cat, msg);

                if (t != msg)
                        snprintf(msg, sizeof(msg), "%s", t);
        }
        util_utf8_trim(msg);
        util_text_clean(msg, clean, sizeof(clean));
        o = json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", clean);
        text = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        if (!text) {
                static const char oom[] =
                    "{\"error\":{\"code\":\"unavailable\",\"message\":\"out of memory\"}}";

                conn_reply(c, 503, "application/json", oom, sizeof(oom) - 1, NULL);
                return;
        }
        conn_reply(c, status, "application/json", text, strlen(text),
                   status == 503 ? "Retry-After: 10\r\n" : NULL);
        free(text);
}

static void response_done(struct conn *c)
{
        c->req = NULL;
        c->started = 0;
        if (c->close_after) {
                tls_conn_shutdown(&c->tls);
                flush(c);
                conn_close(c);
                return;
        }
        if (c->in)
                http_in_next(c->in);
        set_phase(c, PH_IDLE);
        resume_reading(c);
        pump(c);
}

/* Reading. */

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
        struct conn *c = h->data;

        (void)suggested;
        /* Bytes go straight into TLS, so one buffer serves every connection. */
        *buf = uv_buf_init(c->srv->readbuf, sizeof(c->srv->readbuf));
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf);

static void resume_reading(struct conn *c)
{
        if (!c->closing)
                uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
}

static const struct conn_peer *peer_of(struct conn *c)
{
        if (!c->peer_known) {
                c->peer.rc = tls_conn_peer(&c->tls, c->peer.agent_id, sizeof(c->peer.agent_id),
                                           &c->peer.why);
                c->peer_known = true;
                if (c->peer.rc == 0)
                        c->srv->m.agents_connected++;
        }
        return &c->peer;
}

const struct conn_peer *conn_peer(struct conn *c)
{
        return peer_of(c);
}

struct server *conn_server(struct conn *c)
{
        return c->srv;
}

const char *conn_address(struct conn *c)
{
        return c->addr;
}

static void dispatch(struct conn *c)
{
        c->req = &c->in->req;
        c->started = uv_hrtime();
        set_phase(c, PH_BUSY);
        uv_read_stop((uv_stream_t *)&c->tcp);
        api_handle(c->srv, c, c->req);
}

static void pump(struct conn *c)
{
        while (!c->closing && c->phase != PH_BUSY && c->phase != PH_WRITING) {
                enum http_in_state st;
                size_t used;

                if (c->roff == c->rlen) {
                        const char *why = NULL;
                        int n;

                        if (!c->rbuf && !(c->rbuf = malloc(CONN_BUF))) {
                                conn_close(c);
                                return;
                        }
                        n = tls_conn_read(&c->tls, c->rbuf, CONN_BUF, &why);
                        if (n < 0) {
                                if (n == -EPROTO) {
                                        c->srv->m.tls_errors++;
                                        log_info("msg=\"TLS error\" peer=%s error=\"%s\"", c->addr,
                                                 why);
                                }
                                flush(c); /* the alert, if any */
                                conn_close(c);
                                return;
                        }
                        if (c->phase == PH_HANDSHAKE && tls_conn_ready(&c->tls)) {
                                c->srv->m.handshakes++;
                                set_phase(c, PH_IDLE);
                        }
                        if (n == 0)
                                break;
                        c->roff = 0;
                        c->rlen = (size_t)n;
                }
                if (!c->in) {
                        if (!(c->in = malloc(sizeof(*c->in)))) {
                                conn_close(c);
                                return;
                        }
                        http_in_init(c->in);
                }
                st = http_in_feed(c->in, c->rbuf + c->roff, c->rlen - c->roff, &used);
                c->roff += used;
                if (st == HTTP_IN_REQUEST) {
                        dispatch(c);
                        break;
                }
                if (st == HTTP_IN_ERROR) {
                        log_info("msg=\"bad request\" peer=%s status=%u error=\"%s\"", c->addr,
                                 c->in->status, c->in->error);
                        c->req = NULL;
                        c->close_after = true;
                        conn_reply_error(c, c->in->status, "bad_request", "%s", c->in->error);
                        return;
                }
                if (c->phase == PH_IDLE && http_in_busy(c->in))
                        set_phase(c, PH_REQUEST);
        }
        if (c->closing)
                return;
        flush(c);
        /* An idle keep-alive connection keeps no buffers. */
        if (c->phase == PH_IDLE && c->roff == c->rlen && c->in && !http_in_busy(c->in)) {
                http_in_free(c->in);
                free(c->in);
                c->in = NULL;
                free(c->rbuf);
                c->rbuf = NULL;
                c->roff = c->rlen = 0;
                if (c->writes == 0)
                        tls_conn_compact(&c->tls);
        }
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
        struct conn *c = stream->data;

        if (nread < 0) {
                conn_close(c);
                return;
        }
        if (nread == 0)
                return;
        if (tls_conn_feed(&c->tls, buf->base, (size_t)nread) < 0) {
                conn_close(c);
                return;
        }
        pump(c);
}

/* Accepting. */

static void on_connection(uv_stream_t *listener, int status)
{
        struct server *s = listener->data;
        struct conn *c;
        struct sockaddr_storage sa;
        int len = sizeof(sa);

        if (status < 0 || s->stopping)
                return;
        c = calloc(1, sizeof(*c));
        if (!c)
                return;
        c->srv = s;
        uv_tcp_init(s->loop, &c->tcp);
        uv_timer_init(s->loop, &c->timer);
        c->tcp.data = c->timer.data = c;
        c->handles = 2;
        c->next = s->conns;
        if (s->conns)
                s->conns->prev = c;
        s->conns = c;
        s->m.connections++;
        if (uv_accept(listener, (uv_stream_t *)&c->tcp) < 0 || tls_conn_init(&c->tls, s->tls) < 0) {
                conn_close(c);
                return;
        }
        if (s->m.connections > s->cfg.max_connections) {
                s->m.refused_busy++;
                conn_close(c);
                return;
        }
        if (uv_tcp_getpeername(&c->tcp, (struct sockaddr *)&sa, &len) == 0) {
                if (sa.ss_family == AF_INET)
                        uv_ip4_name((struct sockaddr_in *)&sa, c->addr, sizeof(c->addr));
                else
                        uv_ip6_name((struct sockaddr_in6 *)&sa, c->addr, sizeof(c->addr));
        }
        uv_tcp_nodelay(&c->tcp, 1);
        set_phase(c, PH_HANDSHAKE);
        resume_reading(c);
}

/* Stopping. */

static void on_closed_quietly(uv_handle_t *h)
{
        (void)h;
}

static void on_grace(uv_timer_t *t)
{
        struct server *s = t->data;

        for (struct conn *c = s->conns; c; c = c->next)
                conn_close(c);
}

static void server_stop(struct server *s)
{
        struct conn *c, *next;

        if (s->stopping)
                return;
        s->stopping = true;
        log_info("msg=\"stopping\"");
        uv_close((uv_handle_t *)&s->listener, on_closed_quietly);
        uv_close((uv_handle_t *)&s->sigterm, on_closed_quietly);
        uv_close((uv_handle_t *)&s->sigint, on_closed_quietly);
        for (c = s->conns; c; c = next) {
                next = c->next;
                if (c->phase == PH_BUSY || c->phase == PH_WRITING)
                        c->close_after = true; /* its answer still goes out */
                else
                        conn_close(c);
        }
        uv_timer_start(&s->grace, on_grace, 10000, 0);
        notify_send("STOPPING=1");
        if (!s->conns)
                finish_stop(s);
}

static void on_signal(uv_signal_t *sig, int signum)
{
        (void)signum;
        server_stop(sig->data);
}

/* Every connection is gone: commit what is queued, then let the loop end. */
static void finish_stop(struct server *s)
{
        duties_stop(&s->duties);
        db_stop(&s->db);
        uv_timer_stop(&s->grace);
        uv_close((uv_handle_t *)&s->grace, on_closed_quietly);
        log_info("msg=\"stopped\"");
}

static int parse_listen(const char *listen, struct sockaddr_storage *sa, struct error *e)
{
        char host[256];
        const char *colon = strrchr(listen, ':');
        long port;
        char *end;

        if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof(host))
                goto bad;
        port = strtol(colon + 1, &end, 10);
        if (*end || end == colon + 1 || port < 1 || port > 65535)
                goto bad;
        memcpy(host, listen, (size_t)(colon - listen));
        host[colon - listen] = '\0';
        if (host[0] == '[' && host[strlen(host) - 1] == ']') {
                memmove(host, host + 1, strlen(host));
                host[strlen(host) - 1] = '\0';
                if (uv_ip6_addr(host, (int)port, (struct sockaddr_in6 *)sa) == 0)
                        return 0;
        } else if (uv_ip4_addr(host, (int)port, (struct sockaddr_in *)sa) == 0) {
                return 0;
        }
bad:
        error_set(e, "", 0, "--listen %s: expected ADDRESS:PORT, e.g. 127.0.0.1:8443 or [::]:8443",
                  listen);
        return -EINVAL;
}

/* Room for many connections: the soft limit on files up to the hard one. */
static void raise_file_limit(unsigned want)
{
        struct rlimit rl;

        if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max &&
            rl.rlim_cur < (rlim_t)want + 64) {
                rl.rlim_cur = rl.rlim_max;
                setrlimit(RLIMIT_NOFILE, &rl);
        }
}

static int read_ca_pem(const char *dir, char **out, struct error *e)
{
        char path[PATH_MAX];
        int fd, rc;

        snprintf(path, sizeof(path), "%s/ca.crt", dir);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        rc = fd < 0 ? -errno : rootfs_read_fd(fd, 65536, out, NULL);
        if (fd >= 0)
                close(fd);
        if (rc < 0)
                error_set(e, path, 0, "cannot read the CA certificate: %s", strerror(-rc));
        return rc;
}

int server_run(const struct server_config *cfg, struct error *e)
{
        struct server *s = calloc(1, sizeof(*s));
        struct sockaddr_storage sa = { 0 };
        uv_loop_t *loop = uv_default_loop();
        int rc;

        if (!s)
                return -ENOMEM;
        s->cfg = *cfg;
        s->loop = loop;
        if ((rc = parse_listen(cfg->listen, &sa, e)) < 0)
                goto out;
        if ((rc = tls_context_new(cfg->data_dir, &s->tls, e)) < 0)
                goto out;
        if ((rc = ca_load(cfg->data_dir, &s->ca, e)) < 0 ||
            (rc = read_ca_pem(cfg->data_dir, &s->ca_pem, e)) < 0)
                goto out;
        if ((rc = lang_load(&s->fr, LANG_FR, e)) < 0)
                goto out;
        if ((rc = db_start(&s->db, loop, cfg->database, cfg->data_dir, cfg->max_database_size, e)) <
            0)
                goto out;
        if ((rc = duties_start(&s->duties, cfg, e)) < 0) {
                db_stop(&s->db);
                uv_run(loop, UV_RUN_NOWAIT);
                goto out;
        }
        raise_file_limit(cfg->max_connections);
        uv_tcp_init(loop, &s->listener);
        s->listener.data = s;
        if ((rc = uv_tcp_bind(&s->listener, (struct sockaddr *)&sa, 0)) < 0 ||
            (rc = uv_listen((uv_stream_t *)&s->listener, 4096, on_connection)) < 0) {
                error_set(e, "", 0, "cannot listen on %s: %s", cfg->listen, uv_strerror(rc));
                uv_close((uv_handle_t *)&s->listener, NULL);
                uv_run(loop, UV_RUN_NOWAIT);
                duties_stop(&s->duties);
                db_stop(&s->db);
                uv_run(loop, UV_RUN_NOWAIT);
                goto out;
        }
        uv_signal_init(loop, &s->sigterm);
        uv_signal_init(loop, &s->sigint);
        s->sigterm.data = s->sigint.data = s;
        uv_signal_start(&s->sigterm, on_signal, SIGTERM);
        uv_signal_start(&s->sigint, on_signal, SIGINT);
        uv_timer_init(loop, &s->grace);
        s->grace.data = s;
        signal(SIGPIPE, SIG_IGN);
        log_info("msg=\"listening\" address=%s database=%s", cfg->listen,
                 cfg->database && *cfg->database ? "postgresql" : "sqlite");
        notify_send("READY=1");
        uv_run(loop, UV_RUN_DEFAULT);
        rc = 0;
out:
        if (s->ca)
                ca_free(s->ca);
        free(s->ca_pem);
        msgcat_free(&s->fr);
        SSL_CTX_free(s->tls);
        uv_loop_close(loop);
        free(s);
        return rc;
}
