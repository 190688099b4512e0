/* test_decompress.c - one stream reader over plain, gzip, xz and lz4, and
 * the memory it holds while it reads. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <lz4frame.h>
#include <lzma.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
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

        assert_int_equal(dz_open(&z, fd, kind, 1u << 20), 0);
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

/* Text like apt's lists: field names repeat, values vary; len bytes. */
static char *packages_text(size_t len)
{
        char *t = malloc(len + 256);
        size_t n = 0;
        uint32_t x = 12345;

        assert_non_null(t);
        for (unsigned i = 0; n < len; i++) {
                x = x * 1103515245u + 12345u;
                n += (size_t)snprintf(t + n, 256,
                                      "Package: lib%x-%u\nVersion: %u.%u-%u\nInstalled-Size: %u\n"
                                      "Depends: libc6 (>= 2.%u)\nDescription: %08x %u\n\n",
                                      x >> 20, i, x % 17, (x >> 5) % 100, i % 7, x % 100000, x % 40,
                                      x * 2654435761u, i);
        }
        return t;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
        for (size_t i = 0; i < n; i++)
                h = (h ^ ((const unsigned char *)p)[i]) * 1099511628211ull;
        return h;
}

/* An lz4 frame of text as lz4(1) or apt would write it with these settings. */
static char *lz4_frame(const char *text, size_t len, LZ4F_blockSizeID_t size, bool independent,
                       bool checksums, size_t *plen)
{
        LZ4F_preferences_t prefs = { 0 };
        char *packed;
        size_t cap;

        prefs.frameInfo.blockSizeID = size;
        prefs.frameInfo.blockMode = independent ? LZ4F_blockIndependent : LZ4F_blockLinked;
        prefs.frameInfo.contentChecksumFlag = checksums;
        prefs.frameInfo.blockChecksumFlag = checksums;
        prefs.frameInfo.contentSize = checksums ? len : 0;
        cap = LZ4F_compressFrameBound(len, &prefs);
        packed = malloc(cap);
        assert_non_null(packed);
        *plen = LZ4F_compressFrame(packed, cap, text, len, &prefs);
        assert_false(LZ4F_isError(*plen));
        return packed;
}

static const LZ4F_blockSizeID_t block_sizes[] = { LZ4F_max64KB, LZ4F_max256KB, LZ4F_max1MB,
                                                  LZ4F_max4MB };

static void test_dz_lz4_every_block_size_and_mode(void **state)
{
        size_t len = 5u << 20, plen;
        char *text = packages_text(len), *out = malloc(len + 1);

        (void)state;
        for (size_t i = 0; i < 4; i++)
                for (int mode = 0; mode < 4; mode++) {
                        char *packed =
                            lz4_frame(text, len, block_sizes[i], mode & 1, mode & 2, &plen);
                        assert_int_equal(read_all(fd_of(packed, plen), DZ_LZ4, out, len + 1),
                                         (ssize_t)len);
                        assert_memory_equal(out, text, len);
                        assert_int_equal(read_all(fd_of(packed, plen / 2), DZ_LZ4, out, len + 1),
                                         -EBADMSG);
                        free(packed);
                }
        free(out);
        free(text);
}

/* A changed byte fails the checksums lz4(1) writes; a skippable frame
 * between frames is passed over. */
static void test_dz_lz4_checksums_and_skippable_frames(void **state)
{
        size_t len = 200000, plen;
        char *text = packages_text(len), *out = malloc(2 * len + 1);
        char *packed = lz4_frame(text, len, LZ4F_max64KB, false, true, &plen);
        char *two = malloc(2 * plen + 12);
        static const unsigned char skip[12] = { 0x5A, 0x2A, 0x4D, 0x18, 4, 0, 0, 0, 1, 2, 3, 4 };

        (void)state;
        memcpy(two, packed, plen);
        memcpy(two + plen, skip, sizeof(skip));
        memcpy(two + plen + sizeof(skip), packed, plen);
        assert_int_equal(read_all(fd_of(two, 2 * plen + 12), DZ_LZ4, out, 2 * len + 1),
                         (ssize_t)(2 * len));
        assert_memory_equal(out + len, text, len);
        packed[plen - 1] ^= 1; /* the content checksum */
        assert_int_equal(read_all(fd_of(packed, plen), DZ_LZ4, out, len + 1), -EBADMSG);
        packed[plen - 1] ^= 1;
        packed[plen / 2] ^= 0x40; /* inside a block: its checksum */
        assert_int_equal(read_all(fd_of(packed, plen), DZ_LZ4, out, len + 1), -EBADMSG);
        free(two);
        free(packed);
        free(out);
        free(text);
}

/* dz_fill keeps what is not consumed, and refuses to hold more than max. */
static void test_dz_fill_holds_at_most_max(void **state)
{
        size_t len = 700000;
        char *text = packages_text(len);
        const char *data;
        size_t n, seen = 0;
        struct dz *z;
        int rc;

        (void)state;
        assert_int_equal(dz_open(&z, fd_of(text, len), DZ_PLAIN, 300000), 0);
        while ((rc = dz_fill(z, &data, &n)) > 0)
                seen = n;
        assert_int_equal(rc, -ENOBUFS);
        assert_int_equal(seen, 300000);
        assert_memory_equal(data, text, 300000);
        dz_consume(z, 299000);
        assert_int_equal(dz_fill(z, &data, &n), 1);
        assert_true(n > 1000 && n <= 300000);
        assert_memory_equal(data, text + 299000, n);
        dz_close(z);
        free(text);
}

static long proc_status_kib(const char *key)
{
        char line[256];
        long v = -1;
        FILE *f = fopen("/proc/self/status", "r");

        if (!f)
                return -1;
        while (fgets(line, sizeof(line), f))
                if (strncmp(line, key, strlen(key)) == 0)
                        v = atol(line + strlen(key));
        fclose(f);
        return v;
}

/* Run as "test_decompress --lz4-peak FILE", in a fresh process whose heap
 * holds nothing freed that the reader could reuse unseen: reads FILE as
 * lz4 and prints the peak memory over the start (KiB), length and hash. */
static int lz4_peak_main(const char *path)
{
        static char buf[64 << 10];
        uint64_t hash = 14695981039346656037ull;
        size_t len = 0;
        struct dz *z;
        ssize_t n;
        long base;
        int fd = open(path, O_RDONLY);
        FILE *f = fopen("/proc/self/clear_refs", "w");

        memset(buf, 0, sizeof(buf));
        /* "5" resets the peak to the current size (proc(5), clear_refs). */
        if (fd < 0 || !f || fputs("5", f) < 0 || fclose(f) != 0)
                return 2;
        base = proc_status_kib("VmRSS:");
        if (dz_open(&z, fd, DZ_LZ4, 1u << 20) < 0)
                return 2;
        while ((n = dz_read(z, buf, sizeof(buf))) > 0) {
                hash = fnv(hash, buf, (size_t)n);
                len += (size_t)n;
        }
        dz_close(z);
        if (n < 0)
                return 2;
        printf("%ld %zu %llu\n", proc_status_kib("VmHWM:") - base, len, (unsigned long long)hash);
        return 0;
}

/* apt's lists may come as lz4 frames of any block size (lz4(1) writes
 * 4 MiB blocks): reading one holds a window of 64 KiB and its buffers, the
 * same for every block size, never a block (liblz4's frame decoder fills
 * buffers of the block size). */
static void test_dz_lz4_memory_is_the_same_for_every_block_size(void **state)
{
        size_t len = 12u << 20;
        char path[] = "/tmp/hygie-dz-peak-XXXXXX", self[PATH_MAX], cmd[PATH_MAX + 64];
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

        (void)state;
        assert_true(n > 0);
        self[n] = '\0';
        for (size_t i = 0; i < 4; i++) {
                size_t plen, got = 0;
                char *text = packages_text(len);
                unsigned long long want = fnv(14695981039346656037ull, text, len), hash = 0;
                char *packed = lz4_frame(text, len, block_sizes[i], i % 2, true, &plen);
                int fd = mkstemp(path);
                long peak = -1;
                FILE *p;

                assert_true(fd >= 0);
                assert_int_equal(write(fd, packed, plen), (ssize_t)plen);
                close(fd);
                free(packed);
                free(text);
                snprintf(cmd, sizeof(cmd), "'%s' --lz4-peak %s", self, path);
                p = popen(cmd, "r");
                assert_non_null(p);
                assert_int_equal(fscanf(p, "%ld %zu %llu", &peak, &got, &hash), 3);
                assert_int_equal(pclose(p), 0);
                unlink(path);
                memcpy(path + strlen(path) - 6, "XXXXXX", 6);
                print_message("lz4 blocks of %zu KiB: peak %ld KiB over the start\n",
                              (size_t)64 << (2 * i), peak);
                assert_int_equal(got, len);
                assert_true(hash == want);
                assert_true(peak >= 0 && peak < 768);
        }
}

int main(int argc, char **argv)
{
        if (argc == 3 && strcmp(argv[1], "--lz4-peak") == 0)
                return lz4_peak_main(argv[2]);
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_dz_kind_from_suffix),
                cmocka_unit_test(test_dz_gzip_roundtrip_and_truncation),
                cmocka_unit_test(test_dz_xz_roundtrip_and_truncation),
                cmocka_unit_test(test_dz_lz4_roundtrip_and_truncation),
                cmocka_unit_test(test_dz_garbage_is_corrupt),
                cmocka_unit_test(test_dz_lz4_every_block_size_and_mode),
                cmocka_unit_test(test_dz_lz4_checksums_and_skippable_frames),
                cmocka_unit_test(test_dz_fill_holds_at_most_max),
                cmocka_unit_test(test_dz_lz4_memory_is_the_same_for_every_block_size),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
