/* test_winacct.c - Windows account data into passwords facts: the exact
 * keys and values for each flag combination, the password policy's
 * "never", the LM hash setting, and automatic logon without its password. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "winacct.h"

#define NOW 1764000000 /* 2025-11-24T16:00:00Z */
#define DAY 86400LL

/* Asserts that got (taken over) equals the JSON text want, showing both
 * when not. */
static void assert_json(json_t *got, const char *want)
{
        json_t *w = json_loads(want, 0, NULL);
        char *g = json_dumps(got, JSON_SORT_KEYS), *ws = json_dumps(w, JSON_SORT_KEYS);

        assert_non_null(w);
        if (!json_equal(got, w))
                fail_msg("got  %s\nwant %s", g, ws);
        free(g);
        free(ws);
        json_decref(w);
        json_decref(got);
}

static const struct win_modals modals_42 = {
        .min_passwd_len = 8,
        .max_passwd_age = 42 * DAY,
        .min_passwd_age = DAY,
        .password_hist_len = 24,
        .lockout_known = true,
        .lockout_threshold = 10,
        .lockout_duration = 600,
        .lockout_window = 600,
};

static void test_enabled_account_with_password_follows_the_policy(void **state)
{
        struct win_account a = { .name = "infirmiere",
                                 .flags = 0x0200, /* UF_NORMAL_ACCOUNT: ignored */
                                 .password_age_s = 100 * DAY + 3600,
                                 .rid = 1001,
                                 .admin = false,
                                 .flags_known = true,
                                 .last_logon = 1760000000 };

        (void)state;
        assert_json(winacct_facts(&a, &modals_42, NOW),
                    "{\"name\": \"infirmiere\", \"uid\": 1001, \"admin\": false, "
                    "\"stored_in\": \"sam\", \"login_capable\": true, \"locked\": false, "
                    "\"locked_out\": false, \"password\": \"set\", "
                    "\"password_never_expires\": false, \"max_days\": 42, "
                    "\"last_change\": \"2025-08-16\", \"password_age_days\": 100, "
                    "\"last_logon\": \"2025-10-09\"}");
}

static void test_disabled_guest_without_required_password(void **state)
{
        struct win_account a = { .name = "Invité",
                                 .flags = WINACCT_UF_ACCOUNTDISABLE | WINACCT_UF_PASSWD_NOTREQD |
                                          WINACCT_UF_PASSWD_CANT_CHANGE |
                                          WINACCT_UF_DONT_EXPIRE_PASSWD,
                                 .password_age_s = 0,
                                 .rid = WINACCT_RID_GUEST,
                                 .admin = false,
                                 .flags_known = true,
                                 .last_logon = 0 };

        (void)state;
        assert_json(winacct_facts(&a, &modals_42, NOW),
                    "{\"name\": \"Invité\", \"uid\": 501, \"builtin\": \"guest\", "
                    "\"admin\": false, \"stored_in\": \"sam\", \"login_capable\": false, "
                    "\"locked\": true, \"locked_out\": false, \"password\": \"not_required\", "
                    "\"password_never_expires\": true, \"max_days\": null, "
                    "\"last_change\": \"2025-11-24\", \"password_age_days\": 0}");
}

/* The built-in Administrator is an administrator whatever the group lookup
 * said; "password never expires" wins over the machine's policy. */
static void test_builtin_administrator_never_expiring(void **state)
{
        struct win_account a = { .name = "Administrateur",
                                 .flags = WINACCT_UF_DONT_EXPIRE_PASSWD,
                                 .password_age_s = 400 * DAY,
                                 .rid = WINACCT_RID_ADMINISTRATOR,
                                 .admin = false,
                                 .flags_known = true,
                                 .last_logon = -1 };

        (void)state;
        assert_json(winacct_facts(&a, &modals_42, NOW),
                    "{\"name\": \"Administrateur\", \"uid\": 500, \"builtin\": \"administrator\", "
                    "\"admin\": true, \"stored_in\": \"sam\", \"login_capable\": true, "
                    "\"locked\": false, \"locked_out\": false, \"password\": \"set\", "
                    "\"password_never_expires\": true, \"max_days\": null, "
                    "\"last_change\": \"2024-10-20\", \"password_age_days\": 400}");
}

/* Locked out after bad tries is not disabled: the account still logs in
 * once the lockout ends. An expired password must be changed at logon. */
static void test_locked_out_and_expired(void **state)
{
        struct win_account a = { .name = "accueil",
                                 .flags = WINACCT_UF_LOCKOUT | WINACCT_UF_PASSWORD_EXPIRED,
                                 .password_age_s = -1,
                                 .rid = 1002,
                                 .admin = true,
                                 .flags_known = true,
                                 .last_logon = -1 };

        (void)state;
        assert_json(winacct_facts(&a, NULL, NOW),
                    "{\"name\": \"accueil\", \"uid\": 1002, \"admin\": true, "
                    "\"stored_in\": \"sam\", \"login_capable\": true, \"locked\": false, "
                    "\"locked_out\": true, \"password\": \"set\", "
                    "\"password_never_expires\": false, \"must_change\": true}");
}

static void test_policy_that_never_expires_gives_null_max_days(void **state)
{
        struct win_modals m = modals_42;
        struct win_account a = { .name = "u",
                                 .flags = 0,
                                 .password_age_s = -1,
                                 .rid = 1003,
                                 .admin = false,
                                 .flags_known = true,
                                 .last_logon = -1 };
        json_t *o;

        (void)state;
        m.max_passwd_age = WINACCT_TIMEQ_FOREVER;
        o = winacct_facts(&a, &m, NOW);
        assert_true(json_is_null(json_object_get(o, "max_days")));
        json_decref(o);
}

/* Level 0 (wine) gives names only: nothing said about what is not known. */
static void test_level_0_account_says_flags_unknown(void **state)
{
        struct win_account a = { .name = "wineuser",
                                 .flags = WINACCT_UF_ACCOUNTDISABLE, /* not to be read */
                                 .password_age_s = -1,
                                 .rid = 0,
                                 .admin = false,
                                 .flags_known = false,
                                 .last_logon = -1 };

        (void)state;
        assert_json(winacct_facts(&a, &modals_42, NOW),
                    "{\"name\": \"wineuser\", \"admin\": false, \"stored_in\": \"sam\", "
                    "\"flags_known\": false, \"password\": \"unknown\"}");
}

/* An age beyond now (a clock set back) gives no date rather than one
 * before 1970. */
static void test_age_older_than_the_clock_gives_no_date(void **state)
{
        struct win_account a = { .name = "u",
                                 .flags = 0,
                                 .password_age_s = (long long)NOW + 1,
                                 .rid = 1004,
                                 .admin = false,
                                 .flags_known = true,
                                 .last_logon = -1 };
        json_t *o;

        (void)state;
        o = winacct_facts(&a, NULL, NOW);
        assert_null(json_object_get(o, "last_change"));
        assert_null(json_object_get(o, "password_age_days"));
        json_decref(o);
}

static void test_policy_maps_modals_to_days(void **state)
{
        struct win_modals m = modals_42;

        (void)state;
        assert_json(winacct_policy_facts(&m),
                    "{\"source\": \"NetUserModalsGet\", \"min_length\": 8, \"max_days\": 42, "
                    "\"min_days\": 1, \"history\": 24, "
                    "\"lockout\": {\"threshold\": 10, \"duration_s\": 600, \"window_s\": 600}}");
        /* A second past 42 days is a 43rd day. */
        m.max_passwd_age = 42 * DAY + 1;
        m.lockout_duration = WINACCT_TIMEQ_FOREVER;
        assert_json(winacct_policy_facts(&m),
                    "{\"source\": \"NetUserModalsGet\", \"min_length\": 8, \"max_days\": 43, "
                    "\"min_days\": 1, \"history\": 24, "
                    "\"lockout\": {\"threshold\": 10, \"duration_s\": null, \"window_s\": 600}}");
}

static void test_policy_never_expiring_is_null_either_way(void **state)
{
        struct win_modals m = { .min_passwd_len = 0,
                                .max_passwd_age = WINACCT_TIMEQ_FOREVER,
                                .min_passwd_age = 0,
                                .password_hist_len = 0,
                                .lockout_known = false,
                                .lockout_threshold = 0,
                                .lockout_duration = 0,
                                .lockout_window = 0 };

        (void)state;
        assert_json(winacct_policy_facts(&m),
                    "{\"source\": \"NetUserModalsGet\", \"min_length\": 0, \"max_days\": null, "
                    "\"min_days\": 0, \"history\": 0}");
        m.max_passwd_age = 0;
        assert_json(winacct_policy_facts(&m),
                    "{\"source\": \"NetUserModalsGet\", \"min_length\": 0, \"max_days\": null, "
                    "\"min_days\": 0, \"history\": 0}");
}

static void test_lm_hash_setting(void **state)
{
        (void)state;
        assert_json(winacct_lm_hash_facts(0), "{\"stored\": true, \"how\": \"NoLMHash=0\"}");
        assert_json(winacct_lm_hash_facts(1), "{\"stored\": false, \"how\": \"NoLMHash=1\"}");
        assert_json(winacct_lm_hash_facts(WINACCT_NOLMHASH_ABSENT),
                    "{\"stored\": true, \"how\": \"NoLMHash absent\"}");
        /* A DWORD above LONG_MAX on Windows' 32-bit long still fits. */
        assert_json(winacct_lm_hash_facts(0xFFFFFFFFLL),
                    "{\"stored\": false, \"how\": \"NoLMHash=4294967295\"}");
}

static void test_autologon_with_password_never_copies_it(void **state)
{
        static const char password[] = "Soleil-2024!";
        struct win_autologon w = { .auto_admin_logon = "1",
                                   .user = "accueil",
                                   .domain = "POSTE-ACCUEIL",
                                   .default_password = password,
                                   .auto_logon_count = -1,
                                   .lsa_password = -1 };
        json_t *o = winacct_autologon_facts(&w);
        char *dump = json_dumps(o, 0);

        (void)state;
        assert_null(strstr(dump, password));
        assert_null(strstr(dump, "Soleil"));
        free(dump);
        assert_json(o, "{\"enabled\": true, \"user\": \"accueil\", \"domain\": \"POSTE-ACCUEIL\", "
                       "\"password_in_registry\": true, "
                       "\"how\": \"Winlogon AutoAdminLogon=1, DefaultPassword set\"}");
}

static void test_autologon_without_password_counts_and_lsa(void **state)
{
        struct win_autologon w = { .auto_admin_logon = "1",
                                   .user = "accueil",
                                   .domain = "",
                                   .default_password = "",
                                   .auto_logon_count = 2,
                                   .lsa_password = 1 };

        (void)state;
        assert_json(
            winacct_autologon_facts(&w),
            "{\"enabled\": true, \"user\": \"accueil\", \"password_in_registry\": false, "
            "\"password_in_lsa\": true, \"count\": 2, "
            "\"how\": \"Winlogon AutoAdminLogon=1, no DefaultPassword, AutoLogonCount=2\"}");
}

static void test_autologon_off_with_a_password_left_behind(void **state)
{
        struct win_autologon w = { .auto_admin_logon = "0",
                                   .user = "accueil",
                                   .domain = NULL,
                                   .default_password = "ancien",
                                   .auto_logon_count = -1,
                                   .lsa_password = 0 };

        (void)state;
        assert_json(winacct_autologon_facts(&w),
                    "{\"enabled\": false, \"user\": \"accueil\", \"password_in_registry\": true, "
                    "\"password_in_lsa\": false, "
                    "\"how\": \"Winlogon AutoAdminLogon=0, DefaultPassword set\"}");
        w.auto_admin_logon = NULL;
        w.user = NULL;
        w.default_password = NULL;
        w.lsa_password = -1;
        assert_json(winacct_autologon_facts(&w),
                    "{\"enabled\": false, \"password_in_registry\": false, "
                    "\"how\": \"Winlogon AutoAdminLogon absent, no DefaultPassword\"}");
}

static void test_autologon_value_read_as_a_number(void **state)
{
        (void)state;
        assert_true(winacct_autologon_on("1"));
        assert_true(winacct_autologon_on(" 1"));
        assert_true(winacct_autologon_on("01"));
        assert_false(winacct_autologon_on("0"));
        assert_false(winacct_autologon_on("00"));
        assert_false(winacct_autologon_on(""));
        assert_false(winacct_autologon_on("yes"));
        assert_false(winacct_autologon_on(NULL));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_enabled_account_with_password_follows_the_policy),
                cmocka_unit_test(test_disabled_guest_without_required_password),
                cmocka_unit_test(test_builtin_administrator_never_expiring),
                cmocka_unit_test(test_locked_out_and_expired),
                cmocka_unit_test(test_policy_that_never_expires_gives_null_max_days),
                cmocka_unit_test(test_level_0_account_says_flags_unknown),
                cmocka_unit_test(test_age_older_than_the_clock_gives_no_date),
                cmocka_unit_test(test_policy_maps_modals_to_days),
                cmocka_unit_test(test_policy_never_expiring_is_null_either_way),
                cmocka_unit_test(test_lm_hash_setting),
                cmocka_unit_test(test_autologon_with_password_never_copies_it),
                cmocka_unit_test(test_autologon_without_password_counts_and_lsa),
                cmocka_unit_test(test_autologon_off_with_a_password_left_behind),
                cmocka_unit_test(test_autologon_value_read_as_a_number),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
