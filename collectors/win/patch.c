/* patch.c - Windows updates: the build's revision against the policy's
 * table of cumulative updates, the Windows Update Agent's search, a pending
 * reboot, and whether automatic updates are turned off. */
#include <windows.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "reg.h"
#include "rules.h"
#include "util.h"
#include "winapi.h"
#include "wintime.h"
#include "winos.h"

#define AU L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update"

/* The Windows Update search takes seconds to minutes: "check" waits this long. */
#define SEARCH_TIMEOUT_MS 120000

static void search(const struct collect_ctx *ctx, json_t *facts)
{
        static struct winapi_update v[WINAPI_MAX_UPDATES];
        struct winapi_error e;
        size_t n = 0, total = 0, nsec = 0;
        json_t *pending, *s = json_object();
        char when[32];
        int rc =
            winapi_update_search(SEARCH_TIMEOUT_MS, v, WINAPI_MAX_UPDATES, &n, &total, &nsec, &e);

        json_object_set_new(s, "how", json_string("wuapi"));
        json_object_set_new(s, "ok", json_boolean(rc == 0));
        json_object_set_new(facts, "search", s);
        if (rc < 0) {
                json_object_set_new(s, "error", facts_string(e.what));
                return;
        }
        pending = json_array();
        for (size_t i = 0; i < n; i++) {
                json_array_append_new(pending,
                                      json_pack("{s:o, s:s, s:b, s:s}", "package",
                                                facts_string(v[i].title), "kb", v[i].kb, "security",
                                                v[i].security, "severity", v[i].severity));
        }
        json_object_set_new(facts, "pending", pending);
        json_object_set_new(facts, "pending_count", json_integer((json_int_t)total));
        json_object_set_new(facts, "security_count", json_integer((json_int_t)nsec));
        json_object_set_new(facts, "pending_truncated", json_boolean(n < total));
        /* The search that just succeeded is the freshest one. */
        json_object_set_new(facts, "last_refresh",
                            json_string(util_iso8601(ctx->now, when, sizeof(when))));
        json_object_set_new(facts, "last_refresh_source", json_string("windows-update"));
}

/* Where the search did not run: the last successful one Windows noted. */
static void last_search(json_t *facts)
{
        char s[64], when[32], where[600];
        time_t t;

        if (json_object_get(facts, "last_refresh"))
                return;
        if (reg_string(HKEY_LOCAL_MACHINE, AU L"\\Results\\Detect", L"LastSuccessTime", s,
                       sizeof(s)) != 0)
                return;
        if (!wintime_parse_wua(s, &t)) {
                facts_add_error(
                    facts, "windows-update",
                    reg_where(AU L"\\Results\\Detect", L"LastSuccessTime", where, sizeof(where)), 0,
                    "not a date: \"%s\"", s);
                return;
        }
        json_object_set_new(facts, "last_refresh",
                            json_string(util_iso8601(t, when, sizeof(when))));
        json_object_set_new(facts, "last_refresh_source", json_string("windows-update"));
}

static void reboot(json_t *facts)
{
        static const wchar_t *const keys[] = {
                AU L"\\RebootRequired",
                L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based "
                L"Servicing\\RebootPending",
        };
        char where[600];

        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
                if (reg_key_exists(HKEY_LOCAL_MACHINE, keys[i])) {
                        json_object_set_new(facts, "reboot_required", json_true());
                        json_object_set_new(
                            facts, "reboot_how",
                            facts_string(reg_where(keys[i], NULL, where, sizeof(where))));
                        return;
                }
        json_object_set_new(facts, "reboot_required", json_false());
}

static void auto_updates(json_t *facts)
{
        static const wchar_t policy[] =
            L"SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU";
        unsigned long v;
        const char *off = NULL;

        if (reg_dword(HKEY_LOCAL_MACHINE, policy, L"NoAutoUpdate", &v) == 0 && v == 1)
                off = "group policy NoAutoUpdate = 1";
        else if (reg_dword(HKEY_LOCAL_MACHINE, policy, L"AUOptions", &v) == 0 && v == 1)
                off = "group policy AUOptions = 1 (never check)";
        else if (reg_dword(HKEY_LOCAL_MACHINE, L"SYSTEM\\CurrentControlSet\\Services\\wuauserv",
                           L"Start", &v) == 0 &&
                 v == SERVICE_DISABLED)
                off = "the Windows Update service (wuauserv) is disabled";
        json_object_set_new(facts, "auto_updates",
                            json_pack("{s:b, s:s}", "enabled", off == NULL, "how",
                                      off ? off : "Windows' default: automatic"));
}

int patch_collect(const struct collect_ctx *ctx, json_t *facts)
{
        struct win_os os;

        json_object_set_new(facts, "windows_update", json_true());
        if (win_os_read(&os, facts) == 0) {
                json_t *latest =
                    rules_windows_latest(ctx->policy, os.build,
                                         rules_windows_family(os.edition_id, os.installation_type));

                json_object_set_new(facts, "build", json_integer((json_int_t)os.build));
                if (os.revision >= 0)
                        json_object_set_new(facts, "revision", json_integer(os.revision));
                if (latest)
                        json_object_set_new(facts, "latest", latest);
        }
        search(ctx, facts);
        last_search(facts);
        reboot(facts);
        auto_updates(facts);
        return 0;
}
