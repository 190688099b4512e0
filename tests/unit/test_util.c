/* test_util.c - UTF-8 text and dates as the programs check them. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "error.h"
#include "util.h"

static void test_util_utf8_refuses_overlong_surrogates_and_nul(void **state)
{
        (void)state;
        assert_true(util_utf8_ok("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14));
        assert_false(util_utf8_ok("\xc0\xaf", 2));         /* overlong '/' */
        assert_false(util_utf8_ok("\xe0\x80\xaf", 3));     /* overlong, 3 bytes */
        assert_false(util_utf8_ok("\xf0\x80\x80\xaf", 4)); /* overlong, 4 bytes */
        assert_false(util_utf8_ok("\xed\xa0\x80", 3));     /* a surrogate */
        assert_false(util_utf8_ok("\xf4\x90\x80\x80", 4)); /* past U+10FFFF */
        assert_false(util_utf8_ok("\xff", 1));
        assert_false(util_utf8_ok("\xc3", 1)); /* cut */
        assert_false(util_utf8_ok("a\0b", 3));
}

static void test_util_text_clean_always_gives_one_line_of_utf8(void **state)
{
        char out[16];

        (void)state;
        assert_string_equal(util_text_clean("/\xff", out, sizeof(out)), "/\xef\xbf\xbd");
        assert_string_equal(util_text_clean("a\nb", out, sizeof(out)), "a\xef\xbf\xbd"
                                                                       "b");
        /* A character that does not fit is left out whole. */
        assert_string_equal(util_text_clean("abcdefghijklmn\xc3\xa9", out, sizeof(out)),
                            "abcdefghijklmn");
        assert_true(util_utf8_ok(util_text_clean("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                                                 "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
                                                 out, sizeof(out)),
                                 strlen(out)));
}

static void test_util_error_message_never_ends_in_half_a_character(void **state)
{
        struct error e;
        char long_text[600];

        (void)state;
        memset(long_text, 0, sizeof(long_text));
        for (size_t i = 0; i + 2 < sizeof(long_text); i += 2)
                memcpy(long_text + i, "\xc3\xa9", 2);
        /* One byte of prefix puts the cut inside a character. */
        error_set(&e, "", 0, "x%s", long_text);
        assert_true(util_utf8_ok(e.msg, strlen(e.msg)));
        assert_true(strlen(e.msg) >= sizeof(e.msg) - 2);
}

static void test_util_parse_date_refuses_days_the_month_lacks(void **state)
{
        time_t t;

        (void)state;
        assert_int_equal(util_parse_date("2025-02-28", &t), 0);
        assert_int_equal(t, 1740700800);
        assert_int_equal(util_parse_date("2024-02-29", &t), 0);
        assert_int_equal(util_parse_date("2025-02-29", &t), -EINVAL);
        assert_int_equal(util_parse_date("2025-02-30", &t), -EINVAL);
        assert_int_equal(util_parse_date("2025-04-31", &t), -EINVAL);
        assert_int_equal(util_parse_date("2025-13-01", &t), -EINVAL);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_util_utf8_refuses_overlong_surrogates_and_nul),
                cmocka_unit_test(test_util_text_clean_always_gives_one_line_of_utf8),
                cmocka_unit_test(test_util_error_message_never_ends_in_half_a_character),
                cmocka_unit_test(test_util_parse_date_refuses_days_the_month_lacks),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
