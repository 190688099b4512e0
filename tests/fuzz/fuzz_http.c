/* fuzz_http.c - the request parser takes raw bytes from anyone who can
 * connect: split at every point, pipelined, it must stay within its bounds,
 * let through only what it promises (an ASCII target, token header names)
 * and take the same requests, and refuse the rest, however the bytes are
 * cut. */
#include <stdint.h>
#include <string.h>

#include "http.h"

struct verdict {
        unsigned requests, status;
};

static bool is_token(const char *s)
{
        if (!*s)
                return false;
        for (; *s; s++)
                if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
                      (*s >= '0' && *s <= '9') || strchr("!#$%&'*+-.^_`|~", *s)))
                        return false;
        return true;
}

/* Feeds data in pieces of step bytes; what came of it. */
static struct verdict parse(const uint8_t *data, size_t size, size_t step)
{
        struct verdict v = { 0, 0 };
        struct http_in in;
        size_t off = 0;
        char buf[256];

        http_in_init(&in);
        while (off < size) {
                size_t n = size - off < step ? size - off : step, used;
                enum http_in_state st = http_in_feed(&in, (const char *)data + off, n, &used);

                if (used > n)
                        __builtin_trap();
                off += used;
                if (st == HTTP_IN_ERROR) {
                        v.status = in.status;
                        break;
                }
                if (st == HTTP_IN_REQUEST) {
                        v.requests++;
                        if (in.req.body_len > HTTP_BODY_MAX || in.req.head_len > HTTP_HEADERS_MAX)
                                __builtin_trap();
                        for (const char *u = in.req.url; *u; u++)
                                if ((unsigned char)*u <= ' ' || (unsigned char)*u >= 0x7f)
                                        __builtin_trap();
                        for (size_t i = 0; i < in.req.nfields; i++)
                                if (!is_token(in.req.head + in.req.fields[i].name))
                                        __builtin_trap();
                        http_header(&in.req, "Content-Type");
                        http_path(&in.req, buf, sizeof(buf));
                        http_query(&in.req, "status", buf, sizeof(buf));
                        if (!in.req.keep_alive)
                                break;
                        http_in_next(&in);
                } else if (used == 0) {
                        break;
                }
        }
        http_in_free(&in);
        return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct verdict whole, pieces;
        size_t step;

        if (size == 0)
                return 0;
        /* The first byte picks how the bytes arrive: in pieces of 1..256. */
        step = (size_t)data[0] + 1;
        data++;
        size--;
        pieces = parse(data, size, step);
        whole = parse(data, size, size ? size : 1);
        /* A request with two faults may be refused for either (the packaged
         * parser reports its own as it reads, while the checks here see each
         * run of bytes when the parser hands it over): which requests are
         * taken, and whether the rest is refused, do not change. */
        if (pieces.requests != whole.requests || !pieces.status != !whole.status)
                __builtin_trap();
        return 0;
}
