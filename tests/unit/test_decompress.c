/* test_decompress.c - one stream reader over plain, gzip, xz and lz4. */
#include <errno.h>
#include <fcntl.h>
#include <lz4frame.h>
#include <lzma.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "decompress.h"

#define TEXT_LEN 300000

static char *make_text(void)
{
        char *t = malloc(TEXT_LEN);

        for (size_t i = 0; i < TEXT_LEN; i++)
                t[i] = "Package: abc\nVersion: 1.0\n\n"[i % 28];
        return t;
}

/* An fd reading the given bytes (a pipe would block on large data: a file). */
static int fd_of(const void *data, size_t len)
{
        char path[] = "/tmp/hygie-dz-XXXXXX";
        int fd = mkstemp(path);

        assert_true(fd >= 0);
        unlink(path);
        assert_int_equal(write(fd, data, len), (ssize_t)len);
        lseek(fd, 0, SEEK_SET);
        return fd;
}

/* Reads everything with small reads; returns the length or the error. */
static ssize_t read_all(int fd, enum dz_kind kind, char *out, size_t cap)
{
        struct dz *z;
        size_t len = 0;
        ssize_t n;

        assert_int_equal(dz_open(&z, fd, kind), 0);
        while ((n = dz_read(z, out + len, cap - len < 7777 ? cap - len : 7777)) > 0)
                len += (size_t)n;
        dz_close(z);
        return n < 0 ? n : (ssize_t)len;
}

static void check_roundtrip(enum dz_kind kind, const void *packed, size_t plen, const char *text)
{
        char *out = malloc(TEXT_LEN + 1);

        assert_int_equal(read_all(fd_of(packed, plen), kind, out, TEXT_LEN + 1), TEXT_LEN);
        assert_memory_equal(out, text, TEXT_LEN);
        /* Cut short, the same data is corrupt, never a silent short read. */
        assert_int_equal(read_all(fd_of(packed, plen - 9), kind, out, TEXT_LEN + 1), -EBADMSG);
        free(out);
}

static void test_dz_kind_from_suffix(void **state)
{
        (void)state;
        assert_int_equal(dz_kind_of("x_Packages"), DZ_PLAIN);
        assert_int_equal(dz_kind_of("x_Packages.gz"), DZ_GZIP);
        assert_int_equal(dz_kind_of("x_Packages.xz"), DZ_XZ);
        assert_int_equal(dz_kind_of("x_Packages.lz4"), DZ_LZ4);
        assert_int_equal(dz_kind_of("x_Packages.zst"), DZ_UNKNOWN);
}

static void test_dz_gzip_roundtrip_and_truncation(void **state)
{
        char *text = make_text();
        unsigned char *packed = malloc(TEXT_LEN);
        z_stream zs = { 0 };

        (void)state;
        assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
        zs.next_in = (unsigned char *)text;
        zs.avail_in = TEXT_LEN;
        zs.next_out = packed;
        zs.avail_out = TEXT_LEN;
        assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
        check_roundtrip(DZ_GZIP, packed, zs.total_out, text);
        deflateEnd(&zs);
        free(packed);
        free(text);
}

static void test_dz_xz_roundtrip_and_truncation(void **state)
{
        char *text = make_text();
        uint8_t *packed = malloc(TEXT_LEN);
        size_t plen = 0;

        (void)state;
        assert_int_equal(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL, (uint8_t *)text,
                                                 TEXT_LEN, packed, &plen, TEXT_LEN),
                         LZMA_OK);
        check_roundtrip(DZ_XZ, packed, plen, text);
        free(packed);
        free(text);
}

static void test_dz_lz4_roundtrip_and_truncation(void **state)
{
        char *text = make_text();
        size_t cap = LZ4F_compressFrameBound(TEXT_LEN, NULL);
        char *packed = malloc(cap);

        (void)state;
        size_t plen = LZ4F_compressFrame(packed, cap, text, TEXT_LEN, NULL);
        assert_false(LZ4F_isError(plen));
        check_roundtrip(DZ_LZ4, packed, plen, text);
        free(packed);
        free(text);
}

static void test_dz_garbage_is_corrupt(void **state)
{
        static const char junk[] = "this is not compressed at all, not even close";
        char out[256];

        (void)state;
        assert_int_equal(read_all(fd_of(junk, sizeof(junk)), DZ_GZIP, out, sizeof(out)), -EBADMSG);
        assert_int_equal(read_all(fd_of(junk, sizeof(junk)), DZ_XZ, out, sizeof(out)), -EBADMSG);
        assert_int_equal(read_all(fd_of(junk, sizeof(junk)), DZ_LZ4, out, sizeof(out)), -EBADMSG);
        assert_int_equal(read_all(fd_of(junk, sizeof(junk)), DZ_PLAIN, out, sizeof(out)),
                         (ssize_t)sizeof(junk));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_dz_kind_from_suffix),
                cmocka_unit_test(test_dz_gzip_roundtrip_and_truncation),
                cmocka_unit_test(test_dz_xz_roundtrip_and_truncation),
                cmocka_unit_test(test_dz_lz4_roundtrip_and_truncation),
                cmocka_unit_test(test_dz_garbage_is_corrupt),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
