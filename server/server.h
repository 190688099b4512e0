/* server.h - the collector's network side: one libuv loop that accepts TLS
 * connections, reads HTTP/1.1 requests within limits and timeouts, hands
 * each to its route (api.c), and stops gracefully on SIGTERM. */
#ifndef HYGIE_SERVER_H
#define HYGIE_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "config.h"
#include "db.h"
#include "error.h"
#include "http.h"
#include "lang.h"
#include "duties.h"
#include "tls.h"

struct ca;

#define LATENCY_BUCKETS 12

struct server_metrics {
        unsigned long long requests[6]; /* by status class: index 1..5 */
        unsigned long long reports_stored, reports_duplicate, reports_rejected;
        unsigned long long report_bytes;  /* bodies as sent */
        unsigned long long refused_full;  /* reports refused: the database's disk is full */
        bool storage_full;                /* the last report could not be stored for it */
        unsigned long long blocks_resend; /* blocks asked of agents again */
        unsigned long long handshakes, tls_errors, timeouts, refused_busy, busy;
        unsigned long long latency[LATENCY_BUCKETS + 1]; /* report requests, cumulative later */
        double latency_sum;
        unsigned connections, agents_connected;
};

struct conn;

struct server {
        uv_loop_t *loop;
        uv_tcp_t listener;
        uv_signal_t sigterm, sigint;
        uv_timer_t grace;
        struct server_config cfg;
        SSL_CTX *tls;
        struct ca *ca;
        char *ca_pem; /* ca.crt, served to agents before they enroll */
        struct db db;
        struct duties duties;
        struct conn *conns; /* all open connections */
        struct server_metrics m;
        struct msgcat fr; /* the French readers' catalogue */
        bool stopping;
        char readbuf[64 * 1024];
};

/* Runs the collector until SIGTERM. 0, or -errno with e filled. */
int server_run(const struct server_config *cfg, struct error *e);

/* What a route needs from the connection it answers. */
struct conn_peer {
        int rc; /* 0: agent_id is from a certificate the CA issued; see tls_conn_peer */
        const char *why;
        char agent_id[64];
};
const struct conn_peer *conn_peer(struct conn *c);
struct server *conn_server(struct conn *c);
/* The client's address, as text ("" when unknown). */
const char *conn_address(struct conn *c);
/* Answers the request being handled; body is copied. extra: header lines,
 * each ending in \r\n, or NULL. */
void conn_reply(struct conn *c, unsigned status, const char *type, const char *body, size_t len,
                const char *extra);
/* The catalogue of request r's reader: its "lang" parameter (fr, en), else
 * its Accept-Language; NULL for English. conn_reader: of the request c is
 * answering. */
const struct msgcat *server_reader(struct server *s, struct http_request *r);
const struct msgcat *conn_reader(struct conn *c);
/* {"error": {"code": code, "message": ...}}, in the reader's language: fmt
 * is looked up in the catalogue, and so is the message of a "%s" whole. */
void conn_reply_error(struct conn *c, unsigned status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
