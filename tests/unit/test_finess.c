/* test_finess.c - FINESS numbers: length, département, Luhn key. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "finess.h"

static void test_finess_real_numbers_pass(void **state)
{
        (void)state;
        assert_int_equal(finess_check("750712184", NULL), 0);
        assert_int_equal(finess_check("130786049", NULL), 0);
        assert_int_equal(finess_check("690781810", NULL), 0);
        assert_int_equal(finess_check("010000024", NULL), 0);
}

static void test_finess_wrong_key_is_refused(void **state)
{
        const char *why;

        (void)state;
        assert_int_equal(finess_check("750712185", &why), -EINVAL);
        assert_string_equal(why, "the check digit (Luhn key) is wrong");
        /* Two digits swapped: Luhn catches it. */
        assert_int_equal(finess_check("570712184", &why), -EINVAL);
}

static void test_finess_corsica_and_overseas_letters(void **state)
{
        const char *why;

        (void)state;
        assert_int_equal(finess_check("2A0000012", NULL), 0);
        assert_int_equal(finess_check("2B0001234", NULL), 0);
        assert_int_equal(finess_check("9A0000005", NULL), 0);
        assert_int_equal(finess_check("2C0000012", &why), -EINVAL);
        assert_string_equal(why, "the first two characters are not a département");
        assert_int_equal(finess_check("2A00000X2", &why), -EINVAL);
        assert_string_equal(why, "only the first two characters of a FINESS number may be letters");
}

static void test_finess_length_and_departement(void **state)
{
        const char *why;

        (void)state;
        assert_int_equal(finess_check("75071218", &why), -EINVAL);
        assert_string_equal(why, "a FINESS number has 9 characters");
        assert_int_equal(finess_check("7507121840", NULL), -EINVAL);
        assert_int_equal(finess_check("", NULL), -EINVAL);
        assert_int_equal(finess_check(NULL, NULL), -EINVAL);
        /* 00 and 20 are no département, whatever the key. */
        assert_int_equal(finess_check("000000000", &why), -EINVAL);
        assert_string_equal(why, "the first two characters are not a département");
        assert_int_equal(finess_check("200000000", NULL), -EINVAL);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_finess_real_numbers_pass),
                cmocka_unit_test(test_finess_wrong_key_is_refused),
                cmocka_unit_test(test_finess_corsica_and_overseas_letters),
                cmocka_unit_test(test_finess_length_and_departement),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
