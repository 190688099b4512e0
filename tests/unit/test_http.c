/* test_http.c - the request parser refuses what a proxy in front could read
 * otherwise, however the bytes are cut. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "http.h"

/* Feeds req in pieces of step bytes (0: whole); the status it ends with, 0
 * for a request taken. */
static unsigned parse(const char *req, size_t step)
{
        struct http_in h;
        size_t len = strlen(req), off = 0, used;
        enum http_in_state st = HTTP_IN_MORE;
        unsigned status;

        http_in_init(&h);
        while (off < len && st == HTTP_IN_MORE) {
                size_t n = step && len - off > step ? step : len - off;

                st = http_in_feed(&h, req + off, n, &used);
                off += n;
        }
        status = st == HTTP_IN_REQUEST ? 0 : st == HTTP_IN_ERROR ? h.status : 1;
        http_in_free(&h);
        return status;
}

/* The same status for every way of cutting req. */
static void assert_status(const char *req, unsigned status)
{
        for (size_t step = 0; step <= 5; step++)
                assert_int_equal(parse(req, step), status);
}

static void test_http_plain_requests_pass(void **state)
{
        (void)state;
        assert_status("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 0);
        assert_status("GET /a?b=c%20d HTTP/1.0\r\nX-A:   a  b c \r\n\r\n", 0);
        assert_status("POST /p HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", 0);
        assert_status("POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
                      0);
}

static void test_http_other_versions_are_refused(void **state)
{
        (void)state;
        assert_status("GET / HTTP/9.9\r\nHost: x\r\n\r\n", 505);
        assert_status("GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505);
        assert_status("GET / HTTP/1.2\r\nHost: x\r\n\r\n", 505);
}

static void test_http_space_in_header_name_is_refused(void **state)
{
        (void)state;
        assert_status("GET / HTTP/1.1\r\nHo st: x\r\n\r\n", 400);
        assert_status("GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400);
}

static void test_http_folded_header_is_refused(void **state)
{
        (void)state;
        assert_status("GET / HTTP/1.1\r\nX: a\r\n b\r\nY: c\r\n\r\n", 400);
        assert_status("GET / HTTP/1.1\r\nX: a\r\n\tb\r\n\r\n", 400);
        assert_status("GET / HTTP/1.1\r\nX:\r\n b\r\n\r\n", 400);
}

static void test_http_junk_after_chunk_data_is_refused(void **state)
{
        (void)state;
        assert_status("POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "3\r\nabcXY0\r\n\r\n",
                      400);
        assert_status("POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "3\r\nabc\rX2\r\nde\r\n0\r\n\r\n",
                      400);
}

static void test_http_raw_bytes_in_target_are_refused(void **state)
{
        (void)state;
        assert_status("GET /\xff HTTP/1.1\r\n\r\n", 400);
        assert_status("GET /caf\xc3\xa9 HTTP/1.1\r\n\r\n", 400);
        assert_status("GET /a\x7f HTTP/1.1\r\n\r\n", 400);
}

/* A request both too long and holding a bad byte: refused for the first
 * fault in the bytes, whatever the cuts (a long part used to be judged
 * whole while a short one was judged byte by byte). */
static void test_http_first_fault_decides(void **state)
{
        static char req[HTTP_HEADERS_MAX + 256];
        char *p;

        (void)state;
        /* target: the raw byte, then too long; too long, then a raw byte */
        p = req + sprintf(req, "GET /\x80");
        memset(p, 'a', HTTP_URL_MAX + 10);
        strcpy(p + HTTP_URL_MAX + 10, " HTTP/1.1\r\n\r\n");
        assert_status(req, 400);
        p = req + sprintf(req, "GET /");
        memset(p, 'a', HTTP_URL_MAX + 10);
        strcpy(p + HTTP_URL_MAX + 10, "\x80 HTTP/1.1\r\n\r\n");
        assert_status(req, 414);
        /* header name: too long before the space, a space before too long */
        p = req + sprintf(req, "GET / HTTP/1.1\r\nX");
        memset(p, 'A', HTTP_HEADERS_MAX);
        strcpy(p + HTTP_HEADERS_MAX, " B: 1\r\n\r\n");
        assert_status(req, 431);
        p = req + sprintf(req, "GET / HTTP/1.1\r\nX B");
        memset(p, 'A', HTTP_HEADERS_MAX);
        strcpy(p + HTTP_HEADERS_MAX, ": 1\r\n\r\n");
        assert_status(req, 400);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_http_plain_requests_pass),
                cmocka_unit_test(test_http_other_versions_are_refused),
                cmocka_unit_test(test_http_space_in_header_name_is_refused),
                cmocka_unit_test(test_http_folded_header_is_refused),
                cmocka_unit_test(test_http_junk_after_chunk_data_is_refused),
                cmocka_unit_test(test_http_raw_bytes_in_target_are_refused),
                cmocka_unit_test(test_http_first_fault_decides),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
