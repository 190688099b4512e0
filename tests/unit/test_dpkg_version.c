/* test_dpkg_version.c - Debian version order, as the policy manual states it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dpkg_version.h"

#define LT(a, b)                                                                                   \
        do {                                                                                       \
                assert_true(dpkg_version_cmp(a, b) < 0);                                           \
                assert_true(dpkg_version_cmp(b, a) > 0);                                           \
        } while (0)
#define EQ(a, b)                                                                                   \
        do {                                                                                       \
                assert_int_equal(dpkg_version_cmp(a, b), 0);                                       \
                assert_int_equal(dpkg_version_cmp(b, a), 0);                                       \
        } while (0)

static void test_version_compare_equal_strings(void **state)
{
        (void)state;
        EQ("1.0", "1.0");
        EQ("1:2.3-4", "1:2.3-4");
}

/* Every pair here is equal to dpkg --compare-versions: one version. */
static void test_version_compare_equal_spellings(void **state)
{
        (void)state;
        EQ("1.0-01", "1.0-1");
        EQ("1.0-0", "1.0-00");
        EQ("00:1.0", "1.0");
        EQ("1:1.0", "01:1.0");
        EQ("1.0a", "1.0a0");
        EQ("1.0-a", "1.0-a0");
        EQ("1.0", "1.00");
        EQ("2.36-09+deb12u04", "2.36-9+deb12u4");
        LT("1.0", "1.0.0");
        LT("1.0-1", "1.0-1.0");
        LT("1.0~", "1.0");
}

static void test_version_compare_tilde_sorts_first(void **state)
{
        (void)state;
        LT("1.0~rc1", "1.0");
        LT("1.0~~", "1.0~");
        LT("1.0~~", "1.0~~a");
        LT("1.0~", "1.0");
        LT("1.0~beta", "1.0~rc");
        LT("20250419~deb12u1", "20250419");
        LT("3.0.11-1~deb12u1", "3.0.11-1");
        LT("252.38-1~deb12u1", "252.38-1");
}

static void test_version_compare_epoch_wins(void **state)
{
        (void)state;
        LT("9.9", "1:0.1");
        LT("1:9.9", "2:0.1");
        EQ("0:1.0", "1.0");
        LT("2:1.0", "10:1.0");
        LT("99999999999999999999:1", "100000000000000000000:0");
}

static void test_version_compare_numbers_as_numbers(void **state)
{
        (void)state;
        LT("1.2", "1.10");
        LT("1.09", "1.10");
        EQ("1.01", "1.1");
        EQ("1.000", "1.0");
        LT("9", "10");
        LT("1.2.3", "1.2.10");
        LT("123456789012345678901234567890", "123456789012345678901234567891");
}

static void test_version_compare_letters_before_symbols(void **state)
{
        (void)state;
        LT("1.0a", "1.0+");
        LT("1.0a", "1.0.");
        LT("1.0A", "1.0a");
        LT("1.0", "1.0a");
        LT("1.0", "1.0+b1");
        LT("1.0+", "1.0.");
}

static void test_version_compare_revision(void **state)
{
        (void)state;
        LT("1.0-1", "1.0-2");
        LT("1.0-2", "1.0-10");
        LT("1.0-1", "1.0-1+deb12u1");
        LT("1.0-1+deb12u9", "1.0-1+deb12u10");
        LT("5.2.15-2+b8", "5.2.15-2+b13");
        EQ("1.0", "1.0-0");
        LT("1.0-0", "1.0-0.1");
        /* The last hyphen separates the revision. */
        LT("1.0-beta-1", "1.0-beta-2");
        LT("2.1.12-stable-8", "2.1.12-stable-8+deb12u1");
}

static void test_version_compare_upstream_before_revision(void **state)
{
        (void)state;
        LT("1.0-9", "1.1-1");
        LT("1.0-2", "1.0.1-1");
        LT("0.16.1-2", "0.16.1-2+b1");
        LT("1:2.66-4+deb12u2+b2", "1:2.66-4+deb12u3+b1");
        LT("17.0.15+6-1~deb12u1", "17.0.21.1+2-1~deb12u1");
        LT("1.10.1-3", "1.10.1-3+deb12u1");
}

static void test_version_compare_real_sequences(void **state)
{
        static const char *const ordered[] = {
                "0~",
                "0",
                "0.1~alpha",
                "0.1~beta1",
                "0.1",
                "0.1-1",
                "0.1-1+b1",
                "0.1a",
                "0.1+dfsg",
                "0.1.1",
                "0.2",
                "1.0~rc1-1",
                "1.0-1",
                "1.0-1ubuntu1",
                "1.0-1.1",
                "1.0-2",
                "1.0+really0.9-1",
                "1.0.1",
                "1:0.1",
        };
        (void)state;
        for (size_t i = 0; i + 1 < sizeof(ordered) / sizeof(ordered[0]); i++)
                for (size_t j = i + 1; j < sizeof(ordered) / sizeof(ordered[0]); j++)
                        LT(ordered[i], ordered[j]);
}

static void test_version_compare_lengths_bound_reading(void **state)
{
        (void)state;
        assert_true(dpkg_version_cmpn("1.2X", 3, "1.2", 3) == 0);
        assert_true(dpkg_version_cmpn("1.10", 3, "1.9", 3) < 0);
        assert_true(dpkg_version_cmpn("", 0, "0", 1) == 0);
}

static void test_version_valid_accepts_policy_syntax(void **state)
{
        static const char *const good[] = { "1.0",
                                            "1:1.0-1",
                                            "2.1.12-stable-8",
                                            "20250419~deb12u2",
                                            "1.0+dfsg~rc1-1ubuntu1",
                                            "1:9.2p1-2+deb12u6",
                                            "0" };
        static const char *const bad[] = { "",     "a1.0",  ":1.0",    "x:1.0",
                                           "1.0-", "1.0 2", "1.0-1_2", "1.0-a:b" };
        (void)state;
        for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
                assert_true(dpkg_version_valid(good[i], strlen(good[i])));
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
                assert_false(dpkg_version_valid(bad[i], strlen(bad[i])));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_version_compare_equal_strings),
                cmocka_unit_test(test_version_compare_equal_spellings),
                cmocka_unit_test(test_version_compare_tilde_sorts_first),
                cmocka_unit_test(test_version_compare_epoch_wins),
                cmocka_unit_test(test_version_compare_numbers_as_numbers),
                cmocka_unit_test(test_version_compare_letters_before_symbols),
                cmocka_unit_test(test_version_compare_revision),
                cmocka_unit_test(test_version_compare_upstream_before_revision),
                cmocka_unit_test(test_version_compare_real_sequences),
                cmocka_unit_test(test_version_compare_lengths_bound_reading),
                cmocka_unit_test(test_version_valid_accepts_policy_syntax),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
