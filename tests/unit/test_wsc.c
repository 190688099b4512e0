/* test_wsc.c - Windows Security Center product states. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "wsc.h"

static void test_wsc_decode_defender_on_and_up_to_date(void **state)
{
        struct wsc_state s;

        (void)state;
        wsc_decode(397568, &s); /* 0x061100 */
        assert_int_equal(s.run, WSC_ON);
        assert_true(s.signatures_known);
        assert_true(s.up_to_date);
        assert_int_equal(s.provider, 0x06);
}

static void test_wsc_decode_defender_off(void **state)
{
        struct wsc_state s;

        (void)state;
        wsc_decode(393472, &s); /* 0x060100 */
        assert_int_equal(s.run, WSC_OFF);
        assert_true(s.up_to_date);
        assert_int_equal(s.provider, 0x06);
}

static void test_wsc_decode_on_but_out_of_date(void **state)
{
        struct wsc_state s;

        (void)state;
        wsc_decode(397584, &s); /* 0x061110 */
        assert_int_equal(s.run, WSC_ON);
        assert_true(s.signatures_known);
        assert_false(s.up_to_date);
}

static void test_wsc_decode_third_party_on_and_off(void **state)
{
        struct wsc_state s;

        (void)state;
        wsc_decode(266240, &s); /* 0x041000 */
        assert_int_equal(s.run, WSC_ON);
        assert_true(s.up_to_date);
        assert_int_equal(s.provider, 0x04);
        wsc_decode(262144, &s); /* 0x040000 */
        assert_int_equal(s.run, WSC_OFF);
        assert_true(s.up_to_date);
        wsc_decode(262160, &s); /* 0x040010 */
        assert_int_equal(s.run, WSC_OFF);
        assert_false(s.up_to_date);
        assert_true(s.signatures_known);
}

static void test_wsc_decode_snoozed_and_expired(void **state)
{
        struct wsc_state s;

        (void)state;
        wsc_decode(0x042000, &s);
        assert_int_equal(s.run, WSC_SNOOZED);
        wsc_decode(0x043010, &s);
        assert_int_equal(s.run, WSC_EXPIRED);
        assert_false(s.up_to_date);
}

static void test_wsc_decode_unknown_nibbles_say_unknown(void **state)
{
        struct wsc_state s;

        (void)state;
        wsc_decode(0x044020, &s);
        assert_int_equal(s.run, WSC_RUN_UNKNOWN);
        assert_false(s.signatures_known);
        assert_false(s.up_to_date);
        assert_int_equal(s.provider, 0x04);
        /* Past 24 bits: another encoding, nothing guessed. */
        wsc_decode(0x1061100, &s);
        assert_int_equal(s.run, WSC_RUN_UNKNOWN);
        assert_false(s.signatures_known);
        assert_int_equal(s.provider, 0);
}

static void test_wsc_from_api_maps_the_documented_enums(void **state)
{
        struct wsc_state s;

        (void)state;
        wsc_from_api(0, 1, &s);
        assert_int_equal(s.run, WSC_ON);
        assert_true(s.signatures_known);
        assert_true(s.up_to_date);
        assert_int_equal(s.provider, 0);
        wsc_from_api(1, 0, &s);
        assert_int_equal(s.run, WSC_OFF);
        assert_true(s.signatures_known);
        assert_false(s.up_to_date);
        wsc_from_api(2, 1, &s);
        assert_int_equal(s.run, WSC_SNOOZED);
        wsc_from_api(3, 1, &s);
        assert_int_equal(s.run, WSC_EXPIRED);
        wsc_from_api(4, 2, &s);
        assert_int_equal(s.run, WSC_RUN_UNKNOWN);
        assert_false(s.signatures_known);
        assert_false(s.up_to_date);
        wsc_from_api(-1, -1, &s);
        assert_int_equal(s.run, WSC_RUN_UNKNOWN);
        assert_false(s.signatures_known);
}

static void test_wsc_run_name_names_each_state(void **state)
{
        (void)state;
        assert_string_equal(wsc_run_name(WSC_OFF), "off");
        assert_string_equal(wsc_run_name(WSC_ON), "on");
        assert_string_equal(wsc_run_name(WSC_SNOOZED), "snoozed");
        assert_string_equal(wsc_run_name(WSC_EXPIRED), "expired");
        assert_string_equal(wsc_run_name(WSC_RUN_UNKNOWN), "unknown");
        assert_string_equal(wsc_run_name((enum wsc_run)99), "unknown");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_wsc_decode_defender_on_and_up_to_date),
                cmocka_unit_test(test_wsc_decode_defender_off),
                cmocka_unit_test(test_wsc_decode_on_but_out_of_date),
                cmocka_unit_test(test_wsc_decode_third_party_on_and_off),
                cmocka_unit_test(test_wsc_decode_snoozed_and_expired),
                cmocka_unit_test(test_wsc_decode_unknown_nibbles_say_unknown),
                cmocka_unit_test(test_wsc_from_api_maps_the_documented_enums),
                cmocka_unit_test(test_wsc_run_name_names_each_state),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
