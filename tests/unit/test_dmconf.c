/* test_dmconf.c - the display managers' automatic login settings: each
 * one's keys and sections, later files winning, and what each refuses. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "dmconf.h"

static void autologin(enum dm dm, const char *text, struct dmconf_autologin *al)
{
        struct dmconf c;
        struct error e;

        dmconf_init(&c, dm);
        assert_int_equal(dmconf_parse(&c, text, "f.conf", &e), 0);
        dmconf_autologin(&c, al);
}

static void test_gdm_automatic_login_needs_both_keys(void **state)
{
        struct dmconf_autologin al;

        (void)state;
        autologin(DM_GDM,
                  "# GDM configuration storage\n"
                  "[daemon]\n"
                  "  AutomaticLoginEnable = True\n"
                  "AutomaticLogin=accueil\n"
                  "[security]\n"
                  "AutomaticLogin=other\n",
                  &al);
        assert_true(al.enabled);
        assert_string_equal(al.user, "accueil");
        assert_string_equal(al.how, "AutomaticLoginEnable=True");
        assert_string_equal(al.file, "f.conf");
        assert_int_equal(al.line, 3);
        /* Enabled without a user, or a user without enabling: no login. */
        autologin(DM_GDM, "[daemon]\nAutomaticLoginEnable=true\n", &al);
        assert_false(al.enabled);
        autologin(DM_GDM, "[daemon]\nAutomaticLogin=accueil\n", &al);
        assert_false(al.enabled);
        autologin(DM_GDM, "[daemon]\nAutomaticLoginEnable=yes\nAutomaticLogin=accueil\n", &al);
        assert_false(al.enabled);
}

static void test_gdm_timed_login(void **state)
{
        struct dmconf_autologin al;

        (void)state;
        autologin(DM_GDM, "[daemon]\nTimedLoginEnable=1\nTimedLogin=nuit\nTimedLoginDelay=10\n",
                  &al);
        assert_true(al.enabled);
        assert_string_equal(al.user, "nuit");
        assert_string_equal(al.how, "TimedLoginEnable=1");
        assert_int_equal(al.line, 2);
}

static void test_lightdm_seats_and_guest(void **state)
{
        struct dmconf_autologin al;

        (void)state;
        autologin(DM_LIGHTDM, "[LightDM]\nautologin-user=no\n[Seat:*]\nautologin-user=accueil\n",
                  &al);
        assert_true(al.enabled);
        assert_string_equal(al.user, "accueil");
        assert_string_equal(al.how, "autologin-user=accueil");
        assert_int_equal(al.line, 4);
        autologin(DM_LIGHTDM, "[SeatDefaults]\nautologin-guest=true\n", &al);
        assert_true(al.enabled);
        assert_string_equal(al.user, "guest");
        /* GKeyFile reads only "true" or "1". */
        autologin(DM_LIGHTDM, "[SeatDefaults]\nautologin-guest=True\n", &al);
        assert_false(al.enabled);
}

/* A later file's empty value turns off what an earlier one set. */
static void test_later_file_wins(void **state)
{
        struct dmconf c;
        struct dmconf_autologin al;
        struct error e;

        (void)state;
        dmconf_init(&c, DM_LIGHTDM);
        assert_int_equal(dmconf_parse(&c, "[Seat:*]\nautologin-user=accueil\n", "a.conf", &e), 0);
        assert_int_equal(dmconf_parse(&c, "[Seat:*]\nautologin-user=\n", "b.conf", &e), 0);
        dmconf_autologin(&c, &al);
        assert_false(al.enabled);
        assert_int_equal(dmconf_parse(&c, "[Seat:seat0]\nautologin-user=soir\n", "c.conf", &e), 0);
        dmconf_autologin(&c, &al);
        assert_true(al.enabled);
        assert_string_equal(al.file, "c.conf");
}

static void test_sddm_autologin_section(void **state)
{
        struct dmconf_autologin al;

        (void)state;
        autologin(DM_SDDM, "; sddm\n[General]\nUser=x\n[Autologin]\nUser=accueil\nSession=plasma\n",
                  &al);
        assert_true(al.enabled);
        assert_string_equal(al.user, "accueil");
        assert_string_equal(al.how, "User=accueil");
        assert_int_equal(al.line, 5);
}

static void test_malformed_lines_are_refused_with_their_line(void **state)
{
        struct dmconf c;
        struct error e;
        char big[DMCONF_LINE_MAX + 16];

        (void)state;
        dmconf_init(&c, DM_GDM);
        assert_int_equal(dmconf_parse(&c, "[daemon]\nAutomaticLoginEnable\n", "f.conf", &e),
                         -EINVAL);
        assert_int_equal(e.line, 2);
        assert_string_equal(e.msg, "expected \"key=value\"");
        assert_int_equal(dmconf_parse(&c, "[daemon\n", "f.conf", &e), -EINVAL);
        assert_int_equal(dmconf_parse(&c, "[daemon]\n=x\n", "f.conf", &e), -EINVAL);
        /* ';' starts a comment for SDDM only. */
        assert_int_equal(dmconf_parse(&c, "; comment\n", "f.conf", &e), -EINVAL);
        memset(big, 'a', sizeof(big) - 1);
        big[sizeof(big) - 1] = '\0';
        assert_int_equal(dmconf_parse(&c, big, "f.conf", &e), -EFBIG);
}

/* A value longer than the buffer is cut, not lost: the login still shows. */
static void test_long_user_is_cut(void **state)
{
        struct dmconf_autologin al;
        char text[256];

        (void)state;
        snprintf(text, sizeof(text), "[Autologin]\nUser=%0100d\n", 0);
        autologin(DM_SDDM, text, &al);
        assert_true(al.enabled);
        assert_int_equal(strlen(al.user), DMCONF_VALUE_MAX - 1);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_gdm_automatic_login_needs_both_keys),
                cmocka_unit_test(test_gdm_timed_login),
                cmocka_unit_test(test_lightdm_seats_and_guest),
                cmocka_unit_test(test_later_file_wins),
                cmocka_unit_test(test_sddm_autologin_section),
                cmocka_unit_test(test_malformed_lines_are_refused_with_their_line),
                cmocka_unit_test(test_long_user_is_cut),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
