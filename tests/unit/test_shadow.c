/* test_shadow.c - passwd, shadow and group parsing, and password field states. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "shadow.h"

struct seen {
        unsigned n;
        struct passwd_ent pw[4];
        struct shadow_ent sh[4];
        char group[4][64];
        bool alice_in[4];
};

static int on_passwd(void *user, const struct passwd_ent *e)
{
        struct seen *s = user;

        if (s->n < 4)
                s->pw[s->n] = *e;
        s->n++;
        return 0;
}

static int on_shadow(void *user, const struct shadow_ent *e)
{
        struct seen *s = user;

        if (s->n < 4)
                s->sh[s->n] = *e;
        s->n++;
        return 0;
}

static int on_group(void *user, const struct group_ent *g)
{
        struct seen *s = user;

        if (s->n < 4) {
                strcpy(s->group[s->n], g->name);
                s->alice_in[s->n] = group_has_member(g, "alice");
        }
        s->n++;
        return 0;
}

static void test_passwd_reads_fields_and_skips_comments_and_nis(void **state)
{
        struct seen s = { 0 };
        struct error e;

        (void)state;
        assert_int_equal(passwd_parse("# comment\nroot:x:0:0:root:/root:/bin/bash\n+@nis::::::\n"
                                      "\nbob::1001:100::/home/bob:\r\n",
                                      "etc/passwd", on_passwd, &s, &e),
                         0);
        assert_int_equal(s.n, 2);
        assert_string_equal(s.pw[0].name, "root");
        assert_string_equal(s.pw[0].password, "x");
        assert_int_equal(s.pw[0].uid, 0);
        assert_string_equal(s.pw[0].shell, "/bin/bash");
        assert_string_equal(s.pw[1].password, "");
        assert_int_equal(s.pw[1].uid, 1001);
        assert_string_equal(s.pw[1].shell, "");
        assert_int_equal(s.pw[1].line, 5);
}

static void test_passwd_bad_uid_names_line(void **state)
{
        struct seen s = { 0 };
        struct error e;

        (void)state;
        assert_int_equal(passwd_parse("root:x:0:0::/root:/bin/sh\nbob:x:10a:1::/:/bin/sh\n",
                                      "etc/passwd", on_passwd, &s, &e),
                         -EINVAL);
        assert_int_equal(e.line, 2);
        assert_string_equal(e.file, "etc/passwd");
}

static void test_shadow_reads_dates_and_empty_fields(void **state)
{
        struct seen s = { 0 };
        struct error e;

        (void)state;
        assert_int_equal(shadow_parse("root:$y$j9T$abc$def:19700:0:99999:7:::\nbob::::::::\n",
                                      "etc/shadow", on_shadow, &s, &e),
                         0);
        assert_int_equal(s.n, 2);
        assert_string_equal(s.sh[0].hash, "$y$j9T$abc$def");
        assert_int_equal(s.sh[0].lastchg, 19700);
        assert_int_equal(s.sh[0].max, 99999);
        assert_string_equal(s.sh[1].hash, "");
        assert_int_equal(s.sh[1].lastchg, -1);
        assert_int_equal(s.sh[1].max, -1);
}

static void test_shadow_missing_fields_is_an_error_with_line(void **state)
{
        struct seen s = { 0 };
        struct error e;

        (void)state;
        assert_int_equal(shadow_parse("root:*:19000:0:99999:7:::\nalice:!:19000:0\n", "etc/shadow",
                                      on_shadow, &s, &e),
                         -EINVAL);
        assert_int_equal(e.line, 2);
        assert_string_equal(e.msg, "expected 9 fields separated by ':', found 4");
        assert_int_equal(s.n, 1);
}

static void test_shadow_bad_date_is_an_error(void **state)
{
        struct seen s = { 0 };
        struct error e;

        (void)state;
        assert_int_equal(
            shadow_parse("root:*:yesterday:0:99999:7:::\n", "etc/shadow", on_shadow, &s, &e),
            -EINVAL);
        assert_int_equal(e.line, 1);
}

static void test_group_members(void **state)
{
        struct seen s = { 0 };
        struct error e;

        (void)state;
        assert_int_equal(group_parse("sudo:x:27:bob,alice\nwheel:x:10:alicia,alic\nadm:x:4:\n",
                                     "etc/group", on_group, &s, &e),
                         0);
        assert_int_equal(s.n, 3);
        assert_string_equal(s.group[0], "sudo");
        assert_true(s.alice_in[0]);
        assert_false(s.alice_in[1]);
        assert_false(s.alice_in[2]);
}

static void test_hash_states_and_schemes(void **state)
{
        const char *scheme;

        (void)state;
        assert_int_equal(shadow_hash_state("", &scheme), HASH_EMPTY);
        assert_string_equal(scheme, "none");
        assert_int_equal(shadow_hash_state("$y$j9T$salt$hash", &scheme), HASH_SET);
        assert_string_equal(scheme, "yescrypt");
        assert_int_equal(shadow_hash_state("$gy$j9T$s$h", &scheme), HASH_SET);
        assert_string_equal(scheme, "gost-yescrypt");
        assert_int_equal(shadow_hash_state("$2y$10$abc", &scheme), HASH_SET);
        assert_string_equal(scheme, "bcrypt");
        assert_int_equal(shadow_hash_state("$6$salt$hash", &scheme), HASH_SET);
        assert_string_equal(scheme, "sha512");
        assert_int_equal(shadow_hash_state("$1$salt$hash", &scheme), HASH_SET);
        assert_string_equal(scheme, "md5");
        assert_int_equal(shadow_hash_state("JGXUffNNKyyhk", &scheme), HASH_SET);
        assert_string_equal(scheme, "des");
        assert_int_equal(shadow_hash_state("$9$what$ever", &scheme), HASH_SET);
        assert_string_equal(scheme, "unknown");
        assert_int_equal(shadow_hash_state("!$1$salt$hash", &scheme), HASH_LOCKED);
        assert_string_equal(scheme, "md5");
        assert_int_equal(shadow_hash_state("*", &scheme), HASH_LOCKED);
        assert_string_equal(scheme, "none");
        assert_int_equal(shadow_hash_state("!!", &scheme), HASH_LOCKED);
        assert_int_equal(shadow_hash_state("x", &scheme), HASH_DISABLED);
        assert_int_equal(shadow_hash_state("NP", &scheme), HASH_DISABLED);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_passwd_reads_fields_and_skips_comments_and_nis),
                cmocka_unit_test(test_passwd_bad_uid_names_line),
                cmocka_unit_test(test_shadow_reads_dates_and_empty_fields),
                cmocka_unit_test(test_shadow_missing_fields_is_an_error_with_line),
                cmocka_unit_test(test_shadow_bad_date_is_an_error),
                cmocka_unit_test(test_group_members),
                cmocka_unit_test(test_hash_states_and_schemes),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
