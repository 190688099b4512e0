/* test_clamav.c - ClamAV database headers and clamd.conf values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "clamav.h"

static void test_header_build_time_honours_offset(void **state)
{
        char buf[CLAMAV_HEADER_SIZE + 1];
        struct clamav_header h;
        int n;

        (void)state;
        n = snprintf(buf, sizeof(buf), "%-512s",
                     "ClamAV-VDB:16 Nov 2023 08-22 -0400:27094:2046390:90:"
                     "0123456789abcdef0123456789abcdef:sig:raynman:1700137320");
        assert_int_equal(n, 512);
        assert_int_equal(clamav_header_parse(buf, (size_t)n, &h), 0);
        assert_true(h.has_built);
        /* 2023-11-16 12:22 UTC */
        assert_int_equal(h.built, 1700137320);
        assert_true(h.has_stime);
        assert_int_equal(h.stime, 1700137320);
        assert_int_equal(h.version, 27094);
        assert_int_equal(h.sigs, 2046390);
        assert_int_equal(h.flevel, 90);
        assert_string_equal(h.builder, "raynman");
}

static void test_header_cld_without_stime_uses_build_time(void **state)
{
        static const char cld[] = "ClamAV-VDB:01 Jan 2026 00-00 +0100:27500:100:90:X:X:x";
        struct clamav_header h;

        (void)state;
        assert_int_equal(clamav_header_parse(cld, strlen(cld), &h), 0);
        assert_false(h.has_stime);
        assert_int_equal(h.built, 1767222000); /* 2025-12-31 23:00 UTC */
}

static void test_header_bad_build_time_falls_back_on_stime(void **state)
{
        static const char s[] = "ClamAV-VDB:yesterday:27500:100:90:X:X:x:1767222000";
        struct clamav_header h;

        (void)state;
        assert_int_equal(clamav_header_parse(s, strlen(s), &h), 0);
        assert_false(h.has_built);
        assert_int_equal(h.stime, 1767222000);
}

static void test_header_rejects_what_is_not_one(void **state)
{
        static const char *const bad[] = {
                "",
                "ClamAV-VDB:garbage\n",
                "ClamAV-VDB:yesterday:27500:100:90:X:X:x:soon",
                "ClamAV-VDB:01 Jan 2026 00-00 +0100:v27500:100:90:X:X:x",
                "ClamAV-VDB:01 Jan 2026 00-00 +0100:27500:100:90:X:X:x:1:extra",
                "ClamAV-VDB:31 Foo 2026 00-00 +0100:27500:100:90:X:X:x",
                "\037\213\010\000 gzip data",
        };
        struct clamav_header h;

        (void)state;
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
                assert_int_equal(clamav_header_parse(bad[i], strlen(bad[i]), &h), -EINVAL);
}

static void test_header_reads_at_most_512_bytes(void **state)
{
        char buf[600];
        struct clamav_header h;

        (void)state;
        /* The stime field ends at byte 512; the bytes after it are the body. */
        memset(buf, 'b', sizeof(buf));
        memcpy(buf, "ClamAV-VDB:x:1:2:3:X:X:", 23);
        buf[504] = ':';
        memcpy(buf + 505, "1700000999", 10);
        assert_int_equal(clamav_header_parse(buf, sizeof(buf), &h), 0);
        assert_int_equal(h.stime, 1700000);
        assert_int_equal(strlen(h.builder), sizeof(h.builder) - 1);
}

static void test_conf_get_finds_each_value(void **state)
{
        static const char conf[] = "# OnAccessIncludePath /srv\n"
                                   "OnAccessIncludePathX /nope\n"
                                   "  OnAccessIncludePath   /home  \n"
                                   "OnAccessIncludePath \"/var/spool\"\n"
                                   "DatabaseDirectory /var/lib/clamav\n";
        char buf[64];

        (void)state;
        assert_int_equal(clamav_conf_get(conf, "OnAccessIncludePath", 0, buf, sizeof(buf)), 0);
        assert_string_equal(buf, "/home");
        assert_int_equal(clamav_conf_get(conf, "OnAccessIncludePath", 1, buf, sizeof(buf)), 0);
        assert_string_equal(buf, "/var/spool");
        assert_int_equal(clamav_conf_get(conf, "OnAccessIncludePath", 2, buf, sizeof(buf)),
                         -ENOENT);
        assert_int_equal(clamav_conf_get(conf, "OnAccessMountPath", 0, buf, sizeof(buf)), -ENOENT);
        assert_int_equal(clamav_conf_get(conf, "DatabaseDirectory", 0, buf, 8), 0);
        assert_string_equal(buf, "/var/li");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_header_build_time_honours_offset),
                cmocka_unit_test(test_header_cld_without_stime_uses_build_time),
                cmocka_unit_test(test_header_bad_build_time_falls_back_on_stime),
                cmocka_unit_test(test_header_rejects_what_is_not_one),
                cmocka_unit_test(test_header_reads_at_most_512_bytes),
                cmocka_unit_test(test_conf_get_finds_each_value),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
