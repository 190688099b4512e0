/* antivirus.c - the products Windows Security Center lists, Microsoft
 * Defender from its own registry values (so it is known where Security
 * Center does not answer), and the products of antivirus-products.conf by
 * their Windows services. */
#include <windows.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avproducts.h"
#include "collector.h"
#include "paths.h"
#include "reg.h"
#include "winapi.h"
#include "wintime.h"
#include "win.h"
#include "wsc.h"

#define DEFENDER     L"SOFTWARE\\Microsoft\\Windows Defender"
#define DEFENDER_GPO L"SOFTWARE\\Policies\\Microsoft\\Windows Defender"
#define SERVICES     L"SYSTEM\\CurrentControlSet\\Services\\"

/* A service: 1 running, 0 installed and not running, -1 not installed. */
static int service_state(const char *name)
{
        wchar_t key[320], *w = win_wide(name);
        SC_HANDLE scm, svc;
        SERVICE_STATUS_PROCESS st;
        DWORD n;
        int state = -1;

        if (!w)
                return -1;
        snwprintf(key, sizeof(key) / sizeof(key[0]), L"%ls%ls", SERVICES, w);
        if (reg_key_exists(HKEY_LOCAL_MACHINE, key)) {
                state = 0;
                scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
                svc = scm ? OpenServiceW(scm, w, SERVICE_QUERY_STATUS) : NULL;
                if (svc &&
                    QueryServiceStatusEx(svc, SC_STATUS_PROCESS_INFO, (BYTE *)&st, sizeof(st), &n))
                        state = st.dwCurrentState == SERVICE_RUNNING;
                if (svc)
                        CloseServiceHandle(svc);
                if (scm)
                        CloseServiceHandle(scm);
        }
        free(w);
        return state;
}

static bool contains_word(const char *haystack, const char *word)
{
        size_t n = strlen(word);

        for (const char *p = haystack; n && *p; p++)
                if (strncasecmp(p, word, n) == 0)
                        return true;
        return false;
}

static bool is_defender(const char *name)
{
        return contains_word(name, "Defender");
}

static void slug(const char *name, char *id, size_t size)
{
        size_t n = 0;

        for (const char *p = name; *p && n + 1 < size; p++)
                if (isalnum((unsigned char)*p))
                        id[n++] = (char)tolower((unsigned char)*p);
                else if (n && id[n - 1] != '-')
                        id[n++] = '-';
        while (n && id[n - 1] == '-')
                n--;
        id[n] = '\0';
}

/* Defender's own settings: real-time protection and signatures. */
static void defender_details(json_t *p)
{
        unsigned long v;
        unsigned long long ft;
        time_t t;
        char version[64];
        json_t *sig = json_object();

        if ((reg_dword(HKEY_LOCAL_MACHINE, DEFENDER_GPO L"\\Real-Time Protection",
                       L"DisableRealtimeMonitoring", &v) == 0 ||
             reg_dword(HKEY_LOCAL_MACHINE, DEFENDER L"\\Real-Time Protection",
                       L"DisableRealtimeMonitoring", &v) == 0) &&
            v == 1) {
                json_object_set_new(p, "realtime", json_false());
                json_object_set_new(p, "realtime_how",
                                    json_string("DisableRealtimeMonitoring = 1"));
        }
        if (reg_qword(HKEY_LOCAL_MACHINE, DEFENDER L"\\Signature Updates", L"SignaturesLastUpdated",
                      &ft) == 0 &&
            filetime_to_time(ft, &t))
                json_object_set_new(sig, "newest_time", json_integer((json_int_t)t));
        if (reg_string(HKEY_LOCAL_MACHINE, DEFENDER L"\\Signature Updates", L"AVSignatureVersion",
                       version, sizeof(version)) == 0)
                json_object_set_new(sig, "version", facts_string(version));
        if (json_object_size(sig) > 0) {
                json_object_set_new(sig, "how", json_string("registry"));
                json_object_set_new(p, "signatures", sig);
        } else {
                json_decref(sig);
        }
}

/* Microsoft Defender Antivirus as the registry and its service show it. */
static json_t *defender_product(void)
{
        int svc = service_state("WinDefend");
        unsigned long v;
        json_t *p;

        if (svc < 0 && !reg_key_exists(HKEY_LOCAL_MACHINE, DEFENDER))
                return NULL;
        p = json_pack("{s:s, s:s, s:b, s:s}", "id", "defender", "name",
                      "Microsoft Defender Antivirus", "present", 1, "found_by", "registry");
        if (reg_dword(HKEY_LOCAL_MACHINE, DEFENDER_GPO, L"DisableAntiSpyware", &v) == 0 && v == 1)
                json_object_set_new(p, "disabled_by",
                                    json_string("group policy DisableAntiSpyware = 1"));
        if (svc >= 0) {
                json_object_set_new(p, "running", json_boolean(svc == 1));
                json_object_set_new(p, "judged_by", json_string("service WinDefend"));
                json_object_set_new(
                    p, "components",
                    json_pack("[{s:s, s:b}]", "service", "WinDefend", "running", svc == 1));
        }
        defender_details(p);
        return p;
}

static json_t *wsc_product(const struct winapi_av *a)
{
        struct wsc_state st;
        char id[32], how[64];
        json_t *p;

        wsc_decode(a->state, &st);
        slug(a->name, id, sizeof(id));
        snprintf(how, sizeof(how), "Security Center productState 0x%06lx", a->state);
        p = json_pack("{s:s, s:o, s:b, s:s, s:s, s:s}", "id",
                      is_defender(a->name) ? "defender" : id, "name", facts_string(a->name),
                      "present", 1, "found_by", "security-center", "state", wsc_run_name(st.run),
                      "judged_by", how);
        if (st.run != WSC_RUN_UNKNOWN) {
                /* Security Center's "on" is the real-time scanner's state. */
                json_object_set_new(p, "running",
                                    json_boolean(st.run == WSC_ON || st.run == WSC_SNOOZED));
                json_object_set_new(p, "realtime", json_boolean(st.run == WSC_ON));
                json_object_set_new(p, "realtime_how", json_string(how));
        }
        if (st.signatures_known)
                json_object_set_new(
                    p, "signatures",
                    json_pack("{s:b, s:s}", "up_to_date", st.up_to_date, "how", "security-center"));
        if (a->exe[0])
                json_object_set_new(p, "exe", facts_string(a->exe));
        return p;
}

static bool listed(const json_t *products, const struct avproduct *t)
{
        char word[32];
        const json_t *p;
        size_t i;

        snprintf(word, sizeof(word), "%.*s", (int)strcspn(t->name, " /"), t->name);
        json_array_foreach(products, i, p)
        {
                const char *name = json_string_value(json_object_get(p, "name"));
                if (name && contains_word(name, word))
                        return true;
        }
        return false;
}

static void table_products(json_t *facts, json_t *products)
{
        static struct avproducts table;
        char path[1024], *text = NULL;
        struct error e;
        int rc = paths_read_data("antivirus-products.conf", 1 << 20, &text, path, sizeof(path));

        if (rc < 0) {
                facts_add_error(facts, "products", path, 0, "cannot read: %s", strerror(-rc));
                return;
        }
        rc = avproducts_parse(text, path, &table, &e);
        free(text);
        if (rc < 0) {
                facts_add_error(facts, "products", e.file, e.line, "%s", e.msg);
                return;
        }
        for (size_t i = 0; i < table.n; i++) {
                const struct avproduct *t = &table.v[i];
                json_t *comps = json_array(), *p;
                bool found = false, running = false;

                for (size_t s = 0; s < t->nwindows_services; s++) {
                        int st = service_state(t->windows_services[s]);
                        if (st < 0)
                                continue;
                        found = true;
                        running = running || st == 1;
                        json_array_append_new(comps, json_pack("{s:s, s:b}", "service",
                                                               t->windows_services[s], "running",
                                                               st == 1));
                }
                if (!found || listed(products, t)) {
                        json_decref(comps);
                        continue;
                }
                p = json_pack("{s:s, s:s, s:b, s:s, s:b, s:s, s:o}", "id", t->id, "name", t->name,
                              "present", 1, "found_by", "service", "running", running, "judged_by",
                              "its Windows services", "components", comps);
                if (running && t->realtime) {
                        json_object_set_new(p, "realtime", json_true());
                        json_object_set_new(p, "realtime_how",
                                            json_string("antivirus-products.conf: realtime = yes"));
                }
                json_array_append_new(products, p);
        }
}

int antivirus_collect(const struct collect_ctx *ctx, json_t *facts)
{
        static struct winapi_av av[WINAPI_MAX_AV];
        struct winapi_error e;
        json_t *products = json_array(), *defender = defender_product(), *listed_defender = NULL;
        size_t n = 0;
        bool other_on = false;
        int rc = winapi_security_center(av, WINAPI_MAX_AV, &n, &e);

        (void)ctx;
        json_object_set_new(facts, "platform", json_string("windows"));
        json_object_set_new(facts, "security_center",
                            rc == 0
                                ? json_pack("{s:b}", "ok", 1)
                                : json_pack("{s:b, s:o}", "ok", 0, "error", facts_string(e.what)));
        for (size_t i = 0; rc == 0 && i < n; i++) {
                json_t *p = wsc_product(&av[i]);
                struct wsc_state st;

                wsc_decode(av[i].state, &st);
                if (is_defender(av[i].name)) {
                        listed_defender = p;
                        continue;
                }
                other_on = other_on || st.run == WSC_ON;
                json_array_append_new(products, p);
        }
        /* Defender once: Security Center's view, with the signatures and
         * settings its registry adds. Windows turns it off when another
         * product takes over: then it is not counted as a stopped one. */
        if (listed_defender && defender) {
                json_t *sig = json_object_get(defender, "signatures");
                if (sig)
                        json_object_set(listed_defender, "signatures", sig);
                if (json_is_false(json_object_get(defender, "realtime"))) {
                        json_object_set_new(listed_defender, "realtime", json_false());
                        json_object_set(listed_defender, "realtime_how",
                                        json_object_get(defender, "realtime_how"));
                }
                json_decref(defender);
                defender = listed_defender;
        } else if (listed_defender) {
                defender = listed_defender;
        }
        if (defender && other_on && !json_is_true(json_object_get(defender, "running"))) {
                json_object_set_new(
                    facts, "defender",
                    json_pack("{s:s}", "state", "off: another antivirus protects this machine"));
                json_decref(defender);
        } else if (defender) {
                json_array_append_new(products, defender);
        }
        table_products(facts, products);
        json_object_set_new(facts, "products", products);
        return 0;
}
