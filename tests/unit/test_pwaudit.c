/* test_pwaudit.c - the dictionary audit: matches, order, budget, bad hashes. */
#include <crypt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "pwaudit.h"
#include "pwcache.h"

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

static void test_audit_resumes_where_the_cache_left_off(void **state)
{
        unsigned char digest[32] = { 1, 2, 3 };
        char h[128], dir[] = "/tmp/hygie-pwcache-XXXXXX", path[64];
        struct pwaudit_target t = { .name = "eve", .hash = h };
        struct pwaudit_result r;
        struct wordlist wl;
        struct pwcache *c;
        struct stat st;
        bool common;
        FILE *f;
        char line[128];

        (void)state;
        list(&wl);
        hash("$6$", "soleil", h, sizeof(h));
        assert_non_null(mkdtemp(dir));
        assert_int_equal(pwcache_open(dir, digest, &c), 0);
        pwcache_get(c, h, &t.start, &t.was_common);
        assert_int_equal(t.start, 0);
        /* A first run that stops after the name and two words. */
        t.start = 0;
        assert_int_equal(pwaudit_run(&t, 1, &wl, 60000, &r), 0);
        assert_int_equal(t.tried, 5);
        assert_true(t.common);
        pwcache_put(c, h, 3, false);
        assert_int_equal(pwcache_save(c), 0);
        pwcache_free(c);

        /* The cache names no hash, and the key is the agent's alone. */
        snprintf(path, sizeof(path), "%s/pwaudit.key", dir);
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0600);
        snprintf(path, sizeof(path), "%s/pwaudit.cache", dir);
        f = fopen(path, "r");
        assert_non_null(f);
        assert_non_null(fgets(line, sizeof(line), f));
        fclose(f);
        assert_null(strstr(line, h + 3));
        assert_int_equal(strlen(line), 32 + strlen(" 3 0\n"));

        /* The next run takes up from the fourth candidate. */
        assert_int_equal(pwcache_open(dir, digest, &c), 0);
        pwcache_get(c, h, &t.start, &t.was_common);
        assert_int_equal(t.start, 3);
        assert_false(t.was_common);
        assert_int_equal(pwaudit_run(&t, 1, &wl, 60000, &r), 0);
        assert_int_equal(t.tried, 5);
        assert_true(t.common);
        /* Another list, or another hash: nothing is known. */
        digest[0] = 9;
        pwcache_free(c);
        assert_int_equal(pwcache_open(dir, digest, &c), 0);
        pwcache_get(c, h, &t.start, &common);
        assert_int_equal(t.start, 0);
        pwcache_free(c);
        /* All tried: nothing to hash. */
        t.start = 5;
        t.was_common = true;
        assert_int_equal(pwaudit_run(&t, 1, &wl, 0, &r), 0);
        assert_int_equal(t.tried, 5);
        assert_true(t.common);
        assert_false(r.exhausted);
        wordlist_free(&wl);
        snprintf(path, sizeof(path), "rm -rf %s", dir);
        assert_int_equal(system(path), 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_audit_finds_name_and_list_words_and_tries_all),
                cmocka_unit_test(test_audit_without_budget_tries_nothing),
                cmocka_unit_test(test_audit_marks_unsupported_hash_failed),
                cmocka_unit_test(test_audit_skips_hashes_that_cost_too_much),
                cmocka_unit_test(test_audit_resumes_where_the_cache_left_off),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
