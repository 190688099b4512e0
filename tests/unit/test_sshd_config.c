/* test_sshd_config.c - sshd_config lines and first-value-wins settings. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sshd_config.h"

static int apply(void *user, const char *keyword, char *const *args, unsigned nargs, unsigned line)
{
        sshd_settings_apply(user, "etc/ssh/sshd_config", line, keyword, args, nargs);
        return 0;
}

static struct sshd_settings *parse(const char *text)
{
        struct sshd_settings *s = malloc(sizeof(*s));
        struct error e;

        sshd_settings_init(s);
        assert_int_equal(sshd_config_parse(text, "etc/ssh/sshd_config", apply, s, &e), 0);
        return s;
}

static void test_first_value_wins_case_insensitive(void **state)
{
        struct sshd_settings *s = parse("# c\npermitrootlogin YES\nPermitRootLogin no\n"
                                        "PasswordAuthentication=no\n");

        (void)state;
        assert_string_equal(s->v[SSHD_PERMIT_ROOT_LOGIN].value, "yes");
        assert_int_equal(s->v[SSHD_PERMIT_ROOT_LOGIN].line, 2);
        assert_string_equal(s->v[SSHD_PASSWORD_AUTH].value, "no");
        assert_string_equal(s->v[SSHD_KBD_INTERACTIVE].value, "");
        free(s);
}

static void test_match_blocks_are_kept_apart(void **state)
{
        struct sshd_settings *s = parse("PasswordAuthentication no\n"
                                        "Match User backup Address \"10.0.0.0/8\"\n"
                                        "  PasswordAuthentication yes\n"
                                        "  PermitRootLogin yes\n"
                                        "Match all\n"
                                        "ChallengeResponseAuthentication yes\n");

        (void)state;
        assert_string_equal(s->v[SSHD_PASSWORD_AUTH].value, "no");
        assert_string_equal(s->v[SSHD_PERMIT_ROOT_LOGIN].value, "");
        assert_int_equal(s->nmatch, 2);
        assert_string_equal(s->match[0].criteria, "User backup Address 10.0.0.0/8");
        assert_int_equal(s->match[0].line, 2);
        assert_string_equal(s->match[0].v[SSHD_PASSWORD_AUTH].value, "yes");
        assert_string_equal(s->match[0].v[SSHD_PERMIT_ROOT_LOGIN].value, "yes");
        assert_string_equal(s->match[1].v[SSHD_KBD_INTERACTIVE].value, "yes");
        free(s);
}

static void test_unterminated_quote_names_line(void **state)
{
        struct sshd_settings *s = malloc(sizeof(*s));
        struct error e;

        (void)state;
        sshd_settings_init(s);
        assert_int_equal(sshd_config_parse("Port 22\nBanner \"/etc/issue\n", "f", apply, s, &e),
                         -EINVAL);
        assert_int_equal(e.line, 2);
        free(s);
}

static void test_defaults_are_openssh_ones(void **state)
{
        (void)state;
        assert_string_equal(sshd_key_default(SSHD_PERMIT_ROOT_LOGIN), "prohibit-password");
        assert_string_equal(sshd_key_default(SSHD_PASSWORD_AUTH), "yes");
        assert_string_equal(sshd_key_name(SSHD_KBD_INTERACTIVE), "KbdInteractiveAuthentication");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_first_value_wins_case_insensitive),
                cmocka_unit_test(test_match_blocks_are_kept_apart),
                cmocka_unit_test(test_unterminated_quote_names_line),
                cmocka_unit_test(test_defaults_are_openssh_ones),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
