/* rules.h - helpers the rule files share. */
#ifndef HYGIE_RULES_H
#define HYGIE_RULES_H

#include <jansson.h>
#include <time.h>

#include "checks.h"
#include "policy.h"

enum support_state {
        SUPPORT_UNKNOWN, /* no table describes this system */
        SUPPORT_OK,
        SUPPORT_ENDING,   /* regular support ends within the policy's warning time */
        SUPPORT_EXTENDED, /* regular support over; only LTS or ESM fixes remain */
        SUPPORT_ENDED,    /* no security fixes at all */
};

struct support {
        enum support_state state;
        const char *system;   /* pretty name */
        const char *eol;      /* end of regular security support, may be NULL */
        const char *ext;      /* end of LTS/ESM, may be NULL */
        const char *ext_name; /* "LTS" or "ESM" */
        long days_left;       /* to the end that matters for the state */
};

/* Where facts.os (may be NULL) stands on security support at now. */
void rules_os_support(const json_t *os, time_t now, long warn_months, struct support *s);

/* facts.<family name> of the context, or NULL. */
const json_t *rules_facts(const struct check_ctx *ctx, enum family f);

/* Windows, from the policy's [windows:BUILD] table (rules_windows.c). */

/* The servicing family of an edition: "home_pro", "enterprise", "ltsc",
 * "iot_ltsc" or "server", from the registry's EditionID and
 * InstallationType (either may be NULL); NULL when the edition is unknown. */
const char *rules_windows_family(const char *edition_id, const char *installation_type);
/* "Windows 11" from build 22000 (ProductName still says Windows 10), else
 * "Windows 10" (from 10240), else "Windows". Static. */
const char *rules_windows_name(unsigned build);
/* facts.os.support: {"distro": "windows", "table": "policy", "build",
 * "edition_family"?, "release"?, "eol"?, "esu"?, "table_updated"?}; no
 * "release" when the table lacks the build (or the edition is a server),
 * no "eol" when it has no end date for the edition's family. New reference. */
json_t *rules_windows_support(const struct policy *p, unsigned build, const char *family);
/* facts.patch.latest: {"revision", "date", "kb"?, "table_updated", "final"}
 * (final: the edition's servicing ended before the table's date, so no newer
 * update can exist); NULL when the table has no update for the build or the
 * edition is a server. New reference. */
json_t *rules_windows_latest(const struct policy *p, unsigned build, const char *family);

#endif
