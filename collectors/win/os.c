/* os.c - which Windows this is, from the registry, and its end of support
 * from the policy's table of builds; the firewall and disk encryption. */
#include <windows.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector.h"
#include "reg.h"
#include "rules.h"
#include "winos.h"

#define CURRENT_VERSION L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion"

static void set_str(json_t *o, const char *key, const char *v)
{
        if (v && *v)
                json_object_set_new(o, key, facts_string(v));
}

/* The edition as people name it, from EditionID. */
static const char *edition(const char *id)
{
        static const struct {
                const char *id, *name;
        } names[] = {
                { "Core", "Home" },
                { "CoreN", "Home N" },
                { "CoreSingleLanguage", "Home Single Language" },
                { "Professional", "Pro" },
                { "ProfessionalN", "Pro N" },
                { "ProfessionalEducation", "Pro Education" },
                { "ProfessionalWorkstation", "Pro for Workstations" },
                { "Enterprise", "Enterprise" },
                { "EnterpriseN", "Enterprise N" },
                { "EnterpriseS", "Enterprise LTSC" },
                { "EnterpriseSN", "Enterprise N LTSC" },
                { "IoTEnterpriseS", "IoT Enterprise LTSC" },
                { "Education", "Education" },
                { "EducationN", "Education N" },
        };

        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
                if (strcmp(id, names[i].id) == 0)
                        return names[i].name;
        return id;
}

int win_os_read(struct win_os *os, json_t *facts)
{
        char build[32], where[600];
        unsigned long ubr = 0;
        char *end;
        int rc;

        memset(os, 0, sizeof(*os));
        rc = reg_string(HKEY_LOCAL_MACHINE, CURRENT_VERSION, L"CurrentBuildNumber", build,
                        sizeof(build));
        if (rc == -ENOENT)
                rc = reg_string(HKEY_LOCAL_MACHINE, CURRENT_VERSION, L"CurrentBuild", build,
                                sizeof(build));
        if (rc < 0) {
                if (facts)
                        facts_add_error(
                            facts, "registry",
                            reg_where(CURRENT_VERSION, L"CurrentBuild", where, sizeof(where)), 0,
                            "cannot read: %s", strerror(-rc));
                return rc;
        }
        os->build = strtoul(build, &end, 10);
        if (*end || os->build == 0) {
                if (facts)
                        facts_add_error(
                            facts, "registry",
                            reg_where(CURRENT_VERSION, L"CurrentBuild", where, sizeof(where)), 0,
                            "not a build number: \"%s\"", build);
                return -EINVAL;
        }
        if (reg_dword(HKEY_LOCAL_MACHINE, CURRENT_VERSION, L"UBR", &ubr) == 0)
                os->revision = ubr;
        else
                os->revision = -1;
        reg_string(HKEY_LOCAL_MACHINE, CURRENT_VERSION, L"ProductName", os->product_name,
                   sizeof(os->product_name));
        reg_string(HKEY_LOCAL_MACHINE, CURRENT_VERSION, L"EditionID", os->edition_id,
                   sizeof(os->edition_id));
        if (reg_string(HKEY_LOCAL_MACHINE, CURRENT_VERSION, L"DisplayVersion", os->display_version,
                       sizeof(os->display_version)) < 0)
                reg_string(HKEY_LOCAL_MACHINE, CURRENT_VERSION, L"ReleaseId", os->display_version,
                           sizeof(os->display_version));
        reg_string(HKEY_LOCAL_MACHINE, CURRENT_VERSION, L"InstallationType", os->installation_type,
                   sizeof(os->installation_type));
        return 0;
}

int os_collect(const struct collect_ctx *ctx, json_t *facts)
{
        struct win_os os;
        char name[160], pretty[256], rev[24] = "";
        SYSTEM_INFO si;

        set_str(facts, "id", "windows");
        GetNativeSystemInfo(&si);
        set_str(facts, "arch",
                si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_AMD64   ? "x86_64"
                : si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_ARM64 ? "arm64"
                : si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_INTEL ? "x86"
                                                                            : "other");
        if (win_os_read(&os, facts) == 0) {
                const char *family = rules_windows_family(os.edition_id, os.installation_type);

                snprintf(name, sizeof(name), "%s%s%s", rules_windows_name(os.build),
                         edition(os.edition_id)[0] ? " " : "", edition(os.edition_id));
                if (os.revision >= 0)
                        snprintf(rev, sizeof(rev), ".%ld", os.revision);
                snprintf(pretty, sizeof(pretty), "%s%s%s (%lu%s)", name,
                         os.display_version[0] ? " " : "", os.display_version, os.build, rev);
                set_str(facts, "name", name);
                set_str(facts, "pretty_name", pretty);
                set_str(facts, "product_name", os.product_name);
                set_str(facts, "edition_id", os.edition_id);
                set_str(facts, "edition_family", family);
                set_str(facts, "display_version", os.display_version);
                set_str(facts, "installation_type", os.installation_type);
                set_str(facts, "version_id", os.build >= 22000 ? "11" : "10");
                json_object_set_new(facts, "build", json_integer((json_int_t)os.build));
                if (os.revision >= 0)
                        json_object_set_new(facts, "revision", json_integer(os.revision));
                json_object_set_new(facts, "support",
                                    rules_windows_support(ctx->policy, os.build, family));
        }
        win_security_collect(ctx, facts);
        return 0;
}
