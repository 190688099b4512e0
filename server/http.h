/* http.h - HTTP/1.1 requests in, responses out, with no socket in sight.
 *
 * The connection feeds the bytes it decrypted; libhttp-parser finds the
 * request in them, within bounds on the request line, the headers and the
 * body. One request at a time: the parser stops after each so responses go
 * out in order even when a client pipelines. */
#ifndef HYGIE_HTTP_H
#define HYGIE_HTTP_H

#include <http_parser.h>
#include <stdbool.h>
#include <stddef.h>

#include "report_limits.h"

#define HTTP_URL_MAX     2048
#define HTTP_HEADERS_MAX (16 * 1024) /* request line and headers together */
#define HTTP_FIELDS_MAX  64
#define HTTP_BODY_MAX    REPORT_SENT_MAX /* as sent, compressed or not */

struct http_field {
        size_t name, value; /* offsets in head, NUL-terminated there */
};

struct http_request {
        unsigned method; /* enum http_method */
        char url[HTTP_URL_MAX + 1];
        char head[HTTP_HEADERS_MAX];
        size_t head_len;
        struct http_field fields[HTTP_FIELDS_MAX];
        size_t nfields;
        char *body; /* owned, NUL-terminated for convenience */
        size_t body_len, body_cap;
        bool keep_alive;
};

enum http_in_state {
        HTTP_IN_MORE,    /* all bytes used, no whole request yet */
        HTTP_IN_REQUEST, /* a whole request is in req; call http_in_next for more */
        HTTP_IN_ERROR,   /* the bytes are not an acceptable request: see status */
};

struct http_in {
        http_parser parser;
        struct http_request req;
        size_t url_len;
        bool in_value, complete, started;
        const char *feed, *feed_end; /* the bytes being parsed */
        bool fed_lf_ws;              /* the bytes fed before ended in LF and blanks */
        unsigned long long left;     /* bytes of the current chunk still to come */
        unsigned crlf;               /* bytes of the CRLF after a chunk's data still to check */
        unsigned status;             /* on error: 400, 413, 414, 431, 501, 505 */
        const char *error;           /* on error: what was wrong, for the log */
};

void http_in_init(struct http_in *h);
/* Parses len bytes of data; *used says how many were consumed (the rest
 * belong to the next request and must be fed again after http_in_next). */
enum http_in_state http_in_feed(struct http_in *h, const char *data, size_t len, size_t *used);
/* Whether the parser is inside a request (bytes seen, none complete). */
bool http_in_busy(const struct http_in *h);
/* Forgets the request just handled, ready for the next one. */
void http_in_next(struct http_in *h);
void http_in_free(struct http_in *h);

/* The value of header name (case-insensitive), or NULL. */
const char *http_header(const struct http_request *r, const char *name);
/* The path part of the URL (into buf). */
const char *http_path(const struct http_request *r, char *buf, size_t size);
/* The value of query parameter name, percent-decoded, into buf: 0, -ENOENT
 * when absent, -EINVAL when malformed or longer than size - 1. */
int http_query(const struct http_request *r, const char *name, char *buf, size_t size);

const char *http_reason(unsigned status);

#endif
