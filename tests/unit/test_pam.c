/* test_pam.c - pam.d rules, key/value files and each module's minimum length. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pam.h"

struct rules {
        unsigned n;
        struct pam_line l[8];
};

static int on_rule(void *user, const struct pam_line *l)
{
        struct rules *r = user;

        if (r->n < 8)
                r->l[r->n] = *l;
        r->n++;
        return 0;
}

static void test_pam_parses_brackets_continuations_and_includes(void **state)
{
        struct rules *r = calloc(1, sizeof(*r));
        struct error e;

        (void)state;
        assert_int_equal(pam_parse("#%PAM-1.0\n@include common-password\n"
                                   "password [success=1 default=ignore] pam_unix.so obscure "
                                   "yescrypt # comment\n"
                                   "-password optional pam_gnome_keyring.so \\\n  use_authtok\n"
                                   "password requisite pam_exec.so [a b] minlen=3\n",
                                   "etc/pam.d/passwd", on_rule, r, &e),
                         0);
        assert_int_equal(r->n, 4);
        assert_string_equal(r->l[0].type, "@include");
        assert_string_equal(r->l[0].module, "common-password");
        assert_string_equal(r->l[1].control, "[success=1 default=ignore]");
        assert_string_equal(r->l[1].module, "pam_unix.so");
        assert_int_equal(r->l[1].nargs, 2);
        assert_string_equal(r->l[1].args[1], "yescrypt");
        assert_true(r->l[2].optional);
        assert_string_equal(r->l[2].type, "password");
        assert_int_equal(r->l[2].line, 4);
        assert_string_equal(r->l[2].args[0], "use_authtok");
        assert_string_equal(r->l[3].args[0], "a b");
        assert_int_equal(r->l[3].line, 6);
        free(r);
}

static void test_pam_bad_type_names_line(void **state)
{
        struct rules *r = calloc(1, sizeof(*r));
        struct error e;

        (void)state;
        assert_int_equal(pam_parse("auth required pam_env.so\npasswd required pam_unix.so\n",
                                   "etc/pam.d/x", on_rule, r, &e),
                         -EINVAL);
        assert_int_equal(e.line, 2);
        assert_int_equal(pam_parse("password required\n", "etc/pam.d/x", on_rule, r, &e), -EINVAL);
        free(r);
}

struct kv {
        char keys[4][64], values[4][256];
        unsigned lines[4], n;
};

static int on_kv(void *user, const char *key, const char *value, unsigned line)
{
        struct kv *kv = user;

        if (kv->n < 4) {
                strcpy(kv->keys[kv->n], key);
                strcpy(kv->values[kv->n], value);
                kv->lines[kv->n] = line;
        }
        kv->n++;
        return 0;
}

static void test_keyval_both_syntaxes(void **state)
{
        struct kv kv = { 0 };
        struct error e;

        (void)state;
        assert_int_equal(keyval_parse("# c\nPASS_MAX_DAYS\t 90 \n\nENCRYPT_METHOD YESCRYPT\n",
                                      "etc/login.defs", ' ', on_kv, &kv, &e),
                         0);
        assert_int_equal(kv.n, 2);
        assert_string_equal(kv.keys[0], "PASS_MAX_DAYS");
        assert_string_equal(kv.values[0], "90");
        assert_int_equal(kv.lines[1], 4);
        memset(&kv, 0, sizeof(kv));
        assert_int_equal(keyval_parse("  minlen = 14 # comment\nenforce_for_root\nMinLen=10\n"
                                      "minlen 9\n",
                                      "pwquality.conf", '=', on_kv, &kv, &e),
                         0);
        assert_int_equal(kv.n, 4);
        assert_string_equal(kv.keys[0], "minlen");
        assert_string_equal(kv.values[0], "14");
        assert_string_equal(kv.keys[1], "enforce_for_root");
        assert_string_equal(kv.values[1], "");
        assert_string_equal(kv.keys[2], "MinLen");
        assert_string_equal(kv.values[2], "10");
        assert_string_equal(kv.values[3], "9");
        memset(&kv, 0, sizeof(kv));
        assert_int_equal(
            keyval_parse("ENCRYPT_METHOD \"SHA512\"\n", "etc/login.defs", ' ', on_kv, &kv, &e), 0);
        assert_string_equal(kv.values[0], "SHA512");
}

static void module(struct pam_line *l, const char *name, const char *arg)
{
        memset(l, 0, sizeof(*l));
        strcpy(l->type, "password");
        strcpy(l->module, name);
        if (arg) {
                strcpy(l->args[0], arg);
                l->nargs = 1;
        }
}

static void test_module_defaults(void **state)
{
        struct pwquality q;
        struct pam_line *l = malloc(sizeof(*l));
        struct pam_minlen m;

        (void)state;
        pwquality_defaults(&q);
        module(l, "pam_unix.so", "obscure");
        pam_module_minlen(l, &q, &m);
        assert_int_equal(m.length, 6);
        assert_string_equal(m.source, "default");
        module(l, "/lib/security/pam_pwquality.so", NULL);
        pam_module_minlen(l, &q, &m);
        assert_int_equal(m.length, 8);
        assert_string_equal(m.source, "default");
        module(l, "pam_cracklib.so", NULL); /* minlen 9 less 4 credits, then cracklib's 6 */
        pam_module_minlen(l, &q, &m);
        assert_int_equal(m.length, 6);
        assert_int_equal(m.credits, 4);
        module(l, "pam_passwdqc.so", NULL);
        pam_module_minlen(l, &q, &m);
        assert_int_equal(m.length, 7);
        module(l, "pam_deny.so", NULL);
        pam_module_minlen(l, &q, &m);
        assert_int_equal(m.length, -1);
        free(l);
}

static void test_pwquality_conf_then_arguments(void **state)
{
        struct pwquality q;
        struct pam_line *l = malloc(sizeof(*l));
        struct pam_minlen m;

        (void)state;
        pwquality_defaults(&q);
        assert_int_equal(pwquality_set(&q, "minlen", "14", "etc/security/pwquality.conf", 3), 0);
        assert_int_equal(pwquality_set(&q, "minlen", "x", "f", 4), -EINVAL);
        module(l, "pam_pwquality.so", "retry=3");
        pam_module_minlen(l, &q, &m);
        assert_int_equal(m.length, 14);
        assert_string_equal(m.source, "pwquality.conf");
        assert_int_equal(q.minlen_line, 3);
        module(l, "pam_pwquality.so", "minlen=10");
        pam_module_minlen(l, &q, &m);
        assert_int_equal(m.length, 10);
        assert_string_equal(m.source, "argument");
        module(l, "pam_pwquality.so", "minlen=2"); /* never below 6 */
        pam_module_minlen(l, &q, &m);
        assert_int_equal(m.length, 6);
        pwquality_set(&q, "dcredit", "2", "f", 5);
        module(l, "pam_pwquality.so", "ucredit=1");
        pam_module_minlen(l, &q, &m);
        assert_int_equal(m.length, 11);
        assert_int_equal(m.credits, 3);
        module(l, "pam_unix.so", "minlen=12");
        pam_module_minlen(l, &q, &m);
        assert_int_equal(m.length, 12);
        assert_string_equal(m.source, "argument");
        free(l);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_pam_parses_brackets_continuations_and_includes),
                cmocka_unit_test(test_pam_bad_type_names_line),
                cmocka_unit_test(test_keyval_both_syntaxes),
                cmocka_unit_test(test_module_defaults),
                cmocka_unit_test(test_pwquality_conf_then_arguments),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
