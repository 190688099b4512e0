/* test_pwaudit.c - the dictionary audit: matches, order, budget, bad hashes. */
#include <crypt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pwaudit.h"

static void hash(const char *prefix, const char *password, char *out, size_t size)
{
        char setting[CRYPT_GENSALT_OUTPUT_SIZE];

        assert_non_null(crypt_gensalt_rn(prefix, 0, NULL, 0, setting, sizeof(setting)));
        strncpy(out, crypt(password, setting), size - 1);
        out[size - 1] = '\0';
}

static void list(struct wordlist *wl)
{
        assert_int_equal(wordlist_parse(strdup("# comment\n123456\npassword\n\nazerty\r\n"
                                               "soleil\n"),
                                        wl),
                         0);
        assert_int_equal(wl->n, 4);
        assert_string_equal(wl->words[2], "azerty");
}

static void test_audit_finds_name_and_list_words_and_tries_all(void **state)
{
        char h1[128], h2[128], h3[128];
        struct pwaudit_target t[3] = { { .name = "eve", .hash = h1 },
                                       { .name = "alice", .hash = h2 },
                                       { .name = "dave", .hash = h3 } };
        struct pwaudit_result r;
        struct wordlist wl;

        (void)state;
        list(&wl);
        hash("$1$", "eve", h1, sizeof(h1));
        hash("$1$", "azerty", h2, sizeof(h2));
        hash("$1$", "not-in-the-list", h3, sizeof(h3));
        assert_int_equal(pwaudit_run(t, 3, &wl, 60000, &r), 0);
        assert_int_equal(r.candidates, 5);
        assert_false(r.exhausted);
        /* A match does not stop the tries: the count would give it away. */
        assert_true(t[0].common);
        assert_int_equal(t[0].tried, 5);
        assert_true(t[1].common);
        assert_int_equal(t[1].tried, 5);
        assert_false(t[2].common);
        assert_int_equal(t[2].tried, 5);
        wordlist_free(&wl);
}

static void test_audit_without_budget_tries_nothing(void **state)
{
        char h[128];
        struct pwaudit_target t = { .name = "eve", .hash = h };
        struct pwaudit_result r;
        struct wordlist wl;

        (void)state;
        list(&wl);
        hash("$1$", "eve", h, sizeof(h));
        assert_int_equal(pwaudit_run(&t, 1, &wl, 0, &r), 0);
        assert_true(r.exhausted);
        assert_int_equal(t.tried, 0);
        assert_false(t.common);
        wordlist_free(&wl);
}

static void test_audit_marks_unsupported_hash_failed(void **state)
{
        struct pwaudit_target t = { .name = "x", .hash = "$9$unknown$scheme" };
        struct pwaudit_result r;
        struct wordlist wl;

        (void)state;
        list(&wl);
        assert_int_equal(pwaudit_run(&t, 1, &wl, 60000, &r), 0);
        assert_true(t.failed);
        assert_false(t.common);
        assert_int_equal(t.tried, 1);
        assert_false(r.exhausted);
        wordlist_free(&wl);
}

/* A crafted cost (2^31 bcrypt rounds: days) is not hashed at all; the
 * usual settings of each scheme are. alarm() makes a hang a failure. */
static void test_audit_skips_hashes_that_cost_too_much(void **state)
{
        static const char *const costly[] = {
                "$2b$31$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui",
                "$6$rounds=999999999$saltsalt$",
                "$y$jZT$saltsaltsaltsaltsalt$",
                "$y$j9T1$saltsaltsaltsaltsalt$",
                "$7$C6....zzzzzSodiumChloride$",
        };
        static const char *const fine[] = { "$2b$12$x",   "$6$saltsalt$x", "$6$rounds=5000$s$x",
                                            "$y$j9T$s$x", "$y$jC5$s$x",    "$7$C6..../....s$x",
                                            "$1$s$x",     "abcdefghijklm" };
        struct pwaudit_target t = { .name = "x" };
        struct pwaudit_result r;
        struct wordlist wl;

        (void)state;
        for (size_t i = 0; i < sizeof(fine) / sizeof(fine[0]); i++)
                assert_true(pwaudit_cost_ok(fine[i]));
        list(&wl);
        alarm(20);
        for (size_t i = 0; i < sizeof(costly) / sizeof(costly[0]); i++) {
                assert_false(pwaudit_cost_ok(costly[i]));
                t.hash = costly[i];
                assert_int_equal(pwaudit_run(&t, 1, &wl, 60000, &r), 0);
                assert_true(t.costly);
                assert_true(t.failed);
                assert_int_equal(t.tried, 0);
        }
        alarm(0);
        wordlist_free(&wl);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_audit_finds_name_and_list_words_and_tries_all),
                cmocka_unit_test(test_audit_without_budget_tries_nothing),
                cmocka_unit_test(test_audit_marks_unsupported_hash_failed),
                cmocka_unit_test(test_audit_skips_hashes_that_cost_too_much),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
