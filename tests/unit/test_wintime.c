/* test_wintime.c - FILETIME and Windows Update time strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "wintime.h"

/* 2024-05-14T09:12:03Z and 0.1234567 s, as Defender writes it. */
#define FT_2024 133601515231234567ULL

static void test_filetime_to_time_drops_the_ticks_below_a_second(void **state)
{
        time_t t = -1;

        (void)state;
        assert_true(filetime_to_time(FT_2024, &t));
        assert_int_equal(t, 1715677923);
        assert_true(filetime_to_time(116444736000000000ULL, &t));
        assert_int_equal(t, 0);
}

static void test_filetime_to_time_refuses_never_and_before_1970(void **state)
{
        time_t t = 42;

        (void)state;
        assert_false(filetime_to_time(0, &t));
        assert_false(filetime_to_time(116444736000000000ULL - 1, &t));
        assert_int_equal(t, 42);
}

static void test_filetime_to_time_refuses_from_2100_on(void **state)
{
        time_t t = 42;

        (void)state;
        /* 2100-01-01T00:00:00Z, and one second before it. */
        assert_false(filetime_to_time(157469184000000000ULL, &t));
        assert_false(filetime_to_time(UINT64_MAX, &t));
        assert_int_equal(t, 42);
        assert_true(filetime_to_time(157469184000000000ULL - 10000000ULL, &t));
        assert_int_equal(t, 4102444799);
}

static void test_filetime_from_le_reads_reg_binary(void **state)
{
        static const unsigned char b[8] = { 0x07, 0xca, 0xcf, 0xc8, 0xde, 0xa5, 0xda, 0x01 };
        unsigned long long ft = 0;

        (void)state;
        assert_true(filetime_from_le(b, sizeof(b), &ft));
        assert_true(ft == FT_2024);
}

static void test_filetime_from_le_wants_eight_bytes(void **state)
{
        static const unsigned char b[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
        unsigned long long ft = 7;

        (void)state;
        assert_false(filetime_from_le(b, 7, &ft));
        assert_false(filetime_from_le(b, 9, &ft));
        assert_false(filetime_from_le(b, 0, &ft));
        assert_true(ft == 7);
}

static void test_wintime_parse_wua_reads_utc(void **state)
{
        time_t t = -1;

        (void)state;
        assert_true(wintime_parse_wua("2024-05-14 09:12:03", &t));
        assert_int_equal(t, 1715677923);
        assert_true(wintime_parse_wua("2023-12-31 23:59:59", &t));
        assert_int_equal(t, 1704067199);
        assert_true(wintime_parse_wua("2024-02-29 00:00:00", &t));
        assert_int_equal(t, 1709164800);
}

static void test_wintime_parse_wua_refuses_other_shapes(void **state)
{
        static const char *bad[] = {
                "",
                "2024-05-14",
                "2024-05-14T09:12:03",
                "2024-05-14 09:12:03Z",
                "2024-05-14 09:12:03 ",
                " 2024-05-14 09:12:03",
                "2024-05-14 9:12:03 ",
                "2024-+5-14 09:12:03",
                "2024-05-14 24:00:00",
                "2024-05-14 23:60:00",
                "2024-05-14 23:59:60",
                "2023-02-29 00:00:00",
                "2024-13-01 00:00:00",
                "1969-12-31 23:59:59",
                "2100-01-01 00:00:00",
                "9999-12-31 23:59:59",
        };
        time_t t = 42;

        (void)state;
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                if (wintime_parse_wua(bad[i], &t))
                        fail_msg("accepted \"%s\"", bad[i]);
        }
        assert_false(wintime_parse_wua(NULL, &t));
        assert_int_equal(t, 42);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_filetime_to_time_drops_the_ticks_below_a_second),
                cmocka_unit_test(test_filetime_to_time_refuses_never_and_before_1970),
                cmocka_unit_test(test_filetime_to_time_refuses_from_2100_on),
                cmocka_unit_test(test_filetime_from_le_reads_reg_binary),
                cmocka_unit_test(test_filetime_from_le_wants_eight_bytes),
                cmocka_unit_test(test_wintime_parse_wua_reads_utc),
                cmocka_unit_test(test_wintime_parse_wua_refuses_other_shapes),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
