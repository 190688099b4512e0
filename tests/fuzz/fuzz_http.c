/* fuzz_http.c - the request parser takes raw bytes from anyone who can
 * connect: split at every point, pipelined, it must stay within its bounds
 * and never misbehave. */
#include <stdint.h>
#include <string.h>

#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct http_in in;
        size_t off = 0, step;
        char buf[256];

        if (size == 0)
                return 0;
        /* The first byte picks how the bytes arrive: in pieces of 1..256. */
        step = (size_t)data[0] + 1;
        data++;
        size--;
        http_in_init(&in);
        while (off < size) {
                size_t n = size - off < step ? size - off : step, used;
                enum http_in_state st = http_in_feed(&in, (const char *)data + off, n, &used);

                if (used > n)
                        __builtin_trap();
                off += used;
                if (st == HTTP_IN_ERROR)
                        break;
                if (st == HTTP_IN_REQUEST) {
                        if (in.req.body_len > HTTP_BODY_MAX || in.req.head_len > HTTP_HEADERS_MAX)
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
        return 0;
}
