/* test_policy.c - policy files: defaults, jobs, and errors that name the line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "policy.h"

static void test_policy_defaults_match_the_baseline(void **state)
{
        struct policy p;

        (void)state;
        policy_defaults(&p);
        assert_int_equal(p.backup_max_age_hours, 26);
        assert_int_equal(p.pw_min_length, 12);
        assert_int_equal(p.av_signatures_max_age_days, 3);
        assert_int_equal(p.patch_refresh_max_age_days, 2);
        assert_int_equal(p.hw_min_ram_gib, 8);
        assert_int_equal(p.hw_max_bios_age_years, 7);
        assert_int_equal(p.os_eol_warn_months, 6);
}

static void test_policy_backup_job_takes_default_age(void **state)
{
        struct policy p;
        struct error e;

        (void)state;
        policy_defaults(&p);
        assert_int_equal(policy_load_string(&p,
                                            "[backup:compta]\npath = /srv/b\nmin_bytes = 10\n"
                                            "[backup]\nmax_age_hours = 48\n",
                                            "t.ini", &e),
                         0);
        assert_int_equal(p.njobs, 1);
        assert_string_equal(p.jobs[0].name, "compta");
        assert_string_equal(p.jobs[0].path, "/srv/b");
        assert_int_equal(p.jobs[0].max_age_hours, 48);
        assert_int_equal(p.jobs[0].min_bytes, 10);
}

static void test_policy_unknown_key_names_file_line_key(void **state)
{
        struct policy p;
        struct error e;
        char buf[600];

        (void)state;
        policy_defaults(&p);
        assert_int_equal(policy_load_string(&p, "[passwords]\nmin_length = 12\nmin_lenght = 8\n",
                                            "site.ini", &e),
                         -EINVAL);
        assert_string_equal(error_str(&e, buf, sizeof(buf)),
                            "site.ini:3: unknown key \"min_lenght\" in [passwords]");
}

static void test_policy_bad_value_is_refused(void **state)
{
        struct policy p;
        struct error e;
        char buf[600];

        (void)state;
        policy_defaults(&p);
        assert_int_equal(
            policy_load_string(&p, "[antivirus]\n\nsignatures_max_age_days = 3d\n", "site.ini", &e),
            -EINVAL);
        assert_string_equal(error_str(&e, buf, sizeof(buf)),
                            "site.ini:3: signatures_max_age_days: \"3d\" is not a whole number "
                            "from 1 to 3650");
}

static void test_policy_severity_override(void **state)
{
        struct policy p;
        struct error e;

        (void)state;
        policy_defaults(&p);
        assert_int_equal(
            policy_load_string(&p, "[severity]\npatch.updates_pending = high\n", "t.ini", &e), 0);
        assert_int_equal(policy_severity(&p, checks_find("patch.updates_pending")), SEV_HIGH);
        assert_int_equal(policy_severity(&p, checks_find("patch.auto_updates")), SEV_MEDIUM);
        assert_int_equal(policy_load_string(&p, "[severity]\npatch.nope = high\n", "t.ini", &e),
                         -EINVAL);
        assert_int_equal(e.line, 2);
}

static void test_policy_job_without_path_is_refused(void **state)
{
        struct policy p;
        struct error e;

        (void)state;
        policy_defaults(&p);
        assert_int_equal(policy_load_string(&p, "[backup:x]\nmax_age_hours = 5\n", "t.ini", &e),
                         -EINVAL);
        assert_string_equal(e.msg, "[backup:x] has no path");
}

static void test_policy_shipped_baseline_loads(void **state)
{
        struct policy p;
        struct error e;
        char path[4096];

        (void)state;
        snprintf(path, sizeof(path), "%s/esms-baseline.ini", getenv("HYGIE_DATADIR"));
        policy_defaults(&p);
        assert_int_equal(policy_load(&p, path, &e), 0);
        assert_string_equal(p.id, "esms-baseline");
}

static void test_policy_shipped_windows_table(void **state)
{
        struct policy p;
        struct error e;
        char path[4096];
        const struct win_build *w;

        (void)state;
        snprintf(path, sizeof(path), "%s/esms-baseline.ini", getenv("HYGIE_DATADIR"));
        policy_defaults(&p);
        assert_int_equal(policy_load(&p, path, &e), 0);
        assert_int_equal(p.nwin_builds, 8);
        assert_int_equal(p.win_grace_days, 14);
        assert_int_equal(p.win_table_max_age_days, 45);
        assert_int_equal(strlen(p.win_updated), 10);
        w = policy_windows_build(&p, 19045);
        assert_non_null(w);
        assert_string_equal(w->release, "Windows 10 22H2");
        assert_string_equal(w->end[WIN_HOME_PRO], "2025-10-14");
        assert_string_equal(w->end[WIN_ENTERPRISE], "2025-10-14");
        assert_string_equal(w->end[WIN_LTSC], "");
        assert_string_equal(w->esu, "2028-10-10");
        w = policy_windows_build(&p, 19044);
        assert_string_equal(w->release_ltsc, "Windows 10 Enterprise LTSC 2021");
        assert_string_equal(w->end[WIN_HOME_PRO], "2023-06-13");
        assert_string_equal(w->end[WIN_ENTERPRISE], "2024-06-11");
        assert_string_equal(w->end[WIN_LTSC], "2027-01-12");
        assert_string_equal(w->end[WIN_IOT_LTSC], "2032-01-13");
        assert_string_equal(policy_windows_build(&p, 17763)->end[WIN_LTSC], "2029-01-09");
        assert_string_equal(policy_windows_build(&p, 22000)->end[WIN_ENTERPRISE], "2024-10-08");
        assert_string_equal(policy_windows_build(&p, 22621)->end[WIN_ENTERPRISE], "2025-10-14");
        assert_string_equal(policy_windows_build(&p, 22631)->end[WIN_ENTERPRISE], "2026-11-10");
        w = policy_windows_build(&p, 26100);
        assert_string_equal(w->release, "Windows 11 24H2");
        assert_string_equal(w->end[WIN_HOME_PRO], "2026-10-13");
        assert_string_equal(w->end[WIN_ENTERPRISE], "2027-10-12");
        assert_string_equal(w->end[WIN_LTSC], "2029-10-09");
        assert_string_equal(w->end[WIN_IOT_LTSC], "2034-10-10");
        assert_string_equal(policy_windows_build(&p, 26200)->end[WIN_HOME_PRO], "2027-10-12");
        assert_null(policy_windows_build(&p, 26300));
        /* Every row has a latest update, no later than the table's date. */
        for (size_t i = 0; i < p.nwin_builds; i++) {
                assert_true(p.win_builds[i].latest_revision > 0);
                assert_true(strcmp(p.win_builds[i].latest_date, p.win_updated) <= 0);
                assert_true(p.win_builds[i].release[0]);
        }
}

static void test_policy_windows_table_is_layered(void **state)
{
        struct policy p;
        struct error e;
        const struct win_build *w;

        (void)state;
        policy_defaults(&p);
        assert_int_equal(policy_load_string(&p,
                                            "[windows]\nupdated = 2026-11-20\n"
                                            "[windows:26100]\nrelease = Windows 11 24H2\n"
                                            "end_home_pro = 2026-10-13\n"
                                            "latest_revision = 6000\nlatest_date = 2026-10-13\n",
                                            "base.ini", &e),
                         0);
        /* A later file (the collector's) moves the table on by one month. */
        assert_int_equal(policy_load_string(&p,
                                            "[windows]\nupdated = 2026-12-10\ngrace_days = 7\n"
                                            "[windows:26100]\nlatest_revision = 6100\n"
                                            "latest_date = 2026-12-08\nlatest_kb = KB1234567\n"
                                            "[windows:26200]\nrelease = Windows 11 25H2\n",
                                            "collector policy", &e),
                         0);
        assert_int_equal(p.nwin_builds, 2);
        assert_string_equal(p.win_updated, "2026-12-10");
        assert_int_equal(p.win_grace_days, 7);
        w = policy_windows_build(&p, 26100);
        assert_string_equal(w->release, "Windows 11 24H2");
        assert_string_equal(w->end[WIN_HOME_PRO], "2026-10-13");
        assert_int_equal(w->latest_revision, 6100);
        assert_string_equal(w->latest_date, "2026-12-08");
        assert_string_equal(w->latest_kb, "KB1234567");
        assert_int_equal(w->line, 5);
        assert_string_equal(policy_windows_build(&p, 26200)->release, "Windows 11 25H2");
}

/* Loads text over the defaults, expecting the error "file:line: msg". */
static void refused(const char *text, const char *want)
{
        struct policy *p = malloc(sizeof(*p));
        struct error e;
        char buf[600];

        policy_defaults(p);
        assert_int_equal(policy_load_string(p, text, "site.ini", &e), -EINVAL);
        assert_string_equal(error_str(&e, buf, sizeof(buf)), want);
        free(p);
}

static void test_policy_windows_errors_name_file_line_key(void **state)
{
        (void)state;
        refused("[windows]\nupdated = 2026-02-30\n",
                "site.ini:2: updated: \"2026-02-30\" is not a date (YYYY-MM-DD)");
        refused("[windows]\ngrace_days = 400\n",
                "site.ini:2: grace_days: \"400\" is not a whole number from 0 to 365");
        refused("[windows]\ntable_max_age_days = 0\n",
                "site.ini:2: table_max_age_days: \"0\" is not a whole number from 1 to 3650");
        refused("[windows]\nupdate = 2026-11-20\n",
                "site.ini:2: unknown key \"update\" in [windows]");
        refused("[windows:26100]\nrelease = Windows 11 24H2\n\nend_home_pro = 13/10/2026\n",
                "site.ini:4: end_home_pro: \"13/10/2026\" is not a date (YYYY-MM-DD)");
        refused("[windows:24h2]\nrelease = Windows 11 24H2\n",
                "site.ini:2: [windows:24h2]: not a Windows build number, as in [windows:26100]");
        refused("[windows:026100]\nrelease = x\n",
                "site.ini:2: [windows:026100]: not a Windows build number, as in "
                "[windows:26100]");
        refused("[windows:26100]\nend_home = 2026-10-13\n",
                "site.ini:2: unknown key \"end_home\" in [windows:26100] (release, release_ltsc, "
                "end_home_pro, end_enterprise, end_ltsc, end_iot_ltsc, esu, latest_revision, "
                "latest_date, latest_kb)");
        refused("[windows:26100]\nlatest_revision = -4\n",
                "site.ini:2: latest_revision: \"-4\" is not a whole number from 1 to 999999");
        refused("[windows:26100]\nlatest_kb = 5068861\n",
                "site.ini:2: latest_kb: \"5068861\" is not a KB number (as KB5068861)");
        refused("[windows:26100]\nrelease = \n",
                "site.ini:2: release: empty, too long or not text: \"\"");
        refused("[windows:26100]\nrelease_ltsc = Windows \xff\n",
                "site.ini:2: release_ltsc: empty, too long or not text: \"Windows \xff\"");
        /* Checked once the file is read: the line is the section's first key. */
        refused("[windows]\nupdated = 2026-11-20\n\n[windows:26100]\nrelease = Windows 11 24H2\n"
                "latest_revision = 7000\n",
                "site.ini:5: [windows:26100]: latest_revision and latest_date go together");
        refused("[windows:26100]\nlatest_date = 2026-11-10\nlatest_revision = 7000\n",
                "site.ini:2: [windows:26100]: a latest update needs the table's date ([windows] "
                "updated)");
        refused("[windows:26100]\nlatest_date = 2026-11-10\nlatest_revision = 7000\n"
                "[windows]\nupdated = 2026-11-09\n",
                "site.ini:2: [windows:26100]: latest_date 2026-11-10 is after the table's date "
                "([windows] updated = 2026-11-09)");
}

static void test_policy_windows_table_has_room_for_32_builds(void **state)
{
        char *text = malloc(64 * 40), *at = text;

        (void)state;
        for (int i = 0; i < 33; i++)
                at += sprintf(at, "[windows:%d]\nrelease = W\n", 20000 + i);
        refused(text, "site.ini:66: [windows:20032]: too many Windows builds (32 at most)");
        free(text);
}

/* A job's path is absolute for Linux or for Windows; anything else is refused. */
static void test_policy_backup_paths_of_both_systems(void **state)
{
        static const char *const good[] = { "/srv/backup", "D:\\Sauvegardes", "e:/x",
                                            "\\\\nas\\sauvegardes\\accueil" };
        static const char *const bad[] = { "backup", "D:Sauvegardes", "\\\\", "\\x", "1:\\x" };
        struct policy p;
        struct error e;
        char text[256];

        (void)state;
        for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
                policy_defaults(&p);
                snprintf(text, sizeof(text), "[backup:a]\npath = %s\n", good[i]);
                assert_int_equal(policy_load_string(&p, text, "p.ini", &e), 0);
                assert_string_equal(p.jobs[0].path, good[i]);
        }
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                policy_defaults(&p);
                snprintf(text, sizeof(text), "[backup:a]\npath = %s\n", bad[i]);
                assert_int_equal(policy_load_string(&p, text, "p.ini", &e), -EINVAL);
                assert_int_equal(e.line, 2);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_policy_defaults_match_the_baseline),
                cmocka_unit_test(test_policy_backup_job_takes_default_age),
                cmocka_unit_test(test_policy_backup_paths_of_both_systems),
                cmocka_unit_test(test_policy_unknown_key_names_file_line_key),
                cmocka_unit_test(test_policy_bad_value_is_refused),
                cmocka_unit_test(test_policy_severity_override),
                cmocka_unit_test(test_policy_job_without_path_is_refused),
                cmocka_unit_test(test_policy_shipped_baseline_loads),
                cmocka_unit_test(test_policy_shipped_windows_table),
                cmocka_unit_test(test_policy_windows_table_is_layered),
                cmocka_unit_test(test_policy_windows_errors_name_file_line_key),
                cmocka_unit_test(test_policy_windows_table_has_room_for_32_builds),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
