/* security.c - the firewall and the system volume's encryption, from their
 * APIs; the firewall from its settings in the registry where the API does
 * not answer. */
#include <windows.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "reg.h"
#include "winapi.h"
#include "winos.h"

static const struct {
        const char *name;
        const wchar_t *local, *policy; /* the setting, and group policy's over it */
} profiles[] = {
        { "domain",
          L"SYSTEM\\CurrentControlSet\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\"
          L"DomainProfile",
          L"SOFTWARE\\Policies\\Microsoft\\WindowsFirewall\\DomainProfile" },
        { "private",
          L"SYSTEM\\CurrentControlSet\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\"
          L"StandardProfile",
          L"SOFTWARE\\Policies\\Microsoft\\WindowsFirewall\\PrivateProfile" },
        { "public",
          L"SYSTEM\\CurrentControlSet\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\"
          L"PublicProfile",
          L"SOFTWARE\\Policies\\Microsoft\\WindowsFirewall\\PublicProfile" },
};

/* The profiles as the registry sets them: group policy first, then the
 * local setting. A profile set nowhere is unknown: the state is not told. */
static void firewall_registry(json_t *fw, json_t *profs)
{
        bool all = true, known = true;

        for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
                unsigned long v;

                if (reg_dword(HKEY_LOCAL_MACHINE, profiles[i].policy, L"EnableFirewall", &v) != 0 &&
                    reg_dword(HKEY_LOCAL_MACHINE, profiles[i].local, L"EnableFirewall", &v) != 0) {
                        known = false;
                        continue;
                }
                json_object_set_new(profs, profiles[i].name, json_boolean(v != 0));
                all = all && v != 0;
        }
        json_object_set_new(fw, "how", json_string("windows-registry"));
        if (known || !all)
                json_object_set_new(fw, "enabled", json_boolean(all));
}

static void firewall(json_t *facts)
{
        struct winapi_firewall f;
        struct winapi_error e;
        json_t *fw = json_object(), *profs = json_object();
        int rc = winapi_firewall(&f, &e);

        if (rc == 0) {
                json_object_set_new(profs, "domain", json_boolean(f.domain));
                json_object_set_new(profs, "private", json_boolean(f.private_));
                json_object_set_new(profs, "public", json_boolean(f.public_));
                json_object_set_new(fw, "how", json_string("windows-api"));
                json_object_set_new(fw, "enabled",
                                    json_boolean(f.domain && f.private_ && f.public_));
        } else {
                firewall_registry(fw, profs);
                json_object_set_new(fw, "note", facts_string(e.what));
        }
        json_object_set_new(fw, "profiles", profs);
        json_object_set_new(facts, "firewall", fw);
}

static void encryption(json_t *facts)
{
        static const char *const protection[] = { "off", "on" };
        struct winapi_bitlocker b;
        struct winapi_error e;
        json_t *enc = json_object();
        int rc = winapi_bitlocker(&b, &e);

        json_object_set_new(enc, "how", json_string("bitlocker"));
        if (rc < 0) {
                facts_add_error(facts, "encryption", "", 0, "%s", e.what);
        } else {
                json_object_set_new(enc, "volume", facts_string(b.volume));
                /* Fully encrypted (1), or on its way there or back (2, 3,
                 * and the paused states 4, 5): the data is encrypted in part. */
                json_object_set_new(enc, "encrypted", json_boolean(b.conversion != 0));
                if (b.protection == 0 || b.protection == 1)
                        json_object_set_new(enc, "protection",
                                            json_string(protection[b.protection]));
                if (b.percent >= 0)
                        json_object_set_new(enc, "percent", json_integer(b.percent));
                if (b.method[0])
                        json_object_set_new(enc, "method", facts_string(b.method));
        }
        json_object_set_new(facts, "encryption", enc);
}

void win_security_collect(const struct collect_ctx *ctx, json_t *facts)
{
        (void)ctx;
        firewall(facts);
        encryption(facts);
}
