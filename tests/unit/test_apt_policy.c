/* test_apt_policy.c - Release files, apt_preferences pins, apt.conf options. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "apt_conf.h"
#include "apt_prefs.h"
#include "apt_release.h"

static const char inrelease[] =
    "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n"
    "Origin: Debian\nLabel: Debian-Security\nSuite: oldstable-security\n"
    "Version: 12\nCodename: bookworm-security\n"
    "SHA256:\n 00 12 main/binary-amd64/Packages\n"
    "-----BEGIN PGP SIGNATURE-----\n\nabc\n-----END PGP SIGNATURE-----\n";

static void test_release_inrelease_fields(void **state)
{
        struct apt_release r;
        struct error e;

        (void)state;
        assert_int_equal(apt_release_parse(inrelease, strlen(inrelease), "InRelease", &r, &e), 0);
        assert_string_equal(r.suite, "oldstable-security");
        assert_string_equal(r.codename, "bookworm-security");
        assert_string_equal(r.label, "Debian-Security");
        assert_string_equal(r.version, "12");
        assert_false(r.not_automatic);
        assert_true(apt_release_is_security(&r));
}

static void test_release_backports_flags(void **state)
{
        static const char t[] = "Origin: Debian Backports\nLabel: Debian Backports\n"
                                "Suite: bookworm-backports\nCodename: bookworm-backports\n"
                                "NotAutomatic: yes\nButAutomaticUpgrades: yes\n";
        struct apt_release r;
        struct error e;

        (void)state;
        assert_int_equal(apt_release_parse(t, strlen(t), "Release", &r, &e), 0);
        assert_true(r.not_automatic);
        assert_true(r.but_automatic_upgrades);
        assert_false(apt_release_is_security(&r));
}

static void test_release_security_from_fields_not_name(void **state)
{
        static const char ubuntu[] = "Origin: Ubuntu\nLabel: Ubuntu\nSuite: noble-security\n";
        static const char plain[] = "Origin: Debian\nLabel: Debian\nSuite: stable-updates\n";
        struct apt_release r;
        struct error e;

        (void)state;
        assert_int_equal(apt_release_parse(ubuntu, strlen(ubuntu), "R", &r, &e), 0);
        assert_true(apt_release_is_security(&r));
        assert_int_equal(apt_release_parse(plain, strlen(plain), "R", &r, &e), 0);
        assert_false(apt_release_is_security(&r));
}

static void test_release_garbage_is_error(void **state)
{
        static const char t[] = "Origin: Debian\n\x01\x02 binary\n";
        struct apt_release r;
        struct error e;

        (void)state;
        assert_int_equal(apt_release_parse(t, strlen(t), "R", &r, &e), -EINVAL);
        assert_int_equal(e.line, 2);
        assert_int_equal(
            apt_release_parse("-----BEGIN PGP SIGNED MESSAGE-----\n\nA: b\n", 40, "R", &r, &e),
            -EINVAL);
}

static void test_prefs_parse_and_match(void **state)
{
        static const char t[] =
            "Explanation: only words\n\n"
            "Package: curl libcurl*\nPin: release n=bookworm-backports\n"
            "Pin-Priority: 600\n\n"
            "Package: /^vim/ foo:i386\nPin: version 2:9.0*\nPin-Priority: 1001\n\n"
            "Package: *\nPin: origin \"\"\nPin-Priority: -10\n";
        struct apt_prefs p = { 0 };
        struct error e;
        struct apt_release bpo = { .suite = "stable-backports", .codename = "bookworm-backports" };
        struct apt_origin o = { &bpo, "main", "amd64", "deb.debian.org" };

        (void)state;
        assert_int_equal(apt_prefs_parse(&p, t, strlen(t), "prefs", &e), 0);
        assert_int_equal(p.n, 3);
        assert_true(apt_pin_covers(&p.v[0], "curl", "amd64", true));
        assert_true(apt_pin_covers(&p.v[0], "libcurl4", "amd64", true));
        assert_false(apt_pin_covers(&p.v[0], "curl", "i386", false));
        assert_false(apt_pin_covers(&p.v[0], "wget", "amd64", true));
        assert_true(apt_pin_matches_origin(p.v[0].type, p.v[0].data, &o));
        assert_true(apt_pin_covers(&p.v[1], "vim-tiny", "amd64", true));
        assert_true(apt_pin_covers(&p.v[1], "foo", "i386", false));
        assert_false(apt_pin_covers(&p.v[1], "foo", "amd64", true));
        assert_true(apt_pin_matches_version(p.v[1].data, "2:9.0.1378-2"));
        assert_false(apt_pin_matches_version(p.v[1].data, "2:9.1-1"));
        assert_true(p.v[2].general);
        assert_int_equal(p.v[2].priority, -10);
        assert_false(apt_pin_matches_origin(p.v[2].type, p.v[2].data, &o));
        apt_prefs_free(&p);
}

static void test_prefs_release_terms(void **state)
{
        struct apt_release r = { .origin = "Debian",
                                 .label = "Debian-Security",
                                 .suite = "oldstable-security",
                                 .codename = "bookworm-security",
                                 .version = "12" };
        struct apt_origin o = { &r, "main", "amd64", "deb.debian.org" };

        (void)state;
        assert_true(apt_pin_matches_origin(APT_PIN_RELEASE, "o=Debian,l=Debian-Security", &o));
        assert_true(apt_pin_matches_origin(APT_PIN_RELEASE, "a=oldstable-security, c=main", &o));
        assert_false(apt_pin_matches_origin(APT_PIN_RELEASE, "a=stable-security", &o));
        assert_true(apt_pin_matches_origin(APT_PIN_RELEASE, "v=12*", &o));
        assert_true(apt_pin_matches_origin(APT_PIN_RELEASE, "bookworm-security", &o));
        assert_true(apt_pin_matches_origin(APT_PIN_RELEASE, "12", &o));
        assert_true(apt_pin_matches_origin(APT_PIN_RELEASE, "n=/-security$/", &o));
        assert_false(apt_pin_matches_origin(APT_PIN_RELEASE, "c=contrib", &o));
        assert_true(apt_pin_matches_origin(APT_PIN_ORIGIN, "deb.debian.org", &o));
        assert_false(apt_pin_matches_origin(APT_PIN_ORIGIN, "security.ubuntu.com", &o));
}

static void test_prefs_bad_stanza_names_line(void **state)
{
        static const char t[] = "Package: a\nPin: release a=x\nPin-Priority: 500\n\n"
                                "Package: b\nPin: sometimes\nPin-Priority: 500\n";
        static const char zero[] = "Package: a\nPin: release a=x\nPin-Priority: 0\n";
        struct apt_prefs p = { 0 };
        struct error e;

        (void)state;
        assert_int_equal(apt_prefs_parse(&p, t, strlen(t), "prefs", &e), -EINVAL);
        assert_int_equal(e.line, 6);
        assert_int_equal(p.n, 1);
        assert_int_equal(apt_prefs_parse(&p, zero, strlen(zero), "prefs", &e), -EINVAL);
        assert_int_equal(e.line, 3);
        apt_prefs_free(&p);
}

static void test_prefs_refuses_regex_that_would_explode(void **state)
{
        static const char t[] = "Package: /((((a{1,999}){1,999}){1,999}){1,999})/\n"
                                "Pin: release a=x\nPin-Priority: 500\n";
        static const char ok[] = "Package: /^lib(ssl|crypto)[0-9]{1,3}$/\n"
                                 "Pin: release a=x\nPin-Priority: 500\n";
        struct apt_prefs p = { 0 };
        struct error e;

        (void)state;
        assert_int_equal(apt_prefs_parse(&p, t, strlen(t), "prefs", &e), -EINVAL);
        assert_int_equal(e.line, 1);
        apt_prefs_free(&p);
        memset(&p, 0, sizeof(p));
        assert_int_equal(apt_prefs_parse(&p, ok, strlen(ok), "prefs", &e), 0);
        assert_true(apt_pin_covers(&p.v[0], "libssl3", "amd64", true));
        assert_false(apt_pin_covers(&p.v[0], "libssl", "amd64", true));
        assert_false(apt_expr_match("/(a{1,999}){1,999}/", "a"));
        apt_prefs_free(&p);
}

static void test_conf_flat_and_nested_last_wins(void **state)
{
        static const char t[] = "// comment\nAPT::Periodic::Unattended-Upgrade \"1\";\n"
                                "/* block */ # hash comment\n"
                                "APT { Periodic { Update-Package-Lists \"1\"; "
                                "unattended-upgrade \"0\"; }; };\n"
                                "Unattended-Upgrade::Allowed-Origins { \"a\"; \"b\"; };\n";
        char v[16];

        (void)state;
        assert_int_equal(
            apt_conf_get(t, strlen(t), "APT::Periodic::Unattended-Upgrade", v, sizeof(v)), 1);
        assert_string_equal(v, "0");
        assert_int_equal(
            apt_conf_get(t, strlen(t), "APT::Periodic::Update-Package-Lists", v, sizeof(v)), 1);
        assert_string_equal(v, "1");
        assert_int_equal(apt_conf_get(t, strlen(t), "APT::Default-Release", v, sizeof(v)), 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_prefs_refuses_regex_that_would_explode),
                cmocka_unit_test(test_release_inrelease_fields),
                cmocka_unit_test(test_release_backports_flags),
                cmocka_unit_test(test_release_security_from_fields_not_name),
                cmocka_unit_test(test_release_garbage_is_error),
                cmocka_unit_test(test_prefs_parse_and_match),
                cmocka_unit_test(test_prefs_release_terms),
                cmocka_unit_test(test_prefs_bad_stanza_names_line),
                cmocka_unit_test(test_conf_flat_and_nested_last_wins),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
