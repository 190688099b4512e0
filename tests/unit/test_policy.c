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

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_policy_defaults_match_the_baseline),
                cmocka_unit_test(test_policy_backup_job_takes_default_age),
                cmocka_unit_test(test_policy_unknown_key_names_file_line_key),
                cmocka_unit_test(test_policy_bad_value_is_refused),
                cmocka_unit_test(test_policy_severity_override),
                cmocka_unit_test(test_policy_job_without_path_is_refused),
                cmocka_unit_test(test_policy_shipped_baseline_loads),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
