/* test_apt_policy.c - Release files, apt_preferences pins, apt.conf options,
 * and the candidate the patch collector derives from them on roots built
 * here (each expectation checked with apt-cache policy on the same files). */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "apt_conf.h"
#include "apt_prefs.h"
#include "apt_release.h"
#include "collector.h"

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

/* ---- the candidate, on a root ---- */

#define MAIN_LIST                                                                                  \
        "var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages"
#define SEC_LIST                                                                                   \
        "var/lib/apt/lists/"                                                                       \
        "deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages"
#define SEC_RELEASE                                                                                \
        "var/lib/apt/lists/deb.debian.org_debian-security_dists_bookworm-security_Release"

struct root {
        char dir[64];
        json_t *facts;
};

static void put(const struct root *r, const char *rel, const char *text)
{
        char path[PATH_MAX];
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", r->dir, rel);
        for (char *q = path + strlen(r->dir) + 1; *q; q++)
                if (*q == '/') {
                        *q = '\0';
                        mkdir(path, 0755);
                        *q = '/';
                }
        f = fopen(path, "w");
        assert_non_null(f);
        fputs(text, f);
        fclose(f);
}

/* One package's stanza in dpkg's status or in a list; the lists' "rebuilt"
 * is another build (Installed-Size) of its version. */
static char *stanza(char *buf, size_t size, const char *name, const char *version, bool installed)
{
        snprintf(buf, size,
                 "Package: %s\n%sVersion: %s\nInstalled-Size: %d\nArchitecture: amd64\n"
                 "Depends: libc6 (>= 2.34)\nDescription: test\n\n",
                 name, installed ? "Status: install ok installed\n" : "", version,
                 strcmp(name, "rebuilt") == 0 && !installed ? 11 : 10);
        return buf;
}

static int root_setup(void **state)
{
        struct root *r = calloc(1, sizeof(*r));

        if (!r)
                return -1;
        snprintf(r->dir, sizeof(r->dir), "/tmp/hygie-test-apt-XXXXXX");
        if (!mkdtemp(r->dir))
                return -1;
        *state = r;
        return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        (void)st;
        (void)flag;
        (void)ftw;
        return remove(path);
}

static int root_teardown(void **state)
{
        struct root *r = *state;

        json_decref(r->facts);
        nftw(r->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
        free(r);
        return 0;
}

/* Collects the patch facts of the root; returns facts.pending. */
static const json_t *pending(struct root *r)
{
        struct rootfs fs;
        struct policy pol;
        struct collect_ctx ctx = { .root = &fs, .policy = &pol, .now = time(NULL) };

        policy_defaults(&pol);
        assert_int_equal(rootfs_init(&fs, r->dir), 0);
        json_decref(r->facts);
        r->facts = json_object();
        assert_int_equal(patch_collect(&ctx, r->facts), 0);
        rootfs_close(&fs);
        assert_null(json_object_get(r->facts, "errors"));
        return json_object_get(r->facts, "pending");
}

static const char *item(const json_t *pend, size_t i, const char *key)
{
        return json_string_value(json_object_get(json_array_get(pend, i), key));
}

/* Spellings dpkg --compare-versions deems equal: each pair is one version,
 * so an archive that has it holds the installed version, not an update. */
static void test_candidate_equal_spelling_is_the_installed_version(void **state)
{
        static const char *const pairs[][2] = {
                { "1.0-1", "1.0-01" }, { "1.1-1", "1.01-1" },     { "2.0-1", "0:2.0-1" },
                { "3.0", "3.0-0" },    { "1:4.0-1", "01:4.0-1" }, { "5.0a-1", "5.0a0-1" },
        };
        struct root *r = *state;
        char status[4096], list[4096], a[256], b[256];
        size_t n = sizeof(pairs) / sizeof(pairs[0]);

        snprintf(status, sizeof(status), "%s", stanza(a, sizeof(a), "dpkg", "1.21.22", true));
        snprintf(list, sizeof(list), "%s", stanza(a, sizeof(a), "dpkg", "1.21.22", false));
        for (size_t i = 0; i < n; i++) {
                char name[16];
                snprintf(name, sizeof(name), "pkg%zu", i);
                strcat(status, stanza(a, sizeof(a), name, pairs[i][0], true));
                strcat(list, stanza(b, sizeof(b), name, pairs[i][1], false));
        }
        put(r, "var/lib/dpkg/status", status);
        put(r, MAIN_LIST, list);
        assert_int_equal(json_array_size(pending(r)), 0);
        assert_int_equal(json_integer_value(json_object_get(r->facts, "installed_count")),
                         (json_int_t)n + 1);
}

/* apt keeps the spelling it read first and matches a version pin against
 * that string: "Pin: version 7.0-1" does not hold 7.0-01 back, and the
 * installed version is shown as the list spells it. */
static void test_candidate_version_pin_matches_the_spelling_read_first(void **state)
{
        struct root *r = *state;
        char status[1024], list[1024], a[256];
        const json_t *pend;

        snprintf(status, sizeof(status), "%s", stanza(a, sizeof(a), "pinned", "7.0-1", true));
        snprintf(list, sizeof(list), "%s", stanza(a, sizeof(a), "pinned", "7.0-01", false));
        strcat(list, stanza(a, sizeof(a), "pinned", "7.0-2", false));
        put(r, "var/lib/dpkg/status", status);
        put(r, MAIN_LIST, list);
        put(r, "etc/apt/preferences", "Package: pinned\nPin: version 7.0-1\nPin-Priority: 1001\n");
        pend = pending(r);
        assert_int_equal(json_array_size(pend), 1);
        assert_string_equal(item(pend, 0, "installed"), "7.0-01");
        assert_string_equal(item(pend, 0, "candidate"), "7.0-2");
}

/* One version that two archives spell differently is in both: a security
 * update even when the other spelling comes from the main archive. */
static void test_candidate_one_version_spelled_twice_is_in_both_archives(void **state)
{
        struct root *r = *state;
        char status[1024], a[256];
        const json_t *pend, *origins;

        snprintf(status, sizeof(status), "%s", stanza(a, sizeof(a), "twice", "5.0-1", true));
        put(r, "var/lib/dpkg/status", status);
        put(r, MAIN_LIST, stanza(a, sizeof(a), "twice", "5.0-2", false));
        put(r, SEC_LIST, stanza(a, sizeof(a), "twice", "5.0-02", false));
        put(r, SEC_RELEASE,
            "Origin: Debian\nLabel: Debian-Security\nSuite: stable-security\n"
            "Codename: bookworm-security\n");
        pend = pending(r);
        assert_int_equal(json_array_size(pend), 1);
        assert_string_equal(item(pend, 0, "installed"), "5.0-1");
        assert_true(json_is_true(json_object_get(json_array_get(pend, 0), "security")));
        origins = json_object_get(json_array_get(pend, 0), "origins");
        assert_int_equal(json_array_size(origins), 2);
        assert_int_equal(json_integer_value(json_object_get(r->facts, "security_count")), 1);
}

/* A local rebuild (other Installed-Size) of a version equal to the installed
 * one is another version to apt, and listed before it: an update. */
static void test_candidate_rebuild_of_equal_version_is_an_update(void **state)
{
        struct root *r = *state;
        char status[1024], a[256];
        const json_t *pend;

        snprintf(status, sizeof(status), "%s", stanza(a, sizeof(a), "rebuilt", "4.0-1", true));
        put(r, "var/lib/dpkg/status", status);
        put(r, MAIN_LIST, stanza(a, sizeof(a), "rebuilt", "4.0-01", false));
        pend = pending(r);
        assert_int_equal(json_array_size(pend), 1);
        assert_string_equal(item(pend, 0, "installed"), "4.0-1");
        assert_string_equal(item(pend, 0, "candidate"), "4.0-01");
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
                cmocka_unit_test_setup_teardown(
                    test_candidate_equal_spelling_is_the_installed_version, root_setup,
                    root_teardown),
                cmocka_unit_test_setup_teardown(
                    test_candidate_version_pin_matches_the_spelling_read_first, root_setup,
                    root_teardown),
                cmocka_unit_test_setup_teardown(
                    test_candidate_one_version_spelled_twice_is_in_both_archives, root_setup,
                    root_teardown),
                cmocka_unit_test_setup_teardown(
                    test_candidate_rebuild_of_equal_version_is_an_update, root_setup,
                    root_teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
