/* passwords.c - local accounts and the password policy (through winapi.c:
 * NetUserEnum and NetUserModalsGet), LM hashes and automatic logon from the
 * registry. The autologon password itself never leaves this file: only
 * whether one is stored. */
#include <windows.h>

#include <errno.h>
#include <string.h>

#include "collector.h"
#include "reg.h"
#include "winacct.h"
#include "winapi.h"

#define WINLOGON L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon"
#define LSA      L"SYSTEM\\CurrentControlSet\\Control\\Lsa"

static unsigned long ages(long long seconds)
{
        return seconds < 0 ? WINACCT_TIMEQ_FOREVER : (unsigned long)seconds;
}

static void autologon(json_t *facts)
{
        char on[16] = "", user[128] = "", domain[128] = "", pass[256] = "";
        unsigned long count;
        struct win_autologon w = { .lsa_password = -1, .auto_logon_count = -1 };
        int rc = reg_string(HKEY_LOCAL_MACHINE, WINLOGON, L"AutoAdminLogon", on, sizeof(on));
        char where[600];

        if (rc < 0 && rc != -ENOENT) {
                facts_add_error(facts, "winlogon",
                                reg_where(WINLOGON, L"AutoAdminLogon", where, sizeof(where)), 0,
                                "cannot read: %s", strerror(-rc));
                return;
        }
        reg_string(HKEY_LOCAL_MACHINE, WINLOGON, L"DefaultUserName", user, sizeof(user));
        reg_string(HKEY_LOCAL_MACHINE, WINLOGON, L"DefaultDomainName", domain, sizeof(domain));
        /* Only whether one is there matters: one too long to read is there. */
        if (reg_string(HKEY_LOCAL_MACHINE, WINLOGON, L"DefaultPassword", pass, sizeof(pass)) ==
            -EINVAL)
                snprintf(pass, sizeof(pass), "?");
        if (reg_dword(HKEY_LOCAL_MACHINE, WINLOGON, L"AutoLogonCount", &count) == 0)
                w.auto_logon_count = (long long)count;
        w.auto_admin_logon = rc == 0 ? on : NULL;
        w.user = user;
        w.domain = domain;
        w.default_password = pass[0] ? pass : NULL;
        json_object_set_new(facts, "autologon", winacct_autologon_facts(&w));
        SecureZeroMemory(pass, sizeof(pass));
}

int passwords_collect(const struct collect_ctx *ctx, json_t *facts)
{
        static struct winapi_user users[WINAPI_MAX_USERS];
        struct winapi_modals m;
        struct win_modals modals = { 0 };
        struct winapi_error e;
        json_t *accounts = json_array();
        unsigned long nolm;
        size_t n = 0;
        bool have_modals;
        char where[600];
        int rc;

        json_object_set_new(facts, "platform", json_string(WINACCT_PLATFORM));
        have_modals = winapi_user_modals(&m, &e) == 0;
        if (have_modals) {
                modals = (struct win_modals){
                        .min_passwd_len = m.min_length > 0 ? (unsigned long)m.min_length : 0,
                        .max_passwd_age = ages(m.max_age_s),
                        .min_passwd_age = m.min_age_s > 0 ? (unsigned long)m.min_age_s : 0,
                        .password_hist_len = m.history > 0 ? (unsigned long)m.history : 0,
                        .lockout_known = true,
                        .lockout_threshold =
                            m.lockout_threshold > 0 ? (unsigned long)m.lockout_threshold : 0,
                        .lockout_duration = ages(m.lockout_duration_s),
                };
                json_object_set_new(facts, "policy", winacct_policy_facts(&modals));
        } else {
                facts_add_error(facts, "policy", "", 0, "%s", e.what);
        }
        if (winapi_users(users, WINAPI_MAX_USERS, &n, &e) < 0)
                facts_add_error(facts, "accounts", "", 0, "%s", e.what);
        for (size_t i = 0; i < n; i++) {
                struct win_account a = {
                        .name = users[i].name,
                        .flags = users[i].flags,
                        .password_age_s = users[i].password_age_s,
                        .rid = users[i].rid,
                        .admin = users[i].admin,
                        .flags_known = true,
                        .last_logon = users[i].last_logon,
                };
                json_array_append_new(accounts,
                                      winacct_facts(&a, have_modals ? &modals : NULL, ctx->now));
        }
        json_object_set_new(facts, "accounts", accounts);
        rc = reg_dword(HKEY_LOCAL_MACHINE, LSA, L"NoLMHash", &nolm);
        if (rc == 0 || rc == -ENOENT)
                json_object_set_new(
                    facts, "lm_hash",
                    winacct_lm_hash_facts(rc == 0 ? (long long)nolm : WINACCT_NOLMHASH_ABSENT));
        else
                facts_add_error(facts, "lsa", reg_where(LSA, L"NoLMHash", where, sizeof(where)), 0,
                                "cannot read: %s", strerror(-rc));
        autologon(facts);
        return 0;
}
