/* http.c - bounded HTTP/1.1 request parsing over libhttp-parser.
 *
 * The packaged parser is built lenient; what it lets through that a proxy
 * in front might read otherwise (another version, spaces in header names,
 * folded header lines, bytes in place of the CRLF that ends chunk data, raw
 * bytes in the request target) is refused here. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http.h"

static struct http_in *in_of(http_parser *p)
{
        return p->data;
}

static int fail(struct http_in *h, unsigned status, const char *why)
{
        h->status = status;
        h->error = why;
        return 1;
}

/* RFC 9110's tchar. */
static bool token_char(unsigned char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* Appends at[0..len) to the head. What is refused is refused at its first
 * byte that is not a token character (when token) or does not fit, so the
 * verdict is the same however the bytes were cut. */
static int head_append(struct http_in *h, const char *at, size_t len, bool token)
{
        struct http_request *r = &h->req;
        size_t room = sizeof(r->head) - r->head_len;
        /* Keep room for the NUL that ends each name and value. */
        size_t fits = room >= 2 ? room - 2 : 0;

        for (size_t i = 0; token && i < len && i < fits; i++)
                if (!token_char((unsigned char)at[i]))
                        return fail(h, 400, "a header name holds a character not allowed there");
        if (room < 2 || len > fits)
                return fail(h, 431, "headers too large");
        memcpy(r->head + r->head_len, at, len);
        r->head_len += len;
        return 0;
}

static int on_message_begin(http_parser *p)
{
        in_of(p)->started = true;
        return 0;
}

static int on_url(http_parser *p, const char *at, size_t len)
{
        struct http_in *h = in_of(p);
        size_t room = HTTP_URL_MAX - h->url_len;

        /* Refused at the first byte that is wrong or too many, wherever the
         * bytes were cut. */
        for (size_t i = 0; i < len && i < room; i++)
                if ((unsigned char)at[i] <= ' ' || (unsigned char)at[i] >= 0x7f)
                        return fail(h, 400,
                                    "the request target holds a byte that is not "
                                    "printable ASCII (percent-encode it)");
        if (len > room)
                return fail(h, 414, "URL too long");
        memcpy(h->req.url + h->url_len, at, len);
        h->url_len += len;
        h->req.url[h->url_len] = '\0';
        return 0;
}

static int on_header_field(http_parser *p, const char *at, size_t len)
{
        struct http_in *h = in_of(p);
        struct http_request *r = &h->req;

        if (h->in_value || r->nfields == 0) {
                if (r->nfields == HTTP_FIELDS_MAX)
                        return fail(h, 431, "too many header fields");
                if (r->nfields > 0)
                        r->head[r->head_len++] = '\0'; /* ends the previous value */
                r->fields[r->nfields].name = r->head_len;
                r->fields[r->nfields].value = r->head_len;
                r->nfields++;
                h->in_value = false;
        }
        return head_append(h, at, len, true);
}

/* Whether a header value starting at at begins a line (after blanks): the
 * previous line folded onto this one. */
static bool folded(const struct http_in *h, const char *at)
{
        while (at > h->feed && (at[-1] == ' ' || at[-1] == '\t'))
                at--;
        return at > h->feed ? at[-1] == '\n' : h->fed_lf_ws;
}

static int on_header_value(http_parser *p, const char *at, size_t len)
{
        struct http_in *h = in_of(p);
        struct http_request *r = &h->req;

        if (r->nfields == 0)
                return fail(h, 400, "header value without a name");
        if (!h->in_value) {
                r->head[r->head_len++] = '\0'; /* ends the name */
                r->fields[r->nfields - 1].value = r->head_len;
                h->in_value = true;
        }
        if (folded(h, at))
                return fail(h, 400, "a header line is folded onto the next (obs-fold)");
        return head_append(h, at, len, false);
}

static int on_headers_complete(http_parser *p)
{
        struct http_in *h = in_of(p);
        struct http_request *r = &h->req;

        if (r->nfields > 0) {
                if (!h->in_value) {
                        r->head[r->head_len++] = '\0';
                        r->fields[r->nfields - 1].value = r->head_len;
                }
                r->head[r->head_len++] = '\0';
        }
        if (p->http_major != 1 || p->http_minor > 1)
                return fail(h, 505, "only HTTP/1.0 and HTTP/1.1 are spoken here");
        if (p->method != HTTP_GET && p->method != HTTP_POST && p->method != HTTP_HEAD &&
            p->method != HTTP_DELETE)
                return fail(h, 501, "method not implemented");
        if (p->upgrade)
                return fail(h, 501, "protocol upgrade not implemented");
        if (p->content_length != ULLONG_MAX && p->content_length > HTTP_BODY_MAX)
                return fail(h, 413, "body too large");
        r->method = p->method;
        return 0;
}

/* Checks the bytes from at (up to the end of those fed) against what is
 * left of the CRLF that must follow a chunk's data. */
static int check_crlf(struct http_in *h, const char *at)
{
        while (h->crlf > 0 && at < h->feed_end) {
                if (*at++ != "\r\n"[2 - h->crlf])
                        return fail(h, 400, "chunk data not followed by CRLF");
                h->crlf--;
        }
        return 0;
}

static int on_chunk_header(http_parser *p)
{
        in_of(p)->left = p->content_length;
        return 0;
}

static int on_body(http_parser *p, const char *at, size_t len)
{
        struct http_in *h = in_of(p);
        struct http_request *r = &h->req;

        /* Too much body is refused before the bytes that follow it. */
        if (len > HTTP_BODY_MAX - r->body_len)
                return fail(h, 413, "body too large");
        if (p->flags & F_CHUNKED) {
                h->left -= len < h->left ? len : h->left;
                if (h->left == 0) {
                        h->crlf = 2;
                        if (check_crlf(h, at + len))
                                return 1;
                }
        }
        if (r->body_len + len + 1 > r->body_cap) {
                size_t cap = r->body_cap ? r->body_cap : 4096;
                char *b;

                while (cap < r->body_len + len + 1)
                        cap *= 2;
                if (p->content_length != ULLONG_MAX && cap > r->body_len + p->content_length + 1)
                        cap = r->body_len + len + p->content_length + 1;
                b = realloc(r->body, cap);
                if (!b)
                        return fail(h, 503, "out of memory");
                r->body = b;
                r->body_cap = cap;
        }
        memcpy(r->body + r->body_len, at, len);
        r->body_len += len;
        r->body[r->body_len] = '\0';
        return 0;
}

static int on_message_complete(http_parser *p)
{
        struct http_in *h = in_of(p);

        h->complete = true;
        h->req.keep_alive = http_should_keep_alive(p);
        http_parser_pause(p, 1);
        return 0;
}

static const http_parser_settings settings = {
        .on_message_begin = on_message_begin,
        .on_url = on_url,
        .on_header_field = on_header_field,
        .on_header_value = on_header_value,
        .on_headers_complete = on_headers_complete,
        .on_body = on_body,
        .on_chunk_header = on_chunk_header,
        .on_message_complete = on_message_complete,
};

static void reset(struct http_in *h)
{
        char *body = h->req.body;
        size_t cap = h->req.body_cap;

        h->req.url[0] = '\0';
        h->req.head_len = 0;
        h->req.nfields = 0;
        h->req.body_len = 0;
        h->req.keep_alive = false;
        /* A big body's buffer is not kept for the life of the connection. */
        if (cap > 64 * 1024) {
                free(body);
                body = NULL;
                cap = 0;
        }
        h->req.body = body;
        h->req.body_cap = cap;
        if (body)
                body[0] = '\0';
        h->url_len = 0;
        h->in_value = h->complete = h->started = h->fed_lf_ws = false;
        h->left = 0;
        h->crlf = 0;
        h->status = 0;
        h->error = NULL;
}

void http_in_init(struct http_in *h)
{
        memset(h, 0, sizeof(*h));
        http_parser_init(&h->parser, HTTP_REQUEST);
        h->parser.data = h;
}

/* Whether bytes fed, data[0..n) after what came before (which ended so
 * when before), end in LF then blanks. */
static bool ends_lf_ws(const char *data, size_t n, bool before)
{
        while (n > 0 && (data[n - 1] == ' ' || data[n - 1] == '\t'))
                n--;
        return n > 0 ? data[n - 1] == '\n' : before;
}

enum http_in_state http_in_feed(struct http_in *h, const char *data, size_t len, size_t *used)
{
        size_t n;

        *used = 0;
        if (h->status)
                return HTTP_IN_ERROR;
        if (h->complete)
                return HTTP_IN_REQUEST;
        h->feed = data;
        h->feed_end = data + len;
        /* The CRLF after chunk data that the last bytes fed cut short. */
        if (h->crlf && check_crlf(h, data))
                return HTTP_IN_ERROR;
        n = http_parser_execute(&h->parser, &settings, data, len);
        *used = n;
        h->fed_lf_ws = ends_lf_ws(data, n, h->fed_lf_ws);
        if (h->status)
                return HTTP_IN_ERROR;
        if (h->complete)
                return HTTP_IN_REQUEST;
        if (HTTP_PARSER_ERRNO(&h->parser) != HPE_OK) {
                h->status = 400;
                h->error = http_errno_description(HTTP_PARSER_ERRNO(&h->parser));
                return HTTP_IN_ERROR;
        }
        if (h->parser.upgrade) {
                h->status = 501;
                h->error = "protocol upgrade not implemented";
                return HTTP_IN_ERROR;
        }
        return HTTP_IN_MORE;
}

bool http_in_busy(const struct http_in *h)
{
        return h->started && !h->complete;
}

void http_in_next(struct http_in *h)
{
        reset(h);
        http_parser_pause(&h->parser, 0);
}

void http_in_free(struct http_in *h)
{
        free(h->req.body);
        h->req.body = NULL;
        h->req.body_cap = 0;
}

const char *http_header(const struct http_request *r, const char *name)
{
        for (size_t i = 0; i < r->nfields; i++)
                if (strcasecmp(r->head + r->fields[i].name, name) == 0)
                        return r->head + r->fields[i].value;
        return NULL;
}

const char *http_path(const struct http_request *r, char *buf, size_t size)
{
        size_t n = strcspn(r->url, "?#");

        if (n >= size)
                n = size - 1;
        memcpy(buf, r->url, n);
        buf[n] = '\0';
        return buf;
}

static int hexval(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

/* Percent-decodes s[0..n) into buf; NULL when malformed, too long or when it
 * holds a NUL. */
static const char *decode(const char *s, size_t n, char *buf, size_t size)
{
        size_t o = 0;

        for (size_t i = 0; i < n; i++) {
                int c = (unsigned char)s[i];

                if (c == '+') {
                        c = ' ';
                } else if (c == '%') {
                        int hi, lo;

                        if (i + 2 >= n)
                                return NULL;
                        hi = hexval(s[i + 1]);
                        lo = hexval(s[i + 2]);
                        if (hi < 0 || lo < 0)
                                return NULL;
                        c = hi * 16 + lo;
                        i += 2;
                }
                if (c == 0 || o + 1 >= size)
                        return NULL;
                buf[o++] = (char)c;
        }
        buf[o] = '\0';
        return buf;
}

int http_query(const struct http_request *r, const char *name, char *buf, size_t size)
{
        const char *q = strchr(r->url, '?');
        size_t nl = strlen(name);

        if (!q)
                return -ENOENT;
        q++;
        while (*q && *q != '#') {
                size_t n = strcspn(q, "&#");
                const char *eq = memchr(q, '=', n);

                if (eq && (size_t)(eq - q) == nl && memcmp(q, name, nl) == 0)
                        return decode(eq + 1, n - nl - 1, buf, size) ? 0 : -EINVAL;
                q += n;
                if (*q == '&')
                        q++;
        }
        return -ENOENT;
}

const char *http_reason(unsigned status)
{
        switch (status) {
        case 200:
                return "OK";
        case 201:
                return "Created";
        case 204:
                return "No Content";
        case 304:
                return "Not Modified";
        case 400:
                return "Bad Request";
        case 401:
                return "Unauthorized";
        case 403:
                return "Forbidden";
        case 404:
                return "Not Found";
        case 405:
                return "Method Not Allowed";
        case 408:
                return "Request Timeout";
        case 409:
                return "Conflict";
        case 410:
                return "Gone";
        case 413:
                return "Content Too Large";
        case 414:
                return "URI Too Long";
        case 415:
                return "Unsupported Media Type";
        case 422:
                return "Unprocessable Content";
        case 429:
                return "Too Many Requests";
        case 431:
                return "Request Header Fields Too Large";
        case 500:
                return "Internal Server Error";
        case 501:
                return "Not Implemented";
        case 503:
                return "Service Unavailable";
        case 505:
                return "HTTP Version Not Supported";
        default:
                return "Unknown";
        }
}
