/* rules_windows.c - what the policy's Windows builds table says of one
 * machine: the servicing family of its edition, the name of its release,
 * the end of its support (facts.os.support) and its newest cumulative update
 * (facts.patch.latest). The Windows collector calls these with the registry
 * values; os.supported and patch.security_pending read what they return. */
#include <string.h>
#include <strings.h>
#include <time.h>

#include "rules.h"
#include "util.h"

static const char *const home_pro[] = {
        "Core",
        "CoreN",
        "CoreSingleLanguage",
        "CoreCountrySpecific",
        "Professional",
        "ProfessionalN",
        "ProfessionalWorkstation",
        "ProfessionalWorkstationN",
        "ProfessionalEducation",
        "ProfessionalEducationN",
        NULL,
};
/* ServerRdsh is Enterprise multi-session, a client. */
static const char *const enterprise[] = {
        "Enterprise",   "EnterpriseN",   "Education",  "EducationN", "EnterpriseG",
        "EnterpriseGN", "IoTEnterprise", "ServerRdsh", NULL,
};
static const char *const ltsc[] = { "EnterpriseS", "EnterpriseSN", NULL };
static const char *const iot_ltsc[] = { "IoTEnterpriseS", NULL };

static bool listed(const char *const *list, const char *id)
{
        for (; *list; list++)
                if (strcasecmp(*list, id) == 0)
                        return true;
        return false;
}

const char *rules_windows_family(const char *edition_id, const char *installation_type)
{
        if (edition_id && listed(enterprise, edition_id))
                return "enterprise";
        if ((installation_type && (strncasecmp(installation_type, "Server", 6) == 0 ||
                                   strncasecmp(installation_type, "Nano", 4) == 0)) ||
            (edition_id && strncasecmp(edition_id, "Server", 6) == 0))
                return "server";
        if (!edition_id)
                return NULL;
        if (listed(home_pro, edition_id))
                return "home_pro";
        if (listed(ltsc, edition_id))
                return "ltsc";
        if (listed(iot_ltsc, edition_id))
                return "iot_ltsc";
        return NULL;
}

const char *rules_windows_name(unsigned build)
{
        if (build >= 22000)
                return "Windows 11";
        return build >= 10240 ? "Windows 10" : "Windows";
}

/* The row of build, for a client edition family (-1 when unknown). */
static const struct win_build *row(const struct policy *p, unsigned build, const char *family,
                                   int *fam)
{
        *fam = win_family_from_name(family);
        if (family && strcmp(family, "server") == 0)
                return NULL;
        return policy_windows_build(p, build);
}

json_t *rules_windows_support(const struct policy *p, unsigned build, const char *family)
{
        json_t *s = json_pack("{s:s, s:s, s:I}", "distro", "windows", "table", "policy", "build",
                              (json_int_t)build);
        int fam;
        const struct win_build *w = row(p, build, family, &fam);

        if (family)
                json_object_set_new(s, "edition_family", json_string(family));
        if (!w)
                return s;
        bool ltsc_name = (fam == WIN_LTSC || fam == WIN_IOT_LTSC) && w->release_ltsc[0];
        const char *release = ltsc_name ? w->release_ltsc : w->release;
        if (release[0])
                json_object_set_new(s, "release", json_string(release));
        if (fam >= 0 && w->end[fam][0]) {
                json_object_set_new(s, "eol", json_string(w->end[fam]));
                if (w->esu[0])
                        json_object_set_new(s, "esu", json_string(w->esu));
        }
        if (p->win_updated[0])
                json_object_set_new(s, "table_updated", json_string(p->win_updated));
        return s;
}

json_t *rules_windows_latest(const struct policy *p, unsigned build, const char *family)
{
        int fam;
        const struct win_build *w = row(p, build, family, &fam);
        const char *last;

        if (!w || !w->latest_revision)
                return NULL;
        json_t *l = json_pack("{s:I, s:s, s:s}", "revision", (json_int_t)w->latest_revision, "date",
                              w->latest_date, "table_updated", p->win_updated);
        if (w->latest_kb[0])
                json_object_set_new(l, "kb", json_string(w->latest_kb));
        /* When this edition's servicing (paid updates included) ended before
         * the table's date, no newer update can come: the table is final. */
        last = fam >= 0 ? w->end[fam] : "";
        if (last[0] && strcmp(w->esu, last) > 0)
                last = w->esu;
        json_object_set_new(l, "final", json_boolean(last[0] && strcmp(last, p->win_updated) < 0));
        return l;
}
