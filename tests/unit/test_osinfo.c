/* test_osinfo.c - os-release and distro-info parsing. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "osinfo.h"

static const char csv[] =
    "version,codename,series,created,release,eol,eol-lts,eol-elts\n"
    "11,Bullseye,bullseye,2019-07-06,2021-08-14,2024-08-14,2026-08-31,2031-06-30\n"
    "12,Bookworm,bookworm,2021-08-14,2023-06-10,2026-07-11,2028-06-30\n"
    "broken line\n"
    "14,Forky,forky,2025-08-09\n";

static void test_os_release_unquotes_values(void **state)
{
        struct os_release o;
        struct error e;

        (void)state;
        assert_int_equal(os_release_parse("# c\nID=debian\nPRETTY_NAME=\"Debian \\\"12\\\"\"\n"
                                          "VERSION_CODENAME='bookworm'\n",
                                          "os-release", &o, &e),
                         0);
        assert_string_equal(o.id, "debian");
        assert_string_equal(o.pretty_name, "Debian \"12\"");
        assert_string_equal(o.codename, "bookworm");
}

static void test_os_release_bad_line_names_line(void **state)
{
        struct os_release o;
        struct error e;

        (void)state;
        assert_int_equal(os_release_parse("ID=debian\nthis is not\n", "os-release", &o, &e),
                         -EINVAL);
        assert_int_equal(e.line, 2);
}

static void test_os_release_derivative_maps_to_base(void **state)
{
        struct os_release o;
        struct error e;

        (void)state;
        assert_int_equal(os_release_parse("ID=linuxmint\nID_LIKE=\"ubuntu debian\"\n"
                                          "UBUNTU_CODENAME=noble\n",
                                          "f", &o, &e),
                         0);
        assert_string_equal(os_release_distro(&o), "ubuntu");
        assert_string_equal(o.codename, "noble");
        assert_int_equal(os_release_parse("ID=fedora\n", "f", &o, &e), 0);
        assert_null(os_release_distro(&o));
}

static void test_distro_info_finds_by_series_then_version(void **state)
{
        struct distro_row r;

        (void)state;
        assert_int_equal(distro_info_find(csv, "bookworm", "12", &r), 0);
        assert_string_equal(r.eol, "2026-07-11");
        assert_string_equal(r.ext[0], "2028-06-30");
        assert_string_equal(r.ext[1], "");
        assert_int_equal(distro_info_find(csv, "", "11", &r), 0);
        assert_string_equal(r.ext[1], "2031-06-30");
        assert_int_equal(distro_info_find(csv, "forky", NULL, &r), -ENOENT);
        assert_int_equal(distro_info_find(csv, "sid", "", &r), -ENOENT);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_os_release_unquotes_values),
                cmocka_unit_test(test_os_release_bad_line_names_line),
                cmocka_unit_test(test_os_release_derivative_maps_to_base),
                cmocka_unit_test(test_distro_info_finds_by_series_then_version),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
